/**
 * The file engine's promises, on real files through the real command line: it never writes
 * from a broken structure, refuses protected sheets and structures with the file unchanged,
 * refuses what is not a workbook with a clear line, keeps text as text, the 1904 date system,
 * custom XML parts and everything outside the cells it writes.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { run } from "../../src/cli/main";
import { DEMO_MONTH, demoChanges } from "../../src/workbook/demo";
import { columnLetter, emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { REGISTER } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { registerRow } from "./helpers";
import { Package, REL_NS, RELS_CONTENT_TYPE } from "../../src/workbook/file/package";
import { packageBreaks } from "./package-invariants";
import { openXlsx } from "../helpers/xlsx-file";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-engine-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const file = (name = "book.xlsx") => path.join(tmp, `${++n}-${name}`);

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function demoFile(): Promise<string> {
  const f = file();
  const wb = XlsxWorkbook.create();
  await wb.write(demoChanges("zh"));
  fs.writeFileSync(f, await wb.toBytes());
  return f;
}

/** Rewrites one part of a file as another program would (the test plays Excel). */
function editPart(f: string, part: string, edit: (xml: string) => string): void {
  const parts = unzipSync(fs.readFileSync(f));
  parts[part] = strToU8(edit(new TextDecoder().decode(parts[part])));
  fs.writeFileSync(f, zipSync(parts));
}

/** The sheet part of a sheet named `name`. */
function sheetPart(f: string, name: string): string {
  const parts = unzipSync(fs.readFileSync(f));
  const wb = new TextDecoder().decode(parts["xl/workbook.xml"]);
  const rid = new RegExp(`<sheet [^>]*name="${name}"[^>]*r:id="(rId\\d+)"`).exec(wb)![1];
  const rels = new TextDecoder().decode(parts["xl/_rels/workbook.xml.rels"]);
  const target = new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)!;
  return `xl/${target[1] ?? target[2]}`;
}

const bytes = (f: string) => new Uint8Array(fs.readFileSync(f));
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

describe("never write from a broken structure", () => {
  test("no Register table: report writes nothing, exits 1 and says so", async () => {
    const f = file();
    const wb = XlsxWorkbook.create();
    const setup = setupChanges(await wb.read(), "zh");
    setup.newTables = setup.newTables.filter((t) => t.name !== "Register");
    await wb.write(setup);
    fs.writeFileSync(f, await wb.toBytes());
    const before = bytes(f);
    const r = await cli("report", f, "--month", "2026-10", "--lang", "zh");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/未写入任何内容/);
    expect(r.err).toMatch(/Register|项目登记/);
    expect(same(bytes(f), before)).toBe(true);
  });

  test("a required column missing: report writes nothing, exits 1, names the column", async () => {
    const f = file();
    const wb = XlsxWorkbook.create();
    const setup = setupChanges(await wb.read(), "en");
    const reg = setup.newTables.find((t) => t.name === "Register")!;
    const at = REGISTER.columns.findIndex((c) => c.key === "received");
    reg.headers = reg.headers.filter((_, i) => i !== at);
    await wb.write(setup);
    fs.writeFileSync(f, await wb.toBytes());
    const before = bytes(f);
    const r = await cli("report", f, "--month", "2026-10", "--lang", "en");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing was written/);
    expect(r.err).toMatch(/Received/);
    expect(same(bytes(f), before)).toBe(true);
  });

  test("a required header twice (卡号 and Card No.): init and report write nothing and name both cells", async () => {
    const f = await demoFile();
    const wb = await openXlsx(f);
    const c = emptyChangeSet();
    c.addColumns.push({ table: "Register", headers: ["Card No."] });
    await wb.write(c);
    fs.writeFileSync(f, await wb.toBytes());
    const before = bytes(f);
    const second = columnLetter(REGISTER.columns.length);
    for (const cmd of ["init", "report"]) {
      const r = await cli(cmd, f, "--lang", "zh", ...(cmd === "report" ? ["--month", DEMO_MONTH] : []));
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 1 });
      expect(r.err).toContain("项目登记!A1");
      expect(r.err).toContain(`项目登记!${second}1`);
      expect(same(bytes(f), before)).toBe(true);
    }
  });

  test("a date in the year 2300 is a finding naming its cell, never an abort", async () => {
    const f = await demoFile();
    const wb = await openXlsx(f);
    const snap = await wb.read();
    const { model } = readWorkbook(snap);
    const row = model.cardRows.get(model.cards[0].cardNo)!;
    const col = REGISTER.columns.findIndex((c) => c.key === "received");
    const c = emptyChangeSet();
    c.cells.push({ table: "Register", row, col, value: 146840.5, date: true });
    await wb.write(c);
    fs.writeFileSync(f, await wb.toBytes());
    const cell = `项目登记!${String.fromCharCode(65 + col)}${row + 2}`;
    const check = await cli("check", f, "--lang", "zh");
    expect(check.code).toBe(1);
    expect(check.out).toContain(cell);
    const report = await cli("report", f, "--month", DEMO_MONTH, "--lang", "zh");
    expect(report.code).toBe(0);
    expect(report.out).toContain(cell);
  });
});

describe("what is not a workbook, or may not be written", () => {
  test("a password-protected file says so in both languages, exit 2", async () => {
    // Office's encryption stores the package as the stream "EncryptedPackage" of an OLE compound
    // file ([MS-OFFCRYPTO] 2.3.4.4). No program here can encrypt an .xlsx, so this is the shape of
    // one: the compound file signature and that stream's UTF-16 name. (A real Excel-encrypted file
    // was tried by hand and gives the same message.)
    const f = file("secret.xlsx");
    const cfb = new Uint8Array(4096);
    cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const name = "EncryptedPackage";
    for (let i = 0; i < name.length; i++) cfb[1024 + i * 2] = name.charCodeAt(i);
    fs.writeFileSync(f, cfb);
    const zh = await cli("check", f, "--lang", "zh");
    expect(zh.code).toBe(2);
    expect(zh.err).toContain("受密码保护，请先在 Excel 中取消密码");
    const en = await cli("check", f, "--lang", "en");
    expect(en.err).toContain("password-protected: remove the password in Excel first");
    expect(en.err.split("\n")).toHaveLength(1);
  });

  test("a zip with no workbook in it: exit 2, not an Excel workbook", async () => {
    const f = file("photos.xlsx");
    fs.writeFileSync(f, zipSync({ "readme.txt": strToU8("hello") }));
    const r = await cli("report", f, "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not an Excel workbook/);
    expect(fs.readFileSync(f)).toEqual(Buffer.from(zipSync({ "readme.txt": strToU8("hello") })));
  });

  test("a damaged file (a part whose CRC does not match) is refused, never read as garbage", async () => {
    const f = await demoFile();
    // Flip a byte inside workbook.xml's data (after its local header): it is read on every open.
    const damaged = new Uint8Array(bytes(f));
    const name = new TextEncoder().encode("xl/workbook.xml");
    let at = 0;
    for (; at < damaged.length; at++)
      if (
        damaged[at] === 0x50 &&
        damaged[at + 1] === 0x4b &&
        damaged[at + 2] === 3 &&
        damaged[at + 3] === 4 &&
        name.every((b, i) => damaged[at + 30 + i] === b)
      )
        break;
    const nameLen = damaged[at + 26] | (damaged[at + 27] << 8);
    const extra = damaged[at + 28] | (damaged[at + 29] << 8);
    damaged[at + 30 + nameLen + extra + 5] ^= 0xff;
    fs.writeFileSync(f, damaged);
    const r = await cli("check", f, "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/damaged|not an Excel workbook/);
  });

  test("a protected sheet is not written: report exits 1, says how to unprotect, the file unchanged", async () => {
    const f = await demoFile();
    const part = sheetPart(f, "扣分");
    editPart(f, part, (xml) => xml.replace("</sheetData>", '</sheetData><sheetProtection sheet="1" objects="1" scenarios="1"/>'));
    const before = bytes(f);
    const r = await cli("report", f, "--month", DEMO_MONTH, "--lang", "zh");
    expect(r.code).toBe(1);
    expect(r.err).toContain("撤销工作表保护");
    expect(same(bytes(f), before)).toBe(true);
  });

  test("a structure-protected workbook: a new sheet is refused, the file unchanged; a protected month already written is still refused", async () => {
    const f = await demoFile();
    editPart(f, "xl/workbook.xml", (xml) => xml.replace("<bookViews>", '<workbookProtection lockStructure="1"/><bookViews>'));
    const before = bytes(f);
    const r = await cli("report", f, "--month", "2026-09", "--lang", "en");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/structure is protected.*Review → Protect Workbook/);
    expect(same(bytes(f), before)).toBe(true);
  });

  test("a new table is never written over another table, even one whose cells are all empty", async () => {
    const f = file();
    const wb = XlsxWorkbook.create();
    await wb.read();
    const c = emptyChangeSet();
    c.newTables.push({ name: "Notes", sheet: "备注", headers: ["甲", "乙"], rows: [["x", "y"]] });
    await wb.write(c);
    fs.writeFileSync(f, await wb.toBytes());
    // Someone cleared the table's cells (the table stays, over A1:B2).
    editPart(f, sheetPart(f, "备注"), (xml) => xml.replace(/<sheetData>[\s\S]*<\/sheetData>|<sheetData\/>/, "<sheetData/>"));
    const again = await openXlsx(f);
    await again.read();
    const d = emptyChangeSet();
    d.newTables.push({ name: "Other", sheet: "备注", headers: ["丙"], rows: [["z"]] });
    await expect(again.write(d)).rejects.toThrow(/table Notes takes 备注!A1, table Other cannot be written there/);
  });

  test("rows are never appended over cells someone typed below a table", async () => {
    const f = await demoFile();
    const wb = await openXlsx(f);
    const reg = findTable(await wb.read(), "Register")!;
    const below = reg.top + 1 + reg.rows.length; // the first row under the table (0-based)
    editPart(f, sheetPart(f, "项目登记"), (xml) =>
      xml.replace(
        "</sheetData>",
        `<row r="${below + 1}"><c r="B${below + 1}" t="inlineStr"><is><t>私人备注</t></is></c></row></sheetData>`,
      ),
    );
    const again = await openXlsx(f);
    await again.read();
    const c = emptyChangeSet();
    c.appends.push({ table: "Register", rows: [registerRow({ cardNo: "X-1", project: "P" })] });
    await expect(again.write(c)).rejects.toThrow(new RegExp(`B${below + 1}.*in use`));
  });
});

describe("what the engine writes and keeps", () => {
  test("text that looks like a formula stays text; every other cell and part stays as it was", async () => {
    const f = await demoFile();
    const before = unzipSync(bytes(f));
    const wb = await openXlsx(f);
    const { model } = readWorkbook(await wb.read());
    const c = emptyChangeSet();
    const evil = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "'quoted", " spaced ", "a_x0041_b", "tab\there"];
    const row = model.cardRows.get(model.cards[0].cardNo)!;
    c.appends.push({ table: "Register", rows: evil.map((s, i) => registerRow({ cardNo: `T-${i}`, project: s, key: "否", intake: "AE" })) });
    await wb.write(c);
    const out = await wb.toBytes();
    const after = unzipSync(out);
    const part = sheetPart(f, "项目登记");
    const xml = new TextDecoder().decode(after[part]);
    expect(xml).not.toMatch(/<f>/);
    const back = readWorkbook(await (await XlsxWorkbook.fromBytes(out)).read()).model;
    expect(evil.map((_, i) => back.cards.find((k) => k.cardNo === `T-${i}`)?.project)).toEqual(evil.map((s) => s.trim()));
    expect(back.cards.find((k) => k.cardNo === model.cards[0].cardNo)).toEqual(model.cards[0]);
    void row;
    for (const name of Object.keys(before))
      if (!/sheet|sharedStrings|styles|tables/.test(name))
        expect({ name, same: same(before[name], after[name]) }).toEqual({ name, same: true });
  });

  test("the 1904 date system: dates read and written as the same wall-clock moments", async () => {
    const f = await demoFile();
    const original = readWorkbook(await (await openXlsx(f)).read()).model;
    // The same workbook switched to the 1904 system: every date cell's serial is 1462 less.
    const wb1904 = await openXlsx(f);
    const snap = await wb1904.read();
    const c = emptyChangeSet();
    const reg = findTable(snap, "Register")!;
    const dateCols = REGISTER.columns.map((col, i) => (col.type === "date" ? i : -1)).filter((i) => i >= 0);
    reg.rows.forEach((r, ri) =>
      dateCols.forEach(
        (ci) =>
          typeof r[ci] === "number" && c.cells.push({ table: "Register", row: ri, col: ci, value: (r[ci] as number) - 1462, date: true }),
      ),
    );
    await wb1904.write(c);
    fs.writeFileSync(f, await wb1904.toBytes());
    editPart(f, "xl/workbook.xml", (xml) =>
      xml.includes("<workbookPr/>")
        ? xml.replace("<workbookPr/>", '<workbookPr date1904="1"/>')
        : xml.replace("<workbookPr", '<workbookPr date1904="1"'),
    );
    const read1904 = readWorkbook(await (await openXlsx(f)).read()).model;
    expect(read1904.cards.map((k) => k.received)).toEqual(original.cards.map((k) => k.received));
    // Written back through the engine: the cell holds the 1904 serial, read back the same moment.
    const w = await openXlsx(f);
    const row = read1904.cardRows.get(read1904.cards[1].cardNo)!;
    const col = REGISTER.columns.findIndex((k) => k.key === "closed");
    const c2 = emptyChangeSet();
    c2.cells.push({ table: "Register", row, col, value: 46300.5, date: true });
    await w.write(c2);
    const again = readWorkbook(await (await XlsxWorkbook.fromBytes(await w.toBytes())).read()).model;
    expect(again.cards.find((k) => k.cardNo === read1904.cards[1].cardNo)!.closed).toBe(46300.5);
  });

  test("custom XML parts: added with their properties part, replaced by namespace, others kept", async () => {
    const f = await demoFile();
    const wb = await openXlsx(f);
    await wb.read();
    const ns = "urn:planning-desk:log-anchor";
    const c = emptyChangeSet();
    c.customXml = [{ namespace: ns, xml: `<anchor xmlns="${ns}"><head>abc</head><rows>3</rows></anchor>` }];
    await wb.write(c);
    const out1 = await wb.toBytes();
    const parts = unzipSync(out1);
    // The demo already holds one part (the log's anchor): the new one is the second.
    expect(
      Object.keys(parts)
        .filter((p) => p.startsWith("customXml/"))
        .sort(),
    ).toEqual([
      "customXml/_rels/item1.xml.rels",
      "customXml/_rels/item2.xml.rels",
      "customXml/item1.xml",
      "customXml/item2.xml",
      "customXml/itemProps1.xml",
      "customXml/itemProps2.xml",
    ]);
    expect(new TextDecoder().decode(parts["[Content_Types].xml"])).toContain("/customXml/itemProps2.xml");
    const w2 = await XlsxWorkbook.fromBytes(out1);
    expect((await w2.read()).customXml!.get(ns)).toContain("<head>abc</head>");
    const c2 = emptyChangeSet();
    c2.customXml = [{ namespace: ns, xml: `<a:anchor xmlns:a="${ns}"><a:head>def</a:head></a:anchor>` }];
    await w2.write(c2);
    const out2 = await w2.toBytes();
    const snap = await (await XlsxWorkbook.fromBytes(out2)).read();
    expect(snap.customXml!.get(ns)).toContain("def");
    expect(Object.keys(unzipSync(out2)).filter((p) => p.startsWith("customXml/item")).length).toBe(4);
    expect(snap.customXml!.size).toBe(2);
  });

  test("an .xlsm keeps its macros and its content type", async () => {
    const src = path.join(__dirname, "..", "fixtures", "real", "xlsxwriter-vba.xlsm");
    const f = file("macro.xlsm");
    fs.copyFileSync(src, f);
    expect((await cli("init", f, "--lang", "zh")).code).toBe(0);
    expect((await cli("report", f, "--month", DEMO_MONTH, "--lang", "zh")).code).toBe(0);
    const parts = unzipSync(bytes(f));
    const orig = unzipSync(new Uint8Array(fs.readFileSync(src)));
    expect(same(parts["xl/vbaProject.bin"], orig["xl/vbaProject.bin"])).toBe(true);
    expect(new TextDecoder().decode(parts["[Content_Types].xml"])).toContain("application/vnd.ms-excel.sheet.macroEnabled.main+xml");
  });
});

describe("content types of the parts the engine adds", () => {
  const perPartOnly = (overrides: string) =>
    Package.fromBytes(
      zipSync({
        "[Content_Types].xml": strToU8(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${overrides}</Types>`,
        ),
        "a/one.xml": strToU8("<one/>"),
      }),
    );

  test("a new relationships part gets a Default for rels when the package has none", () => {
    const pkg = perPartOnly(`<Override PartName="/a/one.xml" ContentType="application/test+xml"/>`);
    pkg.setText("a/two.xml", "<two/>");
    pkg.setOverride("a/two.xml", "application/test+xml");
    pkg.addRel("a/one.xml", "http://example.com/rel", "a/two.xml");
    expect(pkg.contentType("a/_rels/one.xml.rels")).toBe(RELS_CONTENT_TYPE);
    expect(packageBreaks(pkg.toBytes())).toEqual([]);
  });

  test("a part added under an extension with no Default gets a Default; one whose Default differs gets an Override", () => {
    const pkg = perPartOnly(`<Override PartName="/a/one.xml" ContentType="application/test+xml"/>`);
    pkg.setText("customXml/item1.xml", "<x/>");
    pkg.ensureContentType("customXml/item1.xml", "application/xml");
    expect(pkg.contentType("customXml/item1.xml")).toBe("application/xml");
    pkg.setText("b/image.png", "not really a png");
    pkg.ensureContentType("b/image.png", "image/png");
    pkg.setText("b/other.png", "another");
    pkg.ensureContentType("b/other.png", "image/x-other");
    expect([pkg.contentType("b/image.png"), pkg.contentType("b/other.png")]).toEqual(["image/png", "image/x-other"]);
    // One entry each, no name twice: a second call adds nothing.
    pkg.ensureContentType("b/other.png", "image/x-other");
    const types = pkg.text("[Content_Types].xml") ?? "";
    expect([...types.matchAll(/<Default /g)].length).toBe(2);
    expect([...types.matchAll(/PartName="\/b\/other.png"/g)].length).toBe(1);
    expect(packageBreaks(pkg.toBytes())).toEqual([]);
  });

  test("the invariants catch a part without a content type, a dangling relationship and a name twice", () => {
    const bytes = zipSync({
      "[Content_Types].xml": strToU8(
        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/a/one.xml" ContentType="x"/><Override PartName="/a/one.xml" ContentType="x"/></Types>`,
      ),
      "a/one.xml": strToU8("<one/>"),
      "a/_rels/one.xml.rels": strToU8(
        `<Relationships xmlns="${REL_NS}"><Relationship Id="rId1" Type="t" Target="gone.xml"/><Relationship Id="rId2" Type="t" Target="https://example.com/" TargetMode="External"/></Relationships>`,
      ),
    });
    expect(packageBreaks(bytes)).toEqual([
      "content type Override for /a/one.xml 2 times",
      "part without a content type: a/_rels/one.xml.rels",
      "a/_rels/one.xml.rels: rId1 points to a/gone.xml, which is not in the package",
    ]);
  });
});

describe("the real reason, and one rule for exit codes (0 done, 1 findings or refused content, 2 cannot work on the file)", () => {
  /** A workbook someone started: one sheet of notes, none of the Planning Desk tables. */
  async function notesFile(): Promise<string> {
    const f = file();
    const wb = XlsxWorkbook.create();
    const c = emptyChangeSet();
    c.newTables.push({ name: "Notes", sheet: "Notes", headers: ["Note"], rows: [["hello"]] });
    await wb.write(c);
    fs.writeFileSync(f, await wb.toBytes());
    return f;
  }
  /** The same in Strict Open XML: the strict namespaces and relationship types (what Excel's "Strict Open XML Spreadsheet" writes). */
  function toStrict(f: string): void {
    const parts = unzipSync(fs.readFileSync(f));
    for (const name of Object.keys(parts))
      if (/\.(xml|rels)$/.test(name) && name !== "[Content_Types].xml")
        parts[name] = strToU8(
          new TextDecoder()
            .decode(parts[name])
            .replaceAll(
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              "http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
            .replaceAll("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"),
        );
    fs.writeFileSync(f, zipSync(parts));
  }

  test("Strict Open XML: report and init exit 2 and say Strict (not 'Register not found'); check reads it (exit 1, its findings); the file unchanged", async () => {
    const f = await notesFile();
    toStrict(f);
    const before = bytes(f);
    const report = await cli("report", f, "--month", "2026-10", "--lang", "en");
    expect({
      code: report.code,
      strict: /Strict Open XML.*save it as an ordinary Excel Workbook/.test(report.err),
      register: /Register/.test(report.err),
    }).toEqual({ code: 2, strict: true, register: false });
    const init = await cli("init", f, "--lang", "zh");
    expect({ code: init.code, strict: init.err.includes("严格 Open XML") }).toEqual({ code: 2, strict: true });
    const check = await cli("check", f, "--lang", "en");
    expect({ code: check.code, register: /table Register \(Register\) not found/.test(check.out) }).toEqual({ code: 1, register: true });
    expect(same(bytes(f), before)).toBe(true);
  });

  test("structure-protected workbook without a Register: report says the structure is protected and that init adds the tables (exit 1); init exit 1; check exit 1", async () => {
    const f = await notesFile();
    editPart(f, "xl/workbook.xml", (xml) => xml.replace("<bookViews>", '<workbookProtection lockStructure="1"/><bookViews>'));
    const before = bytes(f);
    const report = await cli("report", f, "--month", "2026-10", "--lang", "en");
    expect(report.code).toBe(1);
    expect(report.err).toMatch(/structure is protected, so the missing table cannot be added: in Excel click Review → Protect Workbook/);
    expect(report.err).toContain(`"planning-desk init ${f}"`);
    const init = await cli("init", f, "--lang", "en");
    expect({ code: init.code, why: /structure is protected/.test(init.err) }).toEqual({ code: 1, why: true });
    const check = await cli("check", f, "--lang", "en");
    expect(check.code).toBe(1);
    expect(same(bytes(f), before)).toBe(true);
  });

  /** The demo workbook with Register columns left out, as a Register made before they existed. */
  async function demoWithout(headers: string[]): Promise<string> {
    const f = file();
    const c = demoChanges("zh");
    const reg = c.newTables.find((t) => t.name === "Register");
    if (!reg) throw new Error("demo has no Register");
    const keep = reg.headers.map((h, i) => (headers.includes(String(h)) ? -1 : i)).filter((i) => i >= 0);
    reg.headers = keep.map((i) => reg.headers[i]);
    reg.rows = reg.rows.map((r) => keep.map((i) => r[i] ?? null));
    const wb = XlsxWorkbook.create();
    await wb.write(c);
    fs.writeFileSync(f, await wb.toBytes());
    return f;
  }

  test("a Register without Framework / Draft / Closed / Archived: the month end runs (exit 0), says D4–D6 were not evaluated, writes the penalties", async () => {
    const f = await demoWithout(["框架", "初稿", "结束", "归档"]);
    const r = await cli("report", f, "--month", DEMO_MONTH, "--lang", "en");
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
    expect(r.out).toMatch(/warning {2}.*no column "Framework".*D4 not evaluated this month end \(no rule uses it\)/);
    expect(r.out).toMatch(/no column "Draft".*D5 not evaluated/);
    expect(r.out).toMatch(/no column "Archived".*D6 not evaluated/);
    expect(r.out).not.toMatch(/rows with errors were left out/);
    const { model } = readWorkbook(await (await openXlsx(f)).read());
    expect(model.penalties.filter((p) => p.month === DEMO_MONTH).length).toBeGreaterThan(0);
    const kpi = findTable(await (await openXlsx(f)).read(), `KPI_${DEMO_MONTH.replace("-", "_")}`);
    expect(kpi?.headers.filter((h) => /^D\d/.test(h))).toEqual([
      "D1按时",
      "D1超时",
      "D2按时",
      "D2超时",
      "D3按时",
      "D3超时",
      "D7按时",
      "D7超时",
    ]);
  });

  test("a Register without a column a rule needs (Replied, for P2's D1) is refused, exit 1, saying init adds it; the file unchanged", async () => {
    const f = await demoWithout(["回复客户"]);
    const before = bytes(f);
    const r = await cli("report", f, "--month", DEMO_MONTH, "--lang", "en");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no column "Replied"/);
    expect(r.err).toContain(
      `"planning-desk init ${f}" (or Set up this workbook in the Excel pane) adds the missing tables and columns without touching a typed cell`,
    );
    expect(same(bytes(f), before)).toBe(true);
  });
});
