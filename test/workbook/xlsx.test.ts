/** The .xlsx adapter on real files, the reader's findings in both header languages, and the CLI. */
import fs from "fs";
import os from "os";
import path from "path";
import ExcelJS from "exceljs";
import { run } from "../../src/cli/main";
import { emptyChangeSet } from "../../src/workbook/port";
import { readWorkbook, Finding } from "../../src/workbook/read";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { registerRow, sampleCards } from "./helpers";
import { openXlsx, saveXlsx } from "../helpers/xlsx-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "planning-desk-"));
const file = (name: string) => path.join(dir, name);

async function newWorkbook(name: string, lang: "zh" | "en", cards: ReturnType<typeof registerRow>[] = []): Promise<string> {
  const wb = XlsxWorkbook.create();
  await wb.write(setupChanges(await wb.read(), lang));
  if (cards.length) {
    const c = emptyChangeSet();
    c.appends.push({ table: "Register", rows: cards, dateCols: [11, 12, 13, 14, 15, 16] });
    await wb.write(c);
  }
  await saveXlsx(wb, file(name));
  return file(name);
}

async function findingsOf(f: string): Promise<Finding[]> {
  return readWorkbook(await (await openXlsx(f)).read()).findings;
}

test("round trip keeps what Planning Desk does not own", async () => {
  const f = await newWorkbook("roundtrip.xlsx", "zh", sampleCards(3));
  // A person adds a sheet, a user column with a formula, a style and a defined name.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(f);
  const notes = wb.addWorksheet("Notes");
  notes.getCell("A1").value = "mine";
  notes.getCell("B2").value = { formula: "1+1", result: 2 };
  notes.getCell("A1").font = { bold: true, color: { argb: "FFFF0000" } };
  wb.definedNames.add("Notes!$A$1", "MyName");
  const reg = wb.getWorksheet("项目登记")!;
  reg.getCell("AA1").value = "私人备注";
  reg.getCell("AA2").value = { formula: 'A2&"!"', result: "x!" };
  await wb.xlsx.writeFile(f);

  const before = new ExcelJS.Workbook();
  await before.xlsx.readFile(f);
  const ours = await openXlsx(f);
  const { model } = readWorkbook(await ours.read());
  const c = emptyChangeSet();
  c.cells.push({ table: "Register", row: model.cardRows.get("202609-00002")!, col: 12, value: 46300.5, date: true });
  c.appends.push({ table: "Register", rows: [registerRow({ cardNo: "202609-99999", project: "=cmd|' /C calc'!A0", key: "No" })] });
  await ours.write(c);
  await saveXlsx(ours, f);

  const after = new ExcelJS.Workbook();
  await after.xlsx.readFile(f);
  expect(after.getWorksheet("Notes")!.getCell("A1").value).toBe("mine");
  expect(after.getWorksheet("Notes")!.getCell("B2").value).toEqual(before.getWorksheet("Notes")!.getCell("B2").value);
  expect(after.getWorksheet("Notes")!.getCell("A1").font?.bold).toBe(true);
  expect(after.definedNames.getRanges("MyName").ranges).toEqual(["Notes!$A$1"]);
  expect(after.getWorksheet("项目登记")!.getCell("AA2").value).toEqual({ formula: 'A2&"!"', result: "x!" });
  // Only the cells of the change moved.
  const regBefore = before.getWorksheet("项目登记")!;
  const regAfter = after.getWorksheet("项目登记")!;
  for (let r = 1; r <= 4; r++)
    for (let col = 1; col <= 25; col++) {
      if (r === 3 && col === 13) continue;
      expect([r, col, regAfter.getCell(r, col).value]).toEqual([r, col, regBefore.getCell(r, col).value]);
    }
  expect(typeof regAfter.getCell(5, 2).value).toBe("string"); // user text is text, never a formula
  const again = readWorkbook(await (await openXlsx(f)).read());
  expect(again.model.cards.map((x) => x.cardNo)).toContain("202609-99999");
  expect(again.model.cards.find((x) => x.cardNo === "202609-00002")!.replied).toBe(46300.5);
  expect(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
});

describe.each(["zh", "en"] as const)("findings with %s headers", (lang) => {
  let f: string;
  let findings: Finding[];
  beforeAll(async () => {
    f = await newWorkbook(`bad-${lang}.xlsx`, lang, [
      registerRow({
        cardNo: "202610-001",
        project: "A",
        key: "Yes",
        intake: "AE",
        initiator: "Li",
        ae: "Li",
        lead: "Wang",
        received: "2026-10-08 10:00",
        replied: "soon",
      }),
      registerRow({ cardNo: "202610-001", project: "B", key: "No", intake: "AE" }),
      registerRow({ cardNo: "202610-003", project: "C", key: "maybe", intake: "AE" }),
      registerRow({ cardNo: "202610-004", project: "D", key: "是", intake: "客户", received: 46303.5, replied: 46303.25 }),
      registerRow({ cardNo: "202610-005", project: "E", key: "N", intake: "策划", initiator: "Nobody", received: "2026/10/8 9:00" }),
    ]);
    const wb = await openXlsx(f);
    const staff = emptyChangeSet();
    staff.appends.push({
      table: "Staff",
      rows: [
        ["Li", "AE", null, "Yes"],
        ["Wang", lang === "zh" ? "策划" : "Planner", null, "Y"],
      ],
    });
    await wb.write(staff);
    await saveXlsx(wb, f);
    findings = await findingsOf(f);
  });
  const sheet = lang === "zh" ? "项目登记" : "Register";

  test("a date that is no date, with sheet, cell and value", () => {
    const bad = findings.find((x) => x.code === "bad-date")!;
    expect(bad.cell).toBe(`${sheet}!M2`);
    expect(bad.value).toBe("soon");
    expect(bad.zh).toContain(`${sheet}!M2`);
    expect(bad.en).toContain('"soon" is not a date');
  });
  test("a card number used twice", () => {
    expect(findings.find((x) => x.code === "duplicate-card")).toMatchObject({ cell: `${sheet}!A3`, value: "202610-001" });
  });
  test("a Yes/No that is neither", () => {
    expect(findings.find((x) => x.code === "bad-yesno")).toMatchObject({ cell: `${sheet}!E4`, value: "maybe" });
  });
  test("a choice that is not one of the words", () => {
    expect(findings.find((x) => x.code === "bad-choice")).toMatchObject({ cell: `${sheet}!F5`, value: "客户" });
  });
  test("dates out of order", () => {
    expect(findings.find((x) => x.code === "date-order")).toMatchObject({ cell: `${sheet}!M5` });
  });
  test("a name not in Staff", () => {
    expect(findings.find((x) => x.code === "unknown-person")).toMatchObject({ cell: `${sheet}!G6`, value: "Nobody", severity: "warning" });
  });
  test("bad rows are left out; ISO text dates are read", async () => {
    const { model } = readWorkbook(await (await openXlsx(f)).read());
    expect(model.cards.map((c) => c.cardNo)).toEqual(["202610-005"]);
    expect(model.cards[0].received).toBeCloseTo(46303 + 9 / 24, 9);
  });
});

test("a missing Register is an error; missing configuration tables mean defaults", async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("Sheet1").getCell("A1").value = "hello";
  await wb.xlsx.writeFile(file("empty.xlsx"));
  const { model, findings } = readWorkbook(await (await openXlsx(file("empty.xlsx"))).read());
  expect(findings.map((f) => f.code)).toEqual(["missing-table"]);
  expect(model.rules).toHaveLength(9);
  expect(model.settings.periods).toEqual([
    [540, 720],
    [810, 1080],
  ]);
});

describe("planning-desk init and check", () => {
  const lines: string[] = [];
  const errs: string[] = [];
  const out = (s: string) => lines.push(s);
  const err = (s: string) => errs.push(s);
  beforeEach(() => {
    lines.length = 0;
    errs.length = 0;
  });

  test("init makes a workbook that checks clean", async () => {
    expect(await run(["init", file("new.xlsx"), "--lang", "en"], out, err)).toBe(0);
    expect(await run(["check", file("new.xlsx")], out, err)).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file("new.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Register",
      "Revisions",
      "Incidents",
      "Staff",
      "Calendar",
      "Countersign Log",
      "Penalties",
      "Rules",
      "Deadlines",
      "Standards",
      "Settings",
      "Routes",
    ]);
  });

  test("check exits 1 on errors, lists them, and --json is machine-readable", async () => {
    const f = await newWorkbook("check.xlsx", "en", [
      registerRow({ cardNo: "X-1", project: "P", key: "No", intake: "AE", received: "tomorrow" }),
    ]);
    expect(await run(["check", f, "--lang", "en"], out, err)).toBe(1);
    expect(lines.join("\n")).toContain('Register!L2: Received: "tomorrow" is not a date');
    lines.length = 0;
    expect(await run(["check", f, "--json"], out, err)).toBe(1);
    const j = JSON.parse(lines.join("\n"));
    expect(j.errors).toBe(1);
    expect(j.findings[0]).toMatchObject({ cell: "Register!L2", value: "tomorrow", code: "bad-date" });
  });

  test("check reports what is overdue now", async () => {
    const f = await newWorkbook("overdue.xlsx", "en", [
      registerRow({
        cardNo: "X-2",
        project: "P",
        key: "No",
        intake: "AE",
        received: "2026-10-08 10:00",
        replied: "2026-10-08 11:00",
        assigned: "2026-10-08 11:00",
      }),
    ]);
    expect(await run(["check", f, "--json"], out, err)).toBe(0);
    const j = JSON.parse(lines.join("\n"));
    expect(j.overdue.map((o: { deadline: string }) => o.deadline)).toContain("D2");
  });

  test("unusable files: one clear line and exit 2", async () => {
    fs.writeFileSync(file("fake.xlsx"), "not a zip");
    expect(await run(["check", file("missing.xlsx")], out, err)).toBe(2);
    expect(await run(["check", file("fake.xlsx")], out, err)).toBe(2);
    expect(await run(["check", __filename], out, err)).toBe(2);
    expect(errs).toHaveLength(3);
    expect(errs[0]).toMatch(/no such file|找不到文件/);
    expect(errs[1]).toMatch(/not an Excel workbook|不是 Excel 工作簿/);
    expect(errs[2]).toMatch(/only .xlsx|只支持/);
    for (const e of errs) expect(e.split("\n")).toHaveLength(1);
  });
});
