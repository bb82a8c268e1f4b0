/**
 * One worksheet part, read and edited in place. Reading walks only the rows and cells asked
 * for. Editing keeps every row it does not touch as the exact text it was, and inside a
 * touched row every other cell as it was; only `sheetData`, `dimension` and the few elements
 * the engine owns (its table parts, its data bar) change.
 */
import type { CellValue } from "../port";
import { columnLetter } from "../port";
import { Styles } from "./styles";
import { SharedStrings } from "./strings";
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, PackageError, XmlError, fmt, inPart } from "./limits";
import {
  attr,
  decodeXml,
  decodeXstring,
  elements,
  encodeXstring,
  escapeText,
  findElement,
  removeAttr,
  setAttr,
  startTagEnd,
  stringItemText,
} from "./xml";

/** Serial days between the 1900 and 1904 date systems. */
export const DAYS_1904 = 1462;

export interface ReadContext {
  sst: SharedStrings | undefined;
  styles: Styles | undefined;
  date1904: boolean;
  /** The shared string part the workbook's relationships name, whether or not the file holds it. */
  sstPart?: string;
  /** The shared string part is in the file but holds nothing (0 bytes). */
  sstEmpty?: boolean;
}

/** A cell (or a whole row, col -1) the sheet holds but that cannot be read: a finding, never a guess. */
export interface CellProblem {
  /** 0-based sheet row and column as the file places them. */
  row: number;
  col: number;
  zh: string;
  en: string;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

interface RowLoc {
  r: number;
  start: number;
  openEnd: number;
  end: number;
  selfClosing: boolean;
  hasR: boolean;
}

interface CellLoc {
  col: number;
  start: number;
  openEnd: number;
  end: number;
  selfClosing: boolean;
}

interface RowEdit {
  tag: string;
  cells: Map<number, string>;
  /** What the row holds besides cells (an extension list), kept after them. */
  tail: string;
}

const R_ATTR = /\sr\s*=\s*["']([A-Za-z]+)(\d+)["']/;
const S_ATTR = /\ss\s*=\s*["'](\d+)["']/;

const isSpace = (ch: number) => ch === 32 || ch === 9 || ch === 10 || ch === 13;

/**
 * Where the `r`, `t` and `s` attributes of one start tag hold their values (offsets into the
 * part, -1 when absent; the first of a name counts). One object per sheet, filled again for
 * every row or cell: reading a 100 MB sheet allocates nothing per tag. Any spelling XML allows
 * (spaces around `=`, single quotes); a tag that is not well-formed stops the scan there.
 */
class TagAttrs {
  rS = -1;
  rE = -1;
  tS = -1;
  tE = -1;
  sS = -1;
  sE = -1;

  /** Scans x[from, openEnd): `from` is just after the element's name, `openEnd` just after its `>`. */
  scan(x: string, from: number, openEnd: number): void {
    this.rS = this.tS = this.sS = -1;
    const stop = openEnd - 1;
    let k = from;
    while (k < stop) {
      let ch = x.charCodeAt(k);
      if (isSpace(ch)) {
        k++;
        continue;
      }
      if (ch === 47 || ch === 62) return;
      const ns = k;
      while (k < stop && (ch = x.charCodeAt(k)) !== 61 && ch !== 47 && ch !== 62 && !isSpace(ch)) k++;
      const ne = k;
      while (k < stop && isSpace(x.charCodeAt(k))) k++;
      if (x.charCodeAt(k) !== 61) return;
      k++;
      while (k < stop && isSpace(x.charCodeAt(k))) k++;
      const q = x.charCodeAt(k);
      if (q !== 34 && q !== 39) return;
      const vs = k + 1;
      const ve = x.indexOf(q === 34 ? '"' : "'", vs);
      if (ve < 0 || ve >= stop) return;
      if (ne - ns === 1) {
        const n = x.charCodeAt(ns);
        if (n === 114 && this.rS < 0) {
          this.rS = vs;
          this.rE = ve;
        } else if (n === 116 && this.tS < 0) {
          this.tS = vs;
          this.tE = ve;
        } else if (n === 115 && this.sS < 0) {
          this.sS = vs;
          this.sE = ve;
        }
      }
      k = ve + 1;
    }
  }
}

/** A cell's type (`t`), as a small number: the reader switches on it without making a string. */
const T_N = 0;
const T_S = 1;
const T_STR = 2;
const T_B = 3;
const T_E = 4;
const T_D = 5;
const T_INLINE = 6;
const T_OTHER = 7;

function typeCode(x: string, s: number, e: number, decoded = false): number {
  const len = e - s;
  if (len === 1)
    switch (x.charCodeAt(s)) {
      case 110:
        return T_N;
      case 115:
        return T_S;
      case 98:
        return T_B;
      case 101:
        return T_E;
      case 100:
        return T_D;
    }
  else if (len === 3 && x.startsWith("str", s)) return T_STR;
  else if (len === 9 && x.startsWith("inlineStr", s)) return T_INLINE;
  if (!decoded) {
    const amp = x.indexOf("&", s);
    if (amp >= 0 && amp < e) {
      const d = decodeXml(x.slice(s, e));
      return typeCode(d, 0, d.length, true);
    }
  }
  return T_OTHER;
}

/** The 0-based column of a cell reference's letters (`AB12` → 27); -1 when it starts with none. */
function refColumn(x: string, s: number, e: number, decoded = false): number {
  let n = 0;
  for (let k = s; k < e; k++) {
    const ch = x.charCodeAt(k);
    const code = ch & 0xdf;
    if (code < 65 || code > 90) {
      if (ch === 38 && !decoded) {
        // A character reference in the reference (`&#65;1`): read as its decoded text.
        const d = decodeXml(x.slice(s, e));
        return refColumn(d, 0, d.length, true);
      }
      break;
    }
    n = n * 26 + code - 64;
  }
  return n - 1;
}

/** A row number written as digits only, else -1 (the row then counts as one with no `r`). */
function rowNumber(x: string, s: number, e: number): number {
  if (s >= e) return -1;
  let n = 0;
  for (let k = s; k < e; k++) {
    const d = x.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The offset of a child element's start (`<v`, `<f`, `<is`, with the part's prefix) in [from, to), or -1. */
function childAt(x: string, open: string, from: number, to: number): number {
  for (let i = x.indexOf("<", from); i >= 0 && i < to; i = x.indexOf("<", i + 1)) {
    if (!x.startsWith(open, i)) continue;
    const ch = x.charCodeAt(i + open.length);
    if (ch === 32 || ch === 62 || ch === 47 || ch === 9 || ch === 10 || ch === 13) return i;
  }
  return -1;
}

/** Excel's error values, as a formula's saved result (`t="e"`). */
const EXCEL_ERROR = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|BUSY!)$/;

export const colIndex = (letters: string): number => {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) & 0x1f);
  return n - 1;
};

export const NEW_SHEET = (widths: number[]): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>${
    widths.length
      ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>`
      : ""
  }<sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;

/** Elements that follow sheetData, in the schema's order (CT_Worksheet): where a new one goes. */
const AFTER_SHEETDATA = [
  "sheetCalcPr",
  "sheetProtection",
  "protectedRanges",
  "scenarios",
  "autoFilter",
  "sortState",
  "dataConsolidate",
  "customSheetViews",
  "mergeCells",
  "phoneticPr",
  "conditionalFormatting",
  "dataValidations",
  "hyperlinks",
  "printOptions",
  "pageMargins",
  "pageSetup",
  "headerFooter",
  "rowBreaks",
  "colBreaks",
  "customProperties",
  "cellWatches",
  "ignoredErrors",
  "smartTags",
  "drawing",
  "legacyDrawing",
  "legacyDrawingHF",
  "drawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
];

export class Sheet {
  readonly prefix: string;
  private rows?: RowLoc[];
  private sheetData: { start: number; openEnd: number; end: number; selfClosing: boolean; qname: string };
  private edits = new Map<number, RowEdit>();
  private extent?: { top: number; left: number; bottom: number; right: number };
  /** Set when a formula cell was overwritten or moved: the calculation chain must go. */
  formulaTouched = false;
  private tail: { remove: [number, number][]; add: { before: string; xml: string }[] } = { remove: [], add: [] };

  /** Rows and cells that could not be read, by `row:col` (found as they are read). */
  private problemMap = new Map<string, CellProblem>();

  /** The attributes of the row or cell tag being read, and what the cell being read left (see valueAt). */
  private attrs = new TagAttrs();
  private cell: { formula: string | undefined; problem: ((at: string) => [string, string]) | undefined } = {
    formula: undefined,
    problem: undefined,
  };
  /** The tags of cells and their children, with the part's prefix. */
  private readonly openC: string;
  private readonly closeC: string;
  private readonly openF: string;
  private readonly closeF: string;
  private readonly openV: string;
  private readonly closeV: string;
  private readonly openIs: string;

  constructor(
    private xml: string,
    private ctx: ReadContext,
    /** The part's name, for messages; whether its bytes held invalid UTF-8 (replaced by U+FFFD). */
    readonly part = "worksheet",
    private badUtf8 = false,
  ) {
    const p = (this.prefix = /<([\w.-]+:)?worksheet[\s>]/.exec(xml)?.[1] ?? "");
    [this.openC, this.closeC, this.openF, this.closeF] = [`<${p}c`, `</${p}c>`, `<${p}f`, `</${p}f>`];
    [this.openV, this.closeV, this.openIs] = [`<${p}v`, `</${p}v>`, `<${p}is`];
    const sd = inPart(part, () => findElement(xml, "sheetData"));
    if (!sd) throw new PackageError(part, "工作表中没有 sheetData", "the worksheet has no sheetData");
    this.sheetData = { start: sd.start, openEnd: sd.openEnd, end: sd.end, selfClosing: sd.selfClosing, qname: sd.qname };
  }

  get changed(): boolean {
    return this.edits.size > 0 || this.tail.add.length > 0 || this.tail.remove.length > 0;
  }

  /** Whether the sheet is protected (`sheetProtection sheet="1"`). */
  get isProtected(): boolean {
    const t = findElement(this.xml, "sheetProtection", this.sheetData.end);
    const v = t && attr(t.text, "sheet");
    return v === "1" || v === "true";
  }

  private problem(row: number, col: number, zh: string, en: string): void {
    const key = `${row}:${col}`;
    if (!this.problemMap.has(key)) this.problemMap.set(key, { row, col, zh, en });
  }

  /** The problems found so far in rows top..bottom (and every row out of Excel's range): call after `read`. */
  problems(top: number, bottom: number, left: number, right: number): CellProblem[] {
    return [...this.problemMap.values()].filter(
      (p) => p.row >= MAX_ROWS || p.row < 0 || (p.row >= top && p.row <= bottom && (p.col < 0 || (p.col >= left && p.col <= right))),
    );
  }

  /** The row's cells cannot be written back faithfully: the write is refused (file unchanged). */
  private assertWritable(r: number): void {
    for (const p of this.problemMap.values())
      if (p.row === r)
        throw new PackageError(
          this.part,
          `第 ${r + 1} 行无法读取（${p.zh}），未写入任何内容：请在 Excel 中打开并保存后再运行`,
          `row ${r + 1} cannot be read (${p.en}), nothing was written: open and save the file in Excel, then run again`,
        );
  }

  private index(): RowLoc[] {
    if (this.rows) return this.rows;
    return (this.rows = inPart(this.part, () => this.scanRows()));
  }

  /**
   * The rows in file order. A row numbered at or before the one before it, or beyond Excel's
   * last row, is left out of the index (its text stays in the file as it was) and reported.
   */
  private scanRows(): RowLoc[] {
    const rows: RowLoc[] = [];
    const { openEnd, end, selfClosing } = this.sheetData;
    if (!selfClosing) {
      const x = this.xml;
      const open = `<${this.prefix}row`;
      const close = `</${this.prefix}row>`;
      const a = this.attrs;
      let last = -1;
      for (let i = x.indexOf(open, openEnd); i >= 0 && i < end; i = x.indexOf(open, i)) {
        const ch = x.charCodeAt(i + open.length);
        if (ch !== 32 && ch !== 62 && ch !== 47 && ch !== 9 && ch !== 10 && ch !== 13) {
          i += open.length;
          continue;
        }
        const oe = startTagEnd(x, i);
        const sc = x.charCodeAt(oe - 2) === 47;
        const ce = sc ? oe : x.indexOf(close, oe);
        if (ce < 0 || ce > end)
          throw new XmlError(
            `第 ${rows.length + 1} 个 <row> 缺少结束标记 </${this.prefix}row>`,
            `<row> number ${fmt(rows.length + 1)} has no end tag </${this.prefix}row>`,
          );
        const re = sc ? oe : ce + close.length;
        a.scan(x, i + open.length, oe);
        const n = a.rS < 0 ? -1 : rowNumber(x, a.rS, a.rE);
        const hasR = n >= 0;
        const r = hasR ? n - 1 : last + 1;
        if (r < 0 || r >= MAX_ROWS)
          this.problem(
            r,
            -1,
            `第 ${fmt(r + 1)} 行超出 Excel 的最后一行（${fmt(MAX_ROWS)}），该行未读取`,
            `row ${fmt(r + 1)} is beyond Excel's last row (${fmt(MAX_ROWS)}): it was not read`,
          );
        else if (r <= last)
          this.problem(
            r,
            -1,
            `第 ${r + 1} 行写在第 ${last + 1} 行之后（行的顺序错乱），该行未读取`,
            `row ${r + 1} comes after row ${last + 1} in the file (rows out of order): it was not read`,
          );
        else {
          rows.push({ r, start: i, openEnd: oe, end: re, selfClosing: sc, hasR });
          last = r;
        }
        i = re;
      }
    }
    return rows;
  }

  /** The position in the row index of the first row at or after sheet row `r`. */
  private seek(r: number): number {
    const rows = this.index();
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid].r < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The cells of a row, in order (cells without `r` take the column after the one before). */
  private cells(row: RowLoc): CellLoc[] {
    const out: CellLoc[] = [];
    inPart(this.part, () =>
      this.walkCells(row, (col, start, openEnd, end, selfClosing) => out.push({ col, start, openEnd, end, selfClosing })),
    );
    return out;
  }

  /**
   * Visits the cells of a row in order, in one pass over its text. A cell at or before the one
   * before it, or beyond Excel's last column, is left out and reported. While `visit` runs,
   * `this.attrs` holds the cell's attributes.
   */
  private walkCells(row: RowLoc, visit: (col: number, start: number, openEnd: number, end: number, selfClosing: boolean) => void): void {
    if (row.selfClosing) return;
    const open = this.openC;
    const close = this.closeC;
    const x = this.xml;
    const a = this.attrs;
    let col = -1;
    const stop = row.end;
    for (let i = x.indexOf(open, row.openEnd); i >= 0 && i < stop; i = x.indexOf(open, i)) {
      const ch = x.charCodeAt(i + open.length);
      if (ch !== 32 && ch !== 62 && ch !== 47 && ch !== 9 && ch !== 10 && ch !== 13) {
        i += open.length;
        continue;
      }
      const oe = startTagEnd(x, i);
      const sc = x.charCodeAt(oe - 2) === 47;
      const cc = sc ? oe : x.indexOf(close, oe);
      if (cc < 0 || cc > stop)
        throw new XmlError(`第 ${row.r + 1} 行的单元格缺少结束标记 ${close}`, `a cell of row ${row.r + 1} has no end tag ${close}`);
      const ce = sc ? oe : cc + close.length;
      const before = col;
      a.scan(x, i + open.length, oe);
      // A reference with no text (`r=""`) counts as none.
      const ref = a.rS >= 0 && a.rE > a.rS;
      col = ref ? refColumn(x, a.rS, a.rE) : col + 1;
      const start = i;
      i = ce;
      if (col < 0 || col >= MAX_COLUMNS) {
        const at = ref ? decodeXml(x.slice(a.rS, a.rE)).slice(0, 20) : "";
        this.problem(
          row.r,
          -1,
          `第 ${row.r + 1} 行的单元格 ${at} 超出 Excel 的列范围（最后一列 XFD），该行未读取`,
          `a cell of row ${row.r + 1}, ${at}, is beyond Excel's last column (XFD): the row was not read`,
        );
        col = before;
      } else if (col <= before) {
        const at = `${columnLetter(col)}${row.r + 1}`;
        this.problem(
          row.r,
          col,
          `单元格 ${at} 写在 ${columnLetter(before)}${row.r + 1} 之后（单元格顺序错乱），未读取`,
          `cell ${at} comes after ${columnLetter(before)}${row.r + 1} in the file (cells out of order): it was not read`,
        );
        col = before;
      } else visit(col, start, oe, ce, sc);
    }
  }

  /** The offset of a child's end tag `close`, which must lie inside the cell (before `to`). */
  private closeOf(close: string, from: number, to: number): number {
    const at = this.xml.indexOf(close, from);
    if (at < 0 || at > to) throw new XmlError(`单元格缺少结束标记 ${close}`, `a cell has no end tag ${close}`);
    return at;
  }

  /**
   * The value of the cell whose start tag ends at `openEnd` and which ends at `end`, its attributes in `this.attrs`. Its formula and,
   * when the value cannot be read, why (a function of the cell's reference, called only then)
   * are left in `this.cell`: nothing is allocated for a plain cell but its value.
   */
  private valueAt(openEnd: number, end: number, selfClosing: boolean): CellValue {
    const out = this.cell;
    out.formula = undefined;
    out.problem = undefined;
    if (selfClosing) return null;
    const x = this.xml;
    const a = this.attrs;
    const t = a.tS < 0 ? T_N : typeCode(x, a.tS, a.tE);
    const innerEnd = end - this.closeC.length;
    const fAt = childAt(x, this.openF, openEnd, innerEnd);
    if (fAt >= 0) {
      const fe = startTagEnd(x, fAt);
      out.formula = x.charCodeAt(fe - 2) === 47 ? "" : decodeXml(x.slice(fe, this.closeOf(this.closeF, fe, innerEnd)));
    }
    if (t === T_INLINE) {
      const is = childAt(x, this.openIs, openEnd, innerEnd);
      return this.checked(is < 0 ? "" : stringItemText(x, is, innerEnd));
    }
    const vAt = childAt(x, this.openV, openEnd, innerEnd);
    if (vAt < 0) return null;
    const ve = startTagEnd(x, vAt);
    const vs = ve;
    const vEnd = x.charCodeAt(ve - 2) === 47 ? ve : this.closeOf(this.closeV, ve, innerEnd);
    switch (t) {
      case T_S: {
        const sst = this.ctx.sst;
        if (!sst) {
          // Every text cell of the workbook points into a table that is not there: not one finding
          // per cell (thousands, and a broken structure on top), but the file refused in one line.
          const named = this.ctx.sstPart;
          const empty = this.ctx.sstEmpty === true;
          const part = this.part;
          out.problem = (at) => {
            throw new PackageError(
              part,
              named && empty
                ? `中的单元格 ${at} 是共享字符串（t="s"），但工作簿指向的共享字符串部件 ${named} 是空的`
                : named
                  ? `中的单元格 ${at} 是共享字符串（t="s"），但工作簿指向的共享字符串部件 ${named} 不在文件中`
                  : `中的单元格 ${at} 是共享字符串（t="s"），但工作簿没有共享字符串部件 (xl/sharedStrings.xml)`,
              named && empty
                ? `holds cell ${at} of type s (shared string), but the shared string part ${named} the workbook names is empty`
                : named
                  ? `holds cell ${at} of type s (shared string), but the shared string part ${named} the workbook names is not in the file`
                  : `holds cell ${at} of type s (shared string), but the workbook has no shared string part (xl/sharedStrings.xml)`,
            );
          };
          return null;
        }
        // The common index, digits only, read in place; anything else as Number reads it.
        let n = 0;
        let k = vs;
        for (; k < vEnd; k++) {
          const d = x.charCodeAt(k) - 48;
          if (d < 0 || d > 9) break;
          n = n * 10 + d;
        }
        if (k !== vEnd || k === vs || vEnd - vs > 15) n = Number(x.slice(vs, vEnd));
        const s = Number.isInteger(n) ? sst.items[n] : undefined;
        if (s === undefined) {
          out.problem = (at) => {
            const v = x.slice(vs, vEnd).slice(0, 20);
            return [
              `单元格 ${at} 指向不存在的共享字符串 ${v}（共有 ${fmt(sst.items.length)} 个）`,
              `cell ${at} points to shared string ${v}, which does not exist (there are ${fmt(sst.items.length)})`,
            ];
          };
          return null;
        }
        const bad = sst.problemOf(n);
        if (bad) {
          out.problem = (at) => [`单元格 ${at}：${bad[0]}`, `cell ${at}: ${bad[1]}`];
          return null;
        }
        return this.checked(s);
      }
      case T_STR:
        return this.checked(decodeXstring(decodeXml(x.slice(vs, vEnd))));
      case T_B: {
        const v = x.slice(vs, vEnd).trim();
        return v === "1" || v === "true";
      }
      case T_E:
        return this.checked(decodeXml(x.slice(vs, vEnd)));
      case T_D: {
        const v = x.slice(vs, vEnd);
        const m = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d(?:\.\d+)?))?)?/.exec(v.trim());
        if (!m) return this.checked(decodeXml(v));
        // Never rolled over: 2026-99-99 is not a date in 2034.
        const [y, mo, d, h, mi, sec] = [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
        if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !isLeap(y) ? 28 : DAYS_IN_MONTH[mo - 1]) || h > 23 || mi > 59 || sec >= 60) {
          const text = v.trim().slice(0, 40);
          out.problem = (at) => [`单元格 ${at} 的日期 ${text} 不存在`, `cell ${at} holds the date ${text}, which does not exist`];
          return null;
        }
        const days = Date.UTC(y, mo - 1, d) / 86400000 + 25569;
        return days + (h * 3600 + mi * 60 + sec) / 86400;
      }
      default: {
        if (vs === vEnd) return null;
        let n: number;
        // An integer of up to 15 digits read in place; anything else (fractions, exponents, spaces) as Number reads it.
        let k = vs;
        let i = 0;
        for (; k < vEnd; k++) {
          const d = x.charCodeAt(k) - 48;
          if (d < 0 || d > 9) break;
          i = i * 10 + d;
        }
        if (k === vEnd && vEnd - vs <= 15) n = i;
        else {
          const v = x.slice(vs, vEnd);
          if (v.trim() === "") return null;
          n = Number(v);
          if (!Number.isFinite(n)) return this.checked(decodeXml(v));
        }
        if (this.ctx.date1904 && this.ctx.styles && a.sS >= 0) {
          const s = decodeXml(x.slice(a.sS, a.sE));
          if (s && this.ctx.styles.isDate(Number(s))) n += DAYS_1904;
        }
        return n;
      }
    }
  }

  /** Text a cell may hold: longer than Excel allows, or holding invalid UTF-8, it is a problem of the cell. */
  private checked(v: string): CellValue {
    if (v.length > MAX_CELL_CHARS) {
      const n = v.length;
      this.cell.problem = (at) => [
        `单元格 ${at} 的文字有 ${fmt(n)} 个字符，超过 Excel 的上限 ${fmt(MAX_CELL_CHARS)}`,
        `cell ${at} holds ${fmt(n)} characters, more than Excel's ${fmt(MAX_CELL_CHARS)}`,
      ];
      return null;
    }
    if (this.badUtf8 && v.includes("\ufffd")) {
      this.cell.problem = (at) => [
        `单元格 ${at} 的文字含有无效的 UTF-8 字节（文件已损坏）`,
        `cell ${at} holds bytes that are not valid UTF-8 (the file is damaged)`,
      ];
      return null;
    }
    return v;
  }

  /**
   * The values of a rectangle (0-based, inclusive), and the cells in it that hold a formula
   * with no saved result. Edits made through this object are not seen: read first, then write.
   * One pass over each row's text; a cell's problems are recorded after its row's (as found).
   */
  read(
    top: number,
    left: number,
    bottom: number,
    right: number,
  ): { rows: CellValue[][]; uncached: { row: number; col: number; formula: string }[] } {
    const width = right - left + 1;
    const out: CellValue[][] = [];
    const rows = this.index();
    // Rows past the sheet's last row hold nothing: not allocated (a table may claim a million).
    const last = rows.length ? rows[rows.length - 1].r : top;
    bottom = Math.min(bottom, Math.max(top, last));
    for (let r = top; r <= bottom; r++) out.push(new Array<CellValue>(width).fill(null));
    const uncached: { row: number; col: number; formula: string }[] = [];
    const cell = this.cell;
    let line: CellValue[] = [];
    let r = 0;
    let found: CellProblem[] = [];
    const visit = (col: number, _start: number, openEnd: number, end: number, selfClosing: boolean): void => {
      if (col < left || col > right) return;
      const value = this.valueAt(openEnd, end, selfClosing);
      if (cell.problem) {
        const [zh, en] = cell.problem(`${columnLetter(col)}${r + 1}`);
        found.push({ row: r, col, zh, en });
        return;
      }
      line[col - left] = value;
      if (value === null && cell.formula !== undefined) uncached.push({ row: r - top, col: col - left, formula: cell.formula });
    };
    inPart(this.part, () => {
      for (let i = this.seek(top); i < rows.length && rows[i].r <= bottom; i++) {
        r = rows[i].r;
        line = out[r - top];
        this.walkCells(rows[i], visit);
        if (found.length) {
          for (const p of found) this.problem(p.row, p.col, p.zh, p.en);
          found = [];
        }
      }
    });
    return { rows: out, uncached };
  }

  // ---- editing

  private edit(r: number): RowEdit {
    let e = this.edits.get(r);
    if (e) return e;
    this.index();
    this.assertWritable(r);
    const rows = this.index();
    const at = this.seek(r);
    const loc = rows[at]?.r === r ? rows[at] : undefined;
    if (loc) {
      const cells = new Map<number, string>();
      let lastEnd = loc.openEnd;
      const found = this.cells(loc);
      this.assertWritable(r);
      for (const c of found) {
        let xml = this.xml.slice(c.start, c.end);
        if (!R_ATTR.test(xml.slice(0, c.openEnd - c.start)))
          xml = setAttr(xml.slice(0, c.openEnd - c.start), "r", `${columnLetter(c.col)}${r + 1}`) + xml.slice(c.openEnd - c.start);
        cells.set(c.col, xml);
        lastEnd = c.end;
      }
      const tail = loc.selfClosing ? "" : this.xml.slice(lastEnd, loc.end - `</${this.prefix}row>`.length);
      let tag = removeAttr(this.xml.slice(loc.start, loc.openEnd), "spans").replace(/\s*\/>$/, ">");
      if (!loc.hasR) tag = setAttr(tag, "r", String(r + 1));
      e = { tag, cells, tail };
    } else e = { tag: `<${this.prefix}row r="${r + 1}">`, cells: new Map(), tail: "" };
    this.edits.set(r, e);
    return e;
  }

  private grow(r: number, c: number): void {
    const x = this.extent;
    this.extent = x
      ? { top: Math.min(x.top, r), left: Math.min(x.left, c), bottom: Math.max(x.bottom, r), right: Math.max(x.right, c) }
      : { top: r, left: c, bottom: r, right: c };
  }

  /** The raw XML of a cell (after edits), or undefined. */
  cellXml(r: number, c: number): string | undefined {
    const e = this.edits.get(r);
    if (e) return e.cells.get(c);
    const rows = this.index();
    const at = this.seek(r);
    if (rows[at]?.r !== r) return undefined;
    for (const cell of this.cells(rows[at])) if (cell.col === c) return this.xml.slice(cell.start, cell.end);
    return undefined;
  }

  /** Whether a cell holds nothing a person could have typed (no value, formula or inline text). */
  isEmpty(r: number, c: number): boolean {
    const xml = this.cellXml(r, c);
    return !xml || !new RegExp(`<${this.prefix}(v|f|is)[\\s>/]`).test(xml);
  }

  /** The cell's format index: its own, else its row's or column's default. */
  styleOf(r: number, c: number): number {
    const xml = this.cellXml(r, c);
    const s = xml && S_ATTR.exec(xml.slice(0, xml.indexOf(">") + 1));
    if (s) return Number(s[1]);
    const e = this.edits.get(r);
    const rowTag = e
      ? e.tag
      : (() => {
          const rows = this.index();
          const at = this.seek(r);
          return rows[at]?.r === r ? this.xml.slice(rows[at].start, rows[at].openEnd) : "";
        })();
    if (/customFormat\s*=\s*["'](1|true)["']/.test(rowTag)) return Number(S_ATTR.exec(rowTag)?.[1] ?? 0);
    if (!this.colStyles) {
      this.colStyles = [];
      const cols = findElement(this.xml, "cols", 0, this.sheetData.start);
      if (cols)
        for (const t of elements(this.xml, "col", cols.openEnd, cols.end))
          this.colStyles.push({
            min: Number(attr(t.text, "min")),
            max: Number(attr(t.text, "max")),
            style: Number(attr(t.text, "style") ?? 0),
          });
    }
    for (const x of this.colStyles) if (c + 1 >= x.min && c + 1 <= x.max) return x.style;
    return 0;
  }
  private colStyles?: { min: number; max: number; style: number }[];

  private hadFormula(r: number, c: number): void {
    const old = this.cellXml(r, c);
    if (old && new RegExp(`<${this.prefix}f[\\s>/]`).test(old)) this.formulaTouched = true;
  }

  /**
   * Writes a value. `style` is the format index to give the cell (default: keep its own).
   * Text is written as a shared string: it can never become a formula.
   */
  set(r: number, c: number, value: CellValue, sst: SharedStrings, style?: number): void {
    this.hadFormula(r, c);
    const e = this.edit(r);
    const ref = `${columnLetter(c)}${r + 1}`;
    const s = style ?? this.styleOf(r, c);
    const sAttr = s ? ` s="${s}"` : "";
    const p = this.prefix;
    let xml: string | undefined;
    if (value === null || value === "") xml = s ? `<${p}c r="${ref}"${sAttr}/>` : undefined;
    else if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new Error(`not a number that a cell can hold: ${value}`);
      xml = `<${p}c r="${ref}"${sAttr}><${p}v>${String(value)}</${p}v></${p}c>`;
    } else if (typeof value === "boolean") xml = `<${p}c r="${ref}"${sAttr} t="b"><${p}v>${value ? 1 : 0}</${p}v></${p}c>`;
    else xml = `<${p}c r="${ref}"${sAttr} t="s"><${p}v>${sst.indexOf(value)}</${p}v></${p}c>`;
    if (xml === undefined) e.cells.delete(c);
    else e.cells.set(c, xml);
    this.grow(r, c);
  }

  /**
   * Writes a formula (in the file's own syntax) with its saved value: what Excel and every other
   * program show until they calculate. Text results are kept inline (`t="str"`), as Excel does.
   */
  setFormula(r: number, c: number, formula: string, value: CellValue, style?: number): void {
    this.hadFormula(r, c);
    const e = this.edit(r);
    const ref = `${columnLetter(c)}${r + 1}`;
    const s = style ?? this.styleOf(r, c);
    const p = this.prefix;
    let t = "";
    let v: string | undefined;
    if (typeof value === "number" && Number.isFinite(value)) v = String(value);
    else if (typeof value === "boolean") {
      t = ' t="b"';
      v = value ? "1" : "0";
    } else if (typeof value === "string" && EXCEL_ERROR.test(value)) {
      t = ' t="e"';
      v = value;
    } else if (typeof value === "string") {
      t = ' t="str"';
      v = escapeText(encodeXstring(value));
    }
    const body = `<${p}f>${escapeText(formula)}</${p}f>${v === undefined ? "" : `<${p}v>${v}</${p}v>`}`;
    e.cells.set(c, `<${p}c r="${ref}"${s ? ` s="${s}"` : ""}${t}>${body}</${p}c>`);
    this.formulaTouched = true;
    this.grow(r, c);
  }

  /** Removes a cell entirely (value and format). */
  clear(r: number, c: number): void {
    this.hadFormula(r, c);
    this.edit(r).cells.delete(c);
  }

  /** Moves a cell (value, formula and format) to another row of the same column. */
  move(from: number, to: number, c: number): void {
    const xml = this.cellXml(from, c);
    if (xml && new RegExp(`<${this.prefix}f[^>]*\\st\\s*=\\s*["']shared`).test(xml))
      throw new Error(`shared formula at ${columnLetter(c)}${from + 1}`);
    if (xml && new RegExp(`<${this.prefix}f[\\s>/]`).test(xml)) this.formulaTouched = true;
    this.hadFormula(to, c);
    const e = this.edit(to);
    if (xml) e.cells.set(c, xml.replace(R_ATTR, ` r="${columnLetter(c)}${to + 1}"`));
    else e.cells.delete(c);
    this.grow(to, c);
  }

  /** Removes an element after sheetData (by its offsets in the original text). */
  removeRange(start: number, end: number): void {
    this.tail.remove.push([start, end]);
  }

  /** Inserts an element after sheetData at its schema position. */
  addElement(local: string, xml: string): void {
    this.tail.add.push({ before: local, xml });
  }

  /** Text of the original part between two offsets. */
  slice(start: number, end: number): string {
    return this.xml.slice(start, end);
  }

  /** Every element `local` after sheetData, with offsets. */
  elementsAfterData(local: string) {
    return [...elements(this.xml, local, this.sheetData.end)];
  }

  /** An existing element after sheetData, for splicing (tableParts). */
  findAfterData(local: string) {
    return findElement(this.xml, local, this.sheetData.end);
  }

  // ---- serialising

  private rowXml(e: RowEdit): string {
    const cells = [...e.cells.entries()].sort((a, b) => a[0] - b[0]).map(([, x]) => x);
    return `${e.tag}${cells.join("")}${e.tail}</${this.prefix}row>`;
  }

  toXml(): string {
    const x = this.xml;
    const p = this.prefix;
    let data: string;
    if (this.edits.size) {
      const rows = this.index();
      const parts: string[] = [];
      const pending = [...this.edits.keys()].filter((r) => rows[this.seek(r)]?.r !== r).sort((a, b) => a - b);
      let k = 0;
      const anyMissingR = rows.some((r) => !r.hasR);
      let prev = this.sheetData.openEnd;
      for (const row of rows) {
        while (k < pending.length && pending[k] < row.r) parts.push(this.rowXml(this.edits.get(pending[k++])!));
        parts.push(x.slice(prev, row.start));
        const e = this.edits.get(row.r);
        if (e) parts.push(this.rowXml(e));
        else if (!row.hasR && anyMissingR)
          parts.push(setAttr(x.slice(row.start, row.openEnd), "r", String(row.r + 1)) + x.slice(row.openEnd, row.end));
        else parts.push(x.slice(row.start, row.end));
        prev = row.end;
      }
      while (k < pending.length) parts.push(this.rowXml(this.edits.get(pending[k++])!));
      const sd = this.sheetData;
      const closeTag = `</${sd.qname}>`;
      const inner = sd.selfClosing ? "" : x.slice(prev, sd.end - closeTag.length);
      const openTag = x.slice(sd.start, sd.openEnd).replace(/\s*\/>$/, ">");
      data = `${openTag}${parts.join("")}${inner}${closeTag}`;
    } else data = x.slice(this.sheetData.start, this.sheetData.end);

    let head = x.slice(0, this.sheetData.start);
    if (this.extent) {
      const dim = findElement(head, "dimension");
      const ext = this.extent;
      if (dim) {
        const ref = attr(dim.text, "ref") ?? "A1";
        const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/i.exec(ref);
        let b = ext;
        if (m) {
          const t = Number(m[2]) - 1;
          const l = colIndex(m[1].toUpperCase());
          const bt = m[4] ? Number(m[4]) - 1 : t;
          const rr = m[3] ? colIndex(m[3].toUpperCase()) : l;
          const emptyOld = ref === "A1" && !this.index().length;
          b = emptyOld
            ? ext
            : { top: Math.min(t, ext.top), left: Math.min(l, ext.left), bottom: Math.max(bt, ext.bottom), right: Math.max(rr, ext.right) };
        }
        const nref =
          b.top === b.bottom && b.left === b.right
            ? `${columnLetter(b.left)}${b.top + 1}`
            : `${columnLetter(b.left)}${b.top + 1}:${columnLetter(b.right)}${b.bottom + 1}`;
        head = head.slice(0, dim.start) + setAttr(dim.text, "ref", nref) + head.slice(dim.openEnd);
      }
    }

    let rest = x.slice(this.sheetData.end);
    const base = this.sheetData.end;
    if (this.tail.remove.length || this.tail.add.length) {
      const removes = [...this.tail.remove].sort((a, b) => b[0] - a[0]);
      for (const [s, e] of removes) rest = rest.slice(0, s - base) + rest.slice(e - base);
      for (const add of this.tail.add) {
        const order = AFTER_SHEETDATA.indexOf(add.before);
        let at = rest.lastIndexOf(`</${p}worksheet>`);
        for (const name of AFTER_SHEETDATA.slice(order + 1)) {
          const t = findElement(rest, name);
          if (t && t.start < at) at = t.start;
        }
        rest = rest.slice(0, at) + add.xml + rest.slice(at);
      }
    }
    return head + data + rest;
  }
}
