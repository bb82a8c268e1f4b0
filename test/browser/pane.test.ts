/**
 * Issue 11 (first part): the pane as the secretary, a planner, an AE and the director use it,
 * at the pane's 320 px, in real Chromium over the workbench. Screenshots of every view in both
 * languages go to test-artifacts/screenshots/.
 */
import path from "path";
import type { Page } from "playwright-core";
import { ARTIFACTS, useWorkbench } from "./harness";
import {
  as,
  cellOf,
  coWrite,
  idle,
  inView,
  layoutProblems,
  logRows,
  openCard,
  openPage,
  problemCount,
  registerValue,
  unlabelled,
  view,
} from "./pane-helpers";

jest.setTimeout(180_000);

const env = useWorkbench(600_000);
const SHOTS = path.join(ARTIFACTS, "screenshots");
const Q = "lang=zh&now=2026-11-02T10:00";

const open = (query = Q, opts: { locale?: string; height?: number } = {}) => openPage(env.browser, env.url, query, opts);
/** The pane, whole (it scrolls with the page at 320 px; the workbench's sheets below it are left out). */
const shot = (page: Page, name: string) => page.locator("#pane").screenshot({ path: path.join(SHOTS, `${name}.png`) });
const msg = async (page: Page) => ((await page.textContent(".pd-msg")) ?? "").trim();
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

/** The secretary issues a card from the New request form; returns its number. */
async function issue(
  page: Page,
  f: { project: string; ae?: string; deliverable?: string; received?: string; client?: string },
): Promise<string> {
  await as(page, "林静");
  await view(page, "new");
  await page.fill("#pd-new-project", f.project);
  if (f.client) await page.fill("#pd-new-client", f.client);
  if (f.deliverable) await page.selectOption("#pd-new-deliverable", f.deliverable);
  await page.selectOption("#pd-new-ae", f.ae ?? "张伟");
  if (f.received) await page.fill("#pd-new-received", f.received);
  await page.click("#pd-issue");
  await idle(page);
  const text = await msg(page);
  const no = /(\d{6}-\d{3})/.exec(text)?.[1];
  if (!text.startsWith(`已开卡 ${no}`) || !no) throw new Error(`not issued: ${text}`);
  return no;
}

async function doAction(page: Page, who: string, cardNo: string, action: string, fill?: () => Promise<void>): Promise<string> {
  await as(page, who);
  await openCard(page, cardNo);
  if (fill) await fill();
  await page.click(`fluent-button[data-action="${action}"]`);
  await idle(page);
  return msg(page);
}

test("every view at 320 px in both languages: nothing overflows or wraps a character per line, every control has a label, no option says '—'", async () => {
  for (const lang of ["zh", "en"] as const) {
    const page = await open(`lang=${lang}&now=2026-11-02T10:00`);
    const check = async (where: string) => {
      expect([where, await layoutProblems(page)]).toEqual([where, []]);
      expect([where, await unlabelled(page)]).toEqual([where, []]);
      await shot(page, `${where}-${lang}`);
    };
    await check("i-am");
    await as(page, "刘洋");
    await check("my-work");
    await as(page, "陈刚");
    await view(page, "all");
    await check("overview");
    await openCard(page, "202610-024");
    await check("card");
    await as(page, "林静");
    await view(page, "new");
    await check("new-request");
    await view(page, "month");
    await page.click("#pd-preview");
    await idle(page);
    expect(await page.locator("#pd-penalties").count()).toBe(1);
    await check("month-end");
    await view(page, "problems");
    await page.click("#pd-verify");
    await idle(page);
    await check("problems");
    await view(page, "settings");
    await check("settings");
    await page.close();
  }
});

test("a card with a bad cell stays in All cards and My work, flagged with the cell to fix; only what needs that cell is left out", async () => {
  const page = await open();
  const cell = await cellOf(page, "202610-024", "回复客户");
  await coWrite(page, "项目登记", cell, "10月16日上午");
  await as(page, "刘洋");
  const mine = page.locator('#pd-mine button.pd-card-row[data-card="202610-024"]');
  expect(await mine.count()).toBe(1);
  expect(await mine.textContent()).toContain(`项目登记!${cell}`);
  await view(page, "all");
  await page.fill("#pd-filter-text", "202610-024");
  await page.press("#pd-filter-text", "Enter");
  await idle(page);
  const row = page.locator('#pd-all button.pd-card-row[data-card="202610-024"]');
  expect(await row.count()).toBe(1);
  expect(await row.textContent()).toContain(`项目登记!${cell}`);
  await row.click();
  await idle(page);
  expect(await page.textContent("#pd-card-h")).toContain("202610-024");
  expect(await page.textContent("#pd-card-problems")).toContain(`项目登记!${cell}：回复客户的值 "10月16日上午" 不是日期`);
  // D1 needs the reply's time: left out; the framework and the draft (from Assigned and Due) are still computed.
  expect(await page.locator('#pd-timeline [data-deadline="D1"]').count()).toBe(0);
  expect(await page.locator('#pd-timeline [data-deadline="D5"]').count()).toBe(1);
  const enabled = await page.locator("fluent-button[data-action]:not([disabled])").count();
  expect(enabled).toBe(0);
  expect(await page.textContent("#pd-actions")).toContain(`项目登记!${cell}`);
  await shot(page, "bad-cell-zh");
  await page.close();
});

test("validate before writing: a request received in 2027 is issued with the calendar warning, and nothing written becomes a problem", async () => {
  const page = await open("lang=zh&now=2027-01-05T10:00");
  const before = await problemCount(page);
  const card = await issue(page, { project: "二〇二七年的需求", received: "2027-01-05 09:00" });
  expect(await msg(page)).toContain("2027 年尚无官方节假日安排");
  expect(card).toBe("202701-001");
  expect(await problemCount(page)).toBe(before);
  await shot(page, "issue-2027-zh");
  await page.close();
});

test("validate before writing: a Due before the request arrived is refused with the reason; a reply needs a Due; nothing is written", async () => {
  const page = await open();
  const card = await issue(page, { project: "先后顺序" });
  const before = await problemCount(page);
  // Someone corrects Received to a later moment; the AE then agrees a Due before it.
  await coWrite(page, "项目登记", await cellOf(page, card, "需求接收"), "2026-11-20 09:00");
  await as(page, "张伟");
  await openCard(page, card);
  await page.fill("#pd-reply-due", "");
  await page.click('fluent-button[data-action="reply"]');
  await idle(page);
  expect(await page.getAttribute(".pd-msg", "role")).toBe("alert");
  expect(await msg(page)).toContain("请填写与客户约定的交稿时间");
  // Beside the Due field (the form knows it feeds 交稿时间), which takes the focus; not under the button.
  expect(await page.getAttribute(".pd-msg", "id")).toBe("pd-reply-due-error");
  expect(await focused(page)).toBe("pd-reply-due");
  await page.fill("#pd-reply-due", "2026-11-10 18:00");
  await page.click('fluent-button[data-action="reply"]');
  await idle(page);
  const text = await msg(page);
  expect(text).toContain("交稿时间（2026-11-10 18:00）早于需求接收（2026-11-20 09:00）");
  expect(text).toContain(`项目登记!${await cellOf(page, card, "交稿时间")}`);
  expect(await page.getAttribute(".pd-msg", "id")).toBe("pd-reply-due-error");
  expect(await page.getAttribute("#pd-reply-due", "aria-invalid")).toBe("true");
  expect(await page.getAttribute("#pd-reply-due", "aria-describedby")).toContain("pd-reply-due-error");
  expect(await focused(page)).toBe("pd-reply-due");
  // What was typed stays.
  expect(await page.inputValue("#pd-reply-due")).toBe("2026-11-10 18:00");
  expect(["", null]).toContain(await registerValue(page, card, "回复客户"));
  expect(["", null]).toContain(await registerValue(page, card, "交稿时间"));
  expect(await problemCount(page)).toBe(before);
  await shot(page, "due-refused-zh");
  await page.close();
});

test("a new request received later than now is refused beside 需求接收, which takes the focus, naming its cell", async () => {
  const page = await open();
  await as(page, "林静");
  await view(page, "new");
  await page.fill("#pd-new-project", "未来的需求");
  await page.fill("#pd-new-received", "2026-11-03 10:00");
  await page.click("#pd-issue");
  await idle(page);
  const text = await msg(page);
  expect(text).toContain("需求接收时间（2026-11-03 10:00）晚于现在（2026-11-02 10:00）");
  expect(text).toMatch(/^项目登记![A-Z]+\d+：/);
  expect(await page.getAttribute(".pd-msg", "id")).toBe("pd-new-received-error");
  expect(await focused(page)).toBe("pd-new-received");
  expect(await page.inputValue("#pd-new-received")).toBe("2026-11-03 10:00");
  await page.close();
});

test("the Due is proposed from the deliverable's standard turnaround; a shorter one is marked urgent", async () => {
  const page = await open();
  const card = await issue(page, { project: "排期", deliverable: "媒介排期", received: "2026-11-02 10:00" });
  await as(page, "张伟");
  await openCard(page, card);
  // 媒介排期: 3 business days from the request.
  expect(await page.inputValue("#pd-reply-due")).toBe("2026-11-05 10:00");
  expect(await page.textContent("#pd-reply-due-hint")).toContain("媒介排期 标准 3 个工作日");
  await page.fill("#pd-reply-due", "2026-11-03 18:00");
  await page.dispatchEvent("#pd-reply-due", "change");
  expect(await page.textContent("#pd-reply-due-hint")).toContain("加急");
  await page.click('fluent-button[data-action="reply"]');
  await idle(page);
  expect(await msg(page)).toContain("加急");
  expect(await page.textContent("#pd-card-facts")).toContain("2026-11-03 18:00 加急");
  await shot(page, "due-proposed-zh");
  await page.close();
});

test("forms keep what was typed when refused; actions I may not take are not offered", async () => {
  const page = await open();
  await as(page, "林静");
  await view(page, "new");
  await page.fill("#pd-new-client", "青禾乳业");
  await page.selectOption("#pd-new-ae", "李娜");
  await page.fill("#pd-new-received", "2026-11-02 09:30");
  await page.click("#pd-issue");
  await idle(page);
  expect(await msg(page)).toContain("请填写项目名称");
  expect(await page.inputValue("#pd-new-client")).toBe("青禾乳业");
  expect(await page.inputValue("#pd-new-ae")).toBe("李娜");
  expect(await page.inputValue("#pd-new-received")).toBe("2026-11-02 09:30");
  const card = await issue(page, { project: "禁用测试" });
  await as(page, "刘洋");
  await openCard(page, card);
  // Not mine: not listed, greyed out or not; one line says whom the card waits for.
  expect(await page.locator("#pd-assign-lead").count()).toBe(0);
  expect(await page.locator("#pd-assign-reviewer").count()).toBe(0);
  expect(await page.locator("#pd-actions fluent-button[disabled]").count()).toBe(0);
  expect(await page.textContent("#pd-waiting")).toContain("王磊");
  await as(page, "王磊");
  expect(await page.locator("#pd-assign-lead").isDisabled()).toBe(false);
  await page.close();
});

test("busy and done: the button shows it is working and can't be pressed twice; the result says which cells and log row; focus and result stay in view", async () => {
  const page = await open();
  const card = await issue(page, { project: "忙碌测试" });
  const rowsBefore = await logRows(page);
  await as(page, "王磊");
  await openCard(page, card);
  await page.selectOption("#pd-assign-lead", "刘洋");
  // The write waits until the test lets it go.
  await page.evaluate(() => {
    const w = window as any;
    w.workbench.beforeNextWrite(() => new Promise<void>((r) => (w.release = r)));
  });
  await page.click('fluent-button[data-action="assign"]');
  const button = page.locator('fluent-button[data-action="assign"]');
  await page.waitForFunction(() => !!(window as any).release);
  expect(await button.getAttribute("aria-busy")).toBe("true");
  expect(await button.getAttribute("disabled")).not.toBeNull();
  expect(await button.textContent()).toContain("正在");
  await page.evaluate(() => (document.querySelector('fluent-button[data-action="assign"]') as HTMLElement).click());
  await page.evaluate(() => (window as any).release());
  await idle(page);
  expect(await logRows(page)).toBe(rowsBefore + 1);
  const text = await msg(page);
  // What happened, and whom the card waits for now, in words; the cells behind 详情.
  expect(await page.textContent(".pd-msg > p")).toBe(`已指派 刘洋 负责 ${card}，等待 张伟 回复客户；刘洋 提交需求单`);
  expect(await page.getAttribute(".pd-msg details", "open")).toBeNull();
  expect(await page.textContent(".pd-msg details")).toContain(`项目登记!${await cellOf(page, card, "项目负责人")}`);
  expect(text).toContain(`项目登记!${await cellOf(page, card, "项目负责人")}`);
  expect(text).toContain(`项目登记!${await cellOf(page, card, "指派")}`);
  expect(text).toContain(`会签记录!A${rowsBefore + 2}`);
  expect(await inView(page, ".pd-msg")).toBe(true);
  const focused = await page.evaluate(() => {
    const a = document.activeElement;
    return a && a !== document.body && !!a.closest(".pd") ? a.tagName.toLowerCase() : "";
  });
  expect(focused).not.toBe("");
  await shot(page, "action-done-zh");
  await page.close();
});

test("My work: by urgency, with the due time, 今天到期 and 已超时 N 个工作日 M 小时 (no decimals), and backup items marked 代", async () => {
  const page = await open();
  const card = await issue(page, { project: "今天回复", ae: "张伟", received: "2026-11-02 10:00" });
  await as(page, "张伟");
  await view(page, "mine");
  const item = page.locator(`#pd-mine button.pd-card-row[data-card="${card}"]`);
  expect(await item.textContent()).toContain("今天到期");
  expect(await item.textContent()).toContain("2026-11-02 15:15");
  await as(page, "刘洋");
  // Rows with a cell to fix first, then what waits on me (a signature, a review), then my own steps, then my deadlines in others' hands, then a colleague's steps I back up; each by urgency.
  const rows = await page.$$eval("#pd-mine > li.pd-row", (lis) =>
    lis.map((li) => [li.getAttribute("data-kind") ?? "", li.querySelector("button.pd-card-row")?.getAttribute("data-urgency") ?? ""]),
  );
  const rank = { late: 0, today: 1, soon: 2, later: 3, none: 4 } as Record<string, number>;
  const kind = { fix: 0, approve: 1, do: 2, watch: 3, backup: 4 } as Record<string, number>;
  expect(rows.length).toBeGreaterThan(0);
  const keys = rows.map(([k, u]) => kind[k] * 10 + rank[u]);
  expect(keys).toEqual([...keys].sort((a, b) => a - b));
  await shot(page, "my-work-planner-zh");
  // 周婷 backs 刘洋 up: his work shows in hers, marked; her late framework says how late.
  await as(page, "周婷");
  expect(await page.textContent('#pd-mine button.pd-card-row[data-urgency="late"] >> nth=0')).toMatch(
    /已超时 (\d+ 个工作日( \d+ 小时)?|(\d+ 小时 )?\d+ 分|\d+ 小时)(?![\d.])/,
  );
  expect(await page.textContent("#pd-mine")).toContain("代 刘洋");
  await page.close();
});

test("Overview for leaders: late first with the responsible person and the deadline; filters late / due today / this week / by person; counts per stage", async () => {
  const page = await open();
  await issue(page, { project: "今日到期", ae: "李娜", received: "2026-11-02 10:00" });
  await as(page, "陈刚");
  await view(page, "all");
  const first = page.locator("#pd-all button.pd-card-row >> nth=0");
  expect(await first.getAttribute("data-urgency")).toBe("late");
  expect(((await first.locator(".pd-person").textContent()) ?? "").trim()).not.toBe("");
  expect(await first.locator(".pd-deadline").textContent()).toMatch(/D\d/);
  const urg = () => page.$$eval("#pd-all button.pd-card-row", (els) => els.map((e) => e.getAttribute("data-urgency")));
  await page.selectOption("#pd-filter-due", "late");
  await idle(page);
  expect(new Set(await urg())).toEqual(new Set(["late"]));
  await page.selectOption("#pd-filter-due", "today");
  await idle(page);
  expect(await urg()).toContain("today");
  expect(new Set(await urg())).toEqual(new Set(["today"]));
  await page.selectOption("#pd-filter-due", "week");
  await idle(page);
  expect((await urg()).every((u) => u === "today" || u === "soon")).toBe(true);
  await page.selectOption("#pd-filter-due", "");
  await page.selectOption("#pd-filter-person", "刘洋");
  await idle(page);
  const people = await page.$$eval("#pd-all button.pd-card-row", (els) => els.map((e) => e.textContent ?? ""));
  expect(people.length).toBeGreaterThan(0);
  expect(people.every((t) => t.includes("刘洋"))).toBe(true);
  const counts = (await page.textContent("#pd-stage-counts")) ?? "";
  expect(counts).toMatch(/方案撰写\s*\d+/);
  expect(counts).toMatch(/归档\s*\d+/);
  await shot(page, "overview-filtered-zh");
  await page.close();
});

test("the secretary's My work has the countersign to chase, far past D3", async () => {
  const page = await open();
  const card = await issue(page, { project: "会签卡住了" });
  await doAction(page, "王磊", card, "assign", async () => void (await page.selectOption("#pd-assign-lead", "刘洋")));
  await doAction(page, "刘洋", card, "brief");
  // The card's dates as if it had been waiting since October.
  await coWrite(page, "项目登记", await cellOf(page, card, "需求接收"), "2026-10-09 09:00");
  await coWrite(page, "项目登记", await cellOf(page, card, "指派"), "2026-10-09 09:30");
  await coWrite(page, "项目登记", await cellOf(page, card, "需求单"), "2026-10-12 10:00");
  await as(page, "林静");
  await view(page, "mine");
  const item = page.locator(`#pd-mine button.pd-card-row[data-card="${card}"]`);
  expect(await item.count()).toBe(1);
  const text = (await item.textContent()) ?? "";
  expect(text).toContain("D3");
  expect(text).toMatch(/已超时 1\d 个工作日( \d 小时)?(?![\d.])/);
  expect(text).toContain("刘洋");
  await shot(page, "my-work-secretary-zh");
  await page.close();
});

test("dates as Excel shows them, without seconds; date inputs that do not follow the browser's locale", async () => {
  const page = await open("lang=en&now=2026-11-02T10:00", { locale: "en-US" });
  // A co-author types a Due with seconds.
  await coWrite(page, "Register", await cellOf(page, "202610-024", "Due"), 46337.51234);
  await page.selectOption("#pd-me", "刘洋");
  await openCard(page, "202610-024");
  const all = (await page.textContent(".pd")) ?? "";
  expect(all).not.toMatch(/\d\d:\d\d:\d\d/);
  expect(await page.textContent("#pd-card-facts")).toContain("2026-11-11 12:17");
  await page.selectOption("#pd-me", "林静");
  await view(page, "new");
  const received = page.locator("#pd-new-received");
  expect(await received.getAttribute("type")).toBe("text");
  expect(await received.inputValue()).toBe("2026-11-02 10:00");
  expect(await received.getAttribute("pattern")).toBeTruthy();
  expect(await page.locator("#pd-new-received-pick").count()).toBe(1);
  await view(page, "month");
  expect(await page.locator("#pd-month").evaluate((e) => e.tagName)).toBe("SELECT");
  expect(await page.inputValue("#pd-month")).toBe("2026-10");
  await page.close();
});

test("month end: only the secretary or the director writes it; writing over a written month asks first and says what will change", async () => {
  const page = await open();
  await as(page, "刘洋");
  await view(page, "month");
  await page.click("#pd-preview");
  await idle(page);
  expect(await page.locator("#pd-penalties").count()).toBe(1);
  expect(await page.locator("#pd-write-month").getAttribute("disabled")).not.toBeNull();
  expect(await page.textContent("#pd-month-who")).toContain("只有秘书或总监");
  await as(page, "林静");
  await page.click("#pd-write-month");
  await idle(page);
  expect(await msg(page)).toContain("已写入 2026-10");
  const penalties = () =>
    page.evaluate(() => {
      const t = (window as any).workbench.excel.state.table("Penalties");
      return t.bottom - t.top;
    });
  const n = await penalties();
  // A second click never asks to overwrite what the first click just wrote.
  await page.click("#pd-write-month");
  await idle(page);
  expect(await page.locator("#pd-month-confirm").count()).toBe(0);
  expect(await msg(page)).toContain("已写入 2026-10");
  expect(await penalties()).toBe(n);
  // Back later: the month was written before, so it asks first.
  await view(page, "mine");
  await view(page, "month");
  await page.click("#pd-preview");
  await idle(page);
  await page.click("#pd-write-month");
  await idle(page);
  const ask = (await page.textContent("#pd-month-confirm")) ?? "";
  expect(ask).toContain("2026-10 已写入过");
  expect(ask).toContain(`替换扣分表中该月由规则生成的 ${n} 行（手工录入的 0 行保留），写入 ${n} 行`);
  expect(ask).toContain("重新生成工作表“KPI 2026-10”");
  await shot(page, "month-overwrite-ask-zh");
  await page.click("#pd-month-cancel");
  await idle(page);
  expect(await page.locator("#pd-month-confirm").count()).toBe(0);
  expect(await penalties()).toBe(n);
  await page.click("#pd-write-month");
  await idle(page);
  await page.click("#pd-month-overwrite");
  await idle(page);
  expect(await msg(page)).toContain("已写入 2026-10");
  expect(await penalties()).toBe(n);
  await page.close();
});

test("需求发起人 defaults to the AE who received the request, not the secretary", async () => {
  const page = await open();
  await as(page, "林静");
  await view(page, "new");
  await page.selectOption("#pd-new-ae", "李娜");
  await idle(page);
  expect(await page.inputValue("#pd-new-initiator")).toBe("李娜");
  await page.fill("#pd-new-project", "发起人默认");
  await page.click("#pd-issue");
  await idle(page);
  const card = /(\d{6}-\d{3})/.exec(await msg(page))![1];
  expect(await registerValue(page, card, "需求发起人")).toBe("李娜");
  await page.close();
});
