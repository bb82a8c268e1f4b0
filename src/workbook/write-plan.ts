/**
 * The write rules of both adapters, as one pure plan: given the snapshot a change set was
 * computed from, the change set, and what the adapter knows of the tables' formula columns, it
 * says where every write lands and what must be checked. The Office.js adapter (office.ts) turns
 * the plan into ranges, checks and one batch; the .xlsx adapter (xlsx.ts) into cells and parts.
 * Neither decides these things itself.
 *
 * Rows are body rows of the snapshot (0 = the table's first data row); columns are 0-based
 * within the table.
 *
 * The rules:
 * - Appends fill the table's trailing blank rows first, then go below the table, which grows
 *   over them. A row is blank when every cell outside the table's formula columns (calculated
 *   columns) is empty: a row holding only calculated-column formulas is blank. Excel puts those
 *   formulas into every row the table gains (a user tabbing into a new row, a resize), so such a
 *   row holds nothing anyone typed, and filling it is what typing into it would do.
 * - An appended row's cells in a formula column are left to that column when none of the
 *   appended rows brings a value there (null; "" is a value); where the column's formula is the same text in every
 *   row (a calculated column of structured references), the adapter writes it there itself
 *   (`fills`), as Excel would. Everything else is written, with the append's number format of
 *   its column ("General" where it names none: not the row above's).
 * - The cells an append writes must be empty; below the table, the whole width of the new rows
 *   must be (the calculated columns fill theirs).
 * - A cell change keeps its cell's number format, except a date (a number written with
 *   `date`), which gets DATE_FORMAT, and text written with `text`, which gets TEXT_FORMAT.
 * - The rows that must still hold what was read: the change set's guards, the rows of cell
 *   changes and the row above an append, compared without the formula columns (Excel
 *   recalculates them). When the same write deletes rows of a table, its rows move, so nothing
 *   of that table is compared but the guards.
 * - Deletions go bottom-up, each row once.
 * - A calculated column replaces the column with its header, or goes at the table's end, after
 *   the change set's added columns, in the order given.
 */
import {
  CalculatedColumn,
  CellValue,
  ChangeSet,
  DATE_FORMAT,
  NewTable,
  RawTable,
  Snapshot,
  TEXT_FORMAT,
  findTable,
  formatOf,
} from "./port";

/** What the adapter knows of a table beyond the snapshot: its columns that hold formulas. */
export type FormulaColumns = (table: RawTable) => ReadonlySet<number>;

/** Of those, the columns whose formula is the same text in every row (structured references), with that text. */
export type RowFormulas = (table: RawTable) => ReadonlyMap<number, string>;

/** Of the formula columns, the number format each shows in its last data row (what Excel gives a new row of a calculated column). */
export type ColumnFormats = (table: RawTable) => ReadonlyMap<number, string>;

/** A rectangle of body rows and table columns. */
export interface Block {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface CellPlan {
  table: RawTable;
  row: number;
  col: number;
  value: CellValue;
  /** The number format to set, or undefined to keep the cell's own. */
  format?: string;
}

export interface AppendPlan {
  table: RawTable;
  /** The table's width once `addColumns` ran. */
  width: number;
  /** The appended rows, padded to `width`. */
  rows: CellValue[][];
  /** The body row (after this write's deletions) where the first appended row lands. */
  at: number;
  /** How many of the rows land in the table's trailing blank rows (the rest go below it). */
  inside: number;
  /** Body rows of the table afterwards. */
  bodyAfter: number;
  /** Column segments [from, to) written; the columns between them are left to calculated columns. */
  segments: [number, number][];
  /** Columns left to calculated columns. */
  leftToCalculated: number[];
  /**
   * Of those, the ones whose formula the adapter writes into the appended rows itself (the same
   * text in every row), since Excel fills calculated columns only where the user's AutoCorrect
   * option says so; a column of A1 formulas (text differing per row) is left to Excel. Each
   * with its column's number format (a calculated column's own, else its last row's), which
   * Excel would have carried into the row with the formula: without it a date shows as a
   * serial number.
   */
  fills: { col: number; formula: string; format?: string }[];
  /** The number format of each column. */
  formats: string[];
  /** The blocks written (each a piece of rows × a segment), in body rows after deletions. */
  writes: Block[];
  /** The cells that must be empty before the write. */
  mustBeBlank: Block[];
  /** Rows of the same table are deleted by this write: row indexes after it are not the snapshot's. */
  afterDeletes: boolean;
}

export interface GuardPlan {
  table: RawTable;
  row: number;
  /** Columns not compared (formula columns). */
  skip: ReadonlySet<number>;
}

export interface CalculatedPlan {
  cc: CalculatedColumn;
  table: RawTable;
  col: number;
  /** The column exists (found by its header) and is replaced; else it is added at `col`. */
  exists: boolean;
  /** Data rows it fills (at least one: a table always has a data row). */
  rows: number;
}

export interface WritePlan {
  addColumns: { table: RawTable; headers: string[] }[];
  cells: CellPlan[];
  /** Rows to delete per table, bottom-up. */
  deletes: { table: RawTable; rows: number[] }[];
  appends: AppendPlan[];
  guards: GuardPlan[];
  calculated: CalculatedPlan[];
  newTables: { nt: NewTable; sheetExists: boolean }[];
}

/** The table a change names, from the snapshot; a clear error when it is not there. */
function tableOf(snapshot: Snapshot, name: string): RawTable {
  const t = findTable(snapshot, name);
  if (!t) throw new Error(`找不到表格 ${name}（写入计划）/ no table ${name} (write plan)`);
  return t;
}

const isEmpty = (v: CellValue | undefined) => v === null || v === undefined || v === "";

/** Whether a body row is blank: nothing outside the formula columns (see the module's rules). */
export function isBlankRow(row: readonly CellValue[], formulaCols?: ReadonlySet<number>): boolean {
  return row.every((v, i) => isEmpty(v) || !!formulaCols?.has(i));
}

/** The number format a cell change sets, or undefined to keep the cell's own. */
export function cellFormat(change: { value: CellValue; date?: boolean; text?: boolean }): string | undefined {
  if (change.date && typeof change.value === "number") return DATE_FORMAT;
  if (change.text && typeof change.value === "string") return TEXT_FORMAT;
  return undefined;
}

export function planWrite(
  snapshot: Snapshot,
  changes: ChangeSet,
  formulaCols: FormulaColumns,
  rowFormulas: RowFormulas = () => new Map(),
  columnFormats: ColumnFormats = () => new Map(),
): WritePlan {
  const addColumns = changes.addColumns.map((a) => ({ table: tableOf(snapshot, a.table), headers: a.headers }));
  const added = (t: RawTable) => addColumns.filter((a) => a.table === t).reduce((n, a) => n + a.headers.length, 0);

  const deletes = changes.deleteRows
    .filter((d) => d.rows.length)
    .map((d) => ({ table: tableOf(snapshot, d.table), rows: [...new Set(d.rows)].sort((a, b) => b - a) }));
  const deleting = new Set(deletes.map((d) => d.table));

  const calculated: CalculatedPlan[] = [];
  const next = new Map<RawTable, number>();
  for (const cc of changes.calculatedColumns ?? []) {
    const table = tableOf(snapshot, cc.table);
    if (!/^=./.test(cc.formula))
      throw new Error(
        `计算列“${cc.header}”的公式必须以“=”开头：${cc.formula} / the formula of ${cc.header} must start with "=": ${cc.formula}`,
      );
    const at = table.headers.findIndex((h) => h.trim().toLowerCase() === cc.header.trim().toLowerCase());
    let col = at;
    if (at < 0) {
      col = next.get(table) ?? table.headers.length + added(table);
      next.set(table, col + 1);
    }
    calculated.push({ cc, table, col, exists: at >= 0, rows: Math.max(1, table.rows.length) });
  }
  const formulaColsOf = (t: RawTable): Set<number> =>
    new Set([...formulaCols(t), ...calculated.filter((c) => c.table === t).map((c) => c.col)]);

  const guards: GuardPlan[] = [];
  const guard = (table: RawTable, row: number) => {
    if (!table.rows[row] || guards.some((g) => g.table === table && g.row === row)) return;
    guards.push({ table, row, skip: formulaCols(table) });
  };
  for (const g of changes.guards ?? []) guard(tableOf(snapshot, g.table), g.row);

  const cells = changes.cells.map((c): CellPlan => {
    const table = tableOf(snapshot, c.table);
    if (!deleting.has(table)) guard(table, c.row);
    return { table, row: c.row, col: c.col, value: c.value, format: cellFormat(c) };
  });

  const appends = changes.appends
    .filter((a) => a.rows.length)
    .map((app): AppendPlan => {
      const table = tableOf(snapshot, app.table);
      const width = table.headers.length + added(table);
      const gone = new Set(deletes.filter((d) => d.table === table).flatMap((d) => d.rows));
      const remaining = table.rows.filter((_, i) => !gone.has(i));
      const body = remaining.length;
      const fcols = formulaColsOf(table);
      let at = body;
      while (at > 0 && isBlankRow(remaining[at - 1] ?? [], fcols)) at--;
      const rows = app.rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? null));
      // Any value brought, "" included, is written: a text cell that merely looks like a formula
      // (a note typed "=…") makes its column look like a formula column to the Office.js read.
      const written = Array.from({ length: width }, (_, i) => !fcols.has(i) || rows.some((r) => r[i] !== null));
      const segments: [number, number][] = [];
      written.forEach((w, i) => {
        if (!w) return;
        const last = segments.at(-1);
        if (last && last[1] === i) last[1] = i + 1;
        else segments.push([i, i + 1]);
      });
      const inside = Math.min(rows.length, body - at);
      const pieces: [number, number][] = inside > 0 ? [[0, inside]] : [];
      if (rows.length > inside) pieces.push([inside, rows.length]);
      const writes = pieces.flatMap(([from, to]) =>
        segments.map(([c0, c1]) => ({ row: at + from, col: c0, rows: to - from, cols: c1 - c0 })),
      );
      const mustBeBlank = [...writes.filter((w) => w.row < at + inside)];
      if (rows.length > inside) mustBeBlank.push({ row: at + inside, col: 0, rows: rows.length - inside, cols: width });
      const known = new Map([
        ...rowFormulas(table),
        ...calculated.filter((c) => c.table === table).map((c): [number, string] => [c.col, c.cc.formula]),
      ]);
      const formatOfColumn = new Map([
        ...columnFormats(table),
        ...calculated.flatMap((c): [number, string][] => (c.table === table && c.cc.format ? [[c.col, c.cc.format]] : [])),
      ]);
      const fills = written.flatMap((w, col) => {
        const formula = known.get(col);
        if (w || formula === undefined) return [];
        const format = formatOfColumn.get(col);
        return [format === undefined ? { col, formula } : { col, formula, format }];
      });
      const afterDeletes = gone.size > 0;
      if (!afterDeletes && at > 0) guard(table, at - 1);
      return {
        table,
        width,
        rows,
        at,
        inside,
        bodyAfter: Math.max(body, at + rows.length),
        segments,
        leftToCalculated: written.flatMap((w, i) => (w ? [] : [i])),
        fills,
        formats: Array.from({ length: width }, (_, i) => formatOf(app, i)),
        writes,
        mustBeBlank,
        afterDeletes,
      };
    });

  const newTables = changes.newTables.map((nt) => ({
    nt,
    sheetExists: snapshot.sheetNames.some((n) => n.toLowerCase() === nt.sheet.toLowerCase()),
  }));
  return { addColumns, cells, deletes, appends, guards, calculated, newTables };
}
