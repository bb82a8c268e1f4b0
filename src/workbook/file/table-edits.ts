/** Structural edits of the .xlsx adapter: new tables and sheets, columns added to a table, calculated columns. */
import { CalculatedColumn, ChangeSet, DATE_FORMAT, HIGHLIGHT_FILL, HIGHLIGHT_FONT, columnLetter, formatOf, parseRangeRef } from "../port";
import { toFileFormula } from "./formula";
import { DAYS_1904, NEW_SHEET } from "./sheet";
import { attr, elements, escapeAttr, escapeText, findElement, rootPrefix, setAttr, startTagEnd } from "./xml";
import { CT, NS_MAIN, PartRegistry, REL, SheetEntry, TableEntry, isTrue, quoteSheet, refText } from "./registry";
import { refused } from "./workbook-error";
import { calculateOnLoad } from "./workbook-edits";

/** Adds columns at a table's right end: their cells must be free. */
export function appendColumns(reg: PartRegistry, t: TableEntry, headers: string[]): void {
  const sheet = reg.writable(t.sheet);
  headers.forEach((h, i) => {
    const c = t.right + 1 + i;
    for (let r = t.top; r <= t.bottom; r++)
      if (!sheet.isEmpty(r, c))
        throw refused(
          `无法在表格 ${t.name} 右侧添加“${h}”列：${reg.describeCell(t, r, c)} 已有内容，请先移开`,
          `cannot add column "${h}" to table ${t.name}: ${reg.describeCell(t, r, c)} is in use, move it first`,
        );
  });
  headers.forEach((h, i) => reg.put(sheet, t.top, t.right + 1 + i, h, "General"));
  let xml = reg.pkg.text(t.part)!;
  const cols = findElement(xml, "tableColumns")!;
  const ids = [...elements(xml, "tableColumn", cols.openEnd, cols.end)].map((c) => Number(attr(c.text, "id") ?? 0));
  let next = Math.max(0, ...ids) + 1;
  const p = /<([\w.-]+:)?tableColumns/.exec(cols.text)?.[1] ?? "";
  const added = headers.map((h) => `<${p}tableColumn id="${next++}" name="${escapeAttr(h)}"/>`).join("");
  const close = cols.end - `</${cols.qname}>`.length;
  xml = `${xml.slice(0, cols.start)}${setAttr(cols.text, "count", String(t.columns.length + headers.length))}${xml.slice(cols.openEnd, close)}${added}${xml.slice(close)}`;
  reg.pkg.setText(t.part, xml);
  t.columns.push(...headers);
  t.calculated.push(...headers.map(() => undefined));
  t.right += headers.length;
  reg.setTableRef(t);
}

/**
 * A calculated column: every data row gets the formula (in the file's syntax) with the value
 * core computed as its saved result; the table column gets the formula, so Excel fills it into
 * new rows; its highlights replace the conditional formats of that column; Excel is asked to
 * calculate everything when it opens the file.
 */
export function calculatedColumn(reg: PartRegistry, cc: CalculatedColumn): number {
  const t = reg.table(cc.table);
  const sheet = reg.writable(t.sheet);
  let idx = t.columns.findIndex((c) => c.trim().toLowerCase() === cc.header.trim().toLowerCase());
  if (idx < 0) {
    appendColumns(reg, t, [cc.header]);
    idx = t.columns.length - 1;
  }
  const col = t.left + idx;
  const formula = toFileFormula(cc.formula, t.name);
  // The table column's own formula: the first child of its tableColumn (CT_TableColumn).
  let xml = reg.pkg.text(t.part)!;
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
  reg.pkg.setText(t.part, xml);
  t.calculated[idx] = formula;

  const bodyTop = t.top + t.headerRows;
  const bodyBottom = t.bottom - t.totalsRows;
  const format = cc.format ?? "General";
  for (let r = bodyTop; r <= bodyBottom; r++) {
    let v = cc.values[r - bodyTop] ?? null;
    if (typeof v === "number" && format === DATE_FORMAT && reg.date1904) v -= DAYS_1904;
    sheet.setFormula(r, col, formula, v, reg.styleFor(sheet, r, col, format));
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
    const styles = reg.ensureStyles();
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
  calculateOnLoad(reg);
  return idx;
}

export function newTable(reg: PartRegistry, nt: ChangeSet["newTables"][number]): void {
  const lower = nt.sheet.toLowerCase();
  let entry = reg.sheets.find((s) => s.name.toLowerCase() === lower);
  const rows = nt.rows.length ? nt.rows : [nt.headers.map(() => null)];
  const width = nt.headers.length;
  const bottom = rows.length; // header at row 0
  let old: TableEntry | undefined;
  const clash = reg.tablesList.find((t) => t.name.toLowerCase() === nt.name.toLowerCase());
  if (entry) {
    if (entry.kind !== "worksheet" || !entry.part)
      throw refused(
        `已有名为“${entry.name}”的图表工作表，无法在其中建表：请重命名它`,
        `"${entry.name}" is a chart sheet, no table can go there: rename it`,
      );
    const here = reg.tablesList.filter((t) => t.sheet === entry);
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
    const wb = reg.pkg.cachedText(reg.workbookPart)!;
    const prot = findElement(wb, "workbookProtection");
    if (prot && isTrue(attr(prot.text, "lockStructure")))
      throw refused(
        `工作簿结构受保护，无法添加工作表“${nt.sheet}”，未写入任何内容：请在 Excel 中点击“审阅 → 保护工作簿”取消保护，再重新运行`,
        `the workbook's structure is protected, so sheet "${nt.sheet}" cannot be added and nothing was written: in Excel click Review → Protect Workbook to turn it off, then run again`,
      );
    entry = addSheet(
      reg,
      nt.sheet,
      nt.headers.map((h) => Math.max(10, Math.min(40, String(h).length * 2 + 4))),
    );
  }
  if (clash && clash !== old)
    throw refused(
      `工作簿中已有名为 ${nt.name} 的表格（工作表“${clash.sheet.name}”）`,
      `the workbook already has a table named ${nt.name} (sheet "${clash.sheet.name}")`,
    );
  const sheet = reg.writable(entry);

  // The region the table takes: no other table may reach into it, even one whose cells are all empty.
  const over = reg.tablesList.find((t) => t.sheet === entry && t !== old && t.top <= bottom && t.left < width);
  if (over)
    throw refused(
      `工作表“${entry.name}”中的表格 ${over.name} 占用 ${quoteSheet(entry.name)}!${columnLetter(over.left)}${over.top + 1}，无法写入表格 ${nt.name}：请先移开`,
      `table ${over.name} takes ${quoteSheet(entry.name)}!${columnLetter(over.left)}${over.top + 1}, table ${nt.name} cannot be written there: move it first`,
    );
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
    for (let r = old.top; r <= old.bottom; r++) for (let c = old.left; c <= old.right; c++) if (r > bottom || c >= width) sheet.clear(r, c);

  nt.headers.forEach((h, c) => reg.put(sheet, 0, c, h, "General"));
  rows.forEach((line, i) => {
    for (let c = 0; c < width; c++) reg.put(sheet, i + 1, c, line[c] ?? null, formatOf(nt, c));
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

  const id = old?.id ?? Math.max(0, ...reg.tablesList.map((t) => t.id)) + 1;
  const part = old?.part ?? reg.pkg.freeName("xl/tables/table", ".xml");
  const ref = refText(0, 0, bottom, width - 1);
  const names = uniqueColumnNames(nt.headers.map(String));
  // The table's place and columns as the registry keeps them, for a new table or a rewritten one.
  const shape = {
    top: 0,
    left: 0,
    bottom,
    right: width - 1,
    headerRows: 1,
    totalsRows: 0,
    columns: names,
    calculated: names.map(() => undefined),
  };
  reg.pkg.setText(
    part,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="${NS_MAIN}" id="${id}" name="${escapeAttr(nt.name)}" displayName="${escapeAttr(nt.name)}" ref="${ref}" totalsRowShown="0"><autoFilter ref="${ref}"/><tableColumns count="${width}">${names
      .map((h, i) => `<tableColumn id="${i + 1}" name="${escapeAttr(h)}"/>`)
      .join(
        "",
      )}</tableColumns><tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`,
  );
  if (!old) {
    reg.pkg.setOverride(part, CT.table);
    const rid = reg.pkg.addRel(entry.part!, `${REL}/table`, part);
    const p = sheet.prefix;
    const rAttr = relAttr(reg.pkg.text(entry.part!) ?? "");
    const tp = sheet.findAfterData("tableParts");
    if (tp) {
      const xml = reg.pkg.text(entry.part!)!;
      sheet.removeRange(tp.start, tp.end);
      const inner = tp.selfClosing ? "" : xml.slice(tp.openEnd, tp.end - `</${tp.qname}>`.length);
      const count = [...elements(inner, "tablePart")].length + 1;
      sheet.addElement(
        "tableParts",
        `${setAttr(tp.text.replace(/\s*\/>$/, ">"), "count", String(count))}${inner}<${p}tablePart ${rAttr}="${rid}"/></${tp.qname}>`,
      );
    } else sheet.addElement("tableParts", `<${p}tableParts count="1"><${p}tablePart ${rAttr}="${rid}"/></${p}tableParts>`);
    reg.tablesList.push({ part, sheet: entry, id, name: nt.name, ...shape });
  } else Object.assign(old, shape);
}

function addSheet(reg: PartRegistry, name: string, widths: number[]): SheetEntry {
  const part = reg.pkg.freeName("xl/worksheets/sheet", ".xml");
  reg.pkg.setText(part, NEW_SHEET(widths));
  reg.pkg.setOverride(part, CT.sheet);
  const rid = reg.pkg.addRel(reg.workbookPart, `${REL}/worksheet`, part);
  const wb = reg.pkg.text(reg.workbookPart)!;
  const p = rootPrefix(wb);
  const sheetId = Math.max(0, ...reg.sheets.map((s) => s.sheetId)) + 1;
  const rel = relAttr(wb);
  const tag = `<${p}sheet name="${escapeAttr(name)}" sheetId="${sheetId}" ${rel}="${rid}"/>`;
  const sheets = findElement(wb, "sheets")!;
  const xml = sheets.selfClosing
    ? `${wb.slice(0, sheets.start)}${sheets.text.replace(/\s*\/>$/, ">")}${tag}</${sheets.qname}>${wb.slice(sheets.end)}`
    : `${wb.slice(0, sheets.end - `</${sheets.qname}>`.length)}${tag}${wb.slice(sheets.end - `</${sheets.qname}>`.length)}`;
  reg.pkg.setText(reg.workbookPart, xml);
  const entry: SheetEntry = { name, sheetId, rid, part, kind: "worksheet" };
  reg.sheets.push(entry);
  return entry;
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
