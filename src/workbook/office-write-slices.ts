/**
 * Writes too big for one request, in slices (the Office.js adapter, office.ts). Excel on the web
 * refuses a request over 5 MB ("Excel on the web has a payload size limit for requests and
 * responses of 5MB. RichAPI.Error will be triggered if that limit is exceeded.",
 * https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins):
 * a month end on a huge workbook (its KPI sheet and Penalties rows) or a bulk import can be more.
 * Desktop Excel has no such limit, so a change set is first sent whole; when Excel refuses it as too
 * big (nothing of it ran), it is cut by rows: the first batch carries everything but the rows past its share
 * of WRITE_BYTES (the cells, deletions, guards and new tables, each table or append with its
 * first rows), each further batch about WRITE_BYTES more rows, appended below what the slices
 * before wrote (a new table grows as any table does). Every batch is the one write of
 * office-write.ts, with its checks and its roll-back; a conflict in a later slice puts back that
 * slice only, and the rows the earlier slices wrote are reported as not put back (`unrestored`).
 * The log's anchor and hidden record go with the slice that writes the log's last row.
 */
import { WriteResult, errorCode, jsonBytes } from "./office-cells";
import { OfficeSession } from "./office-session";
import { write } from "./office-write";
import { COUNTERSIGN_LOG } from "./schema";
import { CellValue, ChangeSet, Formats, RawTable, Snapshot, applyChanges, emptyChangeSet, findTable } from "./port";

/** Bytes of rows per request (3 MB: under 4 MB with what else a batch carries). */
export const WRITE_BYTES = 3 * 1024 * 1024;

/** Bytes a row costs in a request: its values as JSON and a number format per cell. */
function bytesPerRow(rows: CellValue[][]): number {
  const sample = rows.length > 400 ? [...rows.slice(0, 200), ...rows.slice(-200)] : rows;
  if (!sample.length) return 16;
  const cols = Math.max(...sample.map((r) => r.length));
  // Half again as margin: other rows may hold longer text.
  return Math.max(16, (jsonBytes(sample) / sample.length + cols * 20) * 1.5);
}

type Rows = { table: string; rows: CellValue[][] } & Formats;

/** The change set cut into slices of about `budget` bytes of rows; one slice when it fits. */
export function sliceChanges(changes: ChangeSet, budget = WRITE_BYTES): ChangeSet[] {
  const items = [...changes.appends, ...changes.newTables].map((x) => ({ x, perRow: bytesPerRow(x.rows) }));
  const total = items.reduce((sum, i) => sum + i.perRow * i.x.rows.length, 0);
  if (total <= budget) return [changes];
  const first: ChangeSet = { ...changes, appends: [], newTables: [] };
  const later: Rows[] = [];
  let left = budget;
  for (const { x, perRow } of items) {
    const take = Math.max(1, Math.min(x.rows.length, Math.floor(left / perRow)));
    left = Math.max(0, left - take * perRow);
    if ("sheet" in x) first.newTables.push({ ...x, rows: x.rows.slice(0, take) });
    else first.appends.push({ ...x, rows: x.rows.slice(0, take) });
    const per = Math.max(1, Math.floor(budget / perRow));
    for (let from = take; from < x.rows.length; from += per) {
      const { dateCols, numberCols, percentCols, textCols } = x;
      later.push({
        table: "sheet" in x ? x.name : x.table,
        rows: x.rows.slice(from, from + per),
        dateCols,
        numberCols,
        percentCols,
        textCols,
      });
    }
  }
  const slices = [first, ...later.map((r) => ({ ...emptyChangeSet(), appends: [r] }))];
  // The log's head describes its last row: it goes with the slice that writes it.
  const logLast = later.map((r) => r.table.toLowerCase()).lastIndexOf(COUNTERSIGN_LOG.name.toLowerCase());
  if (logLast >= 0 && (changes.customXml?.length || changes.names?.length)) {
    const { customXml, names, ...rest } = first;
    slices[0] = rest;
    Object.assign(slices[logLast + 1], { customXml, names });
  }
  return slices;
}

/** The snapshot as a re-read would show it after `c` was written: deletions, cells, appends and new tables. */
function advance(base: Snapshot, c: ChangeSet): Snapshot {
  const tables = new Map(base.tables);
  for (const d of c.deleteRows) {
    const t = findTable({ tables, sheetNames: [] }, d.table);
    const gone = new Set(d.rows);
    if (t) tables.set(t.name, { ...t, rows: t.rows.filter((_, i) => !gone.has(i)) });
  }
  for (const nt of c.newTables) {
    const raw: RawTable = { name: nt.name, sheet: nt.sheet, headers: nt.headers, rows: nt.rows.map((r) => [...r]), top: 0, left: 0 };
    tables.set(nt.name, raw);
  }
  return applyChanges({ ...base, tables }, c);
}

/** Writes `changes`, in slices when they are too big for one request. */
export async function writeSliced(self: OfficeSession, changes: ChangeSet): Promise<WriteResult> {
  const slices = sliceChanges(changes);
  if (slices.length === 1) return write(self, changes);
  // Desktop Excel has no such limit: the whole change set in one request first. Excel on the web
  // refuses the request before running any of it (RequestPayloadSizeLimitExceeded): then slices.
  try {
    return await write(self, changes);
  } catch (e) {
    if (errorCode(e) !== "RequestPayloadSizeLimitExceeded") throw e;
  }
  const done: string[] = [];
  const base = self.last;
  for (const slice of slices) {
    const result = await write(self, slice);
    if (result.conflicts.length) {
      // The slices before this one stay written: say which rows.
      return { ...result, unrestored: [...(result.unrestored ?? []), ...done] };
    }
    if (self.last) self.last = advance(self.last, slice);
    for (const a of slice.appends) done.push(`${a.table}: ${a.rows.length} rows appended`);
    for (const nt of slice.newTables) done.push(`${nt.sheet}: ${nt.rows.length} rows`);
  }
  // The session's snapshot is the read's again: the next write needs a read first, as after any write.
  self.last = base;
  return { conflicts: [] };
}
