/**
 * The shared string table (xl/sharedStrings.xml). Existing items keep their indexes; new
 * text is appended, so every cell that points into the table still means what it meant.
 */
import { MAX_CELL_CHARS, MAX_SHARED_STRINGS, PackageError, XmlError, fmt, inPart } from "./limits";
import {
  attr,
  decodeXml,
  decodeXstring,
  elementEnd,
  encodeXstring,
  escapeText,
  findElement,
  setAttr,
  startTagEnd,
  stringItemText,
} from "./xml";

export const EMPTY_SST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>`;

/**
 * The text of a plain item, `<t>text</t>` (or `<t xml:space="preserve">`) alone in x[from, to),
 * read in place; undefined for any other shape (runs, phonetics), which the general walk reads.
 */
function plainItem(x: string, from: number, to: number, t: { open: string; preserve: string; close: string }): string | undefined {
  const start = x.startsWith(t.open, from) ? from + t.open.length : x.startsWith(t.preserve, from) ? from + t.preserve.length : -1;
  if (start < 0) return undefined;
  const lt = x.indexOf("<", start);
  if (lt + t.close.length !== to || !x.startsWith(t.close, lt)) return undefined;
  return decodeXstring(decodeXml(x.slice(start, lt)));
}

export class SharedStrings {
  readonly items: string[];
  private index?: Map<string, number>;
  private added: string[] = [];
  private refs = 0;
  private prefix: string;
  /** Items that cannot be used as a cell's text (invalid UTF-8, too long): why, in Chinese and English. */
  private bad: Map<number, [string, string]>;
  /** The text `toXml` last returned (see `continuedAs`). */
  private written?: string;

  constructor(
    private xml: string,
    readonly part = "xl/sharedStrings.xml",
    badUtf8 = false,
    /** The table this text was written from (`continuedAs`): its items are taken, not scanned again. */
    carried?: SharedStrings,
  ) {
    this.prefix = /<([\w.-]+:)?sst[\s>]/.exec(xml)?.[1] ?? "";
    this.items = carried ? carried.items.slice() : [];
    this.bad = new Map(carried?.bad);
    if (!carried) inPart(part, () => this.scan(badUtf8));
  }

  /**
   * The table read again from `xml` when `xml` is exactly what this table's `toXml` last wrote:
   * the same items, not scanned again (the engine reloads its parts after every write, and a
   * large workbook's table holds hundreds of thousands). Undefined for any other text.
   */
  continuedAs(xml: string, part: string): SharedStrings | undefined {
    return this.written !== undefined && xml === this.written && part === this.part ? new SharedStrings(xml, part, false, this) : undefined;
  }

  /** Why item `i` cannot be read, if it cannot. */
  problemOf(i: number): [string, string] | undefined {
    return this.bad.get(i);
  }

  private scan(badUtf8: boolean): void {
    const xml = this.xml;
    const si = `<${this.prefix}si`;
    const close = `</${this.prefix}si>`;
    const t = { open: `<${this.prefix}t>`, preserve: `<${this.prefix}t xml:space="preserve">`, close: `</${this.prefix}t>` };
    for (let i = xml.indexOf(si); i >= 0; i = xml.indexOf(si, i)) {
      const next = xml.charCodeAt(i + si.length);
      if (next !== 62 && next !== 32 && next !== 47) {
        i += si.length;
        continue;
      }
      if (this.items.length >= MAX_SHARED_STRINGS)
        throw new PackageError(
          this.part,
          `共享字符串超过 ${fmt(MAX_SHARED_STRINGS)} 个`,
          `holds more than ${fmt(MAX_SHARED_STRINGS)} shared strings`,
        );
      const openEnd = startTagEnd(xml, i);
      if (xml.charCodeAt(openEnd - 2) === 47) {
        this.items.push("");
        i = openEnd;
        continue;
      }
      // Plain `<si><t>text</t></si>` is by far the most common: take it without the general walk.
      const end = xml.indexOf(close, openEnd);
      if (end < 0)
        throw new XmlError(
          `第 ${fmt(this.items.length + 1)} 个共享字符串缺少结束标记 ${close}`,
          `shared string ${fmt(this.items.length + 1)} has no end tag ${close}`,
        );
      const text = plainItem(xml, openEnd, end, t) ?? stringItemText(xml, openEnd, end);
      if (text.length > MAX_CELL_CHARS)
        this.bad.set(this.items.length, [
          `文字有 ${fmt(text.length)} 个字符，超过 Excel 的上限 ${fmt(MAX_CELL_CHARS)}`,
          `its text has ${fmt(text.length)} characters, more than Excel's ${fmt(MAX_CELL_CHARS)}`,
        ]);
      else if (badUtf8 && text.includes("\ufffd"))
        this.bad.set(this.items.length, [
          "文字含有无效的 UTF-8 字节（文件已损坏）",
          "its text holds bytes that are not valid UTF-8 (the file is damaged)",
        ]);
      this.items.push(text);
      i = end + close.length;
    }
  }

  get changed(): boolean {
    return this.added.length > 0 || this.refs > 0;
  }

  /** The index of `text`, appended when new. */
  indexOf(text: string): number {
    if (!this.index) {
      const index = (this.index = new Map<string, number>());
      // From the last item to the first: a text held twice maps to its first index.
      for (let i = this.items.length - 1; i >= 0; i--) index.set(this.items[i], i);
    }
    this.refs++;
    const hit = this.index.get(text);
    if (hit !== undefined) return hit;
    const i = this.items.length;
    this.items.push(text);
    this.added.push(text);
    this.index.set(text, i);
    return i;
  }

  toXml(): string {
    const p = this.prefix;
    const root = findElement(this.xml, "sst")!;
    const items = this.added
      .map((s) => {
        const t = escapeText(encodeXstring(s));
        return `<${p}si><${p}t${/^\s|\s$|\n/.test(s) ? ' xml:space="preserve"' : ""}>${t}</${p}t></${p}si>`;
      })
      .join("");
    let open = root.text.replace(/\s*\/>$/, ">");
    open = setAttr(open, "uniqueCount", String(this.items.length));
    const count = Number(attr(root.text, "count") ?? this.items.length - this.added.length) + this.refs;
    open = setAttr(open, "count", String(count));
    const body = root.selfClosing
      ? ""
      : this.xml.slice(root.openEnd, elementEnd(this.xml, root.qname, root.openEnd, false) - `</${root.qname}>`.length);
    return (this.written = `${this.xml.slice(0, root.start)}${open}${body}${items}</${root.qname}>${this.xml.slice(root.end)}`);
  }
}
