/**
 * The approval moves (issue 11) on the in-memory Excel, through the same one-read, one-checked-
 * write path as every action: 退回修改, 撤销, 转交 (the lead, a signature), 加签, 评论, 抄送 and 已阅,
 * 催办, changing the Due, and the reply that needs its Due. For each: allowed and refused with
 * the reason (nothing written), the log row as the sheet holds it, the Register cells, and a
 * second client acting between the read and the write (refused, nothing written).
 */
import { toSerial } from "../../src/core/calendar";
import { CARD_STEP_DATES, Card } from "../../src/core/model";
import { ActionId, availableMoves, waitingOn } from "../../src/core/workflow/actions";
import { countersignChain } from "../../src/core/workflow/chain";
import { chasesFor, copiesFor } from "../../src/core/workflow/notices";
import { stageOf } from "../../src/core/workflow/stages";
import { cardTimeline } from "../../src/core/workflow/timeline";
import { actionOf } from "../../src/core/workflow/words";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { ActionRequest, ActionResult, performAction, verifyWorkbookLog, versionOf } from "../../src/workbook/actions";
import { office, demoExcel } from "./fake-office";
import { OfficeWorkbook } from "../../src/workbook/office";
import { CellValue, findTable } from "../../src/workbook/port";
import { WorkbookModel, readWorkbook } from "../../src/workbook/read";

const T0 = toSerial(2026, 11, 2, 10, 0);
const DUE = toSerial(2026, 11, 12, 18, 0);
let seed: FakeExcel;
beforeAll(async () => {
  seed = await demoExcel();
});

interface Desk {
  excel: FakeExcel;
  port: OfficeWorkbook;
  cardNo: string;
  minute: number;
  act(req: Omit<ActionRequest, "cardNo"> & { cardNo?: string }): Promise<ActionResult>;
  ok(req: Omit<ActionRequest, "cardNo">): Promise<ActionResult>;
  refused(req: Omit<ActionRequest, "cardNo">, reason: RegExp): Promise<void>;
  model(): Promise<WorkbookModel>;
  card(): Promise<Card>;
  /** The card's Register row as the sheet holds it, by header. */
  row(): Promise<Record<string, CellValue>>;
  /** The log's last row as the sheet holds it, by header. */
  lastLog(): Promise<Record<string, CellValue>>;
  ctx(): Promise<Parameters<typeof availableMoves>[2]>;
}

const STEPS: Record<string, [ActionId, string, ActionRequest["input"]?][]> = {
  order: [
    ["assign", "王磊", { lead: "刘洋", reviewer: "王磊" }],
    ["reply", "张伟", { due: DUE }],
  ],
  countersign: [["brief", "刘洋"]],
  communication: [
    ["sign", "刘洋"],
    ["sign", "王磊"],
    ["sign", "陈刚"],
  ],
  writing: [
    ["startWriting", "刘洋"],
    ["framework", "刘洋"],
  ],
  review: [["draft", "刘洋"]],
};

/** A new card (not key) on the demo workbook, taken to `stage` by its people. */
async function desk(stage: keyof typeof STEPS = "order", request: Partial<Card> = {}): Promise<Desk> {
  const excel = seed.fork();
  const port = office(excel);
  await port.read();
  const d: Desk = {
    excel,
    port,
    cardNo: "",
    minute: 0,
    act: (req) => performAction(port, { cardNo: d.cardNo, ...req } as ActionRequest, T0 + (d.minute += 10) / 1440),
    ok: async (req) => {
      const r = await d.act(req);
      if (!r.ok) throw new Error(`${req.action} by ${req.actor}: ${r.reason.en}`);
      return r;
    },
    refused: async (req, reason) => {
      const before = await port.read();
      const r = await d.act(req);
      expect([req.action, r.ok]).toEqual([req.action, false]);
      if (!r.ok) expect(`${r.reason.en} | ${r.reason.zh}`).toMatch(reason);
      const after = await port.read();
      for (const t of ["Register", "CountersignLog", "Revisions", "Incidents"])
        expect(findTable(after, t)!.rows).toEqual(findTable(before, t)!.rows);
    },
    model: async () => readWorkbook(await port.read()).model,
    card: async () => (await d.model()).cards.find((c) => c.cardNo === d.cardNo)!,
    row: async () => {
      const reg = findTable(await port.read(), "Register")!;
      const m = await d.model();
      const r = reg.rows[m.cardRows.get(d.cardNo)!];
      return Object.fromEntries(reg.headers.map((h, i) => [String(h), r[i]]));
    },
    lastLog: async () => {
      const log = findTable(await port.read(), "CountersignLog")!;
      const r = log.rows[log.rows.length - 1];
      return Object.fromEntries(log.headers.map((h, i) => [String(h), r[i]]));
    },
    ctx: async () => {
      const m = await d.model();
      return { staff: m.staff, settings: m.settings, revisions: m.revisions, log: m.log, now: T0 + (d.minute + 5) / 1440 };
    },
  };
  const issued = await d.act({
    action: "issue",
    actor: "林静",
    input: {
      request: {
        project: "新品发布",
        client: "青禾乳业",
        key: false,
        intake: "AE",
        initiator: "张伟",
        ae: "张伟",
        received: toSerial(2026, 11, 2, 9, 30),
        ...request,
      } as never,
    },
  });
  if (!issued.ok) throw new Error(issued.reason.en);
  d.cardNo = issued.effect.cardNo;
  for (const s of Object.keys(STEPS)) {
    if (s === "order" || Object.keys(STEPS).indexOf(s) <= Object.keys(STEPS).indexOf(stage))
      for (const [action, actor, input] of STEPS[s]) await d.ok({ action, actor, input });
    if (s === stage) break;
  }
  const c = await d.card();
  const m = await d.model();
  expect(stageOf(c, m.revisions)).toBe(stage);
  return d;
}

const datesOf = (c: Card) => Object.fromEntries(CARD_STEP_DATES.map((k) => [k, c[k]]));

describe("退回修改: the review sends the draft back to writing, with a reason", () => {
  test("the reviewer sends it back: the draft and its reviews are emptied, the stage is 方案撰写, one log row; the lead submits again", async () => {
    const d = await desk("review");
    const hash = (await d.lastLog())["校验"];
    await d.ok({ action: "sendBack", actor: "王磊", input: { reason: "预算页缺失" } });
    const row = await d.row();
    expect([row["初稿"], row["经理审核"], row["阶段"]]).toEqual([null, null, "方案撰写"]);
    const log = await d.lastLog();
    expect([log["操作"], log["操作人"], log["角色"], log["备注"]]).toEqual(["退回修改", "王磊", "经理", "预算页缺失"]);
    expect(log["校验"]).not.toBe(hash);
    await d.ok({ action: "draft", actor: "刘洋" });
    expect((await d.row())["阶段"]).toBe("方案审核");
    await d.ok({ action: "review", actor: "王磊" });
  });

  test("refused: without a reason, by the lead, outside the review, after sending", async () => {
    const d = await desk("review");
    await d.refused({ action: "sendBack", actor: "王磊", input: { reason: "  " } }, /say why it goes back for changes/);
    await d.refused({ action: "sendBack", actor: "刘洋", input: { reason: "x" } }, /only the card's reviewer .*or the director/);
    await d.ok({ action: "sendBack", actor: "陈刚", input: { reason: "方向不对" } }); // the director may too
    await d.refused({ action: "sendBack", actor: "王磊", input: { reason: "x" } }, /stage "Writing"/);
  });
});

describe("撤销: your own last step, while the next person has not acted", () => {
  test("the lead withdraws the draft: the date is emptied, the stage is back, the log row names the withdrawn row by its hash", async () => {
    const d = await desk("review");
    const draftRow = await d.lastLog();
    await d.ok({ action: "withdraw", actor: "刘洋" });
    const row = await d.row();
    expect([row["初稿"], row["阶段"]]).toEqual([null, "方案撰写"]);
    const log = await d.lastLog();
    expect([log["操作"], log["操作人"], log["角色"]]).toEqual(["撤销", "刘洋", "策划"]);
    expect(log["备注"]).toMatch(new RegExp(`^撤销 提交初稿 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d #${draftRow["校验"]}$`));
    // The framework before it is his too, and no one acted since: it may go as well.
    await d.ok({ action: "withdraw", actor: "刘洋" });
    expect((await d.card()).framework).toBeUndefined();
    expect(
      cardTimeline(d.cardNo, { log: (await d.model()).log })
        .filter((i) => i.withdrawn)
        .map((i) => i.action),
    ).toEqual(["framework", "draft"]);
  });

  test("a signature is withdrawn until the next signer acts; then it is refused with who acted; the last signature's withdrawal reopens the countersign", async () => {
    const d = await desk("countersign");
    await d.ok({ action: "sign", actor: "刘洋" });
    await d.ok({ action: "withdraw", actor: "刘洋" });
    expect(countersignChain(await d.card(), await d.model()).current).toBe(0);
    await d.ok({ action: "sign", actor: "刘洋" });
    await d.ok({ action: "sign", actor: "王磊" });
    await d.refused({ action: "withdraw", actor: "刘洋" }, /王磊 acted after you \(Countersign .*\): it can no longer be withdrawn/);
    await d.refused({ action: "withdraw", actor: "孙悦" }, /the last step is 王磊's "Countersign": only they may withdraw it/);
    await d.refused({ action: "withdraw", actor: "赵敏" }, /the last step is 王磊's/); // 赵敏 backs up 王磊: not for 撤销
    await d.ok({ action: "sign", actor: "陈刚" });
    expect((await d.row())["阶段"]).toBe("需求沟通");
    await d.ok({ action: "withdraw", actor: "陈刚" });
    const row = await d.row();
    expect([row["会签完成"], row["阶段"]]).toEqual([null, "工单会签"]);
    expect(countersignChain(await d.card(), await d.model()).current).toBe(2);
  });

  test("the last signature given by a backup (代 孙悦；4/4 …) is withdrawn like any: the countersign reopens", async () => {
    const d = await desk("countersign");
    await d.ok({ action: "sign", actor: "刘洋" });
    await d.ok({ action: "sign", actor: "王磊" });
    await d.ok({ action: "addSigner", actor: "林静", input: { to: "孙悦", position: "after" } });
    await d.ok({ action: "sign", actor: "陈刚" });
    await d.ok({ action: "sign", actor: "吴昊" }); // 孙悦's backup
    expect([(await d.lastLog())["备注"], (await d.row())["阶段"]]).toEqual(["代 孙悦；4/4 加签 孙悦", "需求沟通"]);
    await d.ok({ action: "withdraw", actor: "吴昊" });
    const row = await d.row();
    expect([row["会签完成"], row["阶段"]]).toEqual([null, "工单会签"]);
    expect(countersignChain(await d.card(), await d.model()).current).toBe(3);
  });

  test("comments, copies and chases are not steps: 撤销 looks past them; a revision cannot be withdrawn", async () => {
    const d = await desk("writing");
    await d.ok({ action: "comment", actor: "张伟", input: { text: "客户在催" } });
    await d.ok({ action: "withdraw", actor: "刘洋" }); // the framework, past 张伟's comment
    expect((await d.card()).framework).toBeUndefined();
    await d.ok({ action: "framework", actor: "刘洋" });
    await d.ok({ action: "revision", actor: "张伟", input: { revision: { reason: "Client", major: false, note: "改标题" } } });
    await d.refused({ action: "withdraw", actor: "张伟" }, /"Revision" cannot be withdrawn/);
  });
});

describe("转交: the lead, or a pending signature, to another person with a reason", () => {
  test("the manager hands the lead over: Lead changes, no date does; the new lead is the lead for every lead-only action", async () => {
    const d = await desk("writing");
    const before = datesOf(await d.card());
    await d.ok({ action: "handOver", actor: "王磊", input: { to: "吴昊", reason: "刘洋休假" } });
    expect((await d.row())["项目负责人"]).toBe("吴昊");
    expect(datesOf(await d.card())).toEqual(before);
    const log = await d.lastLog();
    expect([log["操作"], log["操作人"], log["角色"], log["备注"]]).toEqual([
      "转交负责人",
      "王磊",
      "经理",
      "项目负责人 刘洋 → 吴昊；原因：刘洋休假",
    ]);
    await d.refused({ action: "draft", actor: "刘洋" }, /“提交初稿”须由项目负责人操作，即 吴昊/);
    await d.refused({ action: "draft", actor: "周婷" }, /“提交初稿”须由项目负责人操作，即 吴昊/); // 刘洋's backup no longer
    await d.ok({ action: "draft", actor: "吴昊" });
  });

  test("refused: without a reason, to someone inactive, to the lead already, by the AE", async () => {
    const d = await desk("writing");
    await d.refused({ action: "handOver", actor: "刘洋", input: { to: "吴昊", reason: "" } }, /say why it is handed over/);
    await d.refused({ action: "handOver", actor: "刘洋", input: { to: "郑浩", reason: "x" } }, /"郑浩" is not an active person/);
    await d.refused({ action: "handOver", actor: "刘洋", input: { to: "刘洋", reason: "x" } }, /刘洋 is the lead already/);
    await d.refused({ action: "handOver", actor: "张伟", input: { to: "吴昊", reason: "x" } }, /only the lead, a manager or the director/);
    await d.ok({ action: "handOver", actor: "刘洋", input: { to: "孙悦", reason: "出差" } }); // the lead may hand it over
  });

  test("a pending signature handed over is due from the new person; the Register does not change; the planner's step follows a new lead", async () => {
    const d = await desk("countersign");
    await d.ok({ action: "handOver", actor: "王磊", input: { to: "吴昊", reason: "调整" } });
    await d.refused({ action: "sign", actor: "刘洋" }, /\(吴昊\)/);
    await d.ok({ action: "sign", actor: "吴昊" });
    const row = await d.row();
    await d.refused({ action: "handOverSign", actor: "王磊", input: { to: "赵敏" } }, /say why it is handed over/);
    await d.refused(
      { action: "handOverSign", actor: "张伟", input: { to: "赵敏", reason: "x" } },
      /only the person whose signature is due, or the secretary/,
    );
    await d.ok({ action: "handOverSign", actor: "王磊", input: { to: "孙悦", reason: "王磊出差" } });
    expect(await d.row()).toEqual(row);
    const log = await d.lastLog();
    expect([log["操作"], log["备注"]]).toEqual(["转交会签", "会签第 2 步 王磊 → 孙悦；原因：王磊出差"]);
    const chain = countersignChain(await d.card(), await d.model());
    expect(chain.steps[1]).toMatchObject({ holders: ["孙悦"], handedFrom: "王磊" });
    await d.refused({ action: "sign", actor: "王磊" }, /\(孙悦\)/);
    await d.refused({ action: "sign", actor: "赵敏" }, /\(孙悦\)/); // the or-sign is gone with the hand-over
    await d.ok({ action: "sign", actor: "孙悦" });
    expect((await d.lastLog())["角色"]).toBe("策划"); // signs in her own role
    await d.ok({ action: "handOverSign", actor: "林静", input: { to: "王磊", reason: "总监出差，由经理代签" } }); // the secretary runs the countersign
    await d.ok({ action: "sign", actor: "王磊" });
    expect((await d.row())["阶段"]).toBe("需求沟通");
  });
});

describe("加签: a signer added before or after the step that is due", () => {
  test("after: the added signer signs before the chain goes on; the last signature completes it", async () => {
    const d = await desk("countersign");
    await d.ok({ action: "addSigner", actor: "刘洋", input: { to: "孙悦", position: "after" } });
    expect([(await d.lastLog())["操作"], (await d.lastLog())["备注"]]).toEqual(["加签", "加签 孙悦（第 1 步之后）"]);
    await d.ok({ action: "sign", actor: "刘洋" });
    expect((await d.lastLog())["备注"]).toBe("1/4 策划");
    await d.refused({ action: "sign", actor: "王磊" }, /\(孙悦\)/);
    await d.ok({ action: "sign", actor: "孙悦" });
    expect((await d.lastLog())["备注"]).toBe("2/4 加签 孙悦");
    await d.ok({ action: "sign", actor: "王磊" });
    expect((await d.row())["会签完成"]).toBeNull();
    await d.ok({ action: "sign", actor: "陈刚" });
    const row = await d.row();
    expect(typeof row["会签完成"]).toBe("number");
    expect(row["阶段"]).toBe("需求沟通");
  });

  test("before: the step that was due waits for the added signer; the secretary may add; refusals", async () => {
    const d = await desk("countersign");
    await d.ok({ action: "sign", actor: "刘洋" });
    await d.refused({ action: "addSigner", actor: "王磊", input: { to: "周婷" } }, /choose before or after/);
    await d.refused({ action: "addSigner", actor: "王磊", input: { to: "王磊", position: "before" } }, /王磊 signs this step already/);
    await d.refused(
      { action: "addSigner", actor: "张伟", input: { to: "周婷", position: "before" } },
      /only the person whose signature is due, or the secretary/,
    );
    await d.ok({ action: "addSigner", actor: "林静", input: { to: "周婷", position: "before" } });
    await d.refused({ action: "sign", actor: "王磊" }, /\(周婷\)/);
    await d.refused({ action: "addSigner", actor: "林静", input: { to: "周婷", position: "after" } }, /周婷 signs this step already/);
    await d.ok({ action: "sign", actor: "周婷" });
    await d.ok({ action: "sign", actor: "王磊" });
    await d.ok({ action: "sign", actor: "陈刚" });
    expect(stageOf(await d.card(), [])).toBe("communication");
  });
});

describe("评论, 抄送 and 已阅, 催办", () => {
  test("评论: anyone on the card, with a text; someone not on it is refused; the Register does not change", async () => {
    const d = await desk("writing");
    const row = await d.row();
    await d.refused({ action: "comment", actor: "吴昊", input: { text: "看看" } }, /only anyone on the card/);
    await d.refused({ action: "comment", actor: "张伟", input: { text: " " } }, /write the comment/);
    await d.ok({ action: "comment", actor: "张伟", input: { text: "客户问进度" } });
    expect(await d.row()).toEqual(row);
    const log = await d.lastLog();
    expect([log["操作"], log["操作人"], log["角色"], log["备注"]]).toEqual(["评论", "张伟", "AE", "客户问进度"]);
    await d.ok({ action: "comment", actor: "陈刚", input: { text: "注意预算" } }); // the director
  });

  test("抄送 appears as a notice (抄送) to the person until they acknowledge (已阅) or write on the card; then they are on it", async () => {
    const d = await desk("writing");
    await d.refused({ action: "copy", actor: "张伟", input: { to: "张伟" } }, /cannot copy yourself/);
    await d.refused({ action: "acknowledge", actor: "孙悦" }, /only the person copied/);
    await d.ok({ action: "copy", actor: "张伟", input: { to: "孙悦", text: "请留意交稿时间" } });
    expect((await d.lastLog())["备注"]).toBe("抄送 孙悦：请留意交稿时间");
    const notices = copiesFor("孙悦", (await d.model()).log);
    expect(notices.map((n) => [n.kind, n.cardNo, n.from])).toEqual([["copy", d.cardNo, "张伟"]]);
    expect(notices[0].text.zh).toMatch(new RegExp(`^抄送：张伟 于 .* 抄送你 ${d.cardNo}：请留意交稿时间$`));
    expect(notices[0].text.en).toMatch(/^Copied: 张伟 copied you on/);
    await d.ok({ action: "acknowledge", actor: "孙悦" });
    expect((await d.lastLog())["操作"]).toBe("已阅");
    expect(copiesFor("孙悦", (await d.model()).log)).toEqual([]);
    await d.refused({ action: "acknowledge", actor: "孙悦" }, /only the person copied/);
    await d.ok({ action: "comment", actor: "孙悦", input: { text: "收到" } }); // copied once, she is on the card
    await d.ok({ action: "copy", actor: "刘洋", input: { to: "吴昊" } });
    expect(copiesFor("吴昊", (await d.model()).log)).toHaveLength(1);
    await d.ok({ action: "comment", actor: "吴昊", input: { text: "好" } });
    expect(copiesFor("吴昊", (await d.model()).log)).toEqual([]);
  });

  test("催办 is logged and stays at the top of the chased person's My work until they act or the card moves on", async () => {
    const d = await desk("countersign");
    await d.ok({ action: "sign", actor: "刘洋" });
    const m = await d.model();
    expect(waitingOn(await d.card(), await d.ctx())).toEqual(["王磊"]);
    await d.refused({ action: "chase", actor: "林静", input: { to: "孙悦" } }, /the card is not waiting for 孙悦 \(waiting for: 王磊\)/);
    await d.ok({ action: "chase", actor: "林静", input: { to: "王磊", text: "D3 快到了" } });
    const log = await d.lastLog();
    expect([log["操作"], log["操作人"], log["角色"], log["备注"]]).toEqual(["催办", "林静", "秘书", "催办 王磊（工单会签）：D3 快到了"]);
    let after = await d.model();
    const chases = chasesFor("王磊", after.log, after.cards, after.revisions);
    expect(chases.map((c) => [c.kind, c.cardNo, c.from])).toEqual([["chase", d.cardNo, "林静"]]);
    expect(chases[0].text.zh).toMatch(/^催办：林静 于 .* 催你办理 .*（工单会签）：D3 快到了$/);
    await d.ok({ action: "comment", actor: "张伟", input: { text: "客户也在问" } }); // someone else's row does not close it
    after = await d.model();
    expect(chasesFor("王磊", after.log, after.cards, after.revisions)).toHaveLength(1);
    await d.ok({ action: "sign", actor: "王磊" });
    after = await d.model();
    expect(chasesFor("王磊", after.log, after.cards, after.revisions)).toEqual([]);
    expect(m.log.length).toBeLessThan(after.log.length);
  });
});

describe("the Due: required with the reply, changed later by the AE with a reason", () => {
  test("the reply is refused without a Due and nothing is written; with it, the Due is stamped", async () => {
    const d = await desk("order");
    const issued = await d.act({
      action: "issue",
      actor: "林静",
      input: { request: { project: "另一个", key: false, intake: "AE", initiator: "李娜", ae: "李娜", received: T0 } as never },
    });
    const other = issued.ok ? issued.effect.cardNo : "";
    await d.refused({ action: "reply", cardNo: other, actor: "李娜", input: {} } as never, /give the Due agreed with the client/);
    const r = await d.act({ action: "reply", cardNo: other, actor: "李娜", input: { due: DUE } });
    expect(r.ok).toBe(true);
    expect((await d.model()).cards.find((c) => c.cardNo === other)!.due).toBe(DUE);
  });

  test("the AE changes the Due with a reason: logged from → to; refused without a reason, by others, before the reply, in the past; 撤销 puts the old Due back", async () => {
    const d = await desk("writing");
    const due2 = toSerial(2026, 11, 16, 18, 0);
    await d.refused({ action: "changeDue", actor: "张伟", input: { due: due2 } }, /say why the Due changes/);
    await d.refused(
      { action: "changeDue", actor: "刘洋", input: { due: due2, reason: "x" } },
      /only the card's AE \(no AE: the initiator\)/,
    );
    await d.refused({ action: "changeDue", actor: "张伟", input: { due: T0 - 1, reason: "x" } }, /later than now/);
    await d.refused({ action: "changeDue", actor: "张伟", input: { due: DUE, reason: "x" } }, /the Due is the same/);
    const before = datesOf(await d.card());
    await d.ok({ action: "changeDue", actor: "张伟", input: { due: due2, reason: "客户延期" } });
    expect(datesOf(await d.card())).toEqual({ ...before, due: due2 });
    const log = await d.lastLog();
    expect([log["操作"], log["操作人"], log["角色"], log["备注"]]).toEqual([
      "修改交稿时间",
      "张伟",
      "AE",
      "交稿时间 2026-11-12 18:00 → 2026-11-16 18:00；原因：客户延期",
    ]);
    await d.ok({ action: "withdraw", actor: "张伟" });
    expect((await d.card()).due).toBe(DUE);
  });

  test("no AE: the initiator may change the Due; before the reply it is refused", async () => {
    const d = await desk("order");
    const issued = await d.act({
      action: "issue",
      actor: "林静",
      input: { request: { project: "经理接单", key: false, intake: "Manager", initiator: "赵敏", received: T0 } as never },
    });
    const cardNo = issued.ok ? issued.effect.cardNo : "";
    await d.refused({ action: "changeDue", cardNo, actor: "赵敏", input: { due: DUE, reason: "x" } } as never, /no reply recorded yet/);
    expect((await d.act({ action: "reply", cardNo, actor: "赵敏", input: { due: DUE } })).ok).toBe(true);
    expect((await d.act({ action: "changeDue", cardNo, actor: "赵敏", input: { due: DUE + 1, reason: "客户要求" } })).ok).toBe(true);
  });
});

describe("co-authoring: a second client acting between the read and the write", () => {
  /** Before this client's second round trip (the action's write), a co-author's whole action runs. */
  function coauthorFirst(excel: FakeExcel, req: ActionRequest, now: number): () => ActionResult | undefined {
    let n = 0;
    let result: ActionResult | undefined;
    excel.onSync = async (source) => {
      if (source !== "Local" || ++n !== 2) return;
      result = await performAction(office(excel, true), req, now);
    };
    return () => result;
  }

  const MOVES: [string, keyof typeof STEPS, Omit<ActionRequest, "cardNo">][] = [
    ["sendBack", "review", { action: "sendBack", actor: "王磊", input: { reason: "重写" } }],
    ["withdraw", "review", { action: "withdraw", actor: "刘洋" }],
    ["handOver", "writing", { action: "handOver", actor: "王磊", input: { to: "吴昊", reason: "休假" } }],
    ["handOverSign", "countersign", { action: "handOverSign", actor: "刘洋", input: { to: "孙悦", reason: "出差" } }],
    ["addSigner", "countersign", { action: "addSigner", actor: "刘洋", input: { to: "孙悦", position: "after" } }],
    ["comment", "writing", { action: "comment", actor: "张伟", input: { text: "进度？" } }],
    ["copy", "writing", { action: "copy", actor: "张伟", input: { to: "孙悦" } }],
    ["chase", "countersign", { action: "chase", actor: "林静", input: { to: "刘洋" } }],
    ["changeDue", "writing", { action: "changeDue", actor: "张伟", input: { due: toSerial(2026, 11, 16, 18, 0), reason: "延期" } }],
  ];

  test.each(MOVES)("%s: refused, nothing of it written; the co-author's action stands and the log verifies", async (_name, stage, req) => {
    const d = await desk(stage);
    const before = await d.port.read();
    const now = T0 + (d.minute += 10) / 1440;
    const other = coauthorFirst(d.excel, { action: "comment", cardNo: d.cardNo, actor: "林静", input: { text: "我先写" } }, now);
    const r = await performAction(d.port, { ...req, cardNo: d.cardNo } as ActionRequest, now);
    d.excel.onSync = undefined;
    expect(other()?.ok).toBe(true);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.en).toMatch(/meanwhile|same moment/);
    const after = await d.port.read();
    expect(findTable(after, "Register")!.rows).toEqual(findTable(before, "Register")!.rows); // a comment changes no cell; ours changed none
    const log = readWorkbook(after).model.log;
    expect(log.length).toBe(readWorkbook(before).model.log.length + 1);
    expect([actionOf(log.at(-1)), log.at(-1)!.actor]).toEqual(["comment", "林静"]);
    expect(verifyWorkbookLog(after, readWorkbook(after).model)).toEqual([]);
  });

  test("the pane's view is stale (a co-author commented since): refused with what changed, nothing written", async () => {
    const d = await desk("review");
    const seen = versionOf(await d.model(), d.cardNo)!;
    expect(
      (
        await performAction(
          office(d.excel, true),
          { action: "comment", cardNo: d.cardNo, actor: "林静", input: { text: "看过了" } },
          T0 + 1 / 24,
        )
      ).ok,
    ).toBe(true);
    const before = await d.port.read();
    const r = await d.act({ action: "sendBack", actor: "王磊", input: { reason: "重写" }, seen });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.changed!.map((c) => c.zh)).toEqual(["会签记录：林静 评论"]);
    expect(findTable(await d.port.read(), "CountersignLog")!.rows).toEqual(findTable(before, "CountersignLog")!.rows);
  });
});

describe("what the pane calls", () => {
  test("availableMoves: every action of the card's stage for a person, allowed or with the reason", async () => {
    const d = await desk("countersign");
    const card = await d.card();
    const ctx = await d.ctx();
    const moves = (who: string) => Object.fromEntries(availableMoves(card, who, ctx).map((m) => [m.id, m.allowed ? "yes" : m.reason!.en]));
    const lead = moves("刘洋");
    expect(lead).toMatchObject({
      sign: "yes",
      return: "yes",
      handOverSign: "yes",
      addSigner: "yes",
      comment: "yes",
      copy: "yes",
      chase: "yes",
      handOver: "yes",
      withdraw: "yes",
      reply: expect.stringMatching(/already replied/),
    });
    expect(lead.acknowledge).toMatch(/only the person copied/);
    expect(Object.keys(lead)).not.toContain("issue");
    expect(Object.keys(lead)).not.toContain("sendBack"); // not a move of this stage
    expect(moves("王磊").sign).toMatch(/only .* \(刘洋\)/);
    expect(moves("周婷").sign).toBe("yes"); // 刘洋's backup
  });

  test("cardTimeline: every log row, revision and incident of the card in time order, with zh/en text", async () => {
    const d = await desk("review");
    await d.ok({ action: "revision", actor: "张伟", input: { revision: { reason: "Client", major: true, note: "换主视觉" } } });
    await d.ok({ action: "incident", actor: "林静", input: { incident: { kind: "Attitude complaint", person: "刘洋", note: "未回电" } } });
    await d.ok({ action: "comment", actor: "王磊", input: { text: "周五前改完" } });
    const m = await d.model();
    const items = cardTimeline(d.cardNo, m);
    const times = items.map((i) => i.time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(items.filter((i) => i.kind === "log").map((i) => i.action)).toEqual([
      "issue",
      "assign",
      "reply",
      "brief",
      "sign",
      "sign",
      "sign",
      "startWriting",
      "framework",
      "draft",
      "revision",
      "incident",
      "comment",
    ]);
    expect(items.filter((i) => i.kind !== "log").map((i) => [i.kind, i.text.zh])).toEqual([
      ["revision", expect.stringMatching(/^修改（客户要求，重大）：换主视觉；\d{4}-\d\d-\d\d \d\d:\d\d 已转达$/)], // 张伟 (the AE) recorded it: relayed then
      ["incident", "事件：态度投诉 → 刘洋：未回电"],
    ]);
    expect(items.at(-1)!.text).toEqual({ zh: "评论 · 王磊：周五前改完", en: "Comment · 王磊: 周五前改完" });
  });
});
