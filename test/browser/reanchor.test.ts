/**
 * Undo in the pane (issue 18): Ctrl+Z takes back the add-in's rows but not the log's anchor
 * part. Problems names it a probable undo; the planner sees the re-anchor button disabled with
 * its reason; the secretary re-anchors, and Verify log then finds the log intact.
 */
import path from "path";
import { ARTIFACTS, useWorkbench } from "./harness";
import { DONE, as, idle, layoutProblems, openPage, view } from "./pane-helpers";

jest.setTimeout(180_000);

const env = useWorkbench(300_000);

test("an undone action: named in Problems, re-anchored by the secretary only, then the log is intact", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00", { height: 900 });
  try {
    await as(page, "林静");
    await page.evaluate(() => void ((window as any).workbench.excel.undoable = true));
    await view(page, "new");
    await page.fill("#pd-new-project", "撤销测试");
    await page.selectOption("#pd-new-ae", "张伟");
    await page.click("#pd-issue");
    await idle(page);
    expect(await page.textContent(".pd-msg")).toMatch(DONE.zh);
    // Ctrl+Z in Excel: the workbench's in-memory Excel takes the batch back (not the anchor part).
    await page.evaluate(() => (window as any).workbench.excel.undo());

    await as(page, "刘洋");
    await view(page, "problems");
    await page.click("#pd-verify");
    await idle(page);
    expect(await page.getAttribute("#pd-chain-report li", "data-kind")).toBe("undone-tail");
    expect(await page.textContent("#pd-chain-report")).toMatch(/可能是撤销（Ctrl\+Z）了加载项的写入/);
    expect(await page.getAttribute("#pd-reanchor", "disabled")).not.toBeNull();
    expect(await page.getAttribute("#pd-reanchor", "aria-describedby")).toBe("pd-reanchor-why");
    expect(await page.textContent("#pd-reanchor-why")).toContain("只有秘书或总监");

    await as(page, "林静");
    await view(page, "problems");
    expect(await page.getAttribute("#pd-reanchor", "disabled")).toBeNull();
    expect(await layoutProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "screenshots", "problems-undone-zh.png"), fullPage: true });
    await page.click("#pd-reanchor");
    await idle(page);
    expect(await page.textContent(".pd-msg")).toMatch(/已重新锚定：放弃了 1 行/);
    await page.click("#pd-verify");
    await idle(page);
    expect(await page.textContent("#pd-chain-report")).toContain("会签记录完整");
    expect(await page.locator("#pd-reanchor").count()).toBe(0);
  } finally {
    await page.close();
  }
});

test("My work is drawn before the log is checked; the check follows and the 问题 badge counts the break", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00", { height: 900 });
  try {
    await as(page, "林静");
    await page.evaluate(() => void ((window as any).workbench.excel.undoable = true));
    await view(page, "new");
    await page.fill("#pd-new-project", "先画后查");
    await page.selectOption("#pd-new-ae", "张伟");
    await page.click("#pd-issue");
    await idle(page);
    await page.evaluate(() => (window as any).workbench.excel.undo());
    await view(page, "mine");
    const badge = () => page.textContent('fluent-button[data-view="problems"]');
    const before = (await badge()) ?? "";
    // A read of the workbook on My work: its view is drawn when the read's promise resolves, the log's check after it.
    const run = await page.evaluate(async () => {
      const pane = (window as any).workbench.pane;
      await pane.refresh();
      const drawn = performance.now();
      const badgeDrawn = document.querySelector('fluent-button[data-view="problems"]')?.textContent ?? "";
      await (window as any).workbench.idle();
      const checks = performance.getEntriesByName("pd-log-checks");
      return { drawn, badgeDrawn, checked: checks.length ? checks[checks.length - 1].startTime : -1 };
    });
    expect(run.badgeDrawn).toBe(before);
    expect(run.checked).toBeGreaterThanOrEqual(run.drawn);
    // Then drawn again: the badge counts the break, and 问题 names it.
    const count = (text: string) => Number(/\((\d+)\)/.exec(text)?.[1] ?? 0);
    expect(count((await badge()) ?? "")).toBe(count(before) + 1);
    await view(page, "problems");
    expect(await page.getAttribute("#pd-chain-report li", "data-kind")).toBe("undone-tail");
  } finally {
    await page.close();
  }
});
