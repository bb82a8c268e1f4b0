/**
 * Writes against co-authors' structural edits, case by case (the property test in
 * coauthor-property.test.ts runs them at random): each write hits the row it means, or nothing
 * stays written and the action says why; the roll-back puts text back as text.
 */
import { toSerial } from "../../src/core/calendar";
import { LOG_ANCHOR_NS, anchorOf, parseAnchor } from "../../src/core/workflow/log";
import { stageOf } from "../../src/core/workflow/stages";
import { actionOf } from "../../src/core/workflow/words";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { ActionRequest, performAction, verifyWorkbookLog, versionOf } from "../../src/workbook/actions";
import { office, demoExcel } from "./fake-office";
import { OfficeWorkbook } from "../../src/workbook/office";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";

const T0 = toSerial(2026, 11, 2, 10, 0);
let seed: FakeExcel;
beforeAll(async () => {
  seed = await demoExcel();
});

async function demo(): Promise<{ excel: FakeExcel; port: OfficeWorkbook }> {
  const excel = seed.fork();
  const port = office(excel);
  await port.read();
  return { excel, port };
}

/** Runs `edit` as a co-author just before the `at`-th round trip of this client from now (2: an action's write, after its read). */
function beforeWrite(excel: FakeExcel, edit: () => void, at = 2): void {
  let n = 0;
  excel.onSync = (source) => {
    if (source === "Local" && ++n === at) edit();
  };
}

const model = async (excel: FakeExcel) => readWorkbook(await office(excel).read()).model;

test("rows inserted above the Register and the log's sheet renamed between read and write: the action still hits its card and appends its log row", async () => {
  const { excel, port } = await demo();
  const m = await model(excel);
  const card = m.cards.find((c) => stageOf(c, m.revisions) === "sent")!;
  beforeWrite(excel, () => {
    excel.state.insertRows(excel.state.table("Register")!.sheet, 0, 3);
    excel.state.renameSheet(excel.state.table("CountersignLog")!.sheet, "签字记录");
  });
  const before = excel.syncs;
  const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead! }, T0);
  expect(excel.syncs - before).toBe(2);
  expect(r.ok).toBe(true);
  const after = await model(excel);
  expect(after.cards.find((c) => c.cardNo === card.cardNo)!.closed).toBeCloseTo(T0, 6);
  expect(after.log.at(-1)).toMatchObject({ cardNo: card.cardNo, action: "项目结束" });
  expect(actionOf(after.log.at(-1))).toBe("close");
  expect(excel.state.table("Register")!.top).toBe(3);
});

test("a row inserted inside the Register above the card between read and write: refused, nothing written, the card and the log as they were", async () => {
  const { excel, port } = await demo();
  const m = await model(excel);
  const card = m.cards.find((c) => stageOf(c, m.revisions) === "sent" && m.cardRows.get(c.cardNo)! > 2)!;
  const reg = excel.state.table("Register")!;
  beforeWrite(excel, () => excel.state.insertRows(reg.sheet, reg.top + 2, 1));
  const before = excel.syncs;
  const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead! }, T0);
  expect(excel.syncs - before).toBe(3); // read, write, put back
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.reason.en).toMatch(/inserted, deleted or sorted rows.*nothing was written/);
  const after = await model(excel);
  expect(after.cards.find((c) => c.cardNo === card.cardNo)!.closed).toBeUndefined();
  expect(after.cards.map((c) => c.closed ?? null)).toEqual(m.cards.map((c) => c.closed ?? null));
  expect(after.log).toEqual(m.log);
  expect(verifyWorkbookLog(await office(excel).read(), after)).toEqual([]);
});

test("relay stamps the card's oldest client revision by requested time, even after the Revisions table was sorted; a sort between read and write is refused", async () => {
  const { excel, port } = await demo();
  const m = await model(excel);
  const card = m.cards.find((c) => ["writing", "review", "sent"].includes(stageOf(c, m.revisions)) && c.ae && c.lead && c.lead !== c.ae)!;
  // Two client revisions on the card, recorded in order by the lead (the AE's own record would be his relay).
  for (const [i, note] of ["first", "second"].entries()) {
    const r = await performAction(
      port,
      { action: "revision", cardNo: card.cardNo, actor: card.lead!, input: { revision: { reason: "Client", major: false, note } } },
      T0 + i / 24,
    );
    expect(r.ok || r.reason.en).toBe(true);
  }
  const revs = excel.state.table("Revisions")!;
  excel.state.sortTable(revs, 1, false); // by requested time, newest first
  const ok = await performAction(port, { action: "relay", cardNo: card.cardNo, actor: card.ae! }, T0 + 3 / 24);
  expect(ok.ok || ok.reason.en).toBe(true);
  let mine = (await model(excel)).revisions.filter((r) => r.cardNo === card.cardNo && r.note && ["first", "second"].includes(r.note));
  expect(mine.find((r) => r.note === "first")!.relayed).toBeCloseTo(T0 + 3 / 24, 6);
  expect(mine.find((r) => r.note === "second")!.relayed).toBeUndefined();

  beforeWrite(excel, () => excel.state.sortTable(revs, 1, true));
  const refused = await performAction(port, { action: "relay", cardNo: card.cardNo, actor: card.ae! }, T0 + 4 / 24);
  expect(refused.ok).toBe(false);
  mine = (await model(excel)).revisions.filter((r) => r.cardNo === card.cardNo && r.note === "second");
  expect(mine[0].relayed).toBeUndefined();
});

test("the roll-back puts text back as text, numbers as numbers and formulas as formulas", async () => {
  const excel = new FakeExcel();
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.add("Data");
    ws.getRange("A1:D1").values = [["Key", "Note", "Code", "Sum"]];
    const text = ws.getRange("B2:C3");
    text.numberFormat = [
      ["General", "@"],
      ["General", "@"],
    ];
    ws.getRange("A2:D3").values = [
      ["k1", `'=HYPERLINK("http://x")`, "0012", "=1+1"],
      ["k2", "'+86 10 1234", "2026-10", 5],
    ];
    ws.tables.add("A1:D3", true).name = "T";
    await ctx.sync();
  });
  const port = office(excel);
  const snap = await port.read();
  expect(findTable(snap, "T")).toBeUndefined(); // not a contract table: read it through a contract name
  // Use the Register's name for the adapter (it reads contract tables only).
  excel.state.table("T")!.name = "Register";
  const snap2 = await port.read();
  expect(findTable(snap2, "Register")!.rows[0][1]).toBe('=HYPERLINK("http://x")');
  const changes = emptyChangeSet();
  for (const col of [1, 2, 3]) for (const row of [0, 1]) changes.cells.push({ table: "Register", row, col, value: `new ${row}${col}` });
  changes.guards = [{ table: "Register", row: 1 }];
  beforeWrite(excel, () => (excel.state.sheet("Data")!.get(2, 0)!.value = "k2 (edited)"), 1);
  const result = await port.write(changes);
  expect(result.conflicts.map((c) => c.address)).toEqual(["Data!A3"]);
  expect(result.unrestored).toBeUndefined();
  const sheet = excel.state.sheet("Data")!;
  const cell = (r: number, c: number) => sheet.get(r, c)!;
  expect(cell(1, 1)).toMatchObject({ value: '=HYPERLINK("http://x")', formula: undefined, numberFormat: "General" });
  expect(cell(2, 1)).toMatchObject({ value: "+86 10 1234", formula: undefined, numberFormat: "General" });
  expect(cell(1, 2)).toMatchObject({ value: "0012", numberFormat: "@" });
  expect(cell(2, 2)).toMatchObject({ value: "2026-10", numberFormat: "@" });
  expect(cell(1, 3)).toMatchObject({ formula: "=1+1" });
  expect(cell(2, 3)).toMatchObject({ value: 5, formula: undefined });
});

test("a co-author's edit between a write and its roll-back: the cells that could not be confirmed are named", async () => {
  const { excel, port } = await demo();
  const m = await model(excel);
  const card = m.cards.find((c) => stageOf(c, m.revisions) === "sent" && m.cardRows.get(c.cardNo)! > 2)!;
  const reg = excel.state.table("Register")!;
  const log = excel.state.table("CountersignLog")!;
  let n = 0;
  excel.onSync = (source) => {
    if (source !== "Local") return;
    n++;
    if (n === 2) excel.state.insertRows(reg.sheet, reg.top + 2, 1); // makes the write conflict
    if (n === 3) excel.state.insertRows(log.sheet, log.top + 1, 1); // moves the log row we appended before we put it back
  };
  const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead! }, T0);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.reason.en).toMatch(/could not be confirmed.*CountersignLog row/);
});

test("two secretaries issuing at once, in 100 interleavings: one number is issued, the other is refused, and the log never raises a false alarm", async () => {
  const request = {
    project: "新品发布",
    client: "青禾乳业",
    key: false,
    intake: "AE" as const,
    initiator: "张伟",
    ae: "张伟",
    received: toSerial(2026, 11, 2, 9, 30),
  };
  let alarms = 0;
  for (let i = 0; i < 100; i++) {
    const { excel } = await demo();
    const a = office(excel);
    const b = office(excel, true);
    await a.read();
    await b.read();
    let k = i;
    excel.onSync = async () => {
      for (let d = (k = (k * 1103515245 + 12345) % 2147483648) % 5; d > 0; d--) await Promise.resolve();
    };
    const [ra, rb] = await Promise.all([
      performAction(a, { action: "issue", actor: "林静", input: { request: { ...request, project: "A" } } }, T0),
      performAction(b, { action: "issue", actor: "赵敏", input: { request: { ...request, project: "B" } } }, T0),
    ]);
    excel.onSync = undefined;
    const ok = [ra, rb].filter((r) => r.ok);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const snap = await office(excel).read();
    const m = readWorkbook(snap).model;
    const issued = m.cards.filter((c) => c.cardNo.startsWith("202611-"));
    expect(issued).toHaveLength(ok.length);
    expect(new Set(issued.map((c) => c.cardNo)).size).toBe(issued.length);
    if (verifyWorkbookLog(snap, m).length) alarms++;
    expect(parseAnchor(snap.customXml!.get(LOG_ANCHOR_NS))).toMatchObject(anchorOf(m.log));
  }
  expect(alarms).toBe(0);
});

test("a row swapped before the action's read is the same card: found by its number and written where it is now", async () => {
  const { excel, port } = await demo();
  const m = await model(excel);
  const card = m.cards.find((c) => stageOf(c, m.revisions) === "sent")!;
  const seen = versionOf(m, card.cardNo)!;
  excel.state.swapRows(excel.state.table("Register")!, m.cardRows.get(card.cardNo)!, 0);
  const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead!, seen } as ActionRequest, T0);
  expect(r.ok).toBe(true); // a moved row is the same card: found by number, written where it is now
  expect((await model(excel)).cards.find((c) => c.cardNo === card.cardNo)!.closed).toBeCloseTo(T0, 6);
});
