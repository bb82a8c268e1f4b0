/**
 * The package registry of the .xlsx adapter: a workbook package (package.ts) and what its
 * parts contain, read once and kept in step with the edits.
 */
import { CellValue, DATE_FORMAT, columnLetter, parseRangeRef } from "../port";
import { group } from "../../core/group";
import { LOG_ANCHOR_NS, looksLikeAnchor } from "../../core/workflow/log";
import { Package, relIs, resolveTarget } from "./package";
import { DAYS_1904, ReadContext, Sheet } from "./sheet";
import { EMPTY_SST, SharedStrings } from "./strings";
import { MINIMAL_STYLES, Styles } from "./styles";
import { attr, attrs, decodeXml, elements, findElement, setAttr } from "./xml";
import { MAX_COLUMNS, MAX_ROWS, MAX_TABLE_CELLS, PackageError, fmt, inPart } from "./limits";
import { WorkbookFileError, checkName, refused } from "./workbook-error";

export const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
export const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
export const CT = {
  sheet: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
  table: "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
  sst: "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
  styles: "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
  workbook: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
};

export interface SheetEntry {
  name: string;
  sheetId: number;
  rid: string;
  /** The part, or undefined for a sheet whose part is missing. */
  part?: string;
  kind: "worksheet" | "chartsheet" | "other";
}

export interface TableEntry {
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

export const isTrue = (v: string | undefined) => v === "1" || v === "true";

export const quoteSheet = (name: string) =>
  /^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
export const refText = (t: number, l: number, b: number, r: number) => `${columnLetter(l)}${t + 1}:${columnLetter(r)}${b + 1}`;

/**
 * What a workbook package contains, as the engine works on it: its parts (file/package.ts), the
 * sheets and tables they define, the shared strings and styles, the custom XML parts and the
 * log's anchors; and the cell-level writes the port adapter (xlsx.ts) and the structural edits
 * (table-edits.ts, workbook-edits.ts) make on them. It does no I/O of its own.
 */
export class PartRegistry {
  workbookPart = "xl/workbook.xml";
  sheets: SheetEntry[] = [];
  tablesList: TableEntry[] = [];
  sheetCache = new Map<string, Sheet>();
  sst?: SharedStrings;
  styles?: Styles;
  date1904 = false;
  strict = false;
  /** What every sheet reads cells with (one object, so a string table created later reaches them all). */
  ctx: ReadContext = { sst: undefined, styles: undefined, date1904: false };
  /** Whether a write has not yet been folded into the parts. */
  dirty = false;
  /** Custom XML parts by their root element's namespace. */
  custom = new Map<string, string>();
  /** The log's anchor parts, and parts that look like one (core/workflow/log.ts LogRecords), as loaded. */
  anchorParts: { anchors: string[]; lookalikes: { where: string; namespace: string }[] } = { anchors: [], lookalikes: [] };

  constructor(
    readonly pkg: Package,
    readonly fileName: string,
  ) {
    this.load();
  }

  /** Whether the workbook's structure is protected (no sheet can be added). */
  get structureProtected(): boolean {
    const prot = findElement(this.pkg.cachedText(this.workbookPart) ?? "", "workbookProtection");
    return !!prot && isTrue(attr(prot.text, "lockStructure"));
  }

  // ---- reading the package's structure

  load(): void {
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
    this.ctx = { sst: this.sst, styles: this.styles, date1904: this.date1904, sstPart, sstEmpty: sstXml === "" };
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
    this.checkTables();
  }

  /** The workbook part: its date system and sheets. */
  loadWorkbook(wb: string): void {
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
    this.checkSheets();
  }

  /**
   * What Excel will not open (MS-OI29500 2.1.578, on ISO/IEC 29500-1 §18.2.19): a sheet name
   * that is empty, longer than 31 characters, holds one of [ ] : * ? / \ or starts or ends with
   * an apostrophe; two sheets of one name (compared case-insensitively); and, ours, two sheets
   * over one part, whose cells a write would change under both names. Refused, naming the value.
   */
  private checkSheets(): void {
    const names = new Map<string, string>();
    const parts = new Map<string, string>();
    const wbPart = this.workbookPart;
    for (const s of this.sheets) {
      const shown = s.name.length > 40 ? `${s.name.slice(0, 40)}…` : s.name;
      const bad = /[[\]:*?/\\]/.exec(s.name)?.[0];
      if (s.name === "" || s.name.length > 31 || bad !== undefined || s.name.startsWith("'") || s.name.endsWith("'")) {
        const [zh, en] =
          s.name === ""
            ? ["为空", "is empty"]
            : s.name.length > 31
              ? [`有 ${fmt(s.name.length)} 个字符，Excel 最多允许 31 个`, `has ${fmt(s.name.length)} characters, more than Excel's 31`]
              : bad !== undefined
                ? [`含有 Excel 不允许的字符 ${bad}`, `holds the character ${bad}, which Excel does not allow`]
                : ["以撇号 (') 开头或结尾，Excel 不允许", "starts or ends with an apostrophe ('), which Excel does not allow"];
        throw new PackageError(wbPart, `中的工作表名称“${shown}”${zh}`, `holds the sheet name "${shown}", which ${en}`);
      }
      const key = s.name.toLowerCase();
      const same = names.get(key);
      if (same !== undefined)
        throw new PackageError(
          wbPart,
          `中有两个同名的工作表“${same}”和“${s.name}”（Excel 比较名称不分大小写）`,
          `holds two sheets of one name, "${same}" and "${s.name}" (Excel compares names ignoring case)`,
        );
      names.set(key, s.name);
      if (s.part) {
        const other = parts.get(s.part);
        if (other !== undefined)
          throw new PackageError(
            wbPart,
            `中的工作表“${other}”和“${s.name}”指向同一个部件 ${s.part}`,
            `holds two sheets, "${other}" and "${s.name}", that point to one part ${s.part}`,
          );
        parts.set(s.part, s.name);
      }
    }
  }

  /**
   * Two tables of one name (ISO/IEC 29500-1 §18.5.1.2: a displayName is unique in the workbook;
   * Excel compares ignoring case), or whose ranges overlap on one sheet: Excel "repairs" such a
   * file by deleting a table, and a write here would not know which of the two holds the cells.
   */
  private checkTables(): void {
    const byName = new Map<string, TableEntry>();
    for (const t of this.tablesList) {
      const key = t.name.toLowerCase();
      const same = byName.get(key);
      if (same)
        throw new PackageError(
          t.part,
          `中的表格名称 ${t.name} 已被 ${same.part} 使用（Excel 比较名称不分大小写）`,
          `holds the table name ${t.name}, which ${same.part} already uses (Excel compares names ignoring case)`,
        );
      byName.set(key, t);
    }
    // By sheet, top to bottom: a table overlaps one still open (reaching down to its top) whose columns meet its own.
    // Sheet names are unique by now (checkSheets).
    for (const list of group(this.tablesList, (t) => t.sheet.name).values()) {
      let open: TableEntry[] = [];
      for (const t of [...list].sort((a, b) => a.top - b.top)) {
        open = open.filter((o) => o.bottom >= t.top);
        const over = open.find((o) => o.left <= t.right && t.left <= o.right);
        if (over) {
          const a = refText(over.top, over.left, over.bottom, over.right);
          const b = refText(t.top, t.left, t.bottom, t.right);
          throw new PackageError(
            t.part,
            `中表格 ${t.name} 的区域 ${b} 与 ${over.part} 中表格 ${over.name} 的区域 ${a} 重叠（工作表“${t.sheet.name}”）`,
            `has table ${t.name} over ${b}, which overlaps table ${over.name} over ${a} in ${over.part} (sheet "${t.sheet.name}")`,
          );
        }
        open.push(t);
      }
    }
  }

  resolve(source: string, target: string): string {
    return resolveTarget(source, target);
  }

  parseTable(part: string, sheet: SheetEntry, xml: string): TableEntry {
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

  sheetOf(entry: SheetEntry): Sheet {
    const part = entry.part!;
    let s = this.sheetCache.get(part);
    if (!s) {
      s = new Sheet(this.pkg.text(part) ?? "", this.ctx, part, this.pkg.hasInvalidUtf8(part));
      this.sheetCache.set(part, s);
    }
    return s;
  }

  // ---- writing

  table(name: string): TableEntry {
    const want = name.toLowerCase();
    const t = this.tablesList.find((x) => x.name.toLowerCase() === want);
    if (!t) throw refused(`找不到表格 ${name}`, `no table ${name}`);
    return t;
  }

  writable(entry: SheetEntry): Sheet {
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
  styleFor(sheet: Sheet, r: number, c: number, format: string, inherit?: number, explicit = false): number {
    const base = sheet.cellXml(r, c) !== undefined || inherit === undefined ? sheet.styleOf(r, c) : sheet.styleOf(inherit, c);
    return format === "General" && !explicit ? base : this.ensureStyles().withFormat(base, format);
  }

  ensureStyles(): Styles {
    if (!this.styles) {
      const part = "xl/styles.xml";
      this.pkg.setText(part, MINIMAL_STYLES);
      this.pkg.addRel(this.workbookPart, `${REL}/styles`, part);
      this.pkg.setOverride(part, CT.styles);
      this.styles = this.ctx.styles = new Styles(MINIMAL_STYLES);
    }
    return this.styles;
  }

  ensureSst(): SharedStrings {
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
  put(sheet: Sheet, r: number, c: number, value: CellValue, format: string, inherit?: number, explicit = false): void {
    const v = typeof value === "number" && format === DATE_FORMAT && this.date1904 ? value - DAYS_1904 : value;
    sheet.set(r, c, v, this.ensureSst(), this.styleFor(sheet, r, c, format, inherit, explicit));
  }

  setTableRef(t: TableEntry): void {
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

  describeCell(t: TableEntry, r: number, c: number): string {
    return `${quoteSheet(t.sheet.name)}!${columnLetter(c)}${r + 1}`;
  }

  /** The package's bytes, the edits folded in first. */
  toBytes(): Uint8Array {
    if (this.dirty) this.flush();
    return this.pkg.toBytes();
  }

  /** Folds the edits into the parts and reads the structure again, so a later read sees them. */
  flush(): void {
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

/** The namespace of a part's root element (its prefix's declaration, or the default namespace). */
export function rootNamespace(xml: string): string | undefined {
  const m = /<(?!\?|!)(?:([\w.-]+):)?[\w.-]+((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(xml);
  if (!m) return undefined;
  const a = attrs(`<x${m[2]}>`);
  return m[1] ? a[`xmlns:${m[1]}`] : (a.xmlns ?? "");
}
