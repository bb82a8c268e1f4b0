/**
 * Issue 17's figures: My work draws a first page of each group, with exact counts on its tabs,
 * and a real "显示更多（N）" button (keyboard: Enter) that brings the rest, in order.
 */
import type { Page } from "playwright-core";
import { useWorkbench } from "./harness";
import { PANE_WIDTH, as, idle, view } from "./pane-helpers";

jest.setTimeout(300_000);

const env = useWorkbench(600_000);

/** The rows of 待我处理's first group (cells to fix, what waits on me, my own steps). */
const TODO_ROWS = '#pd-mine > li[data-kind="fix"], #pd-mine > li[data-kind="approve"], #pd-mine > li[data-kind="do"]';
const BACKUP_ROWS = '#pd-mine > li[data-kind="backup"]';

/** The workbench at 320 × 640 with a bigger Register (pane-helpers' openPage, with the time a bigger workbook takes to set up). */
async function openBig(query: string): Promise<Page> {
  const page = await env.browser.newPage({ viewport: { width: PANE_WIDTH, height: 640 } });
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${env.url}/workbench.html?${query}`, { timeout: 60_000 });
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
  expect(errors).toEqual([]);
  return page;
}

const tabCount = async (page: Page, tab: string): Promise<number> =>
  Number(/(\d+)\s*$/.exec((await page.textContent(`#pd-inbox-${tab}`)) ?? "")?.[1] ?? NaN);

/** Presses "显示更多" of a group with the keyboard until it is gone; returns the rows seen after each press. */
async function showAll(page: Page, group: string, rows: string): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < 100 && (await page.locator(`#pd-mine-more-${group}`).count()) > 0; i++) {
    const before = await page.locator(rows).count();
    const firstNew = await page.evaluate(
      ([sel, n]) =>
        document
          .querySelectorAll(sel as string)
          [n as number]?.querySelector("button.pd-card-row")
          ?.getAttribute("data-card"),
      [rows, before] as const,
    );
    await page.focus(`#pd-mine-more-${group}`);
    await page.keyboard.press("Enter");
    await idle(page);
    seen.push(await page.locator(rows).count());
    // The focus goes to the first row it brought.
    const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-card") ?? "");
    if (firstNew) expect(focused).toBe(firstNew);
  }
  return seen;
}

test("My work with 360 cards: a first page of each group, exact counts, and a real 显示更多 button that brings the rest", async () => {
  const page = await openBig("lang=zh&now=2026-11-02T10:00&cards=300");
  await as(page, "刘洋");
  await view(page, "mine");
  const todo = await tabCount(page, "todo");
  const backup = Number(/，(\d+) 张可代办/.exec((await page.textContent(".pd-count")) ?? "")?.[1] ?? 0);
  // This workbook gives the planner more than a page of each.
  expect([todo > 20, backup > 20]).toEqual([true, true]);
  expect(await page.locator(TODO_ROWS).count()).toBe(20);
  expect(await page.locator(BACKUP_ROWS).count()).toBe(20);
  const more = page.locator("#pd-mine-more-todo");
  expect(await more.evaluate((b) => b.tagName)).toBe("BUTTON");
  expect((await more.textContent())?.trim()).toBe(`显示更多（${Math.min(100, todo - 20)}）`);
  const order = await page.$$eval(TODO_ROWS, (lis) => lis.map((li) => li.querySelector("button.pd-card-row")?.getAttribute("data-card")));

  const seen = await showAll(page, "todo", TODO_ROWS);
  expect(seen[seen.length - 1]).toBe(todo);
  // The first page stays as it was, on top; the counts did not move.
  const all = await page.$$eval(TODO_ROWS, (lis) => lis.map((li) => li.querySelector("button.pd-card-row")?.getAttribute("data-card")));
  expect(all.slice(0, 20)).toEqual(order);
  expect(new Set(all).size).toBe(todo);
  expect(await tabCount(page, "todo")).toBe(todo);
  // The backup group still shows its first page, then brings the rest too.
  expect(await page.locator(BACKUP_ROWS).count()).toBe(20);
  const seenBackup = await showAll(page, "backup", BACKUP_ROWS);
  expect(seenBackup[seenBackup.length - 1]).toBe(backup);

  // 我发起的 of an AE: counted exactly before it is opened, the same rows when it is.
  await as(page, "张伟");
  await view(page, "mine");
  const started = await tabCount(page, "started");
  expect(started).toBeGreaterThan(20);
  await page.click("#pd-inbox-started");
  await idle(page);
  expect(await page.locator("#pd-mine > li:not(.pd-more-row)").count()).toBe(20);
  const seenStarted = await showAll(page, "started", "#pd-mine > li:not(.pd-more-row)");
  expect(seenStarted[seenStarted.length - 1]).toBe(started);
  await page.close();
});
