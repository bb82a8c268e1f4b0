/** Finds a table of the schema in a snapshot: its columns, and what is wrong with its headers and cells. */
import { Snapshot, cellAddress, findTable } from "../port";
import { ColumnDef, TableDef, headerLang, normalizeHeader } from "../schema";
import { Finding, TableInfo } from "./model";

/**
 * The schema's columns in a header row: key → index for a column found once, and the
 * indexes of every column found more than once (under one header or under its two
 * languages, 卡号 and Card No.). Headers may be empty, numbers or anything else.
 */
function findColumns(
  def: TableDef,
  headers: readonly unknown[],
): { cols: Map<string, number>; duplicates: Map<string, { col: ColumnDef; at: number[] }> } {
  const texts = (Array.isArray(headers) ? headers : []).map(normalizeHeader);
  const cols = new Map<string, number>();
  const duplicates = new Map<string, { col: ColumnDef; at: number[] }>();
  for (const col of def.columns) {
    const names = new Set([normalizeHeader(col.en), normalizeHeader(col.zh)]);
    const at: number[] = [];
    texts.forEach((t, i) => {
      if (t && names.has(t)) at.push(i);
    });
    if (at.length === 1) cols.set(col.key, at[0]);
    else if (at.length > 1) duplicates.set(col.key, { col, at });
  }
  return { cols, duplicates };
}

export function locate(snapshot: Snapshot, def: TableDef, findings: Finding[], required: boolean): TableInfo | undefined {
  const raw = findTable(snapshot, def.name);
  if (!raw) {
    if (required)
      findings.push({
        severity: "error",
        code: "missing-table",
        table: def.name,
        zh: `找不到表格 ${def.name}（${def.sheet.zh}）：请先“设置此工作簿”`,
        en: `table ${def.name} (${def.sheet.en}) not found: set up this workbook first`,
      });
    return undefined;
  }
  const headers: unknown[] = Array.isArray(raw.headers) ? raw.headers : [];
  const { cols, duplicates } = findColumns(def, headers);
  // A column found twice is read from neither cell: which one the user means cannot be told.
  for (const { col, at } of duplicates.values()) {
    const cells = at.map((i) => cellAddress(raw.sheet, raw.top, raw.left + i));
    const texts = at.map((i) => String(headers[i] ?? "").trim());
    findings.push({
      severity: "error",
      code: "duplicate-column",
      table: def.name,
      sheet: raw.sheet,
      cell: cells[0],
      cells,
      value: texts[0],
      zh: `${cells.join("、")}：表格 ${def.name} 的列“${col.zh}”（${col.en}）出现了 ${at.length} 次（${texts.join("、")}），无法确定该用哪一列，均不读取：请删除或改名多余的列`,
      en: `${cells.join(", ")}: table ${def.name} has the column "${col.en}" (${col.zh}) ${at.length === 2 ? "twice" : `${at.length} times`} (${texts.join(", ")}); which one is meant cannot be told, so neither is read: delete or rename the extra one`,
    });
  }
  for (const col of def.columns) {
    if (col.required && !cols.has(col.key) && !duplicates.has(col.key)) {
      // An error in every table: without the column the table cannot be read or written as the contract says (blockingFindings).
      findings.push({
        severity: "error",
        code: "missing-column",
        table: def.name,
        column: col.key,
        sheet: raw.sheet,
        cell: cellAddress(raw.sheet, raw.top, raw.left),
        zh: `${raw.sheet}：表格 ${def.name} 缺少列“${col.zh}”（${col.en}）：“设置此工作簿”（或 planning-desk init 文件名）会在表格末尾添加它，不改动已填写的单元格`,
        en: `${raw.sheet}: table ${def.name} has no column "${col.en}" (${col.zh}): Set up this workbook (or planning-desk init FILE) adds it at the table's end without touching a typed cell`,
      });
    }
  }
  // Cells saved as a formula without its result, where the schema reads the column: an error, its
  // row left out. Other columns are not read, so their formulas are not this reader's business
  // (the Register's generated deadline columns among them: Excel fills those into new rows).
  const readCols = new Set(cols.values());
  for (const u of raw.uncached ?? []) {
    if (!readCols.has(u.col)) continue;
    const cell = cellAddress(raw.sheet, raw.top + 1 + u.row, raw.left + u.col);
    const f = String(u.formula ?? "").trim();
    const formula = f.startsWith("=") ? f : `=${f}`;
    const header = String(headers[u.col] ?? "").trim();
    findings.push({
      severity: readCols.has(u.col) ? "error" : "warning",
      code: "uncached-formula",
      table: def.name,
      sheet: raw.sheet,
      cell,
      value: formula,
      zh: `${cell}：${header ? `${header}的` : ""}公式 ${formula} 没有保存计算结果：请在 Excel 中打开并保存后再运行`,
      en: `${cell}: ${header ? `${header}: ` : ""}the formula ${formula} has no saved result: open and save the file in Excel, then run again`,
    });
  }
  // Cells the file holds but that could not be read: an error naming the cell, its row left out.
  for (const u of raw.unreadable ?? []) {
    const cell = cellAddress(raw.sheet, raw.top + 1 + u.row, raw.left + u.col);
    findings.push({
      severity: "error",
      code: "unreadable-cell",
      table: def.name,
      sheet: raw.sheet,
      cell,
      zh: `${cell}：${u.zh}`,
      en: `${cell}: ${u.en}`,
    });
  }
  return { raw, cols, lang: headerLang(def, headers) ?? "en" };
}
