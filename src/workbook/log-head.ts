/**
 * The Countersign Log's head as a write carries it: the anchor part and the hidden name, sealed
 * with the workbook's salt (core/workflow/log.ts explains both records and the seal).
 */
import type { LogEntry } from "../core/model";
import { LOG_ANCHOR_NS, LOG_HEAD_NAME, LogStart, anchorXml, headOf, headText, parseHead } from "../core/workflow/log";
import type { ChangeSet, Snapshot } from "./port";

/** A new workbook's salt for the seal of the log's head (core/workflow/log.ts): 128 random bits, hex. */
export function newLogSalt(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** The salt the workbook's hidden record holds (a readable one), else a new one. */
export function logSaltOf(snapshot: Snapshot): string {
  return parseHead(snapshot.logRecords?.head)?.salt ?? newLogSalt();
}

/**
 * Both records of the head of `log`, as the write that appends its last row carries them: the
 * anchor part and the hidden name; counting at least `minRows` rows (rows the records counted
 * before and the sheet lost stay counted: core/workflow/log.ts recordedRows); a log cut by a
 * yearly archive keeps its `start` (core/workflow/log.ts LogStart).
 */
export function logHeadChanges(
  log: readonly LogEntry[],
  salt: string,
  minRows = 0,
  start?: LogStart,
): Required<Pick<ChangeSet, "customXml" | "names">> {
  const h = headOf(log, salt, minRows, start);
  return {
    customXml: [{ namespace: LOG_ANCHOR_NS, xml: anchorXml({ rows: h.rows, hash: h.hash, seal: h.seal, start: h.start }) }],
    names: [{ name: LOG_HEAD_NAME, text: headText(h) }],
  };
}
