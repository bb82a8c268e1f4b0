/**
 * New request with a Type (issue 19): the secretary picks 客户活动, the form asks for the fields
 * that type's route and deadlines use (人数, 预算, 活动日期, 计划内), and the card is issued with
 * them in the Register; its log names the route it follows (350 people: group review and the VP).
 */
import { useWorkbench } from "./harness";
import { as, idle, openPage, registerValue, view } from "./pane-helpers";

jest.setTimeout(300_000);

const env = useWorkbench(600_000);

test("the secretary issues a 客户活动 for 350 people: Type, 人数 and 计划内 in the Register, the route in the log", async () => {
  const page = await openPage(env.browser, env.url, "lang=zh&now=2026-11-02T10:00", { height: 900 });
  await as(page, "林静");
  await view(page, "new");
  expect(await page.locator("#pd-new-headcount").count()).toBe(0); // a proposal asks for none of them
  await page.selectOption("#pd-new-type", "客户活动");
  await idle(page);
  await page.fill("#pd-new-project", "青禾乳业千人答谢会");
  await page.selectOption("#pd-new-ae", "张伟");
  await page.fill("#pd-new-headcount", "三百五");
  await page.click("#pd-issue");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toContain("人数：“三百五”不是数字");
  await page.fill("#pd-new-headcount", "350");
  await page.fill("#pd-new-eventDate", "2026-12-20 14:00");
  await page.click("#pd-new-planned");
  await page.click("#pd-issue");
  await idle(page);
  expect(await page.textContent(".pd-msg")).toMatch(/^已开卡 \d{6}-\d{3}：青禾乳业千人答谢会/);
  const cardNo = ((await page.textContent("#pd-card-h")) ?? "").split(" ")[0];
  expect(await registerValue(page, cardNo, "类型")).toBe("客户活动");
  expect(await registerValue(page, cardNo, "人数")).toBe(350);
  expect(await registerValue(page, cardNo, "计划内")).toBe("是");
  const note = await page.evaluate((no) => {
    const t = (window as any).workbench.excel.state.table("CountersignLog");
    for (let r = t.top + 1; r <= t.bottom; r++) {
      const row: unknown[] = [];
      for (let c = t.left; c <= t.right; c++) row.push(t.sheet.get(r, c)?.value);
      if (row.includes(no)) return row.join(" | ");
    }
    return "";
  }, cardNo);
  expect(note).toContain("路线 客户活动：1 经理/经理助理 → 3 集团审核 → 4 营销副总裁 → 5 总监");
});
