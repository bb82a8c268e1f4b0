/**
 * The workbench in real Chromium: the task pane over the in-memory Excel, driven by clicks.
 * Screenshots of the main views are kept in test-artifacts/screenshots/.
 */
import fs from "fs";
import path from "path";
import type { Page } from "playwright-core";
import { ARTIFACTS, useWorkbench } from "./harness";
import { DONE } from "./pane-helpers";
import { ActionId, logWord } from "../../src/core/workflow/words";

jest.setTimeout(120_000);

const env = useWorkbench(300_000);
const SHOTS = path.join(ARTIFACTS, "screenshots");

async function open(query = "lang=zh&now=2026-11-02T10:00"): Promise<Page> {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${env.url}/workbench.html?${query}`);
  await page.waitForSelector("body[data-ready='1']", { timeout: 30_000 });
  expect(errors).toEqual([]);
  return page;
}

const idle = (page: Page) => page.evaluate(() => (window as unknown as { workbench: { idle(): Promise<void> } }).workbench.idle());

async function as(page: Page, name: string): Promise<void> {
  await page.selectOption("#pd-me", name);
}

async function act(page: Page, action: string): Promise<string> {
  await page.click(`fluent-button[data-action="${action}"]`);
  await idle(page);
  return (await page.textContent(".pd-msg")) ?? "";
}

/** The secretary issues a card for a new request with only its project filled in. */
async function issue(page: Page, project: string): Promise<void> {
  await as(page, "林静");
  await page.click('fluent-button[data-view="new"]');
  await page.fill("#pd-new-project", project);
  await page.selectOption("#pd-new-ae", "张伟");
  await page.click("#pd-issue");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toMatch(DONE.zh);
}

/** The row of `key` in the sheet view of `sheet`, as header → shown text. */
async function sheetRow(
  page: Page,
  sheet: string,
  match: (row: Record<string, string>) => boolean | string,
  last = false,
): Promise<Record<string, string> | undefined> {
  await page.click(`.wb-tabs button[data-sheet="${sheet}"]`);
  const rows = await page.evaluate((s) => {
    const table = document.querySelector(`table.wb-grid[data-sheet="${s}"]`)!;
    const trs = [...table.querySelectorAll("tbody tr")];
    const headers = [...trs[0].querySelectorAll("td")].map((td) => td.textContent ?? "");
    return trs.slice(1).map((tr) => Object.fromEntries([...tr.querySelectorAll("td")].map((td, i) => [headers[i], td.textContent ?? ""])));
  }, sheet);
  const hits = rows.filter((r) => r[Object.keys(r)[0]] !== "" && match(r));
  return last ? hits[hits.length - 1] : hits[0];
}

test("a card from request to archive through clicks only; the Register and the log after each step", async () => {
  const page = await open();
  await as(page, "林静");
  await page.click('fluent-button[data-view="new"]');
  await page.screenshot({ path: path.join(SHOTS, "new-request-zh.png") });
  await page.fill("#pd-new-project", "青禾乳业新品发布");
  await page.fill("#pd-new-client", "青禾乳业");
  await page.selectOption("#pd-new-initiator", "张伟");
  await page.selectOption("#pd-new-ae", "张伟");
  await page.check("#pd-new-key");
  await page.click("#pd-issue");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("已开卡 202611-001：青禾乳业新品发布");
  const card = "202611-001";
  const reg = () => sheetRow(page, "项目登记", (r) => r["卡号"] === card);
  expect(await reg()).toMatchObject({ 卡号: card, 项目名称: "青禾乳业新品发布", 重点项目: "是", 阶段: "工单下单" });

  const steps: [string, string, string, (() => Promise<void>)?][] = [
    ["王磊", "assign", "工单下单", async () => void (await page.selectOption("#pd-assign-lead", "刘洋"))],
    ["张伟", "reply", "工单下单", async () => void (await page.fill("#pd-reply-due", "2026-11-12 18:00"))],
    ["刘洋", "brief", "工单会签"],
    ["刘洋", "sign", "工单会签"],
    ["赵敏", "sign", "工单会签"],
    ["陈刚", "sign", "需求沟通"],
    ["刘洋", "startWriting", "方案撰写"],
    ["刘洋", "framework", "方案撰写"],
    ["刘洋", "draft", "方案审核"],
    ["王磊", "review", "方案审核"],
    ["陈刚", "directorReview", "方案审核"],
    ["刘洋", "send", "方案发送"],
    ["刘洋", "close", "结束"],
    ["林静", "archive", "归档"],
  ];
  for (const [who, action, stage, fill] of steps) {
    await as(page, who);
    if (fill) await fill();
    const msg = await act(page, action);
    expect([action, msg]).toEqual([action, expect.stringMatching(DONE.zh)]);
    expect([action, (await reg())?.["阶段"]]).toEqual([action, stage]);
    const log = await sheetRow(page, "会签记录", (r) => r["卡号"] === card, true);
    // The log speaks the workbook's language.
    expect([action, log?.["操作"], log?.["操作人"]]).toEqual([action, logWord(action as ActionId, "zh"), who]);
    if (action === "sign") await page.screenshot({ path: path.join(SHOTS, "card-countersign-zh.png") });
  }
  const row = (await reg())!;
  expect(row["交稿时间"]).toBe("2026-11-12 18:00");
  for (const col of ["回复客户", "指派", "需求单", "会签完成", "框架", "初稿", "经理审核", "总监审核", "发送客户", "结束", "归档"])
    expect([col, row[col]]).toEqual([col, expect.stringMatching(/^2026-11-02 \d\d:\d\d$/)]);
  await page.screenshot({ path: path.join(SHOTS, "card-archived-zh.png") });
  // The log's chain is intact after all of it.
  await page.click('fluent-button[data-view="problems"]');
  await page.click("#pd-verify");
  expect(await page.textContent("#pd-chain-report")).toContain("会签记录完整");
  await page.close();
});

test("sending before the review is not offered: the card says it waits for the review, and by whom", async () => {
  const page = await open();
  await issue(page, "提前发送测试");
  for (const [who, action] of [
    ["王磊", "assign"],
    ["刘洋", "brief"],
    ["刘洋", "sign"],
    ["王磊", "sign"],
    ["陈刚", "sign"],
    ["刘洋", "framework"],
    ["刘洋", "draft"],
  ]) {
    await as(page, who);
    if (action === "assign") await page.selectOption("#pd-assign-lead", "刘洋");
    expect(await act(page, action)).toMatch(DONE.zh);
  }
  await as(page, "刘洋");
  // Not offered before the review: the card says it waits for the review, and by whom.
  expect(await page.locator('fluent-button[data-action="send"]').count()).toBe(0);
  expect(await page.locator("#pd-actions fluent-button[disabled]").count()).toBe(0);
  expect(await page.textContent("#pd-waiting")).toMatch(/^等待 王磊或赵敏 审核通过/);
  await page.screenshot({ path: path.join(SHOTS, "send-refused-zh.png") });
  await page.close();
});

test("a co-author's change arriving mid-action is refused and nothing is written", async () => {
  const page = await open();
  await issue(page, "协作冲突测试");
  const before = await page.evaluate(() => (window as any).workbench.excel.state.table("CountersignLog").bottom);
  await as(page, "王磊");
  await page.selectOption("#pd-assign-lead", "周婷");
  // Between the action's read and its write, a co-author changes this card's lead.
  await page.evaluate(async () => {
    const wb = (window as any).workbench;
    const reg = wb.excel.state.table("Register");
    const row = reg.bottom + 1; // 1-based row of the last card
    wb.beforeNextWrite(() => wb.coauthorWrite(reg.sheet.name, `I${row}`, "吴昊"));
  });
  const msg = await act(page, "assign");
  expect(msg).toContain("本次操作已撤回");
  const row = await sheetRow(page, "项目登记", (r) => r["项目名称"] === "协作冲突测试");
  expect(row).toMatchObject({ 项目负责人: "吴昊", 指派: "", 阶段: "工单下单" });
  expect(await page.evaluate(() => (window as any).workbench.excel.state.table("CountersignLog").bottom)).toBe(before);
  await page.screenshot({ path: path.join(SHOTS, "coauthor-refused-zh.png") });
  await page.close();
});

test("a bad date typed into the Register is shown as a problem with its cell address", async () => {
  const page = await open();
  await page.fill("#wb-co-sheet", "项目登记");
  await page.fill("#wb-co-cell", "M5");
  await page.fill("#wb-co-value", "十月五号");
  await page.click("#wb-co-write");
  await page.waitForFunction(() => document.querySelector('fluent-button[data-view="problems"]')?.textContent?.includes("("));
  await page.click('fluent-button[data-view="problems"]');
  expect(await page.textContent("#pd-findings")).toContain('项目登记!M5：回复客户的值 "十月五号" 不是日期');
  await page.screenshot({ path: path.join(SHOTS, "problems-zh.png") });
  await page.close();
});

test("the pane in English and in Chinese; month end preview and write", async () => {
  const page = await open("lang=en&now=2026-11-02T10:00");
  expect(await page.textContent(".pd-nav")).toContain("My work");
  await as(page, "张伟");
  await page.screenshot({ path: path.join(SHOTS, "my-work-en.png") });
  await page.click('fluent-button[data-view="all"]');
  await page.screenshot({ path: path.join(SHOTS, "all-cards-en.png") });
  await page.click("button.pd-card-row");
  expect(await page.textContent("#pd-timeline")).toContain("D1 Reply to the client with the time point");
  await page.screenshot({ path: path.join(SHOTS, "card-en.png") });
  await page.click('fluent-button[data-view="month"]');
  expect(await page.inputValue("#pd-month")).toBe("2026-10");
  await page.click("#pd-preview");
  await idle(page);
  expect(await page.textContent("#pd-penalties")).toContain("4 times (more than 3)");
  // Anyone previews; the secretary (or the director) writes.
  await as(page, "林静");
  await page.click("#pd-write-month");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("Written 2026-10");
  await page.screenshot({ path: path.join(SHOTS, "month-end-en.png") });
  expect(await page.locator('.wb-tabs button[data-sheet="KPI 2026-10"]').count()).toBe(1);
  await page.click("#pd-lang");
  expect(await page.textContent(".pd-nav")).toContain("我的工作");
  await page.click('fluent-button[data-view="settings"]');
  await page.screenshot({ path: path.join(SHOTS, "settings-zh.png") });
  await page.click("#pd-names");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("已添加：DUE、WORKDAYS、OVERDUE、MILESTONE、ISWORKDAY");
  await page.close();
});

test("export to .xlsx and load it back: the same cards and log", async () => {
  const page = await open();
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#wb-export")]);
  const file = path.join(ARTIFACTS, "workbench-export.xlsx");
  await download.saveAs(file);
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  const count = () =>
    page.evaluate(() => {
      const t = (window as any).workbench.excel.state.table("Register");
      return t.bottom - t.top;
    });
  const cards = await count();
  await page.fill("#wb-co-sheet", "项目登记");
  await page.fill("#wb-co-cell", "B2");
  await page.fill("#wb-co-value", "改过的名字");
  await page.click("#wb-co-write");
  await page.setInputFiles("#wb-load", file);
  await page.waitForFunction(() => document.getElementById("wb-status")?.textContent?.startsWith("loaded"));
  await idle(page);
  expect(await count()).toBe(cards);
  expect((await sheetRow(page, "项目登记", (r) => r["卡号"] === "202609-001"))?.["项目名称"]).not.toBe("改过的名字");
  await page.click('fluent-button[data-view="problems"]');
  await page.click("#pd-verify");
  expect(await page.textContent("#pd-chain-report")).toContain("会签记录完整");
  await page.close();
});
