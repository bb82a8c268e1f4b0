/**
 * The Countersign Log's hash chain. Each row's Hash is the first 16 hex digits of
 * SHA-256 over the previous row's Hash and this row's cells, so a row edited, deleted or
 * inserted by hand breaks the chain at that point and "Verify log" can list it. This is
 * tamper-evidence for honest mistakes and quiet edits, not security: anyone with the
 * workbook could recompute the chain. SHA-256 comes from @noble/hashes (synchronous and
 * the same in the browser, Node and Excel's runtime, which Web Crypto's async API is not).
 */
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { formatSerial } from "../calendar";
import type { LogEntry } from "../model";

export const GENESIS = "0000000000000000";

/** The text hashed for one row: its cells, times to the minute as Excel shows them. */
export function canonical(e: LogEntry): string {
  return [e.time === undefined ? "" : formatSerial(e.time), e.cardNo ?? "", e.action ?? "", e.actor ?? "", e.role ?? "", e.note ?? ""].join("\u241f");
}

export function chainHash(prev: string, e: LogEntry): string {
  return bytesToHex(sha256(utf8ToBytes(`${prev}\u241e${canonical(e)}`))).slice(0, 16);
}

/** Hashes for rows appended after `log` (returns copies with `hash` set). */
export function chainAppend(log: readonly LogEntry[], rows: readonly LogEntry[]): LogEntry[] {
  let prev = log.length ? (log[log.length - 1].hash ?? GENESIS) : GENESIS;
  return rows.map((r) => {
    const hash = chainHash(prev, r);
    prev = hash;
    return { ...r, hash };
  });
}

export interface ChainBreak {
  /** Index in the log (0-based, in table order). */
  index: number;
  entry: LogEntry;
  expected: string;
}

/** Every row whose hash does not follow from the row before it. */
export function verifyChain(log: readonly LogEntry[]): ChainBreak[] {
  const out: ChainBreak[] = [];
  let prev = GENESIS;
  log.forEach((e, index) => {
    const expected = chainHash(prev, e);
    if (e.hash !== expected) out.push({ index, entry: e, expected });
    prev = e.hash ?? "";
  });
  return out;
}
