/**
 * The Office.js adapter on the strict in-memory Excel: round trips, appends, text safety. Every
 * test runs twice: at the newest requirement set the fake knows and at the manifest's floor
 * (its <Set Name="ExcelApi" MinVersion=…>), where any API above the floor throws ApiNotFound.
 */
import fs from "fs";
import path from "path";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { REGISTER } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { registerRow, sampleCards, sampleLog } from "./helpers";

/** The ExcelApi version the manifest requires: the oldest Excel the add-in must work in. */
const MANIFEST_FLOOR = /<Set\s+Name="ExcelApi"\s+MinVersion="([\d.]+)"/.exec(
  fs.readFileSync(path.join(__dirname, "../../manifest.xml"), "utf8"),
)![1];

let version = "1.13";
const newExcel = (): FakeExcel => {
  const excel = new FakeExcel();
  excel.apiVersion = version;
  return excel;
};

function office(excel: FakeExcel): OfficeWorkbook {
  return new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
}

async function setUp(excel: FakeExcel, lang: "zh" | "en" = "zh"): Promise<OfficeWorkbook> {
  const wb = office(excel);
  await wb.write(setupChanges(await wb.read(), lang));
  return wb;
}

describe.each(["1.13", MANIFEST_FLOOR])("at ExcelApi %s", (v) => {
  beforeAll(() => {
    version = v;
  });

  test("setting up an empty workbook creates every table; reading it again finds no errors", async () => {
    const excel = newExcel();
    const wb = await setUp(excel);
    const { model, findings } = readWorkbook(await wb.read());
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(model.rules.map((r) => r.id)).toEqual(["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"]);
    expect(model.deadlines.map((d) => d.id)).toEqual(["D1", "D2", "D3", "D4", "D5", "D6", "D7", "E1", "E2", "E3", "E4"]); // E1–E4: the countdowns of client events
    expect(excel.state.sheet("项目登记")).toBeDefined();
    // Set-up again changes nothing.
    const again = setupChanges(await wb.read(), "zh");
    expect(again).toEqual(emptyChangeSet());
  });

  test("10,000 Register rows and 30,000 log rows: written in one sync (desktop); read under Excel on the web's 5 MB limit in slices", async () => {
    const excel = newExcel();
    const wb = await setUp(excel, "en");
    await wb.read();
    let before = excel.syncs;
    const changes = emptyChangeSet();
    changes.appends.push({ table: "Register", rows: sampleCards(10_000), dateCols: [11, 12, 13] });
    changes.appends.push({ table: "CountersignLog", rows: sampleLog(30_000), dateCols: [0] });
    excel.payloadLimit = undefined; // a bulk import in one batch is a desktop affair (over 5 MB)
    await wb.write(changes);
    expect(excel.syncs - before).toBe(1);

    excel.payloadLimit = 5 * 1024 * 1024;
    excel.counter.largest = { request: 0, response: 0 };
    before = excel.syncs;
    const snapshot = await wb.read();
    // The tables are over 5 MB together: the first rows of each in one batch, the rest in slices of about 2 MB.
    expect(excel.syncs - before).toBeGreaterThan(1);
    expect(excel.counter.largest.response).toBeLessThan(4 * 1024 * 1024);
    expect(findTable(snapshot, "Register")!.rows).toHaveLength(10_000);
    expect(findTable(snapshot, "CountersignLog")!.rows).toHaveLength(30_000);
    const { model } = readWorkbook(snapshot);
    expect(model.cards).toHaveLength(10_000);
    expect(model.log).toHaveLength(30_000);
  });

  test("a new table's header cells are written as text, as data is: a header typed as =1+1 or -x stays that text", async () => {
    const excel = newExcel();
    const wb = await setUp(excel, "en");
    await wb.read();
    const changes = emptyChangeSet();
    changes.newTables.push({ name: "KPI_Test", sheet: "KPI test", headers: ["Name", "=1+1", "-x"], rows: [["a", 1, 2]] });
    await wb.write(changes);
    const sheet = excel.state.sheet("KPI test")!;
    expect([0, 1, 2].map((c) => [sheet.get(0, c)?.value, sheet.get(0, c)?.formula])).toEqual([
      ["Name", undefined],
      ["=1+1", undefined],
      ["-x", undefined],
    ]);
  });

  test("a cell update by card number, with a date format; user text is never a formula", async () => {
    const excel = newExcel();
    const wb = await setUp(excel, "en");
    await wb.read();
    const add = emptyChangeSet();
    add.appends.push({
      table: "Register",
      rows: [
        registerRow({ cardNo: "202610-001", project: '=HYPERLINK("x")', key: "No" }),
        registerRow({ cardNo: "202610-002", project: "-minus", key: "No" }),
      ],
    });
    await wb.write(add);
    const { model } = readWorkbook(await wb.read());
    const row = model.cardRows.get("202610-002")!;
    const col = REGISTER.columns.findIndex((c) => c.key === "replied");
    const upd = emptyChangeSet();
    upd.cells.push({ table: "Register", row, col, value: 46304.5, date: true });
    await wb.write(upd);
    const snap = await wb.read();
    const { model: m2 } = readWorkbook(snap);
    expect(m2.cards.find((c) => c.cardNo === "202610-002")!.replied).toBe(46304.5);
    expect(m2.cards.find((c) => c.cardNo === "202610-001")!.project).toBe('=HYPERLINK("x")');
    const sheet = excel.state.sheet("Register")!;
    const raw = findTable(snap, "Register")!;
    expect(sheet.get(raw.top + 1 + row, raw.left + col)!.numberFormat).toBe("yyyy-mm-dd hh:mm");
    for (const [r] of [[0], [1]]) expect(sheet.get(raw.top + 1 + r, raw.left + 1)!.formula).toBeUndefined();
  });

  test("a cell cleared (value null: 撤销 of 指派 clears the lead) is empty in Excel afterwards, not left as it was", async () => {
    const excel = newExcel();
    const wb = await setUp(excel, "zh");
    await wb.read();
    const add = emptyChangeSet();
    add.appends.push({ table: "Register", rows: [registerRow({ cardNo: "202610-001", project: "P", lead: "刘洋", key: "否" })] });
    await wb.write(add);
    const { model } = readWorkbook(await wb.read());
    expect(model.cards[0].lead).toBe("刘洋");
    const clear = emptyChangeSet();
    const col = REGISTER.columns.findIndex((c) => c.key === "lead");
    clear.cells.push({ table: "Register", row: model.cardRows.get("202610-001")!, col, value: null });
    await wb.write(clear);
    expect(readWorkbook(await wb.read()).model.cards[0].lead).toBeUndefined();
  });

  test("a missing required column is added at the end; user columns are kept", async () => {
    const excel = newExcel();
    await excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("登记");
      ws.getRange("A1:D2").values = [
        ["卡号", "项目名称", "我的备注", "需求接收"],
        ["202610-001", "秋季新品", "keep me", "2026-10-08 10:00"],
      ];
      ws.tables.add("A1:D2", true).name = "Register";
      await ctx.sync();
    });
    const wb = office(excel);
    const first = readWorkbook(await wb.read());
    expect(first.findings.some((f) => f.code === "missing-column" && f.zh.includes("回复客户"))).toBe(true);
    await wb.write(setupChanges(await wb.read(), "en"));
    const snap = await wb.read();
    const reg = findTable(snap, "Register")!;
    expect(reg.headers.slice(0, 4)).toEqual(["卡号", "项目名称", "我的备注", "需求接收"]);
    expect(reg.headers).toContain("回复客户"); // the table's own language
    expect(reg.rows[0][2]).toBe("keep me");
    const { model } = readWorkbook(snap);
    expect(model.cards[0].received).toBeCloseTo(46303 + 10 / 24, 9);
  });

  test("a missing required column is reported with English headers too, and added in English", async () => {
    const excel = newExcel();
    await excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.add("Cards");
      ws.getRange("A1:C2").values = [
        ["Card No.", " project ", "Received"],
        ["202610-002", "Launch", "2026/10/8 9:30"],
      ];
      ws.tables.add("A1:C2", true).name = "register";
      await ctx.sync();
    });
    const wb = office(excel);
    const { findings, model } = readWorkbook(await wb.read());
    const missing = findings.filter((f) => f.code === "missing-column");
    expect(missing.map((f) => f.en)).toContainEqual(
      expect.stringMatching(/^Cards: table Register has no column "Replied" \(回复客户\): .*planning-desk init FILE/),
    );
    expect(missing.every((f) => f.severity === "error" && f.cell === "Cards!A1")).toBe(true);
    expect(model.cards[0].project).toBe("Launch"); // header case and spaces ignored
    await wb.write(setupChanges(await wb.read(), "zh"));
    const reg = findTable(await wb.read(), "Register")!;
    expect(reg.headers).toContain("Replied");
    expect(reg.headers).not.toContain("回复客户");
  });
});
