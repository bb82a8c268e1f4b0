/**
 * What was left of issue 19: deadlines held by any Staff role, conditions over any column of the
 * card's row, a route restarting after a return, the who-may text of 会签 from the card's route,
 * milestones completed by an action in the log, and recurring duties (Deadlines → Repeat).
 */
import { formatSerial, toSerial } from "../../src/core/calendar";
import { routeFor } from "../../src/core/routes/routes";
import { personOnCard } from "../../src/core/people";
import { CellValue, RawTable, Snapshot } from "../../src/workbook/port";
import { Finding, readWorkbook } from "../../src/workbook/read";
import { COUNTERSIGN_LOG, DEADLINES, REGISTER, ROUTES, STAFF, TableDef } from "../../src/workbook/schema";
import { calendarOf } from "../../src/workbook/calendar";
import { evaluateDeadlines } from "../../src/core/rules/evaluate";
import { evaluateMonth } from "../../src/core/rules/monthly";
import { DEFAULT_RULES, RuleDef } from "../../src/core/rules/penalties";
import { registerRow } from "../workbook/helpers";

function table(def: TableDef, rows: CellValue[][], over: Partial<RawTable> = {}): RawTable {
  return { name: def.name, sheet: def.sheet.zh, headers: def.columns.map((c) => c.zh), rows, top: 0, left: 0, ...over };
}
const snapshot = (...tables: RawTable[]): Snapshot => ({
  tables: new Map(tables.map((t) => [t.name, t])),
  sheetNames: tables.map((t) => t.sheet),
});
const byCode = (findings: Finding[], code: Finding["code"]) => findings.filter((f) => f.code === code);
const deadlineRow = (v: Record<string, CellValue>): CellValue[] => DEADLINES.columns.map((c) => v[c.key] ?? null);
const staffRow = (name: string, role: string): CellValue[] => {
  const cells: Record<string, CellValue> = { name, role, active: "是" };
  return STAFF.columns.map((c) => cells[c.key] ?? null);
};
const card = (over: Record<string, CellValue>) =>
  registerRow({ key: "否", intake: "AE", initiator: "张伟", ae: "张伟", lead: "刘洋", received: toSerial(2026, 11, 2, 9, 0), ...over });

describe("Deadlines' Role: any role of Staff", () => {
  test("a deadline held by 客户总监 (a Staff role) is read and charges the person holding it; a typo is an error with its cell", () => {
    const deadlines = table(DEADLINES, [
      deadlineRow({
        id: "W1",
        name: "工单确认",
        starts: "需求接收",
        ends: "会签完成",
        amount: 1,
        unit: "工作日",
        role: "客户总监",
        type: "工单",
      }),
      deadlineRow({
        id: "W2",
        name: "工单复核",
        starts: "需求接收",
        ends: "会签完成",
        amount: 2,
        unit: "工作日",
        role: "客户总鉴",
        type: "工单",
      }),
    ]);
    const staff = table(STAFF, [staffRow("赵敏", "客户总监"), staffRow("陈刚", "总监")]);
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, []), deadlines, staff));
    expect(model.deadlines.map((d) => [d.id, d.role])).toEqual([["W1", "客户总监"]]);
    expect(model.staff.map((s) => [s.name, s.customRole])).toEqual([
      ["赵敏", "客户总监"],
      ["陈刚", undefined],
    ]);
    const bad = byCode(findings, "bad-choice");
    expect(bad.map((f) => f.cell)).toEqual(["时限!G3"]);
    expect(bad[0].zh).toContain("客户总鉴");
    expect(bad[0].en).toContain("客户总鉴");
    // The person it charges (and reminds): the one active 客户总监.
    const [order] = readWorkbook(snapshot(table(REGISTER, [card({ cardNo: "202611-001", type: "工单" })]), staff)).model.cards;
    expect(personOnCard(order, "客户总监", model.staff)).toBe("赵敏");
  });
});

describe("conditions over any column of the card's row", () => {
  test("a column the center added (渠道) routes a card by its value; a name that is no column is a finding with its cell", () => {
    const headers = [...REGISTER.columns.map((c) => c.zh), "渠道", "媒体费"];
    const register = table(
      REGISTER,
      [
        [...card({ cardNo: "202611-001", type: "媒介排期" }), "线上", 600000],
        [...card({ cardNo: "202611-002", type: "媒介排期" }), " 线下 ", 20000],
      ],
      { headers },
    );
    const routes = table(ROUTES, [
      ["媒介排期", 1, "经理/经理助理", "否", null, null, null, null],
      ["媒介排期", 2, "客户总监", "否", "渠道=线上", null, null, null],
      ["媒介排期", 3, "总监", "否", "媒体费>=50万", null, null, null],
      ["媒介排期", 4, "总部", "否", "渠到=线上", null, null, null],
    ]);
    const { model, findings } = readWorkbook(snapshot(register, routes));
    const steps = (i: number) => routeFor(model.cards[i], model.routes).map((s) => s.step);
    expect(steps(0)).toEqual([1, 2, 3, 4]);
    expect(steps(1)).toEqual([1, 4]);
    const bad = byCode(findings, "bad-condition");
    expect(bad.map((f) => f.cell)).toEqual(["审批路线!E5"]);
    expect(bad[0].zh).toContain("“渠到”不是项目登记的列");
  });
});

describe("recurring duties (Deadlines → Repeat / 重复)", () => {
  const logRow = (v: Record<string, CellValue>): CellValue[] => COUNTERSIGN_LOG.columns.map((c) => v[c.key] ?? null);
  const weekly = (repeat: string, ends: string | null = null) =>
    deadlineRow({ id: "W1", name: "周报", starts: "会签完成", ends, amount: 0, unit: "工作日", role: "策划", type: "客户活动", repeat });

  function model(deadlines: CellValue[][], log: CellValue[][] = []) {
    const register = table(REGISTER, [
      card({ cardNo: "202611-001", type: "客户活动", countersigned: toSerial(2026, 11, 4, 15, 0) }), // Wed 4 Nov
      card({ cardNo: "202611-002", countersigned: toSerial(2026, 11, 4, 15, 0) }), // a proposal: no weekly report
    ]);
    const staff = table(STAFF, [staffRow("刘洋", "策划"), staffRow("张伟", "AE")]);
    return readWorkbook(snapshot(register, table(DEADLINES, deadlines), staff, table(COUNTERSIGN_LOG, log)));
  }

  test("每周一 while the card is open: each Monday due that day, done by 完成里程碑 naming it, else missed and charged", () => {
    const log = [
      logRow({
        time: toSerial(2026, 11, 9, 11, 0),
        cardNo: "202611-001",
        action: "完成里程碑",
        actor: "刘洋",
        role: "策划",
        note: "W1 2026-11-09 周报",
        hash: "0",
      }),
    ];
    const { model: m, findings } = model([weekly("每周一")], log);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(m.deadlines[0].repeat).toBe(1);
    const cal = calendarOf(m);
    const at = toSerial(2026, 11, 17, 10, 0); // Tue 17 Nov
    const results = evaluateDeadlines(cal, m.deadlines, m.cards, [], at);
    expect(results.map((r) => [r.cardNo, formatSerial(r.due ?? 0), r.status])).toEqual([
      ["202611-001", "2026-11-09 18:00", "met"],
      ["202611-001", "2026-11-16 18:00", "missed"],
      ["202611-001", "2026-11-23 18:00", "open"],
    ]);
    // The next one is reminded; a rule counting W1 charges the lead once, for 16 Nov.
    const rule: RuleDef = { ...DEFAULT_RULES[7], id: "P20", counts: "W1", compare: "at least", threshold: 1, per: "incident", points: 1 };
    const ev = evaluateMonth(
      {
        cal,
        cards: m.cards,
        revisions: [],
        incidents: [],
        staff: m.staff,
        rules: [rule],
        deadlines: m.deadlines,
        routes: m.routes,
        log: m.log,
      },
      "2026-11",
      at,
    );
    expect(ev.penalties.map((p) => [p.rule.id, p.person, p.points])).toEqual([["P20", "刘洋", 1]]);
    // Closed on Fri 20 Nov: no Monday after it.
    const closed = { ...m.cards[0], closed: toSerial(2026, 11, 20, 12, 0) };
    expect(evaluateDeadlines(cal, m.deadlines, [closed], [], toSerial(2026, 11, 30, 10, 0)).map((r) => r.occurrence)).toEqual([
      toSerial(2026, 11, 9),
      toSerial(2026, 11, 16),
    ]);
  });

  test("a Repeat that cannot be read is an error with its cell, and the row is read as once", () => {
    const { model: m, findings } = model([weekly("每周八"), weekly("weekly Mon", "发送客户")]);
    const bad = byCode(findings, "bad-choice").filter((f) => f.table === "Deadlines");
    expect(bad.map((f) => f.cell)).toEqual(["时限!J2", "时限!J3"]);
    expect(bad[0].zh).toContain("重复“每周八”无法读取");
    expect(bad[1].en).toContain("applies only to a deadline with no Ends");
    expect(m.deadlines.map((d) => d.repeat)).toEqual([undefined, undefined]);
  });
});
