/**
 * The workflow on the in-memory Excel: a card from request to archive, every action in at
 * most two round trips; guards and their reasons; AB-role backups; the log's hash chain;
 * co-authors issuing, signing and editing at the same time.
 */
import { toSerial } from "../../src/core/calendar";
import { actionDef, permission, relayersOf } from "../../src/core/workflow/actions";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { DEMO_NOW, demoData } from "../../src/workbook/demo";
import { doneText } from "../../src/taskpane/done";
import { cardContext, indexByCard, waitingFor, waitingLine } from "../../src/core/workflow/inbox";
import { verifyChain } from "../../src/core/workflow/log";
import { LOG_WORDS, actionOf } from "../../src/core/workflow/words";
import { stageOf } from "../../src/core/workflow/stages";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { calendarOf } from "../../src/workbook/calendar";
import { ActionRequest, performAction, versionOf } from "../../src/workbook/actions";
import { findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { T0, demoExcel as demoWorkbook, pane } from "./fake-office";

const port = (excel: FakeExcel) => pane(excel);
const coauthor = (excel: FakeExcel) => pane(excel, true);

/** The demo workbook, read again by the pane after setting it up (its tables are new to the adapter). */
async function demoExcel(): Promise<FakeExcel> {
  const excel = await demoWorkbook();
  await port(excel).read();
  return excel;
}

const request = {
  project: '=HYPERLINK("x") 新品发布',
  client: "青禾乳业",
  key: true,
  intake: "AE" as const,
  initiator: "张伟",
  ae: "张伟",
  received: toSerial(2026, 11, 2, 9, 30),
};

async function act(excel: FakeExcel, req: ActionRequest, minutes: number) {
  const before = excel.syncs;
  const r = await performAction(port(excel), req, T0 + minutes / 1440);
  expect(excel.syncs - before).toBeLessThanOrEqual(2);
  return r;
}

async function model(excel: FakeExcel) {
  return readWorkbook(await port(excel).read()).model;
}

test("a card from request to archive, each action in at most two round trips", async () => {
  const excel = await demoExcel();
  const issued = await act(excel, { action: "issue", actor: "林静", input: { request } }, 0);
  expect(issued.ok).toBe(true);
  const cardNo = issued.ok ? issued.effect.cardNo : "";
  expect(cardNo).toBe("202611-001");

  const steps: [ActionRequest, string][] = [
    [{ action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, "order"],
    [{ action: "reply", cardNo, actor: "张伟", input: { due: toSerial(2026, 11, 12, 18, 0) } }, "order"],
    [{ action: "brief", cardNo, actor: "刘洋" }, "countersign"],
    [{ action: "sign", cardNo, actor: "刘洋" }, "countersign"],
    [{ action: "sign", cardNo, actor: "赵敏" }, "countersign"], // the assistant manager: an or-sign
    [{ action: "sign", cardNo, actor: "陈刚" }, "communication"],
    [{ action: "startWriting", cardNo, actor: "刘洋" }, "writing"],
    [{ action: "framework", cardNo, actor: "刘洋" }, "writing"],
    [{ action: "draft", cardNo, actor: "周婷" }, "review"], // 周婷 backs up 刘洋
    [{ action: "review", cardNo, actor: "王磊" }, "review"],
    [{ action: "directorReview", cardNo, actor: "陈刚" }, "review"],
    [{ action: "send", cardNo, actor: "刘洋" }, "sent"],
    [{ action: "revision", cardNo, actor: "刘洋", input: { revision: { reason: "Client", major: true, note: "换主视觉" } } }, "review"],
    [{ action: "relay", cardNo, actor: "张伟" }, "review"],
    [{ action: "directorReview", cardNo, actor: "陈刚" }, "review"],
    [{ action: "send", cardNo, actor: "刘洋" }, "sent"],
    [{ action: "incident", cardNo, actor: "林静", input: { incident: { kind: "Attitude complaint", note: "=客户来电" } } }, "sent"],
    [{ action: "close", cardNo, actor: "刘洋" }, "closed"],
    [{ action: "archive", cardNo, actor: "林静" }, "archived"],
  ];
  let minute = 10;
  for (const [req, stage] of steps) {
    const r = await act(excel, req, (minute += 30));
    if (!r.ok) throw new Error(`${req.action}: ${r.reason.en}`);
    const m = await model(excel);
    const card = m.cards.find((c) => c.cardNo === cardNo)!;
    expect([req.action, stageOf(card, m.revisions)]).toEqual([req.action, stage]);
  }
  const m = await model(excel);
  const card = m.cards.find((c) => c.cardNo === cardNo)!;
  expect(card.project).toBe(request.project); // text, not a formula
  expect(card.due).toBe(toSerial(2026, 11, 12, 18, 0));
  expect(card.countersigned).toBeCloseTo(T0 + (10 + 6 * 30) / 1440, 6);
  expect(m.revisions.filter((r) => r.cardNo === cardNo)).toEqual([
    expect.objectContaining({ reason: "Client", major: true, relayed: expect.any(Number) }),
  ]);
  const log = m.log.filter((e) => e.cardNo === cardNo);
  // The log speaks the workbook's language (下单, 指派 …); actionOf reads it back as the action.
  expect(log.map((e) => actionOf(e))).toEqual(["issue", ...steps.map(([r]) => r.action)]);
  expect(log.map((e) => e.action)).toEqual(
    ["issue", ...steps.map(([r]) => r.action)].map((a) => LOG_WORDS[a as keyof typeof LOG_WORDS].zh),
  );
  expect(log.find((e) => actionOf(e) === "draft")!.note).toBe("代 刘洋");
  expect(m.incidents.filter((i) => i.cardNo === cardNo)).toEqual([
    expect.objectContaining({ kind: "Attitude complaint", note: "=客户来电" }),
  ]);
  expect(m.incidents.find((i) => i.cardNo === cardNo)!.person).toBeUndefined();
  expect(verifyChain(m.log)).toEqual([]);
});

test("guards refuse with the reason and write nothing", async () => {
  const excel = await demoExcel();
  const issued = await act(excel, { action: "issue", actor: "林静", input: { request: { ...request, key: false } } }, 0);
  const cardNo = issued.ok ? issued.effect.cardNo : "";
  const refused = async (req: ActionRequest, text: RegExp) => {
    const before = (await model(excel)).log.length;
    const r = await act(excel, req, 5);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(`${r.reason.en} | ${r.reason.zh}`).toMatch(text);
    expect((await model(excel)).log.length).toBe(before);
  };
  await refused({ action: "issue", actor: "刘洋", input: { request } }, /only the secretary/);
  await refused({ action: "brief", cardNo, actor: "刘洋" }, /no lead has been assigned/);
  await refused({ action: "assign", cardNo, actor: "张伟", input: { lead: "刘洋" } }, /only the manager, assistant manager or director/);
  await act(excel, { action: "assign", cardNo, actor: "赵敏", input: { lead: "吴昊" } }, 10);
  await refused({ action: "brief", cardNo, actor: "刘洋" }, /“提交需求单”须由项目负责人操作，即 吴昊/);
  await act(excel, { action: "brief", cardNo, actor: "吴昊" }, 20);
  await refused({ action: "sign", cardNo, actor: "陈刚" }, /only .* \(吴昊\)/); // the planner signs first
  await refused({ action: "return", cardNo, actor: "吴昊", input: { reason: " " } }, /say why/);
  const back = await act(excel, { action: "return", cardNo, actor: "吴昊", input: { reason: "缺少预算" } }, 30);
  expect(back.ok).toBe(true);
  const m = await model(excel);
  expect(m.cards.find((c) => c.cardNo === cardNo)!.brief).toBeUndefined();
  await refused({ action: "send", cardNo, actor: "吴昊" }, /cannot send to the client/);
  await refused({ action: "close", cardNo, actor: "郑浩" }, /not an active person/);
});

test("sending before the review is refused with the reason; a key project needs the director", async () => {
  const excel = await demoExcel();
  const m = await model(excel);
  // A demo card in writing; take it to review.
  const card = m.cards.find((c) => stageOf(c, m.revisions) === "writing" && c.framework !== undefined)!;
  await act(excel, { action: "draft", cardNo: card.cardNo, actor: card.lead! }, 0);
  const early = await act(excel, { action: "send", cardNo: card.cardNo, actor: card.lead! }, 5);
  expect(early.ok || early.reason.en).toBe("not reviewed by the manager or assistant yet: cannot send");
  const reviewer = card.reviewer ?? "王磊";
  await act(excel, { action: "review", cardNo: card.cardNo, actor: reviewer }, 10);
  const sent = await act(excel, { action: "send", cardNo: card.cardNo, actor: card.lead! }, 15);
  if (card.key) expect(sent.ok || sent.reason.en).toBe("a key project needs the director's review before sending");
  else expect(sent.ok).toBe(true);
});

test("a card number is never reused, even after its row is deleted", async () => {
  const excel = await demoExcel();
  const first = await act(excel, { action: "issue", actor: "林静", input: { request } }, 0);
  expect(first.ok && first.effect.cardNo).toBe("202611-001");
  await excel.run(async (ctx) => {
    const t = ctx.workbook.tables.getItem("Register");
    const snapshot = readWorkbook(await port(excel).read()).model;
    t.rows.getItemAt(snapshot.cardRows.get("202611-001")!).delete();
    await ctx.sync();
  });
  const second = await act(excel, { action: "issue", actor: "林静", input: { request } }, 5);
  expect(second.ok && second.effect.cardNo).toBe("202611-002");
});

test("two people issuing card numbers at once never get the same number", async () => {
  const excel = await demoExcel();
  const [a, b] = await Promise.all([
    performAction(port(excel), { action: "issue", actor: "林静", input: { request: { ...request, project: "A" } } }, T0),
    performAction(coauthor(excel), { action: "issue", actor: "赵敏", input: { request: { ...request, project: "B" } } }, T0),
  ]);
  expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
  const loser = a.ok ? b : a;
  // The demo's log is anchored, so the second append fails before writing anything (or, unanchored, is rolled back).
  expect(!loser.ok && loser.reason.en).toMatch(/same moment|wrote to the log meanwhile/);
  const m = await model(excel);
  const nov = m.cards.filter((c) => c.cardNo.startsWith("202611-"));
  expect(nov.map((c) => [c.cardNo, c.project])).toEqual([["202611-001", a.ok ? "A" : "B"]]);
  expect(verifyChain(m.log)).toEqual([]);
  // Pressed again, the other request gets the next number.
  const retry = await performAction(
    port(excel),
    { action: "issue", actor: "林静", input: { request: { ...request, project: "again" } } },
    T0 + 0.01,
  );
  expect(retry.ok && retry.effect.cardNo).toBe("202611-002");
});

test("two people signing the same step leaves one signature", async () => {
  const excel = await demoExcel();
  const issued = await act(excel, { action: "issue", actor: "林静", input: { request } }, 0);
  const cardNo = issued.ok ? issued.effect.cardNo : "";
  await act(excel, { action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋" } }, 1);
  await act(excel, { action: "brief", cardNo, actor: "刘洋" }, 2);
  await act(excel, { action: "sign", cardNo, actor: "刘洋" }, 3);
  const [a, b] = await Promise.all([
    performAction(port(excel), { action: "sign", cardNo, actor: "王磊" }, T0 + 0.01),
    performAction(coauthor(excel), { action: "sign", cardNo, actor: "赵敏" }, T0 + 0.01),
  ]);
  expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
  const m = await model(excel);
  expect(m.log.filter((e) => e.cardNo === cardNo && actionOf(e) === "sign")).toHaveLength(2);
});

test("a co-author's change since the pane's view is refused, shown, and nothing is written", async () => {
  const excel = await demoExcel();
  const m = await model(excel);
  const card = m.cards.find((c) => stageOf(c, m.revisions) === "sent")!;
  const seen = versionOf(m, card.cardNo)!;
  const reg = findTable(await port(excel).read(), "Register")!;
  await excel.runAsCoauthor(async (ctx) => {
    const row = reg.top + 1 + m.cardRows.get(card.cardNo)!;
    ctx.workbook.worksheets.getItem(reg.sheet).getRangeByIndexes(row, reg.left + reg.headers.indexOf("项目负责人"), 1, 1).values = [
      ["孙悦"],
    ];
    await ctx.sync();
  });
  const logBefore = m.log.length;
  const r = await act(excel, { action: "close", cardNo: card.cardNo, actor: card.lead!, seen }, 0);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.changed!.map((c) => c.zh)).toEqual([`项目负责人：${card.lead} → 孙悦`]);
  expect((await model(excel)).log.length).toBe(logBefore);
});

test("verify log lists rows edited, deleted or inserted by hand", async () => {
  const excel = await demoExcel();
  const snap = await port(excel).read();
  const log = findTable(snap, "CountersignLog")!;
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem(log.sheet);
    ws.getRangeByIndexes(log.top + 1 + 10, log.left + log.headers.indexOf("操作人"), 1, 1).values = [["某人"]];
    await ctx.sync();
  });
  const breaks = verifyChain(readWorkbook(await port(excel).read()).model.log);
  expect(breaks.map((b) => b.index)).toEqual([10]);
});

/** A new card's steps from its assignment to its sending, each by the person whose step it is. */
const toSend = (cardNo: string): ActionRequest[] => [
  { action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } },
  { action: "reply", cardNo, actor: "张伟", input: { due: toSerial(2026, 11, 12, 18, 0) } },
  { action: "brief", cardNo, actor: "刘洋" },
  { action: "sign", cardNo, actor: "刘洋" },
  { action: "sign", cardNo, actor: "王磊" },
  { action: "sign", cardNo, actor: "陈刚" },
  { action: "startWriting", cardNo, actor: "刘洋" },
  { action: "framework", cardNo, actor: "刘洋" },
  { action: "draft", cardNo, actor: "刘洋" },
  { action: "review", cardNo, actor: "王磊" },
  { action: "directorReview", cardNo, actor: "陈刚" },
  { action: "send", cardNo, actor: "刘洋" },
];

/** Takes the steps one after the other, half an hour apart from minute 10; the minute of the last. */
async function run(excel: Parameters<typeof act>[0], steps: ActionRequest[]): Promise<number> {
  let minute = 10;
  for (const req of steps) {
    const r = await act(excel, req, (minute += 30));
    if (!r.ok) throw new Error(`${req.action}: ${r.reason.en}`);
  }
  return minute;
}

test("after a major client revision the card waits for the director, not the manager who passed the draft", async () => {
  const excel = await demoExcel();
  const issued = await act(excel, { action: "issue", actor: "林静", input: { request } }, 0);
  const cardNo = issued.ok ? issued.effect.cardNo : "";
  let minute = await run(excel, [
    ...toSend(cardNo),
    { action: "revision", cardNo, actor: "刘洋", input: { revision: { reason: "Client", major: true, note: "换主视觉" } } },
    { action: "relay", cardNo, actor: "张伟" },
  ]);
  const m = await model(excel);
  const card = m.cards.find((c) => c.cardNo === cardNo)!;
  const now = T0 + (minute + 30) / 1440;
  const data = { ...m };
  const ctx = cardContext(cardNo, data, indexByCard(data, calendarOf(m), now), now);
  // What send needs now is the director's review again: the card waits for him alone, and says so.
  expect(waitingFor(card, ctx)).toEqual(["陈刚"]);
  expect(waitingLine(card, ctx).zh).toMatch(/^等待 陈刚 /);
  expect(permission("review", card, "王磊", ctx)).toEqual(expect.objectContaining({ allowed: false }));
  expect(permission("directorReview", card, "陈刚", ctx).allowed).toBe(true);
  const r = await act(excel, { action: "directorReview", cardNo, actor: "陈刚" }, (minute += 30));
  expect(r.ok).toBe(true);
  expect((await act(excel, { action: "send", cardNo, actor: "刘洋" }, minute + 30)).ok).toBe(true);
});

test("the AE who records the client's revision himself has relayed it (D7 done then); closing with a relay open says so", async () => {
  const excel = await demoExcel();
  const issued = await act(excel, { action: "issue", actor: "林静", input: { request } }, 0);
  const cardNo = issued.ok ? issued.effect.cardNo : "";
  let minute = await run(excel, toSend(cardNo));
  // 张伟, the card's AE, records the client's major revision: that is his relay, at that moment.
  const at = T0 + (minute += 30) / 1440;
  const rec = await act(
    excel,
    { action: "revision", cardNo, actor: "张伟", input: { revision: { reason: "Client", major: true } } },
    minute,
  );
  expect(rec.ok).toBe(true);
  if (rec.ok)
    expect(doneText(actionDef("revision"), rec.effect, await model(excel), "zh").summary.zh).toMatch(/已记录 .* 的修改，并已转达/);
  let m = await model(excel);
  expect(m.revisions.filter((r) => r.cardNo === cardNo)).toEqual([expect.objectContaining({ reason: "Client", major: true })]);
  expect(m.revisions.find((r) => r.cardNo === cardNo)?.relayed).toBeCloseTo(at, 6);
  expect(m.log.filter((e) => e.cardNo === cardNo).pop()?.note).toBe("客户要求（重大）；已转达");
  const card = m.cards.find((c) => c.cardNo === cardNo)!;
  const now = at + 1 / 1440;
  const ctx = cardContext(cardNo, m, indexByCard(m, calendarOf(m), now), now);
  expect(waitingFor(card, ctx)).not.toContain("张伟");
  expect(waitingLine(card, ctx).zh).not.toMatch(/转达/);
  expect(permission("relay", card, "张伟", ctx).allowed).toBe(false);
  // The lead records the next one: 张伟 still relays it, and closing before he does warns (D7 keeps running).
  for (const req of [
    { action: "directorReview", cardNo, actor: "陈刚" },
    { action: "send", cardNo, actor: "刘洋" },
    { action: "revision", cardNo, actor: "刘洋", input: { revision: { reason: "Client", major: false, note: "改标题" } } },
  ] as ActionRequest[]) {
    const r = await act(excel, req, (minute += 30));
    if (!r.ok) throw new Error(`${req.action}: ${r.reason.en}`);
  }
  m = await model(excel);
  expect(m.revisions.filter((r) => r.cardNo === cardNo && r.relayed === undefined)).toHaveLength(1);
  const closed = await act(excel, { action: "close", cardNo, actor: "刘洋" }, minute + 30);
  expect(closed.ok).toBe(true);
  if (closed.ok) {
    expect(doneText(actionDef("close"), closed.effect, await model(excel), "zh").summary.zh).toMatch(
      /已结束；张伟 尚未转达 .* 的客户修改（D7 照常计时）/,
    );
    expect(doneText(actionDef("close"), closed.effect, await model(excel), "en").summary.en).toMatch(
      /张伟 has not relayed the client's revision of .* yet \(D7 keeps running\)/,
    );
  }
});

test("the assistant manager's rows name her own role (经理助理), not the step's 经理, in the actions and in the demo", async () => {
  const excel = await demoExcel();
  const before = await model(excel);
  // The demo's log: every row of 赵敏's (an assistant manager) names her role.
  const hers = before.log.filter((e) => e.actor === "赵敏");
  expect(hers.length).toBeGreaterThan(0);
  expect([...new Set(hers.map((e) => e.role))]).toEqual(["经理助理"]);
  const issued = await act(excel, { action: "issue", actor: "林静", input: { request } }, 0);
  const cardNo = issued.ok ? issued.effect.cardNo : "";
  for (const req of [
    { action: "assign", cardNo, actor: "赵敏", input: { lead: "刘洋" } },
    { action: "brief", cardNo, actor: "刘洋" },
    { action: "sign", cardNo, actor: "刘洋" },
    { action: "sign", cardNo, actor: "赵敏" },
    { action: "sign", cardNo, actor: "陈刚" },
  ] as ActionRequest[]) {
    const r = await act(excel, req, 10);
    if (!r.ok) throw new Error(`${req.action}: ${r.reason.en}`);
  }
  const rows = (await model(excel)).log.filter((e) => e.cardNo === cardNo).map((e) => [actionOf(e), e.actor, e.role]);
  expect(rows).toEqual([
    ["issue", "林静", "秘书"],
    ["assign", "赵敏", "经理助理"],
    ["brief", "刘洋", "策划"],
    ["sign", "刘洋", "策划"],
    ["sign", "赵敏", "经理助理"],
    ["sign", "陈刚", "总监"],
  ]);
  // The sheet says it in the workbook's words: 经理助理.
  const sheet = findTable(await port(excel).read(), "CountersignLog")!;
  const [actor, role] = [sheet.headers.indexOf("操作人"), sheet.headers.indexOf("角色")];
  expect(sheet.rows.filter((r) => r[actor] === "赵敏").map((r) => r[role])).toEqual(Array(hers.length + 2).fill("经理助理"));
});

test("a manager's note on a card whose reviewer he backs up is his own, not written for her", async () => {
  const excel = await demoExcel();
  const before = await model(excel);
  // 202610-027: 赵敏 reviews it; 王磊 backs her up, and as a manager he may comment, copy and chase any card himself.
  expect(before.cards.find((c) => c.cardNo === "202610-027")?.reviewer).toBe("赵敏");
  const r = await act(excel, { action: "comment", cardNo: "202610-027", actor: "王磊", input: { text: "注意预算" } }, 5);
  expect(r.ok).toBe(true);
  if (r.ok) expect(r.effect.log).toEqual(expect.objectContaining({ actor: "王磊", role: "Manager" }));
  const row = (await model(excel)).log.filter((e) => e.cardNo === "202610-027").pop();
  expect(row?.note ?? "").not.toMatch(/代/);
  expect(row?.note ?? "").toMatch(/注意预算/);
});

test("the demo's client revisions: recorded by the lead or a manager, relayed by the card's AE in a row of its own", () => {
  for (const lang of ["zh", "en"] as const) {
    const d = demoData(lang);
    const client = d.revisions.filter((r) => r.reason === "Client");
    expect(client.length).toBeGreaterThan(3);
    for (const r of client) {
      const card = d.cards.find((c) => c.cardNo === r.cardNo);
      if (!card) throw new Error(`${r.cardNo} not in the demo`);
      const rows = d.log.filter((e) => e.cardNo === r.cardNo);
      const at = (e: { time?: number }, t: number | undefined) => t !== undefined && e.time !== undefined && Math.abs(e.time - t) < 1e-6;
      const recorded = rows.filter((e) => actionOf(e) === "revision" && at(e, r.requested));
      expect([r.cardNo, recorded.length]).toEqual([r.cardNo, 1]);
      // Whoever may relay the revision (the AE) would have relayed it by recording it: the record is someone else's.
      const ctx = { staff: d.staff, settings: DEFAULT_SETTINGS, revisions: d.revisions, log: rows, now: DEMO_NOW };
      expect([r.cardNo, relayersOf(card, ctx)]).not.toEqual([r.cardNo, expect.arrayContaining([recorded[0].actor])]);
      expect([r.cardNo, recorded[0].note]).not.toEqual([r.cardNo, expect.stringMatching(/已转达|relayed/)]);
      // The relay is the AE's own row, when it happened.
      const relays = rows.filter((e) => actionOf(e) === "relay" && at(e, r.relayed));
      expect([r.cardNo, relays.map((e) => e.actor)]).toEqual([r.cardNo, r.relayed === undefined ? [] : [card.ae]]);
    }
  }
});
