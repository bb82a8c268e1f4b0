/**
 * One list of change sets, each written by both adapters: the Office.js adapter over the strict
 * in-memory Excel, and the .xlsx adapter over a real file in a temp dir (saved, opened again,
 * written, saved, and read back both by the adapter and by ExcelJS). Both must leave the same
 * tables: the same headers, the same values, formulas in the same cells, dates and text in the
 * same number formats. The rules they follow are src/workbook/write-plan.ts's.
 */
import fs from "fs";
import os from "os";
import path from "path";
import ExcelJS from "exceljs";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { CellValue, ChangeSet, DATE_FORMAT, NewTable, Snapshot, TEXT_FORMAT, emptyChangeSet } from "../../src/workbook/port";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { openXlsx, saveXlsx } from "../helpers/xlsx-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "planning-desk-suite-"));

/** A cell as both adapters must leave it: its value, or that it holds a formula; and a date or text format. */
type ViewCell = CellValue | { formula: true };
interface TableView {
  name: string;
  sheet: string;
  headers: string[];
  rows: ViewCell[][];
  /** `row,col` of body cells formatted as dates ("d") or text ("t"). */
  formats: string[];
}

interface Case {
  name: string;
  /** The workbook before: tables written by a first change set (their sheets get created). */
  seed: NewTable[];
  /** A second change set written before the case's own (calculated columns to append under). */
  prepare?: (s: Snapshot) => ChangeSet;
  changes: (s: Snapshot) => ChangeSet;
  /** What the tables must be afterwards (checked on both adapters, besides their being equal). */
  expect?: (views: Map<string, TableView>) => void;
}

const t = (name: string, sheet: string, headers: string[], rows: CellValue[][], extra: Partial<NewTable> = {}): NewTable => ({
  name,
  sheet,
  headers,
  rows,
  ...extra,
});
const change = (f: (c: ChangeSet) => void): ChangeSet => {
  const c = emptyChangeSet();
  f(c);
  return c;
};
const D = 46300.5; // 2026-10-05 12:00
const reg = () =>
  t(
    "Register",
    "项目登记",
    ["卡号", "项目名称", "数量", "需求接收"],
    [
      ["A-1", "甲", 1, D],
      ["A-2", "乙", 2, D + 1],
      ["A-3", "丙", 3, D + 2],
    ],
    { dateCols: [3], textCols: [0] },
  );
const regWithBlanks = () =>
  t(
    "Register",
    "项目登记",
    ["卡号", "项目名称", "数量", "需求接收"],
    [
      ["A-1", "甲", 1, D],
      [null, null, null, null],
      [null, null, null, null],
    ],
    { dateCols: [3], textCols: [0] },
  );
const calcCol = (header = "双倍", formula = "=[@数量]*2", values: CellValue[] = [2, 4, 6]) => ({
  table: "Register",
  header,
  formula,
  values,
});

const CASES: Case[] = [
  {
    name: "cell writes: a date, text kept as text, text that looks like a formula",
    seed: [reg()],
    changes: () =>
      change((c) => {
        c.cells.push({ table: "Register", row: 0, col: 3, value: D + 10, date: true });
        c.cells.push({ table: "Register", row: 1, col: 0, value: "007", text: true });
        c.cells.push({ table: "Register", row: 1, col: 1, value: '=HYPERLINK("http://x")' });
        c.cells.push({ table: "Register", row: 2, col: 1, value: "+86 138" });
        c.cells.push({ table: "Register", row: 2, col: 2, value: "-minus" });
      }),
    expect: (v) => {
      const r = v.get("Register");
      expect(r?.rows[1]).toEqual(["007", '=HYPERLINK("http://x")', 2, D + 1]);
      expect(r?.rows[2].slice(1, 3)).toEqual(["+86 138", "-minus"]);
      expect(r?.formats).toEqual(expect.arrayContaining(["0,3:d", "1,0:t"]));
    },
  },
  {
    name: "appends fill the table's trailing blank rows first",
    seed: [regWithBlanks()],
    changes: () =>
      change((c) =>
        c.appends.push({
          table: "Register",
          rows: [
            ["B-1", "丁", 4, D],
            ["B-2", "戊", 5, D],
            ["B-3", "己", 6, D],
          ],
          dateCols: [3],
        }),
      ),
    expect: (v) => expect(v.get("Register")?.rows.map((r) => r[0])).toEqual(["A-1", "B-1", "B-2", "B-3"]),
  },
  {
    name: "appends go below a full table, text that looks like a formula stays text",
    seed: [reg()],
    changes: () =>
      change((c) =>
        c.appends.push({
          table: "Register",
          rows: [
            ["B-1", "=1+1", 4, D],
            ["B-2", "@x", null, null],
          ],
          dateCols: [3],
        }),
      ),
    expect: (v) =>
      expect(v.get("Register")?.rows.slice(3)).toEqual([
        ["B-1", "=1+1", 4, D],
        ["B-2", "@x", null, null],
      ]),
  },
  {
    name: "a new calculated column, then appends below: the column fills the new rows",
    seed: [reg()],
    prepare: () => change((c) => (c.calculatedColumns = [calcCol()])),
    changes: () => change((c) => c.appends.push({ table: "Register", rows: [["B-1", "丁", 4, D]], dateCols: [3] })),
    expect: (v) => expect(v.get("Register")?.rows[3]).toEqual(["B-1", "丁", 4, D, { formula: true }]),
  },
  {
    name: "a row holding only calculated-column formulas is blank: an append fills it",
    seed: [regWithBlanks()],
    prepare: () => change((c) => (c.calculatedColumns = [calcCol("双倍", "=[@数量]*2", [2, 0, 0])])),
    changes: () => change((c) => c.appends.push({ table: "Register", rows: [["B-1", "丁", 4, D]], dateCols: [3] })),
    expect: (v) => {
      const rows = v.get("Register")?.rows;
      expect(rows?.map((r) => r[0])).toEqual(["A-1", "B-1", null]);
      expect(rows?.[1]).toEqual(["B-1", "丁", 4, D, { formula: true }]);
    },
  },
  {
    name: "an append that brings a value for a calculated column writes it",
    seed: [reg()],
    prepare: () => change((c) => (c.calculatedColumns = [calcCol()])),
    changes: () => change((c) => c.appends.push({ table: "Register", rows: [["B-1", "丁", 4, D, 99]], dateCols: [3] })),
    expect: (v) => expect(v.get("Register")?.rows[3]).toEqual(["B-1", "丁", 4, D, 99]),
  },
  {
    name: "a note typed as text that looks like a formula does not make its column a calculated one",
    seed: [t("CountersignLog", "会签记录", ["时间", "备注", "校验"], [[D, "=备注", "h1"]], { dateCols: [0] })],
    changes: () => change((c) => c.appends.push({ table: "CountersignLog", rows: [[D + 1, "", "h2"]], dateCols: [0] })),
    expect: (v) =>
      expect(v.get("CountersignLog")?.rows).toEqual([
        [D, "=备注", "h1"],
        [D + 1, null, "h2"],
      ]),
  },
  {
    name: "deletions, bottom-up, with an append after them in the same write",
    seed: [reg()],
    changes: () =>
      change((c) => {
        c.deleteRows.push({ table: "Register", rows: [2, 0, 2] });
        c.appends.push({ table: "Register", rows: [["B-1", "丁", 4, D]], dateCols: [3] });
      }),
    expect: (v) => expect(v.get("Register")?.rows.map((r) => r[0])).toEqual(["A-2", "B-1"]),
  },
  {
    name: "added columns, a cell written into one, an append across the new width",
    seed: [reg()],
    changes: () =>
      change((c) => {
        c.addColumns.push({ table: "Register", headers: ["备注", "类型"] });
        c.cells.push({ table: "Register", row: 1, col: 4, value: "note" });
        c.appends.push({ table: "Register", rows: [["B-1", "丁", 4, D, "n", "工单"]], dateCols: [3] });
      }),
    expect: (v) => {
      const r = v.get("Register");
      expect(r?.headers).toEqual(["卡号", "项目名称", "数量", "需求接收", "备注", "类型"]);
      expect(r?.rows[1][4]).toBe("note");
      expect(r?.rows[3]).toEqual(["B-1", "丁", 4, D, "n", "工单"]);
    },
  },
  {
    name: "a new table replaces its sheet; another goes into a new sheet",
    seed: [
      reg(),
      t(
        "Penalties",
        "扣分",
        ["月份", "扣分"],
        [
          ["2026-09", 1],
          ["2026-09", 2],
          ["2026-09", 3],
        ],
        { textCols: [0] },
      ),
    ],
    changes: () =>
      change((c) => {
        c.newTables.push(
          t("Penalties", "扣分", ["月份", "责任人", "扣分"], [["2026-10", "王", 2]], {
            textCols: [0],
            numberCols: [2],
            replaceSheet: true,
          }),
        );
        c.newTables.push(
          t(
            "Staff",
            "人员",
            ["姓名", "角色"],
            [
              ["王", "策划"],
              ["=李", "经理"],
            ],
          ),
        );
      }),
    expect: (v) => {
      expect(v.get("Penalties")?.rows).toEqual([["2026-10", "王", 2]]);
      expect(v.get("Penalties")?.formats).toEqual(["0,0:t"]);
      expect(v.get("Staff")?.rows[1][0]).toBe("=李");
    },
  },
  {
    name: "calculated columns: one replaced by header, one new after added columns",
    seed: [reg()],
    prepare: () => change((c) => (c.calculatedColumns = [calcCol()])),
    changes: () =>
      change((c) => {
        c.addColumns.push({ table: "Register", headers: ["备注"] });
        c.calculatedColumns = [
          calcCol("双倍", "=[@数量]*3", [3, 6, 9]),
          { table: "Register", header: "到期", formula: "=[@需求接收]+1", values: [D + 1, D + 2, D + 3], format: DATE_FORMAT },
        ];
      }),
    expect: (v) => {
      const r = v.get("Register");
      expect(r?.headers).toEqual(["卡号", "项目名称", "数量", "需求接收", "双倍", "备注", "到期"]);
      expect(r?.rows[0]).toEqual(["A-1", "甲", 1, D, { formula: true }, null, { formula: true }]);
      expect(r?.formats).toEqual(expect.arrayContaining(["0,6:d", "2,6:d"]));
    },
  },
  {
    name: "guards on the rows the write relies on, which still hold what was read",
    seed: [reg()],
    changes: () =>
      change((c) => {
        c.guards = [{ table: "Register", row: 1 }];
        c.cells.push({ table: "Register", row: 1, col: 2, value: 20 });
        c.appends.push({ table: "Register", rows: [["B-1", "丁", 4, D]], dateCols: [3] });
      }),
    expect: (v) => {
      expect(v.get("Register")?.rows[1][2]).toBe(20);
      expect(v.get("Register")?.rows[3][0]).toBe("B-1");
    },
  },
];

const formatTag = (f: string | undefined) => (f === DATE_FORMAT ? "d" : f === TEXT_FORMAT ? "t" : undefined);

async function viaOffice(c: Case): Promise<Map<string, TableView>> {
  const excel = new FakeExcel();
  const wb = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  await wb.read();
  await wb.write(change((x) => (x.newTables = c.seed)));
  if (c.prepare) expect(await wb.write(c.prepare(await wb.read()))).toEqual({ conflicts: [] });
  expect(await wb.write(c.changes(await wb.read()))).toEqual({ conflicts: [] });
  const snapshot = await wb.read();
  const views = new Map<string, TableView>();
  for (const raw of snapshot.tables.values()) {
    const sheet = excel.state.sheet(raw.sheet);
    const formats: string[] = [];
    const rows = raw.rows.map((row, r) =>
      row.map((v, col): ViewCell => {
        const cell = sheet?.get(raw.top + 1 + r, raw.left + col);
        const tag = formatTag(cell?.numberFormat);
        if (tag && v !== null) formats.push(`${r},${col}:${tag}`);
        return cell?.formula ? { formula: true } : v;
      }),
    );
    views.set(raw.name, { name: raw.name, sheet: raw.sheet, headers: raw.headers, rows, formats });
  }
  return views;
}

async function viaFile(c: Case, n: number): Promise<Map<string, TableView>> {
  const file = path.join(dir, `case-${n}.xlsx`);
  const first = XlsxWorkbook.create();
  await first.write(change((x) => (x.newTables = c.seed)));
  await saveXlsx(first, file);
  if (c.prepare) {
    const wb = await openXlsx(file);
    await wb.write(c.prepare(await wb.read()));
    await saveXlsx(wb, file);
  }
  const wb = await openXlsx(file);
  await wb.write(c.changes(await wb.read()));
  await saveXlsx(wb, file);
  const snapshot = await (await openXlsx(file)).read();
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const views = new Map<string, TableView>();
  for (const raw of snapshot.tables.values()) {
    const ws = book.getWorksheet(raw.sheet);
    const formats: string[] = [];
    const rows = raw.rows.map((row, r) =>
      row.map((v, col): ViewCell => {
        const cell = ws?.getRow(raw.top + 2 + r).getCell(raw.left + col + 1);
        const tag = formatTag(cell?.numFmt);
        if (tag && v !== null) formats.push(`${r},${col}:${tag}`);
        return cell?.type === ExcelJS.ValueType.Formula ? { formula: true } : v;
      }),
    );
    views.set(raw.name, { name: raw.name, sheet: raw.sheet, headers: raw.headers, rows, formats });
  }
  return views;
}

const sorted = (views: Map<string, TableView>) =>
  [...views.values()].map((v) => ({ ...v, formats: [...v.formats].sort() })).sort((a, b) => a.name.localeCompare(b.name));

describe.each(CASES.map((c, i) => [c.name, c, i] as const))("%s", (_, c, i) => {
  test("both adapters leave the same tables, as expected", async () => {
    const office = await viaOffice(c);
    const file = await viaFile(c, i);
    c.expect?.(office);
    c.expect?.(file);
    expect(sorted(file)).toEqual(sorted(office));
  });
});
