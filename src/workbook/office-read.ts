/** Reading in the Office.js adapter (office.ts): the tables in one batch, long ones in slices under the payload limit, the log's anchor and hidden record. */
import { LOG_ANCHOR_NS, LOG_HEAD_NAME, looksLikeAnchor } from "../core/workflow/log";
import { CellValue, RawTable, Snapshot, findTable } from "./port";
import { COUNTERSIGN_LOG, TABLES } from "./schema";
import { errorCode, jsonBytes, sameInEveryRow, sameValue } from "./office-cells";
import { Highlight, OfficeSession, ReadOptions, XML_NAMESPACES, XmlPart, XmlPlan } from "./office-session";

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
const cellsOf = (rows: CellValue[][]): CellValue[][] => rows.map((row) => row.map((v) => (v === "" ? null : v)));

/** Bytes per row of `rows` as JSON, from up to 200 rows at each end (later rows may hold longer text). */
function bytesPerRow(rows: CellValue[][]): number {
  if (!rows.length) return 16;
  const sample = rows.length > 400 ? [...rows.slice(0, 200), ...rows.slice(-200)] : rows;
  return jsonBytes(sample) / sample.length;
}

/**
 * Reads every table of the contract (one round trip), the workbook's names, and the columns
 * holding formulas (their last data row, loaded with the tables): appends leave those cells to
 * Excel, which fills calculated columns into new rows by itself. With
 * `opts.conditionalFormats`, those tables' custom conditional formats too, in the same batch.
 */
export async function read(self: OfficeSession, opts: ReadOptions = {}): Promise<Snapshot> {
  self.readOpts = opts;
  self.highlights = new Map();
  const plans = new Map<string, XmlPlan>(
    self.canXml && !opts.tables ? XML_NAMESPACES.map((ns) => [ns, { mode: self.xmlMode.get(ns) ?? "list" }]) : [],
  );
  let snapshot: Snapshot | undefined;
  try {
    snapshot = await readKnown(self, plans);
  } catch (e) {
    // A missing table, or an anchor part not there exactly once (getOnlyItem): list what there is.
    if (errorCode(e) !== "ItemNotFound" && ![...plans.values()].some((p) => p.mode === "only")) throw e;
  }
  if (!snapshot) snapshot = await readKnown(self, await discover(self));
  self.last = snapshot;
  return snapshot;
}

/** Lists the workbook's tables, keeping the contract's tables that exist, and the ids of the custom XML parts of each namespace. */
async function discover(self: OfficeSession): Promise<Map<string, XmlPlan>> {
  return self.run(async (context) => {
    const tables = context.workbook.tables.load("items/name");
    const scoped = self.canXml
      ? XML_NAMESPACES.map((ns) => ({ ns, parts: context.workbook.customXmlParts.getByNamespace(ns).load("items/id") }))
      : [];
    await context.sync();
    const present = new Set(tables.items.map((t) => t.name.toLowerCase()));
    self.known = TABLES.map((t) => t.name).filter((n) => present.has(n.toLowerCase()));
    const plans = new Map<string, XmlPlan>();
    for (const s of scoped) {
      const ids = s.parts.items.map((p) => p.id);
      self.xmlMode.set(s.ns, ids.length === 1 ? "only" : "list");
      plans.set(s.ns, { mode: "ids", ids });
    }
    return plans;
  });
}

/** The known tables this read wants. */
function wantedTables(self: OfficeSession): string[] {
  const only = self.readOpts.tables?.map((t) => t.toLowerCase());
  return only ? self.known.filter((n) => only.includes(n.toLowerCase())) : self.known;
}

async function readKnown(self: OfficeSession, plans: Map<string, XmlPlan>): Promise<Snapshot> {
  let firstRows = FIRST_ROWS;
  const once = async () => {
    try {
      return await readOnce(self, plans, firstRows);
    } catch (e) {
      // A first batch over Excel on the web's payload limit (very long text in the first rows): smaller first slices.
      if (!PAYLOAD_ERRORS.has(errorCode(e) ?? "") || firstRows === FIRST_ROWS_SMALL) throw e;
      firstRows = FIRST_ROWS_SMALL;
      return readOnce(self, plans, firstRows);
    }
  };
  const first = await once();
  if (first) return first;
  const second = await once();
  if (!second) throw new Error("the workbook's tables keep changing: try again");
  return second;
}

/**
 * The log's rows the session has, when this read can fetch only the rows after them: a full read
 * of every table (not `full`, not some tables only, not the small first slices of a batch refused
 * as too large) of a log of at least INCREMENTAL_FROM rows.
 */
function incremental(self: OfficeSession, name: string, firstRows: number): { headers: string[]; rows: CellValue[][] } | undefined {
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
function firstRowsOf(self: OfficeSession, name: string, firstRows: number): number {
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
 * One batch: the wanted tables' sizes and first rows and the custom XML parts; then, only for
 * tables longer than `firstRows`, the rest in slices (readRest). Undefined when a contract table
 * appeared meanwhile, or a sliced table changed its size between the batches.
 */
async function readOnce(self: OfficeSession, plans: Map<string, XmlPlan>, firstRows: number): Promise<Snapshot | undefined> {
  const wanted = wantedTables(self);
  const result = await self.run(async (context) => {
    const sheets = context.workbook.worksheets.load("items/name");
    const all = context.workbook.tables.load("items/name");
    const parts = wanted.map((name) => {
      const table = context.workbook.tables.getItem(name);
      const cfs =
        self.canConditionalFormats && (self.readOpts.conditionalFormats ?? []).some((n) => n.toLowerCase() === name.toLowerCase())
          ? table
              .getRange()
              .conditionalFormats.load(
                "items/id,items/type,items/customOrNullObject/rule/formula,items/customOrNullObject/format/fill/color",
              )
          : undefined;
      const whole = table.getRange();
      const cached = incremental(self, name, firstRows);
      const header = table.getHeaderRowRange();
      return {
        name,
        range: whole.load("rowCount,columnCount,rowIndex,columnIndex"),
        // The table's first rows exactly (the intersection never reaches below a short table); for a
        // log read incrementally, its header row only.
        head: cached
          ? header.load("values")
          : whole.getIntersection(header.getResizedRange(firstRowsOf(self, name, firstRows) - 1, 0)).load("values"),
        // The log's rows from the last one the session has on: that row (compared), then new ones.
        // Not intersected with the table (a table shorter than the session's is noticed by its
        // row count, and getIntersection would fail the batch): rows below the table are cut off.
        cached,
        tail: cached
          ? header
              .getOffsetRange(cached.rows.length, 0)
              .getResizedRange(TAIL_ROWS - 1, 0)
              .load("values")
          : undefined,
        lastRow: table.getDataBodyRange().getLastRow().load("formulas"),
        sheet: table.worksheet.load("name"),
        cfs,
      };
    });
    const names = context.workbook.names.load("items/name");
    // The log's hidden record (a hidden name) and every custom XML part's namespace (one that looks like the anchor is reported), same batch.
    const head = self.canNames ? context.workbook.names.getItemOrNullObject(LOG_HEAD_NAME).load("value") : undefined;
    const allXml = self.canXml ? context.workbook.customXmlParts.load("items/id,items/namespaceUri") : undefined;
    const xml: { ns: string; id: () => string; xml: OfficeExtension.ClientResult<string> }[] = [];
    const listed: { ns: string; parts: Excel.CustomXmlPartScopedCollection }[] = [];
    for (const [ns, plan] of plans) {
      const coll = context.workbook.customXmlParts;
      if (plan.mode === "only") {
        const part = coll.getByNamespace(ns).getOnlyItem().load("id");
        xml.push({ ns, id: () => part.id, xml: part.getXml() });
      } else if (plan.mode === "ids") {
        for (const id of plan.ids) xml.push({ ns, id: () => id, xml: coll.getItem(id).getXml() });
      } else listed.push({ ns, parts: coll.getByNamespace(ns).load("items/id") });
    }
    await context.sync();
    const present = new Set(all.items.map((t) => t.name.toLowerCase()));
    const only = self.readOpts.tables?.map((t) => t.toLowerCase());
    const appeared = TABLES.some(
      (t) => present.has(t.name.toLowerCase()) && !self.known.includes(t.name) && (!only || only.includes(t.name.toLowerCase())),
    );
    if (appeared) {
      self.known = TABLES.map((t) => t.name).filter((n) => present.has(n.toLowerCase()));
      return undefined; // a contract table was added meanwhile: read again with it
    }
    const tables = new Map<string, RawTable>();
    const formulaCols = new Map<string, Set<number>>();
    const rowFormulas = new Map<string, Map<number, string>>();
    const highlights = new Map<string, Highlight[]>();
    /** Per table: its header row and the rows read (first rows, or the log's known rows and tail). */
    const got: { p: (typeof parts)[number]; headers: CellValue[]; rows: CellValue[][]; perRow: number }[] = [];
    for (const p of parts) {
      const loaded = p.head.values as CellValue[][];
      if (!p.cached || !p.tail) {
        const rows = cellsOf(loaded.slice(1));
        got.push({ p, headers: loaded[0], rows, perRow: bytesPerRow(rows) });
        continue;
      }
      const known = p.cached.rows;
      const body = p.range.rowCount - 1;
      const tail = cellsOf((p.tail.values as CellValue[][]).slice(0, Math.max(0, body - known.length + 1)));
      const same =
        body >= known.length &&
        loaded[0].map((h) => String(h ?? "")).join("\u0000") === p.cached.headers.join("\u0000") &&
        known[known.length - 1].every((v, i) => sameValue(v, tail[0]?.[i] ?? null));
      if (!same) {
        // Rows deleted, inserted, sorted or edited where the session's rows end, or the header
        // changed: the session's rows are not a prefix of the log any more. Read it whole.
        self.logRows = undefined;
        return undefined;
      }
      got.push({
        p,
        headers: loaded[0],
        rows: [...known.slice(0, -1), ...tail],
        perRow: self.sizes.get(p.name.toLowerCase())?.perRow ?? 64,
      });
    }
    for (const { p, headers, rows } of got) {
      const last = (p.lastRow.formulas as unknown[][])[0] ?? [];
      formulaCols.set(
        p.name.toLowerCase(),
        new Set(last.flatMap((f, i) => (typeof f === "string" && f.startsWith("=") && f.length > 1 ? [i] : []))),
      );
      rowFormulas.set(
        p.name.toLowerCase(),
        new Map(last.flatMap((f, i) => (typeof f === "string" && sameInEveryRow(f) ? [[i, f] as [number, string]] : []))),
      );
      if (p.cfs)
        highlights.set(
          p.name.toLowerCase(),
          p.cfs.items
            .filter((c) => c.type === "Custom")
            .map((c) => ({
              id: c.id,
              formula: c.customOrNullObject.rule.formula,
              fill: c.customOrNullObject.format.fill.color,
              left: p.range.columnIndex,
            })),
        );
      tables.set(p.name, {
        name: p.name,
        sheet: p.sheet.name,
        headers: headers.map((h) => String(h ?? "")),
        rows,
        top: p.range.rowIndex,
        left: p.range.columnIndex,
      });
    }
    const found = new Map<string, XmlPart[]>(XML_NAMESPACES.filter((ns) => plans.has(ns)).map((ns) => [ns, []]));
    for (const x of xml) found.get(x.ns)!.push({ id: x.id(), xml: x.xml.value });
    const unread = listed.flatMap((l) => l.parts.items.map((p) => ({ ns: l.ns, id: p.id })));
    self.formulaCols = formulaCols;
    self.rowFormulas = rowFormulas;
    self.highlights = highlights;
    const headText = head && !head.isNullObject ? String(head.value ?? "") : undefined;
    const lookalikes = (allXml?.items ?? [])
      .filter((p) => looksLikeAnchor(p.namespaceUri))
      .map((p) => ({ where: p.id, namespace: p.namespaceUri }));
    const snapshot: Snapshot = { tables, sheetNames: sheets.items.map((s) => s.name), names: names.items.map((n) => n.name) };
    const longer = got
      .filter((g) => g.p.range.rowCount > g.rows.length + 1)
      .map((g) => ({ name: g.p.name, rows: g.p.range.rowCount, have: g.rows.length + 1, perRow: g.perRow }));
    const perRow = new Map(got.map((g) => [g.p.name, g.perRow]));
    return { longer, snapshot, found, unread, headText, lookalikes, perRow };
  });
  if (!result) return undefined;
  if (result.longer.length && !(await readRest(self, result.snapshot, result.longer))) return undefined;
  // What the next read sizes its first batch by, and the log's rows it reads on from.
  for (const [name, perRow] of result.perRow)
    self.sizes.set(name.toLowerCase(), { rows: findTable(result.snapshot, name)?.rows.length ?? 0, perRow });
  const log = findTable(result.snapshot, COUNTERSIGN_LOG.name);
  if (log && !self.readOpts.tables) self.logRows = { headers: log.headers, rows: log.rows };
  if (result.unread.length) {
    // Parts appeared in a namespace we had seen empty (a co-author's first append): their XML, once.
    await self.run(async (context) => {
      const texts = result.unread.map((u) => ({ ...u, xml: context.workbook.customXmlParts.getItem(u.id).getXml() }));
      await context.sync();
      for (const t of texts) result.found.get(t.ns)!.push({ id: t.id, xml: t.xml.value });
    });
  }
  for (const [ns, parts] of result.found) {
    self.xml.set(ns, parts);
    if (parts.length === 1) self.xmlMode.set(ns, "only");
  }
  result.snapshot.customXml = new Map([...result.found].filter(([, p]) => p.length).map(([ns, p]) => [ns, p[0].xml]));
  self.textNames = new Map(result.headText === undefined ? [] : [[LOG_HEAD_NAME, result.headText]]);
  if (self.canXml)
    result.snapshot.logRecords = {
      anchors: (result.found.get(LOG_ANCHOR_NS) ?? []).map((p) => ({ where: p.id, xml: p.xml })),
      lookalikes: result.lookalikes,
      head: result.headText,
    };
  return result.snapshot;
}

/**
 * The rows of long tables past their first slice, in batches of about SLICE_BYTES each (one
 * more round trip per batch, only for tables longer than the first slice). Each batch also
 * loads the sliced tables' sizes: a table that grew or shrank meanwhile makes the read start
 * again (false). Rows edited in place between the batches are read as they are then; every
 * write compares the rows it relies on anyway.
 */
async function readRest(
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
