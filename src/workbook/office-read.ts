/** Reading in the Office.js adapter (office.ts): the tables in one batch, long ones in slices under the payload limit, the log's anchor and hidden record. */
import { LOG_ANCHOR_NS, LOG_HEAD_NAME, looksLikeAnchor } from "../core/workflow/log";
import { CellValue, RawTable, Snapshot, findTable } from "./port";
import { COUNTERSIGN_LOG, TABLES } from "./schema";
import { errorCode, sameInEveryRow, sameValue } from "./office-cells";
import {
  FIRST_ROWS,
  FIRST_ROWS_SMALL,
  PAYLOAD_ERRORS,
  TAIL_ROWS,
  bytesPerRow,
  cellsOf,
  firstRowsOf,
  incremental,
  readRest,
  wantedTables,
} from "./office-read-slices";
import { Highlight, OfficeSession, ReadOptions, XML_NAMESPACES, XmlPart, XmlPlan } from "./office-session";
import { highlightColumn, ownRelative } from "./office-highlights";

export { FIRST_ROWS, INCREMENTAL_FROM, SLICE_BYTES } from "./office-read-slices";

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
        lastRow: table.getDataBodyRange().getLastRow().load("formulas,numberFormat"),
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
    const rowFormats = new Map<string, Map<number, string>>();
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
      const lastFormats: unknown[] = (p.lastRow.numberFormat as unknown[][])[0] ?? [];
      rowFormats.set(
        p.name.toLowerCase(),
        new Map(lastFormats.flatMap((f, i): [number, string][] => (typeof f === "string" ? [[i, f]] : []))),
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
    self.rowFormats = rowFormats;
    // Rules of ours an earlier version wrote with a relative column (office-js#5194): read again
    // from the range each was written on, in one more batch, only when the table has some.
    const relative = [...highlights].flatMap(([table, list]) => list.filter(ownRelative).map((h) => ({ table, h })));
    if (relative.length) {
      const own = relative.map(({ table, h }) => {
        const at = context.workbook.tables.getItem(table).getRange().conditionalFormats.getItem(h.id).getRange();
        return {
          h,
          at: at.load("columnIndex"),
          rules: at.conditionalFormats.load("items/type,items/customOrNullObject/rule/formula,items/customOrNullObject/format/fill/color"),
        };
      });
      await context.sync();
      for (const { h, at, rules } of own)
        if (
          rules.items.some(
            (r) =>
              r.type === "Custom" &&
              String(r.customOrNullObject.format.fill.color ?? "").toUpperCase() === String(h.fill ?? "").toUpperCase() &&
              highlightColumn({ formula: r.customOrNullObject.rule.formula, fill: r.customOrNullObject.format.fill.color }, true) ===
                at.columnIndex,
          )
        )
          h.column = at.columnIndex;
    }
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
