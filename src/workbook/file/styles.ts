/**
 * The cell formats of a workbook (xl/styles.xml): which cells hold dates, and new formats
 * for the cells the engine writes. Existing formats are never changed or renumbered: a new
 * format is a new `xf` at the end of `cellXfs`, copied from the cell's own one (its font,
 * fill, border and protection kept) with another number format.
 */
import { attr, elements, escapeAttr, findElement, setAttr } from "./xml";

const BUILTIN: Record<string, number> = { General: 0, "0": 1, "0.00": 2, "0%": 9, "0.00%": 10, "@": 49 };
/** Built-in number formats that show dates or times (ECMA-376 18.8.30, and the East Asian ids). */
const DATE_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Whether a format code shows a date or time (quoted text, escapes and colours ignored). */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]/gi, "")
    .split(";")[0];
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

export const MINIMAL_STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

export class Styles {
  private codes = new Map<number, string>();
  private xfs: string[] = [];
  private newFmts: { id: number; code: string }[] = [];
  private newXfs: string[] = [];
  private newDxfs: string[] = [];
  private dxfCount = 0;
  private cache = new Map<string, number>();
  private dateXf: boolean[] = [];
  private prefix: string;
  /** The stylesheet has no cell formats at all (some minimal writers): they are added with the first new one. */
  private missing = false;

  constructor(private xml: string) {
    this.prefix = /<([\w.-]+:)?styleSheet[\s>]/.exec(xml)?.[1] ?? "";
    const fmts = findElement(xml, "numFmts");
    if (fmts)
      for (const t of elements(xml, "numFmt", fmts.openEnd, fmts.end))
        this.codes.set(Number(attr(t.text, "numFmtId")), attr(t.text, "formatCode") ?? "");
    const cellXfs = findElement(xml, "cellXfs");
    if (cellXfs) for (const t of elements(xml, "xf", cellXfs.openEnd, cellXfs.end)) this.xfs.push(xml.slice(t.start, t.end));
    else this.missing = true;
    const dxfs = findElement(xml, "dxfs");
    if (dxfs) this.dxfCount = [...elements(xml, "dxf", dxfs.openEnd, dxfs.end)].length;
    if (this.missing) this.xfs.push(`<${this.prefix}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>`);
    this.dateXf = this.xfs.map((x) => this.isDateFmt(Number(attr(x, "numFmtId") ?? 0)));
  }

  private isDateFmt(id: number): boolean {
    const code = this.codes.get(id);
    return code !== undefined ? isDateFormatCode(code) : DATE_IDS.has(id);
  }

  /** Whether cells of format index `s` show dates. */
  isDate(s: number): boolean {
    return this.dateXf[s] ?? false;
  }

  get changed(): boolean {
    return this.newXfs.length > 0 || this.newDxfs.length > 0;
  }

  /** A differential format (for a conditional format): font colour and fill, ARGB. Returns its index. */
  addDxf(font: string, fill: string): number {
    const p = this.prefix;
    const dxf = `<${p}dxf><${p}font><${p}color rgb="${font}"/></${p}font><${p}fill><${p}patternFill><${p}bgColor rgb="${fill}"/></${p}patternFill></${p}fill></${p}dxf>`;
    const at = this.newDxfs.indexOf(dxf);
    if (at >= 0) return this.dxfCount + at;
    this.newDxfs.push(dxf);
    return this.dxfCount + this.newDxfs.length - 1;
  }

  /** The index of a format like `base`'s with number format `code`. */
  withFormat(base: number, code: string): number {
    const key = `${base}\u0000${code}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const all = [...this.xfs, ...this.newXfs];
    const src = all[base] ?? all[0] ?? `<${this.prefix}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`;
    const id = this.fmtId(code);
    let result: number;
    if (Number(attr(src, "numFmtId") ?? 0) === id) result = base;
    else {
      const open = src.slice(0, src.indexOf(">") + 1);
      let tag = setAttr(setAttr(open, "numFmtId", String(id)), "applyNumberFormat", "1");
      if (!tag.endsWith("/>") && open.endsWith("/>")) tag = tag.replace(/>$/, "/>");
      const xf = tag + src.slice(open.length);
      const existing = all.indexOf(xf);
      if (existing >= 0) result = existing;
      else {
        this.newXfs.push(xf);
        result = all.length;
        this.dateXf[result] = this.isDateFmt(id);
      }
    }
    this.cache.set(key, result);
    return result;
  }

  private fmtId(code: string): number {
    if (BUILTIN[code] !== undefined) return BUILTIN[code];
    for (const [id, c] of this.codes) if (c === code) return id;
    let id = 164;
    while (this.codes.has(id)) id++;
    this.codes.set(id, code);
    this.newFmts.push({ id, code });
    return id;
  }

  toXml(): string {
    let xml = this.xml;
    const p = this.prefix;
    if (this.newDxfs.length) {
      const dxfs = findElement(xml, "dxfs");
      if (dxfs) {
        const body = dxfs.selfClosing ? "" : xml.slice(dxfs.openEnd, dxfs.end - `</${dxfs.qname}>`.length);
        const open = setAttr(dxfs.text.replace(/\s*\/>$/, ">"), "count", String(this.dxfCount + this.newDxfs.length));
        xml = `${xml.slice(0, dxfs.start)}${open}${body}${this.newDxfs.join("")}</${dxfs.qname}>${xml.slice(dxfs.end)}`;
      } else {
        // dxfs follows cellStyles and comes before tableStyles, colors and extLst (CT_Stylesheet).
        const root = findElement(xml, "styleSheet")!;
        let at = root.end - `</${root.qname}>`.length;
        for (const later of ["tableStyles", "colors", "extLst"]) {
          const t = findElement(xml, later, root.openEnd);
          if (t && t.start < at) at = t.start;
        }
        xml = `${xml.slice(0, at)}<${p}dxfs count="${this.newDxfs.length}">${this.newDxfs.join("")}</${p}dxfs>${xml.slice(at)}`;
      }
    }
    if (this.newXfs.length && this.missing) {
      // Cell formats point at font 0, fill 0 and border 0: add those lists too where absent, in schema order.
      const lists = [
        ["fonts", `<${p}fonts count="1"><${p}font><${p}sz val="11"/><${p}name val="Calibri"/></${p}font></${p}fonts>`],
        [
          "fills",
          `<${p}fills count="2"><${p}fill><${p}patternFill patternType="none"/></${p}fill><${p}fill><${p}patternFill patternType="gray125"/></${p}fill></${p}fills>`,
        ],
        [
          "borders",
          `<${p}borders count="1"><${p}border><${p}left/><${p}right/><${p}top/><${p}bottom/><${p}diagonal/></${p}border></${p}borders>`,
        ],
        [
          "cellXfs",
          `<${p}cellXfs count="${1 + this.newXfs.length}"><${p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>${this.newXfs.join("")}</${p}cellXfs>`,
        ],
      ];
      const root = findElement(xml, "styleSheet")!;
      let body = root.selfClosing ? "" : xml.slice(root.openEnd, root.end - `</${root.qname}>`.length);
      const later = ["cellStyles", "dxfs", "tableStyles", "colors", "extLst"];
      for (const [name, add] of lists) {
        if (findElement(body, name)) continue;
        let at = body.length;
        for (const l of [...lists.map(([n]) => n).slice(lists.findIndex(([n]) => n === name) + 1), ...later]) {
          const t = findElement(body, l);
          if (t && t.start < at) at = t.start;
        }
        body = body.slice(0, at) + add + body.slice(at);
      }
      xml = `${xml.slice(0, root.start)}${root.text.replace(/\s*\/>$/, ">")}${body}</${root.qname}>${xml.slice(root.end)}`;
    } else if (this.newXfs.length) {
      const cellXfs = findElement(xml, "cellXfs")!;
      const body = cellXfs.selfClosing ? "" : xml.slice(cellXfs.openEnd, cellXfs.end - `</${cellXfs.qname}>`.length);
      const open = setAttr(cellXfs.text.replace(/\s*\/>$/, ">"), "count", String(this.xfs.length + this.newXfs.length));
      xml = `${xml.slice(0, cellXfs.start)}${open}${body}${this.newXfs.join("")}</${cellXfs.qname}>${xml.slice(cellXfs.end)}`;
    }
    if (this.newFmts.length) {
      const items = this.newFmts.map((f) => `<${p}numFmt numFmtId="${f.id}" formatCode="${escapeAttr(f.code)}"/>`).join("");
      const fmts = findElement(xml, "numFmts");
      if (fmts) {
        const body = fmts.selfClosing ? "" : xml.slice(fmts.openEnd, fmts.end - `</${fmts.qname}>`.length);
        const open = setAttr(fmts.text.replace(/\s*\/>$/, ">"), "count", String(this.codes.size));
        xml = `${xml.slice(0, fmts.start)}${open}${body}${items}</${fmts.qname}>${xml.slice(fmts.end)}`;
      } else {
        // numFmts is the stylesheet's first child.
        const root = findElement(xml, "styleSheet")!;
        xml = `${xml.slice(0, root.openEnd)}<${p}numFmts count="${this.newFmts.length}">${items}</${p}numFmts>${xml.slice(root.openEnd)}`;
      }
    }
    return xml;
  }
}
