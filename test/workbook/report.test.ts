/**
 * Month end in the workbook: the Penalties table and the KPI sheet through both adapters,
 * reruns, rows typed by hand, a rule added in the Rules table, both header languages, the
 * `report` and `demo` commands.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { toSerial } from "../../src/core/calendar";
import { run } from "../../src/cli/main";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { DEMO_MONTH, demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { lastMonth, monthReport, writeMonthEnd } from "../../src/workbook/report";
import { calendarOf } from "../../src/workbook/calendar";
import { performAction } from "../../src/workbook/actions";
import { PENALTIES, RULES, kpiSheetName, kpiTableName } from "../../src/workbook/schema";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { openXlsx, saveXlsx } from "../helpers/xlsx-file";

const NOW = toSerial(2026, 11, 20, 10, 0);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-report-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function demoFile(name: string, lang: "zh" | "en" = "zh"): Promise<string> {
  const file = path.join(tmp, name);
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(demoChanges(lang));
  await saveXlsx(wb, file);
  return file;
}

const penalties = async (file: string) => findTable(await (await openXlsx(file)).read(), "Penalties")!;

test("lastMonth is the month before now, across the new year", () => {
  expect(lastMonth(toSerial(2026, 11, 22, 9, 0))).toBe("2026-10");
  expect(lastMonth(toSerial(2027, 1, 3, 9, 0))).toBe("2026-12");
});

test("the demo's month end: penalties with evidence, the KPI sheet with a data bar; a rerun gives the same table", async () => {
  const file = await demoFile("demo.xlsx");
  const first = await writeMonthEnd(await openXlsx(file).then(async (wb) => (await wb.read(), wb)), DEMO_MONTH, NOW);
  expect(first.report.penaltyRows.map((r) => r[5])).toEqual(expect.arrayContaining(["P1", "P2", "P4", "P5", "P7", "P8", "P9"]));

  for (let i = 0; i < 2; i++) {
    const wb = await openXlsx(file);
    await writeMonthEnd(wb, DEMO_MONTH, NOW);
    await saveXlsx(wb, file);
  }
  const table = await penalties(file);
  expect(table.rows).toHaveLength(first.report.penaltyRows.length);
  expect(table.rows.map((r) => r[0])).toEqual(table.rows.map(() => "2026-10"));
  const p2 = table.rows.find((r) => r[5] === "P2")!;
  expect(p2.slice(0, 5)).toEqual(["2026-10", "张伟", "AE", "客户满意度", 3]);
  expect(String(p2[6])).toMatch(/^4 次（超过 3 次）：202610-\d{3} D1 应于 2026-10-\d\d \d\d:\d\d，完成/);

  const snap = await (await openXlsx(file)).read();
  const kpi = findTable(snap, kpiTableName(DEMO_MONTH))!;
  expect(kpi.sheet).toBe(kpiSheetName(DEMO_MONTH));
  expect(kpi.headers.slice(0, 3)).toEqual(["姓名", "角色", "扣分-客户需求把控"]);
  expect(kpi.rows).toHaveLength(10); // active people only
  const score = kpi.headers.indexOf("得分");
  const zhang = kpi.rows.find((r) => r[0] === "张伟")!;
  expect(zhang[score]).toBe(97);
  expect(snap.sheetNames.filter((n) => n === kpiSheetName(DEMO_MONTH))).toHaveLength(1);
  const ExcelJS = (await import("exceljs")).default;
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const ws = book.getWorksheet(kpiSheetName(DEMO_MONTH))!;
  const cf = (ws as unknown as { conditionalFormattings: { ref: string; rules: { type: string }[] }[] }).conditionalFormattings;
  expect(cf.some((c) => c.rules.some((r) => r.type === "dataBar"))).toBe(true);
});

test("rows of other months and rows typed by hand are kept; the month's generated rows are replaced", async () => {
  const file = await demoFile("kept.xlsx");
  const wb = await openXlsx(file);
  await wb.read();
  const typed = [
    ["2026-09", "刘洋", "策划", "客户满意度", 5, "P9", "九月的投诉"],
    ["2026-10", "孙悦", "策划", "绩效", 2, "手工", "主管手工记录"],
    ["2026-10", "孙悦", "策划", "客户满意度", 99, "P2", "stale generated row"],
  ];
  const changes = emptyChangeSet();
  changes.appends.push({ table: "Penalties", rows: typed, textCols: [0] });
  await wb.write(changes);
  await saveXlsx(wb, file);

  const again = await openXlsx(file);
  const { report } = await writeMonthEnd(again, DEMO_MONTH, NOW);
  await saveXlsx(again, file);
  expect(report.replacedRows).toEqual([2]);
  const rows = (await penalties(file)).rows;
  expect(rows.slice(0, 2)).toEqual(typed.slice(0, 2));
  expect(rows.some((r) => r[4] === 99)).toBe(false);
  expect(rows).toHaveLength(2 + report.penaltyRows.length);
});

test("a rule the center adds to the Rules table is applied; an English workbook gets English rows", async () => {
  const file = await demoFile("en.xlsx", "en");
  const wb = await openXlsx(file);
  const snap = await wb.read();
  const rules = findTable(snap, "Rules")!;
  expect(rules.headers[0]).toBe("Rule");
  const changes = emptyChangeSet();
  // X1: every late first draft (D5) costs the lead 1 point of "Proposal quality", the reviewer too.
  const row = RULES.columns.map(
    (c) =>
      ({
        id: "X1",
        charge: "Planner",
        alsoCharge: "Reviewer",
        counts: "D5",
        compare: "at least",
        threshold: 1,
        per: "month",
        kpi: "Proposal quality",
        points: 1,
        active: "Yes",
      })[c.key as "id"] ?? null,
  );
  changes.appends.push({ table: "Rules", rows: [row] });
  await wb.write(changes);
  const { report } = await writeMonthEnd(wb, DEMO_MONTH, NOW);
  const x1 = report.penaltyRows.filter((r) => r[5] === "X1");
  expect(x1.length).toBeGreaterThan(0);
  expect(x1[0][3]).toBe("Proposal quality");
  expect(report.kpiHeaders).toContain("Off Proposal quality");
  const p2 = report.penaltyRows.find((r) => r[5] === "P2")!;
  expect(p2[3]).toBe("Customer satisfaction");
  expect(String(p2[6])).toMatch(/^4 times \(more than 3\): /);
});

test("the Office.js path writes the month in at most 3 syncs; the month stays text; the KPI sheet has a table, a data bar and a chart", async () => {
  const excel = new FakeExcel();
  const port = () => new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  const seed = port();
  await seed.read();
  await seed.write(demoChanges("zh"));

  for (let i = 0; i < 2; i++) {
    const before = excel.syncs;
    const { report } = await writeMonthEnd(port(), DEMO_MONTH, NOW);
    expect(excel.syncs - before).toBeLessThanOrEqual(3);
    expect(report.penaltyRows.length).toBeGreaterThan(5);
  }
  const snap = await port().read();
  const table = findTable(snap, PENALTIES.name)!;
  expect(new Set(table.rows.map((r) => r[5])).size).toBe(table.rows.length); // one row per rule in the demo, not two after the rerun
  expect(table.rows.every((r) => r[0] === "2026-10")).toBe(true); // text, not a date serial
  const sheet = excel.state.sheet(kpiSheetName(DEMO_MONTH))!;
  expect(excel.state.table(kpiTableName(DEMO_MONTH))).toBeDefined();
  expect(sheet.dataBars).toHaveLength(1);
  expect(sheet.charts).toHaveLength(1);
  expect(sheet.charts[0].title).toBe("2026-10 考核得分");
  // Made from a range Excel can chart: the numeric score column (one series, named by its header), people's names on the axis.
  const kpi = excel.state.table(kpiTableName(DEMO_MONTH))!;
  const score = Array.from({ length: kpi.right - kpi.left + 1 }, (_, c) => sheet.get(kpi.top, kpi.left + c)?.value).indexOf("得分");
  expect(sheet.charts[0].series).toEqual([
    { name: "得分", values: expect.stringMatching(new RegExp(`!${String.fromCharCode(65 + score)}2:`)) },
  ]);
  expect(sheet.charts[0].categories).toMatch(/!A2:A\d+$/);
  const { findings } = readWorkbook(snap);
  expect(findings.filter((f) => f.severity === "error")).toEqual([]);
});

test("planning-desk report: bad rows are listed and left out, the report is still written", async () => {
  const file = await demoFile("bad.xlsx");
  const wb = await openXlsx(file);
  const snap = await wb.read();
  const reg = findTable(snap, "Register")!;
  const changes = emptyChangeSet();
  changes.cells.push({ table: "Register", row: 5, col: reg.headers.indexOf("回复客户"), value: "十月五号" });
  await wb.write(changes);
  await saveXlsx(wb, file);
  const out: string[] = [];
  const code = await run(
    ["report", file, "--month", "2026-10", "--lang", "zh"],
    (s) => out.push(s),
    (s) => out.push(s),
  );
  expect(code).toBe(0);
  const text = out.join("\n");
  expect(text).toMatch(/项目登记!M7：回复客户的值 "十月五号" 不是日期/);
  expect(text).toContain("2026-10 扣分");
  expect(text).toContain("已写入");
  expect((await penalties(file)).rows.length).toBeGreaterThan(0);
});

test("planning-desk demo writes the sample workbook and its report; usage errors exit 2", async () => {
  const file = path.join(tmp, "sample.xlsx");
  const out: string[] = [];
  expect(
    await run(
      ["demo", file, "--lang", "en"],
      (s) => out.push(s),
      (s) => out.push(s),
    ),
  ).toBe(0);
  expect(out.join("\n")).toMatch(/sample workbook written/);
  expect(out.join("\n")).toMatch(/KPI scores 2026-10/);
  const snap = await (await openXlsx(file)).read();
  expect(findTable(snap, "Penalties")!.rows.length).toBeGreaterThan(0);
  expect(snap.sheetNames).toContain("KPI 2026-10");
  const err: string[] = [];
  expect(
    await run(
      ["report", file, "--month", "2026-13"],
      () => undefined,
      (s) => err.push(s),
    ),
  ).toBe(2);
  expect(err[0]).toMatch(/--month takes YYYY-MM/);
});

test("the month-end preview splits each person's deductions per KPI, with the rules and the cards behind them", async () => {
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(demoChanges("zh"));
  const { model } = readWorkbook(await wb.read());
  const report = monthReport(model, calendarOf(model), DEMO_MONTH, NOW);
  expect(report.preview.length).toBeGreaterThan(0);
  for (const row of report.preview) {
    // The split adds up to the total, and every part names its rules and cards.
    expect(row.byKpi.reduce((a, k) => a + k.points, 0)).toBe(row.total);
    for (const k of row.byKpi) {
      expect(k.rules.length).toBeGreaterThan(0);
      expect(k.cards.every((c) => /^2026\d\d-\d{3}$/.test(c))).toBe(true);
    }
  }
  const ae = report.preview.find((r) => r.person === "张伟")!;
  expect(ae.byKpi).toEqual([expect.objectContaining({ kpi: expect.objectContaining({ zh: "客户满意度" }), points: 3, rules: ["P2"] })]);
  expect(ae.byKpi[0].cards).toHaveLength(4);
});

test("免责 through the add-in: the secretary excuses one of 张伟's late replies; month end no longer counts it and says so", async () => {
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(demoChanges("zh"));
  const before = readWorkbook(await wb.read()).model;
  const p2 = monthReport(before, calendarOf(before), DEMO_MONTH, NOW).evaluation.penalties.find(
    (p) => p.rule.id === "P2" && p.person === "张伟",
  )!;
  expect(p2.triggers).toHaveLength(4);
  const cardNo = p2.cards[0];
  const r = await performAction(
    wb,
    { action: "excuse", cardNo, actor: "林静", input: { deadline: "D1", reason: "客户临时改期，经总监同意" } },
    NOW,
  );
  if (!r.ok) throw new Error(r.reason.zh);
  expect(r.written).toMatchObject({ action: "免责", actor: "林静", note: "免责 D1；原因：客户临时改期，经总监同意" });
  const after = readWorkbook(await wb.read()).model;
  const report = monthReport(after, calendarOf(after), DEMO_MONTH, NOW);
  expect(report.evaluation.penalties.filter((p) => p.rule.id === "P2" && p.person === "张伟")).toEqual([]);
  expect(report.evaluation.excused).toEqual([
    expect.objectContaining({ cardNo, deadline: "D1", by: "林静", person: "张伟", reason: "客户临时改期，经总监同意" }),
  ]);
  expect(report.preview.find((x) => x.person === "张伟")).toBeUndefined();
  // Only the secretary or the director may excuse.
  const refused = await performAction(
    wb,
    { action: "excuse", cardNo: p2.cards[1], actor: "张伟", input: { deadline: "D1", reason: "x" } },
    NOW,
  );
  expect(refused.ok ? "" : refused.reason.zh).toBe("“免责（有正当理由）”须由秘书或总监操作，即 林静、陈刚");
});
