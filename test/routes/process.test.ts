/**
 * What was left of issue 19: deadlines held by any Staff role, conditions over any column of the
 * card's row, a route restarting after a return, the who-may text of 会签 from the card's route,
 * milestones completed by an action in the log, and recurring duties (Deadlines → Repeat).
 */
import { toSerial } from "../../src/core/calendar";
import { routeFor } from "../../src/core/routes/routes";
import { personOnCard } from "../../src/core/people";
import { CellValue, RawTable, Snapshot } from "../../src/workbook/port";
import { Finding, readWorkbook } from "../../src/workbook/read";
import { DEADLINES, REGISTER, ROUTES, STAFF, TableDef } from "../../src/workbook/schema";
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
const staffRow = (name: string, role: string): CellValue[] => STAFF.columns.map((c) => ({ name, role, active: "是" })[c.key] ?? null);
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
