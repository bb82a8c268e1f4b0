/**
 * Undo told apart from tampering (issue 18): Ctrl+Z takes back the add-in's rows but not the
 * log's anchor part, so the log is an exact prefix of what the records describe. That is named
 * as a probable undo; an edited row or a deleted middle row never is. The secretary or the
 * director may then re-anchor (reanchorLog), and only then.
 * An undo is simulated by deleting the last rows (the hidden name stays), and done with the
 * in-memory Excel's own undo (which takes the hidden name back with the rows, not the part).
 */
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { performAction } from "../../src/workbook/actions";
import { readWorkbook } from "../../src/workbook/read";
import { reanchorLog } from "../../src/workbook/reanchor";
import { REQUEST as request, T0, demoExcel, logBreaks, office as port } from "./fake-office";

async function withTwoActions(): Promise<FakeExcel> {
  const excel = await demoExcel();
  for (let i = 0; i < 2; i++)
    expect((await performAction(port(excel), { action: "issue", actor: "林静", input: { request } }, T0 + i / 100)).ok).toBe(true);
  return excel;
}
const log = (excel: FakeExcel) => excel.state.table("CountersignLog")!;
const check = logBreaks;
/** Ctrl+Z of the last `n` actions: their rows go, the anchor part and the hidden name stay. */
const undo = (excel: FakeExcel, n: number) => excel.state.deleteRows(log(excel).sheet, log(excel).bottom - (n - 1), n);

describe("an undo of the add-in's write, told apart from tampering", () => {
  test("the last action undone is named a probable undo, in both languages, with the count; an edited row or a deleted middle row never is", async () => {
    let excel = await withTwoActions();
    undo(excel, 1);
    const found = await check(excel);
    expect(found.map((b) => b.kind)).toEqual(["undone-tail"]);
    expect(found[0].zh).toMatch(/会签记录比锚点少 1 行.*可能是撤销（Ctrl\+Z）了加载项的写入/);
    expect(found[0].en).toMatch(/1 row fewer than its anchor records .*probably an undo \(Ctrl\+Z\) of the add-in's write/);

    // Tampering is never named an undo: a middle row deleted, a row edited by hand.
    excel = await withTwoActions();
    const t = log(excel);
    excel.state.deleteRows(t.sheet, t.bottom - 2, 1); // a middle row
    expect((await check(excel)).map((b) => b.kind)).toEqual(["broken", "deleted-tail"]);

    excel = await withTwoActions();
    const t2 = log(excel);
    t2.sheet.set(t2.bottom - 1, t2.left + 3, { value: "某人" }); // an edited row (the actor of the row before the last)
    undo(excel, 1);
    const kinds = (await check(excel)).map((b) => b.kind);
    expect(kinds).toContain("broken");
    expect(kinds).not.toContain("undone-tail");
  });

  test("re-anchor: refused to others, refused for tampering, and afterwards the log is clean and shows the row", async () => {
    const excel = await withTwoActions();
    const last = T0 + 1;
    undo(excel, 2);
    const planner = await reanchorLog(port(excel), "张伟", last);
    expect(planner).toMatchObject({ ok: false });
    expect(planner.ok ? "" : planner.reason.en).toMatch(/only the secretary or the director may re-anchor/);
    expect((await check(excel)).map((b) => b.kind)).toEqual(["undone-tail"]);

    const done = await reanchorLog(port(excel), "林静", last);
    expect(done).toMatchObject({ ok: true, givenUp: 2 });
    expect(await check(excel)).toEqual([]);
    const snap = await port(excel).read();
    const rows = readWorkbook(snap).model.log;
    expect(rows[rows.length - 1]).toMatchObject({ action: "重新锚定", actor: "林静", role: "秘书" });
    expect(rows[rows.length - 1].note).toMatch(/2 行已撤销/);

    const again = await reanchorLog(port(excel), "林静", last);
    expect(again.ok ? "" : again.reason.en).toMatch(/nothing to re-anchor/);
  });

  test("re-anchor is refused when the log was tampered with (a middle row deleted)", async () => {
    const excel = await withTwoActions();
    const t = log(excel);
    excel.state.deleteRows(t.sheet, t.bottom - 2, 1);
    const r = await reanchorLog(port(excel), "林静", T0 + 1);
    expect(r.ok ? "" : r.reason.en).toMatch(/not an undo, it cannot be re-anchored/);
    expect((await check(excel)).map((b) => b.kind)).toEqual(["broken", "deleted-tail"]);
  });
  test("the in-memory Excel's own undo takes back the rows and the hidden name, not the anchor part: named an undo, re-anchored clean", async () => {
    const excel = await demoExcel();
    expect((await performAction(port(excel), { action: "issue", actor: "林静", input: { request } }, T0)).ok).toBe(true);
    const rowsBefore = log(excel).bottom;
    excel.undoable = true;
    expect((await performAction(port(excel), { action: "issue", actor: "林静", input: { request } }, T0 + 0.01)).ok).toBe(true);
    excel.undo();
    expect(log(excel).bottom).toBe(rowsBefore);
    expect((await check(excel)).map((b) => b.kind)).toEqual(["undone-tail"]);
    const done = await reanchorLog(port(excel), "林静", T0 + 0.02);
    expect(done).toMatchObject({ ok: true, givenUp: 1 });
    expect(await check(excel)).toEqual([]);

    // The same state with a row edited by hand is tampering, not an undo: the records disagree.
    excel.undoable = true;
    expect((await performAction(port(excel), { action: "issue", actor: "林静", input: { request } }, T0 + 0.03)).ok).toBe(true);
    excel.undo();
    const t = log(excel);
    t.sheet.set(t.bottom - 1, t.left + 3, { value: "某人" });
    const kinds = (await check(excel)).map((b) => b.kind);
    expect(kinds).toContain("broken");
    expect(kinds).toContain("records-disagree");
    expect(kinds).not.toContain("undone-tail");
  });
});
