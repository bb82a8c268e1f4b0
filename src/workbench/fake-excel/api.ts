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
import { parseDateText, parseMonthKey } from "../../core/calendar/serial";
import { columnLetter, parseRangeRef } from "../../workbook/port";
import { rootNamespace as rootNamespaceOf } from "./state";
import { Cell, ChartState, ConditionalFormatState, CustomXmlState, ExcelError, SheetState, TableState, Value, WorkbookState, shiftFormula } from "./state";

type Op = () => void;

function sheetRef(name: string): string {
  return /^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function rangeAddress(sheet: string, top: number, left: number, rows: number, cols: number): string {
  const a = `${columnLetter(left)}${top + 1}`;
  const b = `${columnLetter(left + cols - 1)}${top + rows}`;
  return `${sheetRef(sheet)}!${a === b ? a : `${a}:${b}`}`;
}

/** Parses "A1", "A1:C3", "Sheet1!A1:C3" into 0-based bounds. */
export function parseAddress(address: string): { sheet?: string; top: number; left: number; bottom: number; right: number } {
  const bang = address.lastIndexOf("!");
  const sheet = bang >= 0 ? address.slice(0, bang).replace(/^'(.*)'$/, "$1").replace(/''/g, "'") : undefined;
  const bounds = parseRangeRef(bang >= 0 ? address.slice(bang + 1) : address);
  if (!bounds) throw new ExcelError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: ${address}`);
  return { sheet, ...bounds };
}

/**
 * Excel on the web refuses a batch whose request or response is over 5 MB ("Resource limits and
 * performance optimization for Office Add-ins", Excel add-ins: "Excel on the web has a payload
 * size limit for requests and responses of 5MB. RichAPI.Error will be triggered if that limit is
 * exceeded.", https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins).
 * The fake counts each batch's payload as JSON: what it writes (values, formulas, number
 * formats, XML) and what it loads.
 */
export const WEB_PAYLOAD_LIMIT = 5 * 1024 * 1024;

/** What a context needs from its Excel: the round-trip counter, the claimed ExcelApi version and a hook run at every round trip. */
export interface FakeHost {
  syncs: number;
  version(): string;
  /** Bytes over which a batch's request or response is refused (undefined: no limit, as desktop Excel). */
  payloadLimit?(): number | undefined;
  /** The largest request and response seen, in bytes (JSON of the cells and XML). */
  largest?: { request: number; response: number };
  /** Around each local batch that has commands (the fake's undo keeps what it changed). */
  beforeBatch?: () => void;
  afterBatch?: () => void;
  /** Runs while the batch is on its way, before its commands execute (tests interleave other clients and co-authors here). */
  onSync?: (source: "Local" | "Remote") => Promise<void> | void;
}

/** Does ExcelApi `have` include `want`? Versions compare part by part: 1.6 is older than 1.13. */
export function versionAtLeast(have: string, want: string): boolean {
  const [hm, hn = 0] = String(have).split(".").map(Number);
  const [wm, wn = 0] = String(want).split(".").map(Number);
  return hm > wm || (hm === wm && hn >= wn);
}

const utf8 = new TextEncoder();

/** The size of a value as Office.js sends it (JSON), in bytes of UTF-8. TextEncoder, not Node's Buffer: the fake runs in the workbench's page too. */
export function payloadBytes(v: unknown): number {
  if (v === undefined) return 0;
  return utf8.encode(JSON.stringify(v) ?? "").length;
}

export class FakeContext {
  private queue: Op[] = [];
  /** This batch's payload so far: what its commands send, what its loads bring back. */
  private requestBytes = 0;
  private responseBytes = 0;
  readonly workbook: FakeWorkbook;
  constructor(
    readonly state: WorkbookState,
    readonly counter: FakeHost,
    readonly source: "Local" | "Remote" = "Local",
  ) {
    this.workbook = new FakeWorkbook(this);
  }

  /** Throws ApiNotFound when `what` needs a newer ExcelApi than the fake claims. */
  requires(version: string, what: string): void {
    if (!versionAtLeast(this.counter.version(), version))
      throw new ExcelError("ApiNotFound", `The API you are trying to use could not be found (${what} needs ExcelApi ${version}; this Excel supports ${this.counter.version()}).`);
  }

  enqueue(op: Op, requestBytes = 0): void {
    this.queue.push(op);
    this.requestBytes += requestBytes;
  }

  /** A load's answer: counted into the batch's response. */
  responded(v: unknown): void {
    this.responseBytes += payloadBytes(v);
  }

  /**
   * Runs the queued commands. Like Excel, a failing command fails the sync: the commands before
   * it took effect, the ones after it did not run. A request over the payload limit is refused
   * before anything runs; a response over it fails the sync after the commands ran (what was
   * loaded is not delivered: the proxies' values stay unreadable to a careful caller).
   */
  async sync(): Promise<void> {
    this.counter.syncs++;
    const ops = this.queue;
    const request = this.requestBytes;
    this.queue = [];
    this.requestBytes = 0;
    this.responseBytes = 0;
    const limit = this.counter.payloadLimit?.();
    if (limit !== undefined && request > limit)
      throw new ExcelError("RequestPayloadSizeLimitExceeded", `The request payload size has exceeded the limit (${request} bytes > ${limit}). Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".`);
    if (this.counter.largest) this.counter.largest.request = Math.max(this.counter.largest.request, request);
    await Promise.resolve(); // a round trip: other clients may act in between
    await this.counter.onSync?.(this.source);
    if (ops.length && this.source === "Local") this.counter.beforeBatch?.();
    try {
      for (const op of ops) op();
    } finally {
      if (ops.length && this.source === "Local") this.counter.afterBatch?.();
    }
    const response = this.responseBytes;
    this.responseBytes = 0;
    if (this.counter.largest) this.counter.largest.response = Math.max(this.counter.largest.response, response);
    if (limit !== undefined && response > limit)
      throw new ExcelError("ResponsePayloadSizeLimitExceeded", `The response payload size has exceeded the limit (${response} bytes > ${limit}). Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".`);
  }
}

/** OfficeExtension.ClientResult: a method's result, readable after the sync. */
export class FakeClientResult<T> {
  private done = false;
  private v: T | undefined;
  set(v: T): void {
    this.v = v;
    this.done = true;
  }
  get value(): T {
    if (!this.done) throw new ExcelError("PropertyNotLoaded", "The value of the result object has not been loaded yet. Before reading the value property, call \"context.sync()\" on the associated request context.");
    return this.v as T;
  }
}

/** Base of every proxy: `load` and strict reads of loaded properties. */
abstract class Proxy<T> {
  private readonly loaded = new Map<string, unknown>();
  private pending = new Set<string>();
  constructor(
    readonly context: FakeContext,
    protected readonly resolve: () => T,
  ) {}

  protected abstract read(target: T, prop: string): unknown;

  load(props?: string | string[] | { select?: string }): this {
    const list = (typeof props === "string" ? props.split(",") : Array.isArray(props) ? props : (props?.select?.split(",") ?? []))
      .map((p) => p.trim())
      .filter(Boolean);
    for (const p of list) this.pending.add(p);
    this.context.enqueue(() => {
      const target = this.resolve();
      for (const p of list) {
        const v = this.read(target, p);
        this.context.responded(v);
        this.loaded.set(p, v);
      }
    });
    return this;
  }

  protected loadedValue(prop: string): unknown {
    if (!this.loaded.has(prop)) {
      throw new ExcelError(
        "PropertyNotLoaded",
        `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this.loaded.get(prop);
  }
}

export class FakeWorkbook {
  readonly worksheets: FakeWorksheetCollection;
  readonly tables: FakeTableCollection;
  readonly names: FakeNamedItemCollection;
  private parts: FakeCustomXmlPartCollection | undefined;
  /**
   * Excel.Application: `calculate(type)` (ExcelApi 1.1) recalculates every open workbook;
   * the fake records it in `state.calculations` as "Application:<type>".
   */
  application = {
    calculate: (type: string) => this.context.enqueue(() => void this.context.state.calculations.push(`Application:${type}`)),
  };
  constructor(readonly context: FakeContext) {
    this.worksheets = new FakeWorksheetCollection(context);
    this.tables = new FakeTableCollection(context, () => context.state.tables);
    this.names = new FakeNamedItemCollection(context);
  }
  /** ExcelApi 1.5. */
  get customXmlParts(): FakeCustomXmlPartCollection {
    this.context.requires("1.5", "Workbook.customXmlParts");
    return (this.parts ??= new FakeCustomXmlPartCollection(this.context, () => this.context.state.customXml));
  }
}

/** A custom XML part, or (from an *OrNullObject method) possibly none. */
export class FakeCustomXmlPart {
  private loaded = new Map<string, unknown>();
  constructor(
    readonly context: FakeContext,
    private readonly find: () => CustomXmlState | undefined,
    private readonly orNull = false,
    private readonly missing: () => ExcelError = () => new ExcelError("ItemNotFound", "The requested resource doesn't exist. (custom XML part)"),
  ) {
    if (orNull) context.enqueue(() => void this.loaded.set("isNullObject", this.find() === undefined));
  }
  /** A property loaded with its collection (`items/id`). */
  preload(k: string, v: unknown): void {
    this.loaded.set(k, v);
  }
  private part(): CustomXmlState {
    const p = this.find();
    if (!p) throw this.orNull ? new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).") : this.missing();
    return p;
  }
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      const p = this.orNull ? this.find() : this.part();
      for (const k of list) {
        if (k !== "id" && k !== "namespaceUri") throw new ExcelError("InvalidArgument", `Unknown property ${k}`);
        this.loaded.set(k, p ? p[k] : null);
      }
    });
    return this;
  }
  private get(k: string): unknown {
    if (!this.loaded.has(k)) throw new ExcelError("PropertyNotLoaded", `The property '${k}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
    return this.loaded.get(k);
  }
  get id(): string {
    return this.get("id") as string;
  }
  get namespaceUri(): string {
    return this.get("namespaceUri") as string;
  }
  get isNullObject(): boolean {
    return this.orNull ? (this.get("isNullObject") as boolean) : false;
  }
  getXml(): FakeClientResult<string> {
    const r = new FakeClientResult<string>();
    this.context.enqueue(() => {
      const xml = this.part().xml;
      this.context.responded(xml);
      r.set(xml);
    });
    return r;
  }
  setXml(xml: string): void {
    this.context.enqueue(() => {
      const p = this.part();
      const ns = rootNamespaceOf(xml);
      p.xml = xml;
      p.namespaceUri = ns;
    }, payloadBytes(xml));
  }
  delete(): void {
    this.context.enqueue(() => {
      const p = this.part();
      const all = this.context.state.customXml;
      all.splice(all.indexOf(p), 1);
    });
  }
}

abstract class FakeXmlParts {
  protected list: FakeCustomXmlPart[] = [];
  private loadedItems = false;
  constructor(
    readonly context: FakeContext,
    protected readonly scope: () => CustomXmlState[],
  ) {}
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      this.list = this.scope().map((p) => {
        const proxy = new FakeCustomXmlPart(this.context, () => this.context.state.customXml.find((x) => x === p));
        for (const k of list.filter((x) => x.startsWith("items/")).map((x) => x.slice(6))) {
          if (k !== "id" && k !== "namespaceUri") throw new ExcelError("InvalidArgument", `Unknown property ${k}`);
          proxy.preload(k, p[k]);
        }
        return proxy;
      });
      this.loadedItems = true;
    });
    return this;
  }
  get items(): FakeCustomXmlPart[] {
    if (!this.loadedItems) throw new ExcelError("PropertyNotLoaded", "The property 'items' is not available. Before reading the property's value, call the load method on the containing object and call \"context.sync()\" on the associated request context.");
    return this.list;
  }
  getCount(): FakeClientResult<number> {
    const r = new FakeClientResult<number>();
    this.context.enqueue(() => r.set(this.scope().length));
    return r;
  }
  getItem(id: string): FakeCustomXmlPart {
    return new FakeCustomXmlPart(this.context, () => this.scope().find((p) => p.id.toLowerCase() === id.toLowerCase()));
  }
  getItemOrNullObject(id: string): FakeCustomXmlPart {
    return new FakeCustomXmlPart(this.context, () => this.scope().find((p) => p.id.toLowerCase() === id.toLowerCase()), true);
  }
}

export class FakeCustomXmlPartCollection extends FakeXmlParts {
  add(xml: string): FakeCustomXmlPart {
    let created: CustomXmlState | undefined;
    this.context.enqueue(() => {
      created = this.context.state.addCustomXml(xml);
    }, payloadBytes(xml));
    return new FakeCustomXmlPart(this.context, () => (created && this.context.state.customXml.includes(created) ? created : undefined), false, () => new ExcelError("GeneralException", "The custom XML part was not created."));
  }
  getByNamespace(namespaceUri: string): FakeCustomXmlPartScopedCollection {
    return new FakeCustomXmlPartScopedCollection(this.context, () => this.context.state.customXml.filter((p) => p.namespaceUri === namespaceUri));
  }
}

export class FakeCustomXmlPartScopedCollection extends FakeXmlParts {
  /** The only part in scope; fails the sync when there are none or several. */
  getOnlyItem(): FakeCustomXmlPart {
    return new FakeCustomXmlPart(this.context, () => {
      const all = this.scope();
      if (all.length !== 1) throw new ExcelError(all.length ? "InvalidOperation" : "ItemNotFound", `The collection has ${all.length} items, not exactly one.`);
      return all[0];
    });
  }
  getOnlyItemOrNullObject(): FakeCustomXmlPart {
    return new FakeCustomXmlPart(this.context, () => {
      const all = this.scope();
      return all.length === 1 ? all[0] : undefined;
    }, true);
  }
}

export class FakeNamedItemCollection extends Proxy<Map<string, string>> {
  private names: { name: string; formula: string }[] = [];
  constructor(context: FakeContext) {
    super(context, () => context.state.names);
  }
  protected read(target: Map<string, string>, prop: string): unknown {
    if (prop === "items" || prop.startsWith("items/")) {
      this.names = [...target.entries()].map(([name, formula]) => ({ name, formula }));
      return true;
    }
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get items(): { name: string; formula: string }[] {
    this.loadedValue("items/name");
    return this.names;
  }
  /** ExcelApi 1.4: fails the sync with ItemAlreadyExists when the name exists (names compare case-insensitively). */
  add(name: string, reference: string, comment?: string): FakeNamedItem {
    void comment;
    this.context.requires("1.4", "NamedItemCollection.add");
    this.context.enqueue(() => {
      if (this.context.state.names.has(name.toLowerCase())) throw new ExcelError("ItemAlreadyExists", `The name "${name}" already exists.`);
      this.context.state.names.set(name.toLowerCase(), reference);
    });
    return new FakeNamedItem(this.context, name, false);
  }
  /** ExcelApi 1.1: a method or property of a missing name fails the sync with ItemNotFound. */
  getItem(name: string): FakeNamedItem {
    return new FakeNamedItem(this.context, name, false);
  }
  /** ExcelApi 1.4. */
  getItemOrNullObject(name: string): FakeNamedItem {
    this.context.requires("1.4", "NamedItemCollection.getItemOrNullObject");
    return new FakeNamedItem(this.context, name, true);
  }
}

/**
 * A workbook-level name (Excel.NamedItem). `value` is what its formula computes for a constant
 * (`="abc"` gives abc, `=4.5` gives 4.5) and the formula otherwise (a reference's address);
 * `formula` (ExcelApi 1.7) the formula; `visible` (1.1) can be set; `delete()` is ExcelApi 1.4.
 * Methods and property writes on a null object fail the sync (InvalidOperation).
 */
export class FakeNamedItem {
  private loaded = new Map<string, unknown>();
  constructor(
    readonly context: FakeContext,
    private readonly name: string,
    private readonly orNull: boolean,
  ) {
    if (orNull) context.enqueue(() => void this.loaded.set("isNullObject", !context.state.names.has(name.toLowerCase())));
  }
  private key(): string {
    const k = this.name.toLowerCase();
    if (!this.context.state.names.has(k))
      throw this.orNull ? new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).") : new ExcelError("ItemNotFound", `The requested resource doesn't exist. (name ${this.name})`);
    return k;
  }
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    for (const k of list) if (k === "formula") this.context.requires("1.7", "NamedItem.formula");
    this.context.enqueue(() => {
      const k = this.orNull && !this.context.state.names.has(this.name.toLowerCase()) ? undefined : this.key();
      const formula = k === undefined ? undefined : (this.context.state.names.get(k) ?? "");
      for (const p of list) {
        if (p === "name") this.loaded.set(p, k === undefined ? null : this.name);
        else if (p === "formula") this.loaded.set(p, formula ?? null);
        else if (p === "value") this.loaded.set(p, formula === undefined ? null : constantOf(formula));
        else if (p === "visible") this.loaded.set(p, k === undefined ? null : !this.context.state.hiddenNames.has(k));
        else if (p === "type") this.loaded.set(p, formula === undefined ? null : typeof constantOf(formula) === "number" ? "Double" : /^=\s*"/.test(formula) ? "String" : "Range");
        else throw new ExcelError("InvalidArgument", `Unknown property ${p}`);
      }
    });
    return this;
  }
  private get(p: string): unknown {
    if (!this.loaded.has(p)) throw new ExcelError("PropertyNotLoaded", `The property '${p}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
    return this.loaded.get(p);
  }
  get isNullObject(): boolean {
    return this.orNull ? (this.get("isNullObject") as boolean) : false;
  }
  get value(): unknown {
    return this.get("value");
  }
  get formula(): string {
    return this.get("formula") as string;
  }
  set formula(f: string) {
    this.context.requires("1.7", "NamedItem.formula");
    this.context.enqueue(() => void this.context.state.names.set(this.key(), f));
  }
  get visible(): boolean {
    return this.get("visible") as boolean;
  }
  set visible(v: boolean) {
    this.context.enqueue(() => {
      const k = this.key();
      if (v) this.context.state.hiddenNames.delete(k);
      else this.context.state.hiddenNames.add(k);
    });
  }
  delete(): void {
    this.context.requires("1.4", "NamedItem.delete");
    this.context.enqueue(() => {
      const k = this.key();
      this.context.state.names.delete(k);
      this.context.state.hiddenNames.delete(k);
    });
  }
}

/** What a name's formula computes when it is a constant: a string (quotes undone) or a number; else the formula itself. */
function constantOf(formula: string): string | number {
  const body = formula.replace(/^=\s*/, "");
  const text = /^"((?:[^"]|"")*)"$/.exec(body);
  if (text) return text[1].replace(/""/g, '"');
  return /^-?\d+(\.\d+)?$/.test(body) ? Number(body) : formula;
}

export class FakeWorksheetCollection extends Proxy<SheetState[]> {
  private itemProxies: FakeWorksheet[] = [];
  /**
   * WorksheetCollection.onChanged: ExcelApi 1.9 (Worksheet.onChanged is 1.7). As in Office.js,
   * `add` takes effect at the sync, and the handler is removed by `remove()` on the context that
   * added it, at that context's next sync ("Remove an event handler": the same RequestContext,
   * https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-events#remove-an-event-handler):
   * a `remove()` never synced on its own context leaves the handler registered.
   */
  get onChanged() {
    this.context.requires("1.9", "WorksheetCollection.onChanged");
    const context = this.context;
    return {
      add: (handler: (e: { worksheetId: string; address: string; source: string }) => Promise<void> | void) => {
        const l = (e: { worksheetName: string; address: string; source: "Local" | "Remote" }) =>
          void handler({ worksheetId: e.worksheetName, address: e.address, source: e.source });
        context.enqueue(() => void context.state.listeners.add(l));
        return { context, remove: () => context.enqueue(() => void context.state.listeners.delete(l)) };
      },
    };
  }
  constructor(context: FakeContext) {
    super(context, () => context.state.sheets);
  }
  protected read(target: SheetState[], prop: string): unknown {
    if (prop === "items") {
      this.itemProxies = target.map((sh) => {
        const p = new FakeWorksheet(this.context, () => sh);
        p.preload("name", sh);
        return p;
      });
      return true;
    }
    if (prop === "items/name") return true;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  override load(props?: string | string[] | { select?: string }): this {
    return super.load(["items", ...(typeof props === "string" ? props.split(",").map((x) => x.trim()) : [])]);
  }
  get items(): FakeWorksheet[] {
    this.loadedValue("items");
    return this.itemProxies;
  }
  getItem(name: string): FakeWorksheet {
    return new FakeWorksheet(this.context, () => {
      const s = this.context.state.sheet(name);
      if (!s) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (worksheet "${name}")`);
      return s;
    });
  }
  add(name: string): FakeWorksheet {
    let created: SheetState | undefined;
    this.context.enqueue(() => {
      created = this.context.state.addSheet(name);
    });
    return new FakeWorksheet(this.context, () => {
      if (!created) throw new ExcelError("GeneralException", "The worksheet was not created.");
      return created;
    });
  }
}

/** A chart as recorded by the fake. */
export type ChartRecord = ChartState;

class FakeChart {
  readonly title: { text: string };
  readonly legend = { visible: true };
  top = 0;
  left = 0;
  readonly series: { getItemAt: (i: number) => { setValues: (r: FakeRange) => void } };
  readonly axes: { categoryAxis: { setCategoryNames: (r: FakeRange) => void } };
  constructor(context: FakeContext, record: () => ChartRecord) {
    this.title = {
      set text(t: string) {
        context.enqueue(() => void (record().title = t));
      },
      get text(): string {
        throw new ExcelError("PropertyNotLoaded", "The property 'text' is not available.");
      },
    };
    this.series = {
      getItemAt: (i: number) => ({
        setValues: (r: FakeRange) => {
          context.requires("1.7", "ChartSeries.setValues");
          context.enqueue(() => {
            const rec = record();
            // A chart made from a range without numbers has no series: there is nothing at index 0.
            if (!rec.series[i]) throw new ExcelError("ItemNotFound", `The chart has ${rec.series.length} series; there is no series ${i}.`);
            rec.series[i].values = r.addressNow();
          });
        },
      }),
    };
    this.axes = {
      categoryAxis: {
        setCategoryNames: (r: FakeRange) => {
          context.requires("1.7", "ChartAxis.setCategoryNames");
          context.enqueue(() => void (record().categories = r.addressNow()));
        },
      },
    };
  }
}

export class FakeWorksheet extends Proxy<SheetState> {
  readonly tables: FakeTableCollection;
  readonly protection: FakeProtection;
  readonly charts: { add: (type: string, source: FakeRange, seriesBy?: string) => FakeChart };
  /** A worksheet's name can be changed (ExcelApi 1.1): tables and their ranges go with the sheet. */
  set name(value: string) {
    this.context.enqueue(() => this.context.state.renameSheet(this.resolve(), value));
  }
  private pre = new Map<string, unknown>();
  constructor(context: FakeContext, resolve: () => SheetState) {
    super(context, resolve);
    this.charts = {
      add: (type: string, source: FakeRange, seriesBy?: string) => {
        let record: ChartRecord | undefined;
        context.enqueue(() => {
          const sheet = resolve();
          if (seriesBy !== undefined && !["Auto", "Columns"].includes(seriesBy)) throw new ExcelError(seriesBy === "Rows" ? "NotImplemented" : "InvalidArgument", `seriesBy ${seriesBy}`);
          const a = source.areaNow();
          const series: ChartRecord["series"] = [];
          for (let c = 0; c < a.cols; c++) {
            let numeric = false;
            for (let r = 1; r < a.rows; r++) if (typeof a.sheet.get(a.top + r, a.left + c)?.value === "number") numeric = true;
            if (numeric) series.push({ name: String(a.sheet.get(a.top, a.left + c)?.value ?? ""), values: rangeAddress(a.sheet.name, a.top + 1, a.left + c, Math.max(1, a.rows - 1), 1) });
          }
          record = { type, source: source.addressNow(), series };
          sheet.charts.push(record);
        });
        return new FakeChart(context, () => {
          if (!record) throw new ExcelError("GeneralException", "The chart was not created.");
          return record;
        });
      },
    };
    this.protection = new FakeProtection(context, resolve);
    this.tables = new FakeTableCollection(context, () => context.state.tables.filter((t) => t.sheet === resolve()), resolve);
  }
  preload(props: string, s: SheetState): void {
    for (const p of props.split(",")) this.pre.set(p, this.read(s, p));
  }
  protected read(target: SheetState, prop: string): unknown {
    if (prop === "name") return target.name;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get name(): string {
    return (this.pre.has("name") ? this.pre.get("name") : this.loadedValue("name")) as string;
  }
  getRangeByIndexes(row: number, col: number, rowCount: number, columnCount: number): FakeRange {
    this.context.requires("1.7", "Worksheet.getRangeByIndexes");
    if (rowCount < 1 || columnCount < 1) throw new ExcelError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
    return new FakeRange(this.context, () => ({ sheet: this.resolve(), top: row, left: col, rows: rowCount, cols: columnCount }));
  }
  getRange(address: string): FakeRange {
    const a = parseAddress(address);
    return new FakeRange(this.context, () => ({ sheet: this.resolve(), top: a.top, left: a.left, rows: a.bottom - a.top + 1, cols: a.right - a.left + 1 }));
  }
  /** ExcelApi 1.1: from A1 to the last cell holding something; A1 on an empty sheet, as Excel. */
  getUsedRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const sheet = this.resolve();
      const { rows, cols } = sheet.usedBounds();
      return { sheet, top: 0, left: 0, rows: Math.max(1, rows), cols: Math.max(1, cols) };
    });
  }
  delete(): void {
    this.context.enqueue(() => this.context.state.deleteSheet(this.resolve().name));
  }
}

export class FakeProtection extends Proxy<SheetState> {
  protected read(target: SheetState, prop: string): unknown {
    if (prop === "protected") return target.protected;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get protected(): boolean {
    return this.loadedValue("protected") as boolean;
  }
  protect(): void {
    this.context.enqueue(() => {
      const s = this.resolve();
      if (s.protected) throw new ExcelError("InvalidOperation", "The worksheet is already protected.");
      s.protected = true;
    });
  }
  unprotect(): void {
    this.context.enqueue(() => void (this.resolve().protected = false));
  }
}

export class FakeTableCollection extends Proxy<TableState[]> {
  private itemProxies: FakeTable[] = [];
  constructor(
    context: FakeContext,
    resolve: () => TableState[],
    private readonly sheet?: () => SheetState,
  ) {
    super(context, resolve);
  }
  protected read(target: TableState[], prop: string): unknown {
    if (prop === "items") {
      this.itemProxies = target.map((t) => new FakeTable(this.context, () => t, t));
      return true;
    }
    if (prop.startsWith("items/")) return true; // filled by the items snapshot
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  override load(props?: string | string[] | { select?: string }): this {
    return super.load(["items", ...(typeof props === "string" ? props.split(",").map((s) => s.trim()) : [])]);
  }
  get items(): FakeTable[] {
    this.loadedValue("items");
    return this.itemProxies;
  }
  getItem(name: string): FakeTable {
    return new FakeTable(this.context, () => {
      const t = this.context.state.table(name);
      if (!t) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (table "${name}")`);
      return t;
    });
  }
  add(address: string, hasHeaders: boolean): FakeTable {
    let created: TableState | undefined;
    this.context.enqueue(() => {
      const a = parseAddress(address);
      const sheet = a.sheet ? this.context.state.sheet(a.sheet) : this.sheet?.();
      if (!sheet) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (worksheet "${a.sheet}")`);
      if (!hasHeaders) throw new ExcelError("InvalidArgument", "Planning Desk's fake supports tables with headers only.");
      created = this.context.state.addTable(sheet, a.top, a.left, a.bottom, a.right);
    });
    return new FakeTable(this.context, () => {
      if (!created) throw new ExcelError("GeneralException", "The table was not created.");
      return created;
    });
  }
}

export class FakeTable extends Proxy<TableState> {
  readonly worksheet: FakeWorksheet;
  readonly rows: { getItemAt: (index: number) => { delete: () => void }; add: () => never };
  readonly columns: {
    add: (index?: number | null, values?: Value[][], name?: string) => FakeTableColumn;
    getItem: (key: string) => FakeTableColumn;
    getItemOrNullObject: (key: string) => FakeTableColumn;
  };
  constructor(
    context: FakeContext,
    resolve: () => TableState,
    private readonly snapshot?: TableState,
  ) {
    super(context, resolve);
    this.worksheet = new FakeWorksheet(context, () => resolve().sheet);
    if (snapshot) this.worksheet.preload("name", snapshot.sheet);
    this.rows = {
      getItemAt: (index: number) => ({
        delete: () =>
          this.context.enqueue(() => {
            const t = this.resolve();
            t.sheet.assertWritable();
            const row = t.top + 1 + index;
            if (index < 0 || row > t.bottom) throw new ExcelError("InvalidArgument", `Row ${index} is outside the table.`);
            t.sheet.deleteShiftUp(row, t.left, 1, t.right - t.left + 1);
            t.bottom--;
            for (const other of this.context.state.tables) {
              if (other !== t && other.sheet === t.sheet && other.top > row && other.left >= t.left && other.right <= t.right) {
                other.top--;
                other.bottom--;
              }
            }
            this.context.state.emit(t.sheet.name, rangeAddress(t.sheet.name, row, t.left, 1, t.right - t.left + 1), this.context.source);
          }),
      }),
      // Planning Desk appends with range writes below the table (co-authoring guidance); the fake refuses rows.add.
      add: () => {
        throw new ExcelError("NotImplemented", "TableRowCollection.add is not used by Planning Desk: append with range writes below the table.");
      },
    };
    this.columns = {
      add: (index?: number | null, values?: Value[][], name?: string) => {
        // 1.4 allows the index to be omitted (append) and the name at creation.
        if (index === null || index === undefined || name !== undefined) this.context.requires("1.4", "TableColumnCollection.add without an index or with a name");
        let added: { t: TableState; i: number } | undefined;
        this.context.enqueue(() => {
          const t = this.resolve();
          t.sheet.assertWritable();
          if (index !== null && index !== undefined && index !== t.right - t.left + 1) throw new ExcelError("NotImplemented", "The fake adds columns at the end only.");
          // The values are the whole column, header first: one row per table row.
          if (values && (!Array.isArray(values) || values.length !== t.bottom - t.top + 1 || values.some((r) => !Array.isArray(r) || r.length !== 1)))
            throw new ExcelError("InvalidArgument", `The number of rows or columns in the input array doesn't match the size or dimensions of the range. (a column of table ${t.name} has ${t.bottom - t.top + 1} rows)`);
          const col = t.right + 1;
          for (const other of this.context.state.tables) {
            if (other !== t && other.sheet === t.sheet && other.left <= col && other.right >= col && !(other.bottom < t.top || other.top > t.bottom))
              throw new ExcelError("InvalidOperation", "The column would overlap another table.");
          }
          t.right = col;
          const header = name ?? (values?.[0]?.[0] as string | undefined) ?? `Column${col - t.left + 1}`;
          t.sheet.set(t.top, col, { value: header });
          for (let r = t.top + 1; r <= t.bottom; r++) t.sheet.cells.get(r)?.delete(col);
          if (values && values.length > 1)
            for (let r = 1; r < values.length; r++) {
              const v = values[r][0];
              t.sheet.set(t.top + r, col, typeof v === "string" && v.startsWith("=") && v.length > 1 ? { value: "#FORMULA", formula: v } : { value: v ?? null });
            }
          this.context.state.refreshCalculated(t.sheet, [col]);
          added = { t, i: col - t.left };
        }, payloadBytes(values) + payloadBytes(name));
        return new FakeTableColumn(this.context, () => {
          if (!added) throw new ExcelError("GeneralException", "The column was not added.");
          return added;
        });
      },
      getItem: (key: string) => new FakeTableColumn(this.context, () => columnOf(this.resolve(), key)),
      getItemOrNullObject: (key: string) => {
        this.context.requires("1.4", "TableColumnCollection.getItemOrNullObject");
        return new FakeTableColumn(this.context, () => columnOf(this.resolve(), key), true);
      },
    };
  }
  protected read(target: TableState, prop: string): unknown {
    if (prop === "name") return target.name;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get name(): string {
    if (this.snapshot) return this.snapshot.name;
    return this.loadedValue("name") as string;
  }
  set name(value: string) {
    this.context.enqueue(() => {
      const t = this.resolve();
      if (this.context.state.tables.some((o) => o !== t && o.name.toLowerCase() === value.toLowerCase()))
        throw new ExcelError("ItemAlreadyExists", `A table named "${value}" already exists.`);
      t.name = value;
    });
  }
  getRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const t = this.resolve();
      return { sheet: t.sheet, top: t.top, left: t.left, rows: t.bottom - t.top + 1, cols: t.right - t.left + 1 };
    });
  }
  getDataBodyRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const t = this.resolve();
      return { sheet: t.sheet, top: t.top + 1, left: t.left, rows: Math.max(1, t.bottom - t.top), cols: t.right - t.left + 1 };
    });
  }
  /** ExcelApi 1.1. */
  getHeaderRowRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const t = this.resolve();
      return { sheet: t.sheet, top: t.top, left: t.left, rows: 1, cols: t.right - t.left + 1 };
    });
  }
  /** TableSort (ExcelApi 1.2): sorts the data rows by one key. */
  get sort(): { apply: (fields: { key: number; ascending?: boolean }[]) => void } {
    this.context.requires("1.2", "Table.sort");
    return {
      apply: (fields) =>
        this.context.enqueue(() => {
          if (fields.length !== 1) throw new ExcelError("NotImplemented", "The fake sorts by one key.");
          const t = this.resolve();
          this.context.state.sortTable(t, fields[0].key, fields[0].ascending ?? true);
          this.context.state.emit(t.sheet.name, rangeAddress(t.sheet.name, t.top + 1, t.left, Math.max(1, t.bottom - t.top), t.right - t.left + 1), this.context.source);
        }),
    };
  }
  /** ExcelApi 1.13. Takes an address or a range (resolved when the batch runs). */
  resize(address: string | FakeRange): void {
    this.context.requires("1.13", "Table.resize");
    this.context.enqueue(() => {
      const t = this.resolve();
      const a = typeof address === "string" ? parseAddress(address) : (() => { const r = address.areaNow(); if (r.sheet !== t.sheet) throw new ExcelError("InvalidArgument", "The new range must be on the table's sheet."); return { top: r.top, left: r.left, bottom: r.top + r.rows - 1, right: r.left + r.cols - 1 }; })();
      if (a.top !== t.top || a.left !== t.left) throw new ExcelError("InvalidArgument", "The header row of a table must stay where it is.");
      if (a.bottom > t.bottom) this.context.state.growTable(t, a.bottom);
      t.bottom = a.bottom;
      t.right = a.right;
      if (t.calculated) for (const i of [...t.calculated.keys()]) if (i > t.right - t.left) t.calculated.delete(i);
    });
  }
}

const MAX_ROWS = 1048576;
const MAX_COLS = 16384;

interface Area {
  sheet: SheetState;
  top: number;
  left: number;
  rows: number;
  cols: number;
}

export class FakeRange extends Proxy<Area> {
  readonly format = { autofitColumns: () => undefined, font: {}, fill: {} };
  /** ExcelApi 1.6: the conditional formats that touch this range. */
  readonly conditionalFormats: FakeConditionalFormatCollection;
  constructor(context: FakeContext, resolve: () => Area) {
    super(context, resolve);
    this.conditionalFormats = new FakeConditionalFormatCollection(context, () => this.resolve());
  }

  /** The address while a sync runs (for commands that take a range argument). */
  addressNow(): string {
    const a = this.resolve();
    return rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols);
  }

  /** The cells while a sync runs. */
  areaNow(): Area {
    return this.resolve();
  }

  /** A range placed relative to this one when the batch runs (so it follows the table or cells it is taken from). */
  private derive(f: (a: Area) => Area): FakeRange {
    return new FakeRange(this.context, () => {
      const a = f(this.resolve());
      if (a.top < 0 || a.left < 0 || a.rows < 1 || a.cols < 1 || a.top + a.rows > MAX_ROWS || a.left + a.cols > MAX_COLS)
        throw new ExcelError("InvalidArgument", "The range is outside the worksheet grid.");
      return a;
    });
  }
  /** ExcelApi 1.1. */
  getOffsetRange(rowOffset: number, columnOffset: number): FakeRange {
    return this.derive((a) => ({ ...a, top: a.top + rowOffset, left: a.left + columnOffset }));
  }
  /** ExcelApi 1.1: may lie outside the range, within the grid. */
  getCell(row: number, column: number): FakeRange {
    return this.derive((a) => ({ ...a, top: a.top + row, left: a.left + column, rows: 1, cols: 1 }));
  }
  /** ExcelApi 1.2. */
  getResizedRange(deltaRows: number, deltaColumns: number): FakeRange {
    this.context.requires("1.2", "Range.getResizedRange");
    return this.derive((a) => ({ ...a, rows: a.rows + deltaRows, cols: a.cols + deltaColumns }));
  }
  /** ExcelApi 1.1: the cells both ranges cover (the same sheet); fails the sync when they do not meet, as Excel does (use getIntersectionOrNullObject there). */
  getIntersection(other: FakeRange): FakeRange {
    return new FakeRange(this.context, () => {
      const a = this.resolve();
      const b = other.areaNow();
      const top = Math.max(a.top, b.top);
      const left = Math.max(a.left, b.left);
      const bottom = Math.min(a.top + a.rows, b.top + b.rows);
      const right = Math.min(a.left + a.cols, b.left + b.cols);
      if (a.sheet !== b.sheet || bottom <= top || right <= left) throw new ExcelError("InvalidArgument", "The ranges do not intersect.");
      return { sheet: a.sheet, top, left, rows: bottom - top, cols: right - left };
    });
  }
  /** ExcelApi 1.6: recalculates the range's cells (this workbook only); recorded in `state.calculations` as "Range:<address>". */
  calculate(): void {
    this.context.requires("1.6", "Range.calculate");
    this.context.enqueue(() => void this.context.state.calculations.push(`Range:${this.addressNow()}`));
  }
  /** ExcelApi 1.1: a row of the range (stricter than Excel: within the range). */
  getRow(row: number): FakeRange {
    return this.derive((a) => {
      if (row < 0 || row >= a.rows) throw new ExcelError("InvalidArgument", `Row ${row} is outside the range.`);
      return { ...a, top: a.top + row, rows: 1 };
    });
  }
  getLastRow(): FakeRange {
    return this.derive((a) => ({ ...a, top: a.top + a.rows - 1, rows: 1 }));
  }
  /** ExcelApi 1.1: the whole sheet rows of the range. */
  getEntireRow(): FakeRange {
    return this.derive((a) => ({ ...a, left: 0, cols: MAX_COLS }));
  }
  /** ExcelApi 1.1. The fake inserts whole sheet rows only (`getEntireRow().insert("Down")`). */
  insert(shift: string): FakeRange {
    this.context.enqueue(() => {
      const a = this.resolve();
      if (a.left !== 0 || a.cols !== MAX_COLS || shift !== "Down") throw new ExcelError("NotImplemented", "The fake inserts whole rows only.");
      this.context.state.insertRows(a.sheet, a.top, a.rows);
      this.context.state.emit(a.sheet.name, `${sheetRef(a.sheet.name)}!${a.top + 1}:${a.top + a.rows}`, this.context.source);
    });
    return this;
  }
  /** ExcelApi 1.1. The fake deletes whole sheet rows only (`getEntireRow().delete("Up")`). */
  delete(shift: string): void {
    this.context.enqueue(() => {
      const a = this.resolve();
      if (a.left !== 0 || a.cols !== MAX_COLS || shift !== "Up") throw new ExcelError("NotImplemented", "The fake deletes whole rows only.");
      this.context.state.deleteRows(a.sheet, a.top, a.rows);
      this.context.state.emit(a.sheet.name, `${sheetRef(a.sheet.name)}!${a.top + 1}:${a.top + a.rows}`, this.context.source);
    });
  }

  protected read(a: Area, prop: string): unknown {
    if (a.cols === MAX_COLS && ["values", "formulas", "numberFormat"].includes(prop)) throw new ExcelError("NotImplemented", "The fake does not load whole rows.");
    const grid = <T>(f: (c: Cell | undefined) => T): T[][] =>
      Array.from({ length: a.rows }, (_, r) => Array.from({ length: a.cols }, (_, c) => f(a.sheet.get(a.top + r, a.left + c))));
    switch (prop) {
      case "values":
        return grid((c) => (c?.value === null || c?.value === undefined ? "" : c.value));
      case "formulas":
        return grid((c) => c?.formula ?? (c?.value === null || c?.value === undefined ? "" : c.value));
      case "numberFormat":
        return grid((c) => c?.numberFormat ?? "General");
      case "address":
        return rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols);
      case "rowIndex":
        return a.top;
      case "columnIndex":
        return a.left;
      case "rowCount":
        return a.rows;
      case "columnCount":
        return a.cols;
      default:
        throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
    }
  }

  get values(): Value[][] {
    return this.loadedValue("values") as Value[][];
  }
  get formulas(): Value[][] {
    return this.loadedValue("formulas") as Value[][];
  }
  get numberFormat(): string[][] {
    return this.loadedValue("numberFormat") as string[][];
  }
  get address(): string {
    return this.loadedValue("address") as string;
  }
  get rowIndex(): number {
    return this.loadedValue("rowIndex") as number;
  }
  get columnIndex(): number {
    return this.loadedValue("columnIndex") as number;
  }
  get rowCount(): number {
    return this.loadedValue("rowCount") as number;
  }
  get columnCount(): number {
    return this.loadedValue("columnCount") as number;
  }

  private writeGrid(input: unknown, what: string, apply: (cell: Cell, v: unknown) => Cell): void {
    this.context.enqueue(() => {
      const a = this.resolve();
      a.sheet.assertWritable();
      const scalar = !Array.isArray(input);
      if (!scalar) {
        const g = input as unknown[][];
        if (g.length !== a.rows || g.some((row) => !Array.isArray(row) || row.length !== a.cols)) {
          throw new ExcelError(
            "InvalidArgument",
            `The number of rows or columns in the input array doesn't match the size or dimensions of the range. (${what}: ${g.length}×${Array.isArray(g[0]) ? g[0].length : "?"} into ${a.rows}×${a.cols})`,
          );
        }
      }
      const withFormula = new Set<number>();
      for (let r = 0; r < a.rows; r++) {
        for (let c = 0; c < a.cols; c++) {
          const v = scalar ? input : (input as unknown[][])[r][c];
          const cell = a.sheet.get(a.top + r, a.left + c) ?? { value: null };
          const next = apply({ ...cell }, v);
          if (next.formula) withFormula.add(a.left + c);
          a.sheet.set(a.top + r, a.left + c, next);
        }
      }
      this.context.state.expandTables(a.sheet, a.top, a.left, a.top + a.rows - 1, a.left + a.cols - 1);
      this.context.state.refreshCalculated(a.sheet, Array.from({ length: a.cols }, (_, c) => a.left + c), withFormula);
      this.context.state.emit(a.sheet.name, rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols), this.context.source);
    }, payloadBytes(input));
  }

  set values(input: Value[][]) {
    this.writeGrid(input, "values", (cell, v) => {
      if (v !== null && typeof v === "object") throw new ExcelError("InvalidArgument", "A cell value must be a string, number or boolean.");
      if (typeof v === "string" && v.startsWith("=") && v.length > 1) return { ...cell, value: "#FORMULA", formula: v };
      if (typeof v === "string" && v.startsWith("'")) return { ...cell, value: v.slice(1), formula: undefined };
      // Like Excel, text that looks like a number or a date becomes one unless the cell is formatted as text ("@").
      if (typeof v === "string" && cell.numberFormat !== "@") {
        const coerced = coerceTyped(v);
        if (coerced !== undefined) return { ...cell, value: coerced, formula: undefined };
      }
      return { ...cell, value: v === undefined ? null : (v as Value), formula: undefined };
    });
  }
  set formulas(input: Value[][]) {
    this.writeGrid(input, "formulas", (cell, v) =>
      typeof v === "string" && v.startsWith("=") ? { ...cell, value: "#FORMULA", formula: v } : { ...cell, value: v as Value, formula: undefined },
    );
  }
  set numberFormat(input: string[][]) {
    this.context.enqueue(() => {
      const a = this.resolve();
      a.sheet.assertWritable();
      const g = input;
      if (Array.isArray(g) && (g.length !== a.rows || g.some((row) => row.length !== a.cols)))
        throw new ExcelError("InvalidArgument", "The number of rows or columns in the input array doesn't match the size or dimensions of the range. (numberFormat)");
      for (let r = 0; r < a.rows; r++)
        for (let c = 0; c < a.cols; c++) {
          const cell = a.sheet.get(a.top + r, a.left + c) ?? { value: null };
          a.sheet.set(a.top + r, a.left + c, { ...cell, numberFormat: Array.isArray(g) ? g[r][c] : (g as unknown as string) });
        }
    }, payloadBytes(input));
  }
}

/** A table column by name (case-insensitive, as Excel matches them) or id; ItemNotFound when there is none. */
function columnOf(t: TableState, key: string): { t: TableState; i: number } {
  const want = String(key).trim().toLowerCase();
  for (let c = t.left; c <= t.right; c++) {
    if (String(t.sheet.get(t.top, c)?.value ?? "").trim().toLowerCase() === want) return { t, i: c - t.left };
  }
  throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (column "${key}" of table ${t.name})`);
}

/** Excel.TableColumn (ExcelApi 1.1): its ranges, name and index, delete. */
export class FakeTableColumn extends Proxy<{ t: TableState; i: number }> {
  constructor(
    context: FakeContext,
    resolve: () => { t: TableState; i: number },
    private readonly orNull = false,
  ) {
    super(context, orNull ? () => { try { return resolve(); } catch { return undefined as never; } } : resolve);
    if (orNull) this.load("isNullObject");
  }
  protected read(target: { t: TableState; i: number } | undefined, prop: string): unknown {
    if (prop === "isNullObject") return target === undefined;
    if (!target) throw new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).");
    if (prop === "name") return String(target.t.sheet.get(target.t.top, target.t.left + target.i)?.value ?? "");
    if (prop === "index") return target.i;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get isNullObject(): boolean {
    return this.orNull ? (this.loadedValue("isNullObject") as boolean) : false;
  }
  get name(): string {
    return this.loadedValue("name") as string;
  }
  get index(): number {
    return this.loadedValue("index") as number;
  }
  private area(rows: "body" | "header" | "all"): FakeRange {
    return new FakeRange(this.context, () => {
      const c = this.resolve();
      if (!c) throw new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).");
      const { t, i } = c;
      const top = rows === "body" ? t.top + 1 : t.top;
      const count = rows === "header" ? 1 : rows === "body" ? Math.max(1, t.bottom - t.top) : t.bottom - t.top + 1;
      return { sheet: t.sheet, top, left: t.left + i, rows: count, cols: 1 };
    });
  }
  getDataBodyRange(): FakeRange {
    return this.area("body");
  }
  getHeaderRowRange(): FakeRange {
    return this.area("header");
  }
  getRange(): FakeRange {
    return this.area("all");
  }
  delete(): void {
    this.context.enqueue(() => {
      const c = this.resolve();
      if (!c) throw new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).");
      this.context.state.deleteTableColumn(c.t, c.i);
    });
  }
}

const intersects = (cf: ConditionalFormatState, a: Area) => !(cf.top > a.top + a.rows - 1 || cf.top + cf.rows - 1 < a.top || cf.left > a.left + a.cols - 1 || cf.left + cf.cols - 1 < a.left);
const notLoaded = (prop: string) =>
  new ExcelError("PropertyNotLoaded", `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);

/** How a collection over `area` shows a format: its id (its priority there, see WorkbookState.cfIdIsPriority) and its rule relative to the area's top-left cell (office-js#5194). */
interface CfView {
  id(cf: ConditionalFormatState): string;
  area(): Area;
}

/** What a conditional format's properties load as, by path, seen from a collection. */
function cfProperty(cf: ConditionalFormatState, path: string, view: CfView): unknown {
  const custom = cf.type === "Custom";
  switch (path) {
    case "id":
      return view.id(cf);
    case "type":
      return cf.type;
    case "priority":
      return undefined; // filled by the collection
    case "customOrNullObject/rule/formula": {
      if (!custom || cf.formula === undefined) return null;
      const a = view.area();
      return shiftFormula(cf.formula, a.top - cf.top, a.left - cf.left);
    }
    case "customOrNullObject/format/fill/color":
      return custom ? (cf.fill ?? null) : null;
    case "customOrNullObject/format/font/color":
      return custom ? (cf.font ?? null) : null;
    default:
      throw new ExcelError("InvalidArgument", `The fake does not load ${path} of a conditional format.`);
  }
}

/**
 * Excel.ConditionalFormat (ExcelApi 1.6): `custom.rule.formula` and `custom.format.fill/font.color`
 * to set a custom rule; loaded items read `id`, `type` and `customOrNullObject/…`. Stricter than
 * Excel: a rule's formula must start with "=" and may hold no "[" (Excel refuses table references
 * in conditional formats); colours are "#RRGGBB" only.
 */
export class FakeConditionalFormat {
  private loaded = new Map<string, unknown>();
  readonly dataBar: Record<string, unknown> = {};
  readonly custom: { rule: { formula: string }; format: { fill: { color: string }; font: { color: string } } };
  constructor(
    readonly context: FakeContext,
    private readonly find: () => ConditionalFormatState,
    private readonly view: CfView,
  ) {
    const set = (f: (cf: ConditionalFormatState) => void) =>
      context.enqueue(() => {
        const cf = this.find();
        if (cf.type !== "Custom") throw new ExcelError("InvalidOperation", "This conditional format is not a custom one.");
        f(cf);
      });
    const color = (v: string) => {
      if (!/^#[0-9a-f]{6}$/i.test(String(v))) throw new ExcelError("InvalidArgument", `The colour "${v}" is not #RRGGBB.`);
      return String(v).toUpperCase();
    };
    this.custom = {
      rule: {
        set formula(f: string) {
          set((cf) => {
            if (typeof f !== "string" || !f.startsWith("=") || f.length < 2) throw new ExcelError("InvalidArgument", `A conditional format's formula must start with "=": ${f}`);
            if (f.includes("[")) throw new ExcelError("InvalidArgument", `You can't use table references in conditional formats: ${f}`);
            cf.formula = f;
          });
        },
        get formula(): string {
          throw notLoaded("formula");
        },
      },
      format: {
        fill: {
          set color(c: string) {
            set((cf) => void (cf.fill = color(c)));
          },
          get color(): string {
            throw notLoaded("color");
          },
        },
        font: {
          set color(c: string) {
            set((cf) => void (cf.font = color(c)));
          },
          get color(): string {
            throw notLoaded("color");
          },
        },
      },
    };
  }
  /** Properties read with a collection (`items/…`). */
  preload(path: string, v: unknown): void {
    this.loaded.set(path, v);
  }
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      const cf = this.find();
      for (const p of list) {
        const v = cfProperty(cf, p, this.view);
        this.context.responded(v);
        this.loaded.set(p, v);
      }
    });
    return this;
  }
  private get(path: string): unknown {
    if (!this.loaded.has(path)) throw notLoaded(path.split("/").at(-1)!);
    return this.loaded.get(path);
  }
  get id(): string {
    return this.get("id") as string;
  }
  get type(): string {
    return this.get("type") as string;
  }
  get customOrNullObject() {
    const get = (p: string) => this.get(`customOrNullObject/${p}`);
    const isNull = this.loaded.has("type") ? this.loaded.get("type") !== "Custom" : undefined;
    return {
      get isNullObject(): boolean {
        if (isNull === undefined) throw notLoaded("isNullObject");
        return isNull;
      },
      rule: {
        get formula() {
          return get("rule/formula") as string;
        },
      },
      format: {
        fill: {
          get color() {
            return get("format/fill/color") as string;
          },
        },
        font: {
          get color() {
            return get("format/font/color") as string;
          },
        },
      },
    };
  }
  /** ExcelApi 1.6: the range the format applies to. */
  getRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const cf = this.find();
      const sheet = this.context.state.sheets.find((s) => s.conditionalFormats.includes(cf));
      if (!sheet) throw new ExcelError("ItemNotFound", "The requested resource doesn't exist. (conditional format)");
      return { sheet, top: cf.top, left: cf.left, rows: cf.rows, cols: cf.cols };
    });
  }
  delete(): void {
    this.context.enqueue(() => {
      const cf = this.find();
      for (const s of this.context.state.sheets) {
        const i = s.conditionalFormats.indexOf(cf);
        if (i >= 0) s.conditionalFormats.splice(i, 1);
      }
    });
  }
}

/** Excel.ConditionalFormatCollection of a range (ExcelApi 1.6): the sheet's conditional formats that touch the range, highest priority first. */
export class FakeConditionalFormatCollection {
  private list: FakeConditionalFormat[] = [];
  private loadedItems = false;
  constructor(
    readonly context: FakeContext,
    private readonly area: () => Area,
  ) {}
  private scope(): ConditionalFormatState[] {
    const a = this.area();
    return a.sheet.conditionalFormats.filter((cf) => intersects(cf, a));
  }
  private readonly view: CfView = {
    id: (cf) => (this.context.state.cfIdIsPriority ? String(this.scope().indexOf(cf)) : cf.id),
    area: () => this.area(),
  };
  /** The format an id names now: its priority among those touching the range (or its lasting id with the switch off). */
  private byId(id: string): ConditionalFormatState | undefined {
    const all = this.scope();
    if (!this.context.state.cfIdIsPriority) return all.find((x) => x.id === id);
    return /^\d+$/.test(id) ? all[Number(id)] : undefined;
  }
  /** Adds a conditional format at the top priority: "Custom" (a rule and a format) or "DataBar". */
  add(type: string): FakeConditionalFormat {
    this.context.requires("1.6", "ConditionalFormatCollection.add");
    let created: ConditionalFormatState | undefined;
    this.context.enqueue(() => {
      const a = this.area();
      a.sheet.assertWritable();
      if (type !== "DataBar" && type !== "Custom") throw new ExcelError("NotImplemented", `conditional format ${type}`);
      created = this.context.state.addConditionalFormat(a.sheet, a, type);
      if (type === "DataBar") a.sheet.dataBars.push(rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols));
    });
    return new FakeConditionalFormat(
      this.context,
      () => {
        if (!created) throw new ExcelError("GeneralException", "The conditional format was not created.");
        return created;
      },
      this.view,
    );
  }
  load(props?: string | string[]): this {
    this.context.requires("1.6", "ConditionalFormatCollection.load");
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      this.list = this.scope().map((cf, priority) => {
        // An item is addressed by its id, which is its priority: after an add or a delete it names another format.
        const item = new FakeConditionalFormat(
          this.context,
          () => {
            const now = this.context.state.cfIdIsPriority ? this.scope()[priority] : cf;
            if (!now || !this.context.state.sheets.some((s) => s.conditionalFormats.includes(now))) throw new ExcelError("ItemNotFound", "The requested resource doesn't exist. (conditional format)");
            return now;
          },
          this.view,
        );
        for (const p of list) {
          if (p === "items") continue;
          if (!p.startsWith("items/")) throw new ExcelError("InvalidArgument", `Unknown property ${p}`);
          const path = p.slice(6);
          const v = cfProperty(cf, path, this.view);
          this.context.responded(v);
          item.preload(path, v);
          if (path.startsWith("customOrNullObject/")) item.preload("type", cf.type);
        }
        return item;
      });
      this.loadedItems = true;
    });
    return this;
  }
  get items(): FakeConditionalFormat[] {
    if (!this.loadedItems) throw notLoaded("items");
    return this.list;
  }
  getCount(): FakeClientResult<number> {
    this.context.requires("1.6", "ConditionalFormatCollection.getCount");
    const r = new FakeClientResult<number>();
    this.context.enqueue(() => r.set(this.scope().length));
    return r;
  }
  /** The conditional format with this id among those touching the range; ItemNotFound otherwise (when the batch runs). */
  getItem(id: string): FakeConditionalFormat {
    this.context.requires("1.6", "ConditionalFormatCollection.getItem");
    return new FakeConditionalFormat(
      this.context,
      () => {
        const cf = this.byId(id);
        if (!cf) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (conditional format ${id})`);
        return cf;
      },
      this.view,
    );
  }
}

/** What Excel makes of typed text in a General cell: a number, a date ("2026-10-08 10:00", "2026-10"), or undefined (text). */
export function coerceTyped(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  const month = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (month) return parseMonthKey(t)?.start;
  return parseDateText(t);
}

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
