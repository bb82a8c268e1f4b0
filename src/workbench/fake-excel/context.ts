/** The request context and its sync accounting (round trips, payload sizes, requirement sets), and the workbook object. Part of the in-memory Excel (see api.ts). */
import { jsonBytes } from "../../workbook/office-cells";
import { ExcelError, WorkbookState } from "./state";
import { FakeCustomXmlPartCollection } from "./custom-xml";
import { FakeNamedItemCollection } from "./names";
import { Op } from "./proxy";
import { FakeTableCollection } from "./tables";
import { FakeWorksheetCollection } from "./worksheets";

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

/**
 * The size of a value as Office.js sends it (JSON), in bytes of UTF-8: exactly
 * `new TextEncoder().encode(JSON.stringify(v) ?? "").length`, counted without building the JSON
 * or its bytes (the adapter's own count, office-cells.ts `jsonBytes`; see its tests).
 */
export const payloadBytes = (v: unknown): number => jsonBytes(v);

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
      throw new ExcelError(
        "ApiNotFound",
        `The API you are trying to use could not be found (${what} needs ExcelApi ${version}; this Excel supports ${this.counter.version()}).`,
      );
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
      throw new ExcelError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size has exceeded the limit (${request} bytes > ${limit}). Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".`,
      );
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
      throw new ExcelError(
        "ResponsePayloadSizeLimitExceeded",
        `The response payload size has exceeded the limit (${response} bytes > ${limit}). Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".`,
      );
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
