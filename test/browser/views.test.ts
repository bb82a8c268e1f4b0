/**
 * Every view of the pane, in Chinese and in English, at 320 × 640 (issue 17): for each of the
 * demo's people, My work's four lists and the first card of 待我处理 (下一步, 记录, 详情, 更多);
 * then as the secretary All cards, a new request, month end (preview and evidence), problems and
 * settings. In each view:
 * - English mode shows no Chinese but the workbook's own (names, clients, projects, notes typed
 *   in the English demo workbook); Chinese mode no English word but names, ids and a short list
 *   of words Chinese offices write in Latin letters (AE, AB 角, KPI, Excel …), and a copy is 抄送,
 *   never 知会;
 * - nothing is wider than the pane (scrollWidth ≤ clientWidth);
 * - a screenshot is kept: test-artifacts/screenshots/views-<view>-<lang>.png.
 */
import path from "path";
import type { Page } from "playwright-core";
import { ARTIFACTS, useWorkbench } from "./harness";
import { as, idle, openPage, view } from "./pane-helpers";

jest.setTimeout(600_000);

const env = useWorkbench(600_000);
const SHOTS = path.join(ARTIFACTS, "screenshots");
const PEOPLE = ["林静", "王磊", "赵敏", "陈刚", "张伟", "李娜", "刘洋", "周婷", "吴昊", "孙悦"];
const NOW = "now=2026-10-30T17:30";
/** Latin words a Chinese office writes as they are (glossary: AE; AB 角; KPI; the Excel the add-in runs in). */
const LATIN_OK = new Set([
  "AE",
  "AB",
  "KPI",
  "Excel",
  "Office",
  "PLAN",
  "DUE",
  "OVERDUE",
  "WORKDAYS",
  "MILESTONE",
  "ISWORKDAY",
  "T",
  "ID",
  "LAMBDA",
  "XML",
  "Microsoft",
]);
/** The date format a field shows (yyyy-mm-dd hh:mm) is written as Excel writes it, in either language. */
const FORMAT = /\byyyy-mm-dd( hh:mm)?\b/g;

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+/g;

/**
 * The text people typed into the workbook (every string cell of every sheet but what the add-in
 * wrote itself): what may show in any language. Left out: the Countersign Log (its words and notes
 * are the add-in's, written in the workbook's language), the Register's Stage, the generated
 * Penalties and KPI sheets; so English left in a Chinese log's notes shows as a wrong word.
 */
async function workbookTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Cell = { value?: unknown };
    type Sheet = { name: string; cells: Map<number, Map<number, Cell>>; get(r: number, c: number): Cell | undefined };
    type Table = { name: string; sheet: Sheet; top: number; left: number; bottom: number; right: number };
    const wb = (window as any).workbench.excel.state as { sheets: Sheet[]; tables: Table[] };
    const WRITTEN = new Set(["CountersignLog", "Penalties"]);
    const skip = (sheet: Sheet, r: number, c: number) =>
      /^KPI \d{4}-\d\d$/.test(sheet.name) ||
      wb.tables.some((t) => {
        if (t.sheet !== sheet || r <= t.top || r > t.bottom || c < t.left || c > t.right) return false;
        if (WRITTEN.has(t.name)) return true;
        const head = t.sheet.get(t.top, c)?.value;
        return t.name === "Register" && (head === "阶段" || head === "Stage");
      });
    const out: string[] = [];
    for (const sheet of wb.sheets)
      for (const [r, line] of sheet.cells)
        for (const [c, cell] of line) if (typeof cell.value === "string" && !skip(sheet, r, c)) out.push(cell.value);
    return out;
  });
}

/** The pane's visible text and the words it gives screen readers and tooltips, one string per element. */
function paneTexts(page: Page, lang: "zh" | "en"): Promise<string[]> {
  return page.evaluate((lang) => {
    // A control marked as in the other language (the language switch: lang="en" in Chinese) is that language's.
    const pane = document.querySelector("#pane") ?? document.body;
    const other = (el: Element) => {
      const marked = el.closest("[lang]");
      return !!marked && pane.contains(marked) && !(marked.getAttribute("lang") ?? lang).startsWith(lang);
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest("[hidden], script, style, .pd-sheets") || other(el)) continue;
      if (el.closest("select") && !(el instanceof HTMLOptionElement)) continue;
      const t = (n.textContent ?? "").trim();
      if (t) out.push(t);
    }
    for (const el of Array.from(pane.querySelectorAll("[aria-label], [placeholder], [title]")))
      for (const a of ["aria-label", "placeholder", "title"]) {
        const v = el.getAttribute(a);
        if (v && !el.closest("[hidden]") && !other(el)) out.push(v);
      }
    return out;
  }, lang);
}

/** What reads in the wrong language in the view now. */
async function wrongLanguage(page: Page, lang: "zh" | "en", data: { cjk: string[]; latin: Set<string> }): Promise<string[]> {
  const bad: string[] = [];
  for (const t of (await paneTexts(page, lang)).map((x) => x.replace(FORMAT, ""))) {
    if (lang === "en") {
      const runs = (t.match(CJK) ?? []).filter((r) => !/^[\u3000-\u303f\uff01-\uff5e]+$/.test(r));
      const foreign = runs.filter((r) => !data.cjk.some((d) => d.includes(r)));
      if (foreign.length) bad.push(`${foreign.join(" ")} ← "${t.slice(0, 80)}"`);
    } else {
      const words = (t.replace(/\S+@\S+/g, "").match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !LATIN_OK.has(w) && !data.latin.has(w));
      if (words.length) bad.push(`${words.join(" ")} ← "${t.slice(0, 80)}"`);
      // One word per thing: a copy is 抄送 on its button, its notice and its tooltips, never 知会.
      if (t.includes("知会")) bad.push(`知会 ← "${t.slice(0, 80)}"`);
    }
  }
  return [...new Set(bad)];
}

/** Anything wider than the pane. */
function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const d = document.documentElement;
    if (d.scrollWidth > d.clientWidth) out.push(`page ${d.scrollWidth} > ${d.clientWidth}`);
    const pane = document.querySelector("#pane");
    if (pane && pane.scrollWidth > pane.clientWidth) out.push(`#pane ${pane.scrollWidth} > ${pane.clientWidth}`);
    return out;
  });
}

describe.each(["zh", "en"] as const)("every view in %s", (lang) => {
  test("reads in one language, fits 320 px, and is kept as a screenshot", async () => {
    const page = await openPage(env.browser, env.url, `lang=${lang}&${NOW}`);
    const texts = await workbookTexts(page);
    // The workbook's own words: its Chinese (names, clients, projects) and its Latin words (ids, accounts, notes of an English workbook).
    const data = {
      cjk: texts.flatMap((t) => t.match(CJK) ?? []),
      latin: new Set(texts.filter((t) => !/[\u3400-\u9fff]/.test(t) || lang === "zh").flatMap((t) => t.match(/[A-Za-z]{2,}/g) ?? [])),
    };
    const problems: string[] = [];
    const shots = new Set<string>();
    const look = async (name: string, who: string, keep: boolean) => {
      for (const p of await wrongLanguage(page, lang, data)) problems.push(`${name} (${who}): ${p}`);
      for (const p of await overflow(page)) problems.push(`${name} (${who}) overflows: ${p}`);
      if (keep && !shots.has(name)) {
        shots.add(name);
        await page.screenshot({ path: path.join(SHOTS, `views-${name}-${lang}.png`) });
      }
    };
    for (const person of PEOPLE) {
      await as(page, person);
      await view(page, "mine");
      const keep = person === "王磊";
      for (const tab of ["todo", "done", "started", "copied"]) {
        await page.click(`#pd-inbox-${tab}`);
        await idle(page);
        await look(`mine-${tab}`, person, keep);
      }
      await page.click("#pd-inbox-todo");
      await idle(page);
      const first = page.locator("#pd-mine button.pd-card-row").first();
      if (!(await first.count())) continue;
      await first.click();
      await idle(page);
      await page.click("#pd-tab-next"); // the same card as the last person's keeps its tab
      await idle(page);
      await look("card-next", person, keep);
      if (await page.locator("#pd-more-summary").count()) {
        if (!(await page.locator("#pd-more-actions[open]").count())) await page.click("#pd-more-summary");
        await idle(page);
        await look("card-more", person, keep);
      }
      for (const tab of ["log", "facts"]) {
        await page.click(`#pd-tab-${tab}`);
        await idle(page);
        await look(`card-${tab}`, person, keep);
      }
    }
    await as(page, "林静");
    await view(page, "all");
    await look("overview", "林静", true);
    await page.locator("#pd-all").scrollIntoViewIfNeeded();
    await look("all", "林静", true);
    await view(page, "new");
    await look("new", "林静", true);
    await view(page, "month");
    await look("month", "林静", true);
    await page.click("#pd-preview");
    await idle(page);
    await look("month-preview", "林静", true);
    const evidence = page.locator(".pd-evidence").first();
    if (await evidence.count()) await evidence.scrollIntoViewIfNeeded();
    await look("month-evidence", "林静", true);
    await view(page, "problems");
    await look("problems", "林静", true);
    await view(page, "settings");
    await look("settings", "林静", true);
    await page.close();
    expect(problems).toEqual([]);
  });
});
