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

/**
 * The text hashed for one row: its cells, times to the minute as Excel shows them.
 *
 * The hash covers each cell's text as written — the Action word of the log's language (会签,
 * Countersign) and its Role word (经理, Manager) — not the canonical code (`sign`, `Manager`)
 * behind it. Chosen because: the chain then proves what a reader sees, so an edit of the word
 * by hand (会签 → 审核通过, or even to a synonym) is a break like any other edit; the verifier needs
 * no vocabulary, so `check`, the pane and any later version verify alike, and a word added or
 * renamed in words.ts can never change an old row's hash; and logs written before the words
 * (their cells hold the codes `issue`, `sign` …) verify unchanged, with no migration and no
 * version flag, while new rows chain onto them. The workbook translates a row before hashing it
 * (src/workbook/cells.ts `logEntryIn`); core reads rows in any language through `actionOf`.
 */
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

/**
 * The chain's head, kept outside the sheet: how many rows the log had after the add-in's last
 * append and that row's hash. The chain alone cannot see rows deleted at the end (what is
 * left still chains) nor a log emptied; the anchor can. It lives in a custom XML part of the
 * workbook (Office.js `workbook.customXmlParts`, ExcelApi 1.5:
 * https://learn.microsoft.com/javascript/api/excel/excel.customxmlpartcollection; in a file,
 * `customXml/itemN.xml`), written in the same batch as every append. Chosen over a hidden
 * sheet, a defined name or document settings because an edit of the workbook's cells cannot
 * reach it, Excel has no UI to edit it, it travels inside the .xlsx (so the command line can
 * check it), and a row edit, sort or delete in the sheet never moves it. It is not a secret:
 * someone who unzips the file, or recomputes every hash and rewrites the anchor, goes unseen.
 */
export const LOG_ANCHOR_NS = "http://schemas.planning-desk.app/countersign-log-anchor/1";

export interface LogAnchor {
  /** Non-blank log rows after the last append. */
  rows: number;
  /** The Hash of the last of them (GENESIS for an empty log). */
  hash: string;
}

export function anchorOf(log: readonly LogEntry[]): LogAnchor {
  return { rows: log.length, hash: log.length ? (log[log.length - 1].hash ?? "") : GENESIS };
}

export function anchorXml(a: LogAnchor): string {
  const hash = a.hash.replace(/[^0-9A-Za-z]/g, "");
  return `<?xml version="1.0" encoding="UTF-8"?><logAnchor xmlns="${LOG_ANCHOR_NS}"><rows>${Math.max(0, Math.floor(a.rows))}</rows><hash>${hash}</hash></logAnchor>`;
}

/** The anchor in a custom XML part's text; undefined when it is not one (or is damaged). */
export function parseAnchor(xml: string | undefined): LogAnchor | undefined {
  if (!xml || !xml.includes(LOG_ANCHOR_NS)) return undefined;
  const rows = /<(?:\w+:)?rows>\s*(\d+)\s*<\/(?:\w+:)?rows>/.exec(xml);
  const hash = /<(?:\w+:)?hash>\s*([0-9A-Za-z]*)\s*<\/(?:\w+:)?hash>/.exec(xml);
  if (!rows || !hash) return undefined;
  return { rows: Number(rows[1]), hash: hash[1] };
}

/** One log row as the check sees it: the entry and the sheet row it is on (1-based, as Excel shows it). */
export interface LogRow {
  entry: LogEntry;
  sheetRow: number;
}

export type LogBreakKind = "broken" | "inserted" | "deleted-tail" | "emptied" | "not-anchored" | "anchor-mismatch" | "anchor-damaged";

export interface LogBreak {
  kind: LogBreakKind;
  /** The sheet row the break is at (for a deleted tail: the row after the last one left); undefined when the log has no rows. */
  sheetRow?: number;
  /** Index in the rows given. */
  index?: number;
  entry?: LogEntry;
  zh: string;
  en: string;
}

const describe = (e: LogEntry): string => [e.time === undefined ? "" : formatSerial(e.time), e.cardNo ?? "", e.action ?? "", e.actor ?? ""].filter(Boolean).join(" ");

/**
 * Every break in the Countersign Log, with the sheet row it is on and a message in zh/en.
 * `rows` are the log's non-blank rows in table order with their sheet rows; `anchor` is the
 * chain's head as the add-in last wrote it (undefined: no anchor yet, so only the chain is
 * checked; `null`: a part is there but cannot be read). What is found: a row edited by hand
 * (that row), a row inserted by hand (that row), rows deleted in the middle (the row after
 * them; the chain cannot tell this from an edit of that row), rows deleted at the end or the whole log emptied (against the anchor), rows added
 * after the add-in's last append, and a head that is not the anchor's. What is not: someone
 * who recomputes every hash and the anchor.
 */
export function verifyLog(rows: readonly LogRow[], anchor?: LogAnchor | null): LogBreak[] {
  const out: LogBreak[] = [];
  const at = (i: number) => rows[i].sheetRow;
  let prev = GENESIS;
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i].entry;
    if (e.hash === chainHash(prev, e)) {
      prev = e.hash;
      continue;
    }
    const next = rows[i + 1]?.entry;
    if (next && next.hash === chainHash(prev, next)) {
      // The next row follows from the row before this one: this row was put in by hand.
      out.push({ kind: "inserted", sheetRow: at(i), index: i, entry: e, zh: `第 ${at(i)} 行是手工插入的（不在校验链中）：${describe(e)}`, en: `row ${at(i)} was inserted by hand (not in the chain): ${describe(e)}` });
      continue; // prev stays: the chain goes on from the row before
    }
    // Edited in place, or rows above it deleted: the chain cannot tell which, the row is the same.
    out.push({ kind: "broken", sheetRow: at(i), index: i, entry: e, zh: `第 ${at(i)} 行与上一行的校验链不符：本行被手工修改过，或它上面的行被删除了：${describe(e)}`, en: `row ${at(i)} does not follow from the row above: it was edited by hand, or rows above it were deleted: ${describe(e)}` });
    prev = e.hash ?? "";
  }
  if (anchor === null) {
    out.push({ kind: "anchor-damaged", zh: "会签记录的锚点已损坏，无法核对末尾的行", en: "the log's anchor is damaged: rows at the end cannot be checked" });
    return out;
  }
  if (!anchor) return out;
  // Rows put in by hand are not the add-in's: the anchor counts the others.
  const inserted = new Set(out.filter((b) => b.kind === "inserted").map((b) => b.index));
  const chained = rows.map((r, i) => ({ ...r, i })).filter((r) => !inserted.has(r.i));
  const after = rows.length ? rows[rows.length - 1].sheetRow + 1 : undefined;
  if (anchor.rows > 0 && chained.length === 0) {
    out.push({ kind: "emptied", zh: `会签记录被清空：应有 ${anchor.rows} 行`, en: `the log was emptied: it should have ${anchor.rows} rows` });
  } else if (chained.length < anchor.rows) {
    const missing = anchor.rows - chained.length;
    out.push({ kind: "deleted-tail", sheetRow: after, zh: `会签记录少了 ${missing} 行（应有 ${anchor.rows} 行，现有 ${chained.length} 行）：末尾或中间的行被删除`, en: `${missing} log row${missing > 1 ? "s are" : " is"} missing (${anchor.rows} recorded, ${chained.length} found): rows were deleted at the end or in between` });
  } else {
    const head = anchor.rows ? chained[anchor.rows - 1] : undefined;
    if (head && head.entry.hash !== anchor.hash)
      out.push({ kind: "anchor-mismatch", sheetRow: head.sheetRow, index: head.i, entry: head.entry, zh: `第 ${head.sheetRow} 行不是插件最后写入的那一行：有行被删除后又添加了行`, en: `row ${head.sheetRow} is not the last row the add-in wrote: rows were deleted and others added` });
    for (const r of chained.slice(anchor.rows))
      out.push({ kind: "not-anchored", sheetRow: r.sheetRow, index: r.i, entry: r.entry, zh: `第 ${r.sheetRow} 行不是由插件写入的（在最后一次记录之后添加）：${describe(r.entry)}`, en: `row ${r.sheetRow} was not written by the add-in (added after its last entry): ${describe(r.entry)}` });
  }
  return out;
}
