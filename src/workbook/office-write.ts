/** Writing a change set in the Office.js adapter (office.ts): one batch that loads what it relies on, then writes; a roll-back on a conflict. */
import { ChangeSet, RawTable, columnLetter, formatOf } from "./port";
import { Block, planWrite } from "./write-plan";
import { Check, WriteResult, Written, asCellValue, textFormula } from "./office-cells";
import { conflictsOf, restore } from "./office-conflicts";
import { Generated, loadCalculated, writeCalculated } from "./office-highlights";
import { OfficeSession } from "./office-session";

export async function write(self: OfficeSession, changes: ChangeSet): Promise<WriteResult> {
  const base = self.last;
  if (!base) throw new Error("read the workbook before writing to it");
  const canResize = self.isSetSupported("ExcelApi", "1.13");
  const canDataBar = self.isSetSupported("ExcelApi", "1.6");
  const canChart = self.isSetSupported("ExcelApi", "1.7");
  const checks: Check[] = [];
  const written: Written[] = [];
  const sizes: { table: string; before: Excel.Range; cols: number }[] = [];
  const deletedXml: { ns: string; xml: string }[] = [];
  const addedXml: Excel.CustomXmlPart[] = [];
  /** Hidden names replaced or added: what they held before (undefined: none), to put back on a conflict. */
  const namesWritten: { name: string; before: string | undefined }[] = [];
  // Where everything lands and what must be compared: the one write plan (write-plan.ts).
  const plan = planWrite(
    base,
    changes,
    (t) => self.formulaCols.get(t.name.toLowerCase()) ?? new Set<number>(),
    (t) => self.rowFormulas.get(t.name.toLowerCase()) ?? new Map<number, string>(),
    (t) => self.rowFormats.get(t.name.toLowerCase()) ?? new Map<number, string>(),
  );
  const calc = plan.calculated;
  if (self.canConditionalFormats)
    for (const p of calc)
      if (p.cc.highlights?.length && !self.highlights.has(p.table.name.toLowerCase()))
        throw new Error(
          `read the conditional formats of ${p.table.name} before writing its calculated columns: read({ conditionalFormats: ["${p.table.name}"] })`,
        );
  const generated: Generated = { columns: [], highlights: [], replaced: [] };
  await self.run(async (context) => {
    const tables = context.workbook.tables;
    const origins = new Map<string, Excel.Range>();
    /** The table's header cell as the batch runs: every row is found from it. */
    const origin = (raw: RawTable): Excel.Range => {
      let o = origins.get(raw.name);
      if (!o) {
        o = tables.getItem(raw.name).getHeaderRowRange().getCell(0, 0);
        origins.set(raw.name, o);
        // The header row must still be the one we read (a column inserted, renamed or moved is a conflict).
        checks.push({
          table: raw.name,
          row: -1,
          expected: [raw.headers],
          range: o.getResizedRange(0, raw.headers.length - 1).load("values"),
        });
      }
      return o;
    };
    const blockRange = (raw: RawTable, b: Block) => {
      const r = origin(raw).getOffsetRange(1 + b.row, b.col);
      return b.rows > 1 || b.cols > 1 ? r.getResizedRange(b.rows - 1, b.cols - 1) : r;
    };

    // 1. Loads, before anything is written: headers, the rows we rely on, the cells we fill.
    for (const g of plan.guards) {
      const expected = g.table.rows[g.row];
      checks.push({
        table: g.table.name,
        row: g.row,
        expected: [expected],
        range: blockRange(g.table, { row: g.row, col: 0, rows: 1, cols: g.table.headers.length }).load("values"),
        skip: g.skip,
      });
    }
    const cellTargets = plan.cells.map((cell) => {
      const range = blockRange(cell.table, { row: cell.row, col: cell.col, rows: 1, cols: 1 });
      written.push({
        table: cell.table.name,
        row: cell.row,
        col: cell.col,
        rows: 1,
        cols: 1,
        before: range.load("values,formulas,numberFormat"),
        wrote: [[cell.value]],
      });
      return { cell, range };
    });
    const appendTargets = plan.appends.map((a) => {
      const ranges = a.writes.map((w) => {
        const range = blockRange(a.table, w);
        const part = a.rows.slice(w.row - a.at, w.row - a.at + w.rows).map((r) => r.slice(w.col, w.col + w.cols));
        const formats = part.map(() => a.formats.slice(w.col, w.col + w.cols));
        // Appends after deletions in the same table: the rows move, so nothing is compared or put back.
        if (!a.afterDeletes)
          written.push({
            table: a.table.name,
            row: w.row,
            col: w.col,
            rows: w.rows,
            cols: w.cols,
            before: range.load("values,formulas,numberFormat"),
            wrote: part,
          });
        return { range, part, formats };
      });
      // Excel fills a calculated column into new rows only where the person's AutoCorrect option
      // "Fill formulas in tables to create calculated columns" is on (OfficeDev/office-js#2093,
      // by design; #5909 on Mac and the web). So the plan's fills (formula columns left to Excel
      // whose formula is the same text in every row) get their formula written here too, in the
      // same batch: what Excel would have put there, and nothing where Excel did already.
      const fills = a.fills.map((f) => {
        const range = blockRange(a.table, { row: a.at, col: f.col, rows: a.rows.length, cols: 1 });
        if (!a.afterDeletes)
          written.push({
            table: a.table.name,
            row: a.at,
            col: f.col,
            rows: a.rows.length,
            cols: 1,
            before: range.load("values,formulas,numberFormat"),
            wrote: a.rows.map(() => [f.formula]),
            formulas: true,
          });
        return { range, formula: f.formula, format: f.format };
      });
      if (!a.afterDeletes) {
        for (const b of a.mustBeBlank)
          checks.push({
            table: a.table.name,
            row: b.row,
            col: b.col,
            expected: Array.from({ length: b.rows }, () => Array.from({ length: b.cols }, () => null)),
            range: blockRange(a.table, b).load("values,formulas"),
            blank: true,
          });
        sizes.push({
          table: a.table.name,
          before: tables.getItem(a.table.name).getRange().load("rowCount"),
          cols: a.table.headers.length,
        });
      }
      return { a, ranges, fills };
    });

    const calcWrites = loadCalculated(self, context, calc, checks, written);

    // 2. Compare-and-swap on the custom XML parts the read saw (the log's anchor): deleting one that
    //    another client already replaced fails the batch here, before any cell is written.
    if (self.canXml)
      for (const x of changes.customXml ?? []) {
        for (const old of self.xml.get(x.namespace) ?? []) {
          context.workbook.customXmlParts.getItem(old.id).delete();
          deletedXml.push({ ns: x.namespace, xml: old.xml });
        }
      }
    // The hidden names (the log's hidden record), replaced here too, before any cell is written: a name
    // that a co-author deleted (getItem) or added (add) meanwhile fails the batch before the cells.
    if (self.canNames)
      for (const n of changes.names ?? []) {
        const before = self.textNames.get(n.name);
        if (before !== undefined) context.workbook.names.getItem(n.name).delete();
        context.workbook.names.add(n.name, textFormula(n.text)).visible = false;
        namesWritten.push({ name: n.name, before });
      }

    // 3. The writes.
    for (const add of plan.addColumns) {
      const t = tables.getItem(add.table.name);
      for (const header of add.headers) t.columns.add(null as unknown as number, undefined, header);
    }
    writeCalculated(self, context, calcWrites, generated);
    for (const { cell, range } of cellTargets) {
      if (cell.format) range.numberFormat = [[cell.format]];
      // "" clears the cell; a null would leave it as it was (excel-add-ins-blank-null-values).
      range.values = [[asCellValue(cell.value) ?? ""]] as (string | number | boolean)[][];
    }
    for (const del of plan.deletes) {
      const t = tables.getItem(del.table.name);
      for (const row of del.rows) t.rows.getItemAt(row).delete();
    }
    for (const { a, ranges, fills } of appendTargets) {
      for (const { range, part, formats } of ranges) {
        range.numberFormat = formats;
        range.values = part.map((r) => r.map((v) => asCellValue(v) ?? "")) as (string | number | boolean)[][];
      }
      // After the values (the table has grown over the rows): the formulas Excel may not have filled.
      // With the column's number format, which Excel would have carried into the row with the formula.
      for (const f of fills) {
        const format = f.format;
        if (format !== undefined) f.range.numberFormat = a.rows.map(() => [format]);
        f.range.formulas = a.rows.map(() => [f.formula]);
      }
      if (canResize) tables.getItem(a.table.name).resize(origin(a.table).getResizedRange(a.bodyAfter, a.width - 1));
    }
    if (self.canXml) for (const x of changes.customXml ?? []) addedXml.push(context.workbook.customXmlParts.add(x.xml).load("id"));
    for (const { nt, sheetExists } of plan.newTables) {
      if (nt.replaceSheet && sheetExists) context.workbook.worksheets.getItem(nt.sheet).delete();
      const exists = !nt.replaceSheet && sheetExists;
      const ws = exists ? context.workbook.worksheets.getItem(nt.sheet) : context.workbook.worksheets.add(nt.sheet);
      const cols = nt.headers.length;
      const rows = Math.max(1, nt.rows.length);
      const header = ws.getRangeByIndexes(0, 0, 1, cols);
      header.values = [nt.headers.map((h) => String(asCellValue(h) ?? ""))]; // text stays text, headers too
      if (nt.rows.length) {
        const body = ws.getRangeByIndexes(1, 0, nt.rows.length, cols);
        body.numberFormat = nt.rows.map(() => Array.from({ length: cols }, (_, i) => formatOf(nt, i)));
        body.values = nt.rows.map((r) => r.map((v) => asCellValue(v) ?? "")) as (string | number | boolean)[][];
      }
      const table = ws.tables.add(`A1:${columnLetter(cols - 1)}${rows + 1}`, true);
      table.name = nt.name;
      if (nt.dataBarCol !== undefined && canDataBar && nt.rows.length) {
        ws.getRangeByIndexes(1, nt.dataBarCol, nt.rows.length, 1).conditionalFormats.add("DataBar");
      }
      if (nt.chart && nt.rows.length && canChart && nt.rows.some((r) => typeof r[nt.chart!.valueCol] === "number")) {
        // Made from the numeric score column (header and values): Excel makes one series of it,
        // named by the header. Nothing here assumes a series exists; the people's names are set
        // on the category axis (ChartAxis.setCategoryNames, ExcelApi 1.7). A chart made from a
        // text-only range has no series to set values on.
        const values = ws.getRangeByIndexes(0, nt.chart.valueCol, nt.rows.length + 1, 1);
        const names = ws.getRangeByIndexes(1, 0, nt.rows.length, 1);
        const chart = ws.charts.add("BarClustered", values, "Columns");
        chart.axes.categoryAxis.setCategoryNames(names);
        chart.title.text = nt.chart.title;
        chart.legend.visible = false;
        chart.top = 20;
        chart.left = 20 + 80 * cols;
      }
    }
    await context.sync();
  });

  const conflicts = conflictsOf(base, checks, generated);
  if (self.canXml && changes.customXml?.length) {
    // What a following write replaces, without a re-read.
    for (const x of changes.customXml) self.xml.set(x.namespace, []);
    changes.customXml.forEach((x, i) => self.xml.get(x.namespace)!.push({ id: addedXml[i].id, xml: x.xml }));
    for (const x of changes.customXml) if (self.xml.get(x.namespace)!.length === 1) self.xmlMode.set(x.namespace, "only");
  }
  for (const n of namesWritten) self.textNames.set(n.name, changes.names?.find((x) => x.name === n.name)?.text ?? "");
  if (!conflicts.length) {
    // What a following write replaces, without a re-read.
    // The priorities the read listed are stale now: a following write of calculated columns reads them again.
    for (const t of new Set([...generated.replaced, ...generated.highlights].map((x) => x.table.toLowerCase()))) self.highlights.delete(t);
    for (const p of calc) {
      const set = self.formulaCols.get(p.table.name.toLowerCase()) ?? new Set<number>();
      set.add(p.col);
      self.formulaCols.set(p.table.name.toLowerCase(), set);
    }
    return { conflicts };
  }
  const unrestored = await restore(self, written, sizes, canResize, addedXml, deletedXml, generated, namesWritten);
  for (const n of namesWritten)
    if (n.before === undefined) self.textNames.delete(n.name);
    else self.textNames.set(n.name, n.before);
  if (self.canXml) for (const x of changes.customXml ?? []) self.xml.delete(x.namespace); // unknown now: the next read finds them
  return unrestored.length ? { conflicts, unrestored } : { conflicts };
}
