/**
 * Routes drive the countersign (issue 19, phase 2): a card issued through performAction on the
 * in-memory Excel signs along its type's route — a 工单 needs both 客户总监 and 客户主管, a
 * 350-person 客户活动 goes through 集团审核 then 营销副总裁 — and the log names the route it follows.
 */
import { toSerial } from "../../src/core/calendar";
import { stageOf } from "../../src/core/workflow/stages";
import { actionOf } from "../../src/core/workflow/words";
import { readWorkbook } from "../../src/workbook/read";
import { buildInbox } from "../../src/core/workflow/inbox";
import { calendarOf } from "../../src/workbook/calendar";
import { Derived } from "../../src/taskpane/derive";
import { T0, ok, routesExcel, run, state, toCountersign } from "./routes-excel";

test("a 工单 needs both 客户总监 and 客户主管: one signature leaves it waiting, the second completes 会签完成", async () => {
  const { port } = await routesExcel();
  const cardNo = await toCountersign(port, { type: "工单" });

  // The proposal's first signer is not on a work order's route.
  const planner = await run(port, { action: "sign", cardNo, actor: "刘洋" }, 30);
  expect(planner.ok).toBe(false);

  await ok(port, { action: "sign", cardNo, actor: "孔丽" }, 40); // 客户主管 first: a 会签 takes any order
  let s = await state(port, cardNo);
  expect(s.card.countersigned).toBeUndefined();
  expect(stageOf(s.card, [])).toBe("countersign");
  const again = await run(port, { action: "sign", cardNo, actor: "孔丽" }, 45);
  expect(again.ok).toBe(false);

  await ok(port, { action: "sign", cardNo, actor: "钱进" }, 50);
  s = await state(port, cardNo);
  expect(s.card.countersigned).toBeCloseTo(T0 + 50 / 1440, 6);
  expect(stageOf(s.card, [])).toBe("communication");
  const signs = s.log.filter((e) => actionOf(e) === "sign");
  expect(signs.map((e) => [e.actor, e.role, e.note])).toEqual([
    ["孔丽", "客户主管", "1/2 客户主管"],
    ["钱进", "客户总监", "2/2 客户总监"],
  ]);
});

test("a 350-person 客户活动 waits on 集团审核, then 营销副总裁, then the director; the log names its route", async () => {
  const { port } = await routesExcel();
  const cardNo = await toCountersign(port, { type: "客户活动", headcount: 350, planned: true, eventDate: toSerial(2026, 12, 20, 9, 0) });
  const route = "路线 客户活动：1 经理/经理助理 → 3 集团审核 → 4 营销副总裁 → 5 总监";

  let s = await state(port, cardNo);
  expect(s.log.find((e) => actionOf(e) === "issue")?.note).toContain(route);
  expect(s.log.find((e) => actionOf(e) === "brief")?.note).toBe(route);

  await ok(port, { action: "sign", cardNo, actor: "王磊" }, 30); // the card's reviewer signs for the managers
  expect((await run(port, { action: "sign", cardNo, actor: "何伟" }, 35)).ok).toBe(false); // the VP waits for group review
  expect((await run(port, { action: "sign", cardNo, actor: "陈刚" }, 36)).ok).toBe(false);
  await ok(port, { action: "sign", cardNo, actor: "冯涛" }, 40);
  s = await state(port, cardNo);
  expect(s.card.countersigned).toBeUndefined();
  await ok(port, { action: "sign", cardNo, actor: "何伟" }, 50);
  await ok(port, { action: "sign", cardNo, actor: "陈刚" }, 60);
  s = await state(port, cardNo);
  expect(s.card.countersigned).toBeCloseTo(T0 + 60 / 1440, 6);
  expect(s.log.filter((e) => actionOf(e) === "sign").map((e) => [e.actor, e.role, e.note])).toEqual([
    ["王磊", "经理", "1/4 经理或经理助理"],
    ["冯涛", "集团审核", "2/4 集团审核"],
    ["何伟", "营销副总裁", "3/4 营销副总裁"],
    ["陈刚", "总监", "4/4 总监"],
  ]);
});

test("a 100-person planned 客户活动 skips group review and the VP; a proposal's log has no route note", async () => {
  const { port } = await routesExcel();
  const event = await toCountersign(port, { type: "客户活动", headcount: 100, planned: true });
  expect((await state(port, event)).log.find((e) => actionOf(e) === "brief")?.note).toBe("路线 客户活动：1 经理/经理助理 → 5 总监");
  await ok(port, { action: "sign", cardNo: event, actor: "王磊" }, 30);
  await ok(port, { action: "sign", cardNo: event, actor: "陈刚" }, 40);
  expect((await state(port, event)).card.countersigned).toBeCloseTo(T0 + 40 / 1440, 6);

  const proposal = await toCountersign(port, {});
  const log = (await state(port, proposal)).log;
  expect(log.find((e) => actionOf(e) === "brief")?.note ?? "").toBe("");
  expect(log.find((e) => actionOf(e) === "issue")?.note).toBe("AE 发起：路线测试");
});

test("My work follows the route: a 工单's signers have its 会签 row, late once the step passes its limit, and the director sees it escalated", async () => {
  const { port } = await routesExcel();
  const cardNo = await toCountersign(port, { type: "工单" });
  const { model } = readWorkbook(await port.read());
  const cal = calendarOf(model);
  const inbox = (person: string, at: number) => buildInbox(person, model, cal, at).todo.find((r) => r.cardNo === cardNo);

  // 30 minutes in (Mon 2 Nov): 孔丽 (客户主管) and 钱进 (客户总监), named nowhere on the card, each have the step.
  for (const p of ["孔丽", "钱进"]) {
    const row = inbox(p, T0 + 30 / 1440);
    expect(row?.actions).toContain("sign");
    expect(row?.urgency).not.toBe("late");
  }
  expect(inbox("陈刚", T0 + 30 / 1440)).toBeUndefined();

  // Thursday 5 Nov, 10:00: the one-business-day limit has passed; the step escalates to the director.
  const thursday = toSerial(2026, 11, 5, 10, 0);
  const late = inbox("孔丽", thursday);
  expect(late?.urgency).toBe("late");
  expect(late?.text.zh).toMatch(/第 1 步超时 \d+ 个工作日( \d+ 小时)?，已上报总监/);
  const director = inbox("陈刚", thursday);
  expect(director).toMatchObject({ kind: "watch", urgency: "late" });
  expect(director?.text.zh).toMatch(/第 1 步超时 .*等待 .*(孔丽|钱进)/);

  // The Overview (what the pane derives for leaders) counts the card late, with the escalation.
  const read = readWorkbook(await port.read());
  expect(new Derived(read, T0 + 30 / 1440).byKey.get(cardNo)?.escalated).toBeUndefined();
  const entry = new Derived(read, thursday).byKey.get(cardNo);
  expect(entry?.urgency).toBe("late");
  expect(entry?.escalated?.zh).toMatch(/第 1 步超时 \d+ 个工作日( \d+ 小时)?，已上报总监/);
});
