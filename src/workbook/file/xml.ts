/**
 * Just enough XML to find and splice elements of SpreadsheetML parts in place.
 *
 * Why by hand: the engine edits parts by splicing text, so that everything it does not
 * change stays exactly as the program that wrote the file put it (attribute order,
 * namespace prefixes, extension lists it has never heard of). A DOM (xmldom) would
 * re-serialise the whole part, and a streaming parser (saxes) gives no reliable source
 * offsets and reads a 100 MB sheet at a fraction of the speed of indexOf. These parts are
 * machine-written and well-formed; the scanner respects quoted attribute values (which may
 * hold `>`), comments, CDATA and namespace prefixes (`<x:row>` as written by the Open XML SDK).
 */

import { MAX_NESTING, XmlError, fmt } from "./limits";

export interface Tag {
  /** Offset of `<`. */
  start: number;
  /** Offset just after the start tag's `>`. */
  openEnd: number;
  /** Offset just after the element's end (after `</name>`, or openEnd when self-closing). */
  end: number;
  selfClosing: boolean;
  /** The start tag's text, `<name a="1">`. */
  text: string;
  /** The qualified name as written (`x:row`). */
  qname: string;
}

const NAME_END = /[\s/>]/;

/** Finds the end of the start tag beginning at `lt` (the index after its `>`), honouring quotes. */
export function startTagEnd(xml: string, lt: number): number {
  let q = 0;
  for (let i = lt + 1; i < xml.length; i++) {
    const ch = xml.charCodeAt(i);
    if (q) {
      if (ch === q) q = 0;
    } else if (ch === 34 || ch === 39) q = ch;
    else if (ch === 62) return i + 1;
  }
  throw new XmlError(`第 ${fmt(lt)} 个字符处的标记没有结束（缺少“>”）`, `the tag at character ${fmt(lt)} never ends (no ">")`);
}

/** The offset of the next start tag `<qname` (followed by a space, `>` or `/`) at or after `from`, or -1. */
function nextOpen(xml: string, open: string, from: number): number {
  for (let o = xml.indexOf(open, from); o >= 0; o = xml.indexOf(open, o + 1)) {
    const next = xml.charCodeAt(o + open.length);
    if (next === 32 || next === 62 || next === 47 || next === 9 || next === 10 || next === 13) return o;
  }
  return -1;
}

/**
 * The element's end from its start tag: after the matching `</qname>` (same-name nesting
 * counted, at most MAX_NESTING deep). One pass: each open and close is looked at once.
 */
export function elementEnd(xml: string, qname: string, openEnd: number, selfClosing: boolean): number {
  if (selfClosing) return openEnd;
  const close = `</${qname}>`;
  const open = `<${qname}`;
  let depth = 1;
  let i = openEnd;
  let o = nextOpen(xml, open, i);
  for (;;) {
    const c = xml.indexOf(close, i);
    if (c < 0) throw new XmlError(`缺少结束标记 </${qname}>`, `the end tag </${qname}> is missing`);
    // Nested elements of the same name between here and the close.
    while (o >= 0 && o < c) {
      const e = startTagEnd(xml, o);
      if (xml.charCodeAt(e - 2) !== 47 && ++depth > MAX_NESTING)
        throw new XmlError(`<${qname}> 嵌套超过 ${fmt(MAX_NESTING)} 层`, `<${qname}> is nested more than ${fmt(MAX_NESTING)} deep`);
      o = nextOpen(xml, open, e);
    }
    depth--;
    if (depth === 0) return c + close.length;
    i = c + close.length;
  }
}

/** The first element with local name `local` (any prefix) at or after `from`, before `to`. */
export function findElement(xml: string, local: string, from = 0, to = xml.length): Tag | undefined {
  for (const t of elements(xml, local, from, to)) return t;
  return undefined;
}

/**
 * Every element with local name `local` in [from, to), outermost first, skipping comments,
 * CDATA and processing instructions. Elements nested inside a match are not visited.
 */
export function* elements(xml: string, local: string, from = 0, to = xml.length): Generator<Tag> {
  let i = from;
  while (i < to) {
    const lt = xml.indexOf("<", i);
    if (lt < 0 || lt >= to) return;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 33 || c1 === 63 || c1 === 47) {
      // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE …>, <?pi?> or an end tag: skipped. One that never
      // ends is malformed (and would send the scan back to the part's start, for ever).
      const close = xml.startsWith("<!--", lt) ? "-->" : xml.startsWith("<![CDATA[", lt) ? "]]>" : ">";
      const e = xml.indexOf(close, lt);
      if (e < 0)
        throw new XmlError(
          `第 ${fmt(lt)} 个字符处的标记没有结束（缺少“${close}”）`,
          `the tag at character ${fmt(lt)} never ends (no "${close}")`,
        );
      i = e + close.length;
      continue;
    }
    let j = lt + 1;
    while (j < xml.length && !NAME_END.test(xml[j])) j++;
    const qname = xml.slice(lt + 1, j);
    const colon = qname.indexOf(":");
    const name = colon < 0 ? qname : qname.slice(colon + 1);
    const openEnd = startTagEnd(xml, lt);
    const selfClosing = xml.charCodeAt(openEnd - 2) === 47;
    if (name === local) {
      const end = elementEnd(xml, qname, openEnd, selfClosing);
      yield { start: lt, openEnd, end, selfClosing, text: xml.slice(lt, openEnd), qname };
      i = end;
    } else i = openEnd;
  }
}

/** The attributes of a start tag, values decoded. */
export function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  const body = tag.slice(tag.search(/[\s/>]/));
  while ((m = re.exec(body))) out[m[1]] = decodeXml(m[3] ?? m[4]);
  return out;
}

/** One attribute of a start tag by name (qualified as written), decoded; undefined when absent. */
const ATTR_RE = new Map<string, RegExp>();
export function attr(tag: string, name: string): string | undefined {
  let re = ATTR_RE.get(name);
  if (!re) ATTR_RE.set(name, (re = new RegExp(`\\s${name.replace(/[.:]/g, "\\$&")}\\s*=\\s*("([^"]*)"|'([^']*)')`)));
  const m = re.exec(tag);
  return m ? decodeXml(m[2] ?? m[3]) : undefined;
}

/** The start tag with attribute `name` set to `value` (added before the tag's end if absent). */
export function setAttr(tag: string, name: string, value: string): string {
  const re = new RegExp(`(\\s${name.replace(/[.:]/g, "\\$&")}\\s*=\\s*)("[^"]*"|'[^']*')`);
  const v = `"${escapeAttr(value)}"`;
  if (re.test(tag)) return tag.replace(re, (_, a) => `${a}${v}`);
  const close = tag.endsWith("/>") ? tag.length - 2 : tag.length - 1;
  return `${tag.slice(0, close).replace(/\s+$/, "")} ${name}=${v}${tag.slice(close)}`;
}

/** The start tag without attribute `name`. */
export function removeAttr(tag: string, name: string): string {
  return tag.replace(new RegExp(`\\s${name.replace(/[.:]/g, "\\$&")}\\s*=\\s*("[^"]*"|'[^']*')`), "");
}

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g;
export function decodeXml(s: string): string {
  if (s.indexOf("&") < 0) return s;
  return s.replace(ENTITY, (_, e: string) => {
    switch (e) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return '"';
      case "apos":
        return "'";
    }
    const code = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    if (!(code <= 0x10ffff))
      throw new XmlError(`字符引用 &${e.slice(0, 12)}; 不是有效字符`, `the character reference &${e.slice(0, 12)}; is not a character`);
    return String.fromCodePoint(code);
  });
}

export const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
export const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, "&quot;");

/**
 * Excel's escape for characters XML cannot hold in cell text (ST_Xstring): `_x000D_`.
 * A literal `_xHHHH_` in the text is itself escaped as `_x005F_xHHHH_`.
 */
export function encodeXstring(s: string): string {
  return s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1")
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g,
      (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
    );
}
export function decodeXstring(s: string): string {
  if (s.indexOf("_x") < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The text of a string item (`<si>` or `<is>` content): every `<t>`, phonetic runs (`<rPh>`) left out. */
export function stringItemText(xml: string, from: number, to: number): string {
  let out = "";
  let i = from;
  while (i < to) {
    const lt = xml.indexOf("<", i);
    if (lt < 0 || lt >= to) break;
    let j = lt + 1;
    while (j < to && !NAME_END.test(xml[j])) j++;
    const qname = xml.slice(lt + 1, j);
    const local = qname.slice(qname.indexOf(":") + 1);
    const openEnd = startTagEnd(xml, lt);
    const selfClosing = xml.charCodeAt(openEnd - 2) === 47;
    if (local === "rPh" && !selfClosing) {
      i = elementEnd(xml, qname, openEnd, false);
    } else if (local === "t" && !selfClosing) {
      const close = xml.indexOf(`</${qname}>`, openEnd);
      if (close < 0 || close >= to) throw new XmlError(`缺少结束标记 </${qname}>`, `the end tag </${qname}> is missing`);
      out += xml.slice(openEnd, close);
      i = close + qname.length + 3;
    } else i = openEnd;
  }
  return decodeXstring(decodeXml(out));
}

/** The prefix (with its colon, or "") of the element at the root of a part: `x:` for `<x:worksheet>`. */
export function rootPrefix(xml: string): string {
  const m = /<([\w.-]+:)?(worksheet|workbook|sst|styleSheet|table|Relationships|Types)[\s>]/.exec(xml);
  return m?.[1] ?? "";
}
