/** Helpers for driving the pane in the workbench: people, views, cards, cells, and checks of what a person sees at 320 px. */
import type { Browser, Page } from "playwright-core";

export const PANE_WIDTH = 320;

export async function openPage(
  browser: Browser,
  base: string,
  query: string,
  opts: { width?: number; height?: number; locale?: string } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? PANE_WIDTH, height: opts.height ?? 640 }, locale: opts.locale });
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/workbench.html?${query}`);
  await page.waitForSelector("body[data-ready='1']", { timeout: 30_000 });
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  return page;
}

export const idle = (page: Page) => page.evaluate(() => (window as any).workbench.idle());

export async function as(page: Page, name: string): Promise<void> {
  await page.selectOption("#pd-me", name);
  await idle(page);
}

export async function view(page: Page, v: string): Promise<void> {
  await page.click(`fluent-button[data-view="${v}"]`);
  await idle(page);
}

/** 林静 issues a new card from 新需求 (AE 张伟), which the pane then opens: its number, from the card's heading. */
export async function issueCard(page: Page, project: string): Promise<string> {
  await as(page, "林静");
  await view(page, "new");
  await page.fill("#pd-new-project", project);
  await page.selectOption("#pd-new-ae", "张伟");
  await page.click("#pd-issue");
  await idle(page);
  return ((await page.textContent("#pd-card-h")) ?? "").split(" ")[0];
}

/** Opens a card from All cards, searching for its number, as a person would. */
export async function openCard(page: Page, cardNo: string): Promise<void> {
  await view(page, "all");
  await page.fill("#pd-filter-text", cardNo);
  await page.press("#pd-filter-text", "Enter");
  await idle(page);
  await page.click(`#pd-all button.pd-card-row[data-card="${cardNo}"]`);
  await idle(page);
}

/** The address (`M5`) of a card's cell in the Register, by the column's header text. */
export async function cellOf(page: Page, cardNo: string, header: string): Promise<string> {
  const at = await page.evaluate(
    ([cardNo, header]) => {
      const t = (window as any).workbench.excel.state.table("Register");
      const letter = (c: number): string => (c >= 26 ? letter(Math.floor(c / 26) - 1) : "") + String.fromCharCode(65 + (c % 26));
      let col = -1;
      let key = -1;
      for (let c = t.left; c <= t.right; c++) {
        const v = t.sheet.get(t.top, c)?.value;
        if (v === header) col = c;
        if (v === "卡号" || v === "Card No.") key = c;
      }
      for (let r = t.top + 1; r <= t.bottom; r++) if (t.sheet.get(r, key)?.value === cardNo && col >= 0) return `${letter(col)}${r + 1}`;
      return "";
    },
    [cardNo, header],
  );
  if (!at) throw new Error(`no cell ${header} of ${cardNo}`);
  return at;
}

/** A co-author writes a cell; the pane refreshes when the change arrives. */
export async function coWrite(page: Page, sheet: string, address: string, value: string | number): Promise<void> {
  await page.evaluate(([s, a, v]) => (window as any).workbench.coauthorWrite(s as string, a as string, v as string | number), [
    sheet,
    address,
    value,
  ] as const);
  await page.waitForTimeout(300);
  await idle(page);
}

/** The value a table's cell shows in the workbook, by card number and header (dates as serials). */
export async function registerValue(page: Page, cardNo: string, header: string): Promise<unknown> {
  return page.evaluate(
    ([cardNo, header]) => {
      const t = (window as any).workbench.excel.state.table("Register");
      let col = -1;
      let key = -1;
      for (let c = t.left; c <= t.right; c++) {
        const v = t.sheet.get(t.top, c)?.value;
        if (v === header) col = c;
        if (v === "卡号" || v === "Card No.") key = c;
      }
      for (let r = t.top + 1; r <= t.bottom; r++) if (t.sheet.get(r, key)?.value === cardNo) return t.sheet.get(r, col)?.value ?? null;
      return undefined;
    },
    [cardNo, header],
  );
}

export const logRows = (page: Page) =>
  page.evaluate(() => {
    const t = (window as any).workbench.excel.state.table("CountersignLog");
    return t.bottom - t.top;
  });

/** The number on the Problems button (0 when none). */
export async function problemCount(page: Page): Promise<number> {
  const t = (await page.textContent('fluent-button[data-view="problems"]')) ?? "";
  const m = /\((\d+)\)/.exec(t);
  return m ? Number(m[1]) : 0;
}

/**
 * What does not fit at the pane's width: anything wider than the page or sticking out of it,
 * and text squeezed into a column about one character wide (one character per line).
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const W = document.documentElement.clientWidth;
    const root = document.querySelector(".pd") as any;
    const name = (el: any) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").join(".")}` : ""} "${(el.textContent ?? "").trim().slice(0, 30)}"`;
    if (document.documentElement.scrollWidth > W + 1)
      out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${W})`);
    for (const el of root.querySelectorAll("*") as any[]) {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if ((r.width === 0 && r.height === 0) || cs.visibility === "hidden" || cs.display === "none" || el.closest("[hidden]")) continue;
      if (r.right > W + 1 || r.left < -1) out.push(`sticks out: ${name(el)} (${Math.round(r.left)}–${Math.round(r.right)} of ${W})`);
      // Text broken into lines of about one character: count the lines each text node is laid out on.
      for (const n of [...el.childNodes].filter((n: any) => n.nodeType === 3 && (n.textContent ?? "").trim().length >= 2) as any[]) {
        const range = document.createRange();
        range.selectNodeContents(n);
        const tops = new Set([...range.getClientRects()].filter((q: any) => q.width > 0).map((q: any) => Math.round(q.top)));
        const chars = (n.textContent ?? "").trim().length;
        if (tops.size >= 2 && chars / tops.size < 1.5)
          out.push(`one character per line: ${name(el)} (${chars} characters on ${tops.size} lines)`);
      }
    }
    return out;
  });
}

/** Controls without a label a screen reader would read, selects without a <label>, and options that say nothing ("—", empty). */
export function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.querySelector(".pd") as any;
    const labelOf = (el: any): string => {
      const byFor = el.id ? [...root.querySelectorAll("label")].find((l: any) => l.htmlFor === el.id) : undefined;
      const wrap = el.closest("label");
      const by = (el.getAttribute("aria-labelledby") ?? "")
        .split(" ")
        .filter(Boolean)
        .map((id: string) => document.getElementById(id)?.textContent ?? "")
        .join(" ");
      return [byFor?.textContent, wrap?.textContent, el.getAttribute("aria-label"), by].filter(Boolean).join(" ").trim();
    };
    for (const el of root.querySelectorAll("input, select, textarea") as any[]) {
      if (el.type === "hidden" || el.getAttribute("aria-hidden") === "true" || el.tabIndex < 0) continue;
      const hasLabelElement = (el.id && [...root.querySelectorAll("label")].some((l: any) => l.htmlFor === el.id)) || el.closest("label");
      if (!labelOf(el)) out.push(`no label: ${el.tagName.toLowerCase()}#${el.id}`);
      else if (el.tagName === "SELECT" && !hasLabelElement) out.push(`select without a <label>: #${el.id}`);
    }
    for (const el of root.querySelectorAll("fluent-button, button") as any[]) {
      if (!(el.textContent ?? "").trim() && !el.getAttribute("aria-label")) out.push(`button without a name: #${el.id}`);
    }
    for (const o of root.querySelectorAll("option") as any[]) {
      const t = (o.textContent ?? "").trim();
      if (!t || t === "—" || t === "-") out.push(`option saying nothing in #${o.parentElement.id}`);
    }
    return out;
  });
}

/** Is the element fully inside the viewport, and not under the pane's sticky header (who I am, the views) or a form's sticky submit bar? */
export function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel as string);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    // What covers the top and the bottom of the window, unless the element is part of it.
    const cover = (s: string) => {
      const bar = document.querySelector(s);
      return bar && !bar.contains(el) ? bar.getBoundingClientRect() : undefined;
    };
    const top = Math.max(0, cover(".pd-top")?.bottom ?? 0);
    // The submit bar covers only while it sticks to the bottom (a short form ends above it).
    const bar = cover(".pd-submit-bar");
    const bottom = bar && bar.bottom >= window.innerHeight - 1 ? bar.top : window.innerHeight;
    // The whole box within the window's width and the height left between them.
    return r.top >= top - 1 && r.left >= 0 && r.bottom <= bottom + 1 && r.right <= window.innerWidth + 1 && r.height > 0;
  }, selector);
}

/** The cells of the Countersign Log's last row, as the workbook holds them. */
export const lastLogRow = (page: Page): Promise<unknown[]> =>
  page.evaluate(() => {
    const t = (window as any).workbench.excel.state.table("CountersignLog");
    const out: unknown[] = [];
    for (let c = t.left; c <= t.right; c++) out.push(t.sheet.get(t.bottom, c)?.value ?? null);
    return out;
  });

/**
 * A success message says what was done to which card, in words (src/taskpane/done.ts):
 * "已会签 202610-027，等待 …", "202610-027 已归档", "Signed 202610-027; waiting for …".
 */
export const DONE = { zh: /^(?:总监)?已\S*.*\d{6}-\d{3}|^\d{6}-\d{3} 已/, en: /^[A-Z][a-z]+ .*\d{6}-\d{3}/ };
