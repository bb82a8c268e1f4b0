/**
 * The Office.js adapter: one `context.sync()` to read every table, one to write a change
 * set, whatever the number of rows; one more only to put things back after a conflict.
 *
 * Reading asks for the contract's tables by name in one batch, with the custom XML part that
 * anchors the Countersign Log (core/workflow/log.ts). The first read of an adapter lists the
 * anchor parts' ids (their XML, when there are some, in one more batch); once it has seen
 * exactly one, later reads fetch it in the same batch (`getOnlyItem().getXml()`), so a pane's
 * reads after its first are one round trip. When a table is missing (a workbook not set up, or
 * a table deleted) or the anchor is no longer there exactly once, the batch fails; the adapter
 * then lists the workbook's tables and anchor parts once and reads again. The same batch loads
 * the log's hidden record (the name `_PlanningDesk_LogHead`, `getItemOrNullObject`, ExcelApi 1.4)
 * and every custom XML part's namespace (one that looks like the anchor's is reported; only the
 * namespace is compared here, the file engine also looks at the part's text).
 *
 * Writing: every write hits the row it means, or nothing stays written. Where each write lands,
 * which cells are left to calculated columns and which rows must still hold what was read is the
 * write plan's (write-plan.ts, shared with the .xlsx adapter); this adapter executes it.
 * - Rows are addressed from the table's header cell as the batch runs
 *   (`table.getHeaderRowRange().getCell(0, 0).getOffsetRange(…)`, ExcelApi 1.1), never by
 *   sheet name and position, so rows inserted or deleted above the table and a renamed sheet
 *   do not move the target.
 * - In the same batch, before anything is written, it loads the table's header row, every row
 *   it writes to or relies on (the card's Register row, the revision a relay stamps, the last
 *   log row an append chains from) and the cells an append fills. After the sync they are
 *   compared with the snapshot the decision was made on: a header renamed or moved, a row
 *   sorted, swapped, inserted or deleted, a co-author's append: a conflict.
 * - On a conflict a second batch puts back exactly what was there, cell by cell: numbers and
 *   dates as values, text as text (written into a cell formatted "@", then the cell's own
 *   format restored), formulas through `formulas` only where the cell held a real formula
 *   (its formula differs from its value). Nothing the add-in reads back ever becomes a formula.
 * - Appends to the log replace the anchor part in the same batch; the part the read saw is
 *   deleted by id first, which fails the whole batch, before any cell is written, when another
 *   client appended (and so replaced it) since our read: two secretaries issuing at once never
 *   both write. Then the hidden name is replaced (deleted by name if the read saw it, added with
 *   `visible = false`), still before any cell; a roll-back puts it back. Should the name have been
 *   deleted by hand between our read and our write, the batch fails there, after the anchor part
 *   was deleted: the action is refused, and the next one writes both records again.
 * Appends are range writes below the table, which Excel grows over them (Microsoft's
 * co-authoring guidance: no `TableRowCollection.add`,
 * https://learn.microsoft.com/office/dev/add-ins/excel/co-authoring-in-excel-add-ins);
 * `table.resize` confirms the new size where ExcelApi 1.13 is supported. Text is written so
 * that it never runs as a formula: a leading =, +, -, @ or ' is kept as typed with Excel's
 * text prefix.
 *
 * Calculated columns (`ChangeSet.calculatedColumns`, the Register's deadline columns) are
 * written in the same batch: an existing column (found by its header) gets its formula in every
 * data row, a new one is added at the table's end with it (see writeCalculated for Microsoft's
 * pages); Excel then fills them into every new row by itself, so appends leave the cells of
 * formula columns to Excel (the columns whose last data row holds a formula at the read, unless
 * the appended rows bring a value there), and the rows a write relies on are compared without
 * them (Excel recalculates them: PLAN.OVERDUE is volatile). Their highlights are custom
 * conditional formats; a read with `{ conditionalFormats: [table] }` lists the table's, so the
 * write deletes the add-in's own previous ones by id (highlightColumn) and nothing else. The
 * whole header row is compared: a column inserted, renamed or added meanwhile is a conflict, and
 * the roll-back deletes the columns and highlights added and puts the formulas back (the
 * add-in's previous highlights, deleted, are reported as `unrestored`).
 *
 * Limits: a batch runs on this client's copy of the workbook; co-authoring merges it with
 * others' changes afterwards, so two clients acting within the same merge window are only as
 * safe as that merge. Between our write and our roll-back (one round trip) a co-author's
 * structural edit could still move the rows we put back; the roll-back then reports the cells
 * it could not confirm (`unrestored`).
 */
import { LOG_ANCHOR_NS, LOG_HEAD_NAME, looksLikeAnchor } from "../core/workflow/log";
import {
  CellValue,
  ChangeSet,
  Conflict,
  HIGHLIGHT_FILL,
  HIGHLIGHT_FONT,
  RawTable,
  Snapshot,
  WorkbookPort,
  cellAddress,
  columnLetter,
  findTable,
  formatOf,
  parseRangeRef,
} from "./port";
import { TABLES } from "./schema";
import { Block, CalculatedPlan, planWrite } from "./write-plan";

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export { DATE_FORMAT } from "./port";

/** The custom XML parts Planning Desk reads and writes, by root namespace. */
export const XML_NAMESPACES = [LOG_ANCHOR_NS];

/** Cell values as read back: numbers compared to the millisecond (dates), empty and null alike. */
function sameValue(a: CellValue, b: CellValue): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-8;
  return (a ?? "") === (b ?? "");
}

/** Text written as text: Excel would run "=…" (and may parse "+…", "-…", "@…") as a formula. */
export function asCellValue(v: CellValue): CellValue {
  if (typeof v === "string" && /^[=+\-@']/.test(v)) return `'${v}`;
  return v;
}

/**
 * What to write back into a cell so it holds again what `values`/`formulas`/`numberFormat`
 * read: a real formula (its formula text differs from its value) through `formulas`;
 * anything else as a value, text into a cell formatted as text first so Excel neither runs
 * nor converts it.
 */
export function restorePlan(value: unknown, formula: unknown, format: string): { formula?: string; value: CellValue; textFirst: boolean } {
  if (typeof formula === "string" && formula.startsWith("=") && formula !== value) return { formula, value: formula, textFirst: false };
  const v = (value === "" || value === undefined ? null : value) as CellValue;
  if (typeof v === "string") return { value: asCellValue(v), textFirst: format !== "@" };
  return { value: v, textFirst: false };
}

/** The formula of a name holding `text` as a constant: `="…"`, a quote inside doubled. */
const textFormula = (text: string) => `="${text.replace(/"/g, '""')}"`;

function errorCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

const loaded = (v: unknown): CellValue => (v === "" || v === undefined ? null : (v as CellValue));

type XmlPart = { id: string; xml: string };

/**
 * A formula whose text is the same in every row: no A1 reference outside text and brackets (a
 * structured reference such as `[@需求接收]` names the row it is in). Only such a formula is
 * written into new rows as it is (see the appends in write).
 */
export function sameInEveryRow(formula: string): boolean {
  if (!/^=./.test(formula)) return false;
  let rest = formula.replace(/"(?:[^"]|"")*"/g, '""');
  for (let prev = ""; prev !== rest;) {
    prev = rest;
    rest = rest.replace(/\[[^[\]]*\]/g, "");
  }
  return (
    !/(?<![A-Za-z0-9_.])\$?[A-Z]{1,3}\$?\d+(?![A-Za-z0-9_(])/.test(rest) &&
    !/(?<![A-Za-z0-9_.])\$?[A-Z]{1,3}:\$?[A-Z]{1,3}(?![A-Za-z0-9_(])/.test(rest) &&
    !/R\[?-?\d*\]?C/.test(rest)
  );
}

/** The rows of a loaded range's values. */
const values0 = (r: Excel.Range): unknown[][] => r.values;

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
const FIRST_ROWS_SMALL = 50;

const PAYLOAD_ERRORS = new Set(["RequestPayloadSizeLimitExceeded", "ResponsePayloadSizeLimitExceeded"]);

/** The size of values as Office.js sends them (JSON, UTF-8). */
function jsonBytes(v: unknown): number {
  return new TextEncoder().encode(JSON.stringify(v) ?? "").length;
}

/** What a read fetches besides the tables (same batch). */
export interface ReadOptions {
  /**
   * Only these tables (the custom functions need Calendar and Settings only); no custom XML parts
   * are read then. Every contract table when not given.
   */
  tables?: string[];
  /**
   * Tables whose conditional formats to list (ExcelApi 1.6), so that a following write of
   * `calculatedColumns` replaces the highlights the add-in put there before, and only those.
   */
  conditionalFormats?: string[];
}

/**
 * A custom conditional format as a read listed it from its table's range. `id` is its priority in
 * that collection, not an identity ("the priority of the conditional format within the current
 * ConditionalFormatCollection", https://learn.microsoft.com/javascript/api/excel/excel.conditionalformat#excel-excel-conditionalformat-id-member):
 * it is only used with the same collection, and checked when used. `formula` reads relative to the
 * table range's top-left cell (`left`: its sheet column), not to the range it was written on
 * (OfficeDev/office-js#5194, "by design"). `column`: the sheet column of one of the add-in's own
 * rules written with a relative column by an earlier version, found by reading the rule again
 * from the range it was written on (see ownRelative).
 */
interface Highlight {
  id: string;
  formula: string;
  fill: string;
  left: number;
  column?: number;
}

/** "#RRGGBB" of an ARGB colour ("FFFFC7CE"). */
const hex = (argb: string) => `#${argb.slice(-6).toUpperCase()}`;
const OUR_FILLS = new Set(Object.values(HIGHLIGHT_FILL).map(hex));
const colNumber = (letters: string) => parseRangeRef(`${letters}1`)!.left;
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
function ownRelative(h: { formula: string; fill: string }): boolean {
  if (!OUR_FILLS.has(String(h.fill ?? "").toUpperCase())) return false;
  const m = RED.exec(h.formula ?? "") ?? AMBER.exec(h.formula ?? "");
  return !!m && !m[1];
}
/** How a read gets a namespace's parts: the only one (fails otherwise), these ids, or list the ids (XML in a further batch). */
type XmlPlan = { mode: "only" } | { mode: "ids"; ids: string[] } | { mode: "list" };

/** A range the write changed: where (relative to its table's header cell), what it held, what we put there. */
interface Written {
  table: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  before: Excel.Range;
  wrote: CellValue[][];
  /** What was written are formulas (a calculated column): compared as formulas when put back. */
  formulas?: boolean;
}

/** Something the write relies on, loaded in its batch before any write. */
interface Check {
  table: string;
  /** Body row index (-1: the header row). */
  row: number;
  /** First column (within the table) of the range; 0 when not given. */
  col?: number;
  expected: CellValue[][];
  range: Excel.Range;
  /** Empty cells expected (an append's target): values and formulas both empty. */
  blank?: boolean;
  /** Columns not compared: formula columns, whose values Excel recalculates (PLAN.OVERDUE is volatile). */
  skip?: ReadonlySet<number>;
}

interface CalcWrite extends CalculatedPlan {
  /** The existing column's data body, loaded before the write (to put it back on a conflict). */
  body?: Excel.Range;
  /** The add-in's own highlights already on this column (replaced). */
  old: Highlight[];
}

/** What writing calculated columns created or removed, for a roll-back. */
interface Generated {
  columns: { table: string; header: string }[];
  /** Highlights added, on their column's data body (their ids are priorities in that collection). */
  highlights: { table: string; header: string; cf: Excel.ConditionalFormat; formula: string; fill: string }[];
  /** Highlights deleted (those the add-in had put there before): a roll-back cannot bring them back. What was deleted, loaded just before, is checked against what the read saw. */
  replaced: { table: string; header: string; id: string; expected?: Highlight; seen?: Excel.ConditionalFormat; at?: Excel.Range }[];
}

export interface WriteResult {
  conflicts: Conflict[];
  /** After a conflict: cells the roll-back could not confirm it put back (a co-author moved them meanwhile), to check by hand. */
  unrestored?: string[];
}

export class OfficeWorkbook implements WorkbookPort {
  private known: string[] = TABLES.map((t) => t.name);
  private last: Snapshot | undefined;
  /** The custom XML parts of the last read, by namespace (their ids are what a write replaces). */
  private xml = new Map<string, XmlPart[]>();
  private xmlMode = new Map<string, "only" | "list">();
  /** The hidden text names of the last read (the log's hidden record), by name: their value; absent when the workbook has none. */
  private textNames = new Map<string, string>();
  /** Per table (lower-case name), the columns whose last data row held a formula at the last read. */
  private formulaCols = new Map<string, Set<number>>();
  /** Per table (lower-case name), column → the last data row's formula, where it is the same in every row (structured references only). */
  private rowFormulas = new Map<string, Map<number, string>>();
  /** Per table (lower-case name), column → the last data row's number format at the last read. */
  private rowFormats = new Map<string, Map<number, string>>();
  /** Per table (lower-case name), its custom conditional formats, where the last read listed them. */
  private highlights = new Map<string, Highlight[]>();
  private readOpts: ReadOptions = {};

  constructor(
    private readonly run: ExcelRun,
    private readonly isSetSupported: (name: string, version: string) => boolean = (n, v) =>
      Office.context.requirements.isSetSupported(n, v),
  ) {}

  private get canXml(): boolean {
    return this.isSetSupported("ExcelApi", "1.5");
  }

  /** NamedItemCollection.getItemOrNullObject, NamedItem.delete: ExcelApi 1.4. */
  private get canNames(): boolean {
    return this.isSetSupported("ExcelApi", "1.4");
  }

  private get canConditionalFormats(): boolean {
    return this.isSetSupported("ExcelApi", "1.6");
  }

  /**
   * Reads every table of the contract (one round trip), the workbook's names, and the columns
   * holding formulas (their last data row, loaded with the tables): appends leave those cells to
   * Excel, which fills calculated columns into new rows by itself. With
   * `opts.conditionalFormats`, those tables' custom conditional formats too, in the same batch.
   */
  async read(opts: ReadOptions = {}): Promise<Snapshot> {
    this.readOpts = opts;
    this.highlights = new Map();
    const plans = new Map<string, XmlPlan>(
      this.canXml && !opts.tables ? XML_NAMESPACES.map((ns) => [ns, { mode: this.xmlMode.get(ns) ?? "list" }]) : [],
    );
    let snapshot: Snapshot | undefined;
    try {
      snapshot = await this.readKnown(plans);
    } catch (e) {
      // A missing table, or an anchor part not there exactly once (getOnlyItem): list what there is.
      if (errorCode(e) !== "ItemNotFound" && ![...plans.values()].some((p) => p.mode === "only")) throw e;
    }
    if (!snapshot) snapshot = await this.readKnown(await this.discover());
    this.last = snapshot;
    return snapshot;
  }

  /** Lists the workbook's tables, keeping the contract's tables that exist, and the ids of the custom XML parts of each namespace. */
  private async discover(): Promise<Map<string, XmlPlan>> {
    return this.run(async (context) => {
      const tables = context.workbook.tables.load("items/name");
      const scoped = this.canXml
        ? XML_NAMESPACES.map((ns) => ({ ns, parts: context.workbook.customXmlParts.getByNamespace(ns).load("items/id") }))
        : [];
      await context.sync();
      const present = new Set(tables.items.map((t) => t.name.toLowerCase()));
      this.known = TABLES.map((t) => t.name).filter((n) => present.has(n.toLowerCase()));
      const plans = new Map<string, XmlPlan>();
      for (const s of scoped) {
        const ids = s.parts.items.map((p) => p.id);
        this.xmlMode.set(s.ns, ids.length === 1 ? "only" : "list");
        plans.set(s.ns, { mode: "ids", ids });
      }
      return plans;
    });
  }

  /** The known tables this read wants. */
  private wanted(): string[] {
    const only = this.readOpts.tables?.map((t) => t.toLowerCase());
    return only ? this.known.filter((n) => only.includes(n.toLowerCase())) : this.known;
  }

  private async readKnown(plans: Map<string, XmlPlan>): Promise<Snapshot> {
    let firstRows = FIRST_ROWS;
    const once = async () => {
      try {
        return await this.readOnce(plans, firstRows);
      } catch (e) {
        // A first batch over Excel on the web's payload limit (very long text in the first rows): smaller first slices.
        if (!PAYLOAD_ERRORS.has(errorCode(e) ?? "") || firstRows === FIRST_ROWS_SMALL) throw e;
        firstRows = FIRST_ROWS_SMALL;
        return this.readOnce(plans, firstRows);
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
  private async readOnce(plans: Map<string, XmlPlan>, firstRows: number): Promise<Snapshot | undefined> {
    const wanted = this.wanted();
    const result = await this.run(async (context) => {
      const sheets = context.workbook.worksheets.load("items/name");
      const all = context.workbook.tables.load("items/name");
      const parts = wanted.map((name) => {
        const table = context.workbook.tables.getItem(name);
        const cfs =
          this.canConditionalFormats && (this.readOpts.conditionalFormats ?? []).some((n) => n.toLowerCase() === name.toLowerCase())
            ? table
                .getRange()
                .conditionalFormats.load(
                  "items/id,items/type,items/customOrNullObject/rule/formula,items/customOrNullObject/format/fill/color",
                )
            : undefined;
        const whole = table.getRange();
        return {
          name,
          range: whole.load("rowCount,columnCount,rowIndex,columnIndex"),
          // The table's first rows exactly (the intersection never reaches below a short table).
          head: whole.getIntersection(table.getHeaderRowRange().getResizedRange(firstRows - 1, 0)).load("values"),
          lastRow: table.getDataBodyRange().getLastRow().load("formulas,numberFormat"),
          sheet: table.worksheet.load("name"),
          cfs,
        };
      });
      const names = context.workbook.names.load("items/name");
      // The log's hidden record (a hidden name) and every custom XML part's namespace (one that looks like the anchor is reported), same batch.
      const head = this.canNames ? context.workbook.names.getItemOrNullObject(LOG_HEAD_NAME).load("value") : undefined;
      const allXml = this.canXml ? context.workbook.customXmlParts.load("items/id,items/namespaceUri") : undefined;
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
      const only = this.readOpts.tables?.map((t) => t.toLowerCase());
      const appeared = TABLES.some(
        (t) => present.has(t.name.toLowerCase()) && !this.known.includes(t.name) && (!only || only.includes(t.name.toLowerCase())),
      );
      if (appeared) {
        this.known = TABLES.map((t) => t.name).filter((n) => present.has(n.toLowerCase()));
        return undefined; // a contract table was added meanwhile: read again with it
      }
      const tables = new Map<string, RawTable>();
      const formulaCols = new Map<string, Set<number>>();
      const rowFormulas = new Map<string, Map<number, string>>();
      const rowFormats = new Map<string, Map<number, string>>();
      const highlights = new Map<string, Highlight[]>();
      for (const p of parts) {
        const values = p.head.values as CellValue[][];
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
          headers: values[0].map((h) => String(h ?? "")),
          rows: values.slice(1).map((row) => row.map((v) => (v === "" ? null : v))),
          top: p.range.rowIndex,
          left: p.range.columnIndex,
        });
      }
      const found = new Map<string, XmlPart[]>(XML_NAMESPACES.filter((ns) => plans.has(ns)).map((ns) => [ns, []]));
      for (const x of xml) found.get(x.ns)!.push({ id: x.id(), xml: x.xml.value });
      const unread = listed.flatMap((l) => l.parts.items.map((p) => ({ ns: l.ns, id: p.id })));
      this.formulaCols = formulaCols;
      this.rowFormulas = rowFormulas;
      this.rowFormats = rowFormats;
      // Rules of ours an earlier version wrote with a relative column (office-js#5194): read again
      // from the range each was written on, in one more batch, only when the table has some.
      const relative = [...highlights].flatMap(([table, list]) => list.filter(ownRelative).map((h) => ({ table, h })));
      if (relative.length) {
        const own = relative.map(({ table, h }) => {
          const at = context.workbook.tables.getItem(table).getRange().conditionalFormats.getItem(h.id).getRange();
          return {
            h,
            at: at.load("columnIndex"),
            rules: at.conditionalFormats.load(
              "items/type,items/customOrNullObject/rule/formula,items/customOrNullObject/format/fill/color",
            ),
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
      this.highlights = highlights;
      const headText = head && !head.isNullObject ? String(head.value ?? "") : undefined;
      const lookalikes = (allXml?.items ?? [])
        .filter((p) => looksLikeAnchor(p.namespaceUri))
        .map((p) => ({ where: p.id, namespace: p.namespaceUri }));
      const snapshot: Snapshot = { tables, sheetNames: sheets.items.map((s) => s.name), names: names.items.map((n) => n.name) };
      const longer = parts
        .filter((p) => p.range.rowCount > values0(p.head).length)
        .map((p) => ({
          name: p.name,
          rows: p.range.rowCount,
          have: values0(p.head).length,
          perRow: jsonBytes(p.head.values) / Math.max(1, values0(p.head).length),
        }));
      return { longer, snapshot, found, unread, headText, lookalikes };
    });
    if (!result) return undefined;
    if (result.longer.length && !(await this.readRest(result.snapshot, result.longer))) return undefined;
    if (result.unread.length) {
      // Parts appeared in a namespace we had seen empty (a co-author's first append): their XML, once.
      await this.run(async (context) => {
        const texts = result.unread.map((u) => ({ ...u, xml: context.workbook.customXmlParts.getItem(u.id).getXml() }));
        await context.sync();
        for (const t of texts) result.found.get(t.ns)!.push({ id: t.id, xml: t.xml.value });
      });
    }
    for (const [ns, parts] of result.found) {
      this.xml.set(ns, parts);
      if (parts.length === 1) this.xmlMode.set(ns, "only");
    }
    result.snapshot.customXml = new Map([...result.found].filter(([, p]) => p.length).map(([ns, p]) => [ns, p[0].xml]));
    this.textNames = new Map(result.headText === undefined ? [] : [[LOG_HEAD_NAME, result.headText]]);
    if (this.canXml)
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
  private async readRest(snapshot: Snapshot, longer: { name: string; rows: number; have: number; perRow: number }[]): Promise<boolean> {
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
      const got = await this.run(async (context) => {
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

  async write(changes: ChangeSet): Promise<WriteResult> {
    const base = this.last;
    if (!base) throw new Error("read the workbook before writing to it");
    const canResize = this.isSetSupported("ExcelApi", "1.13");
    const canDataBar = this.isSetSupported("ExcelApi", "1.6");
    const canChart = this.isSetSupported("ExcelApi", "1.7");
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
      (t) => this.formulaCols.get(t.name.toLowerCase()) ?? new Set<number>(),
      (t) => this.rowFormulas.get(t.name.toLowerCase()) ?? new Map<number, string>(),
      (t) => this.rowFormats.get(t.name.toLowerCase()) ?? new Map<number, string>(),
    );
    const calc = plan.calculated;
    if (this.canConditionalFormats)
      for (const p of calc)
        if (p.cc.highlights?.length && !this.highlights.has(p.table.name.toLowerCase()))
          throw new Error(
            `read the conditional formats of ${p.table.name} before writing its calculated columns: read({ conditionalFormats: ["${p.table.name}"] })`,
          );
    const generated: Generated = { columns: [], highlights: [], replaced: [] };
    await this.run(async (context) => {
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

      const calcWrites = this.loadCalculated(context, calc, checks, written);

      // 2. Compare-and-swap on the custom XML parts the read saw (the log's anchor): deleting one that
      //    another client already replaced fails the batch here, before any cell is written.
      if (this.canXml)
        for (const x of changes.customXml ?? []) {
          for (const old of this.xml.get(x.namespace) ?? []) {
            context.workbook.customXmlParts.getItem(old.id).delete();
            deletedXml.push({ ns: x.namespace, xml: old.xml });
          }
        }
      // The hidden names (the log's hidden record), replaced here too, before any cell is written: a name
      // that a co-author deleted (getItem) or added (add) meanwhile fails the batch before the cells.
      if (this.canNames)
        for (const n of changes.names ?? []) {
          const before = this.textNames.get(n.name);
          if (before !== undefined) context.workbook.names.getItem(n.name).delete();
          context.workbook.names.add(n.name, textFormula(n.text)).visible = false;
          namesWritten.push({ name: n.name, before });
        }

      // 3. The writes.
      for (const add of plan.addColumns) {
        const t = tables.getItem(add.table.name);
        for (const header of add.headers) t.columns.add(null as unknown as number, undefined, header);
      }
      this.writeCalculated(context, calcWrites, generated);
      for (const { cell, range } of cellTargets) {
        if (cell.format) range.numberFormat = [[cell.format]];
        range.values = [[asCellValue(cell.value)]] as (string | number | boolean)[][];
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
      if (this.canXml) for (const x of changes.customXml ?? []) addedXml.push(context.workbook.customXmlParts.add(x.xml).load("id"));
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

    const conflicts: Conflict[] = [];
    const rawOf = (name: string): RawTable => {
      const raw = findTable(base, name);
      if (!raw) throw new Error(`no table ${name}`);
      return raw;
    };
    const headerAt = new Map<string, { sheet: string; top: number; left: number }>();
    for (const c of checks.filter((x) => x.row === -1)) {
      const raw = rawOf(c.table);
      const found = (c.range.values as CellValue[][])[0].map((h) => String(h ?? ""));
      if (
        found.join("\u0000") !== raw.headers.join("\u0000") &&
        !conflicts.some((x) => x.address === cellAddress(raw.sheet, raw.top, raw.left))
      )
        conflicts.push({
          table: raw.name,
          address: cellAddress(raw.sheet, raw.top, raw.left),
          expected: raw.headers.join(" | "),
          found: found.join(" | "),
        });
      headerAt.set(raw.name, { sheet: raw.sheet, top: raw.top, left: raw.left });
    }
    for (const c of checks.filter((x) => x.row >= 0)) {
      const raw = rawOf(c.table);
      const values = c.range.values as CellValue[][];
      const formulas = c.blank ? (c.range.formulas as CellValue[][]) : undefined;
      c.expected.forEach((row, r) =>
        row.forEach((want, col) => {
          const have = loaded(values[r]?.[col]);
          const bad = c.blank ? have !== null || loaded(formulas![r]?.[col]) !== null : !sameValue(want, have);
          if (c.skip?.has(col)) return;
          const address = cellAddress(raw.sheet, raw.top + 1 + c.row + r, raw.left + (c.col ?? 0) + col);
          if (bad && !conflicts.some((x) => x.address === address))
            conflicts.push({ table: raw.name, address, expected: want, found: have });
        }),
      );
    }
    for (const r of generated.replaced) {
      if (!r.expected || !r.seen || !r.at) continue;
      const formula = r.seen.customOrNullObject.rule.formula;
      const fill = String(r.seen.customOrNullObject.format.fill.color ?? "").toUpperCase();
      if (formula !== r.expected.formula || fill !== r.expected.fill.toUpperCase()) {
        // Not the add-in's highlight any more (the priorities moved since the read): a conflict; the roll-back reports it.
        conflicts.push({
          table: r.table,
          address: r.at.address,
          expected: `${r.expected.formula} ${r.expected.fill}`,
          found: `${formula} ${fill}`,
        });
        r.expected = { ...r.expected, formula, fill };
      }
    }
    if (this.canXml && changes.customXml?.length) {
      // What a following write replaces, without a re-read.
      for (const x of changes.customXml) this.xml.set(x.namespace, []);
      changes.customXml.forEach((x, i) => this.xml.get(x.namespace)!.push({ id: addedXml[i].id, xml: x.xml }));
      for (const x of changes.customXml) if (this.xml.get(x.namespace)!.length === 1) this.xmlMode.set(x.namespace, "only");
    }
    for (const n of namesWritten) this.textNames.set(n.name, changes.names?.find((x) => x.name === n.name)?.text ?? "");
    if (!conflicts.length) {
      // What a following write replaces, without a re-read.
      // The priorities the read listed are stale now: a following write of calculated columns reads them again.
      for (const t of new Set([...generated.replaced, ...generated.highlights].map((x) => x.table.toLowerCase())))
        this.highlights.delete(t);
      for (const p of calc) {
        const set = this.formulaCols.get(p.table.name.toLowerCase()) ?? new Set<number>();
        set.add(p.col);
        this.formulaCols.set(p.table.name.toLowerCase(), set);
      }
      return { conflicts };
    }
    const unrestored = await this.restore(written, sizes, canResize, addedXml, deletedXml, generated, namesWritten);
    for (const n of namesWritten)
      if (n.before === undefined) this.textNames.delete(n.name);
      else this.textNames.set(n.name, n.before);
    if (this.canXml) for (const x of changes.customXml ?? []) this.xml.delete(x.namespace); // unknown now: the next read finds them
    return unrestored.length ? { conflicts, unrestored } : { conflicts };
  }

  /**
   * Loads, before anything is written: the whole header row of each table getting calculated
   * columns (a column inserted, renamed or added meanwhile is a conflict: the highlights' A1
   * formulas and the new columns' places were computed from the read), and the data body of
   * each existing column (to put it back on a conflict).
   */
  private loadCalculated(context: Excel.RequestContext, calc: CalculatedPlan[], checks: Check[], written: Written[]): CalcWrite[] {
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
        ? (this.highlights.get(p.table.name.toLowerCase()) ?? []).filter((h) => highlightColumn(h) === p.table.left + p.col)
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
  private writeCalculated(context: Excel.RequestContext, writes: CalcWrite[], generated: Generated): void {
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
    if (!this.canConditionalFormats) return;
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

  /** Adds workbook-level names (the short formula names); existing names are left alone. One read, one write. */
  async addNames(defs: { name: string; formula: string; comment: string }[]): Promise<{ added: string[]; kept: string[] }> {
    const present = await this.run(async (context) => {
      const names = context.workbook.names.load("items/name");
      await context.sync();
      return new Set(names.items.map((n) => n.name.toLowerCase()));
    });
    const added = defs.filter((d) => !present.has(d.name.toLowerCase()));
    if (added.length)
      await this.run(async (context) => {
        for (const d of added) context.workbook.names.add(d.name, d.formula, d.comment);
        await context.sync();
      });
    return { added: added.map((d) => d.name), kept: defs.filter((d) => present.has(d.name.toLowerCase())).map((d) => d.name) };
  }

  /**
   * Puts back what the written ranges held before our write (in reverse order), the tables'
   * sizes and the custom XML parts we replaced: one batch. Text goes back as text, formulas
   * only where there was a formula. Returns the cells it could not confirm: where, when it ran,
   * something else than what we wrote was found (a co-author moved the rows in between).
   */
  private async restore(
    written: Written[],
    sizes: { table: string; before: Excel.Range; cols: number }[],
    canResize: boolean,
    addedXml: Excel.CustomXmlPart[],
    deletedXml: { ns: string; xml: string }[],
    generated: Generated = { columns: [], highlights: [], replaced: [] },
    namesWritten: { name: string; before: string | undefined }[] = [],
  ): Promise<string[]> {
    const seen: { w: Written; now: Excel.Range }[] = [];
    const unrestored: string[] = [];
    try {
      await this.run(async (context) => {
        const origin = (table: string) => context.workbook.tables.getItem(table).getHeaderRowRange().getCell(0, 0);
        for (const w of [...written].reverse()) {
          let range = origin(w.table).getOffsetRange(1 + w.row, w.col);
          if (w.rows > 1 || w.cols > 1) range = range.getResizedRange(w.rows - 1, w.cols - 1);
          seen.push({ w, now: range.load(w.formulas ? "formulas" : "values") });
          const values = w.before.values as unknown[][];
          const formulas = w.before.formulas as unknown[][];
          const formats = w.before.numberFormat as string[][];
          const plans = values.map((row, r) => row.map((v, c) => restorePlan(v, formulas[r][c], formats[r][c])));
          if (plans.some((row) => row.some((p) => p.textFirst)))
            range.numberFormat = plans.map((row, r) => row.map((p, c) => (p.textFirst ? "@" : formats[r][c])));
          range.values = plans.map((row) => row.map((p) => p.value ?? "")) as (string | number | boolean)[][];
          range.numberFormat = formats;
        }
        if (canResize)
          for (const s of sizes)
            context.workbook.tables
              .getItem(s.table)
              .resize(origin(s.table).getResizedRange(Math.max(1, s.before.rowCount - 1), s.cols - 1));
        for (const part of addedXml) context.workbook.customXmlParts.getItem(part.id).delete();
        // Calculated columns: the highlights added, then the columns added (their formulas went back above).
        // From each column's own collection (where their ids were read), lowest priority first.
        for (const g of [...generated.highlights].sort((a, b) => Number(b.cf.id) - Number(a.cf.id)))
          context.workbook.tables
            .getItem(g.table)
            .columns.getItem(g.header)
            .getDataBodyRange()
            .conditionalFormats.getItem(g.cf.id)
            .delete();
        for (const c of [...generated.columns].reverse()) context.workbook.tables.getItem(c.table).columns.getItem(c.header).delete();
        for (const d of deletedXml) context.workbook.customXmlParts.add(d.xml);
        for (const n of namesWritten) {
          context.workbook.names.getItem(n.name).delete();
          if (n.before !== undefined) context.workbook.names.add(n.name, textFormula(n.before)).visible = false;
        }
        await context.sync();
      });
    } catch (e) {
      unrestored.push(`roll-back failed: ${(e as Error).message}`);
    }
    for (const { w, now } of seen) {
      let values: CellValue[][];
      try {
        values = (w.formulas ? now.formulas : now.values) as CellValue[][];
      } catch {
        continue;
      }
      w.wrote.forEach((row, r) =>
        row.forEach((want, c) => {
          if (!sameValue(want, loaded(values[r]?.[c]))) unrestored.push(`${w.table} row ${w.row + r + 1}, column ${w.col + c + 1}`);
        }),
      );
    }
    // The add-in's own highlights deleted by the write cannot be brought back as they were.
    for (const key of new Set(generated.replaced.map((r) => `${r.table}: ${r.header}`)))
      unrestored.push(`${key} (highlights: add the deadline columns again)`);
    // A format deleted that was not the add-in's (the priorities moved between the read and the write): its rule, to add back by hand.
    for (const r of generated.replaced)
      if (r.at && r.expected && highlightColumn(r.expected) === undefined)
        unrestored.push(`${r.at.address}: conditional format ${r.expected.formula} (${r.expected.fill}) was deleted`);
    return unrestored;
  }
}
