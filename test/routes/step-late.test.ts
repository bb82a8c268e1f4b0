/**
 * A route step past its limit (core's `routeStepLate`) is looked for only on cards of a type whose
 * Routes rows set a limit (`typesWithLimits`): the type as the card's Type cell writes it, in
 * either language, 策划提案 when blank, a type the center named itself; and never on a card of
 * another type, whatever its own route's steps would say.
 */
import { BusinessCalendar, toSerial } from "../../src/core/calendar";
import type { Card, LogEntry, StaffMember } from "../../src/core/model";
import { PROPOSAL, RouteStep, WORK_ORDER } from "../../src/core/routes/routes";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { routeStepLate } from "../../src/core/workflow/inbox";

const cal = new BusinessCalendar();
const STAFF: StaffMember[] = [
  { name: "刘洋", role: "Planner", active: true },
  { name: "陈刚", role: "Director", active: true },
];
// Monday 2 Nov 2026, 10:00: the brief that starts the route; Thursday 5 Nov, 10:00: past a one-day limit.
const BRIEF = toSerial(2026, 11, 2, 10, 0);
const THURSDAY = toSerial(2026, 11, 5, 10, 0);
const card = (type: string | undefined): Card => ({ cardNo: "202611-001", key: false, type, lead: "刘洋", received: BRIEF, brief: BRIEF });
const step = (type: string, limit?: number): RouteStep => ({ type, step: 1, roles: ["Planner"], all: false, limit, escalate: "Director" });
const late = (c: Card, routes: RouteStep[], log: LogEntry[] = []) =>
  routeStepLate(c, { staff: STAFF, settings: DEFAULT_SETTINGS, revisions: [], log, now: THURSDAY, routes }, cal, THURSDAY);

test("a limit the center gives 策划提案's own step: a blank Type is 策划提案, and its step runs late", () => {
  expect(late(card(undefined), [step(PROPOSAL, 1)])?.text.zh).toMatch(/^第 1 步超时 2 个工作日，已上报总监$/);
  expect(late(card("策划提案"), [step(PROPOSAL, 1)])?.escalate).toBe("Director");
  // Without the limit, the same card is never late.
  expect(late(card(undefined), [step(PROPOSAL)])).toBeUndefined();
});

test("a Type written in English is its type: a Work order's step with a limit runs late", () => {
  expect(late(card("Work order"), [step(WORK_ORDER, 1)])?.late).toBeCloseTo(2, 6);
  expect(late(card("工单"), [step(WORK_ORDER, 1)])?.late).toBeCloseTo(2, 6);
});

test("a type the center named itself, with a limit", () => {
  expect(late(card("门店巡检"), [step("门店巡检", 1)])?.text.en).toBe("step 1 2 business days past its limit; escalated to Director");
});

test("a limit on another type's step makes no card of this type late", () => {
  const routes = [step(WORK_ORDER, 1), step(PROPOSAL)];
  expect(late(card(undefined), routes)).toBeUndefined();
  // Nor does a route note of that type in the card's log (the card follows its own type's route).
  const note: LogEntry = {
    time: BRIEF,
    cardNo: "202611-001",
    action: "提交需求单",
    actor: "刘洋",
    role: "策划",
    note: "路线 工单：1 策划",
  };
  expect(late(card(undefined), routes, [note])).toBeUndefined();
  expect(late(card("工单"), routes, [note])?.late).toBeCloseTo(2, 6);
});
