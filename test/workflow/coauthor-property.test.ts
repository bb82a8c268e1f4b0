/**
 * Two clients on one in-memory Excel, random actions, and a co-author's structural edits
 * (rows inserted or deleted above and inside the tables, a table sorted, two rows swapped, a
 * sheet renamed) between an action's read and its write. Every action either makes its whole
 * change with its log row, or makes none and says why; no other cell changes; no text
 * becomes a formula; the log's chain and anchor raise no false alarm.
 *
 * The oracle works on table contents as multisets of rows: after a round, each table holds
 * the rows it held before, minus the rows the co-author deleted (their content at the moment
 * of deletion), plus, for every action that says it succeeded, the rows its own read and
 * write changed (its snapshot before and after). A partial write, a write into another row, a
 * refused action that left anything behind or a roll-back that changed a cell all break this.
 */
import fc from "fast-check";
import { toSerial } from "../../src/core/calendar";
import type { Card } from "../../src/core/model";
import { ACTIONS, ActionId, permission, waitingOn } from "../../src/core/workflow/actions";
import { LOG_ANCHOR_NS, anchorOf, parseAnchor, verifyLog } from "../../src/core/workflow/log";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import type { TableState, WorkbookState } from "../../src/workbench/fake-excel/state";
import { ActionRequest, ActionResult, logRowsOf, performAction, versionOf } from "../../src/workbook/actions";
import { demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { CellValue, Snapshot, findTable } from "../../src/workbook/port";
import { WorkbookModel, readWorkbook } from "../../src/workbook/read";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
const trace = (s: string) => void (process.env.PROPERTY_TRACE && console.log(s));
const T0 = toSerial(2026, 11, 2, 10, 0);
const TABLES = ["Register", "Revisions", "Incidents", "CountersignLog"];

/** The demo workbook with its log anchored, built once; every run starts from a copy. */
let seed: FakeExcel;
beforeAll(async () => {
  seed = new FakeExcel();
  seed.apiVersion = process.env.PROPERTY_API ?? seed.apiVersion; // e.g. the manifest's floor, 1.7
  const p = new OfficeWorkbook(seed.run.bind(seed) as unknown as ExcelRun, (n, v) => seed.isSetSupported(n, v));
  await p.read();
  // The demo starts anchored (demoChanges writes the log's anchor): no second part of that namespace.
  await p.write(demoChanges("zh"));
  const snap = await p.read();
  expect(parseAnchor(snap.customXml?.get(LOG_ANCHOR_NS))).toMatchObject(anchorOf(readWorkbook(snap).model.log));
  expect(seed.state.customXml.filter((x) => x.namespaceUri === LOG_ANCHOR_NS)).toHaveLength(1);
});

// ---- what a table holds, as a multiset of rows ----

const key = (row: readonly (CellValue | undefined)[]): string =>
  JSON.stringify(
    row.map((v) => (v === null || v === undefined || v === "" ? null : typeof v === "number" ? Math.round(v * 1e6) / 1e6 : v)),
  );
const blank = (row: readonly (CellValue | undefined)[]) => row.every((v) => v === null || v === undefined || v === "");

function tableRows(state: WorkbookState, name: string): CellValue[][] {
  const t = state.table(name)!;
  const out: CellValue[][] = [];
  for (let r = t.top + 1; r <= t.bottom; r++)
    out.push(Array.from({ length: t.right - t.left + 1 }, (_, c) => t.sheet.get(r, t.left + c)?.value ?? null));
  return out;
}

class Bag {
  readonly m = new Map<string, number>();
  add(rows: readonly CellValue[][], sign = 1): this {
    for (const r of rows) if (!blank(r)) this.m.set(key(r), (this.m.get(key(r)) ?? 0) + sign);
    return this;
  }
  diff(other: Bag): string[] {
    const out: string[] = [];
    for (const k of new Set([...this.m.keys(), ...other.m.keys()])) {
      const d = (this.m.get(k) ?? 0) - (other.m.get(k) ?? 0);
      if (d) out.push(`${d > 0 ? "+" : ""}${d} ${k}`);
    }
    return out;
  }
}

const snapRows = (s: Snapshot, name: string) => findTable(s, name)?.rows ?? [];

// ---- the co-author's structural edits ----

type Edit =
  | { kind: "insertAbove"; table: number; count: number }
  | { kind: "insertInside"; table: number; at: number; count: number }
  | { kind: "deleteAbove"; table: number }
  | { kind: "deleteInside"; table: number; at: number }
  | { kind: "sort"; table: number; col: number; asc: boolean }
  | { kind: "swap"; table: number; a: number; b: number }
  | { kind: "rename"; table: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("insertAbove" as const), table: fc.nat(3), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("insertInside" as const), table: fc.nat(3), at: fc.nat(), count: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant("deleteAbove" as const), table: fc.nat(3) }),
  fc.record({ kind: fc.constant("deleteInside" as const), table: fc.nat(3), at: fc.nat() }),
  fc.record({ kind: fc.constant("sort" as const), table: fc.nat(3), col: fc.nat(6), asc: fc.boolean() }),
  fc.record({ kind: fc.constant("swap" as const), table: fc.nat(3), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("rename" as const), table: fc.nat(3) }),
);

/** Applies an edit as Excel would; returns the rows it deleted (their content now). */
function applyEdit(state: WorkbookState, e: Edit, n: number): { deleted: Map<string, CellValue[][]>; touchedLog: boolean } {
  const name = TABLES[e.table];
  const t = state.table(name) as TableState;
  const body = t.bottom - t.top;
  const deleted = new Map<string, CellValue[][]>();
  let touchedLog = false;
  switch (e.kind) {
    case "insertAbove":
      state.insertRows(t.sheet, t.top, e.count);
      break;
    case "insertInside":
      state.insertRows(t.sheet, t.top + 1 + (e.at % body), e.count);
      break;
    case "deleteAbove": {
      // Only a sheet row above every table of the sheet, and empty (rows the co-author inserted before).
      const top = Math.min(...state.tables.filter((x) => x.sheet === t.sheet).map((x) => x.top));
      if (top > 0) state.deleteRows(t.sheet, top - 1, 1);
      break;
    }
    case "deleteInside": {
      if (body < 2) break;
      const r = t.top + 1 + (e.at % body);
      for (const other of state.tables.filter((x) => x.sheet === t.sheet && x.top < r && r <= x.bottom)) {
        const row = Array.from({ length: other.right - other.left + 1 }, (_, c) => other.sheet.get(r, other.left + c)?.value ?? null);
        deleted.set(other.name, [row]);
        if (other.name === "CountersignLog" && !blank(row)) touchedLog = true;
      }
      state.deleteRows(t.sheet, r, 1);
      break;
    }
    case "sort":
      state.sortTable(t, e.col % (t.right - t.left + 1), e.asc);
      if (name === "CountersignLog") touchedLog = true;
      break;
    case "swap":
      if (body < 2) break;
      state.swapRows(t, e.a % body, e.b % body);
      if (name === "CountersignLog" && e.a % body !== e.b % body) touchedLog = true;
      break;
    case "rename":
      state.renameSheet(t.sheet, `${name.slice(0, 8)} ${n}`);
      break;
  }
  return { deleted, touchedLog };
}

// ---- actions the pane would offer ----

interface Plan {
  req: ActionRequest;
}

const REQUEST = {
  project: '=HYPERLINK("x") 新品',
  client: "青禾乳业",
  key: false,
  intake: "AE" as const,
  initiator: "张伟",
  ae: "张伟",
  received: toSerial(2026, 11, 2, 9, 30),
};

/** Every action someone may press now on one of a few cards (and issuing a number). */
function candidates(model: WorkbookModel, pick: number, now: number): Plan[] {
  const ctx = { staff: model.staff, settings: model.settings, revisions: model.revisions, log: model.log, now };
  const cards = model.cards.filter((_, i) => (i + pick) % 5 === 0).slice(0, 8);
  const out: Plan[] = [
    { req: { action: "issue", actor: "林静", input: { request: { ...REQUEST, project: `${REQUEST.project} ${pick}` } } } },
  ];
  const inputs: Partial<Record<ActionId, ActionRequest["input"]>> = {
    assign: { lead: "刘洋", reviewer: "王磊" },
    reply: { due: now + 10 },
    return: { reason: "=缺少预算" },
    revision: { revision: { reason: "Client", major: pick % 2 === 0, note: "'换主视觉" } },
    incident: { incident: { kind: "Attitude complaint", note: "+来电" } },
    // The approval moves, with text that would be a formula if it were not written as text.
    sendBack: { reason: "=重写" },
    handOver: { to: pick % 2 ? "吴昊" : "孙悦", reason: "-休假" },
    handOverSign: { to: pick % 2 ? "孙悦" : "周婷", reason: "@出差" },
    addSigner: { to: pick % 2 ? "孙悦" : "吴昊", position: pick % 3 ? "after" : "before" },
    comment: { text: "=SUM(1,2) 看看" },
    copy: { to: pick % 2 ? "孙悦" : "李娜", text: "+请留意" },
    changeDue: { due: now + 12, reason: "'客户延期" },
    excuse: { deadline: "D1", reason: "=客户改期" },
    sign: { text: "=同意" },
  };
  for (const card of cards as Card[]) {
    for (const def of ACTIONS) {
      if (def.id === "issue") continue;
      const actor = model.staff.find((s) => s.active && permission(def.id, card, s.name, ctx).allowed)?.name;
      if (!actor) continue;
      // Chase someone the card waits for (not the one chasing).
      const input = def.id === "chase" ? { to: waitingOn(card, ctx).find((n) => n !== actor) ?? "孙悦", text: "=催" } : inputs[def.id];
      out.push({ req: { action: def.id, cardNo: card.cardNo, actor, input, seen: versionOf(model, card.cardNo) } });
    }
  }
  return out;
}

const roundArb = fc.record({
  a: fc.nat(),
  b: fc.option(fc.nat(), { freq: 2 }),
  edits: fc.array(fc.record({ edit: editArb, client: fc.constantFrom("Local" as const, "Remote" as const) }), { maxLength: 3 }),
  delays: fc.array(fc.nat(4), { minLength: 8, maxLength: 8 }),
});

interface Tally {
  runs: number;
  actions: number;
  applied: number;
  refused: number;
  refusedWrite: number;
  refusedAnchor: number;
  edits: number;
  syncs: { normal: number[]; conflict: number[]; anchor: number[] };
}
const applied = new Map<string, number>();
const tally: Tally = {
  runs: 0,
  actions: 0,
  applied: 0,
  refused: 0,
  refusedWrite: 0,
  refusedAnchor: 0,
  edits: 0,
  syncs: { normal: [], conflict: [], anchor: [] },
};

afterAll(() => {
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  // The figures the README and the closing note quote.
  console.log(
    `property: ${tally.runs} interleavings, ${tally.actions} actions: ${tally.applied} applied, ${tally.refused} refused ` +
      `(${tally.refusedAnchor} before writing anything: the other client had appended to the log; ${tally.refusedWrite} written, found in conflict and rolled back; ` +
      `${tally.refused - tally.refusedAnchor - tally.refusedWrite} refused by the guards), ${tally.edits} co-author edits; ` +
      `round trips: normal path max ${max(tally.syncs.normal)}, refused before writing max ${max(tally.syncs.anchor)}, rolled back max ${max(tally.syncs.conflict)}; ` +
      `applied per action: ${[...applied]
        .sort()
        .map(([a, n]) => `${a} ${n}`)
        .join(", ")}`,
  );
});

test(`${RUNS} random interleavings of two clients and a co-author's structural edits: all or nothing, no other cell, no formula, no false alarm`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(roundArb, { minLength: 1, maxLength: 2 }), async (rounds) => {
      tally.runs++;
      const excel = seed.fork();
      let minute = 0;
      let renames = 0;
      let logTouched = false;
      // One adapter per client for the whole run, as a pane keeps one; each counts its batches.
      const phase0 = { Local: 0, Remote: 0 };
      let phaseRef = phase0;
      const makePort = (source: "Local" | "Remote") => {
        const run = (source === "Local" ? excel.run : excel.runAsCoauthor).bind(excel);
        const wrapped = (async (batch: (ctx: unknown) => Promise<unknown>) => {
          phaseRef[source]++;
          return run(batch as never);
        }) as unknown as ExcelRun;
        return new OfficeWorkbook(wrapped, (n, v) => excel.isSetSupported(n, v));
      };
      const ports = { Local: makePort("Local"), Remote: makePort("Remote") };
      await ports.Local.read();
      await ports.Remote.read();
      for (const round of rounds) {
        const now = T0 + (minute += 7) / 1440;
        const before = new Map(TABLES.map((n) => [n, tableRows(excel.state, n)]));
        const model = readWorkbook(
          await new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v)).read(),
        ).model;
        const plans = candidates(model, round.a, now);
        const chosen = [plans[round.a % plans.length], round.b === null ? undefined : plans[(round.b * 7 + 3) % plans.length]];

        // Each client: which batch of its action is running (1 read, 2 write, 3 restore), its own snapshots.
        const phase = { Local: 0, Remote: 0 };
        const done = { Local: false, Remote: false };
        phaseRef = phase;
        const snaps = { Local: [] as Snapshot[], Remote: [] as Snapshot[] };
        let delay = 0;
        const pending = [...round.edits];
        const deletedByTable = new Map<string, Bag>();
        excel.onSync = async (source) => {
          for (let i = round.delays[delay++ % round.delays.length]; i > 0; i--) await Promise.resolve();
          // The co-author edits between a client's read and its write (just before the write runs).
          trace(`sync ${source} phase ${phase[source]}`);
          if (phase[source] !== 2) return;
          // Not while the other client is between its write and its roll-back (one round trip): a
          // structural edit there moves the rows it puts back. That window is reported, not closed
          // (office.ts, "Limits"; the test "a co-author's edit between a write and its roll-back").
          const other = source === "Local" ? "Remote" : "Local";
          if (phase[other] >= 2 && !done[other]) return;
          for (let i = pending.findIndex((p) => p.client === source); i >= 0; i = pending.findIndex((p) => p.client === source)) {
            const [{ edit }] = pending.splice(i, 1);
            tally.edits++;
            trace(`  edit ${JSON.stringify(edit)}`);
            const r = applyEdit(excel.state, edit, ++renames);
            logTouched ||= r.touchedLog;
            for (const [name, rows] of r.deleted) (deletedByTable.get(name) ?? deletedByTable.set(name, new Bag()).get(name)!).add(rows);
          }
        };
        const client = (source: "Local" | "Remote") => {
          const port = ports[source];
          const read = port.read.bind(port);
          return {
            read: async () => {
              const s = await read();
              snaps[source].push(s);
              return s;
            },
            write: port.write.bind(port),
          };
        };
        const go = async (
          source: "Local" | "Remote",
          plan: Plan | undefined,
        ): Promise<{ r: ActionResult; syncs: number; batches: number } | undefined> => {
          if (!plan) {
            done[source] = true;
            return undefined;
          }
          const counter = source === "Local" ? excel.counter : (excel as unknown as { coauthorCounter: { syncs: number } }).coauthorCounter;
          const s0 = counter.syncs;
          const r = await performAction(client(source) as unknown as OfficeWorkbook, plan.req, now);
          done[source] = true;
          return { r, syncs: counter.syncs - s0, batches: phase[source] };
        };
        trace(
          `round: Local ${JSON.stringify(chosen[0]?.req.action)} ${chosen[0]?.req.cardNo} | Remote ${JSON.stringify(chosen[1]?.req.action)} ${chosen[1]?.req.cardNo}`,
        );
        const results = await Promise.all([go("Local", chosen[0]), go("Remote", chosen[1])]);
        results.forEach(
          (r, i) =>
            r && trace(`  ${i ? "Remote" : "Local"}: ${r.r.ok ? "ok" : r.r.reason.en} ${r.r.ok ? "" : JSON.stringify(r.r.changed ?? [])}`),
        );
        excel.onSync = undefined;

        // The oracle: every table's rows = before − deleted + what each successful action changed.
        const expected = new Map(TABLES.map((n) => [n, new Bag().add(before.get(n)!)]));
        results.forEach((res, i) => {
          if (!res) return;
          const source = i === 0 ? "Local" : "Remote";
          tally.actions++;
          if (res.r.ok) {
            tally.applied++;
            applied.set(res.r.effect.log.action!, (applied.get(res.r.effect.log.action!) ?? 0) + 1);
            tally.syncs.normal.push(res.syncs);
            expect(res.syncs).toBeLessThanOrEqual(2);
            const mine = snaps[source][0];
            for (const n of TABLES) expected.get(n)!.add(snapRows(mine, n), -1).add(snapRows(res.r.snapshot, n));
            // Its log row is there (unless the co-author deleted it afterwards, which the bag accounts for).
          } else {
            tally.refused++;
            expect(`${res.r.reason.zh}${res.r.reason.en}`.length).toBeGreaterThan(10);
            if (/wrote to the log meanwhile/.test(res.r.reason.en)) {
              tally.refusedAnchor++;
              tally.syncs.anchor.push(res.syncs);
              expect(res.syncs).toBeLessThanOrEqual(2);
            } else if (res.batches >= 2) {
              tally.refusedWrite++;
              tally.syncs.conflict.push(res.syncs);
              expect(res.syncs).toBeLessThanOrEqual(3);
            }
          }
        });
        for (const n of TABLES) {
          const have = new Bag().add(tableRows(excel.state, n));
          const want = expected.get(n)!;
          const gone = deletedByTable.get(n);
          if (gone) for (const [k, c] of gone.m) want.m.set(k, (want.m.get(k) ?? 0) - c);
          const d = have.diff(want);
          if (d.length)
            throw new Error(
              `${n} is not what the actions say they did (${results.map((r) => (r ? (r.r.ok ? `${r.r.effect.log.action} ok` : `refused: ${r.r.reason.en}`) : "-")).join(" | ")}):\n${d.join("\n")}`,
            );
        }
        // No text became a formula: the demo holds none, and the add-in never writes one.
        for (const sheet of excel.state.sheets)
          for (const [r, line] of sheet.cells)
            for (const [c, cell] of line)
              if (cell.formula !== undefined) throw new Error(`${sheet.name} row ${r + 1} col ${c + 1} became a formula: ${cell.formula}`);
      }
      // No false alarm: while no one edited the log's rows by hand, its chain and anchor hold.
      if (!logTouched) {
        const snap = await new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v)).read();
        const { model } = readWorkbook(snap);
        const anchors = excel.state.customXml.filter((p) => p.namespaceUri === LOG_ANCHOR_NS);
        expect(anchors).toHaveLength(1);
        expect(verifyLog(logRowsOf(snap, model), snap.logRecords)).toEqual([]);
      }
    }),
    {
      numRuns: RUNS,
      seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined,
      path: process.env.PROPERTY_PATH,
      endOnFailure: true,
    },
  );
  // The approval moves are among the random actions, and most of them went through at least once.
  if (RUNS >= 200 && !process.env.PROPERTY_SEED) {
    const moves = ["sendBack", "withdraw", "handOver", "handOverSign", "addSigner", "comment", "copy", "chase", "changeDue"];
    expect(moves.filter((m) => applied.get(m)).length).toBeGreaterThanOrEqual(6);
  }
}, 300_000);
