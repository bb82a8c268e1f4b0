/** What the Office.js adapter (office.ts) keeps between a read and the next write: the shared state of its rooms. */
import { LOG_ANCHOR_NS } from "../core/workflow/log";
import type { CellValue, Snapshot } from "./port";
import { TABLES } from "./schema";

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** The custom XML parts Planning Desk reads and writes, by root namespace. */
export const XML_NAMESPACES = [LOG_ANCHOR_NS];

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
  /**
   * The whole Countersign Log, not only the rows after those the last read had (office-read.ts
   * reads it incrementally): what "Verify log" asks for, since an edit inside the rows read
   * before is only seen by reading them again.
   */
  full?: boolean;
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
export interface Highlight {
  id: string;
  formula: string;
  fill: string;
  left: number;
  column?: number;
}

export type XmlPart = { id: string; xml: string };
/** How a read gets a namespace's parts: the only one (fails otherwise), these ids, or list the ids (XML in a further batch). */
export type XmlPlan = { mode: "only" } | { mode: "ids"; ids: string[] } | { mode: "list" };

export class OfficeSession {
  known: string[] = TABLES.map((t) => t.name);
  last: Snapshot | undefined;
  /** The custom XML parts of the last read, by namespace (their ids are what a write replaces). */
  xml = new Map<string, XmlPart[]>();
  xmlMode = new Map<string, "only" | "list">();
  /** The hidden text names of the last read (the log's hidden record), by name: their value; absent when the workbook has none. */
  textNames = new Map<string, string>();
  /** Per table (lower-case name), the columns whose last data row held a formula at the last read. */
  formulaCols = new Map<string, Set<number>>();
  /** Per table (lower-case name), column → the last data row's formula, where it is the same in every row (structured references only). */
  rowFormulas = new Map<string, Map<number, string>>();
  /** Per table (lower-case name), column → the last data row's number format at the last read. */
  rowFormats = new Map<string, Map<number, string>>();
  /** Per table (lower-case name), its custom conditional formats, where the last read listed them. */
  highlights = new Map<string, Highlight[]>();
  readOpts: ReadOptions = {};
  /** Per table (lower-case name): its data rows at the last read and their bytes per row as JSON (office-read.ts sizes the next read's first batch by them). */
  sizes = new Map<string, { rows: number; perRow: number }>();
  /** The Countersign Log's header and rows as the last read had them: the next read fetches only the rows after them (office-read.ts). */
  logRows: { headers: string[]; rows: CellValue[][] } | undefined;

  constructor(
    readonly run: ExcelRun,
    readonly isSetSupported: (name: string, version: string) => boolean = (n, v) => Office.context.requirements.isSetSupported(n, v),
    /** From how many log rows the log is read incrementally (office-read.ts INCREMENTAL_FROM; tests lower it). */
    readonly incrementalFrom = 1000,
  ) {}

  get canXml(): boolean {
    return this.isSetSupported("ExcelApi", "1.5");
  }

  /** NamedItemCollection.getItemOrNullObject, NamedItem.delete: ExcelApi 1.4. */
  get canNames(): boolean {
    return this.isSetSupported("ExcelApi", "1.4");
  }

  get canConditionalFormats(): boolean {
    return this.isSetSupported("ExcelApi", "1.6");
  }
}
