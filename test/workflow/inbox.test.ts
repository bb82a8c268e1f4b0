/**
 * My work (core/workflow/inbox.ts) on the demo workbook, driven by the real actions: each row
 * names the step that is mine, my deadline and my urgency; what waits on me sorts above what is
 * mine to do; a return is a notice with who, when and why until it is read; the card's steps
 * end with whom it waits for. And the card nobody could move (demo 202610-027).
 */
import { toSerial } from "../../src/core/calendar";
import { permission } from "../../src/core/workflow/actions";
import { Inbox, buildInbox, cardContext, cardSteps, indexByCard, nextSteps, stuckCards, waitingLine } from "../../src/core/workflow/inbox";
import { stageOf } from "../../src/core/workflow/stages";
import { ActionRequest, performAction } from "../../src/workbook/actions";
import { calendarOf } from "../../src/workbook/calendar";
import { DEMO_NOW } from "../../src/workbook/demo";
import { Snapshot, WorkbookPort, findTable } from "../../src/workbook/port";
import { WorkbookModel, readWorkbook } from "../../src/workbook/read";
import { demoExcel, office } from "./fake-office";

const T0 = toSerial(2026, 11, 2, 10, 0);

class Memory implements WorkbookPort {
  constructor(public snap: Snapshot) {}
  async read(): Promise<Snapshot> {
    return this.snap;
  }
  async write(): Promise<void> {}
}

let seed: Snapshot;
beforeAll(async () => {
  seed = await office(await demoExcel()).read();
});

/** A fresh demo workbook, a new card issued in it at T0, and helpers to act and to read My work. */
async function desk() {
  const port = new Memory(seed);
  const act = async (req: ActionRequest, minutes: number) => {
    const r = await performAction(port, req, T0 + minutes / 1440);
    if (!r.ok) throw new Error(`${req.action} by ${req.actor}: ${r.reason.zh}`);
    port.snap = r.snapshot;
    return r;
  };
  const issued = await act(
    {
      action: "issue",
      actor: "林静",
      input: { request: { project: "新品上市", key: false, intake: "AE", initiator: "张伟", ae: "张伟", received: T0 } },
    },
    0,
  );
  const cardNo = issued.effect.cardNo;
  const model = (): WorkbookModel => readWorkbook(port.snap).model;
  const inbox = (person: string, minutes: number): Inbox => {
    const m = model();
    const data = { ...m, deadlines: m.deadlines };
    return buildInbox(person, data, calendarOf(m), T0 + minutes / 1440);
  };
  const row = (person: string, minutes: number) => inbox(person, minutes).todo.find((r) => r.cardNo === cardNo);
  /** The card along the usual path to its first draft (刘洋 leads, 王磊 reviews), minute 30 to 110. */
  const toDraft = async () => {
    const steps: [ActionRequest, number][] = [
      [{ action: "reply", cardNo, actor: "张伟", input: { due: T0 + 10 } }, 30],
      [{ action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 40],
      [{ action: "brief", cardNo, actor: "刘洋" }, 60],
      [{ action: "sign", cardNo, actor: "刘洋" }, 70],
      [{ action: "sign", cardNo, actor: "王磊" }, 80],
      [{ action: "sign", cardNo, actor: "陈刚" }, 90],
      [{ action: "framework", cardNo, actor: "刘洋" }, 100],
      [{ action: "draft", cardNo, actor: "刘洋" }, 110],
    ];
    for (const [req, min] of steps) await act(req, min);
  };
  return { port, act, cardNo, model, inbox, row, toDraft };
}

test("a new request: the AE's row is 回复客户 with D1 (his own deadline only); the manager's is 指派 with no one else's deadline", async () => {
  const d = await desk();
  const ae = d.row("张伟", 60);
  expect(ae).toMatchObject({ kind: "do", actions: ["reply"], deadline: { id: "D1" }, waitingFor: ["张伟"] });
  // The step still to do, not the button's "已回复…", which would read as done.
  expect(ae!.text.zh).toBe("回复客户时间点 · D1 回复客户项目时间点 2026-11-02 15:15（今天到期）");
  expect(ae!.text.en).toMatch(/^Reply to the client with the time point · D1 /);
  const manager = d.row("王磊", 60);
  expect(manager).toMatchObject({
    kind: "approve",
    actions: ["assign"],
    step: { zh: "指派项目负责人" },
    urgency: "none",
    waitingFor: ["王磊"],
  });
  expect(manager!.deadline).toBeUndefined();
  // Past the half day, the AE's D1 is late; the manager's row still names no deadline of the AE's.
  expect(d.row("张伟", 60 * 6)).toMatchObject({ urgency: "late", deadline: { id: "D1", urgency: "late" } });
  expect(d.row("王磊", 60 * 6)!.deadline).toBeUndefined();
  expect(d.row("王磊", 60 * 6)!.text.zh).not.toMatch(/张伟|D1/);
});

test("during countersign each signer's row is their signature, its place in the chain and D3; not the planner's D4", async () => {
  const d = await desk();
  await d.act({ action: "reply", cardNo: d.cardNo, actor: "张伟", input: { due: T0 + 10 } }, 30);
  await d.act({ action: "assign", cardNo: d.cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 40);
  await d.act({ action: "brief", cardNo: d.cardNo, actor: "刘洋" }, 60);
  const planner = d.row("刘洋", 70)!;
  expect(planner).toMatchObject({ kind: "approve", actions: ["sign"], deadline: { id: "D3" } });
  expect(planner.text.zh).toMatch(/^会签（第 1\/3 步 策划） · D3 完成工单会签 /);
  expect(planner.text.zh).not.toMatch(/D4|林静/);
  await d.act({ action: "sign", cardNo: d.cardNo, actor: "刘洋", input: { text: "同意" } }, 80);
  expect(d.row("刘洋", 90)?.kind).not.toBe("approve");
  const manager = d.row("王磊", 90)!;
  expect(manager).toMatchObject({ kind: "approve", actions: ["sign"], deadline: { id: "D3" } });
  expect(manager.step.zh).toBe("会签（第 2/3 步 经理或经理助理）");
  // The secretary, charged with D3, watches it and sees whom it waits for.
  const secretary = d.row("林静", 90)!;
  expect(secretary).toMatchObject({ kind: "watch", actions: [], deadline: { id: "D3" }, waitingFor: ["王磊"] });
  expect(secretary.text.zh).toMatch(/^D3 完成工单会签 .* · 等待 王磊$/);
  // The opinion is logged with the signature, in Chinese only in a Chinese workbook.
  const log = findTable(d.port.snap, "CountersignLog")!;
  expect(log.rows[log.rows.length - 1]).toContain("1/3 策划；意见：同意");
  // The card's steps end with whom it waits for.
  const m = d.model();
  const card = m.cards.find((c) => c.cardNo === d.cardNo)!;
  const now = T0 + 200 / 1440;
  const steps = cardSteps(card, cardContext(card.cardNo, { ...m }, indexByCard({ ...m }, calendarOf(m), now), now));
  expect(steps.steps.find((s) => s.action === "sign" && s.state === "done")).toMatchObject({
    people: ["刘洋"],
    opinion: "同意",
    text: { zh: "会签（第 1/3 步 策划）" },
  });
  expect(steps.steps[steps.steps.length - 1]).toMatchObject({
    state: "pending",
    people: ["王磊"],
    text: { zh: "会签（第 2/3 步 经理或经理助理）" },
  });
  expect(steps.waiting.zh).toBe("等待 王磊 会签 · 已 2 小时");
});

test("what waits on me sorts above what is mine to do, even when my own step is later", async () => {
  const d = await desk();
  await d.act({ action: "reply", cardNo: d.cardNo, actor: "张伟", input: { due: T0 + 10 } }, 30);
  await d.act({ action: "assign", cardNo: d.cardNo, actor: "王磊", input: { lead: "孙悦", reviewer: "王磊" } }, 40);
  await d.act({ action: "brief", cardNo: d.cardNo, actor: "孙悦" }, 60);
  const rows = d.inbox("孙悦", 70).todo;
  expect(rows.length).toBeGreaterThan(1);
  expect(rows[0]).toMatchObject({ cardNo: d.cardNo, kind: "approve" });
  expect(rows.slice(1).every((r) => r.kind !== "approve")).toBe(true);
});

test("退回修改 is a notice at the top of the lead's My work with who, when and why, until the lead reads it", async () => {
  const d = await desk();
  await d.toDraft();
  await d.act({ action: "sendBack", cardNo: d.cardNo, actor: "王磊", input: { reason: "预算部分缺失" } }, 120);
  const notices = d.inbox("刘洋", 130).notices.filter((n) => n.cardNo === d.cardNo);
  expect(notices).toEqual([expect.objectContaining({ kind: "return", from: "王磊", message: "预算部分缺失" })]);
  expect(notices[0].text.zh).toBe(`退回修改：王磊 于 2026-11-02 12:00 退回 ${d.cardNo}，原因：预算部分缺失`);
  // The lead reads it (已阅): the notice is gone; the row is the draft again.
  const m = d.model();
  const card = m.cards.find((c) => c.cardNo === d.cardNo)!;
  expect(permission("acknowledge", card, "刘洋", { ...m, now: T0 + 135 / 1440 }).allowed).toBe(true);
  await d.act({ action: "acknowledge", cardNo: d.cardNo, actor: "刘洋" }, 140);
  expect(d.inbox("刘洋", 150).notices.filter((n) => n.cardNo === d.cardNo)).toEqual([]);
  expect(d.row("刘洋", 150)).toMatchObject({ actions: ["draft"], deadline: { id: "D5" } });
});

test("demo 202610-027: in countersign with 陈刚's signature due, and 陈刚 has the 会签 row", () => {
  const m = readWorkbook(seed).model;
  const card = m.cards.find((c) => c.cardNo === "202610-027")!;
  expect(stageOf(card, m.revisions)).toBe("countersign");
  const inbox = buildInbox("陈刚", { ...m }, calendarOf(m), DEMO_NOW);
  expect(inbox.todo.find((r) => r.cardNo === "202610-027")).toMatchObject({
    kind: "approve",
    actions: ["sign"],
    step: { zh: "会签（第 3/3 步 总监）" },
  });
});

test("a card typed past an unfinished countersign: 问题 says so, the pending signer can still sign, the secretary can hand the signature over", async () => {
  const d = await desk();
  await d.act({ action: "reply", cardNo: d.cardNo, actor: "张伟", input: { due: T0 + 10 } }, 30);
  await d.act({ action: "assign", cardNo: d.cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 40);
  await d.act({ action: "brief", cardNo: d.cardNo, actor: "刘洋" }, 60);
  await d.act({ action: "sign", cardNo: d.cardNo, actor: "刘洋" }, 70);
  // Someone types the Stage cell: 方案撰写.
  const m0 = d.model();
  const info = m0.tables.get("Register")!;
  const row = m0.cardRows.get(d.cardNo)!;
  const rows = info.raw.rows.map((r) => [...r]);
  rows[row][info.cols.get("stage")!] = "方案撰写";
  d.port.snap = { ...d.port.snap, tables: new Map(d.port.snap.tables).set(info.raw.name, { ...info.raw, rows }) };
  const read = readWorkbook(d.port.snap);
  const flagged = read.findings.filter((f) => f.code === "stuck-card");
  expect(flagged).toHaveLength(1);
  expect(flagged[0].zh).toMatch(new RegExp(`卡 ${d.cardNo} 已到“方案撰写”阶段，但会签未完成（会签完成为空）`));
  expect(d.row("王磊", 80)).toMatchObject({ actions: ["sign"], step: { zh: "会签（第 2/3 步 经理或经理助理）" } });
  await d.act({ action: "handOverSign", cardNo: d.cardNo, actor: "林静", input: { to: "赵敏", reason: "王磊出差" } }, 90);
  await d.act({ action: "sign", cardNo: d.cardNo, actor: "赵敏" }, 100);
  await d.act({ action: "sign", cardNo: d.cardNo, actor: "陈刚" }, 110);
  const m = d.model();
  const card = m.cards.find((c) => c.cardNo === d.cardNo)!;
  expect(card.countersigned).toBeCloseTo(T0 + 110 / 1440, 6);
  expect(stageOf(card, m.revisions)).toBe("writing"); // not put back to 需求沟通
  expect(readWorkbook(d.port.snap).findings.filter((f) => f.code === "stuck-card")).toEqual([]);
});

test("问题 lists the open cards nobody can move: none in the demo; one whose lead was emptied by hand", () => {
  const m = readWorkbook(seed).model;
  const data = { ...m };
  const cal = calendarOf(m);
  expect(stuckCards(data, indexByCard(data, cal, DEMO_NOW), DEMO_NOW)).toEqual([]);
  const writing = m.cards.find((c) => stageOf(c, m.revisions) === "writing")!;
  const typed = { ...data, cards: m.cards.map((c) => (c === writing ? { ...c, lead: undefined } : c)) };
  expect(stuckCards(typed, indexByCard(typed, cal, DEMO_NOW), DEMO_NOW)).toEqual([
    {
      cardNo: writing.cardNo,
      text: expect.objectContaining({
        zh: `${writing.cardNo} 处于“方案撰写”阶段，但没有人可以推进（没有项目负责人）：请检查登记表中的人员与日期`,
      }),
    },
  ]);
});

test("AB roles: 周婷 backs up 刘洋; while he is active his steps are a lower group of hers, marked 代 刘洋; while he is away they are her own work", async () => {
  const d = await desk();
  await d.act({ action: "reply", cardNo: d.cardNo, actor: "张伟", input: { due: T0 + 10 } }, 30);
  await d.act({ action: "assign", cardNo: d.cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 40);
  // 刘洋 is active: the brief is his; 周婷 sees it after her own work and her deadlines, for him.
  expect(d.row("刘洋", 50)).toMatchObject({ kind: "do", actions: ["brief"], deadline: { id: "D2" } });
  const box = d.inbox("周婷", 50);
  const backup = box.todo.find((r) => r.cardNo === d.cardNo);
  expect(backup).toMatchObject({ kind: "backup", actions: ["brief"], onBehalfOf: "刘洋", deadline: { id: "D2" }, waitingFor: ["刘洋"] });
  expect(backup?.text.zh).toMatch(/^提交需求单（代 刘洋） · D2 /);
  expect(box.todo.slice(box.todo.indexOf(backup!)).every((r) => r.kind === "backup")).toBe(true);
  expect(box.counts.backup).toBeGreaterThan(0);
  expect(box.counts.todo).toBe(box.todo.filter((r) => r.kind === "approve" || r.kind === "do").length);
  // 刘洋 is away (Staff Active = No): the brief is her own work, still marked for him.
  const m = d.model();
  const away = { ...m, staff: m.staff.map((s) => (s.name === "刘洋" ? { ...s, active: false } : s)) };
  const row = buildInbox("周婷", away, calendarOf(m), T0 + 50 / 1440).todo.find((r) => r.cardNo === d.cardNo);
  expect(row).toMatchObject({ kind: "do", actions: ["brief"], onBehalfOf: "刘洋" });
  // Someone who backs up no one gets no such rows.
  expect(d.inbox("陈刚", 50).todo.filter((r) => r.kind === "backup")).toEqual([]);
});

test("the card's steps: the reason of 退回需求单 and 退回修改 is the step's opinion (also when a backup sent it back)", async () => {
  const d = await desk();
  const go: [ActionRequest, number][] = [
    [{ action: "reply", cardNo: d.cardNo, actor: "张伟", input: { due: T0 + 10 } }, 30],
    [{ action: "assign", cardNo: d.cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 40],
    [{ action: "brief", cardNo: d.cardNo, actor: "刘洋" }, 60],
    [{ action: "return", cardNo: d.cardNo, actor: "刘洋", input: { reason: "客户预算未定" } }, 65],
    [{ action: "brief", cardNo: d.cardNo, actor: "刘洋" }, 68],
    [{ action: "sign", cardNo: d.cardNo, actor: "刘洋", input: { text: "同意" } }, 70],
    [{ action: "sign", cardNo: d.cardNo, actor: "王磊" }, 80],
    [{ action: "sign", cardNo: d.cardNo, actor: "陈刚" }, 90],
    [{ action: "framework", cardNo: d.cardNo, actor: "刘洋" }, 100],
    [{ action: "draft", cardNo: d.cardNo, actor: "刘洋" }, 110],
    [{ action: "sendBack", cardNo: d.cardNo, actor: "赵敏", input: { reason: "预算部分缺失，原因：报价未更新" } }, 120],
  ];
  for (const [req, min] of go) await d.act(req, min);
  const m = d.model();
  const card = m.cards.find((c) => c.cardNo === d.cardNo);
  if (!card) throw new Error(`${d.cardNo} not read back`);
  const data = { ...m };
  const steps = cardSteps(card, cardContext(d.cardNo, data, indexByCard(data, calendarOf(m), T0 + 130 / 1440), T0 + 130 / 1440)).steps;
  expect(
    steps
      .filter((s) => s.action === "return" || s.action === "sendBack" || s.action === "sign")
      .map((s) => [s.action, s.people, s.opinion]),
  ).toEqual([
    ["return", ["刘洋"], "客户预算未定"],
    ["sign", ["刘洋"], "同意"],
    ["sign", ["王磊"], undefined],
    ["sign", ["陈刚"], undefined],
    ["sendBack", ["赵敏"], "预算部分缺失，原因：报价未更新"],
  ]);
});

test("what a step hands on to, each person's steps under their name once: 等待 张伟 回复客户；刘洋 提交需求单; then 等待 王磊 审核通过", async () => {
  const d = await desk();
  const next = (minutes: number, me?: string) => {
    const m = d.model();
    const card = m.cards.find((c) => c.cardNo === d.cardNo);
    if (!card) throw new Error(`${d.cardNo} not read back`);
    const data = { ...m };
    const now = T0 + minutes / 1440;
    return nextSteps(card, cardContext(d.cardNo, data, indexByCard(data, calendarOf(m), now), now), me);
  };
  expect(next(5)).toEqual({
    zh: "等待 王磊或赵敏 指派；张伟 回复客户",
    en: "waiting for 王磊 or 赵敏 to assign the lead; 张伟 to reply to the client",
  });
  await d.act({ action: "assign", cardNo: d.cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 40);
  expect(next(45)).toEqual({
    zh: "等待 张伟 回复客户；刘洋 提交需求单",
    en: "waiting for 张伟 to reply to the client; 刘洋 to submit the brief",
  });
  await d.act({ action: "reply", cardNo: d.cardNo, actor: "张伟", input: { due: T0 + 10 } }, 50);
  await d.act({ action: "brief", cardNo: d.cardNo, actor: "刘洋" }, 60);
  expect(next(65).zh).toBe("等待 刘洋 会签（第 1/3 步 策划）");
  for (const [who, min] of [
    ["刘洋", 70],
    ["王磊", 80],
    ["陈刚", 90],
  ] as const)
    await d.act({ action: "sign", cardNo: d.cardNo, actor: who }, min);
  // One person's two steps: the name once, and to that person "你".
  expect(next(95)).toEqual({ zh: "等待 刘洋 开始撰写、提交框架", en: "waiting for 刘洋 to start writing and submit the framework" });
  expect(next(95, "刘洋")).toEqual({ zh: "等待你开始撰写、提交框架", en: "waiting for you to start writing and submit the framework" });
  expect(next(95, "王磊").zh).toBe("等待 刘洋 开始撰写、提交框架");
  await d.act({ action: "framework", cardNo: d.cardNo, actor: "刘洋" }, 100);
  await d.act({ action: "draft", cardNo: d.cardNo, actor: "刘洋" }, 110);
  expect(next(115).zh).toBe("等待 王磊 审核通过");
});

test("the card's one waiting line never joins people waiting for different steps under one step's words", async () => {
  const d = await desk();
  const m = d.model();
  const card = m.cards.find((c) => c.cardNo === d.cardNo);
  if (!card) throw new Error(`${d.cardNo} not read back`);
  const data = { ...m };
  const now = T0 + 30 / 1440;
  const line = waitingLine(card, cardContext(d.cardNo, data, indexByCard(data, calendarOf(m), now), now));
  // A new card waits for the manager or assistant (or director) to assign the lead AND for the AE to reply.
  expect(line.zh).toBe("等待 王磊或赵敏 指派；张伟 回复客户 · 已 30 分钟");
  expect(line.en).toBe("Waiting for 王磊 or 赵敏 to assign the lead; 张伟 to reply to the client · for 30 min");
  // Shown to one of those waited for, the line says "你".
  const mine = waitingLine(card, cardContext(d.cardNo, data, indexByCard(data, calendarOf(m), now), now), "赵敏");
  expect(mine.zh).toBe("等待你或王磊 指派；张伟 回复客户 · 已 30 分钟");
  expect(mine.en).toBe("Waiting for you or 王磊 to assign the lead; 张伟 to reply to the client · for 30 min");
  const ae = cardSteps(card, cardContext(d.cardNo, data, indexByCard(data, calendarOf(m), now), now), "张伟").waiting;
  expect(ae.en).toBe("Waiting for 王磊 or 赵敏 to assign the lead; you to reply to the client · for 30 min");
});

test("我发起的 holds the cards whose request I recorded (下单) as well as those I initiated: the secretary's is not empty", async () => {
  const d = await desk();
  // 林静 recorded the card's request for 张伟, its initiator: it is in both their 我发起的.
  const secretary = d.inbox("林静", 10);
  expect(secretary.started.map((r) => r.cardNo)).toContain(d.cardNo);
  expect(secretary.counts.started).toBe(secretary.started.length);
  expect(d.inbox("张伟", 10).started.map((r) => r.cardNo)).toContain(d.cardNo);
  // Neither initiator nor recorder: not in it, though the card names him later.
  await d.act({ action: "assign", cardNo: d.cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 40);
  expect(d.inbox("王磊", 50).started.map((r) => r.cardNo)).not.toContain(d.cardNo);
  expect(d.inbox("刘洋", 50).started.map((r) => r.cardNo)).not.toContain(d.cardNo);
  // The demo's secretary records every card of the demo.
  const m = d.model();
  const issued = new Set(m.log.filter((e) => e.actor === "林静" && e.action === "下单").map((e) => e.cardNo));
  expect(issued.size).toBeGreaterThan(10);
  const all = d.inbox("林静", 60);
  expect(new Set(all.started.map((r) => r.cardNo))).toEqual(
    new Set([...issued, ...m.cards.filter((c) => c.initiator === "林静").map((c) => c.cardNo)]),
  );
});

test("我已处理 holds every card I took a step on, newest first, also one that waits on me again: the lead who sent it or recorded a revision, the AE who relayed it", async () => {
  const d = await desk();
  await d.toDraft();
  await d.act({ action: "review", cardNo: d.cardNo, actor: "王磊" }, 120);
  await d.act({ action: "send", cardNo: d.cardNo, actor: "刘洋" }, 130);
  // The lead sent it and closes it next: the card is in both lists, first in 我已处理 (his newest step).
  const lead = d.inbox("刘洋", 140);
  expect(lead.todo.find((r) => r.cardNo === d.cardNo)).toMatchObject({ actions: ["close"] });
  expect(lead.done[0]).toMatchObject({ cardNo: d.cardNo, action: "send" });
  expect(lead.counts.done).toBe(lead.done.length);
  // The lead records the client's revision and the AE relays it: each finds the card first in 我已处理.
  await d.act({ action: "revision", cardNo: d.cardNo, actor: "刘洋", input: { revision: { reason: "Client", major: false } } }, 150);
  expect(d.inbox("刘洋", 155).done[0]).toMatchObject({ cardNo: d.cardNo, action: "revision" });
  await d.act({ action: "relay", cardNo: d.cardNo, actor: "张伟" }, 160);
  const ae = d.inbox("张伟", 170);
  expect(ae.done[0]).toMatchObject({ cardNo: d.cardNo, action: "relay" });
  // Newest first throughout.
  const times = ae.done.map((r) => r.time ?? 0);
  expect(times).toEqual([...times].sort((a, b) => b - a));
});

test("the waiting line just after a step says 刚刚 / just now, not 已 0 分钟 / for 0 min", async () => {
  const d = await desk();
  const m = d.model();
  const card = m.cards.find((c) => c.cardNo === d.cardNo);
  if (!card) throw new Error(`${d.cardNo} not read back`);
  const data = { ...m };
  const line = (now: number) => waitingLine(card, cardContext(d.cardNo, data, indexByCard(data, calendarOf(m), now), now));
  expect(line(T0)).toEqual({
    zh: "等待 王磊或赵敏 指派；张伟 回复客户 · 刚刚",
    en: "Waiting for 王磊 or 赵敏 to assign the lead; 张伟 to reply to the client · just now",
  });
  expect(line(T0 + 1 / 1440).zh).toMatch(/ · 已 1 分钟$/);
});
