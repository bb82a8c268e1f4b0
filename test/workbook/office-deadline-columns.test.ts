/**
 * The Register's deadline columns through Office.js (issue 13), on the strict in-memory Excel:
 * written in one read and one write; real calculated columns (Excel fills them into every new
 * row, the pane's appends included); their highlights as conditional formats; a re-run follows
 * the Deadlines table and replaces only what the add-in generated. Every test runs at the newest
 * requirement set the fake knows and at the manifest's floor.
 */
import fs from "fs";
import path from "path";
import { toSerial } from "../../src/core/calendar";
import { stageOf } from "../../src/core/workflow/stages";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import type { TableState } from "../../src/workbench/fake-excel/state";
import { performAction } from "../../src/workbook/actions";
import { calendarOf } from "../../src/workbook/calendar";
import { deadlineColumns } from "../../src/workbook/deadline-columns";
import { addDeadlineColumns } from "../../src/workbook/deadline-columns-action";
import { demoChanges } from "../../src/workbook/demo";
import { SHORT_NAMES } from "../../src/workbook/names";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import {
  DATE_FORMAT,
  HIGHLIGHT_FILL,
  HIGHLIGHT_FONT,
  NUMBER_FORMAT,
  columnLetter as colLetter,
  emptyChangeSet,
  findTable,
} from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { REQUEST } from "../workflow/fake-office";
import { DEADLINES, REGISTER } from "../../src/workbook/schema";

const FLOOR = /<Set\s+Name="ExcelApi"\s+MinVersion="([\d.]+)"/.exec(
  fs.readFileSync(path.join(__dirname, "../../manifest.xml"), "utf8"),
)![1];
const NOW = toSerial(2026, 10, 20, 15, 30);
const T0 = toSerial(2026, 11, 2, 10, 0);

let version = "1.13";

function office(excel: FakeExcel): OfficeWorkbook {
  return new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
}

async function demo(): Promise<{ excel: FakeExcel; wb: OfficeWorkbook }> {
  const excel = new FakeExcel();
  excel.apiVersion = version;
  const wb = office(excel);
  await wb.read();
  await wb.write(demoChanges("zh"));
  await wb.read(); // the adapter finds the tables set-up made
  return { excel, wb };
}

/** The table column's cells (data body), top to bottom. */
function column(t: TableState, header: string) {
  const col = headers(t).indexOf(header);
  expect(col).toBeGreaterThanOrEqual(0);
  return Array.from({ length: t.bottom - t.top }, (_, r) => t.sheet.get(t.top + 1 + r, t.left + col));
}
const headers = (t: TableState) =>
  Array.from({ length: t.right - t.left + 1 }, (_, c) => String(t.sheet.get(t.top, t.left + c)?.value ?? ""));
const calculated = (t: TableState) => Object.fromEntries([...(t.calculated ?? new Map())].map(([c, f]) => [headers(t)[c], f]));
const GENERATED = [
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
];

describe.each(["1.13", FLOOR])("at ExcelApi %s", (v) => {
  beforeAll(() => {
    version = v;
  });

  test("one read and one write: calculated columns at the Register's end, with structured references, formats and highlights", async () => {
    const { excel, wb } = await demo();
    const before = excel.syncs;
    const done = await addDeadlineColumns(wb, NOW);
    expect(done.ok).toBe(true);
    expect(excel.syncs - before).toBeLessThanOrEqual(2);

    const reg = excel.state.table("Register")!;
    expect(headers(reg).slice(REGISTER.columns.length)).toEqual(GENERATED);
    const formulas = calculated(reg);
    expect(formulas["D1 应完成"]).toBe("=PLAN.DUE([@需求接收],0.5)");
    expect(formulas["D1 超时"]).toBe("=PLAN.OVERDUE([@[D1 应完成]],[@回复客户])");
    expect(formulas["D4 应完成"]).toBe("=PLAN.MILESTONE([@指派],[@交稿时间],0.2)");
    expect(Object.keys(formulas).sort()).toEqual([...GENERATED].sort());
    // Every row holds the formula, never a value of ours; due columns as dates, late ones as numbers.
    for (const h of GENERATED) {
      const cells = column(reg, h);
      expect(cells.every((c) => c?.formula === formulas[h])).toBe(true);
      expect(cells.every((c) => c?.numberFormat === (h.endsWith("应完成") ? DATE_FORMAT : NUMBER_FORMAT))).toBe(true);
    }
    // Highlights: red when late, amber when due today, on each late column's data body.
    const cfs = reg.sheet.conditionalFormats.filter((c) => c.type === "Custom");
    expect(cfs).toHaveLength(12);
    const d1Late = headers(reg).indexOf("D1 超时") + reg.left;
    const onD1 = cfs.filter((c) => c.left === d1Late);
    expect(onD1.map((c) => ({ top: c.top, rows: c.rows, cols: c.cols }))).toEqual(
      [0, 1].map(() => ({ top: reg.top + 1, rows: reg.bottom - reg.top, cols: 1 })),
    );
    // In priority order (the first one wins where both apply), as the generator lists them.
    const wanted = done.ok ? done.columns.find((c) => c.header === "D1 超时")!.highlights! : [];
    expect(wanted[0].formula).toBe("=AND(ISNUMBER($AF2),$AF2>0)");
    expect(onD1.map((c) => [c.formula, c.fill, c.font])).toEqual(
      wanted.map((h) => [h.formula, `#${HIGHLIGHT_FILL[h.fill].slice(2)}`, `#${HIGHLIGHT_FONT[h.fill].slice(2)}`]),
    );
    // The reader reads none of them, and finds nothing new.
    const after = readWorkbook(await wb.read());
    expect(after.findings.filter((f) => /!(Z|A[A-K])\d+$/.test(f.cell ?? ""))).toEqual([]);
  });

  test("with the short names in the workbook, the formulas use them", async () => {
    const { excel, wb } = await demo();
    await wb.addNames(SHORT_NAMES);
    const done = await addDeadlineColumns(wb, NOW);
    expect(done.ok).toBe(true);
    const formulas = calculated(excel.state.table("Register")!);
    expect(formulas["D1 应完成"]).toBe("=DUE([@需求接收],0.5)");
    expect(formulas["D1 超时"]).toBe("=OVERDUE([@[D1 应完成]],[@回复客户])");
    expect(formulas["D4 应完成"]).toBe("=MILESTONE([@指派],[@交稿时间],0.2)");
  });

  test("a card issued from the pane gets the formulas by itself, in two round trips", async () => {
    const { excel, wb } = await demo();
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    const request = REQUEST;
    const before = excel.syncs;
    const issued = await performAction(wb, { action: "issue", actor: "林静", input: { request } }, T0);
    expect(issued.ok).toBe(true);
    expect(excel.syncs - before).toBeLessThanOrEqual(2);
    const reg = excel.state.table("Register")!;
    const formulas = calculated(reg);
    expect(Object.keys(formulas).sort()).toEqual([...GENERATED].sort()); // still calculated columns
    for (const h of GENERATED) expect(column(reg, h).at(-1)?.formula).toBe(formulas[h]);
    expect(column(reg, "项目名称").at(-1)?.value).toBe("新品发布");
    expect(column(reg, "D1 应完成").at(-1)?.numberFormat).toBe(DATE_FORMAT);
    // The highlights grew with the table.
    const d1Late = headers(reg).indexOf("D1 超时") + reg.left;
    expect(reg.sheet.conditionalFormats.filter((c) => c.left === d1Late).map((c) => c.top + c.rows - 1)).toEqual([reg.bottom, reg.bottom]);
    const { model, findings } = readWorkbook(await wb.read());
    expect(model.cards.some((c) => c.project === "新品发布")).toBe(true);
    expect(findings.filter((f) => /!(Z|A[A-K])\d+$/.test(f.cell ?? ""))).toEqual([]);
  });

  test("where the person's option 'Fill formulas in tables' is off, a card issued from the pane still gets the deadline formulas (written by the add-in), in two round trips", async () => {
    const { excel, wb } = await demo();
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    excel.state.fillFormulas = false; // Excel fills nothing into new rows now
    const reg = excel.state.table("Register")!;
    const above = Object.fromEntries(GENERATED.map((h) => [h, column(reg, h).at(-1)?.formula]));
    const request = REQUEST;
    const before = excel.syncs;
    const issued = await performAction(wb, { action: "issue", actor: "林静", input: { request } }, T0);
    expect(issued.ok).toBe(true);
    expect(excel.syncs - before).toBeLessThanOrEqual(2);
    expect(column(reg, "项目名称").at(-1)?.value).toBe("新品发布");
    expect(Object.fromEntries(GENERATED.map((h) => [h, column(reg, h).at(-1)?.formula]))).toEqual(above);
  });

  test("with 'Fill formulas in tables' off, the deadline cells the add-in writes after an append take their column's number format (dates, not serial numbers)", async () => {
    const { excel, wb } = await demo();
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    excel.state.fillFormulas = false;
    const reg = excel.state.table("Register")!;
    const above = Object.fromEntries(GENERATED.map((h) => [h, column(reg, h).at(-1)?.numberFormat]));
    expect(above["D1 应完成"]).toBe(DATE_FORMAT);
    expect(above["D1 超时"]).toBe(NUMBER_FORMAT);
    const request = { ...REQUEST, project: "格式测试" };
    const issued = await performAction(wb, { action: "issue", actor: "林静", input: { request } }, T0);
    expect(issued.ok).toBe(true);
    expect(column(reg, "项目名称").at(-1)?.value).toBe("格式测试");
    expect(Object.fromEntries(GENERATED.map((h) => [h, column(reg, h).at(-1)?.numberFormat]))).toEqual(above);
  });

  test("a co-author's highlight added between the re-run's read and write shifts the priorities: the write notices, calls it a conflict and names the format it hit", async () => {
    const { excel, wb } = await demo();
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    const reg = excel.state.table("Register")!;
    let syncs = 0;
    excel.onSync = (source) => {
      // The re-run's second round trip is its write: a co-author's highlight lands just before it (at the top priority).
      if (source === "Local" && ++syncs === 2) {
        const cf = excel.state.addConditionalFormat(
          reg.sheet,
          { top: reg.top + 1, left: reg.left, rows: reg.bottom - reg.top, cols: 1 },
          "Custom",
        );
        cf.formula = '=$A2<>""';
        cf.fill = "#00FF00";
      }
    };
    const again = await addDeadlineColumns(wb, NOW);
    excel.onSync = undefined;
    expect(again.ok).toBe(false);
    expect(again.ok ? [] : (again.conflicts ?? []).map((c) => String(c.found))).toContainEqual(expect.stringContaining("#00FF00"));
    expect(again.ok ? [] : (again.unrestored ?? []).join("\n")).toContain("was deleted");
  });

  test("a re-run follows the Deadlines table and replaces only what it generated: user columns, user formulas and user highlights stay", async () => {
    const { excel, wb } = await demo();
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    const reg = excel.state.table("Register")!;
    const rows = reg.bottom - reg.top;
    // A user's own calculated column after ours, a user formula in a Register cell, a user highlight on one of our columns.
    await excel.runAsCoauthor(async (ctx) => {
      const t = ctx.workbook.tables.getItem("Register");
      t.columns.add(null as unknown as number, [["备注"], ...Array.from({ length: rows }, () => ["=LEN([@项目名称])"])]);
      const cf = t.columns.getItem("D2 超时").getDataBodyRange().conditionalFormats.add("Custom");
      cf.custom.rule.formula = "=AC2>3";
      cf.custom.format.fill.color = "#0000FF";
      await ctx.sync();
    });
    const noteCol = reg.left + headers(reg).indexOf("备注");
    const memo = headers(reg).indexOf("备注");
    const userCell = { row: reg.top + 3, col: reg.left + headers(reg).indexOf("客户") };
    await excel.runAsCoauthor(async (ctx) => {
      ctx.workbook.worksheets.getItem(reg.sheet.name).getRangeByIndexes(userCell.row, userCell.col, 1, 1).formulas = [['=UPPER("qh")']];
      await ctx.sync();
    });
    // The center makes D2 two business days.
    const snap = await wb.read();
    const d = findTable(snap, "Deadlines")!;
    const amount = d.headers.indexOf(DEADLINES.columns.find((c) => c.key === "amount")!.zh);
    const change = emptyChangeSet();
    change.cells.push({ table: "Deadlines", row: d.rows.findIndex((r) => r[0] === "D2"), col: amount, value: 2 });
    await wb.write(change);
    const headersBefore = headers(reg);
    const userCfs = reg.sheet.conditionalFormats.filter((c) => c.fill === "#0000FF");

    const before = excel.syncs;
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    expect(excel.syncs - before).toBeLessThanOrEqual(2);
    expect(headers(reg)).toEqual(headersBefore); // nothing added twice
    const formulas = calculated(reg);
    expect(formulas["D2 应完成"]).toMatch(/^=PLAN\.DUE\(\[@[^\]]+\],2\)$/);
    expect(formulas["备注"]).toBe("=LEN([@项目名称])");
    expect(column(reg, "备注").every((c) => c?.formula === "=LEN([@项目名称])")).toBe(true);
    expect(reg.sheet.get(userCell.row, userCell.col)?.formula).toBe('=UPPER("qh")');
    expect(memo + reg.left).toBe(noteCol);
    // Our highlights replaced (still two per late column), the user's kept.
    expect(reg.sheet.conditionalFormats.filter((c) => c.fill !== "#0000FF")).toHaveLength(12);
    expect(reg.sheet.conditionalFormats.filter((c) => c.fill === "#0000FF")).toEqual(userCfs);
  });

  test("the red rule an earlier version wrote with a relative column (=AND(ISNUMBER(L2),L2>0)) is recognised as the add-in's own, read from the range it was written on: a re-run leaves exactly one red rule per late column", async () => {
    const { excel, wb } = await demo();
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    const reg = excel.state.table("Register")!;
    const red = `#${HIGHLIGHT_FILL.red.slice(2)}`;
    const reds = () => reg.sheet.conditionalFormats.filter((c) => c.fill === red);
    expect(reds()).toHaveLength(6);
    // The earlier version's form: the same rule with a relative column, on the same range.
    for (const cf of reds()) cf.formula = cf.formula!.replace(/\$([A-Z]+)(\d+)/g, "$1$2");
    expect(reds().every((c) => !c.formula!.includes("$"))).toBe(true);
    const lateCols = GENERATED.filter((h) => h.endsWith("超时")).map((h) => reg.left + headers(reg).indexOf(h));
    const user = excel.state.addConditionalFormat(
      reg.sheet,
      { top: reg.top + 1, left: lateCols[0], rows: reg.bottom - reg.top, cols: 1 },
      "Custom",
    );
    user.formula = `=AND(ISNUMBER(${colLetter(lateCols[0])}${reg.top + 2}),${colLetter(lateCols[0])}${reg.top + 2}>5)`; // a person's own rule, same fill, other threshold
    user.fill = red;

    const before = excel.syncs;
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    expect(excel.syncs - before).toBe(3); // once: the old rules read again from their own ranges
    const ours = reds().filter((c) => c !== user);
    expect(ours.map((c) => c.left).sort((a, b) => a - b)).toEqual(lateCols);
    expect(
      ours.every((c) => c.formula === `=AND(ISNUMBER($${colLetter(c.left)}${reg.top + 2}),$${colLetter(c.left)}${reg.top + 2}>0)`),
    ).toBe(true);
    expect(reg.sheet.conditionalFormats).toContain(user);
    expect(reg.sheet.conditionalFormats.filter((c) => c !== user)).toHaveLength(12);
    const again = excel.syncs;
    expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
    expect(excel.syncs - again).toBeLessThanOrEqual(2); // the old form is gone: two round trips again
    expect(reg.sheet.conditionalFormats.filter((c) => c !== user)).toHaveLength(12);
  });

  test("the same columns as the command line builds; nothing to add without a Register", async () => {
    const { excel, wb } = await demo();
    const { model } = readWorkbook(await wb.read());
    const expected = deadlineColumns(model, calendarOf(model), NOW);
    const done = await addDeadlineColumns(wb, NOW);
    expect(done.ok && done.columns.map((c) => [c.header, c.formula])).toEqual(expected.map((c) => [c.header, c.formula]));
    const empty = new FakeExcel();
    empty.apiVersion = version;
    const refused = await addDeadlineColumns(office(empty), NOW);
    expect(refused.ok).toBe(false);
    void excel;
  });

  test("a co-author who inserts a Register column meanwhile: the write is a conflict and puts everything back", async () => {
    const { excel, wb } = await demo();
    const reg = excel.state.table("Register")!;
    const cellsBefore = JSON.stringify([...reg.sheet.cells].map(([r, l]) => [r, [...l]]));
    let n = 0;
    excel.onSync = async (source) => {
      if (source === "Local" && ++n === 2)
        await excel.runAsCoauthor(async (ctx) => {
          ctx.workbook.tables.getItem("Register").columns.add(null as unknown as number, undefined, "插入列");
          await ctx.sync();
        });
    };
    const done = await addDeadlineColumns(wb, NOW);
    excel.onSync = undefined;
    expect(done.ok).toBe(false);
    expect(headers(reg).filter((h) => GENERATED.includes(h))).toEqual([]);
    expect(reg.sheet.conditionalFormats).toEqual([]);
    void cellsBefore;
  });
});

test("Excel recalculating the deadline columns between an action's read and its write is no conflict (PLAN.OVERDUE is volatile)", async () => {
  version = "1.13";
  const { excel, wb } = await demo();
  expect((await addDeadlineColumns(wb, NOW)).ok).toBe(true);
  const { model } = readWorkbook(await wb.read());
  const card = model.cards.find((c) => stageOf(c, model.revisions) === "sent")!;
  let tick = 0;
  let n = 0;
  excel.onSync = () => {
    if (++n === 2) excel.state.recalculate((f) => (f.includes("OVERDUE") ? ++tick / 1440 : 46300 + tick));
  };
  const closed = await performAction(wb, { action: "close", cardNo: card.cardNo, actor: card.lead! }, T0);
  excel.onSync = undefined;
  expect(tick).toBeGreaterThan(0);
  expect(closed).toMatchObject({ ok: true });
});
