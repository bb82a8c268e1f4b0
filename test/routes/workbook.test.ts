/**
 * The Routes table and the card-type columns in a workbook: read with findings (a condition that
 * cannot be read names its cell), Staff roles as data, and `init` on a new workbook and on one
 * set up before card types existed (real .xlsx files through the file engine).
 */
import { toSerial } from "../../src/core/calendar";
import { routeFor } from "../../src/core/routes/routes";
import { CellValue, RawTable, Snapshot, findTable } from "../../src/workbook/port";
import { Finding, defaultRouteSteps, readWorkbook } from "../../src/workbook/read";
import { DEADLINES, REGISTER, ROUTES, STAFF, TableDef } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { registerRow } from "../workbook/helpers";

function table(def: TableDef, rows: CellValue[][], over: Partial<RawTable> = {}): RawTable {
  return { name: def.name, sheet: def.sheet.zh, headers: def.columns.map((c) => c.zh), rows, top: 0, left: 0, ...over };
}
const snapshot = (...tables: RawTable[]): Snapshot => ({
  tables: new Map(tables.map((t) => [t.name, t])),
  sheetNames: tables.map((t) => t.sheet),
});
const byCode = (findings: Finding[], code: Finding["code"]) => findings.filter((f) => f.code === code);

const ROUTE_ROWS: CellValue[][] = [
  ["客户活动", 1, "经理/经理助理", "否", null, 1, "总监", null],
  ["客户活动", 2, "集团审核", "否", "人数>300 或 预箅>100000", 3, "总监", null],
  ["客户活动", 3, "营销副总裁", "否", "人数>300", 3, "总监", null],
  ["工单", 1, "客户总监/客户主管", "是", null, 1, "总监", null],
];
const card = (over: Record<string, CellValue>) =>
  registerRow({ key: "否", intake: "AE", initiator: "张伟", ae: "张伟", lead: "刘洋", received: toSerial(2026, 11, 2, 9, 0), ...over });

describe("reading the Routes table", () => {
  test("a condition typo is an error naming its cell; until fixed its step applies to every card of the type", () => {
    const register = table(REGISTER, [card({ cardNo: "202611-001", type: "客户活动", headcount: 50, planned: "是" })]);
    const { model, findings } = readWorkbook(snapshot(register, table(ROUTES, ROUTE_ROWS)));
    const bad = byCode(findings, "bad-condition");
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({
      severity: "error",
      table: "Routes",
      sheet: "审批路线",
      cell: "审批路线!E3",
      value: "人数>300 或 预箅>100000",
    });
    expect(bad[0].zh).toContain("“预箅”不是项目登记的列");
    expect(bad[0].en).toContain(`"预箅" is not a column of the Register`);
    // Never a silent skip: the 50-person event still waits for 集团审核, and 营销副总裁 (readable) does not apply.
    const steps = routeFor(model.cards[0], model.routes);
    expect(steps.map((s) => s.roles.join("/"))).toEqual(["Manager/Assistant Manager", "集团审核"]);
    expect(model.routes.find((r) => r.type === "工单")).toMatchObject({
      roles: ["客户总监", "客户主管"],
      all: true,
      limit: 1,
      escalate: "Director",
    });
  });

  test("no Routes table: the defaults (seeds 000, 002, 003)", () => {
    const { model } = readWorkbook(snapshot(table(REGISTER, [])));
    expect(model.routes).toEqual(defaultRouteSteps());
  });

  test("a card of a type the Routes table does not name is reported with its cell", () => {
    const register = table(REGISTER, [card({ cardNo: "202611-002", type: "客户活劢" })]);
    const { findings } = readWorkbook(snapshot(register, table(ROUTES, ROUTE_ROWS)));
    const [f] = byCode(findings, "unknown-type");
    expect(REGISTER.columns.findIndex((c) => c.key === "type")).toBe(25);
    expect(f).toMatchObject({ severity: "warning", cell: "项目登记!Z2", value: "客户活劢" });
    expect(f.zh).toContain("类型“客户活劢”不在审批路线表中");
  });

  test("Staff roles are any word a route uses; any other unknown word is still an error with its cell", () => {
    const staff = table(STAFF, [
      ["赵敏", "客户总监", null, "是"],
      ["孙立", "Account supervisor", null, "是"],
      ["钱多", "客户总鉴", null, "是"],
      ["陈刚", "总监", null, "是"],
    ]);
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, []), table(ROUTES, ROUTE_ROWS), staff));
    expect(model.staff.map((s) => [s.name, s.role, s.customRole])).toEqual([
      ["赵敏", undefined, "客户总监"],
      ["孙立", undefined, "客户主管"],
      ["陈刚", "Director", undefined],
    ]);
    const bad = byCode(findings, "bad-choice");
    expect(bad).toHaveLength(1);
    expect(bad[0].cell).toBe("人员!B4");
    expect(bad[0].zh).toContain("也不是审批路线、人员表或时限表中用到的角色");
  });
});

/** A workbook as `init` made it before card types: no Routes, no Register Type … Planned, no Deadlines Type and E rows. */
async function oldWorkbook(): Promise<XlsxWorkbook> {
  const wb = XlsxWorkbook.create();
  const changes = setupChanges(await wb.read(), "zh");
  changes.newTables = changes.newTables.filter((t) => t.name !== "Routes");
  for (const t of changes.newTables) {
    const drop = new Set(
      (t.name === "Register" ? REGISTER : t.name === "Deadlines" ? DEADLINES : { columns: [] as { setup?: boolean; zh: string }[] }).columns
        .filter((c) => c.setup)
        .map((c) => c.zh),
    );
    const keep = t.headers.map((h, i) => (drop.has(h) ? -1 : i)).filter((i) => i >= 0);
    t.headers = keep.map((i) => t.headers[i]);
    t.rows = t.rows.filter((r) => !(t.name === "Deadlines" && /^E/.test(String(r[0])))).map((r) => keep.map((i) => r[i]));
    t.dateCols = t.dateCols?.filter((i) => keep.includes(i)).map((i) => keep.indexOf(i));
    t.textCols = t.textCols?.filter((i) => keep.includes(i)).map((i) => keep.indexOf(i));
  }
  const reg = changes.newTables.find((t) => t.name === "Register");
  if (reg)
    reg.rows = [
      REGISTER.columns.filter((c) => !c.setup).map((c) => (c.key === "cardNo" ? "202610-001" : c.key === "project" ? "=不是公式" : null)),
    ];
  // The center made D2 two business days.
  const dl = changes.newTables.find((t) => t.name === "Deadlines");
  const d2 = dl?.rows.find((r) => r[0] === "D2");
  if (d2) d2[4] = 2;
  await wb.write(changes);
  return XlsxWorkbook.fromBytes(await wb.toBytes(), "old.xlsx");
}

describe("init: card types for new and existing workbooks", () => {
  test("a new workbook gets the Routes table with the defaults and the countdown rows of Deadlines", async () => {
    const wb = XlsxWorkbook.create();
    await wb.write(setupChanges(await wb.read(), "zh"));
    const snap = await wb.read();
    const routes = findTable(snap, "Routes");
    expect(routes?.sheet).toBe("审批路线");
    expect(routes?.headers).toEqual(["类型", "步骤", "角色", "全部", "条件", "时限", "上报", "备注"]);
    expect(routes?.rows.map((r) => r.slice(0, 7))).toEqual([
      ["策划提案", 1, "策划", "否", null, null, null],
      ["策划提案", 2, "经理/经理助理", "否", null, null, null],
      ["策划提案", 3, "总监", "否", null, null, null],
      ["工单", 1, "客户总监/客户主管", "是", null, 1, "总监"],
      ["客户活动", 1, "经理/经理助理", "否", null, 1, "总监"],
      ["客户活动", 2, "总部", "否", "计划内=否", 3, "总监"],
      ["客户活动", 3, "集团审核", "否", "人数>300 或 预算>100000 或 重点项目=是", 3, "总监"],
      ["客户活动", 4, "营销副总裁", "否", "人数>300 或 预算>100000 或 重点项目=是", 3, "总监"],
      ["客户活动", 5, "总监", "否", null, 1, null],
    ]);
    const { model, findings } = readWorkbook(snap);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(model.routes).toEqual(defaultRouteSteps());
    const e = model.deadlines.filter((d) => d.types);
    expect(e.map((d) => [d.id, d.starts, d.ends, d.amount, d.unit, d.types])).toEqual([
      ["E1", "eventDate", "", -30, "calendar days", ["客户活动"]],
      ["E2", "eventDate", "", -15, "calendar days", ["客户活动"]],
      ["E3", "eventDate", "", -3, "calendar days", ["客户活动"]],
      ["E4", "eventDate", "", 3, "calendar days", ["客户活动"]],
    ]);
    expect(findTable(snap, "Register")?.headers.slice(-5)).toEqual(["类型", "人数", "预算", "活动日期", "计划内"]);
    // Set up again: nothing more to do.
    const again = setupChanges(snap, "zh");
    expect([again.newTables.length, again.addColumns.length, again.appends.length]).toEqual([0, 0, 0]);
  });

  test("an existing workbook gets them added, and no cell anyone typed changes", async () => {
    const wb = await oldWorkbook();
    const before = await wb.read();
    expect(findTable(before, "Routes")).toBeUndefined();
    const changes = setupChanges(before, "zh");
    expect(changes.addColumns).toEqual([
      { table: "Register", headers: ["类型", "人数", "预算", "活动日期", "计划内"] },
      { table: "Deadlines", headers: ["类型", "重复"] },
    ]);
    expect(changes.cells).toEqual([]);
    await wb.write(changes);
    const after = await XlsxWorkbook.fromBytes(await wb.toBytes(), "old.xlsx").then((w) => w.read());
    for (const name of ["Register", "Deadlines", "Staff", "Rules", "Settings"]) {
      const b = findTable(before, name);
      const a = findTable(after, name);
      // Every cell that was there is still there, as it was.
      expect(a?.headers.slice(0, b?.headers.length)).toEqual(b?.headers);
      expect(a?.rows.slice(0, b?.rows.length).map((r) => r.slice(0, b?.headers.length))).toEqual(b?.rows);
    }
    const deadlines = findTable(after, "Deadlines");
    expect(deadlines?.rows.map((r) => r[0])).toEqual(["D1", "D2", "D3", "D4", "D5", "D6", "D7", "E1", "E2", "E3", "E4"]);
    expect(deadlines?.rows[7]).toEqual([
      "E1",
      "活动筹备 T-30",
      "活动日期",
      null,
      -30,
      "自然日",
      "策划",
      "004: 倒计时 T-30",
      "客户活动",
      null,
    ]);
    expect(findTable(after, "Routes")?.rows).toHaveLength(9);
    const { model, findings } = readWorkbook(after);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(model.deadlines.find((d) => d.id === "D2")?.amount).toBe(2);
    expect(model.deadlines.find((d) => d.id === "D2")?.types).toBeUndefined();
    expect(model.cards[0]).toMatchObject({ cardNo: "202610-001", project: "=不是公式" });
    expect(setupChanges(after, "zh").appends).toEqual([]);
  });
});
