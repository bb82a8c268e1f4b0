/**
 * The approval moves at the pane's width (320 px), by clicks: send back for changes, hand over
 * the lead, comment + copy + 已阅 (the 抄送 appears at the top of My work, then goes), chase (催办
 * at the top of the chased person's My work), withdraw; Settings' Check this Excel (every path
 * passes in the workbench) and Add deadline columns (the sheet view shows D1 应完成 / D1 超时,
 * a late card's cell red). Screenshots in test-artifacts/screenshots/.
 */
import path from "path";
import type { Page } from "playwright-core";
import { LOG_WORDS } from "../../src/core/workflow/words";
import { ARTIFACTS, useWorkbench } from "./harness";
import { DONE, as, idle, inView, issueCard, layoutProblems, logRows, openPage, registerValue, view } from "./pane-helpers";

jest.setTimeout(180_000);

const env = useWorkbench(300_000);
const SHOTS = path.join(ARTIFACTS, "screenshots");
const Q = "lang=zh&now=2026-11-02T10:00";

const open = (query = Q) => openPage(env.browser, env.url, query, { height: 900 });

/** Opens the card's 更多 (the moves that are not the card's next step), when it is there and closed. */
async function openMore(page: Page): Promise<void> {
  if ((await page.locator("#pd-more-actions:not([open])").count()) > 0) await page.click("#pd-more-summary");
}

async function act(page: Page, action: string): Promise<string> {
  if ((await page.locator(`#pd-more-actions fluent-button[data-action="${action}"]`).count()) > 0) await openMore(page);
  await page.click(`fluent-button[data-action="${action}"]`);
  await idle(page);
  return (await page.textContent(".pd-msg")) ?? "";
}

/** The secretary issues a card (AE 张伟); the pane shows it. Its number. */
const done = (lang: "zh" | "en") => DONE[lang];

async function issue(page: Page, project: string, lang: "zh" | "en" = "zh"): Promise<string> {
  const card = await issueCard(page, project);
  expect(await page.textContent(".pd-msg")).toMatch(done(lang));
  return card;
}

/** Takes the card along the usual path, one person at a time, up to (and with) `last`. */
async function drive(page: Page, last: string, lang: "zh" | "en" = "zh"): Promise<void> {
  const steps: [string, string, (() => Promise<void>)?][] = [
    ["王磊", "assign", async () => void (await page.selectOption("#pd-assign-lead", "刘洋"))],
    ["张伟", "reply", async () => void (await page.fill("#pd-reply-due", "2026-11-12 18:00"))],
    ["刘洋", "brief"],
    ["刘洋", "sign"],
    ["赵敏", "sign"],
    ["陈刚", "sign"],
    ["刘洋", "startWriting"],
    ["刘洋", "framework"],
    ["刘洋", "draft"],
  ];
  for (const [who, action, fill] of steps) {
    await as(page, who);
    if (fill) await fill();
    expect([action, await act(page, action)]).toEqual([action, expect.stringMatching(done(lang))]);
    if (action === last) return;
  }
}

const stage = (page: Page) => page.textContent("#pd-card-stage");
const history = (page: Page) => page.$$eval("#pd-history li", (lis) => lis.map((li) => li.textContent ?? ""));

test("send back for changes: the reviewer says why; the card goes back to writing, the draft emptied; the history says it", async () => {
  const page = await open();
  const card = await issue(page, "退回修改测试");
  await drive(page, "draft");
  expect(await stage(page)).toBe("方案审核");
  await as(page, "王磊");
  // Without a reason core refuses, and nothing is written.
  expect(await act(page, "sendBack")).toContain("原因");
  expect(await stage(page)).toBe("方案审核");
  // 退回 beside 同意, over one opinion field: here the reason.
  expect(await page.locator('#pd-next .pd-pair fluent-button[data-action="review"] + fluent-button[data-action="sendBack"]').count()).toBe(
    1,
  );
  // The same words as the row's one tap and as 审批: 同意 and 退回; the opinion's label fits both.
  expect(await page.$$eval("#pd-next .pd-pair fluent-button", (bs) => bs.map((b) => b.textContent?.trim() ?? ""))).toEqual([
    "同意",
    "退回",
  ]);
  expect(await page.textContent('label[for="pd-review-opinion"]')).toBe("意见（可不填；退回须写原因）");
  expect(await page.getAttribute('fluent-button[data-action="sendBack"]', "title")).not.toMatch(/退回修改：退回/);
  await page.fill("#pd-review-opinion", "结构要调整");
  expect(await act(page, "sendBack")).toMatch(/^已将 \d{6}-\d{3} 退回修改/);
  expect(await stage(page)).toBe("方案撰写");
  expect(await registerValue(page, card, "初稿")).toBeNull();
  expect((await history(page)).some((t) => t.includes(LOG_WORDS.sendBack.zh) && t.includes("结构要调整"))).toBe(true);
  expect(await layoutProblems(page)).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, "card-send-back-zh.png"), fullPage: true });
  // The planner opens the card: above his next step, who sent it back, when and why, and what 已阅 clears.
  await as(page, "刘洋");
  const notice = (await page.textContent("#pd-card-notices")) ?? "";
  expect(notice).toMatch(/退回.*王磊.*结构要调整/);
  expect(await inView(page, "#pd-card-notices")).toBe(true);
  expect(await page.getAttribute('fluent-button[data-action="acknowledge"]', "title")).toMatch(/退回/);
  await page.click('fluent-button[data-action="acknowledge"]');
  await idle(page);
  expect(await page.locator("#pd-card-notices").count()).toBe(0);
  await page.close();
});

test("hand over the lead: the new lead is in the Register, the old one's reason in the log; the tooltip says what and who", async () => {
  const page = await open();
  const card = await issue(page, "转交测试");
  await drive(page, "assign");
  await as(page, "刘洋");
  // Handing over is not the card's next step: it folds under 更多.
  expect(await page.locator('#pd-next fluent-button[data-action="handOver"]').count()).toBe(0);
  await openMore(page);
  const title = (await page.getAttribute('fluent-button[data-action="handOver"]', "title")) ?? "";
  expect(title).toContain("更换项目负责人");
  expect(title).toContain("可操作");
  await page.selectOption("#pd-handOver-to", "周婷");
  await page.fill("#pd-handOver-reason", "刘洋出差");
  expect(await act(page, "handOver")).toMatch(/^已将 \d{6}-\d{3} 转交 周婷/);
  expect(await registerValue(page, card, "项目负责人")).toBe("周婷");
  expect((await history(page)).some((t) => t.includes(LOG_WORDS.handOver.zh) && t.includes("刘洋出差"))).toBe(true);
  expect(await layoutProblems(page)).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, "card-hand-over-zh.png"), fullPage: true });
  await page.close();
});

test("抄送 with nobody chosen: 抄送给 is marked required, and the error is beside it, which takes the focus; nothing written", async () => {
  const page = await open();
  const card = await issue(page, "抄送必填");
  await as(page, "张伟");
  await openMore(page);
  expect(await page.$eval('label[for="pd-copy-to"]', (l) => getComputedStyle(l, "::after").content)).toBe('" *"');
  const rows = await logRows(page);
  await act(page, "copy");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("pd-copy-to");
  const errorId = await page.getAttribute("#pd-copy-to", "aria-describedby");
  expect(await page.textContent(`#${(errorId ?? "").split(" ")[0]}`)).toBe("抄送给：必填");
  expect(await logRows(page)).toBe(rows);
  expect(card).toMatch(/^\d{6}-\d{3}$/);
  await page.close();
});

test("comment, copy and 已阅: the 抄送 shows at the top of that person's My work until they mark it seen; one word, 抄送, throughout", async () => {
  const page = await open();
  const card = await issue(page, "抄送测试");
  await as(page, "张伟");
  await openMore(page);
  await page.fill("#pd-comment-text", "客户希望周五前看到框架");
  expect(await act(page, "comment")).toMatch(/^已评论 \d{6}-\d{3}/);
  await page.selectOption("#pd-copy-to", "吴昊");
  expect(await page.getAttribute('fluent-button[data-action="copy"]', "title")).not.toContain("知会");
  expect(await act(page, "copy")).toMatch(/^已将 \d{6}-\d{3} 抄送 吴昊/);
  // A comment and a copy put the card in no one's My work by themselves.
  await as(page, "孙悦");
  await view(page, "mine");
  expect(await page.$(`#pd-mine [data-card="${card}"]`)).toBeNull();
  await as(page, "吴昊");
  await view(page, "mine");
  const notice = `#pd-notices li[data-kind="copy"][data-card="${card}"]`;
  expect(await page.textContent(notice)).toContain("张伟 于 2026-11-02 10:00 抄送你");
  expect(await page.getAttribute("#pd-notices", "aria-label")).toBe("催办、抄送与退回");
  await page.screenshot({ path: path.join(SHOTS, "mine-copy-zh.png"), fullPage: true });
  await page.click(`${notice} a`);
  await idle(page);
  expect(await page.textContent("#pd-card-h")).toContain(card);
  expect(await page.getAttribute('fluent-button[data-action="acknowledge"]', "title")).not.toContain("知会");
  expect(await act(page, "acknowledge")).toMatch(/^已阅 \d{6}-\d{3}/);
  await view(page, "mine");
  expect(await page.$(notice)).toBeNull();
  expect(await layoutProblems(page)).toEqual([]);
  await page.close();
});

test("chase: the 催办 is at the top of the chased person's My work, in both languages", async () => {
  for (const lang of ["zh", "en"] as const) {
    const page = await open(`lang=${lang}&now=2026-11-02T10:00`);
    const card = await issue(page, `催办测试 ${lang}`, lang);
    await drive(page, "assign", lang);
    await as(page, "林静");
    await openMore(page);
    await page.selectOption("#pd-chase-to", "刘洋");
    await page.fill("#pd-chase-text", "请今天提交需求单");
    expect(await act(page, "chase")).toMatch(done(lang));
    await as(page, "刘洋");
    await view(page, "mine");
    const first = await page.$eval("#pd-notices li:first-child", (li) => ({
      kind: li.getAttribute("data-kind"),
      card: li.getAttribute("data-card"),
      text: li.textContent ?? "",
    }));
    expect(first).toEqual({ kind: "chase", card, text: expect.stringContaining(lang === "zh" ? "催办" : "Chased") });
    expect(first.text).toContain("请今天提交需求单");
    // Above the list of cards.
    const above = await page.evaluate(() => {
      const n = document.querySelector("#pd-notices")!.getBoundingClientRect();
      const l = document.querySelector("#pd-mine")!.getBoundingClientRect();
      return n.bottom <= l.top + 1;
    });
    expect(above).toBe(true);
    expect(await layoutProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `mine-chase-${lang}.png`), fullPage: true });
    await page.close();
  }
});

test("withdraw: whoever did the last step takes it back; the cells it wrote are put back", async () => {
  const page = await open();
  const card = await issue(page, "撤销测试");
  await drive(page, "assign");
  expect(await registerValue(page, card, "项目负责人")).toBe("刘洋");
  // Someone else may not: it is not offered to them at all.
  await as(page, "赵敏");
  expect(await page.locator('fluent-button[data-action="withdraw"]').count()).toBe(0);
  expect(await page.locator("#pd-actions fluent-button[disabled]").count()).toBe(0);
  await as(page, "王磊");
  expect(await act(page, "withdraw")).toMatch(/^已撤销 \d{6}-\d{3} 的上一步/);
  expect(await stage(page)).toBe("工单下单");
  expect(await registerValue(page, card, "项目负责人")).toBeNull();
  expect((await history(page)).some((t) => t.includes("已撤销"))).toBe(true);
  await page.screenshot({ path: path.join(SHOTS, "card-withdraw-zh.png"), fullPage: true });
  await page.close();
});

test("Check this Excel: every path passes in the workbench; the result can be copied", async () => {
  for (const lang of ["zh", "en"] as const) {
    const page = await open(`lang=${lang}&now=2026-11-02T10:00&view=settings`);
    await as(page, "刘洋");
    await view(page, "settings");
    await page.click("#pd-selftest");
    await idle(page);
    const steps = await page.$$eval("#pd-selftest-report li", (lis) =>
      lis.map((li) => `${li.getAttribute("data-status")} ${li.textContent}`),
    );
    expect(steps.length).toBeGreaterThan(5);
    expect(steps.filter((s) => !s.startsWith("pass"))).toEqual([]);
    await page.click("#pd-selftest-copy");
    await idle(page);
    const copied = await page.evaluate(() => (window as unknown as { copied?: string }).copied ?? "");
    expect(copied).toContain(lang === "zh" ? "失败 0" : "0 failed");
    expect(await layoutProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `settings-selftest-${lang}.png`), fullPage: true });
    await page.close();
  }
});

test("Add deadline columns: only the secretary, a manager or the director; then the sheet view shows D1 应完成 / D1 超时, a late card's cell red", async () => {
  const page = await open(`${Q}&view=settings`);
  await as(page, "刘洋");
  await view(page, "settings");
  expect(await page.getAttribute("#pd-deadline-columns", "disabled")).not.toBeNull();
  await as(page, "林静");
  await page.click("#pd-deadline-columns");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("已添加时限列");
  await page.evaluate(() => (window as unknown as { workbench: { recalculate(): boolean } }).workbench.recalculate());
  await page.waitForTimeout(100);
  const sheet = await page.evaluate(
    () =>
      (
        window as unknown as { workbench: { excel: { state: { table(n: string): { sheet: { name: string } } } } } }
      ).workbench.excel.state.table("Register").sheet.name,
  );
  await page.click(`.wb-tabs button[data-sheet="${sheet}"]`);
  const seen = await page.evaluate((s) => {
    const table = document.querySelector(`table.wb-grid[data-sheet="${s}"]`)!;
    const header = table.querySelector("tbody tr.wb-header")!;
    const heads = [...header.querySelectorAll("td")].map((td) => td.textContent ?? "");
    const due = heads.indexOf("D1 应完成");
    const late = heads.indexOf("D1 超时");
    const rows = [...table.querySelectorAll("tbody tr")].filter((tr) => tr !== header && tr.querySelectorAll("td")[late]);
    const cells = rows.map((tr) => {
      const tds = tr.querySelectorAll("td");
      return { due: tds[due]?.textContent ?? "", late: tds[late]?.textContent ?? "", fill: tds[late]?.getAttribute("data-fill") ?? "" };
    });
    return { due, late, cells };
  }, sheet);
  expect(seen.due).toBeGreaterThan(0);
  expect(seen.late).toBe(seen.due + 1);
  expect(seen.cells.some((c) => /^2026-\d\d-\d\d \d\d:\d\d/.test(c.due))).toBe(true);
  expect(seen.cells.some((c) => c.due === "#FORMULA" || c.late === "#FORMULA")).toBe(false);
  const lateOnes = seen.cells.filter((c) => Number(c.late) > 0);
  expect(lateOnes.length).toBeGreaterThan(0);
  expect(lateOnes.every((c) => c.fill !== "")).toBe(true);
  expect(seen.cells.filter((c) => c.late === "0").every((c) => c.fill === "" || c.fill !== lateOnes[0].fill)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 900 });
  // The generated columns are at the Register's right end: show them.
  await page.evaluate(() => document.querySelectorAll(".wb-grid-wrap, #sheets").forEach((el) => (el.scrollLeft = el.scrollWidth)));
  await page.screenshot({ path: path.join(SHOTS, "sheet-deadline-columns-zh.png") });
  await page.close();
});
