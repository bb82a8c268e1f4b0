/**
 * The Countersign Log's hash chain. Each row's Hash is the first 16 hex digits of
 * SHA-256 over the previous row's Hash and this row's cells, so a row edited, deleted or
 * inserted by hand breaks the chain at that point and "Verify log" can list it. This is
 * tamper-evidence for honest mistakes and quiet edits, not security: anyone with the
 * workbook could recompute the chain. SHA-256 is chain-hash.ts's own (synchronous and the
 * same in the browser, Node and Excel's runtime, which Web Crypto's async API is not; the
 * digest @noble/hashes computes, which test/workflow/chain-hash.test.ts checks): reading a
 * workbook loads no hash library.
 */
import { formatSerial } from "../calendar";
import { sha256Hex } from "./chain-hash";
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
  // One concatenation, no array to join: `check` builds this text for every row of the log.
  const text = `${e.time === undefined ? "" : formatSerial(e.time)}\u241f${e.cardNo ?? ""}\u241f${e.action ?? ""}\u241f${e.actor ?? ""}\u241f${e.role ?? ""}\u241f${e.note ?? ""}`;
  // The signed-in account (optional column 账号 / Account) is hashed only when the row has one:
  // rows written before the column, or where Office offered no account, hash exactly as before.
  return e.account !== undefined && e.account !== "" ? `${text}\u241f${e.account}` : text;
}

export function chainHash(prev: string, e: LogEntry): string {
  return sha256Hex(`${prev}\u241e${canonical(e)}`, 16);
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
 * The chain's head, kept outside the sheet, twice. The chain alone cannot see rows deleted at
 * the end (what is left still chains) nor a log emptied; the head can. Every append writes it,
 * in the same batch as the row, to two places that no cell edit, sort or row deletion reaches:
 *
 * 1. The anchor: a custom XML part (Office.js `workbook.customXmlParts`, ExcelApi 1.5:
 *    https://learn.microsoft.com/javascript/api/excel/excel.customxmlpartcollection; in a file,
 *    `customXml/itemN.xml`) holding the row count, the last hash and a seal. Excel has no
 *    screen to edit it; but programs that rewrite the file (openpyxl, LibreOffice) drop it.
 * 2. The hidden record: a workbook-level defined name, `_PlanningDesk_LogHead`, hidden
 *    (`visible = false`; in the file `hidden="1"`, so Name Manager does not list it), holding a
 *    text constant: the row count, the last hash, a per-workbook random salt and the seal.
 *    openpyxl reads and writes a workbook's defined names, so its re-save keeps this one (not
 *    run here: test/cli/check-log.test.ts simulates that save), and a cell edit cannot reach it.
 *
 * The seal is SHA-256 over (row count, last hash, salt). The salt is written only in the hidden
 * record, so an anchor rewritten with the visible hash of a new last row (after deleting the
 * tail) does not carry the right seal: forging the anchor needs the hidden record's salt and
 * this formula, not just what the sheet shows.
 *
 * What `verifyLog` reports about the records (besides the chain's breaks): a log with chained
 * rows and no anchor ("anchor missing", even when the hidden record still checks the tail); an
 * anchor part that cannot be read, two anchor parts, a part in another namespace that looks
 * like the anchor; an anchor with no seal (an older version's, or written by hand: the next
 * append seals it) or with a seal that does not match the hidden record (rewritten); the hidden
 * record missing while the anchor is sealed, or damaged, or altered (its own seal does not
 * match); the two records disagreeing. The rows are then compared with the longest record, so
 * a tail deleted after either record was dropped or rewritten is still found. An append after
 * rows were lost keeps counting them (recordedRows), so a later action does not hide the loss.
 *
 * An undo (Ctrl+Z) of the add-in's write removes its rows but not the anchor part (office-js
 * #6415): every row chains, only the tail is missing, both records are sealed and agree. That
 * case alone is "undone-tail" (a probable undo, worded so); the secretary or the director may
 * then re-anchor (src/workbook/reanchor.ts). Every other loss stays "deleted-tail" or "broken".
 *
 * A log cut by the yearly archive (core/workflow/archive.ts) starts at a LogStart kept in both
 * records under their seal: the rows carried over the cut (cards that stayed) are checked as a
 * block by a sealed digest ("carried-changed"), and the next row chains from the archive's
 * last hash. The archive's own log verifies from the shared log's previous start.
 *
 * What it cannot do: anyone who can edit the file's parts can recompute every hash, the salt
 * and both records, and goes unseen; an edited row cannot be told apart from rows deleted just
 * above it. The aim is that a casual edit or a plain re-save never silently hides a deleted tail.
 */
export const LOG_ANCHOR_NS = "http://schemas.planning-desk.app/countersign-log-anchor/1";

/** The hidden defined name holding the second record of the head. */
export const LOG_HEAD_NAME = "_PlanningDesk_LogHead";
const HEAD_TAG = "pd-log-head/1";

/**
 * Where a log cut by a yearly archive starts (src/workbook/archive.ts): the number of rows that
 * went to the archive workbook and the Hash of the last of them. The remainder's first row
 * chains from that hash (its own Hash, unchanged, is chainHash(start.hash, row)), so the
 * archive's last hash anchors the shared log's first row and verifyLog checks the remainder
 * from there instead of from GENESIS. The start is part of both records and of their seal: a
 * start rewritten to hide rows deleted at the top does not carry the right seal, and a start
 * removed leaves the first row unchained.
 */
export interface LogStart {
  rows: number;
  hash: string;
  /**
   * Rows from before the cut kept in this workbook, at the top of the log: the rows of cards
   * that stayed when the year was archived (their predecessors in the chain went to the
   * archive, so they are checked as a block: how many, and carriedDigest over them, sealed).
   * The chain continues after them from `hash`.
   */
  carried?: { rows: number; digest: string };
}

/** The digest of the rows carried over a cut (LogStart.carried): their cells and hashes, in order. */
export function carriedDigest(rows: readonly LogEntry[]): string {
  return sha256Hex(rows.map((e) => `${canonical(e)}\u241d${e.hash ?? ""}`).join("\u241e"), 32);
}

export interface LogAnchor {
  /** Non-blank log rows after the last append (in this workbook: rows archived away are in `start`). */
  rows: number;
  /** The Hash of the last of them (GENESIS for an empty log). */
  hash: string;
  /** sealOf(rows, hash, salt, start); absent in anchors written before the seal (reported). */
  seal?: string;
  /** The log was cut by a yearly archive: it starts there (see LogStart). */
  start?: LogStart;
}

/** The hidden record: the head, the workbook's salt and the seal. */
export interface LogHead {
  rows: number;
  hash: string;
  salt: string;
  seal: string;
  start?: LogStart;
}

export function sealOf(rows: number, hash: string, salt: string, start?: LogStart): string {
  const carried = start?.carried ? `\u241e${start.carried.rows}\u241e${start.carried.digest}` : "";
  const from = start ? `\u241e${start.rows}\u241e${start.hash}${carried}` : "";
  return sha256Hex(`planning-desk log head\u241e${rows}\u241e${hash}\u241e${salt}${from}`, 32);
}

export function anchorOf(log: readonly LogEntry[], start?: LogStart): LogAnchor {
  const hash = log.length ? (log[log.length - 1].hash ?? "") : (start?.hash ?? GENESIS);
  return start ? { rows: log.length, hash, start } : { rows: log.length, hash };
}

/** The head of `log` sealed with the workbook's salt: what an append writes to both records (counting at least `minRows` rows: see recordedRows). */
export function headOf(log: readonly LogEntry[], salt: string, minRows = 0, start?: LogStart): LogHead {
  const a = anchorOf(log, start);
  const rows = Math.max(a.rows, minRows);
  const h = { rows, hash: a.hash, salt, seal: sealOf(rows, a.hash, salt, start) };
  return start ? { ...h, start } : h;
}

const clean = (s: string) => s.replace(/[^0-9A-Za-z]/g, "");

export function anchorXml(a: LogAnchor): string {
  const seal = a.seal === undefined ? "" : `<seal>${clean(a.seal)}</seal>`;
  const carried = a.start?.carried
    ? `<carriedRows>${Math.max(0, Math.floor(a.start.carried.rows))}</carriedRows><carriedDigest>${clean(a.start.carried.digest)}</carriedDigest>`
    : "";
  const start = a.start
    ? `<startRows>${Math.max(0, Math.floor(a.start.rows))}</startRows><startHash>${clean(a.start.hash)}</startHash>${carried}`
    : "";
  return `<?xml version="1.0" encoding="UTF-8"?><logAnchor xmlns="${LOG_ANCHOR_NS}"><rows>${Math.max(0, Math.floor(a.rows))}</rows><hash>${clean(a.hash)}</hash>${seal}${start}</logAnchor>`;
}

/** The anchor in a custom XML part's text; undefined when it is not one (or is damaged). */
export function parseAnchor(xml: string | undefined): LogAnchor | undefined {
  if (!xml || !xml.includes(LOG_ANCHOR_NS)) return undefined;
  const rows = /<(?:\w+:)?rows>\s*(\d+)\s*<\/(?:\w+:)?rows>/.exec(xml);
  const hash = /<(?:\w+:)?hash>\s*([0-9A-Za-z]*)\s*<\/(?:\w+:)?hash>/.exec(xml);
  if (!rows || !hash) return undefined;
  const seal = /<(?:\w+:)?seal>\s*([0-9A-Za-z]*)\s*<\/(?:\w+:)?seal>/.exec(xml);
  const startRows = /<(?:\w+:)?startRows>\s*(\d+)\s*<\/(?:\w+:)?startRows>/.exec(xml);
  const startHash = /<(?:\w+:)?startHash>\s*([0-9A-Za-z]+)\s*<\/(?:\w+:)?startHash>/.exec(xml);
  const a: LogAnchor = seal ? { rows: Number(rows[1]), hash: hash[1], seal: seal[1] } : { rows: Number(rows[1]), hash: hash[1] };
  const carriedRows = /<(?:\w+:)?carriedRows>\s*(\d+)\s*<\/(?:\w+:)?carriedRows>/.exec(xml);
  const digest = /<(?:\w+:)?carriedDigest>\s*([0-9A-Za-z]+)\s*<\/(?:\w+:)?carriedDigest>/.exec(xml);
  if (!startRows || !startHash) return a;
  const start: LogStart = { rows: Number(startRows[1]), hash: startHash[1] };
  return { ...a, start: carriedRows && digest ? { ...start, carried: { rows: Number(carriedRows[1]), digest: digest[1] } } : start };
}

/** The hidden record's text (the defined name's string constant). */
export function headText(h: LogHead): string {
  const carried = h.start?.carried ? ` carried ${Math.max(0, Math.floor(h.start.carried.rows))} ${clean(h.start.carried.digest)}` : "";
  const start = h.start ? ` from ${Math.max(0, Math.floor(h.start.rows))} ${clean(h.start.hash)}${carried}` : "";
  return `${HEAD_TAG} ${Math.max(0, Math.floor(h.rows))} ${clean(h.hash)} ${clean(h.salt)} ${clean(h.seal)}${start}`;
}

/** The hidden record from the name's text (as a value, or as its formula `="…"`); undefined when it is not one. */
export function parseHead(text: string | undefined): LogHead | undefined {
  if (text === undefined) return undefined;
  const m =
    /^=?\s*"?\s*pd-log-head\/1 (\d+) ([0-9A-Za-z]+) ([0-9a-f]{32}) ([0-9a-f]{32})(?: from (\d+) ([0-9A-Za-z]+)(?: carried (\d+) ([0-9a-f]{32}))?)?\s*"?\s*$/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const h: LogHead = { rows: Number(m[1]), hash: m[2], salt: m[3], seal: m[4] };
  if (m[5] === undefined || m[6] === undefined) return h;
  const start: LogStart = { rows: Number(m[5]), hash: m[6] };
  return { ...h, start: m[7] !== undefined && m[8] !== undefined ? { ...start, carried: { rows: Number(m[7]), digest: m[8] } } : start };
}

/**
 * A custom XML part outside the anchor's namespace that looks like the anchor: its namespace
 * names Planning Desk or the anchor, or its root element is `logAnchor`, or its text holds the
 * anchor's namespace. Someone moved the anchor (or a copy) there.
 */
export function looksLikeAnchor(namespace: string | undefined, xml?: string): boolean {
  if (namespace === LOG_ANCHOR_NS) return false;
  return (
    /countersign-log-anchor|planning-?desk/i.test(namespace ?? "") ||
    /<(?:[\w.-]+:)?logAnchor[\s>/]/.test(xml ?? "") ||
    (xml ?? "").includes(LOG_ANCHOR_NS)
  );
}

/** What the workbook keeps of the head outside its cells, as an adapter read it. */
export interface LogRecords {
  /** Every custom XML part in the anchor's namespace (or whose properties name it): where it is (part name or id) and its text. */
  anchors: { where: string; xml: string }[];
  /** Custom XML parts in another namespace that look like the anchor (looksLikeAnchor). */
  lookalikes?: { where: string; namespace: string }[];
  /** The hidden defined name's text; undefined when the workbook has no such name. */
  head?: string;
}

/**
 * The most rows any record of the head says the log had (parts that cannot be read count for
 * nothing). An append writes at least this many plus one: the log is append-only, so rows lost
 * before an append stay reported after it (the records keep counting them) instead of the new
 * head quietly adopting the shorter log.
 */
export function recordedRows(records: LogRecords | undefined): number {
  const counts = [...(records?.anchors ?? []).map((a) => parseAnchor(a.xml)?.rows ?? 0), parseHead(records?.head)?.rows ?? 0];
  return Math.max(0, ...counts);
}

/** Both records of `log`'s head as an append writes them (tests, the demo). */
export function recordsOf(log: readonly LogEntry[], salt: string, start?: LogStart): LogRecords {
  const h = headOf(log, salt, 0, start);
  return {
    anchors: [{ where: "customXml", xml: anchorXml({ rows: h.rows, hash: h.hash, seal: h.seal, start: h.start }) }],
    head: headText(h),
  };
}

/**
 * Where the log in this workbook starts (a yearly archive cut it: LogStart); undefined for a
 * log that starts at GENESIS. The hidden record's start when it can be read, else an anchor's:
 * each is covered by its record's seal, which checkRecords verifies.
 */
export function logStartOf(records: LogRecords | undefined): LogStart | undefined {
  const head = parseHead(records?.head);
  if (head) return head.start;
  for (const a of records?.anchors ?? []) {
    const p = parseAnchor(a.xml);
    if (p) return p.start;
  }
  return undefined;
}

/** One log row as the check sees it: the entry and the sheet row it is on (1-based, as Excel shows it). */
export interface LogRow {
  entry: LogEntry;
  sheetRow: number;
}

export type LogBreakKind =
  | "broken"
  | "inserted"
  | "deleted-tail"
  | "undone-tail"
  | "carried-changed"
  | "emptied"
  | "not-anchored"
  | "anchor-mismatch"
  | "anchor-damaged"
  | "anchor-missing"
  | "anchor-duplicate"
  | "anchor-foreign"
  | "anchor-unsealed"
  | "anchor-forged"
  | "head-missing"
  | "head-damaged"
  | "records-disagree";

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

const describe = (e: LogEntry): string =>
  [e.time === undefined ? "" : formatSerial(e.time), e.cardNo ?? "", e.action ?? "", e.actor ?? ""].filter(Boolean).join(" ");
/** A value shown in a message: one line, at most 60 characters. */
const shown = (s: string): string => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
};

/**
 * The records of the head, checked against each other (see above): the breaks they show, and
 * the longest record that can be read (the one the rows are compared with), if any.
 */
function checkRecords(
  records: LogRecords,
  hasChain: boolean,
): { out: LogBreak[]; reference?: LogAnchor; undoneTo?: LogAnchor; disagree?: LogBreak } {
  const out: LogBreak[] = [];
  let undoneTo: LogAnchor | undefined;
  let disagree: LogBreak | undefined;
  const push = (kind: LogBreakKind, zh: string, en: string) => out.push({ kind, zh, en });
  const found: LogAnchor[] = [];
  const n = records.anchors.length;
  if (n > 1) {
    const where = records.anchors.map((a) => a.where).join(", ");
    push(
      "anchor-duplicate",
      `会签记录的锚点部件有 ${n} 个（${where}）：应只有 1 个，多出的是手工加入的`,
      `the log's anchor part is there ${n} times (${where}): there must be one, the others were put there by hand`,
    );
  }
  const head = parseHead(records.head);
  const headSealed = !!head && head.seal === sealOf(head.rows, head.hash, head.salt, head.start);
  if (records.head !== undefined && !head)
    push(
      "head-damaged",
      `会签记录的隐藏记录（名称 ${LOG_HEAD_NAME}）已损坏：“${shown(records.head)}”`,
      `the log's hidden record (name ${LOG_HEAD_NAME}) is damaged: "${shown(records.head)}"`,
    );
  else if (head && !headSealed)
    push(
      "head-damaged",
      `会签记录的隐藏记录（名称 ${LOG_HEAD_NAME}）被手工改过：其校验印不符（${head.rows} 行）`,
      `the log's hidden record (name ${LOG_HEAD_NAME}) was altered by hand: its seal does not match (${head.rows} rows)`,
    );
  let sealed = false;
  for (const a of records.anchors) {
    const p = parseAnchor(a.xml);
    if (!p) {
      push(
        "anchor-damaged",
        `会签记录的锚点已损坏（${a.where}：“${shown(a.xml)}”），无法用它核对末尾的行`,
        `the log's anchor is damaged (${a.where}: "${shown(a.xml)}"): rows at the end cannot be checked against it`,
      );
      continue;
    }
    found.push(p);
    if (p.seal === undefined) {
      push(
        "anchor-unsealed",
        `会签记录的锚点（${a.where}）没有校验印：它由旧版本写入，或被手工改写（${p.rows} 行）；插件下一次写入会签记录时会补上`,
        `the log's anchor (${a.where}) has no seal: an older version wrote it, or it was rewritten by hand (${p.rows} rows); the add-in's next log entry seals it`,
      );
      continue;
    }
    sealed = true;
    if (headSealed && p.seal !== sealOf(p.rows, p.hash, head.salt, p.start))
      push(
        "anchor-forged",
        `会签记录的锚点（${a.where}）不是插件写入的：其校验印与隐藏记录不符，锚点被改写过（${p.rows} 行，末行 ${p.hash}）`,
        `the log's anchor (${a.where}) was not written by the add-in: its seal does not match the hidden record, it was rewritten (${p.rows} rows, last hash ${p.hash})`,
      );
    else if (
      headSealed &&
      (p.rows !== head.rows ||
        p.hash !== head.hash ||
        p.start?.rows !== head.start?.rows ||
        p.start?.hash !== head.start?.hash ||
        p.start?.carried?.digest !== head.start?.carried?.digest)
    ) {
      const b: LogBreak = {
        kind: "records-disagree",
        zh: `会签记录的锚点（${p.rows} 行）与隐藏记录（${head.rows} 行）不一致`,
        en: `the log's anchor (${p.rows} rows) and its hidden record (${head.rows} rows) disagree`,
      };
      // Both sealed with the workbook's salt, the anchor ahead of the hidden record and the same
      // start: what an undo leaves where it takes back the name with the rows but not the custom
      // XML part. verifyLog decides on the rows (an exact match of the hidden record) whether it is.
      if (n === 1 && p.rows > head.rows && p.start?.rows === head.start?.rows && p.start?.hash === head.start?.hash) {
        undoneTo = { rows: head.rows, hash: head.hash };
        disagree = b;
      } else out.push(b);
    }
  }
  if (head) found.push({ rows: head.rows, hash: head.hash });
  if (!n) {
    for (const l of records.lookalikes ?? [])
      push(
        "anchor-foreign",
        `自定义 XML 部件 ${l.where}（命名空间“${shown(l.namespace)}”）看起来像会签记录的锚点，但不在锚点的命名空间中：它是手工放入的`,
        `custom XML part ${l.where} (namespace "${shown(l.namespace)}") looks like the log's anchor but is not in its namespace: it was put there by hand`,
      );
    if (hasChain || head)
      push(
        "anchor-missing",
        head
          ? `会签记录的锚点不见了（工作簿可能被其他程序另存过，或被手工删除）：末尾的行改由隐藏记录核对（${head.rows} 行）；插件下一次写入会签记录时会重新写入锚点`
          : `会签记录的锚点不见了，隐藏记录（名称 ${LOG_HEAD_NAME}）也没有：末尾被删除的行无法发现`,
        head
          ? `the log's anchor is missing (the workbook was saved by another program, or it was deleted by hand): rows at the end are checked against the hidden record instead (${head.rows} rows); the add-in's next log entry writes the anchor again`
          : `the log's anchor is missing, and so is its hidden record (name ${LOG_HEAD_NAME}): rows deleted at the end cannot be found`,
      );
  }
  if (!head && records.head === undefined && sealed)
    push(
      "head-missing",
      `会签记录的隐藏记录（名称 ${LOG_HEAD_NAME}）不见了：它被手工删除，锚点无法核实`,
      `the log's hidden record (name ${LOG_HEAD_NAME}) is missing: it was deleted by hand, and the anchor cannot be vouched for`,
    );
  const reference = found.reduce<LogAnchor | undefined>((best, r) => (!best || r.rows > best.rows ? r : best), undefined);
  if (out.length && disagree) out.push(disagree);
  return out.length ? { out, reference } : { out, reference, undoneTo, disagree };
}

/**
 * How many rows an undo took back, when `breaks` (verifyLog's) is exactly one "undone-tail":
 * the only case where re-anchoring the log is allowed (src/workbook/reanchor.ts). Undefined
 * for any other finding, so an edited row, a deleted middle row or a forged record is never
 * re-anchored away.
 */
export function undoneRows(breaks: readonly LogBreak[], records: LogRecords, rowsFound: number): number | undefined {
  if (breaks.length !== 1 || breaks[0].kind !== "undone-tail") return undefined;
  return recordedRows(records) - rowsFound;
}

/**
 * Every break in the Countersign Log, with the sheet row it is on and a message in zh/en.
 * `rows` are the log's non-blank rows in table order with their sheet rows; `records` are the
 * head as the workbook keeps it outside the cells (see LogRecords; none given: the workbook
 * has neither). What is found: a row edited by hand (that row), a row inserted by hand (that
 * row), rows deleted in the middle (the row after them; the chain cannot tell this from an edit
 * of that row), rows deleted at the end or the whole log emptied (against the longest record),
 * rows added after the add-in's last append, a head that is not the record's, and every problem
 * of the records themselves (checkRecords). What is not: someone who recomputes every hash and
 * both records.
 */
export function verifyLog(rows: readonly LogRow[], records: LogRecords = { anchors: [] }): LogBreak[] {
  const out: LogBreak[] = [];
  const at = (i: number) => rows[i].sheetRow;
  // A log cut by a yearly archive chains from the archive's last hash (LogStart), after the rows carried over the cut.
  const start = logStartOf(records);
  let prev = start?.hash ?? GENESIS;
  const carried = Math.min(start?.carried?.rows ?? 0, rows.length);
  if (
    start?.carried &&
    (rows.length < start.carried.rows || carriedDigest(rows.slice(0, carried).map((r) => r.entry)) !== start.carried.digest)
  ) {
    const last = carried ? at(carried - 1) : undefined;
    out.push({
      kind: "carried-changed",
      sheetRow: rows.length ? at(0) : undefined,
      zh: `会签记录开头从归档前留下的 ${start.carried.rows} 行${last !== undefined ? `（第 ${at(0)}–${last} 行）` : ""}被修改、删除或插入过：它们与记录的摘要不符`,
      en: `the ${start.carried.rows} log rows kept from before the yearly archive at the top of the log${last !== undefined ? ` (rows ${at(0)}–${last})` : ""} were edited, deleted or added to: they do not match their recorded digest`,
    });
  }
  let chainedRows = carried;
  for (let i = carried; i < rows.length; i++) {
    const e = rows[i].entry;
    if (e.hash === chainHash(prev, e)) {
      prev = e.hash;
      chainedRows++;
      continue;
    }
    const next = rows[i + 1]?.entry;
    if (next && next.hash === chainHash(prev, next)) {
      // The next row follows from the row before this one: this row was put in by hand.
      out.push({
        kind: "inserted",
        sheetRow: at(i),
        index: i,
        entry: e,
        zh: `第 ${at(i)} 行是手工插入的（不在校验链中）：${describe(e)}`,
        en: `row ${at(i)} was inserted by hand (not in the chain): ${describe(e)}`,
      });
      continue; // prev stays: the chain goes on from the row before
    }
    // Edited in place, or rows above it deleted: the chain cannot tell which, the row is the same.
    out.push({
      kind: "broken",
      sheetRow: at(i),
      index: i,
      entry: e,
      zh: `第 ${at(i)} 行与上一行的校验链不符：本行被手工修改过，或它上面的行被删除了：${describe(e)}`,
      en: `row ${at(i)} does not follow from the row above: it was edited by hand, or rows above it were deleted: ${describe(e)}`,
    });
    prev = e.hash ?? "";
  }
  const { out: recordBreaks, reference: anchor, undoneTo, disagree } = checkRecords(records, chainedRows > 0);
  out.push(...recordBreaks);
  // The rows are exactly what the hidden record describes, and the anchor is ahead: an undo that
  // took back the hidden name with the rows (reported as "undone-tail" below), else a disagreement.
  const matchesHidden =
    !!undoneTo &&
    out.length === 0 &&
    chainedRows === rows.length &&
    rows.length === undoneTo.rows &&
    rows[rows.length - 1]?.entry.hash === undoneTo.hash;
  if (disagree && !matchesHidden) out.push(disagree);
  if (!anchor) return out;
  // Rows put in by hand are not the add-in's: the record counts the others.
  const inserted = new Set(out.filter((b) => b.kind === "inserted").map((b) => b.index));
  // Indices of the rows the add-in wrote (no copy of each row: the log may hold hundreds of thousands).
  const chained: number[] = [];
  for (let i = 0; i < rows.length; i++) if (!inserted.has(i)) chained.push(i);
  const after = rows.length ? rows[rows.length - 1].sheetRow + 1 : undefined;
  if (anchor.rows > 0 && chained.length === 0) {
    out.push({
      kind: "emptied",
      zh: `会签记录被清空：应有 ${anchor.rows} 行`,
      en: `the log was emptied: it should have ${anchor.rows} rows`,
    });
  } else if (
    chained.length < anchor.rows &&
    out.length === 0 &&
    records.anchors.length > 0 &&
    (matchesHidden || !chained.some((i) => rows[i].entry.hash === anchor.hash))
  ) {
    // Every row chains from the start, only the tail is missing, and both records are the
    // add-in's (sealed, agreeing): the log is an exact prefix of what the records describe.
    // That is what Excel's undo leaves: Ctrl+Z takes back the add-in's rows (writes are
    // undoable since ExcelApi 1.20) but not the custom XML part (office-js #6415). Rows deleted
    // at the end by hand look the same, hence "probably"; see undoneRows and reanchorLog.
    const missing = anchor.rows - chained.length;
    out.push({
      kind: "undone-tail",
      sheetRow: after,
      zh: `会签记录比锚点少 ${missing} 行（锚点记录 ${anchor.rows} 行，现有 ${chained.length} 行，其余每行都连得上）：可能是撤销（Ctrl+Z）了加载项的写入，也可能是末尾的行被手工删除；请核对这 ${missing} 步操作是否确已撤销，再由秘书或总监“重新锚定”`,
      en: `the log has ${missing} row${missing > 1 ? "s" : ""} fewer than its anchor records (${anchor.rows} recorded, ${chained.length} found, every one of them chains): probably an undo (Ctrl+Z) of the add-in's write, or the last rows were deleted by hand; check that ${missing > 1 ? "these actions were" : "this action was"} really undone, then the secretary or the director can re-anchor the log`,
    });
  } else if (chained.length < anchor.rows) {
    const missing = anchor.rows - chained.length;
    out.push({
      kind: "deleted-tail",
      sheetRow: after,
      zh: `会签记录少了 ${missing} 行（应有 ${anchor.rows} 行，现有 ${chained.length} 行）：末尾或中间的行被删除`,
      en: `${missing} log row${missing > 1 ? "s are" : " is"} missing (${anchor.rows} recorded, ${chained.length} found): rows were deleted at the end or in between`,
    });
  } else {
    const headAt = anchor.rows ? chained[anchor.rows - 1] : undefined;
    const head = headAt === undefined ? undefined : rows[headAt];
    if (headAt !== undefined && head && head.entry.hash !== anchor.hash)
      out.push({
        kind: "anchor-mismatch",
        sheetRow: head.sheetRow,
        index: headAt,
        entry: head.entry,
        zh: `第 ${head.sheetRow} 行不是插件最后写入的那一行：有行被删除后又添加了行`,
        en: `row ${head.sheetRow} is not the last row the add-in wrote: rows were deleted and others added`,
      });
    for (const i of chained.slice(anchor.rows)) {
      const r = rows[i];
      out.push({
        kind: "not-anchored",
        sheetRow: r.sheetRow,
        index: i,
        entry: r.entry,
        zh: `第 ${r.sheetRow} 行不是由插件写入的（在最后一次记录之后添加）：${describe(r.entry)}`,
        en: `row ${r.sheetRow} was not written by the add-in (added after its last entry): ${describe(r.entry)}`,
      });
    }
  }
  return out;
}
