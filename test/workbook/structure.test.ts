/**
 * Never compute or write from a broken structure: a schema column present twice, a table
 * missing, header cells that are empty or numbers, dates the calendar cannot compute with,
 * formulas saved without their value. Snapshots are built by hand, as an adapter reads them.
 */
import { BusinessCalendar, serialDay, toSerial } from "../../src/core/calendar";
import { evaluateDeadlines } from "../../src/core/rules/evaluate";
import { evaluateMonth } from "../../src/core/rules/monthly";
import type { Card } from "../../src/core/model";
import { calendarOf } from "../../src/workbook/calendar";
import { CellValue, RawTable, Snapshot } from "../../src/workbook/port";
import { Finding, blockingFindings, readWorkbook } from "../../src/workbook/read";
import { monthReport } from "../../src/workbook/report";
import { CALENDAR, COUNTERSIGN_LOG, INCIDENTS, PENALTIES, REGISTER, REVISIONS, RULES, STAFF, TableDef } from "../../src/workbook/schema";
import { registerRow } from "./helpers";

const NOW = toSerial(2026, 11, 20, 10, 0);
/** 2300-03-01: a real date, one Excel holds, but past the calendar's 2199. */
const Y2300 = serialDay(2300, 3, 1) + 10 / 24;

function table(def: TableDef, rows: CellValue[][], over: Partial<RawTable> = {}): RawTable {
  return { name: def.name, sheet: def.sheet.zh, headers: def.columns.map((c) => c.zh), rows, top: 0, left: 0, ...over };
}

function snapshot(...tables: RawTable[]): Snapshot {
  return { tables: new Map(tables.map((t) => [t.name, t])), sheetNames: tables.map((t) => t.sheet) };
}

const staff = () =>
  table(STAFF, [
    ["张伟", "AE", null, "是"],
    ["刘洋", "策划", null, "是"],
    ["林静", "秘书", null, "是"],
  ]);

/** A card whose D1 (reply within half a business day) is missed: received 8 Oct 10:00, replied 9 Oct 17:00. */
function lateReply(n: number, over: Record<string, CellValue> = {}): CellValue[] {
  const received = toSerial(2026, 10, 8 + n, 10, 0);
  return registerRow({
    cardNo: `202610-00${n}`,
    project: `项目${n}`,
    key: "否",
    intake: "AE",
    initiator: "张伟",
    ae: "张伟",
    lead: "刘洋",
    received,
    replied: received + 1 + 7 / 24,
    stage: "工单下单",
    ...over,
  });
}

const byCode = (findings: Finding[], code: Finding["code"]) => findings.filter((f) => f.code === code);

describe("a schema column present twice", () => {
  test("卡号 twice: an error naming both header cells, read from neither, blocking", () => {
    const headers = [...REGISTER.columns.map((c) => c.zh), "卡号"];
    const rows = [lateReply(1), lateReply(2)].map((r) => [...r, "202610-999"]);
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, rows, { headers }), staff()));
    const dup = byCode(findings, "duplicate-column");
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({
      severity: "error",
      table: "Register",
      sheet: "项目登记",
      cell: "项目登记!A1",
      cells: ["项目登记!A1", "项目登记!AE1"],
    });
    expect(dup[0].zh).toContain("项目登记!A1、项目登记!AE1");
    expect(dup[0].zh).toContain("卡号");
    expect(dup[0].en).toContain("项目登记!A1, 项目登记!AE1");
    expect(dup[0].en).toContain('"Card No."');
    // Neither column is picked: no card is read, and no row is blamed for an empty card number.
    expect(model.cards).toEqual([]);
    expect(model.cardRows.size).toBe(0);
    expect(byCode(findings, "missing-value")).toEqual([]);
    expect(byCode(findings, "missing-column")).toEqual([]);
    expect(blockingFindings(findings)).toEqual(dup);
  });

  test("卡号 and Card No. are the same column: both cells named, in the sheet's own place", () => {
    const headers = REGISTER.columns.map((c) => c.zh);
    headers.splice(2, 0, "卡号"); // C1 … the Register's own 卡号 stays in A1
    headers[0] = " card no. "; // case and spaces ignored: still Card No.
    headers.splice(7, 0, "卡号"); // H1
    const { findings } = readWorkbook(snapshot(table(REGISTER, [], { headers, top: 0, left: 0 })));
    const dup = byCode(findings, "duplicate-column");
    expect(dup.map((f) => f.cells)).toEqual([["项目登记!A1", "项目登记!C1", "项目登记!H1"]]);
    expect(dup[0].en).toContain("3 times (card no., 卡号, 卡号)");
  });

  test("the header row's place on the sheet gives the cells (a table starting at C4)", () => {
    const headers = [...REGISTER.columns.map((c) => c.zh), "Reviewer"];
    const { findings } = readWorkbook(snapshot(table(REGISTER, [lateReply(1).concat(["吴昊"])], { headers, top: 3, left: 2 })));
    const dup = byCode(findings, "duplicate-column");
    expect(dup).toHaveLength(1);
    expect(dup[0].cells).toEqual(["项目登记!L4", "项目登记!AG4"]);
  });

  test("an optional column twice (审核人) is an error too: the card is read without it, and writing is blocked", () => {
    const headers = [...REGISTER.columns.map((c) => c.zh), "审核人"];
    const rows = [[...lateReply(1), "吴昊"]];
    rows[0][REGISTER.columns.findIndex((c) => c.key === "reviewer")] = "王磊";
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, rows, { headers }), staff()));
    const dup = byCode(findings, "duplicate-column");
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ severity: "error", cells: ["项目登记!J1", "项目登记!AE1"] });
    expect(model.cards).toHaveLength(1);
    expect(model.cards[0].reviewer).toBeUndefined(); // neither 王磊 nor 吴昊 is guessed
    expect(model.tables.get("Register")!.cols.has("reviewer")).toBe(false);
    expect(blockingFindings(findings)).toEqual(dup);
  });

  test("AE, whose English and Chinese headers are the same word, is one column, not a duplicate", () => {
    const { findings } = readWorkbook(snapshot(table(REGISTER, [lateReply(1)]), staff()));
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(blockingFindings(findings)).toEqual([]);
  });
});

describe("blockingFindings", () => {
  test("a workbook without a Register table is blocked; other missing tables are not", () => {
    const { findings } = readWorkbook(snapshot(staff()));
    const blocking = blockingFindings(findings);
    expect(blocking.map((f) => [f.code, f.table])).toEqual([["missing-table", "Register"]]);
  });

  test("a required column missing, in any table, blocks (and is an error); cell-level problems do not", () => {
    const headers = REGISTER.columns.filter((c) => c.key !== "stage").map((c) => c.zh);
    const rows = [lateReply(1).slice(0, -1), lateReply(2, { received: "tomorrow" }).slice(0, -1)];
    const rules = table(RULES, [["P2", "AE", "", "D1", "超过", 3, "每月", "客户满意度", 3, "", "", "是"]], {
      headers: RULES.columns.filter((c) => c.key !== "threshold").map((c) => c.zh),
    });
    const { findings } = readWorkbook(snapshot(table(REGISTER, rows, { headers }), staff(), rules));
    const blocking = blockingFindings(findings);
    expect(blocking.map((f) => [f.code, f.table, f.severity])).toEqual([
      ["missing-column", "Register", "error"],
      ["missing-column", "Rules", "error"],
    ]);
    expect(blocking[1].zh).toContain("次数");
    expect(byCode(findings, "bad-date")).toHaveLength(1);
    expect(blocking.some((f) => f.code === "bad-date")).toBe(false);
  });

  test("a clean workbook has none", () => {
    const { findings } = readWorkbook(snapshot(table(REGISTER, [lateReply(1), lateReply(2)]), staff()));
    expect(blockingFindings(findings)).toEqual([]);
  });
});

describe("header cells that are empty or numbers", () => {
  test("are ignored, never a crash; the named columns are still read", () => {
    const names = REGISTER.columns.map((c) => c.zh);
    const headers = [null, 42, "", "   ", ...names, 2026] as unknown as string[];
    const rows = [[1, 2, 3, null, ...lateReply(1), "x"]];
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, rows, { headers }), staff()));
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(model.cards.map((c) => c.cardNo)).toEqual(["202610-001"]);
    expect(model.tables.get("Register")!.cols.get("cardNo")).toBe(4);
  });

  test("a table with no header text at all reports its missing columns", () => {
    const t = table(
      STAFF,
      [
        ["张伟", "AE"],
        [null, 7],
      ],
      { headers: [null, 3.5] as unknown as string[] },
    );
    const odd = table(CALENDAR, [], { headers: [] });
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, [lateReply(1)]), t, odd));
    expect(model.staff).toEqual([]);
    expect(byCode(findings, "missing-column").map((f) => f.table)).toEqual(["Staff", "Staff", "Staff", "Calendar", "Calendar"]);
  });
});

describe("dates the calendar cannot compute with", () => {
  test("a card received in 2300 is reported with its cell and value, left out, and the month and the deadlines still run", () => {
    const rows = [lateReply(1), lateReply(2), lateReply(3, { received: Y2300 }), lateReply(4), lateReply(5)];
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, rows), staff()));
    const out = byCode(findings, "date-out-of-range");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ severity: "error", table: "Register", sheet: "项目登记", cell: "项目登记!L4", value: Y2300 });
    expect(out[0].zh).toBe(`项目登记!L4：需求接收的值 ${Y2300}（2300-03-01 10:00）：日期超出可计算范围（1900–2199）`);
    expect(out[0].en).toMatch(/^项目登记!L4: Received: .*2300-03-01 10:00.*outside .*1900–2199/);
    expect(model.cards.map((c) => c.cardNo)).toEqual(["202610-001", "202610-002", "202610-004", "202610-005"]);
    expect(model.badCardRows.has(2)).toBe(true);
    expect(blockingFindings(findings)).toEqual([]);

    const cal = calendarOf(model);
    const deadlines = evaluateDeadlines(cal, model.deadlines, model.cards, model.revisions, NOW);
    expect(deadlines.filter((r) => r.deadline.id === "D1").map((r) => [r.cardNo, r.status])).toEqual([
      ["202610-001", "missed"],
      ["202610-002", "missed"],
      ["202610-004", "missed"],
      ["202610-005", "missed"],
    ]);
    const report = monthReport(model, cal, "2026-10", NOW);
    const p2 = report.evaluation.penalties.filter((p) => p.rule.id === "P2");
    expect(p2.map((p) => [p.person, p.points, p.triggers.map((t) => t.cardNo)])).toEqual([
      ["张伟", 3, ["202610-001", "202610-002", "202610-004", "202610-005"]],
    ]);
    expect(report.penaltyRows.find((r) => r[5] === "P2")).toBeDefined();
  });

  test("cards that reach core without the reader (2300, and 2199-12-31 whose deadline runs past the calendar) never throw", () => {
    const { model } = readWorkbook(snapshot(table(REGISTER, [lateReply(1), lateReply(2), lateReply(3), lateReply(4)]), staff()));
    const far: Card = {
      cardNo: "230003-001",
      key: false,
      ae: "张伟",
      lead: "刘洋",
      received: Y2300,
      replied: Y2300 + 2,
      assigned: Y2300,
      sent: Y2300 + 3,
    };
    const edge: Card = {
      cardNo: "219912-001",
      key: false,
      ae: "张伟",
      lead: "刘洋",
      received: toSerial(2199, 12, 31, 17, 0),
      sent: toSerial(2199, 12, 31, 17, 30),
    };
    model.cards.push(far, edge);
    const cal = calendarOf(model);
    const results = evaluateDeadlines(cal, model.deadlines, model.cards, model.revisions, NOW);
    const d1 = (cardNo: string) => results.find((r) => r.cardNo === cardNo && r.deadline.id === "D1")!;
    expect(d1("230003-001")).toMatchObject({ status: "open", due: undefined, late: 0, outOfRange: true });
    expect(d1("219912-001")).toMatchObject({ status: "open", due: undefined, outOfRange: true });
    expect(d1("202610-001")).toMatchObject({ status: "missed" });
    expect(d1("202610-001").outOfRange).toBeUndefined();

    const report = monthReport(model, cal, "2026-10", NOW);
    expect(report.evaluation.penalties.find((p) => p.rule.id === "P2")!.triggers).toHaveLength(4);
    // A month out there is evaluated too, without an exception (KPI days-to-send included).
    expect(() => monthReport(model, cal, "2300-03", NOW)).not.toThrow();
    expect(() => monthReport(model, cal, "2199-12", NOW)).not.toThrow();
    const input = {
      cal,
      cards: model.cards,
      revisions: model.revisions,
      incidents: model.incidents,
      staff: model.staff,
      rules: model.rules,
      deadlines: model.deadlines,
    };
    expect(evaluateMonth(input, "2026-10", NOW).deadlines.length).toBeGreaterThan(0);
  });

  test("an Amount so large that every deadline runs past 2199 gives open deadlines, not an exception", () => {
    const { model } = readWorkbook(snapshot(table(REGISTER, [lateReply(1)]), staff()));
    const deadlines = model.deadlines.map((d) => (d.id === "D1" ? { ...d, amount: 1e7 } : d));
    const results = evaluateDeadlines(new BusinessCalendar({ official: null }), deadlines, model.cards, [], NOW);
    expect(results.find((r) => r.deadline.id === "D1")).toMatchObject({ status: "open", outOfRange: true });
  });

  test.each([
    ["a serial past 9999-12-31", 2958466, /^项目登记!L2：需求接收的值 2958466：日期超出可计算范围/],
    ["a negative serial", -5, /^项目登记!L2：需求接收的值 -5：日期超出/],
    ["a serial before 1900-03-01", 30, /^项目登记!L2：需求接收的值 30：日期超出/],
    ["2200-01-01 00:00, the first day past the calendar", serialDay(2200, 1, 1), /（2200-01-01 00:00）：日期超出/],
    ["text in 2300", "2300-01-05 10:00", /^项目登记!L2：需求接收的值 "2300-01-05 10:00"：日期超出可计算范围（1900–2199）$/],
    ["text before 1900", "1850-01-01", /"1850-01-01"：日期超出/],
  ])("%s is out of range, named with its cell", (_, value, zh) => {
    const { model, findings } = readWorkbook(
      snapshot(table(REGISTER, [lateReply(1, { received: value as CellValue }), lateReply(2)]), staff()),
    );
    const out = byCode(findings, "date-out-of-range");
    expect(out).toHaveLength(1);
    expect(out[0].cell).toBe("项目登记!L2");
    expect(out[0].value).toBe(value);
    expect(out[0].zh).toMatch(zh);
    expect(out[0].en).toContain("1900–2199");
    expect(model.cards.map((c) => c.cardNo)).toEqual(["202610-002"]);
  });

  test("the last computable moment (2199-12-31 23:59) and the first (1900-03-01) are read; text that is no date is still bad-date", () => {
    const rows = [
      lateReply(1, { received: toSerial(2199, 12, 31, 23, 59), replied: null }),
      lateReply(2, { received: serialDay(1900, 3, 1), replied: null }),
      lateReply(3, { received: "tomorrow" }),
    ];
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, rows), staff()));
    expect(byCode(findings, "date-out-of-range")).toEqual([]);
    expect(byCode(findings, "bad-date").map((f) => f.cell)).toEqual(["项目登记!L4"]);
    expect(model.cards.map((c) => c.cardNo)).toEqual(["202610-001", "202610-002"]);
    expect(() => monthReport(model, calendarOf(model), "2199-12", NOW)).not.toThrow();
  });

  test("revisions, incidents, Calendar days and the Penalties month in 2300: each reported with its cell, left out, nothing throws", () => {
    const good = toSerial(2026, 10, 12, 10, 0);
    const revisions = table(REVISIONS, [
      ["202610-001", good, good + 0.1, "客户", "否", null],
      ["202610-001", Y2300, null, "自身", "否", null],
    ]);
    const incidents = table(INCIDENTS, [
      [Y2300, "202610-001", "态度投诉", null, null],
      [good, "202610-002", "态度投诉", null, null],
    ]);
    const calendar = table(CALENDAR, [
      [serialDay(2026, 10, 16), "休", "中心活动"],
      [serialDay(2300, 1, 1), "休", "typo"],
    ]);
    const penalties = table(PENALTIES, [
      [Y2300, "张伟", "AE", "客户满意度", 3, "P2", "x"],
      ["2026-09", "张伟", "AE", "客户满意度", 3, "P2", "y"],
    ]);
    const snap = snapshot(table(REGISTER, [lateReply(1), lateReply(2)]), staff(), revisions, incidents, calendar, penalties);
    const { model, findings } = readWorkbook(snap);
    const out = byCode(findings, "date-out-of-range");
    expect(out.map((f) => [f.table, f.cell])).toEqual([
      ["Revisions", "修改记录!B3"],
      ["Incidents", "事件!A2"],
      ["Calendar", "日历!A3"],
      ["Penalties", "扣分!A2"],
    ]);
    expect(out.every((f) => f.zh.includes("日期超出可计算范围（1900–2199）") && f.en.startsWith(`${f.cell}: `))).toBe(true);
    expect(model.revisions).toHaveLength(1);
    expect(model.incidents.map((i) => i.cardNo)).toEqual(["202610-002"]);
    expect(model.calendar.map((d) => d.date)).toEqual([serialDay(2026, 10, 16)]);
    expect(model.penalties.map((p) => p.month)).toEqual(["2026-09"]);
    const report = monthReport(model, calendarOf(model), "2026-10", NOW);
    expect(report.evaluation.penalties.filter((p) => p.rule.id === "P9").map((p) => p.triggers.map((t) => t.cardNo))).toEqual([
      ["202610-002"],
    ]);
  });
});

describe("formulas saved without their value", () => {
  test("in a column the schema reads: an error naming the cell and the formula, the row left out", () => {
    const rows = [lateReply(1), lateReply(2), lateReply(3)];
    const received = REGISTER.columns.findIndex((c) => c.key === "received");
    rows[0][received] = null;
    const { model, findings } = readWorkbook(
      snapshot(table(REGISTER, rows, { uncached: [{ row: 0, col: received, formula: "WORKDAY(M2,1)" }] }), staff()),
    );
    const u = byCode(findings, "uncached-formula");
    expect(u).toHaveLength(1);
    expect(u[0]).toMatchObject({ severity: "error", table: "Register", sheet: "项目登记", cell: "项目登记!L2", value: "=WORKDAY(M2,1)" });
    expect(u[0].zh).toBe("项目登记!L2：需求接收的公式 =WORKDAY(M2,1) 没有保存计算结果：请在 Excel 中打开并保存后再运行");
    expect(u[0].en).toBe(
      "项目登记!L2: 需求接收: the formula =WORKDAY(M2,1) has no saved result: open and save the file in Excel, then run again",
    );
    expect(model.cards.map((c) => c.cardNo)).toEqual(["202610-002", "202610-003"]);
    expect(model.badCardRows.has(0)).toBe(true);
    expect(model.cardRows.get("202610-001")).toBe(0); // still found by its number (an action on it is refused as a bad row)
    expect(blockingFindings(findings)).toEqual([]);
  });

  test("in a column users added (or a generated deadline column): not read, so no finding; the row kept", () => {
    const headers = [...REGISTER.columns.map((c) => c.zh), "合计"];
    const rows = [
      [...lateReply(1), null],
      [...lateReply(2), 5],
    ];
    const { model, findings } = readWorkbook(
      snapshot(table(REGISTER, rows, { headers, uncached: [{ row: 0, col: REGISTER.columns.length, formula: "=SUM(A2:B2)" }] }), staff()),
    );
    expect(byCode(findings, "uncached-formula")).toEqual([]);
    expect(model.cards).toHaveLength(2);
  });

  test("the card number itself, and a row holding nothing but such a formula, are reported once each (no second empty-card-number finding)", () => {
    const rows = [lateReply(1), lateReply(2), Array.from({ length: REGISTER.columns.length }, () => null)];
    rows[0][0] = null;
    const uncached = [
      { row: 0, col: 0, formula: '="202610-"&TEXT(ROW(),"000")' },
      { row: 2, col: 1, formula: "=B3" },
    ];
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, rows, { uncached }), staff()));
    expect(byCode(findings, "uncached-formula").map((f) => [f.severity, f.cell])).toEqual([
      ["error", "项目登记!A2"],
      ["error", "项目登记!B4"],
    ]);
    expect(byCode(findings, "missing-value")).toEqual([]); // the rows are reported and left out already
    expect(model.cards.map((c) => c.cardNo)).toEqual(["202610-002"]);
    expect([...model.badCardRows].sort()).toEqual([0, 2]);
  });

  test("in a table read with defaults (Rules): the rule row is left out", () => {
    const rules = table(
      RULES,
      [
        ["P2", "AE", "", "D1", "超过", null, "每月", "客户满意度", 3, "", "", "是"],
        ["P8", "策划", "", "D2", "超过", 2, "每月", "文档", 3, "", "", "是"],
      ],
      { uncached: [{ row: 0, col: 5, formula: "=Settings!B2" }] },
    );
    const { model, findings } = readWorkbook(snapshot(table(REGISTER, [lateReply(1)]), staff(), rules));
    expect(byCode(findings, "uncached-formula").map((f) => [f.severity, f.cell])).toEqual([["error", "扣分规则!F2"]]);
    expect(model.rules.map((r) => r.id)).toEqual(["P8"]);
  });
});

describe("the Countersign Log read again (rows the reader already parsed are kept by their array)", () => {
  const log = (rows: CellValue[][]) => table(COUNTERSIGN_LOG, rows);
  const row = (note: string, time: CellValue = toSerial(2026, 11, 2, 9, 0)): CellValue[] => {
    const cells: Record<string, CellValue> = { time, cardNo: "202611-001", action: "评论", actor: "刘洋", note };
    return COUNTERSIGN_LOG.columns.map((c) => cells[c.key] ?? null);
  };

  test("a row changed in place is parsed again: its new value, its new finding", () => {
    const rows = [row("第一条"), row("第二条")];
    const snap = snapshot(table(REGISTER, []), staff(), log(rows));
    expect(readWorkbook(snap).model.log.map((e) => e.note)).toEqual(["第一条", "第二条"]);
    // The same arrays, their cells changed (an adapter that keeps rows and edits them).
    rows[1][COUNTERSIGN_LOG.columns.findIndex((c) => c.key === "note")] = "改过的";
    rows[0][0] = "不是日期";
    const again = readWorkbook(snap);
    expect(again.model.log.map((e) => e.note)).toEqual(["第一条", "改过的"]);
    expect(again.findings.filter((f) => f.table === COUNTERSIGN_LOG.name).map((f) => f.code)).toEqual(["bad-date"]);
  });

  test("a row with a finding reports it on every read, at its cell", () => {
    const snap = snapshot(table(REGISTER, []), staff(), log([row("好"), row("坏", "明天")]));
    const cells = () =>
      readWorkbook(snap)
        .findings.filter((f) => f.table === COUNTERSIGN_LOG.name)
        .map((f) => f.cell);
    const first = cells();
    expect(first).toHaveLength(1);
    expect(cells()).toEqual(first);
    expect(cells()).toEqual(first);
  });

  test("the same rows under other headers are read by the new columns", () => {
    const rows = [row("甲")];
    const snap = snapshot(table(REGISTER, []), staff(), log(rows));
    expect(readWorkbook(snap).model.log[0].note).toBe("甲");
    // A co-author swapped the Actor and Note headers: the same row arrays, read by the new order.
    const headers = COUNTERSIGN_LOG.columns.map((c) => c.zh);
    const a = COUNTERSIGN_LOG.columns.findIndex((c) => c.key === "actor");
    const n = COUNTERSIGN_LOG.columns.findIndex((c) => c.key === "note");
    [headers[a], headers[n]] = [headers[n], headers[a]];
    const swapped = snapshot(table(REGISTER, []), staff(), { ...log(rows), headers });
    const e = readWorkbook(swapped).model.log[0];
    expect([e.actor, e.note]).toEqual(["甲", "刘洋"]);
  });
});
