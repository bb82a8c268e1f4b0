/**
 * Routes as data: which steps a card goes through (conditions over its columns), 或签 and 会签,
 * where a card is and since when, a route change after a card started, and the 策划提案 route
 * against today's countersign on the demo workbook.
 */
import { BusinessCalendar, toSerial } from "../../src/core/calendar";
import type { Card, LogEntry, StaffMember } from "../../src/core/model";
import { cardRoute } from "../../src/core/routes/card";
import { routeSignatures } from "../../src/core/routes/escalation";
import {
  RouteStep,
  Signature,
  holdersOf,
  nextStep,
  parseRouteNote,
  routeFor,
  routeNote,
  routeProgress,
  stepEscalation,
  withFollowed,
} from "../../src/core/routes/routes";
import { COUNTERSIGN_STEPS, countersignChain } from "../../src/core/workflow/chain";
import { demoChanges } from "../../src/workbook/demo";
import { defaultRouteSteps, readWorkbook } from "../../src/workbook/read";
import { XlsxWorkbook } from "../../src/workbook/xlsx";

const routes = defaultRouteSteps();
const event = (over: Partial<Card> = {}): Card => ({ cardNo: "202611-010", key: false, type: "客户活动", planned: true, ...over });
const roles = (steps: RouteStep[]) => steps.map((s) => s.roles.join("/"));
const sig = (actor: string, role: string, day: number, hour = 10): Signature => ({ actor, role, time: toSerial(2026, 11, day, hour, 0) });

describe("客户活动: the route depends on the card (seed 003)", () => {
  test("a 350-person event goes through 集团审核 and 营销副总裁; a 100-person planned event does not", () => {
    expect(roles(routeFor(event({ headcount: 350 }), routes))).toEqual(["Manager/Assistant Manager", "集团审核", "营销副总裁", "Director"]);
    expect(roles(routeFor(event({ headcount: 100 }), routes))).toEqual(["Manager/Assistant Manager", "Director"]);
    // 10万 budget is not "more than 100,000"; a key project is big whatever its size.
    expect(roles(routeFor(event({ headcount: 100, budget: 100000 }), routes))).toEqual(["Manager/Assistant Manager", "Director"]);
    expect(roles(routeFor(event({ headcount: 20, key: true }), routes))).toContain("营销副总裁");
  });

  test("an unplanned event goes to 总部 before the group's review and the vice president", () => {
    expect(roles(routeFor(event({ headcount: 100, planned: false }), routes))).toEqual(["Manager/Assistant Manager", "总部", "Director"]);
    expect(roles(routeFor(event({ headcount: 350, planned: false }), routes))).toEqual([
      "Manager/Assistant Manager",
      "总部",
      "集团审核",
      "营销副总裁",
      "Director",
    ]);
  });

  test("English type names are the same types; a card without a type is a proposal", () => {
    expect(routeFor(event({ type: "Client event", headcount: 350 }), routes)).toEqual(routeFor(event({ headcount: 350 }), routes));
    expect(roles(routeFor({ cardNo: "202611-001", key: false }, routes))).toEqual(["Planner", "Manager/Assistant Manager", "Director"]);
  });
});

describe("或签 and 会签", () => {
  const workOrder = routeFor({ cardNo: "202611-020", key: false, type: "工单" }, routes);

  test("a work order needs both the account director and the account supervisor (seed 002): one is not enough", () => {
    expect(workOrder).toHaveLength(1);
    const one = nextStep(workOrder, [sig("赵敏", "客户总监", 2)]);
    expect(one?.step.step).toBe(1);
    expect(one?.missing).toEqual(["客户主管"]);
    expect(one?.done).toBe(false);
    // The same role twice is still one role.
    expect(nextStep(workOrder, [sig("赵敏", "客户总监", 2), sig("钱多", "客户总监", 2, 11)])?.missing).toEqual(["客户主管"]);
    const both = routeProgress(workOrder, [sig("赵敏", "客户总监", 2), sig("孙立", "客户主管", 3)]);
    expect(both.current).toBe(1);
    expect(both.steps[0].done).toBe(true);
    expect(both.steps[0].doneAt).toBe(toSerial(2026, 11, 3, 10, 0));
    expect(nextStep(workOrder, [sig("孙立", "客户主管", 3), sig("赵敏", "客户总监", 3, 11)])).toBeUndefined();
  });

  test("the manager or the assistant manager: either one signs the step (或签), and the card moves on, since then", () => {
    const steps = routeFor(event({ headcount: 100 }), routes);
    const start = toSerial(2026, 11, 2, 9, 0);
    const p = routeProgress(steps, [sig("王芳", "Assistant Manager", 2, 15)], start);
    expect(p.current).toBe(1);
    expect(p.steps[1].step.roles).toEqual(["Director"]);
    expect(p.since).toBe(toSerial(2026, 11, 2, 15, 0));
    // Before anyone signs, the first step waits since the route began.
    expect(routeProgress(steps, [], start).since).toBe(start);
    // A signature in a role the step does not name counts for nothing.
    const stray = routeProgress(steps, [sig("陈刚", "Director", 2, 11)], start);
    expect(stray.current).toBe(0);
    expect(stray.stray).toHaveLength(1);
  });

  test("who may sign a role: the Register's people for the six roles, Staff for the others", () => {
    const staff: StaffMember[] = [
      { name: "赵敏", customRole: "客户总监", active: true },
      { name: "钱多", customRole: "Account director", active: true },
      { name: "吴昊", customRole: "客户总监", active: false },
      { name: "陈刚", role: "Director", active: true },
      { name: "王芳", role: "Assistant Manager", active: true },
    ];
    expect(holdersOf("客户总监", event(), staff)).toEqual(["赵敏", "钱多"]);
    expect(holdersOf("Director", event(), staff)).toEqual(["陈刚"]);
    expect(holdersOf("Manager", event(), staff)).toEqual(["王芳"]);
    expect(holdersOf("Manager", event({ reviewer: "李娜" }), staff)).toEqual(["李娜"]);
  });
});

describe("where a card is, escalation, and a route that changes", () => {
  const cal = new BusinessCalendar();

  test("a step's limit counts business days from when it became due; late after that", () => {
    const steps = routeFor(event({ headcount: 350 }), routes);
    // Signed by the manager on Friday 6 Nov 15:00: 集团审核 has 3 business days, to Wednesday 11 Nov 15:00.
    const p = routeProgress(steps, [sig("王芳", "Manager", 6, 15)], toSerial(2026, 11, 5, 9, 0));
    const before = stepEscalation(cal, p, toSerial(2026, 11, 11, 14, 0));
    expect(before?.due).toBeCloseTo(toSerial(2026, 11, 11, 15, 0), 8);
    expect(before?.late).toBe(0);
    expect(before?.escalate).toBe("Director");
    const after = stepEscalation(cal, p, toSerial(2026, 11, 12, 15, 0));
    expect(after?.late).toBeCloseTo(1, 6);
  });

  test("a route change applies to the step at hand and after, never to a step already signed", () => {
    const old = routeFor(event({ headcount: 100 }), routes); // 1 经理/经理助理 → 5 总监
    const changed: RouteStep[] = [
      { type: "客户活动", step: 1, roles: ["Director"], all: false }, // step 1 now the director's: too late for this card
      { type: "客户活动", step: 2, roles: ["总部"], all: false }, // a new step: it applies
      { type: "客户活动", step: 5, roles: ["Director"], all: false },
    ];
    const signed = [sig("王芳", "Manager", 2)];
    const merged = withFollowed(old, changed, signed);
    expect(roles(merged)).toEqual(["Manager/Assistant Manager", "总部", "Director"]);
    expect(nextStep(merged, signed)?.step.roles).toEqual(["总部"]);
    // A card that had not signed step 1 yet takes the new rows whole.
    expect(roles(withFollowed(old, changed, []))).toEqual(["Director", "总部", "Director"]);
  });

  test("the log says which route a card followed, and is read back", () => {
    const steps = [
      ...routeFor(event({ headcount: 350, planned: false }), routes),
      ...routeFor({ cardNo: "x", key: false, type: "工单" }, routes),
    ];
    const zh = routeNote("客户活动", steps, "zh");
    expect(zh).toBe("路线 客户活动：1 经理/经理助理 → 2 总部 → 3 集团审核 → 4 营销副总裁 → 5 总监 → 1 客户总监+客户主管");
    expect(routeNote("客户活动", steps.slice(0, 2), "en")).toBe("Route Client event: 1 Manager/Assistant Manager → 2 Head office");
    const back = parseRouteNote(zh);
    expect(back?.type).toBe("客户活动");
    expect(back?.steps.map((s) => [s.step, s.roles, s.all])).toEqual(steps.map((s) => [s.step, s.roles, s.all]));
    expect(parseRouteNote("下单: 新品发布")).toBeUndefined();
  });
});

describe("策划提案: the route's rows are today's countersign", () => {
  test("the default rows are the countersign's steps, in order, each an or-sign with no condition", () => {
    const proposal = routeFor({ cardNo: "p", key: true }, routes);
    expect(proposal.map((s) => s.roles)).toEqual(COUNTERSIGN_STEPS.map((s) => s.roles));
    expect(proposal.every((s) => !s.all && !s.condition && s.limit === undefined)).toBe(true);
  });

  test("on the demo workbook, every card is at the same step of the route as of the countersign chain, signed by the same people", async () => {
    const wb = XlsxWorkbook.create();
    await wb.read();
    await wb.write(demoChanges("zh"));
    const { model } = readWorkbook(await wb.read());
    expect(model.routes).toHaveLength(routes.length);
    let compared = 0;
    for (const card of model.cards) {
      const chain = countersignChain(card, model);
      if (chain.steps.some((s) => s.kind === "added" || s.handedFrom)) continue; // 加签 and 转交会签 are the chain's own
      const p = routeProgress(routeFor(card, model.routes), routeSignatures(card, model.log));
      expect({ card: card.cardNo, at: p.current, by: p.steps.map((s) => s.signed.map((x) => x.actor)) }).toEqual({
        card: card.cardNo,
        at: chain.current,
        by: chain.steps.map((s) => (s.signedBy ? [s.signedBy] : [])),
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });
});

describe("cardRoute: one card's route from its rows and its log", () => {
  const staff: StaffMember[] = [
    { name: "王芳", role: "Manager", active: true },
    { name: "总部甲", customRole: "总部", active: true },
    { name: "陈刚", role: "Director", active: true },
  ];
  const card = event({ headcount: 100, brief: toSerial(2026, 11, 2, 9, 0) });
  const row = (note: string, over: Partial<LogEntry> = {}): LogEntry => ({
    time: toSerial(2026, 11, 2, 9, 0),
    cardNo: card.cardNo,
    action: "需求单",
    actor: "刘洋",
    role: "策划",
    note,
    hash: "a",
    ...over,
  });

  test("a new card: the route as its rows make it, and the note to write", () => {
    const r = cardRoute(card, { routes, log: [], staff });
    expect(r.note).toBe("路线 客户活动：1 经理/经理助理 → 5 总监");
    expect(r.noteDue).toBe(true);
    expect(r.waitingFor).toEqual(["王芳"]);
  });

  test("after the rows change, the steps passed stay as the log recorded them; the note is due again", () => {
    const log = [
      row("路线 客户活动：1 经理/经理助理 → 5 总监"),
      row("", { time: toSerial(2026, 11, 2, 11, 0), action: "会签", actor: "王芳", role: "经理", hash: "b" }),
    ];
    expect(cardRoute(card, { routes, log, staff }).noteDue).toBe(false);
    const changed: RouteStep[] = [
      { type: "客户活动", step: 1, roles: ["Director"], all: false },
      { type: "客户活动", step: 2, roles: ["总部"], all: false },
      { type: "客户活动", step: 5, roles: ["Director"], all: false },
    ];
    const r = cardRoute(card, { routes: changed, log, staff });
    expect(r.note).toBe("路线 客户活动：1 经理/经理助理 → 2 总部 → 5 总监");
    expect(r.noteDue).toBe(true);
    expect(r.current?.step.roles).toEqual(["总部"]);
    expect(r.progress.since).toBe(toSerial(2026, 11, 2, 11, 0));
    expect(r.waitingFor).toEqual(["总部甲"]);
  });
});
