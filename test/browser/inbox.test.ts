/**
 * Issue 17 (UI) and issue 16's overflow: the pane people open fifty times a day, at 320 × 640.
 * Every click and fill of the key-project flow goes through one counting helper that first
 * checks its target is fully inside the screen (no scrolling to find a button).
 */
import path from "path";
import type { Page } from "playwright-core";
import { ARTIFACTS, useWorkbench } from "./harness";
import { as, idle, inView, layoutProblems, openPage, registerValue, view } from "./pane-helpers";

jest.setTimeout(300_000);

const env = useWorkbench(600_000);
const SHOTS = path.join(ARTIFACTS, "screenshots");
const shot = (page: Page, name: string) => page.locator("#pane").screenshot({ path: path.join(SHOTS, `${name}.png`) });
const PEOPLE = ["林静", "王磊", "赵敏", "陈刚", "张伟", "李娜", "刘洋", "周婷", "吴昊", "孙悦"];

/** Every click, fill, choice and tick of a person, counted; each target must be fully in the first screen when it is used. */
class Hands {
  count = 0;
  readonly trail: string[] = [];
  constructor(readonly page: Page) {}
  private async reach(selector: string): Promise<void> {
    this.count++;
    this.trail.push(selector);
    expect([selector, await inView(this.page, selector)]).toEqual([selector, true]);
  }
  async click(selector: string): Promise<void> {
    await this.reach(selector);
    await this.page.click(selector);
    await idle(this.page);
  }
  async fill(selector: string, value: string): Promise<void> {
    await this.reach(selector);
    await this.page.fill(selector, value);
  }
  async choose(selector: string, value: string): Promise<void> {
    await this.reach(selector);
    await this.page.selectOption(selector, value);
    await idle(this.page);
  }
  async tick(selector: string): Promise<void> {
    await this.reach(selector);
    await this.page.check(selector);
  }
  /** A person's own action on the open card, from 下一步. */
  act(action: string): Promise<void> {
    return this.click(`#pd-next fluent-button[data-action="${action}"]`);
  }
}

const msg = async (page: Page) => ((await page.textContent(".pd-msg")) ?? "").trim();
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

test("each active person's first item of 待我处理 opens on an enabled action of theirs, inside 320 × 640, in Chinese and English", async () => {
  for (const lang of ["zh", "en"] as const) {
    const page = await openPage(env.browser, env.url, `lang=${lang}&now=2026-11-02T10:00`);
    // Two new requests arrive (the secretary issues them): the leaders assign, the AEs reply.
    await as(page, "林静");
    for (const [project, ae] of [
      ["新需求甲", "张伟"],
      ["新需求乙", "李娜"],
    ]) {
      await view(page, "new");
      await page.fill("#pd-new-project", project);
      await page.selectOption("#pd-new-ae", ae);
      await page.click("#pd-issue");
      await idle(page);
    }
    for (const who of PEOPLE) {
      await as(page, who);
      await view(page, "mine");
      const first = page.locator("#pd-mine > li:first-child button.pd-card-row");
      expect([who, await first.count()]).toEqual([who, 1]);
      // The row's accessible name is its card number and project.
      const card = (await first.getAttribute("data-card")) ?? "";
      expect(await first.getAttribute("aria-label")).toMatch(new RegExp(`^${card} \\S`));
      await first.click();
      await idle(page);
      expect([who, await focused(page)]).toEqual([who, "pd-card-h"]);
      const mine = page.locator("#pd-next fluent-button[data-action]:not([disabled])");
      expect([who, card, await mine.count()]).toEqual([who, card, expect.any(Number)]);
      expect([who, card, (await mine.count()) > 0]).toEqual([who, card, true]);
      const action = await mine.first().getAttribute("data-action");
      expect([who, card, action, await inView(page, `#pd-next fluent-button[data-action="${action}"]`)]).toEqual([who, card, action, true]);
      expect([who, await layoutProblems(page)]).toEqual([who, []]);
      await shot(page, `first-todo-${who}-${lang}`);
      // Escape goes back to the list.
      await page.keyboard.press("Escape");
      await idle(page);
      expect(await page.locator("#pd-mine").count()).toBe(1);
    }
    await page.close();
  }
});

test("a key project from request to archive, with a send-back and a major revision, in at most 40 clicks, none of them a scroll", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00");
  const hands = new Hands(page);
  await hands.choose("#pd-me", "林静");
  await hands.click('fluent-button[data-view="new"]');
  await hands.fill("#pd-new-project", "青禾乳业新品发布");
  await hands.choose("#pd-new-ae", "张伟");
  await hands.tick("#pd-new-key");
  await hands.click("#pd-issue");
  const card = /(\d{6}-\d{3})/.exec(await msg(page))?.[1] ?? "";
  expect(card).toBe("202611-001");
  const stage = () => registerValue(page, card, "阶段");
  const step = async (who: string | undefined, action: string, then: string, fill?: () => Promise<void>) => {
    if (who) await hands.choose("#pd-me", who);
    if (fill) await fill();
    await hands.act(action);
    expect([action, await msg(page)]).toEqual([action, expect.stringContaining("已完成")]);
    expect([action, await stage()]).toEqual([action, then]);
    await shot(page, `flow-${hands.count}-${action}`);
  };
  await step("王磊", "assign", "工单下单", () => hands.choose("#pd-assign-lead", "刘洋"));
  await step("刘洋", "brief", "工单会签");
  await step(undefined, "sign", "工单会签");
  await step("王磊", "sign", "工单会签");
  await step("陈刚", "sign", "需求沟通");
  await step("刘洋", "startWriting", "方案撰写");
  await step(undefined, "framework", "方案撰写");
  await step(undefined, "draft", "方案审核");
  // The reviewer sends it back: 同意 and 退回 side by side over one opinion.
  await step("王磊", "sendBack", "方案撰写", () => hands.fill("#pd-review-opinion", "结构需调整"));
  await step("刘洋", "draft", "方案审核");
  await step("王磊", "review", "方案审核");
  await step("陈刚", "directorReview", "方案审核");
  await step("刘洋", "send", "方案发送");
  // Two hours later the client asks for a major change: the lead records it; the director reviews again.
  await page.evaluate(() => (window as unknown as { workbench: { advance(m: number): void } }).workbench.advance(120));
  await step(undefined, "revision", "方案审核", () => hands.tick("#pd-revision-major"));
  await step("陈刚", "directorReview", "方案审核");
  await step("刘洋", "send", "方案发送");
  await step(undefined, "close", "结束");
  await step("林静", "archive", "归档");
  expect([hands.count, hands.trail]).toEqual([expect.any(Number), hands.trail]);
  expect(hands.count).toBeLessThanOrEqual(40);
  // 记录: the timeline ends with the archive; the reviewer's reason for the send-back is recorded.
  await page.click("#pd-tab-log");
  expect(await page.textContent("#pd-steps")).toMatch(/退回修改 王磊 .*归档 林静/);
  expect(await page.textContent("#pd-panel-log")).toContain("结构需调整");
  expect(await page.textContent("#pd-steps-waiting")).toContain("已归档");
  await shot(page, "flow-timeline");
  await page.close();
});

test("a card opens on 下一步: what I cannot do is one waiting line, not a list of greyed-out buttons; the rest folds under 更多", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00");
  await as(page, "刘洋");
  await view(page, "mine");
  await page.click("#pd-mine > li:first-child button.pd-card-row");
  await idle(page);
  expect(await page.locator("#pd-actions fluent-button[disabled]").count()).toBe(0);
  expect(await page.locator("#pd-more-actions").getAttribute("open")).toBeNull();
  // Someone else's card: no action of mine, one line says whom it waits for and since when.
  await as(page, "李娜");
  await page.click("#pd-tab-facts");
  expect(await page.locator("#pd-card-facts").isVisible()).toBe(true);
  await page.click("#pd-tab-log");
  expect(await page.textContent("#pd-steps-waiting")).toMatch(/^等待 \S+/);
  expect(await page.textContent("#pd-waiting")).toMatch(/^等待 .+ · 已 \d+ (分钟|小时|天)$/);
  // Only the message region is live, not the pane.
  expect(await page.locator("#pane [aria-live]:not(.pd-hint)").count()).toBe(0);
  expect(await page.locator("#workbench[aria-live]").count()).toBe(0);
  await page.close();
});

test("one tap from 待我处理: the director signs with an opinion from the row, and the result stays in place", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00");
  await as(page, "陈刚");
  await view(page, "mine");
  const quick = page.locator("#pd-mine fluent-button[data-quick]").first();
  expect(await quick.count()).toBe(1);
  const card = (await quick.getAttribute("data-card")) ?? "";
  const before = await page.locator("#pd-mine > li").count();
  const at = await page
    .locator("#pd-mine > li")
    .evaluateAll((lis, c) => lis.findIndex((li) => li.querySelector(`button.pd-card-row[data-card="${c}"]`)), card);
  await page.fill(`#pd-quick-${card}-opinion`, "可以");
  await quick.click();
  await idle(page);
  const row = page.locator("#pd-mine > li").nth(at);
  expect(await row.locator("button.pd-card-row").getAttribute("data-card")).toBe(card);
  expect(await row.locator(".pd-msg").textContent()).toContain("已完成");
  expect(await page.locator("#pd-mine > li").count()).toBe(before);
  const tab = (await page.textContent("#pd-inbox-done")) ?? "";
  expect(tab).toMatch(/^我已处理 \d+$/);
  // The opinion is logged with the signature, and shown in the card's timeline.
  await row.locator("button.pd-card-row").click();
  await idle(page);
  await page.click("#pd-tab-log");
  expect(await page.textContent("#pd-steps")).toContain("可以");
  await shot(page, "one-tap-zh");
  await page.close();
});

test("issue 16: nothing sticks out at 320 px with a wider font than ours (labels wrap, nothing is measured)", async () => {
  for (const lang of ["zh", "en"] as const) {
    const page = await openPage(env.browser, env.url, `lang=${lang}&now=2026-11-02T10:00`);
    // A user's font a fifth wider than the test machine's.
    await page.addStyleTag({ content: ".pd, .pd * { letter-spacing: 0.2em !important; }" });
    await as(page, "林静");
    await view(page, "month");
    await page.click("#pd-preview");
    await idle(page);
    expect([lang, "month", await layoutProblems(page)]).toEqual([lang, "month", []]);
    await view(page, "mine");
    await page.click("#pd-mine > li:first-child button.pd-card-row");
    await idle(page);
    expect([lang, "card", await layoutProblems(page)]).toEqual([lang, "card", []]);
    await shot(page, `wide-font-${lang}`);
    await page.close();
  }
});

test("month end: the write button's reason is tied to it; Escape closes the confirmation", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00");
  await as(page, "刘洋");
  await view(page, "month");
  await page.click("#pd-preview");
  await idle(page);
  expect(await page.getAttribute("#pd-write-month", "aria-describedby")).toBe("pd-month-who");
  await as(page, "林静");
  await page.click("#pd-write-month");
  await idle(page);
  // The second click rewrites what the first wrote, without asking.
  await page.click("#pd-write-month");
  await idle(page);
  expect(await page.locator("#pd-month-confirm").count()).toBe(0);
  await view(page, "settings");
  await view(page, "month");
  await page.click("#pd-preview");
  await idle(page);
  await page.click("#pd-write-month");
  await idle(page);
  expect(await page.locator("#pd-month-confirm").count()).toBe(1);
  await page.keyboard.press("Escape");
  await idle(page);
  expect(await page.locator("#pd-month-confirm").count()).toBe(0);
  expect(await focused(page)).toBe("pd-write-month");
  await page.close();
});

test("month end the secretary can defend: each point with its card (a link), lateness in hours and minutes, the split per KPI; 有正当理由 takes a miss out, with its reason", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00");
  await as(page, "林静");
  await view(page, "month");
  await page.click("#pd-preview");
  await idle(page);
  const late = page.locator('#pd-penalties li.pd-evidence[data-what^="D"]');
  expect(await late.count()).toBeGreaterThan(0);
  const texts = await late.allTextContents();
  expect(texts.some((t) => /超时 (\d+ 小时 )?\d+ 分|超时 \d+ 小时/.test(t))).toBe(true);
  expect(await page.textContent("#pd-kpi-split")).toMatch(/−\d/);
  const first = late.first();
  const card = (await first.getAttribute("data-card")) ?? "";
  const what = (await first.getAttribute("data-what")) ?? "";
  await first.locator("button[id$='-open']").click();
  await idle(page);
  const reason = page.locator('#pd-penalties input[id^="pd-excuse-"][id$="-reason"]');
  await reason.fill("客户临时改期");
  await page.locator('#pd-penalties fluent-button[id^="pd-excuse-"]:not([id$="-cancel"])').click();
  // Written, then previewed again.
  await page.waitForSelector("#pd-excused");
  await idle(page);
  expect(await page.locator(`#pd-penalties li[data-card="${card}"][data-what="${what}"]`).count()).toBe(0);
  expect(await page.textContent("#pd-excused")).toContain(`${what} 免责（林静：客户临时改期）`);
  expect(await layoutProblems(page)).toEqual([]);
  await shot(page, "month-evidence-zh");
  // A card number opens its card.
  await page.click(`#pd-excused button[data-open-card="${card}"]`);
  await idle(page);
  expect(await page.textContent("#pd-card-h")).toContain(card);
  await page.close();
});

test("forms that help: a Due with no time asks for one, a Due on a day off warns, required fields are marked but not red before anything is typed", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00");
  await as(page, "林静");
  await view(page, "new");
  await page.fill("#pd-new-project", "表单测试");
  await page.selectOption("#pd-new-ae", "张伟");
  await page.click("#pd-issue");
  await idle(page);
  await as(page, "张伟");
  await page.fill("#pd-reply-due", "2026-11-12");
  await page.click('#pd-next fluent-button[data-action="reply"]');
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("“2026-11-12”只有日期：请写上时间");
  // Beside its field, which has the focus and is described by it.
  expect(await page.getAttribute(".pd-msg", "id")).toBe("pd-reply-due-error");
  expect(await focused(page)).toBe("pd-reply-due");
  expect(await page.getAttribute("#pd-reply-due", "aria-describedby")).toContain("pd-reply-due-error");
  // 2026-11-14 is a Saturday.
  await page.fill("#pd-reply-due", "2026-11-14 18:00");
  await page.dispatchEvent("#pd-reply-due", "change");
  expect(await page.textContent("#pd-reply-due-hint")).toContain("这一天不是工作日");
  await page.click("#pd-more-summary");
  const mark = await page.evaluate(
    () => getComputedStyle(document.querySelector('label[for="pd-comment-text"]') as Element, "::after").content,
  );
  expect(mark).toBe('" *"');
  const border = await page.evaluate(() => getComputedStyle(document.querySelector("#pd-comment-text") as Element).borderTopColor);
  expect(border).not.toBe("rgb(197, 15, 31)");
  await shot(page, "forms-help-zh");
  await page.close();
});
