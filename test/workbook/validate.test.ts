/**
 * Validate before writing (src/workbook/validate.ts): the row an action would produce, read
 * back by the reader, gives no finding that the write would then leave in the workbook; the
 * partial cards the reader keeps for rows with an error; dates to the minute as Excel shows them.
 */
import { formatSerial, formatSerialMinute, toSerial, withoutSeconds } from "../../src/core/calendar";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { performAction } from "../../src/workbook/actions";
import { calendarOf } from "../../src/workbook/calendar";
import { demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { CellValue, findTable, Snapshot } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { REGISTER } from "../../src/workbook/schema";
import { proposeDue, standardOf, urgency, validateAction } from "../../src/workbook/validate";

const T0 = toSerial(2026, 11, 2, 10, 0);

async function demo(): Promise<{ port: OfficeWorkbook; snapshot: Snapshot }> {
  const excel = new FakeExcel();
  const port = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  await port.read();
  await port.write(demoChanges("zh"));
  return { port, snapshot: await port.read() };
}

const request = (over: object = {}) => ({
  request: { project: "新品发布", intake: "AE" as const, ae: "张伟", initiator: "张伟", key: false, received: T0, ...over },
});

test("formatSerialMinute shows minutes as Excel does; formatSerial keeps the seconds the log's hash needs", () => {
  const t = toSerial(2026, 11, 23, 6, 52, 42);
  expect(formatSerialMinute(t)).toBe("2026-11-23 06:52");
  expect(formatSerial(t)).toBe("2026-11-23 06:52:42");
  expect(formatSerialMinute(toSerial(2026, 11, 23, 6, 52, 59.4))).toBe("2026-11-23 06:52");
  expect(withoutSeconds("已于 2026-11-23 06:52:42 回复客户；2026-11-24 10:00")).toBe("已于 2026-11-23 06:52 回复客户；2026-11-24 10:00");
});

test("a request received in a year without official holidays is valid, with the calendar warning", async () => {
  const { snapshot } = await demo();
  const { model } = readWorkbook(snapshot);
  const at = toSerial(2027, 1, 5, 10, 0);
  const v = validateAction(model, { action: "issue", actor: "林静", ...{ input: request({ received: toSerial(2027, 1, 5, 9, 0) }) } }, at);
  expect(v.errors).toEqual([]);
  expect(v.warnings.map((w) => w.zh)).toEqual([expect.stringContaining("2027 年尚无官方节假日安排")]);
});

test("errors the reader would report are found before writing, with the cell; a reply needs its Due; a Due before Received is refused", async () => {
  const { port, snapshot } = await demo();
  const issued = await performAction(port, { action: "issue", actor: "林静", input: request() }, T0);
  expect(issued.ok).toBe(true);
  const cardNo = issued.ok ? issued.effect.cardNo : "";
  // Someone moves Received to the 20th (by hand).
  const after = issued.ok ? issued.snapshot : snapshot;
  const reg = findTable(after, "Register")!;
  const { model: m0 } = readWorkbook(after);
  const row = m0.cardRows.get(cardNo)!;
  const recCol = m0.tables.get("Register")!.cols.get("received")!;
  const fine = validateAction(m0, { action: "reply", cardNo, actor: "张伟", input: { due: toSerial(2026, 11, 12, 18, 0) } }, T0 + 0.01);
  expect(fine.errors).toEqual([]);
  reg.rows[row][recCol] = toSerial(2026, 11, 20, 9, 0);
  const { model } = readWorkbook(after);

  const noDue = validateAction(model, { action: "reply", cardNo, actor: "张伟", input: {} }, T0 + 0.01);
  expect(noDue.errors.map((f) => f.zh)).toContainEqual(expect.stringContaining("请填写与客户约定的交稿时间"));

  const early = validateAction(model, { action: "reply", cardNo, actor: "张伟", input: { due: toSerial(2026, 11, 10, 18, 0) } }, T0 + 0.01);
  const texts = early.errors.map((f) => f.zh);
  const dueCell = `项目登记!${String.fromCharCode(65 + reg.left + model.tables.get("Register")!.cols.get("due")!)}${reg.top + 2 + row}`;
  expect(texts).toContainEqual(`${dueCell}：交稿时间（2026-11-10 18:00）早于需求接收（2026-11-20 09:00）`);
  // The reader's own order rule: the reply (stamped now) before the request arrived.
  expect(early.errors.map((f) => f.code)).toContain("date-order");
  expect(texts.some((t) => t.includes("回复客户"))).toBe(true);
});

test("validate refuses what core refuses, with core's reason, and never throws for it", async () => {
  const { snapshot } = await demo();
  const { model } = readWorkbook(snapshot);
  expect(validateAction(model, { action: "issue", actor: "林静", input: request({ project: "" }) }, T0).refused?.zh).toBe("请填写项目名称");
  expect(validateAction(model, { action: "issue", actor: "刘洋", input: request() }, T0).refused?.zh).toContain("须由秘书操作");
  const none = validateAction(model, { action: "issue", actor: "林静", input: request({ ae: undefined, initiator: undefined }) }, T0);
  expect(none.errors.map((f) => f.zh)).toContainEqual(expect.stringContaining("请选择需求发起人或 AE"));
  const future = validateAction(model, { action: "issue", actor: "林静", input: request({ received: T0 + 3 }) }, T0);
  expect(future.errors.map((f) => f.zh)).toContainEqual(expect.stringContaining("晚于现在"));
});

test("the Due proposed from the deliverable's standard, and a shorter one marked urgent", async () => {
  const { snapshot } = await demo();
  const { model } = readWorkbook(snapshot);
  const cal = calendarOf(model);
  expect(standardOf(model.standards, "媒介排期")?.maxDays).toBe(3);
  expect(standardOf(model.standards, "Media schedule")).toBeUndefined(); // a Chinese workbook's table holds the Chinese words
  const p = proposeDue(model, cal, { deliverable: "媒介排期", received: T0 }, T0)!;
  expect(formatSerialMinute(p.due)).toBe("2026-11-05 10:00");
  expect(urgency(p, cal, toSerial(2026, 11, 3, 18, 0)).urgent).toBe(true);
  expect(urgency(p, cal, p.due).urgent).toBe(false);
  expect(proposeDue(model, cal, { deliverable: "其他" }, T0)).toBeUndefined();
});

test("a Register row with a bad cell: left out of the computations, kept as a partial card with its findings and bad columns", async () => {
  const { snapshot } = await demo();
  const reg = findTable(snapshot, "Register")!;
  const { model: m0 } = readWorkbook(snapshot);
  const row = m0.cardRows.get("202610-024")!;
  const info = m0.tables.get("Register")!;
  reg.rows[row][info.cols.get("replied")!] = "10月16日上午";
  reg.rows[row][info.cols.get("draft")!] = toSerial(2026, 10, 1); // before the framework
  const { model, findings } = readWorkbook(snapshot);
  expect(model.cards.some((c) => c.cardNo === "202610-024")).toBe(false);
  const partial = model.partialCards.find((p) => p.card.cardNo === "202610-024")!;
  expect(partial.row).toBe(row);
  expect(partial.bad.sort()).toEqual(["draft", "replied"]);
  expect(partial.card.lead).toBe("刘洋");
  expect(partial.card.replied).toBeUndefined();
  expect(partial.findings.map((f) => f.code).sort()).toEqual(["bad-date", "date-order"]);
  expect(partial.findings.every((f) => findings.includes(f))).toBe(true);
  expect(model.partialCards).toHaveLength(1);
});

test("the rows validate passes, once written, are never findings (every action of a card's life)", async () => {
  const { port } = await demo();
  let t = T0;
  const steps: [string, string, object][] = [
    ["issue", "林静", request({ deliverable: "媒介排期" })],
    ["assign", "王磊", { lead: "刘洋" }],
    ["reply", "张伟", { due: toSerial(2026, 11, 12, 18, 0) }],
    ["brief", "刘洋", {}],
    ["sign", "刘洋", {}],
    ["sign", "王磊", {}],
    ["sign", "陈刚", {}],
  ];
  let cardNo: string | undefined;
  for (const [action, actor, input] of steps) {
    t += 0.01;
    const snap = await port.read();
    const { model, findings } = readWorkbook(snap);
    const v = validateAction(model, { action: action as never, cardNo, actor, input }, t);
    expect([action, v.errors, v.refused]).toEqual([action, [], undefined]);
    const r = await performAction(port, { action: action as never, cardNo, actor, input }, t);
    expect(r.ok).toBe(true);
    if (r.ok) cardNo = r.effect.cardNo;
    const after = readWorkbook(await port.read()).findings;
    expect(after.length).toBe(findings.length);
  }
  // The row as the reader gives it.
  const snap = await port.read();
  const rows = findTable(snap, "Register")!.rows as CellValue[][];
  expect(rows[rows.length - 1].length).toBeGreaterThanOrEqual(REGISTER.columns.length - 5);
});
