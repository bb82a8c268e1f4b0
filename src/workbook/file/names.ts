/**
 * Workbook-level defined names holding a text constant (`<definedNames>` of workbook.xml), read
 * and written in place: the Countersign Log's hidden record (core/workflow/log.ts). Every other
 * name, its order and every other element of workbook.xml stay as they were.
 *
 * In the file such a name is `<definedName name="…" hidden="1">"text"</definedName>`: the
 * formula is the text constant in double quotes (a quote inside doubled, as in any Excel
 * formula), `hidden="1"` keeps it out of Name Manager (ECMA-376 Part 1, 18.2.5). openpyxl
 * reads and writes a workbook's defined names on a re-save, where it drops custom XML parts.
 */
import { attr, decodeXml, elements, escapeAttr, escapeText, findElement, rootPrefix } from "./xml";

const isWorkbookName = (tag: string, name: string) =>
  attr(tag, "localSheetId") === undefined && (attr(tag, "name") ?? "").toLowerCase() === name.toLowerCase();

/**
 * The value of workbook-level name `name`: its text constant unquoted, or its formula as written
 * when it is not a text constant; undefined when the workbook has no such name.
 */
export function textName(wb: string, name: string): string | undefined {
  for (const t of elements(wb, "definedName")) {
    if (!isWorkbookName(t.text, name)) continue;
    const inner = t.selfClosing ? "" : decodeXml(wb.slice(t.openEnd, t.end - `</${t.qname}>`.length));
    const m = /^\s*"((?:[^"]|"")*)"\s*$/.exec(inner);
    return m ? m[1].replace(/""/g, '"') : inner;
  }
  return undefined;
}

/** Elements that follow `<definedNames>` in CT_Workbook (ECMA-376 Part 1, 18.2.27). */
export const AFTER_NAMES = [
  "calcPr",
  "oleSize",
  "customWorkbookViews",
  "pivotCaches",
  "smartTagPr",
  "smartTagTypes",
  "webPublishing",
  "fileRecoveryPr",
  "webPublishObjects",
  "extLst",
];

/** workbook.xml with workbook-level name `name` set to the text constant `text`, hidden: replaced where it is, else added. */
export function setTextName(wb: string, name: string, text: string): string {
  const p = rootPrefix(wb);
  const el = `<${p}definedName name="${escapeAttr(name)}" hidden="1">${escapeText(`"${text.replace(/"/g, '""')}"`)}</${p}definedName>`;
  const names = findElement(wb, "definedNames");
  if (names) {
    for (const t of elements(wb, "definedName", names.openEnd, names.end))
      if (isWorkbookName(t.text, name)) return wb.slice(0, t.start) + el + wb.slice(t.end);
    if (names.selfClosing) return `${wb.slice(0, names.start)}<${p}definedNames>${el}</${p}definedNames>${wb.slice(names.end)}`;
    const close = names.end - `</${names.qname}>`.length;
    return wb.slice(0, close) + el + wb.slice(close);
  }
  const root = findElement(wb, "workbook");
  if (!root) throw new Error("workbook.xml has no <workbook> element");
  let at = root.end - `</${root.qname}>`.length;
  for (const later of AFTER_NAMES) {
    const t = findElement(wb, later, root.openEnd);
    if (t && t.start < at) at = t.start;
  }
  return `${wb.slice(0, at)}<${p}definedNames>${el}</${p}definedNames>${wb.slice(at)}`;
}
