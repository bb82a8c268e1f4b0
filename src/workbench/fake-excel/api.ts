/**
 * A strict, in-memory fake of the Office.js subset Planning Desk uses (`Excel.run`,
 * workbook, worksheets, tables, ranges, names, change events).
 *
 * Like Excel, it is a proxy model: calls queue commands, `context.sync()` runs them in
 * order, and only then are loaded properties readable. Reading a property that was not
 * loaded and synced throws PropertyNotLoaded; a `values` array of the wrong shape, a
 * missing item or an overlapping table fails the sync with Excel's error codes. Strings
 * written starting with "=" become formulas, a leading apostrophe keeps text as text.
 * It counts `sync()` calls, so tests can assert round trips.
 *
 * Requirement sets: every API the add-in uses is checked against the ExcelApi version the
 * fake claims (`FakeExcel.apiVersion`); one above it throws `ApiNotFound` when called, as
 * Excel's host rejects it (stricter: Excel fails at the sync). The versions are those of
 * Microsoft's reference (learn.microsoft.com/javascript/api/excel, "API set" of each member).
 *
 * Co-authors' structural edits (rows inserted or deleted, a table sorted, rows swapped, a
 * sheet renamed) move cells and tables as Excel does: see WorkbookState. Custom XML parts
 * (ExcelApi 1.5) follow Office.js: `getByNamespace` returns a scoped collection,
 * `getXml()` a ClientResult readable only after the sync, `getOnlyItem()` fails unless
 * exactly one part matches, and a method called on a null object fails the sync.
 */
import { FakeContext, FakeHost, WEB_PAYLOAD_LIMIT, versionAtLeast } from "./context";
import { WorkbookState } from "./state";

// The rooms of the fake, by object family; what tests and the workbench import comes from here.
export { FakeClientResult, parseAddress, rangeAddress } from "./proxy";
export { FakeContext, FakeWorkbook, WEB_PAYLOAD_LIMIT, payloadBytes, versionAtLeast } from "./context";
export type { FakeHost } from "./context";
export { FakeCustomXmlPart, FakeCustomXmlPartCollection, FakeCustomXmlPartScopedCollection } from "./custom-xml";
export { FakeNamedItem, FakeNamedItemCollection } from "./names";
export { FakeProtection, FakeWorksheet, FakeWorksheetCollection } from "./worksheets";
export type { ChartRecord } from "./worksheets";
export { FakeTable, FakeTableCollection, FakeTableColumn } from "./tables";
export { FakeRange, coerceTyped } from "./range";
export { FakeConditionalFormat, FakeConditionalFormatCollection } from "./conditional-formats";

/** An in-memory Excel: `run` is its `Excel.run`; `syncs` counts round trips. */
export class FakeExcel {
  readonly state = new WorkbookState();
  /** Supported requirement sets, as `Office.context.requirements.isSetSupported` would answer. */
  apiVersion = "1.13";

  /** Round trips of this client (`run`); the co-author's are counted apart. */
  readonly counter: FakeHost = {
    syncs: 0,
    version: () => this.apiVersion,
    payloadLimit: () => this.payloadLimit,
    largest: { request: 0, response: 0 },
    beforeBatch: () => {
      if (this.undoable) this.pending = this.state.captureUndo();
    },
    afterBatch: () => {
      const before = this.pending;
      this.pending = undefined;
      if (before && this.state.changedSince(before)) this.undoStack.push(before);
    },
  };
  private readonly coauthorCounter: FakeHost = { syncs: 0, version: () => this.apiVersion, payloadLimit: () => this.payloadLimit };

  /**
   * The payload limit of Excel on the web (5 MB per request and per response, see
   * WEB_PAYLOAD_LIMIT): ON by default, as the strictest host; `undefined` turns it off
   * (desktop Excel). `counter.largest` holds the largest request and response seen.
   */
  payloadLimit: number | undefined = WEB_PAYLOAD_LIMIT;

  /**
   * Undo (Ctrl+Z) of this client's batches: add-in writes are on Excel's undo stack since
   * ExcelApi 1.20 ("Undo support for add-in writes"), and undo takes back cells, rows, tables,
   * names and conditional formats but not custom XML parts (OfficeDev/office-js#6415). Off by
   * default (costs a copy of the workbook per batch); a test turns it on, then `undo()` takes
   * back the last batch of this client that changed something.
   */
  undoable = false;
  private undoStack: ReturnType<WorkbookState["captureUndo"]>[] = [];
  private pending: ReturnType<WorkbookState["captureUndo"]> | undefined;

  /** Takes back the last batch of this client that changed the workbook (see `undoable`); its custom XML parts stay as they are. Emits a local change for each sheet it touched. */
  undo(): void {
    if (!this.undoable) throw new Error("turn undo on first: excel.undoable = true");
    const point = this.undoStack.pop();
    if (!point) throw new Error("nothing to undo");
    for (const name of this.state.restoreUndo(point)) this.state.emit(name, `${name}!A1`, "Local");
  }

  get syncs(): number {
    return this.counter.syncs;
  }

  /** Called at every round trip of either client, before the batch's commands run: tests interleave here. */
  set onSync(hook: FakeHost["onSync"]) {
    this.counter.onSync = hook;
    this.coauthorCounter.onSync = hook;
  }

  async run<T>(batch: (context: FakeContext) => Promise<T>): Promise<T> {
    return batch(new FakeContext(this.state, this.counter));
  }

  /** A second client on the same workbook (a co-author): its writes arrive as remote changes. */
  async runAsCoauthor<T>(batch: (context: FakeContext) => Promise<T>): Promise<T> {
    return batch(new FakeContext(this.state, this.coauthorCounter, "Remote"));
  }

  isSetSupported(name: string, version: string): boolean {
    return name === "ExcelApi" && versionAtLeast(this.apiVersion, version);
  }

  /** A new in-memory Excel holding a copy of this workbook (tests start many runs from one seeded workbook). */
  fork(): FakeExcel {
    const copy = new FakeExcel();
    copy.apiVersion = this.apiVersion;
    copy.payloadLimit = this.payloadLimit;
    copy.state.copyFrom(this.state);
    return copy;
  }
}
