/**
 * The Register's own deadline columns in .xlsx files: calculated columns whose saved values
 * are what the custom functions compute (to the minute), for the demo and a 5,000-card
 * workbook; re-runs follow the Deadlines table and touch nothing else; new rows get the
 * formulas; `check` says nothing about them.
 */
import { strToU8, unzipSync, zipSync } from "fflate";
import { BusinessCalendar, serialDay, toSerial } from "../../src/core/calendar";
import { due as planDue, milestone as planMilestone, overdue as planOverdue } from "../../src/functions/functions";
import { configureFunctions } from "../../src/functions/config";
import { calendarOf } from "../../src/workbook/calendar";
import { rowFor } from "../../src/workbook/cells";
import { deadlineColumns, dueHeader, lateHeader } from "../../src/workbook/deadline-columns";
import { demoChanges } from "../../src/workbook/demo";
import { CellValue, emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { DEADLINES, INCIDENTS, REGISTER, REVISIONS, STAFF } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { bigMonth } from "../../bench/month";
import { registerRow } from "./helpers";
import { openXlsx } from "../helpers/xlsx-file";

const NOW = toSerial(2026, 10, 20, 15, 30);
const MINUTE = 1 / 1440;

async function demo(): Promise<XlsxWorkbook> {
  const wb = XlsxWorkbook.create();
  await wb.write(demoChanges("zh"));
  return XlsxWorkbook.fromBytes(await wb.toBytes());
}

async function withColumns(wb: XlsxWorkbook, now = NOW): Promise<XlsxWorkbook> {
  const { model } = readWorkbook(await wb.read());
  const c = emptyChangeSet();
  c.calculatedColumns = deadlineColumns(model, calendarOf(model), now);
  await wb.write(c);
  return XlsxWorkbook.fromBytes(await wb.toBytes());
}

const one = async (p: unknown): Promise<CellValue> => ((await p) as CellValue[][])[0][0];

/** Every generated cell against the custom functions' own code on the same row's inputs. */
async function expectFunctionsAgree(wb: XlsxWorkbook, now = NOW): Promise<number> {
  const snap = await wb.read();
  const { model } = readWorkbook(snap);
  const cal = calendarOf(model);
  configureFunctions({ calendar: cal, lang: "zh", timeZone: "Asia/Shanghai", nowMs: undefined });
  const reg = findTable(snap, "Register")!;
  const col = (h: string) => reg.headers.indexOf(h);
  const keyCol = (key: string) => reg.headers.indexOf(REGISTER.columns.find((c) => c.key === key)!.zh);
  let compared = 0;
  for (const def of model.deadlines.filter((d) => d.table === "Register" && d.ends !== "")) {
    const dueAt = col(dueHeader(def.id, "zh"));
    const lateAt = col(lateHeader(def.id, "zh"));
    expect(dueAt).toBeGreaterThan(0);
    for (const [cardNo, row] of model.cardRows) {
      if (model.badCardRows.has(row)) continue;
      const line = reg.rows[row];
      const start = line[keyCol(def.starts)];
      const fnDue =
        def.unit === "business days"
          ? await one(planDue([[start]] as never, [[def.amount]] as never))
          : def.unit === "schedule"
            ? await one(planMilestone([[start]] as never, [[line[keyCol("due")]]] as never, [[def.amount]] as never))
            : start === null
              ? ""
              : (start as number) + def.amount / 24;
      const saved = line[dueAt];
      if (typeof fnDue === "number") {
        expect({ cardNo, id: def.id, diff: Math.abs((saved as number) - fnDue) <= MINUTE / 2 }).toEqual({ cardNo, id: def.id, diff: true });
        const fnLate = await one(planOverdue([[fnDue]] as never, [[line[keyCol(def.ends)]]] as never, [[now]] as never));
        expect({ cardNo, id: def.id, late: Math.abs((line[lateAt] as number) - (fnLate as number)) <= MINUTE }).toEqual({
          cardNo,
          id: def.id,
          late: true,
        });
        compared++;
      } else expect({ cardNo, id: def.id, saved: saved ?? "" }).toEqual({ cardNo, id: def.id, saved: "" });
    }
  }
  return compared;
}

test("the demo: every generated value is what the custom functions compute, to the minute", async () => {
  const wb = await withColumns(await demo());
  expect(await expectFunctionsAgree(wb)).toBeGreaterThan(100);
});

test("5,000 cards: the same, for every card and deadline", async () => {
  const m = bigMonth(5000, 0, 0);
  const wb = XlsxWorkbook.create();
  const setup = setupChanges(await wb.read(), "zh");
  const fill = (name: string, rows: unknown[][]) => (setup.newTables.find((t) => t.name === name)!.rows = rows as never);
  fill(
    "Staff",
    m.staff.map((s) => rowFor(STAFF, s, "zh")),
  );
  fill(
    "Register",
    m.cards.map((c) => rowFor(REGISTER, c, "zh")),
  );
  void REVISIONS;
  void INCIDENTS;
  await wb.write(setup);
  const now = serialDay(2026, 11, 3) + 0.6;
  const out = await withColumns(await XlsxWorkbook.fromBytes(await wb.toBytes()), now);
  expect(await expectFunctionsAgree(out, now)).toBeGreaterThan(5000 * 4);
});

test("the file holds calculated columns Excel fills by itself, saved values, highlights, and asks Excel to recalculate", async () => {
  const wb = await withColumns(await demo());
  const parts = unzipSync(await wb.toBytes());
  const text = (n: string) => new TextDecoder().decode(parts[n]);
  const tables = Object.keys(parts)
    .filter((n) => n.startsWith("xl/tables/"))
    .map(text);
  const reg = tables.find((t) => /displayName="Register"/.test(t))!;
  expect(reg).toContain(
    '<tableColumn id="31" name="D1 应完成"><calculatedColumnFormula>_xldudf_PLAN_DUE(Register[[#This Row],[需求接收]],0.5)</calculatedColumnFormula></tableColumn>',
  );
  expect(reg).toContain("_xldudf_PLAN_OVERDUE(Register[[#This Row],[D1 应完成]],Register[[#This Row],[回复客户]])");
  expect(reg).toContain("_xldudf_PLAN_MILESTONE(Register[[#This Row],[指派]],Register[[#This Row],[交稿时间]],0.2)");
  expect(text("xl/workbook.xml")).toMatch(/<calcPr[^>]*fullCalcOnLoad="1"/);
  const sheets = Object.keys(parts)
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .map(text);
  const sheet = sheets.find((s) => s.includes("_xldudf_PLAN_DUE"))!;
  expect(sheet).toMatch(/<c r="AE2" s="\d+"><f>_xldudf_PLAN_DUE\(Register\[\[#This Row\],\[需求接收\]\],0\.5\)<\/f><v>[\d.]+<\/v><\/c>/);
  expect(sheet).toMatch(
    /<conditionalFormatting sqref="AF2:AF\d+"><cfRule type="expression" dxfId="\d+" priority="\d+"><formula>AND\(ISNUMBER\(\$AF2\),\$AF2&gt;0\)<\/formula>/,
  );
  expect(text("xl/styles.xml")).toContain('<bgColor rgb="FFFFC7CE"/>');
  // check reads nothing of them as input and reports nothing about them.
  const { findings } = readWorkbook(await wb.read());
  expect(findings.filter((f) => /应完成|超时/.test(`${f.zh}`))).toEqual([]);
});

test("a re-run follows the Deadlines table and changes only the generated columns; user columns and formulas stay; new rows get the formulas", async () => {
  let wb = await withColumns(await demo());
  // A user adds a column with a formula (as Excel would save it), and the center makes D2 two days.
  const bytes = await wb.toBytes();
  const parts = unzipSync(bytes);
  const sheetName = Object.keys(parts).find(
    (n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n) && new TextDecoder().decode(parts[n]).includes("_xldudf_PLAN_DUE"),
  )!;
  let xml = new TextDecoder().decode(parts[sheetName]);
  xml = xml
    .replace(/<row r="2"([^>]*)>/, '<row r="2"$1>')
    .replace("</sheetData>", '<row r="60"><c r="C60"><f>LEN("mine")</f><v>4</v></c></row></sheetData>');
  parts[sheetName] = strToU8(xml);
  wb = await XlsxWorkbook.fromBytes(zipSync(parts));
  const snap = await wb.read();
  const d = findTable(snap, "Deadlines")!;
  const amountCol = d.headers.indexOf(DEADLINES.columns.find((c) => c.key === "amount")!.zh);
  const d2 = d.rows.findIndex((r) => r[0] === "D2");
  const c = emptyChangeSet();
  c.cells.push({ table: "Deadlines", row: d2, col: amountCol, value: 2 });
  await wb.write(c);
  const before = findTable(await wb.read(), "Register")!;
  wb = await withColumns(wb);
  const after = findTable(await wb.read(), "Register")!;
  expect(after.headers).toEqual(before.headers); // no column added twice
  const out = unzipSync(await wb.toBytes());
  const table = Object.keys(out)
    .filter((n) => n.startsWith("xl/tables/"))
    .map((n) => new TextDecoder().decode(out[n]))
    .find((t) => /displayName="Register"/.test(t))!;
  expect(table).toContain("_xldudf_PLAN_DUE(Register[[#This Row],[指派]],2)");
  expect(new TextDecoder().decode(out[sheetName])).toContain('<c r="C60"><f>LEN("mine")</f><v>4</v></c>');
  // Every column that is not generated holds what it held.
  const generated = new Set(after.headers.map((h, i) => (/ (应完成|超时)$/.test(h) ? i : -1)));
  after.rows.forEach((r, i) => r.forEach((v, j) => generated.has(j) || expect(v).toEqual(before.rows[i][j])));
  // A card appended below the table gets the formulas (as Excel fills a calculated column).
  const add = emptyChangeSet();
  add.appends.push({
    table: "Register",
    rows: [registerRow({ cardNo: "202610-999", project: "新", key: "否", intake: "AE", received: NOW })],
  });
  await wb.write(add);
  const last = new TextDecoder().decode(unzipSync(await wb.toBytes())[sheetName]);
  const row = findTable(await wb.read(), "Register")!.rows.length + 1;
  expect(last).toMatch(
    new RegExp(`<c r="AE${row}"[^>]*><f>_xldudf_PLAN_DUE\\(Register\\[\\[#This Row\\],\\[需求接收\\]\\],0\\.5\\)</f></c>`),
  );
  void BusinessCalendar;
});

test("planning-desk init --deadline-columns: added once, re-run replaces them, check stays clean", async () => {
  const fs = await import("fs");
  const os = await import("os");
  const path = await import("path");
  const { run } = await import("../../src/cli/main");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-dl-"));
  const f = path.join(dir, "demo.xlsx");
  fs.writeFileSync(f, await (await demo()).toBytes());
  const out: string[] = [];
  expect(
    await run(
      ["init", f, "--deadline-columns", "--lang", "zh"],
      (s) => out.push(s),
      (s) => out.push(s),
    ),
  ).toBe(0);
  expect(out.join("\n")).toContain("12 个时限列");
  const headers1 = findTable(await (await openXlsx(f)).read(), "Register")!.headers;
  expect(
    await run(
      ["init", f, "--deadline-columns"],
      () => undefined,
      () => undefined,
    ),
  ).toBe(0);
  const headers2 = findTable(await (await openXlsx(f)).read(), "Register")!.headers;
  expect(headers2).toEqual(headers1);
  expect(headers1.slice(REGISTER.columns.length)).toEqual([
    "D1 应完成",
    "D1 超时",
    "D2 应完成",
    "D2 超时",
    "D3 应完成",
    "D3 超时",
    "D4 应完成",
    "D4 超时",
    "D5 应完成",
    "D5 超时",
    "D6 应完成",
    "D6 超时",
  ]);
  const check: string[] = [];
  await run(
    ["check", f, "--json"],
    (s) => check.push(s),
    () => undefined,
  );
  expect(JSON.parse(check.join("\n")).findings.filter((x: { cell?: string }) => /!(Z|A[A-K])\d+$/.test(x.cell ?? ""))).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("rows left out for a bad cell elsewhere still get saved values from the cells their formulas read; a formula reading a bad cell gets none", async () => {
  const wb = await demo();
  const snap = await wb.read();
  const reg = findTable(snap, "Register")!;
  const at = (key: string) => reg.headers.indexOf(REGISTER.columns.find((c) => c.key === key)!.zh);
  const c = emptyChangeSet();
  // Row 0: a bad Key (重点项目) — not read by any deadline formula. Row 1: a Replied typed as words.
  c.cells.push(
    { table: "Register", row: 0, col: at("key"), value: "也许" },
    { table: "Register", row: 1, col: at("replied"), value: "马上" },
  );
  await wb.write(c);
  const { model } = readWorkbook(await wb.read());
  expect([0, 1].every((r) => model.badCardRows.has(r))).toBe(true);
  const out = await withColumns(wb);
  const after = findTable(await out.read(), "Register")!;
  const col = (h: string) => after.headers.indexOf(h);
  configureFunctions({ calendar: calendarOf(model), lang: "zh", timeZone: "Asia/Shanghai", nowMs: undefined });
  for (const row of [0, 1]) {
    const line = after.rows[row];
    const fnDue = await one(planDue([[line[at("received")]]] as never, [[0.5]] as never));
    expect(typeof fnDue).toBe("number");
    expect({ row, due: Math.abs((line[col("D1 应完成")] as number) - (fnDue as number)) <= MINUTE / 2 }).toEqual({ row, due: true });
    // D2 reads Assigned only: a number on both rows.
    expect(typeof line[col("D2 应完成")]).toBe("number");
  }
  const fnLate = await one(
    planOverdue([[after.rows[0][col("D1 应完成")]]] as never, [[after.rows[0][at("replied")]]] as never, [[NOW]] as never),
  );
  expect(Math.abs((after.rows[0][col("D1 超时")] as number) - (fnLate as number)) <= MINUTE).toBe(true);
  // Row 1's D1 late reads the unreadable Replied: no saved value (Excel shows #VALUE! there).
  expect(after.rows[1][col("D1 超时")]).toBeNull();
});
