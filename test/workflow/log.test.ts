/**
 * The Countersign Log you can trust: its hash chain and the anchor of its head (a custom XML
 * part written with every append) find rows edited, inserted or deleted by hand, a truncated
 * or emptied log, and name each break by its sheet row, blank rows and all.
 */
import { toSerial } from "../../src/core/calendar";
import type { LogEntry } from "../../src/core/model";
import {
  GENESIS,
  LOG_ANCHOR_NS,
  LOG_HEAD_NAME,
  LogRow,
  anchorOf,
  anchorXml,
  chainAppend,
  parseAnchor,
  parseHead,
  recordsOf,
  verifyLog,
} from "../../src/core/workflow/log";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { performAction, verifyWorkbookLog } from "../../src/workbook/actions";
import { OfficeWorkbook } from "../../src/workbook/office";
import { findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { REQUEST as request, T0, demoExcel, logBreaks, office as port } from "./fake-office";

const entry = (i: number): LogEntry => ({
  time: toSerial(2026, 10, 1, 9, i),
  cardNo: `202610-00${i}`,
  action: "issue",
  actor: "林静",
  role: "Secretary",
  note: "",
});
const chain = (n: number) =>
  chainAppend(
    [],
    Array.from({ length: n }, (_, i) => entry(i + 1)),
  );
const rows = (log: LogEntry[], first = 2): LogRow[] => log.map((entry, i) => ({ entry, sheetRow: first + i }));
const SALT = "0123456789abcdef0123456789abcdef";
/** Both records of the head of `log`, as an append writes them. */
const rec = (log: LogEntry[]) => recordsOf(log, SALT);

describe("verifyLog (core): the chain and its anchor", () => {
  test("an intact log anchored at its head has no breaks; nor does an empty one", () => {
    const log = chain(5);
    expect(verifyLog(rows(log), rec(log))).toEqual([]);
    expect(verifyLog([], rec([]))).toEqual([]);
    expect(anchorOf([])).toEqual({ rows: 0, hash: GENESIS });
  });

  test("a row edited by hand is named; the rows after it still chain", () => {
    const log = chain(5);
    log[2] = { ...log[2], actor: "某人" };
    expect(verifyLog(rows(log), rec(chain(5))).map((b) => [b.kind, b.sheetRow])).toEqual([["broken", 4]]);
  });

  test("a row inserted by hand is named once, as inserted", () => {
    const log = chain(5);
    log.splice(2, 0, { ...entry(9), hash: "0123456789abcdef" });
    expect(verifyLog(rows(log), rec(chain(5))).map((b) => [b.kind, b.sheetRow])).toEqual([["inserted", 4]]);
    expect(verifyLog(rows(log), rec(chain(5)))[0].en).toMatch(/^row 4 was inserted by hand/);
  });

  test("rows deleted at the end, or every row, are found against the anchor (the chain alone cannot)", () => {
    const log = chain(5);
    const anchor = rec(log);
    expect(verifyLog(rows(log.slice(0, 3))).map((b) => b.kind)).toEqual(["anchor-missing"]); // the chain alone cannot see the tail: only that the records are gone
    expect(verifyLog(rows(log.slice(0, 3)), anchor).map((b) => [b.kind, b.sheetRow])).toEqual([["undone-tail", 5]]); // exactly what an undo leaves (issue 18): named a probable undo
    expect(verifyLog([], anchor).map((b) => b.kind)).toEqual(["emptied"]);
    expect(verifyLog([], anchor)[0].en).toMatch(/emptied: it should have 5 rows/);
  });

  test("a row deleted in the middle: the row after it, and the count", () => {
    const log = chain(5);
    const cut = [...log.slice(0, 2), ...log.slice(3)];
    expect(verifyLog(rows(cut), rec(log)).map((b) => [b.kind, b.sheetRow])).toEqual([
      ["broken", 4],
      ["deleted-tail", 6],
    ]);
  });

  test("rows added after the add-in's last append, and a tail replaced, are found", () => {
    const log = chain(5);
    const anchor = rec(log.slice(0, 4));
    expect(verifyLog(rows(log), anchor).map((b) => [b.kind, b.sheetRow])).toEqual([["not-anchored", 6]]);
    // The last two rows deleted and two others chained on (by someone who computes hashes): the head is not the anchor's.
    const other = [...log.slice(0, 3), ...chainAppend(log.slice(0, 3), [entry(7), entry(8)])];
    expect(verifyLog(rows(other), rec(log)).map((b) => [b.kind, b.sheetRow])).toEqual([["anchor-mismatch", 6]]);
    const more = [...other, ...chainAppend(other, [entry(9)])];
    expect(verifyLog(rows(more), rec(log)).map((b) => [b.kind, b.sheetRow])).toEqual([
      ["anchor-mismatch", 6],
      ["not-anchored", 7],
    ]);
  });

  test("the anchor's XML round-trips; a damaged part is reported, not trusted", () => {
    const a = anchorOf(chain(3));
    expect(parseAnchor(anchorXml(a))).toEqual(a);
    expect(anchorXml(a)).toContain(`xmlns="${LOG_ANCHOR_NS}"`);
    expect(parseAnchor("<x/>")).toBeUndefined();
    expect(verifyLog(rows(chain(2)), { anchors: [{ where: "customXml/item1.xml", xml: "<x/>" }] }).map((b) => b.kind)).toEqual([
      "anchor-damaged",
    ]);
  });
});

describe("verifyLog (core): the two records of the head", () => {
  const log = chain(5);
  const short = log.slice(0, 3);
  const head = rec(log).head;
  const anchorWith = (a: Parameters<typeof anchorXml>[0]) => [{ where: "customXml/item1.xml", xml: anchorXml(a) }];
  const kinds = (records: Parameters<typeof verifyLog>[1]) => verifyLog(rows(short), records).map((b) => b.kind);

  test("a tail deleted and the anchor rewritten by someone without the salt: the seal gives it away, the hidden record the tail", () => {
    const visible = anchorOf(short);
    expect(kinds({ anchors: anchorWith({ ...visible, seal: rec(log).anchors[0].xml.match(/<seal>(\w+)/)![1] }), head })).toEqual([
      "anchor-forged",
      "deleted-tail",
    ]);
    // A seal made with another salt (a guess) is no better.
    expect(kinds({ anchors: recordsOf(short, "f".repeat(32)).anchors, head })).toEqual(["anchor-forged", "deleted-tail"]);
  });

  test("both records sealed with the salt but holding different heads: they disagree, and the rows meet the longer", () => {
    expect(kinds({ anchors: recordsOf(short, SALT).anchors, head })).toEqual(["records-disagree", "deleted-tail"]);
    // The anchor ahead and the hidden record exactly the rows: what an undo leaves when it takes
    // back the name with the rows but not the custom XML part (office-js #6415).
    expect(kinds({ anchors: rec(log).anchors, head: recordsOf(short, SALT).head })).toEqual(["undone-tail"]);
    // The same records over rows that are not the hidden record's (one row fewer): they disagree.
    expect(verifyLog(rows(log.slice(0, 2)), { anchors: rec(log).anchors, head: recordsOf(short, SALT).head }).map((b) => b.kind)).toEqual([
      "records-disagree",
      "deleted-tail",
    ]);
  });

  test("the hidden record altered, damaged, or gone while the anchor is sealed", () => {
    const altered = head!.replace(/pd-log-head\/1 5/, "pd-log-head/1 3");
    expect(verifyLog(rows(log), { anchors: rec(log).anchors, head: altered }).map((b) => b.kind)).toEqual(["head-damaged"]);
    expect(verifyLog(rows(log), { anchors: rec(log).anchors, head: "=1" }).map((b) => [b.kind, b.en])).toEqual([
      ["head-damaged", 'the log\'s hidden record (name _PlanningDesk_LogHead) is damaged: "=1"'],
    ]);
    expect(verifyLog(rows(log), { anchors: rec(log).anchors }).map((b) => b.kind)).toEqual(["head-missing"]);
    expect(parseHead(`="${head}"`)).toEqual(parseHead(head));
  });
});

describe("the log in the workbook", () => {
  async function anchored(): Promise<FakeExcel> {
    const excel = await demoExcel();
    const p = port(excel);
    await p.read();
    const r = await performAction(p, { action: "issue", actor: "林静", input: { request } }, T0); // the first append anchors the log
    expect(r.ok).toBe(true);
    return excel;
  }
  const check = logBreaks;

  test("every append updates the anchor in the same write; the log verifies", async () => {
    const excel = await anchored();
    const snap = await port(excel).read();
    const m = readWorkbook(snap).model;
    expect(parseAnchor(snap.customXml!.get(LOG_ANCHOR_NS))).toMatchObject(anchorOf(m.log));
    expect(excel.state.customXml).toHaveLength(1);
    expect(await check(excel)).toEqual([]);
  });

  test("deleted tail rows, an emptied log and an inserted row are found, each at its sheet row", async () => {
    let excel = await anchored();
    const log = () => excel.state.table("CountersignLog")!;
    const bottom = log().bottom;
    excel.state.deleteRows(log().sheet, bottom - 1, 2);
    expect((await check(excel)).map((b) => [b.kind, b.sheetRow])).toEqual([["undone-tail", bottom]]); // exactly what an undo leaves (issue 18): named a probable undo

    excel = await anchored();
    const t = log();
    for (let r = t.top + 1; r <= t.bottom; r++) t.sheet.cells.delete(r); // cleared by hand
    const emptied = await check(excel);
    expect(emptied.map((b) => b.kind)).toEqual(["emptied"]);
    expect(emptied[0].zh).toMatch(/会签记录被清空/);

    excel = await anchored();
    const before = readWorkbook(await port(excel).read()).model.log;
    excel.state.insertRows(log().sheet, log().top + 5, 1);
    const r = log().top + 5;
    const copy = before[3];
    ["time", "cardNo", "action", "actor", "role", "note", "hash"].forEach((k, c) =>
      log().sheet.set(r, log().left + c, { value: ((copy as Record<string, unknown>)[k] as string) ?? null }),
    );
    const found = await check(excel);
    expect(found.map((b) => [b.kind, b.sheetRow])).toEqual([["inserted", r + 1]]);
  });

  test("with a blank row above a break, the break is named at its own sheet row", async () => {
    const excel = await anchored();
    const t = excel.state.table("CountersignLog")!;
    excel.state.insertRows(t.sheet, t.top + 3, 1); // a blank row inside the log
    const edited = t.top + 8; // below the blank row
    t.sheet.set(edited, t.left + 3, { value: "某人" });
    const breaks = await check(excel);
    expect(breaks.map((b) => [b.kind, b.sheetRow])).toEqual([["broken", edited + 1]]);
    expect(breaks[0].zh).toContain(`第 ${edited + 1} 行`);
    expect(breaks[0].en).toMatch(new RegExp(`^会签记录: row ${edited + 1} `));
    const raw = findTable(await port(excel).read(), "CountersignLog")!;
    expect(raw.rows[edited - t.top - 1][3]).toBe("某人");
  });
});

describe("the head's two records through Office.js (the strict in-memory Excel)", () => {
  const demo = () => demoExcel();
  /** An action of the pane; with the adapter of a pane that has read the workbook before (its later reads are one round trip). */
  const issue = async (excel: FakeExcel, p: OfficeWorkbook = port(excel)) => {
    const before = excel.syncs;
    const r = await performAction(p, { action: "issue", actor: "林静", input: { request } }, T0);
    return { ok: r.ok, syncs: excel.syncs - before };
  };
  const kinds = async (excel: FakeExcel) => {
    const snap = await port(excel).read();
    return verifyWorkbookLog(snap, readWorkbook(snap).model).map((b) => b.kind);
  };
  const deleteTail = (excel: FakeExcel) => {
    const t = excel.state.table("CountersignLog")!;
    excel.state.deleteRows(t.sheet, t.bottom - 1, 2);
  };
  const anchorPart = (excel: FakeExcel) => excel.state.customXml.filter((p) => p.namespaceUri === LOG_ANCHOR_NS);

  test("an action writes the hidden name (hidden, sealed) with the anchor in its two round trips; the log verifies", async () => {
    const excel = await demo();
    const pane = port(excel);
    await pane.read();
    const { ok, syncs } = await issue(excel, pane);
    expect(ok).toBe(true);
    expect(syncs).toBe(2);
    const key = LOG_HEAD_NAME.toLowerCase();
    expect(excel.state.hiddenNames.has(key)).toBe(true);
    const snap = await port(excel).read();
    const m = readWorkbook(snap).model;
    const head = parseHead(snap.logRecords?.head);
    expect(head).toMatchObject(anchorOf(m.log));
    expect(parseAnchor(anchorPart(excel)[0].xml)?.seal).toBe(head?.seal);
    expect(excel.state.names.get(key)).toBe(`="${snap.logRecords?.head}"`);
    expect(await kinds(excel)).toEqual([]);
  });

  test("anchor part deleted, then the tail: both said; the next action writes the anchor again and the log verifies", async () => {
    const excel = await demo();
    const all = excel.state.customXml;
    all.splice(all.indexOf(anchorPart(excel)[0]), 1);
    expect(await kinds(excel)).toEqual(["anchor-missing"]);
    deleteTail(excel);
    expect(await kinds(excel)).toEqual(["anchor-missing", "deleted-tail"]);

    const fresh = await demo();
    fresh.state.customXml.splice(0, fresh.state.customXml.length);
    await port(fresh).read();
    expect((await issue(fresh)).ok).toBe(true);
    expect(anchorPart(fresh)).toHaveLength(1);
    expect(await kinds(fresh)).toEqual([]);
  });

  test("anchor moved to another namespace, or a second anchor part added: named, and the deleted tail is found", async () => {
    let excel = await demo();
    const part = anchorPart(excel)[0];
    part.xml = part.xml.replace(LOG_ANCHOR_NS, "http://schemas.planning-desk.app/countersign-log-anchor/2");
    part.namespaceUri = "http://schemas.planning-desk.app/countersign-log-anchor/2";
    deleteTail(excel);
    expect(await kinds(excel)).toEqual(["anchor-foreign", "anchor-missing", "deleted-tail"]);

    excel = await demo();
    const snap = await port(excel).read();
    const m = readWorkbook(snap).model;
    excel.state.addCustomXml(anchorXml(anchorOf(m.log.slice(0, -2))));
    deleteTail(excel);
    expect(await kinds(excel)).toEqual(["anchor-duplicate", "anchor-unsealed", "deleted-tail"]);
  });

  test("the hidden name deleted in Excel: said; a name left visible by hand is hidden again by the next action", async () => {
    const excel = await demo();
    const key = LOG_HEAD_NAME.toLowerCase();
    excel.state.names.delete(key);
    expect(await kinds(excel)).toEqual(["head-missing"]);
    const other = await demo();
    other.state.hiddenNames.delete(other.state.hiddenNames.values().next().value ?? "");
    await port(other).read();
    expect((await issue(other)).ok).toBe(true);
    expect(other.state.hiddenNames.has(key)).toBe(true);
  });
});

describe("an action after rows were lost does not make the loss disappear", () => {
  test("the tail deleted, then a card issued in the pane: the two rows are still reported missing, and again after another action", async () => {
    const excel = await demoExcel();
    const t = excel.state.table("CountersignLog")!;
    excel.state.deleteRows(t.sheet, t.bottom - 1, 2);
    const check = async () => {
      const snap = await port(excel).read();
      return verifyWorkbookLog(snap, readWorkbook(snap).model).map((b) => [b.kind, b.en.replace(/^.*: /, "")]);
    };
    expect((await check()).map((b) => b[0])).toEqual(["undone-tail"]); // exactly what an undo leaves (issue 18): named a probable undo
    for (let i = 0; i < 2; i++) {
      const r = await performAction(port(excel), { action: "issue", actor: "林静", input: { request } }, T0 + i / 100);
      expect(r.ok).toBe(true);
      const found = await check();
      expect(found.map((b) => b[0])).toEqual(["deleted-tail"]);
      expect(found[0][1]).toMatch(/^rows were deleted at the end or in between$/);
      const snap = await port(excel).read();
      expect(verifyWorkbookLog(snap, readWorkbook(snap).model)[0].en).toMatch(/2 log rows are missing/);
    }
  });
});
