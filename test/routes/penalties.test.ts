/**
 * Route steps past their limit counted by a penalty rule the center adds (Counts: 审批超时 /
 * Route step late), like a missed D1–D7: the late signer of a 会签 step is charged, not the one
 * who signed in time; no rule, no charge.
 */
import { BusinessCalendar, toSerial } from "../../src/core/calendar";
import type { Card, LogEntry, StaffMember } from "../../src/core/model";
import { evaluateMonth, evidenceText } from "../../src/core/rules/monthly";
import { DEFAULT_RULES, RuleDef } from "../../src/core/rules/penalties";
import { defaultRouteSteps } from "../../src/workbook/read";

const cal = new BusinessCalendar();
const staff: StaffMember[] = [
  { name: "赵敏", customRole: "客户总监", active: true },
  { name: "孙立", customRole: "客户主管", active: true },
  { name: "陈刚", role: "Director", active: true },
];
const card: Card = {
  cardNo: "202611-001",
  project: "门店物料工单",
  key: false,
  type: "工单",
  received: toSerial(2026, 11, 2, 9, 0),
  brief: toSerial(2026, 11, 2, 10, 0),
};
const sign = (actor: string, role: string, time: number): LogEntry => ({
  time,
  cardNo: card.cardNo,
  action: "会签",
  actor,
  role,
  hash: "0",
});
const log = [sign("赵敏", "客户总监", toSerial(2026, 11, 2, 15, 0)), sign("孙立", "客户主管", toSerial(2026, 11, 4, 11, 0))];
const P10: RuleDef = {
  ...DEFAULT_RULES[1],
  id: "P10",
  counts: "Route step late",
  compare: "at least",
  threshold: 1,
  per: "card",
  points: 2,
  kpi: { zh: "流程管理", en: "Process" },
};

test("a rule on 审批超时 charges whoever signed after the step's limit", () => {
  const input = { cal, cards: [card], revisions: [], incidents: [], staff, rules: [P10], deadlines: [], routes: defaultRouteSteps(), log };
  const ev = evaluateMonth(input, "2026-11", toSerial(2026, 12, 1, 9, 0));
  expect(ev.penalties.map((p) => [p.rule.id, p.person, p.points])).toEqual([["P10", "孙立", 2]]);
  expect(evidenceText(ev.penalties[0], "zh")).toBe(
    "1 次（达到 1 次）：202611-001 R1 应于 2026-11-03 10:00，完成 2026-11-04 11:00，超时 8 小时 30 分",
  );
  // Still waiting at the month's end: the one it waits for is charged.
  const open = evaluateMonth({ ...input, log: log.slice(0, 1) }, "2026-11", toSerial(2026, 12, 1, 9, 0));
  expect(open.penalties.map((p) => p.person)).toEqual(["孙立"]);
  // Without such a rule, nothing.
  expect(evaluateMonth({ ...input, rules: [...DEFAULT_RULES] }, "2026-11", toSerial(2026, 12, 1, 9, 0)).penalties).toEqual([]);
});
