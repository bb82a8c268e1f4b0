/**
 * 完成里程碑 in the pane (issue 19): a 客户活动's countdown milestones have no Register column; the
 * lead finds "完成里程碑" in the card's 下一步 with the milestones still to do (the late T−30
 * first), marks T−15 done, and the history shows the log row. The AE, not responsible, has no
 * such button.
 */
import { LOG_WORDS } from "../../src/core/workflow/words";
import { useWorkbench } from "./harness";
import { as, idle, openPage, view } from "./pane-helpers";

jest.setTimeout(300_000);

const env = useWorkbench(600_000);

test("the lead marks T−15 done from 下一步; the AE has no button; the history has the row", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00", { height: 900 });
  await as(page, "林静");
  await view(page, "new");
  await page.selectOption("#pd-new-type", "客户活动");
  await idle(page);
  await page.fill("#pd-new-project", "青禾乳业门店活动");
  await page.selectOption("#pd-new-ae", "张伟");
  await page.fill("#pd-new-headcount", "80");
  await page.fill("#pd-new-eventDate", "2026-11-20 14:00");
  await page.click("#pd-new-planned");
  await page.click("#pd-issue");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("已开卡");
  await as(page, "王磊");
  await page.selectOption("#pd-assign-lead", "刘洋");
  await page.click('fluent-button[data-action="assign"]');
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("已指派 刘洋");

  await as(page, "张伟");
  expect(await page.locator('#pd-next fluent-button[data-action="milestone"]').count()).toBe(0);

  // The lead finds it in 待我处理 (issue 17): T−30 is late, a row of its own; a tap opens the card on 完成里程碑, first in 下一步.
  const cardNo = ((await page.textContent("#pd-card-h")) ?? "").match(/\d{6}-\d{3}/)?.[0] ?? "";
  await as(page, "刘洋");
  await view(page, "mine");
  const row = page.locator(`#pd-mine button.pd-card-row[data-card="${cardNo}"][data-open-on="milestone"]`);
  expect(await row.count()).toBe(1);
  expect(await row.textContent()).toMatch(/完成里程碑 · E1 活动筹备 T-30 2026-10-21 14:00（已超时）/);
  await row.click();
  await idle(page);
  const first = page.locator("#pd-next > :first-child");
  expect(await first.locator('fluent-button[data-action="milestone"]').count()).toBe(1);
  const box = await page.locator('#pd-next fluent-button[data-action="milestone"]').boundingBox();
  expect(box && box.y + box.height <= 640).toBe(true);
  expect(await page.locator('#pd-next fluent-button[data-action="milestone"]').count()).toBe(1);
  const options = await page.$$eval("#pd-milestone-deadline option", (os) => os.map((o) => o.textContent ?? ""));
  expect(options[0]).toMatch(/^E1 .*（已超时）$/);
  expect(options.map((o) => o.split(" ")[0])).toEqual(["E1", "E2", "E3", "E4"]);
  await page.selectOption("#pd-milestone-deadline", "E2");
  await page.click('#pd-next fluent-button[data-action="milestone"]');
  await idle(page);
  expect(await page.textContent(".pd-msg")).toMatch(/已完成 \d{6}-\d{3} 的里程碑 E2/);
  const history = await page.$$eval("#pd-history li", (lis) => lis.map((li) => li.textContent ?? ""));
  expect(history.some((t) => t.includes(LOG_WORDS.milestone.zh) && t.includes("E2"))).toBe(true);
  const after = await page.$$eval("#pd-milestone-deadline option", (os) => os.map((o) => (o.textContent ?? "").split(" ")[0]));
  expect(after).toEqual(["E1", "E3", "E4"]);
  await page.close();
});
