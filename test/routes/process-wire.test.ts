/**
 * What was left of issue 19, through performAction on the strict in-memory Excel: the who-may
 * text of 会签 comes from the card's route; after a return (退回需求单) the route starts again from
 * the new brief, not from the first brief or the request; milestones without a Register column
 * (T−15 …) are completed by an action in the log, and stop reminding.
 */
import { toSerial } from "../../src/core/calendar";
import { stageOf } from "../../src/core/workflow/stages";
import { actionOf } from "../../src/core/workflow/words";
import { availableMoves, openMilestones } from "../../src/core/workflow/actions";
import { evaluateDeadlines } from "../../src/core/rules/evaluate";
import { buildDigest } from "../../src/core/reminders/digest";
import { buildInbox } from "../../src/core/workflow/inbox";
import { routeReminders } from "../../src/core/routes/escalation";
import { calendarOf } from "../../src/workbook/calendar";
import { Derived } from "../../src/taskpane/derive";
import { readWorkbook } from "../../src/workbook/read";
import { T0, ok, routesExcel, run, state, toCountersign } from "./routes-excel";

test("会签's who-may text is the card's route: a 工单 names 客户总监+客户主管, a proposal keeps today's order", async () => {
  const { port } = await routesExcel();
  const order = await toCountersign(port, { type: "工单" });
  const refused = await run(port, { action: "sign", cardNo: order, actor: "刘洋" }, 30);
  if (refused.ok) throw new Error("the planner signed a work order");
  expect(refused.reason.zh).toContain("按路线：客户总监+客户主管（会签）");
  expect(refused.reason.zh).not.toContain("策划 → 经理");
  expect(refused.reason.en).toContain("by route: account director + account supervisor (all sign)");

  const event = await toCountersign(port, { type: "客户活动", headcount: 350, planned: true });
  const early = await run(port, { action: "sign", cardNo: event, actor: "何伟" }, 35);
  if (early.ok) throw new Error("the VP signed before the manager");
  expect(early.reason.zh).toContain("按路线：经理或经理助理 → 集团审核 → 营销副总裁 → 总监");

  const proposal = await toCountersign(port, {});
  const director = await run(port, { action: "sign", cardNo: proposal, actor: "陈刚" }, 40);
  if (director.ok) throw new Error("the director signed first");
  expect(director.reason.zh).toContain("按顺序：策划 → 经理或经理助理 → 总监");
  expect(director.reason.en).toContain("in order: planner → manager or assistant → director");
});

test("after 退回需求单 the route waits for the new brief and starts from it, not from the first brief or the request", async () => {
  const { port } = await routesExcel();
  const cardNo = await toCountersign(port, { type: "工单" }); // brief Mon 2 Nov 10:20
  await ok(port, { action: "sign", cardNo, actor: "孔丽" }, 30);
  await ok(port, { action: "return", cardNo, actor: "钱进", input: { reason: "预算口径不对" } }, 60);
  const thursday = toSerial(2026, 11, 5, 10, 0);
  const look = async (at: number) => {
    const read = readWorkbook(await port.read());
    const cal = calendarOf(read.model);
    const row = (p: string) => buildInbox(p, read.model, cal, at).todo.find((r) => r.cardNo === cardNo);
    const m = read.model;
    const reminders = routeReminders({ cards: m.cards, staff: m.staff, routes: m.routes, log: m.log }, cal, at).filter(
      (i) => i.cardNo === cardNo,
    );
    return { director: row("陈刚"), signer: row("孔丽"), entry: new Derived(read, at).byKey.get(cardNo), reminders };
  };
  // Returned: the card waits for its lead, not for the signers; nothing is late and nothing escalates.
  let s = await look(thursday);
  expect(s.signer).toBeUndefined();
  expect(s.director).toBeUndefined();
  expect(s.entry?.escalated).toBeUndefined();
  expect(s.reminders).toEqual([]);
  expect(stageOf((await state(port, cardNo)).card, [])).toBe("order");

  // The new brief starts the route again from its first step, with every signature of the returned round gone.
  await ok(port, { action: "brief", cardNo, actor: "刘洋" }, (thursday - T0) * 1440);
  s = await look(thursday + 4 / 24);
  expect(s.signer?.actions).toContain("sign");
  expect(s.signer?.urgency).not.toBe("late");
  expect(s.entry?.escalated).toBeUndefined();
  expect(s.reminders.map((r) => r.kind)).not.toContain("overdue");
  s = await look(toSerial(2026, 11, 6, 15, 0)); // past one business day from Thursday 10:00
  expect(s.signer?.urgency).toBe("late");
  expect(s.entry?.escalated?.zh).toMatch(/第 1 步超时/);
});

test("完成里程碑: the lead marks T−15 done; it stops reminding and is met; T−30 left undone is missed; only its holder may", async () => {
  const { port } = await routesExcel();
  const event = toSerial(2026, 12, 20); // Sunday 20 Dec: T−30 = 20 Nov, T−15 = 5 Dec
  const cardNo = await toCountersign(port, { type: "客户活动", headcount: 80, planned: true, eventDate: event });
  const at = (y: number, m: number, d: number, h: number) => (toSerial(y, m, d, h, 0) - T0) * 1440;
  const refused = await run(port, { action: "milestone", cardNo, actor: "张伟", input: { deadline: "E2" } }, at(2026, 12, 4, 10));
  if (refused.ok) throw new Error("the AE marked the lead's milestone");
  expect(refused.reason.zh).toContain("刘洋");
  const done = await ok(port, { action: "milestone", cardNo, actor: "刘洋", input: { deadline: "E2" } }, at(2026, 12, 4, 11));
  expect([actionOf(done.written), done.written.note]).toEqual(["milestone", "E2 活动预热 T-15"]);
  expect(done.written.action).toBe("完成里程碑");
  expect((await run(port, { action: "milestone", cardNo, actor: "刘洋", input: { deadline: "E2" } }, at(2026, 12, 4, 12))).ok).toBe(false);

  const read = readWorkbook(await port.read());
  const cal = calendarOf(read.model);
  const now = toSerial(2026, 12, 5, 10, 0);
  const results = evaluateDeadlines(cal, read.model.deadlines, read.model.cards, [], now).filter((r) => r.cardNo === cardNo);
  expect(results.map((r) => [r.deadline.id, r.status])).toEqual([
    ["E1", "missed"],
    ["E2", "met"],
    ["E3", "open"],
    ["E4", "open"],
  ]);
  const digest = buildDigest({ ...read.model, routes: read.model.routes, log: read.model.log }, cal, now, 4);
  const mine = digest.people.find((p) => p.name === "刘洋")?.items.filter((i) => i.cardNo === cardNo) ?? [];
  expect(mine.map((i) => [i.kind, i.deadline.id])).toEqual([["overdue", "E1"]]);
  // The pane's next step for the lead offers what is still to do, the late T−30 first.
  const ctx = { ...read.model, now, log: read.model.log, deadlines: read.model.deadlines, routes: read.model.routes };
  const card = read.model.cards.find((c) => c.cardNo === cardNo);
  if (!card) throw new Error(cardNo);
  expect(openMilestones(card, ctx).map((m) => m.key)).toEqual(["E1", "E3", "E4"]);
  expect(availableMoves(card, "刘洋", ctx).find((m) => m.id === "milestone")?.allowed).toBe(true);
  expect(availableMoves(card, "张伟", ctx).find((m) => m.id === "milestone")?.allowed).toBe(false);
});
