/** Calculated columns and their highlights in the Office.js adapter (office.ts): the add-in's own conditional formats found by rule and fill. */
import { HIGHLIGHT_FILL, HIGHLIGHT_FONT, parseRangeRef } from "./port";
import { CalculatedPlan } from "./write-plan";
import { Check, Written } from "./office-cells";
import { Highlight, OfficeSession } from "./office-session";

/** "#RRGGBB" of an ARGB colour ("FFFFC7CE"). */
export const hex = (argb: string) => `#${argb.slice(-6).toUpperCase()}`;
export const OUR_FILLS = new Set(Object.values(HIGHLIGHT_FILL).map(hex));
export const colNumber = (letters: string) => parseRangeRef(`${letters}1`)!.left;

const RED = /^=AND\(ISNUMBER\((\$?)([A-Z]+)\$?(\d+)\),\$?\2\$?\3>0\)$/;
const AMBER = /^=AND\(ISNUMBER\((\$?)([A-Z]+)\$?(\d+)\),INT\(\$?\2\$?\3\)=TODAY\(\),\$?[A-Z]+\$?\3=""\)$/;

/**
 * The sheet column (0-based) a highlight of the add-in's own is on, or undefined when it is not
 * one of ours: a custom rule with one of the highlight fills and a formula of the two shapes the
 * deadline columns generate (deadline-columns.ts): red `=AND(ISNUMBER($L2),$L2>0)` on the late
 * column L itself, amber `=AND(ISNUMBER($D2),INT($D2)=TODAY(),$E2="")` on the column right of
 * the due column D. Excel moves these references with the columns, so they still name the
 * column after columns are inserted or deleted. A relative column (an earlier version wrote the
 * red rule as `=AND(ISNUMBER(L2),L2>0)`) reads relative to the range the rule is read from
 * (OfficeDev/office-js#5194), so it names the column only when read from the range it was
 * written on (`asWritten`); read from elsewhere it says nothing (undefined; see ownRelative).
 */
export function highlightColumn(h: { formula: string; fill: string; column?: number }, asWritten = false): number | undefined {
  if (!OUR_FILLS.has(String(h.fill ?? "").toUpperCase())) return undefined;
  if (h.column !== undefined) return h.column;
  const red = RED.exec(h.formula ?? "");
  if (red && (red[1] || asWritten)) return colNumber(red[2]);
  const amber = AMBER.exec(h.formula ?? "");
  if (amber && (amber[1] || asWritten)) return colNumber(amber[2]) + 1;
  return undefined;
}

/**
 * Whether a rule read from a table's range may be one of the add-in's own written with a relative
 * column: one of our fills and one of our shapes, the column not absolute. Which column it is on
 * needs a read from the range it was written on (Microsoft's advice in office-js#5194: get the
 * format's range, then the format again from that range).
 */
export function ownRelative(h: { formula: string; fill: string }): boolean {
  if (!OUR_FILLS.has(String(h.fill ?? "").toUpperCase())) return false;
  const m = RED.exec(h.formula ?? "") ?? AMBER.exec(h.formula ?? "");
  return !!m && !m[1];
}

export interface CalcWrite extends CalculatedPlan {
  /** The existing column's data body, loaded before the write (to put it back on a conflict). */
  body?: Excel.Range;
  /** The add-in's own highlights already on this column (replaced). */
  old: Highlight[];
}

/** What writing calculated columns created or removed, for a roll-back. */
export interface Generated {
  columns: { table: string; header: string }[];
  /** Highlights added, on their column's data body (their ids are priorities in that collection). */
  highlights: { table: string; header: string; cf: Excel.ConditionalFormat; formula: string; fill: string }[];
  /** Highlights deleted (those the add-in had put there before): a roll-back cannot bring them back. What was deleted, loaded just before, is checked against what the read saw. */
  replaced: { table: string; header: string; id: string; expected?: Highlight; seen?: Excel.ConditionalFormat; at?: Excel.Range }[];
}

/**
 * Loads, before anything is written: the whole header row of each table getting calculated
 * columns (a column inserted, renamed or added meanwhile is a conflict: the highlights' A1
 * formulas and the new columns' places were computed from the read), and the data body of
 * each existing column (to put it back on a conflict).
 */
export function loadCalculated(
  self: OfficeSession,
  context: Excel.RequestContext,
  calc: CalculatedPlan[],
  checks: Check[],
  written: Written[],
): CalcWrite[] {
  const tables = context.workbook.tables;
  const headerChecked = new Set<string>();
  return calc.map((p) => {
    if (!headerChecked.has(p.table.name)) {
      headerChecked.add(p.table.name);
      checks.push({
        table: p.table.name,
        row: -1,
        expected: [p.table.headers],
        range: tables.getItem(p.table.name).getHeaderRowRange().load("values"),
      });
    }
    let body: Excel.Range | undefined;
    if (p.exists) {
      body = tables.getItem(p.table.name).columns.getItem(p.cc.header).getDataBodyRange();
      written.push({
        table: p.table.name,
        row: 0,
        col: p.col,
        rows: p.rows,
        cols: 1,
        before: body.load("values,formulas,numberFormat"),
        wrote: Array.from({ length: p.rows }, () => [p.cc.formula]),
        formulas: true,
      });
    }
    const old = p.exists
      ? (self.highlights.get(p.table.name.toLowerCase()) ?? []).filter((h) => highlightColumn(h) === p.table.left + p.col)
      : [];
    return { ...p, body, old };
  });
}

/**
 * Writes calculated columns. Microsoft documents a column of formulas as a 2-D array with the
 * formula in every data row, header first, given to `TableColumnCollection.add` ("Add a column
 * that contains formulas", which Excel shows as a calculated column:
 * https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-tables); an existing
 * column gets the same array through its data body range's `formulas` (`Range.formulas` takes
 * an array of the range's own shape, https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-ranges-set-get-values).
 * Formulas use structured references only (`[@需求接收]`), so every row's text is the same and
 * Excel makes the column a calculated column, which it fills into every new row by itself.
 * That is Excel's AutoCorrect option "Fill formulas in tables to create calculated columns",
 * on by default, which applies to the API's writes too (OfficeDev/office-js#2093, by design).
 * `columns.add(null, …)` appends at the end (ExcelApi 1.4, https://learn.microsoft.com/javascript/api/excel/excel.tablecolumncollection);
 * Microsoft's co-authoring guidance warns against `TableRowCollection.add` only
 * (https://learn.microsoft.com/office/dev/add-ins/excel/co-authoring-in-excel-add-ins), and a
 * header typed right of the table would grow it only where AutoCorrect's "Include new rows and
 * columns in table" is on. The table's size is the read's: a table that grew meanwhile makes
 * the formulas' shape wrong and the batch fail, at the first column (an existing column's
 * formulas are written before any column is added). Highlights are custom conditional formats
 * on the column's data body (ExcelApi 1.6, https://learn.microsoft.com/javascript/api/excel/excel.conditionalformatcollection),
 * added last-first since `add` puts each at the top priority: the first one listed wins; the
 * add-in's previous highlights on the column (highlightColumn) are deleted by id first, and
 * only those.

 */
export function writeCalculated(self: OfficeSession, context: Excel.RequestContext, writes: CalcWrite[], generated: Generated): void {
  const tables = context.workbook.tables;
  const ordered = [...writes.filter((w) => w.body), ...writes.filter((w) => !w.body)];
  const bodies = new Map<CalcWrite, Excel.Range>();
  for (const w of ordered) {
    const formulas = Array.from({ length: w.rows }, () => [w.cc.formula]);
    let body = w.body;
    if (body) body.formulas = formulas;
    else {
      body = tables
        .getItem(w.table.name)
        .columns.add(null as unknown as number, [[w.cc.header], ...formulas])
        .getDataBodyRange();
      generated.columns.push({ table: w.table.name, header: w.cc.header });
    }
    if (w.cc.format) body.numberFormat = Array.from({ length: w.rows }, () => [w.cc.format!]);
    bodies.set(w, body);
  }
  if (!self.canConditionalFormats) return;
  // The add-in's previous highlights go first, before any add renumbers the priorities: per
  // table, from the lowest priority up (a delete renumbers only the formats after it), each
  // from the collection its id was read from, and each loaded before its delete so that the
  // write can tell, after the sync, that it deleted what the read saw (a co-author's new format
  // meanwhile shifts the ids: a conflict).
  const byTable = new Map<string, { w: CalcWrite; h: Highlight }[]>();
  for (const w of writes) for (const h of w.old) byTable.set(w.table.name, [...(byTable.get(w.table.name) ?? []), { w, h }]);
  for (const [table, list] of byTable)
    for (const { w, h } of [...list].sort((a, b) => Number(b.h.id) - Number(a.h.id) || b.h.id.localeCompare(a.h.id))) {
      const item = tables.getItem(table).getRange().conditionalFormats.getItem(h.id);
      const seen = item.load("customOrNullObject/rule/formula,customOrNullObject/format/fill/color");
      const at = item.getRange().load("address");
      item.delete();
      generated.replaced.push({ table, header: w.cc.header, id: h.id, expected: h, seen, at });
    }
  for (const w of writes) {
    for (const h of [...(w.cc.highlights ?? [])].reverse()) {
      const cf = bodies.get(w)!.conditionalFormats.add("Custom");
      cf.custom.rule.formula = h.formula;
      cf.custom.format.fill.color = hex(HIGHLIGHT_FILL[h.fill]);
      cf.custom.format.font.color = hex(HIGHLIGHT_FONT[h.fill]);
      generated.highlights.push({ table: w.table.name, header: w.cc.header, cf, formula: h.formula, fill: hex(HIGHLIGHT_FILL[h.fill]) });
    }
  }
  // Ids (priorities within each column's own collection) once every format is added.
  for (const g of generated.highlights) g.cf.load("id");
}
