/** How the Office.js adapter's reads (office-read.ts) stay under the payload limit: the first batch's sizes, the log read from its last known row, the rest in slices. */
import { CellValue, Snapshot, findTable } from "./port";
import { COUNTERSIGN_LOG } from "./schema";
import { jsonBytes } from "./office-cells";
import { OfficeSession } from "./office-session";

/**
 * Excel on the web refuses a request or a response over 5 MB ("Resource limits and performance
 * optimization for Office Add-ins", Excel add-ins: "Excel on the web has a payload size limit for
 * requests and responses of 5MB. RichAPI.Error will be triggered if that limit is exceeded.",
 * https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins).
 * So a read takes the first FIRST_ROWS rows of each table with everything else in its first batch
 * and, only for tables longer than that, the rest in slices of about SLICE_BYTES per batch (3 MB: under 4 MB with the margin; sized
 * from the bytes per row the first slice measured, with a margin).
 */
export const FIRST_ROWS = 1000;
export const SLICE_BYTES = 3 * 1024 * 1024;
/** A first batch refused as too large is tried again with this many rows per table. */
export const FIRST_ROWS_SMALL = 50;

export const PAYLOAD_ERRORS = new Set(["RequestPayloadSizeLimitExceeded", "ResponsePayloadSizeLimitExceeded"]);

/**
 * A read after the first knows each table's size and bytes per row: it asks for every table whole
 * in its first batch when the lot fits in FIRST_BYTES (an action reads in one round trip), with
 * this many rows of margin for rows added meanwhile.
 */
export const GROWTH_ROWS = 200;
export const FIRST_BYTES = 3 * 1024 * 1024;
/**
 * The Countersign Log is only ever appended to: once a read has this many of its rows, the next
 * reads fetch only the rows from the last one it had on (that row compared with what it held:
 * the prefix is the same), TAIL_ROWS of them in the first batch, more in slices.
 */
export const INCREMENTAL_FROM = FIRST_ROWS;
export const TAIL_ROWS = 500;

/** A loaded range's values as the snapshot holds them (empty cells null). */
export const cellsOf = (rows: CellValue[][]): CellValue[][] => rows.map((row) => row.map((v) => (v === "" ? null : v)));

/** Bytes per row of `rows` as JSON: every row of a first slice, else up to 200 rows at each end (later rows may hold longer text). */
export function bytesPerRow(rows: CellValue[][]): number {
  if (!rows.length) return 16;
  const sample = rows.length > FIRST_ROWS * 2 ? [...rows.slice(0, 200), ...rows.slice(-200)] : rows;
  return jsonBytes(sample) / sample.length;
}

/** The known tables this read wants. */
export function wantedTables(self: OfficeSession): string[] {
  const only = self.readOpts.tables?.map((t) => t.toLowerCase());
  return only ? self.known.filter((n) => only.includes(n.toLowerCase())) : self.known;
}

/**
 * The log's rows the session has, when this read can fetch only the rows after them: a full read
 * of every table (not `full`, not some tables only, not the small first slices of a batch refused
 * as too large) of a log of at least INCREMENTAL_FROM rows.
 */
export function incremental(self: OfficeSession, name: string, firstRows: number): { headers: string[]; rows: CellValue[][] } | undefined {
  const cached = self.logRows;
  if (!cached || name.toLowerCase() !== COUNTERSIGN_LOG.name.toLowerCase()) return undefined;
  if (self.readOpts.full || self.readOpts.tables || firstRows !== FIRST_ROWS) return undefined;
  return cached.rows.length >= self.incrementalFrom ? cached : undefined;
}

/**
 * How many rows (the header row included) of a table the first batch asks for: every row the last
 * read found and GROWTH_ROWS more when every table read whole fits in FIRST_BYTES (with half again
 * as margin on the bytes per row), else `firstRows` (the rest then comes in slices).
 */
export function firstRowsOf(self: OfficeSession, name: string, firstRows: number): number {
  if (firstRows !== FIRST_ROWS) return firstRows;
  const estimate = (n: string) => {
    const size = self.sizes.get(n.toLowerCase());
    return size ? (size.rows + GROWTH_ROWS) * Math.max(16, size.perRow * 1.5) : Infinity;
  };
  const total = wantedTables(self)
    .filter((n) => !incremental(self, n, firstRows))
    .reduce((sum, n) => sum + estimate(n), 0);
  const size = self.sizes.get(name.toLowerCase());
  return size && total <= FIRST_BYTES ? Math.max(firstRows, size.rows + GROWTH_ROWS + 1) : firstRows;
}

/**
 * The rows of long tables past their first slice, in batches of about SLICE_BYTES each (one
 * more round trip per batch, only for tables longer than the first slice). Each batch also
 * loads the sliced tables' sizes: a table that grew or shrank meanwhile makes the read start
 * again (false). Rows edited in place between the batches are read as they are then; every
 * write compares the rows it relies on anyway.
 */
export async function readRest(
  self: OfficeSession,
  snapshot: Snapshot,
  longer: { name: string; rows: number; have: number; perRow: number }[],
): Promise<boolean> {
  type Slice = { name: string; from: number; count: number };
  const batches: Slice[][] = [[]];
  let budget = SLICE_BYTES;
  for (const t of longer) {
    // A margin of half again over the first slice's bytes per row: later rows may hold longer text.
    const perRow = Math.max(16, t.perRow * 1.5);
    for (let from = t.have; from < t.rows;) {
      let count = Math.min(t.rows - from, Math.floor(budget / perRow));
      if (count < 1) {
        batches.push([]);
        budget = SLICE_BYTES;
        count = Math.min(t.rows - from, Math.max(1, Math.floor(budget / perRow)));
      }
      batches[batches.length - 1].push({ name: t.name, from, count });
      budget -= count * perRow;
      from += count;
    }
  }
  for (const batch of batches.filter((b) => b.length)) {
    const got = await self.run(async (context) => {
      const names = [...new Set(batch.map((s) => s.name))];
      const sizes = names.map((name) => ({ name, range: context.workbook.tables.getItem(name).getRange().load("rowCount") }));
      const slices = batch.map((s) => ({
        ...s,
        range: context.workbook.tables
          .getItem(s.name)
          .getHeaderRowRange()
          .getOffsetRange(s.from, 0)
          .getResizedRange(s.count - 1, 0)
          .load("values"),
      }));
      await context.sync();
      const changed = sizes.some((x) => x.range.rowCount !== longer.find((t) => t.name === x.name)?.rows);
      return changed ? undefined : slices.map((s) => ({ name: s.name, values: s.range.values as CellValue[][] }));
    });
    if (!got) return false;
    for (const s of got) {
      const raw = findTable(snapshot, s.name);
      raw?.rows.push(...s.values.map((row) => row.map((v) => (v === "" ? null : v))));
    }
  }
  return true;
}
