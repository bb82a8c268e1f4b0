/**
 * The .xlsx adapter: the workbook port over the bytes of a file, for the command line, the
 * tests and the workbench (one engine for all three; it does no I/O of its own).
 *
 * It works on the package's parts (src/workbook/file/): a part it does not change is written
 * back as the very bytes it was read from, so pivot tables, charts, drawings, external
 * links, controls, macros, custom properties and whatever else another program put there
 * stay as they were. A worksheet it writes changes only in the cells of the change set (and
 * its dimension, table parts and the data bar it owns); new sheets and tables come with their
 * own parts, relationships and content types; shared strings are appended, never renumbered;
 * workbook.xml only ever gains a `<sheet>` and the log's hidden name (`_PlanningDesk_LogHead`,
 * file/names.ts): every other defined name, LAMBDA included, stays.
 *
 * Libraries: fflate for deflate (small, fast, no dependencies, works in the browser); the zip
 * container and the XML splicing are written by hand, see file/zip.ts and file/xml.ts for why.
 * ExcelJS, used before, re-created the whole file and lost what it did not model.
 */
import fs from "fs";
import {
  CalculatedColumn,
  CellValue,
  ChangeSet,
  DATE_FORMAT,
  HIGHLIGHT_FILL,
  HIGHLIGHT_FONT,
  RawTable,
  Snapshot,
  WorkbookPort,
  columnLetter,
  formatOf,
  parseRangeRef,
} from "./port";
import { LOG_ANCHOR_NS, LOG_HEAD_NAME, LogRecords, looksLikeAnchor } from "../core/workflow/log";
import { toFileFormula } from "./file/formula";
import { setTextName, textName } from "./file/names";
import { Package, relIs, resolveTarget } from "./file/package";
import { DAYS_1904, NEW_SHEET, ReadContext, Sheet } from "./file/sheet";
import { EMPTY_SST, SharedStrings } from "./file/strings";
import { MINIMAL_STYLES, Styles } from "./file/styles";
import { attr, attrs, decodeXml, elements, escapeAttr, escapeText, findElement, rootPrefix, setAttr, startTagEnd } from "./file/xml";
import { ZipFormatError } from "./file/zip";
import { MAX_COLUMNS, MAX_NAME_CHARS, MAX_ROWS, MAX_TABLE_CELLS, PackageError, fmt, inPart } from "./file/limits";
import { planWrite } from "./write-plan";

/** A file that cannot be used as a workbook, or a write that was refused; the file is unchanged. */
export class WorkbookFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    /** The command line's exit code: 2 = not a usable workbook, 1 = refused (protection, structure). */
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(en);
  }
}

const refused = (zh: string, en: string) => new WorkbookFileError(zh, en, 1);

/** Nothing is written into a Strict Open XML file: the command cannot work on it at all (exit 2). */
export const strictRefusal = (fileName: string): WorkbookFileError =>
  new WorkbookFileError(
    `${fileName} 是“严格 Open XML”格式，无法写入，未改动任何内容：请在 Excel 中另存为普通的 Excel 工作簿 (.xlsx) 再运行`,
    `${fileName} is in Strict Open XML format, which cannot be written; nothing was changed: save it as an ordinary Excel Workbook (.xlsx) in Excel, then run again`,
    2,
  );

/** A package the engine refuses (damaged or hostile): one line naming the file and the part. */
const unreadable = (file: string, e: PackageError, exitCode: 1 | 2 = 2) =>
  new WorkbookFileError(
    `${file} 无法读取，未作任何更改：部件 ${e.part} ${e.zh}。请在 Excel 中打开并另存一份`,
    `${file} cannot be read, nothing was changed: part ${e.part} ${e.en}. Open it in Excel and save a copy`,
    exitCode,
  );

/** A name longer than any program should write (a 10 MB sheet name would be printed with every finding). */
function checkName(part: string, what: [string, string], name: string): void {
  if (name.length > MAX_NAME_CHARS)
    throw new PackageError(
      part,
      `中的${what[0]}有 ${fmt(name.length)} 个字符，超过上限 ${MAX_NAME_CHARS}`,
      `holds a ${what[1]} of ${fmt(name.length)} characters, more than the limit of ${MAX_NAME_CHARS}`,
    );
}

const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT = {
  sheet: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
  table: "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
  sst: "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
  styles: "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
  workbook: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
};

interface SheetEntry {
  name: string;
  sheetId: number;
  rid: string;
  /** The part, or undefined for a sheet whose part is missing. */
  part?: string;
  kind: "worksheet" | "chartsheet" | "other";
}

interface TableEntry {
  part: string;
  sheet: SheetEntry;
  id: number;
  name: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
  headerRows: number;
  totalsRows: number;
  columns: string[];
  /** Each column's calculated-column formula (file syntax), if it has one. */
  calculated: (string | undefined)[];
}

const isTrue = (v: string | undefined) => v === "1" || v === "true";

/** The bytes of an OLE compound file (what Office writes for an encrypted workbook, and for .xls). */
function isCompoundFile(b: Uint8Array): boolean {
  return (
    b.length > 8 &&
    b[0] === 0xd0 &&
    b[1] === 0xcf &&
    b[2] === 0x11 &&
    b[3] === 0xe0 &&
    b[4] === 0xa1 &&
    b[5] === 0xb1 &&
    b[6] === 0x1a &&
    b[7] === 0xe1
  );
}

function containsUtf16(b: Uint8Array, text: string): boolean {
  const needle = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) needle[i * 2] = text.charCodeAt(i);
  outer: for (let i = 0; i + needle.length <= b.length; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const quoteSheet = (name: string) => (/^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`);
const refText = (t: number, l: number, b: number, r: number) => `${columnLetter(l)}${t + 1}:${columnLetter(r)}${b + 1}`;

export class XlsxWorkbook implements WorkbookPort {
  private workbookPart = "xl/workbook.xml";
  private sheets: SheetEntry[] = [];
  private tablesList: TableEntry[] = [];
  private sheetCache = new Map<string, Sheet>();
  private sst?: SharedStrings;
  private styles?: Styles;
  private date1904 = false;
  private strict = false;
  /** What every sheet reads cells with (one object, so a string table created later reaches them all). */
  private ctx: ReadContext = { sst: undefined, styles: undefined, date1904: false };
  /** Whether a write has not yet been folded into the parts. */
  private dirty = false;
  /** Custom XML parts by their root element's namespace. */
  private custom = new Map<string, string>();
  /** The log's anchor parts, and parts that look like one (core/workflow/log.ts LogRecords), as loaded. */
  private anchorParts: { anchors: string[]; lookalikes: { where: string; namespace: string }[] } = { anchors: [], lookalikes: [] };

  private constructor(
    private pkg: Package,
    readonly fileName: string,
    private filePath?: string,
  ) {
    this.load();
  }

  /** Whether the file is Strict Open XML (ISO/IEC 29500 Strict): read, never written. */
  get strictOpenXml(): boolean {
    return this.strict;
  }

  /** Whether the workbook's structure is protected (no sheet can be added). */
  get structureProtected(): boolean {
    const prot = findElement(this.pkg.cachedText(this.workbookPart) ?? "", "workbookProtection");
    return !!prot && isTrue(attr(prot.text, "lockStructure"));
  }

  /** A new, empty workbook: the parts every workbook has, and no sheet yet (a change set adds them). */
  static create(): XlsxWorkbook {
    const pkg = Package.empty();
    pkg.setText(
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT.workbook}"/><Override PartName="/xl/styles.xml" ContentType="${CT.styles}"/></Types>`,
    );
    pkg.setText(
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    );
    pkg.setText(
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS_MAIN}" xmlns:r="${REL}"><workbookPr/><bookViews><workbookView/></bookViews><sheets></sheets><calcPr calcId="191029"/></workbook>`,
    );
    pkg.setText(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    );
    pkg.setText("xl/styles.xml", MINIMAL_STYLES);
    return new XlsxWorkbook(pkg, "workbook.xlsx");
  }

  /** A workbook from a file's bytes. Throws WorkbookFileError, in both languages, when it is not one. */
  static async fromBytes(data: Uint8Array, name = "workbook.xlsx"): Promise<XlsxWorkbook> {
    return XlsxWorkbook.parse(data, name);
  }

  private static parse(data: Uint8Array, name: string, filePath?: string): XlsxWorkbook {
    if (isCompoundFile(data)) {
      if (containsUtf16(data, "EncryptedPackage"))
        throw new WorkbookFileError(
          `${name} 受密码保护，请先在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）`,
          `${name} is password-protected: remove the password in Excel first (File → Info → Protect Workbook → Encrypt with Password, clear it)`,
        );
      throw new WorkbookFileError(
        `${name} 不是 .xlsx 工作簿（可能是旧的 .xls 格式）：请在 Excel 中另存为 .xlsx`,
        `${name} is not an .xlsx workbook (perhaps the old .xls format): save it as .xlsx in Excel`,
      );
    }
    let pkg: Package;
    try {
      pkg = Package.fromBytes(data);
    } catch (e) {
      if (e instanceof PackageError) throw unreadable(name, e);
      if (e instanceof ZipFormatError)
        throw new WorkbookFileError(
          `${name} 不是 Excel 工作簿（文件已损坏或不是 .xlsx）`,
          `${name} is not an Excel workbook (damaged, or not .xlsx)`,
        );
      throw e;
    }
    if (pkg.anyEncrypted)
      throw new WorkbookFileError(
        `${name} 受密码保护，请先在 Excel 中取消密码`,
        `${name} is password-protected: remove the password in Excel first`,
      );
    try {
      return new XlsxWorkbook(pkg, name, filePath);
    } catch (e) {
      if (e instanceof WorkbookFileError) throw e;
      if (e instanceof PackageError) throw unreadable(name, e);
      if (e instanceof ZipFormatError)
        throw new WorkbookFileError(
          `${name} 已损坏（${e.message}）：请在 Excel 中打开并另存一份`,
          `${name} is damaged (${e.message}): open it in Excel and save a copy`,
        );
      throw new WorkbookFileError(
        `${name} 不是 Excel 工作簿（${(e as Error).message}）`,
        `${name} is not an Excel workbook (${(e as Error).message})`,
      );
    }
  }

  /** Reads a file (tests and tools; the command line reads through cli/safe-file). */
  static async open(file: string): Promise<XlsxWorkbook> {
    if (!fs.existsSync(file)) throw new WorkbookFileError(`找不到文件：${file}`, `no such file: ${file}`);
    if (fs.statSync(file).isDirectory())
      throw new WorkbookFileError(`这是一个文件夹，不是 .xlsx 文件：${file}`, `a folder, not an .xlsx file: ${file}`);
    checkExtension(file);
    return XlsxWorkbook.parse(new Uint8Array(fs.readFileSync(file)), file, file);
  }

  /** The workbench's "load .xlsx". */
  static async fromBuffer(data: ArrayBuffer, name = "workbook.xlsx"): Promise<XlsxWorkbook> {
    return XlsxWorkbook.parse(new Uint8Array(data), name);
  }

  /** The workbook's bytes as an .xlsx (or .xlsm) file. */
  async toBytes(): Promise<Uint8Array> {
    return this.serialize();
  }

  async toBuffer(): Promise<ArrayBuffer> {
    const b = this.serialize();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  /** Writes the bytes to `file` (default: the file it was opened from), through a temporary file and a rename. */
  async save(file?: string): Promise<void> {
    const target = file ?? this.filePath;
    if (!target) throw new Error("no file to save to");
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, this.serialize());
      fs.renameSync(tmp, target);
    } finally {
      if (fs.existsSync(tmp)) fs.unlinkSync(tmp);
    }
    this.filePath = target;
  }

  // ---- reading the package's structure

  private load(): void {
    const root = this.pkg.targets("", "officeDocument")[0];
    if (!root || !this.pkg.has(root.part))
      throw new WorkbookFileError(
        `${this.fileName} 不是 Excel 工作簿（其中没有工作簿部件）`,
        `${this.fileName} is not an Excel workbook (it holds no workbook part)`,
      );
    this.workbookPart = root.part;
    this.strict = root.rel.type.includes("purl.oclc.org");
    const wb = this.pkg.cachedText(this.workbookPart) ?? "";
    inPart(this.workbookPart, () => this.loadWorkbook(wb));
    const sstPart = this.pkg.targets(this.workbookPart, "sharedStrings")[0]?.part;
    const sstXml = sstPart ? this.pkg.text(sstPart) : undefined;
    this.sst =
      sstPart && sstXml
        ? (this.sst?.continuedAs(sstXml, sstPart) ?? new SharedStrings(sstXml, sstPart, this.pkg.hasInvalidUtf8(sstPart)))
        : undefined;
    const stylesPart = this.pkg.targets(this.workbookPart, "styles")[0]?.part;
    const stylesXml = stylesPart ? this.pkg.text(stylesPart) : undefined;
    this.styles = stylesPart && stylesXml ? inPart(stylesPart, () => new Styles(stylesXml)) : undefined;
    this.ctx = { sst: this.sst, styles: this.styles, date1904: this.date1904 };
    this.custom.clear();
    this.anchorParts = { anchors: [], lookalikes: [] };
    for (const { part } of this.pkg.targets(this.workbookPart, "customXml")) {
      const xml = this.pkg.text(part);
      const ns = xml === undefined ? undefined : rootNamespace(xml);
      if (ns !== undefined && !this.custom.has(ns)) this.custom.set(ns, part);
      // The log's anchor: every part in its namespace, or whose properties name it (its text replaced by something that is not XML).
      const props = this.pkg.targets(part, "customXmlProps").map((t) => this.pkg.text(t.part) ?? "");
      const declared = props.some((x) => x.includes(`"${LOG_ANCHOR_NS}"`) || x.includes(`'${LOG_ANCHOR_NS}'`));
      if (ns === LOG_ANCHOR_NS || (declared && ns === undefined)) this.anchorParts.anchors.push(part);
      else if (declared || looksLikeAnchor(ns, xml)) this.anchorParts.lookalikes.push({ where: part, namespace: ns ?? "" });
    }
    this.sheetCache.clear();
    this.tablesList = [];
    for (const s of this.sheets) {
      if (s.kind !== "worksheet" || !s.part) continue;
      for (const { part } of this.pkg.targets(s.part, "table")) {
        const xml = this.pkg.cachedText(part);
        if (!xml) continue;
        this.tablesList.push(inPart(part, () => this.parseTable(part, s, xml)));
      }
    }
  }

  /** The workbook part: its date system and sheets. */
  private loadWorkbook(wb: string): void {
    if (!findElement(wb, "workbook"))
      throw new WorkbookFileError(`${this.fileName} 不是 Excel 工作簿`, `${this.fileName} is not an Excel workbook`);
    const pr = findElement(wb, "workbookPr");
    this.date1904 = !!pr && isTrue(attr(pr.text, "date1904"));
    const rels = this.pkg.rels(this.workbookPart);
    const byId = new Map(rels.map((r) => [r.id, r]));
    this.sheets = [];
    for (const t of elements(wb, "sheet")) {
      const a = attrs(t.text);
      const rid = Object.entries(a).find(([k]) => k === "r:id" || k.endsWith(":id"))?.[1] ?? "";
      const rel = byId.get(rid);
      const part = rel && !rel.external ? this.resolve(this.workbookPart, rel.target) : undefined;
      const kind = rel && relIs(rel, "worksheet") ? "worksheet" : rel && relIs(rel, "chartsheet") ? "chartsheet" : "other";
      checkName(this.workbookPart, ["工作表名称", "sheet name"], a.name ?? "");
      this.sheets.push({
        name: a.name ?? "",
        sheetId: Number(a.sheetId ?? 0),
        rid,
        part: part && this.pkg.has(part) ? part : undefined,
        kind,
      });
    }
    for (const t of elements(wb, "definedName")) checkName(this.workbookPart, ["名称", "defined name"], attr(t.text, "name") ?? "");
  }

  private resolve(source: string, target: string): string {
    return resolveTarget(source, target);
  }

  private parseTable(part: string, sheet: SheetEntry, xml: string): TableEntry {
    const t = findElement(xml, "table");
    if (!t) throw new PackageError(part, "中没有 <table>", "holds no <table>");
    const a = attrs(t.text);
    const b = parseRangeRef(a.ref ?? "A1");
    const tcs = [...elements(xml, "tableColumn")];
    const columns = tcs.map((c) => attr(c.text, "name") ?? "");
    checkName(part, ["表格名称", "table name"], a.displayName ?? a.name ?? "");
    // The range must be one Excel can hold, as wide as the table's columns, and of a size to read.
    const ref = (a.ref ?? "").slice(0, 40);
    if (!b || b.top < 0 || b.left < 0 || b.bottom >= MAX_ROWS || b.right >= MAX_COLUMNS || b.bottom < b.top || b.right < b.left)
      throw new PackageError(
        part,
        `的区域 ${ref} 不在 Excel 工作表的范围内（最多 ${fmt(MAX_ROWS)} 行、${fmt(MAX_COLUMNS)} 列）`,
        `has the range ${ref}, which is not within an Excel sheet (${fmt(MAX_ROWS)} rows, ${fmt(MAX_COLUMNS)} columns)`,
      );
    if (b.right - b.left + 1 !== columns.length)
      throw new PackageError(
        part,
        `的区域 ${ref} 有 ${fmt(b.right - b.left + 1)} 列，而表格定义了 ${fmt(columns.length)} 列`,
        `has the range ${ref} of ${fmt(b.right - b.left + 1)} columns, but defines ${fmt(columns.length)} columns`,
      );
    if ((b.bottom - b.top + 1) * columns.length > MAX_TABLE_CELLS)
      throw new PackageError(
        part,
        `的区域 ${ref} 超过 ${fmt(MAX_TABLE_CELLS)} 个单元格`,
        `has the range ${ref}, more than ${fmt(MAX_TABLE_CELLS)} cells`,
      );
    const calculated = tcs.map((c) => {
      const f = c.selfClosing ? undefined : findElement(xml, "calculatedColumnFormula", c.openEnd, c.end);
      return f && !f.selfClosing ? decodeXml(xml.slice(f.openEnd, f.end - `</${f.qname}>`.length)) : undefined;
    });
    return {
      part,
      sheet,
      id: Number(a.id ?? 0),
      name: a.displayName ?? a.name ?? "",
      ...b,
      headerRows: a.headerRowCount === undefined ? 1 : Number(a.headerRowCount),
      totalsRows: Number(a.totalsRowCount ?? 0),
      columns,
      calculated,
    };
  }

  private sheetOf(entry: SheetEntry): Sheet {
    const part = entry.part!;
    let s = this.sheetCache.get(part);
    if (!s) {
      s = new Sheet(this.pkg.text(part) ?? "", this.ctx, part, this.pkg.hasInvalidUtf8(part));
      this.sheetCache.set(part, s);
    }
    return s;
  }

  /** A table as the port reads it: headers, data body, and the formulas saved without a value. */
  private rawTable(t: TableEntry): RawTable {
    const sheet = this.sheetOf(t.sheet);
    const bodyTop = t.top + t.headerRows;
    const bodyBottom = t.bottom - t.totalsRows;
    const grid = sheet.read(t.top, t.left, Math.max(bodyBottom, t.top), t.right);
    const headerRow = t.headerRows ? grid.rows[0] : [];
    const headers = t.columns.map((c, i) => {
      const h = headerRow[i];
      return h === null || h === undefined || h === "" ? c : String(h);
    });
    const raw: RawTable = {
      name: t.name,
      sheet: t.sheet.name,
      headers,
      rows: grid.rows.slice(t.headerRows, bodyBottom - t.top + 1),
      top: bodyTop - 1,
      left: t.left,
    };
    const uncached = grid.uncached.filter((u) => u.row >= t.headerRows).map((u) => ({ ...u, row: u.row - t.headerRows }));
    if (uncached.length) raw.uncached = uncached;
    // Cells (or rows) the sheet holds but that could not be read: findings, their rows left out.
    const unreadable = sheet
      .problems(bodyTop, bodyBottom, t.left, t.right)
      .map((p) => ({ row: p.row - bodyTop, col: p.col < 0 ? 0 : p.col - t.left, zh: p.zh, en: p.en }));
    if (unreadable.length) raw.unreadable = unreadable;
    return raw;
  }

  async read(): Promise<Snapshot> {
    try {
      return this.readAll();
    } catch (e) {
      if (e instanceof PackageError) throw unreadable(this.fileName, e);
      throw e;
    }
  }

  private readAll(): Snapshot {
    if (this.dirty) this.flush();
    const tables = new Map<string, RawTable>();
    for (const t of this.tablesList) tables.set(t.name, this.rawTable(t));
    const customXml = new Map<string, string>();
    for (const [ns, part] of this.custom) customXml.set(ns, this.pkg.text(part) ?? "");
    const wb = this.pkg.cachedText(this.workbookPart) ?? "";
    const names = [...elements(wb, "definedName")]
      .filter((t) => attr(t.text, "localSheetId") === undefined)
      .map((t) => attr(t.text, "name") ?? "");
    const logRecords: LogRecords = {
      anchors: this.anchorParts.anchors.map((part) => ({ where: part, xml: this.pkg.text(part) ?? "" })),
      lookalikes: this.anchorParts.lookalikes,
      head: textName(wb, LOG_HEAD_NAME),
    };
    return { tables, sheetNames: this.sheets.map((s) => s.name), customXml, names, logRecords };
  }

  // ---- writing

  private table(name: string): TableEntry {
    const want = name.toLowerCase();
    const t = this.tablesList.find((x) => x.name.toLowerCase() === want);
    if (!t) throw refused(`找不到表格 ${name}`, `no table ${name}`);
    return t;
  }

  private writable(entry: SheetEntry): Sheet {
    const sheet = this.sheetOf(entry);
    if (sheet.isProtected)
      throw refused(
        `工作表“${entry.name}”受保护，未写入任何内容：请在 Excel 中选择“审阅 → 撤销工作表保护”，再重新运行`,
        `sheet "${entry.name}" is protected, nothing was written: in Excel choose Review → Unprotect Sheet, then run again`,
      );
    return sheet;
  }

  /**
   * The format a written cell gets: its own (or, for a new row, the row above's) with `format`'s
   * number format; "General" keeps the number format it has, unless `explicit` (an appended
   * row's cells get the append's number formats, as the Office.js adapter writes them).
   */
  private styleFor(sheet: Sheet, r: number, c: number, format: string, inherit?: number, explicit = false): number {
    const base = sheet.cellXml(r, c) !== undefined || inherit === undefined ? sheet.styleOf(r, c) : sheet.styleOf(inherit, c);
    return format === "General" && !explicit ? base : this.ensureStyles().withFormat(base, format);
  }

  private ensureStyles(): Styles {
    if (!this.styles) {
      const part = "xl/styles.xml";
      this.pkg.setText(part, MINIMAL_STYLES);
      this.pkg.addRel(this.workbookPart, `${REL}/styles`, part);
      this.pkg.setOverride(part, CT.styles);
      this.styles = this.ctx.styles = new Styles(MINIMAL_STYLES);
    }
    return this.styles;
  }

  private ensureSst(): SharedStrings {
    if (!this.sst) {
      const part = "xl/sharedStrings.xml";
      this.pkg.setText(part, EMPTY_SST);
      this.pkg.addRel(this.workbookPart, `${REL}/sharedStrings`, part);
      this.pkg.setOverride(part, CT.sst);
      this.sst = this.ctx.sst = new SharedStrings(EMPTY_SST);
    }
    return this.sst;
  }

  /** Writes one value with a number format; dates move to the 1904 system where the workbook uses it. */
  private put(sheet: Sheet, r: number, c: number, value: CellValue, format: string, inherit?: number, explicit = false): void {
    const v = typeof value === "number" && format === DATE_FORMAT && this.date1904 ? value - DAYS_1904 : value;
    sheet.set(r, c, v, this.ensureSst(), this.styleFor(sheet, r, c, format, inherit, explicit));
  }

  private setTableRef(t: TableEntry): void {
    let xml = this.pkg.text(t.part)!;
    const ref = refText(t.top, t.left, t.bottom, t.right);
    const tt = findElement(xml, "table")!;
    xml = xml.slice(0, tt.start) + setAttr(tt.text, "ref", ref) + xml.slice(tt.openEnd);
    const af = findElement(xml, "autoFilter");
    if (af)
      xml =
        xml.slice(0, af.start) + setAttr(af.text, "ref", refText(t.top, t.left, t.bottom - t.totalsRows, t.right)) + xml.slice(af.openEnd);
    this.pkg.setText(t.part, xml);
  }

  private describeCell(t: TableEntry, r: number, c: number): string {
    return `${quoteSheet(t.sheet.name)}!${columnLetter(c)}${r + 1}`;
  }

  /**
   * Executes the write plan (write-plan.ts) on the parts. The plan is made from the tables the
   * change set names as they are now, and from the tables' calculated columns (their
   * `calculatedColumnFormula`) as the formula columns. Guards need no check here: the command
   * line holds the file under its lock (cli/safe-file) from its read to its write. Where the
   * plan's appended rows go below the table, those cells must be free, else the write is
   * refused; the table's own trailing blank rows are blank by the plan's rule.
   */
  async write(changes: ChangeSet): Promise<void> {
    try {
      this.writeAll(changes);
    } catch (e) {
      if (e instanceof PackageError) throw unreadable(this.fileName, e, 1);
      throw e;
    }
  }

  private writeAll(changes: ChangeSet): void {
    if (
      this.strict &&
      (changes.cells.length || changes.appends.length || changes.newTables.length || changes.addColumns.length || changes.deleteRows.length)
    )
      throw strictRefusal(this.fileName);
    if (this.dirty) this.flush();
    const named = new Set(
      [
        ...changes.addColumns,
        ...changes.cells,
        ...changes.deleteRows,
        ...changes.appends,
        ...(changes.calculatedColumns ?? []),
        ...(changes.guards ?? []),
      ].map((c) => c.table.toLowerCase()),
    );
    const entries = new Map<RawTable, TableEntry>();
    const tables = new Map<string, RawTable>();
    for (const t of this.tablesList) {
      if (!named.has(t.name.toLowerCase())) continue;
      const raw = this.rawTable(t);
      tables.set(t.name, raw);
      entries.set(raw, t);
    }
    const entryOf = (raw: RawTable): TableEntry => entries.get(raw) ?? this.table(raw.name);
    for (const name of named) if (![...tables.keys()].some((k) => k.toLowerCase() === name)) this.table(name); // refused: no such table
    const plan = planWrite({ tables, sheetNames: this.sheets.map((s) => s.name) }, changes, (raw) => {
      const t = entryOf(raw);
      return new Set(t.calculated.flatMap((f, i) => (f === undefined ? [] : [i])));
    });
    this.dirty = true;
    const rowsBefore = new Map(this.tablesList.map((t) => [t, t.top + t.headerRows]));

    for (const add of plan.addColumns) this.appendColumns(entryOf(add.table), add.headers);

    for (const cell of plan.cells) {
      const t = entryOf(cell.table);
      const sheet = this.writable(t.sheet);
      const r = (rowsBefore.get(t) ?? t.top + t.headerRows) + cell.row;
      this.put(sheet, r, t.left + cell.col, cell.value, cell.format ?? "General");
    }

    for (const del of plan.deletes) {
      const t = entryOf(del.table);
      const sheet = this.writable(t.sheet);
      const bodyTop = t.top + t.headerRows;
      const bodyBottom = t.bottom - t.totalsRows;
      const gone = new Set(del.rows);
      const kept: number[] = [];
      for (let r = bodyTop; r <= bodyBottom; r++) if (!gone.has(r - bodyTop)) kept.push(r);
      if (t.totalsRows && kept.length !== bodyBottom - bodyTop + 1)
        throw refused(
          `表格 ${t.name} 有汇总行：请先在 Excel 中关闭“汇总行”再运行`,
          `table ${t.name} has a total row: turn Total Row off in Excel, then run again`,
        );
      try {
        kept.forEach((from, i) => {
          if (from !== bodyTop + i) for (let c = t.left; c <= t.right; c++) sheet.move(from, bodyTop + i, c);
        });
      } catch (e) {
        throw refused(
          `表格 ${t.name} 中有共享公式，无法移动其行：${(e as Error).message}`,
          `table ${t.name} holds a shared formula, its rows cannot be moved: ${(e as Error).message}`,
        );
      }
      for (let r = bodyTop + kept.length; r <= bodyBottom; r++) for (let c = t.left; c <= t.right; c++) sheet.clear(r, c);
      t.bottom = Math.max(bodyTop, bodyTop + kept.length - 1);
      this.setTableRef(t);
    }

    for (const app of plan.appends) {
      const t = entryOf(app.table);
      const sheet = this.writable(t.sheet);
      if (t.totalsRows)
        throw refused(
          `表格 ${t.name} 有汇总行，无法在其下方追加：请先在 Excel 中关闭“汇总行”`,
          `table ${t.name} has a total row, rows cannot be added below it: turn Total Row off in Excel first`,
        );
      const bodyTop = t.top + t.headerRows;
      const first = bodyTop + app.at;
      for (const b of app.mustBeBlank)
        for (let r = bodyTop + b.row; r < bodyTop + b.row + b.rows; r++)
          for (let c = t.left + b.col; c < t.left + b.col + b.cols; c++)
            if (r > t.bottom && !sheet.isEmpty(r, c))
              throw refused(
                `表格 ${t.name} 下方的 ${this.describeCell(t, r, c)} 已有内容，无法追加行：请先移开`,
                `${this.describeCell(t, r, c)} below table ${t.name} is in use, rows cannot be added: move it first`,
              );
      const inherit = app.at > 0 ? first - 1 : undefined;
      const left = new Set(app.leftToCalculated);
      app.rows.forEach((row, i) => {
        for (let c = 0; c < app.width; c++) {
          // A calculated column fills itself into new rows, as in Excel (its value: when Excel calculates).
          const f = t.calculated[c];
          if (left.has(c)) {
            if (f !== undefined)
              sheet.setFormula(first + i, t.left + c, f, null, this.styleFor(sheet, first + i, t.left + c, "General", inherit));
          } else this.put(sheet, first + i, t.left + c, row[c] ?? null, app.formats[c], inherit, true);
        }
      });
      if (t.calculated.some((f) => f !== undefined)) this.calculateOnLoad();
      t.bottom = Math.max(t.bottom, bodyTop + app.bodyAfter - 1);
      this.setTableRef(t);
    }

    for (const { nt } of plan.newTables) this.newTable(nt);
    for (const cp of plan.calculated) {
      const idx = this.calculatedColumn(cp.cc);
      if (idx !== cp.col)
        throw new Error(
          `计算列“${cp.cc.header}”落在第 ${idx + 1} 列，而不是计划的第 ${cp.col + 1} 列 / calculated column ${cp.cc.header} landed in column ${idx + 1}, not the planned ${cp.col + 1}`,
        );
    }
    for (const c of changes.customXml ?? []) this.setCustomXml(c.namespace, c.xml);
    for (const n of changes.names ?? [])
      this.pkg.setText(this.workbookPart, setTextName(this.pkg.text(this.workbookPart) ?? "", n.name, n.text));
  }

  /** Adds columns at a table's right end: their cells must be free. */
  private appendColumns(t: TableEntry, headers: string[]): void {
    const sheet = this.writable(t.sheet);
    headers.forEach((h, i) => {
      const c = t.right + 1 + i;
      for (let r = t.top; r <= t.bottom; r++)
        if (!sheet.isEmpty(r, c))
          throw refused(
            `无法在表格 ${t.name} 右侧添加“${h}”列：${this.describeCell(t, r, c)} 已有内容，请先移开`,
            `cannot add column "${h}" to table ${t.name}: ${this.describeCell(t, r, c)} is in use, move it first`,
          );
    });
    headers.forEach((h, i) => this.put(sheet, t.top, t.right + 1 + i, h, "General"));
    let xml = this.pkg.text(t.part)!;
    const cols = findElement(xml, "tableColumns")!;
    const ids = [...elements(xml, "tableColumn", cols.openEnd, cols.end)].map((c) => Number(attr(c.text, "id") ?? 0));
    let next = Math.max(0, ...ids) + 1;
    const p = /<([\w.-]+:)?tableColumns/.exec(cols.text)?.[1] ?? "";
    const added = headers.map((h) => `<${p}tableColumn id="${next++}" name="${escapeAttr(h)}"/>`).join("");
    const close = cols.end - `</${cols.qname}>`.length;
    xml = `${xml.slice(0, cols.start)}${setAttr(cols.text, "count", String(t.columns.length + headers.length))}${xml.slice(cols.openEnd, close)}${added}${xml.slice(close)}`;
    this.pkg.setText(t.part, xml);
    t.columns.push(...headers);
    t.calculated.push(...headers.map(() => undefined));
    t.right += headers.length;
    this.setTableRef(t);
  }

  /**
   * A calculated column: every data row gets the formula (in the file's syntax) with the value
   * core computed as its saved result; the table column gets the formula, so Excel fills it into
   * new rows; its highlights replace the conditional formats of that column; Excel is asked to
   * calculate everything when it opens the file.
   */
  private calculatedColumn(cc: CalculatedColumn): number {
    const t = this.table(cc.table);
    const sheet = this.writable(t.sheet);
    let idx = t.columns.findIndex((c) => c.trim().toLowerCase() === cc.header.trim().toLowerCase());
    if (idx < 0) {
      this.appendColumns(t, [cc.header]);
      idx = t.columns.length - 1;
    }
    const col = t.left + idx;
    const formula = toFileFormula(cc.formula, t.name);
    // The table column's own formula: the first child of its tableColumn (CT_TableColumn).
    let xml = this.pkg.text(t.part)!;
    const cols = findElement(xml, "tableColumns")!;
    const tc = [...elements(xml, "tableColumn", cols.openEnd, cols.end)][idx];
    const p = /<([\w.-]+:)?tableColumn/.exec(tc.text)?.[1] ?? "";
    const inner = tc.selfClosing ? "" : xml.slice(tc.openEnd, tc.end - `</${tc.qname}>`.length);
    const kept = inner.replace(
      new RegExp(
        `<${p.replace(":", "\\:")}calculatedColumnFormula[\\s\\S]*?</${p.replace(":", "\\:")}calculatedColumnFormula>|<${p.replace(":", "\\:")}calculatedColumnFormula[^>]*/>`,
      ),
      "",
    );
    xml = `${xml.slice(0, tc.start)}${tc.text.replace(/\s*\/>$/, ">")}<${p}calculatedColumnFormula>${escapeText(formula)}</${p}calculatedColumnFormula>${kept}</${tc.qname}>${xml.slice(tc.end)}`;
    this.pkg.setText(t.part, xml);
    t.calculated[idx] = formula;

    const bodyTop = t.top + t.headerRows;
    const bodyBottom = t.bottom - t.totalsRows;
    const format = cc.format ?? "General";
    for (let r = bodyTop; r <= bodyBottom; r++) {
      let v = cc.values[r - bodyTop] ?? null;
      if (typeof v === "number" && format === DATE_FORMAT && this.date1904) v -= DAYS_1904;
      sheet.setFormula(r, col, formula, v, this.styleFor(sheet, r, col, format));
    }

    // Highlights: this column's conditional formats are the add-in's; the old ones go.
    const colRef = (r: number) => `${columnLetter(col)}${r + 1}`;
    let priority = 0;
    for (const cf of sheet.elementsAfterData("conditionalFormatting")) {
      const text = sheet.slice(cf.start, cf.end);
      for (const m of text.matchAll(/priority\s*=\s*["'](\d+)["']/g)) priority = Math.max(priority, Number(m[1]));
      const refs = (attr(cf.text, "sqref") ?? "").split(/\s+/).map((x) => parseRangeRef(x));
      if (refs.length && refs.every((b) => b && b.left === col && b.right === col && b.top >= bodyTop)) sheet.removeRange(cf.start, cf.end);
    }
    if (cc.highlights?.length && bodyBottom >= bodyTop) {
      const sp = sheet.prefix;
      const styles = this.ensureStyles();
      const rules = cc.highlights
        .map(
          (h) =>
            `<${sp}cfRule type="expression" dxfId="${styles.addDxf(HIGHLIGHT_FONT[h.fill], HIGHLIGHT_FILL[h.fill])}" priority="${++priority}"><${sp}formula>${escapeText(h.formula.replace(/^\s*=/, ""))}</${sp}formula></${sp}cfRule>`,
        )
        .join("");
      sheet.addElement(
        "conditionalFormatting",
        `<${sp}conditionalFormatting sqref="${colRef(bodyTop)}:${colRef(bodyBottom)}">${rules}</${sp}conditionalFormatting>`,
      );
    }
    this.calculateOnLoad();
    return idx;
  }

  /** `fullCalcOnLoad` in workbook.xml's calcPr: Excel recalculates every formula when it opens the file. */
  private calculateOnLoad(): void {
    const wb = this.pkg.text(this.workbookPart)!;
    const calc = findElement(wb, "calcPr");
    if (calc) {
      this.pkg.setText(this.workbookPart, wb.slice(0, calc.start) + setAttr(calc.text, "fullCalcOnLoad", "1") + wb.slice(calc.openEnd));
      return;
    }
    const root = findElement(wb, "workbook")!;
    let at = root.end - `</${root.qname}>`.length;
    for (const later of [
      "oleSize",
      "customWorkbookViews",
      "pivotCaches",
      "smartTagPr",
      "smartTagTypes",
      "webPublishing",
      "fileRecoveryPr",
      "webPublishObjects",
      "extLst",
    ]) {
      const t = findElement(wb, later, root.openEnd);
      if (t && t.start < at) at = t.start;
    }
    this.pkg.setText(this.workbookPart, `${wb.slice(0, at)}<${rootPrefix(wb)}calcPr fullCalcOnLoad="1"/>${wb.slice(at)}`);
  }

  /** Replaces the custom XML part of that namespace, or adds one (item, its properties, relationships). */
  private setCustomXml(namespace: string, xml: string): void {
    if (rootNamespace(xml) !== namespace) throw new Error(`custom XML part's root is not in namespace ${namespace}`);
    const existing = this.custom.get(namespace);
    if (existing) {
      this.pkg.setText(existing, xml);
      return;
    }
    const item = this.pkg.freeName("customXml/item", ".xml");
    const props = item.replace("/item", "/itemProps");
    const b = crypto.getRandomValues(new Uint8Array(16));
    const hex = [...b]
      .map((x) => x.toString(16).padStart(2, "0"))
      .join("")
      .toUpperCase();
    const guid = `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}}`;
    this.pkg.setText(item, xml);
    // The item relies on no Default for ".xml": some writers give every part an Override.
    this.pkg.ensureContentType(item, "application/xml");
    this.pkg.setText(
      props,
      `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="${guid}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="${escapeAttr(namespace)}"/></ds:schemaRefs></ds:datastoreItem>`,
    );
    this.pkg.setOverride(props, "application/vnd.openxmlformats-officedocument.customXmlProperties+xml");
    this.pkg.addRel(item, `${REL}/customXmlProps`, props);
    this.pkg.addRel(this.workbookPart, `${REL}/customXml`, item);
    this.custom.set(namespace, item);
    if (namespace === LOG_ANCHOR_NS) this.anchorParts.anchors.push(item);
  }

  private newTable(nt: ChangeSet["newTables"][number]): void {
    const lower = nt.sheet.toLowerCase();
    let entry = this.sheets.find((s) => s.name.toLowerCase() === lower);
    const rows = nt.rows.length ? nt.rows : [nt.headers.map(() => null)];
    const width = nt.headers.length;
    const bottom = rows.length; // header at row 0
    let old: TableEntry | undefined;
    const clash = this.tablesList.find((t) => t.name.toLowerCase() === nt.name.toLowerCase());
    if (entry) {
      if (entry.kind !== "worksheet" || !entry.part)
        throw refused(
          `已有名为“${entry.name}”的图表工作表，无法在其中建表：请重命名它`,
          `"${entry.name}" is a chart sheet, no table can go there: rename it`,
        );
      const here = this.tablesList.filter((t) => t.sheet === entry);
      if (nt.replaceSheet) {
        old = here.find((t) => t.name.toLowerCase() === nt.name.toLowerCase());
        const other = here.find((t) => t !== old);
        if (other)
          throw refused(
            `工作表“${entry.name}”中还有表格 ${other.name}，无法重新生成：请重命名该工作表`,
            `sheet "${entry.name}" also holds table ${other.name}, it cannot be regenerated: rename that sheet`,
          );
      }
    } else {
      const wb = this.pkg.cachedText(this.workbookPart)!;
      const prot = findElement(wb, "workbookProtection");
      if (prot && isTrue(attr(prot.text, "lockStructure")))
        throw refused(
          `工作簿结构受保护，无法添加工作表“${nt.sheet}”，未写入任何内容：请在 Excel 中点击“审阅 → 保护工作簿”取消保护，再重新运行`,
          `the workbook's structure is protected, so sheet "${nt.sheet}" cannot be added and nothing was written: in Excel click Review → Protect Workbook to turn it off, then run again`,
        );
      entry = this.addSheet(
        nt.sheet,
        nt.headers.map((h) => Math.max(10, Math.min(40, String(h).length * 2 + 4))),
      );
    }
    if (clash && clash !== old)
      throw refused(
        `工作簿中已有名为 ${nt.name} 的表格（工作表“${clash.sheet.name}”）`,
        `the workbook already has a table named ${nt.name} (sheet "${clash.sheet.name}")`,
      );
    const sheet = this.writable(entry);

    // The region the table takes: it must be free, except for the table it replaces.
    const inOld = (r: number, c: number) => !!old && r >= old.top && r <= old.bottom && c >= old.left && c <= old.right;
    for (let r = 0; r <= bottom; r++)
      for (let c = 0; c < width; c++)
        if (!inOld(r, c) && !sheet.isEmpty(r, c))
          throw refused(
            `工作表“${entry.name}”的 ${quoteSheet(entry.name)}!${columnLetter(c)}${r + 1} 已有内容，无法写入表格 ${nt.name}：请先移开`,
            `${quoteSheet(entry.name)}!${columnLetter(c)}${r + 1} is in use, table ${nt.name} cannot be written there: move it first`,
          );
    if (old)
      for (let r = old.top; r <= old.bottom; r++)
        for (let c = old.left; c <= old.right; c++) if (r > bottom || c >= width) sheet.clear(r, c);

    nt.headers.forEach((h, c) => this.put(sheet, 0, c, h, "General"));
    rows.forEach((line, i) => {
      for (let c = 0; c < width; c++) this.put(sheet, i + 1, c, line[c] ?? null, formatOf(nt, c));
    });

    // The data bar this engine owns: the old one goes with the old table.
    for (const cf of sheet.elementsAfterData("conditionalFormatting")) {
      const ref = parseRangeRef((attr(cf.text, "sqref") ?? "").split(" ")[0]);
      const text = sheet.slice(cf.start, cf.end);
      if (ref && old && inOldRange(ref, old) && /dataBar/.test(text)) sheet.removeRange(cf.start, cf.end);
    }
    if (nt.dataBarCol !== undefined && nt.rows.length) {
      const col = columnLetter(nt.dataBarCol);
      const p = sheet.prefix;
      sheet.addElement(
        "conditionalFormatting",
        `<${p}conditionalFormatting sqref="${col}2:${col}${nt.rows.length + 1}"><${p}cfRule type="dataBar" priority="1"><${p}dataBar><${p}cfvo type="min"/><${p}cfvo type="max"/><${p}color rgb="FF0078D4"/></${p}dataBar></${p}cfRule></${p}conditionalFormatting>`,
      );
    }

    const id = old?.id ?? Math.max(0, ...this.tablesList.map((t) => t.id)) + 1;
    const part = old?.part ?? this.pkg.freeName("xl/tables/table", ".xml");
    const ref = refText(0, 0, bottom, width - 1);
    const names = uniqueColumnNames(nt.headers.map(String));
    this.pkg.setText(
      part,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="${NS_MAIN}" id="${id}" name="${escapeAttr(nt.name)}" displayName="${escapeAttr(nt.name)}" ref="${ref}" totalsRowShown="0"><autoFilter ref="${ref}"/><tableColumns count="${width}">${names
        .map((h, i) => `<tableColumn id="${i + 1}" name="${escapeAttr(h)}"/>`)
        .join(
          "",
        )}</tableColumns><tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`,
    );
    if (!old) {
      this.pkg.setOverride(part, CT.table);
      const rid = this.pkg.addRel(entry.part!, `${REL}/table`, part);
      const p = sheet.prefix;
      const rAttr = relAttr(this.pkg.text(entry.part!) ?? "");
      const tp = sheet.findAfterData("tableParts");
      if (tp) {
        const xml = this.pkg.text(entry.part!)!;
        sheet.removeRange(tp.start, tp.end);
        const inner = tp.selfClosing ? "" : xml.slice(tp.openEnd, tp.end - `</${tp.qname}>`.length);
        const count = [...elements(inner, "tablePart")].length + 1;
        sheet.addElement(
          "tableParts",
          `${setAttr(tp.text.replace(/\s*\/>$/, ">"), "count", String(count))}${inner}<${p}tablePart ${rAttr}="${rid}"/></${tp.qname}>`,
        );
      } else sheet.addElement("tableParts", `<${p}tableParts count="1"><${p}tablePart ${rAttr}="${rid}"/></${p}tableParts>`);
      this.tablesList.push({
        part,
        sheet: entry,
        id,
        name: nt.name,
        top: 0,
        left: 0,
        bottom,
        right: width - 1,
        headerRows: 1,
        totalsRows: 0,
        columns: names,
        calculated: names.map(() => undefined),
      });
    } else
      Object.assign(old, {
        top: 0,
        left: 0,
        bottom,
        right: width - 1,
        headerRows: 1,
        totalsRows: 0,
        columns: names,
        calculated: names.map(() => undefined),
      });
  }

  private addSheet(name: string, widths: number[]): SheetEntry {
    const part = this.pkg.freeName("xl/worksheets/sheet", ".xml");
    this.pkg.setText(part, NEW_SHEET(widths));
    this.pkg.setOverride(part, CT.sheet);
    const rid = this.pkg.addRel(this.workbookPart, `${REL}/worksheet`, part);
    const wb = this.pkg.text(this.workbookPart)!;
    const p = rootPrefix(wb);
    const sheetId = Math.max(0, ...this.sheets.map((s) => s.sheetId)) + 1;
    const rel = relAttr(wb);
    const tag = `<${p}sheet name="${escapeAttr(name)}" sheetId="${sheetId}" ${rel}="${rid}"/>`;
    const sheets = findElement(wb, "sheets")!;
    const xml = sheets.selfClosing
      ? `${wb.slice(0, sheets.start)}${sheets.text.replace(/\s*\/>$/, ">")}${tag}</${sheets.qname}>${wb.slice(sheets.end)}`
      : `${wb.slice(0, sheets.end - `</${sheets.qname}>`.length)}${tag}${wb.slice(sheets.end - `</${sheets.qname}>`.length)}`;
    this.pkg.setText(this.workbookPart, xml);
    const entry: SheetEntry = { name, sheetId, rid, part, kind: "worksheet" };
    this.sheets.push(entry);
    return entry;
  }

  private serialize(): Uint8Array {
    if (this.dirty) this.flush();
    return this.pkg.toBytes();
  }

  /** Folds the edits into the parts and reads the structure again, so a later read sees them. */
  private flush(): void {
    let dropCalcChain = false;
    for (const [part, sheet] of this.sheetCache) {
      if (!sheet.changed) continue;
      this.pkg.setText(part, sheet.toXml());
      if (sheet.formulaTouched) dropCalcChain = true;
    }
    if (this.styles?.changed) this.pkg.setText(this.pkg.targets(this.workbookPart, "styles")[0].part, this.styles.toXml());
    if (this.sst?.changed) this.pkg.setText(this.pkg.targets(this.workbookPart, "sharedStrings")[0].part, this.sst.toXml());
    if (dropCalcChain) {
      // The calculation chain lists formula cells; one that lost its formula makes Excel repair
      // the file. It is a cache Excel rebuilds on open, so it goes.
      for (const { rel, part } of this.pkg.targets(this.workbookPart, "calcChain")) {
        this.pkg.remove(part);
        this.pkg.removeOverride(part);
        this.pkg.removeRel(this.workbookPart, rel.id);
      }
    }
    this.dirty = false;
    this.load();
  }
}

/** Excel workbooks the engine reads and writes: .xlsx and .xlsm (macros kept), and their templates. */
export const WORKBOOK_EXTENSIONS = [".xlsx", ".xlsm", ".xltx", ".xltm"];

export function checkExtension(file: string): void {
  const dot = file.lastIndexOf(".");
  const ext = dot < 0 ? "" : file.slice(dot).toLowerCase();
  if (!WORKBOOK_EXTENSIONS.includes(ext))
    throw new WorkbookFileError(`只支持 .xlsx 和 .xlsm 文件：${file}`, `only .xlsx and .xlsm files are supported: ${file}`);
}

function inOldRange(ref: { top: number; left: number; bottom: number; right: number }, t: TableEntry): boolean {
  return ref.top >= t.top && ref.bottom <= t.bottom && ref.left >= t.left && ref.right <= t.right;
}

/** Table column names must be unique and non-empty (Excel appends a number, as here). */
function uniqueColumnNames(headers: string[]): string[] {
  const seen = new Set<string>();
  return headers.map((h, i) => {
    let name = h.trim() || `Column${i + 1}`;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${h.trim() || "Column"}${n}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

/**
 * The attribute that names a relationship on a new child of the part's root: `r:id` with the
 * prefix the root element declares, else with its own declaration (openpyxl, for one,
 * declares the prefix on each `<sheet>` instead of on `<workbook>`).
 */
function relAttr(xml: string): string {
  const lt = xml.search(/<(?:[\w.-]+:)?(worksheet|workbook)[\s>]/);
  const rootTag = lt < 0 ? "" : xml.slice(lt, startTagEnd(xml, lt));
  const m = /xmlns:([\w.-]+)\s*=\s*["']http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships["']/.exec(rootTag);
  return m ? `${m[1]}:id` : `xmlns:r="${REL}" r:id`;
}

/** The namespace of a part's root element (its prefix's declaration, or the default namespace). */
export function rootNamespace(xml: string): string | undefined {
  const m = /<(?!\?|!)(?:([\w.-]+):)?[\w.-]+((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(xml);
  if (!m) return undefined;
  const a = attrs(`<x${m[2]}>`);
  return m[1] ? a[`xmlns:${m[1]}`] : (a.xmlns ?? "");
}
