/**
 * One word per thing, in the reader's language: the log notes the add-in writes in a Chinese
 * workbook are Chinese (no "1/3 策划 / Planner", no "Client major", no "on behalf of"), in an
 * English one English; a refusal reads as a sentence; the copy button and its notice say 抄送.
 */
import { toSerial } from "../../src/core/calendar";
import { ACTIONS } from "../../src/core/workflow/actions";
import { LOG_WORDS, actionOf } from "../../src/core/workflow/words";
import { ActionRequest, performAction } from "../../src/workbook/actions";
import { demoChanges } from "../../src/workbook/demo";
import { Snapshot, WorkbookPort, findTable } from "../../src/workbook/port";
import { buildInbox } from "../../src/core/workflow/inbox";
import { calendarOf } from "../../src/workbook/calendar";
import { readWorkbook } from "../../src/workbook/read";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { office } from "./fake-office";

const T0 = toSerial(2026, 11, 2, 10, 0);

class Memory implements WorkbookPort {
  constructor(public snap: Snapshot) {}
  async read(): Promise<Snapshot> {
    return this.snap;
  }
  async write(): Promise<void> {}
}

async function seed(lang: "zh" | "en"): Promise<Memory> {
  const excel = new FakeExcel();
  const p = office(excel);
  await p.read();
  await p.write(demoChanges(lang));
  return new Memory(await p.read());
}

/** A card through the moves whose notes used to mix languages, the lead's steps done by his backup. */
async function flow(port: Memory): Promise<{ cardNo: string; notes: string[]; refusal: string; notice: string }> {
  let minute = 0;
  const act = async (req: ActionRequest) => {
    const r = await performAction(port, req, T0 + (minute += 20) / 1440);
    if (!r.ok) throw new Error(`${req.action}: ${r.reason.en}`);
    port.snap = r.snapshot;
    return r;
  };
  const issued = await act({
    action: "issue",
    actor: "林静",
    input: { request: { project: "新品上市", key: false, intake: "AE", initiator: "张伟", ae: "张伟", received: T0 } },
  });
  const cardNo = issued.effect.cardNo;
  const steps: ActionRequest[] = [
    { action: "reply", cardNo, actor: "张伟", input: { due: T0 + 10 } },
    { action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } },
    { action: "brief", cardNo, actor: "周婷" }, // 刘洋's backup
    { action: "sign", cardNo, actor: "刘洋", input: { text: "同意" } },
    { action: "sign", cardNo, actor: "王磊" },
    { action: "sign", cardNo, actor: "陈刚" },
    { action: "framework", cardNo, actor: "刘洋" },
    { action: "revision", cardNo, actor: "张伟", input: { revision: { reason: "Client", major: true, note: "换主视觉" } } },
    { action: "incident", cardNo, actor: "林静", input: { incident: { kind: "Attitude complaint", person: "刘洋", note: "客户来电" } } },
    { action: "copy", cardNo, actor: "王磊", input: { to: "李娜", text: "请留意" } },
  ];
  for (const s of steps) await act(s);
  const log = findTable(port.snap, "CountersignLog")!;
  const noteCol = log.headers.findIndex((h) => h === "备注" || h === "Note");
  const cardCol = log.headers.findIndex((h) => h === "卡号" || h === "Card No.");
  const notes = log.rows.filter((r) => r[cardCol] === cardNo).map((r) => String(r[noteCol] ?? ""));
  const refused = await performAction(
    port,
    { action: "changeDue", cardNo, actor: "刘洋", input: { due: T0 + 12, reason: "延期" } },
    T0 + 1,
  );
  const { model } = readWorkbook(port.snap);
  const inbox = buildInbox("李娜", { ...model }, calendarOf(model), T0 + 1);
  return {
    cardNo,
    notes,
    refusal: refused.ok ? "" : refused.reason.zh + " | " + refused.reason.en,
    notice: inbox.notices.find((n) => n.cardNo === cardNo)?.text.zh ?? "",
  };
}

test("a Chinese workbook's log notes are Chinese, with the names and the text people typed", async () => {
  const { notes, refusal, notice } = await flow(await seed("zh"));
  expect(notes).toEqual([
    "AE 发起：新品上市",
    expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
    "项目负责人 刘洋；审核人 王磊",
    "代 刘洋",
    "1/3 策划；意见：同意",
    "2/3 经理或经理助理",
    "3/3 总监",
    "",
    "客户要求（重大）：换主视觉；已转达", // 张伟, the AE, recorded it: his relay
    "态度投诉 → 刘洋：客户来电",
    "抄送 李娜：请留意",
  ]);
  for (const n of notes) expect(n).not.toMatch(/[A-Za-z]{3,}/);
  expect(refusal).toBe(
    "“修改交稿时间”须由本卡 AE（无 AE 时为需求发起人）操作，即 张伟 | only the card's AE (no AE: the initiator) may change the due (张伟)",
  );
  expect(notice).toMatch(/^抄送：王磊 于 .* 抄送你 .*：请留意$/);
});

test("an English workbook's log notes are English", async () => {
  const { notes } = await flow(await seed("en"));
  expect(notes).toEqual([
    "AE: 新品上市",
    expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
    "lead 刘洋; reviewer 王磊",
    "on behalf of 刘洋",
    "1/3 Planner; opinion: 同意",
    "2/3 Manager or assistant",
    "3/3 Director",
    "",
    "Client major: 换主视觉; relayed",
    "Attitude complaint → 刘洋: 客户来电",
    "copy to 李娜: 请留意",
  ]);
});

test("the copy button and its notice use one word, 抄送; no button's who-text carries a rule of its input", () => {
  expect(ACTIONS.find((a) => a.id === "copy")!.label.zh).toBe("抄送");
  for (const a of ACTIONS) expect(a.whoText.zh).not.toMatch(/须说明原因/);
});

/**
 * A key project's whole life, with every approval move on the way (退回需求单, 加签, 转交会签, 转交,
 * 催办, 已阅, 退回修改, a major revision and the director again, 评论, 抄送, 修改交稿时间, 免责, 撤销):
 * the notes of its rows, as the workbook holds them.
 */
async function wholeLife(port: Memory): Promise<{ notes: string[]; actions: string[] }> {
  let minute = 0;
  const act = async (req: ActionRequest) => {
    const r = await performAction(port, req, T0 + (minute += 20) / 1440);
    if (!r.ok) throw new Error(`${req.action} by ${req.actor}: ${r.reason.en}`);
    port.snap = r.snapshot;
  };
  const issued = await performAction(
    port,
    {
      action: "issue",
      actor: "林静",
      input: { request: { project: "年终盛典", key: true, intake: "Director", initiator: "陈刚", ae: "张伟", received: T0 } },
    },
    T0,
  );
  if (!issued.ok) throw new Error(issued.reason.en);
  port.snap = issued.snapshot;
  const cardNo = issued.effect.cardNo;
  const steps: ActionRequest[] = [
    { action: "reply", cardNo, actor: "张伟", input: { due: T0 + 10 } },
    { action: "changeDue", cardNo, actor: "张伟", input: { due: T0 + 12, reason: "客户推迟发布会" } },
    { action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } },
    { action: "handOver", cardNo, actor: "王磊", input: { to: "吴昊", reason: "刘洋 出差" } },
    { action: "brief", cardNo, actor: "吴昊" },
    { action: "return", cardNo, actor: "吴昊", input: { reason: "预算未定" } },
    { action: "brief", cardNo, actor: "吴昊" },
    { action: "addSigner", cardNo, actor: "林静", input: { to: "孙悦", position: "after", reason: "涉及数据" } },
    { action: "sign", cardNo, actor: "吴昊", input: { text: "同意" } },
    { action: "sign", cardNo, actor: "孙悦" },
    { action: "handOverSign", cardNo, actor: "林静", input: { to: "赵敏", reason: "王磊 开会" } },
    { action: "sign", cardNo, actor: "赵敏" },
    { action: "sign", cardNo, actor: "陈刚", input: { text: "抓紧" } },
    { action: "startWriting", cardNo, actor: "吴昊" },
    { action: "framework", cardNo, actor: "吴昊" },
    { action: "chase", cardNo, actor: "林静", input: { to: "吴昊", text: "请今天交初稿" } },
    { action: "acknowledge", cardNo, actor: "吴昊", input: { text: "收到" } },
    { action: "draft", cardNo, actor: "吴昊" },
    { action: "sendBack", cardNo, actor: "王磊", input: { reason: "结构要调整" } },
    { action: "draft", cardNo, actor: "吴昊" },
    { action: "review", cardNo, actor: "王磊", input: { text: "可以" } },
    { action: "directorReview", cardNo, actor: "陈刚" },
    { action: "send", cardNo, actor: "陈刚" },
    { action: "revision", cardNo, actor: "吴昊", input: { revision: { reason: "Client", major: true, note: "换主视觉" } } },
    { action: "relay", cardNo, actor: "张伟" },
    { action: "directorReview", cardNo, actor: "陈刚", input: { text: "通过" } },
    { action: "send", cardNo, actor: "陈刚" },
    { action: "comment", cardNo, actor: "林静", input: { text: "客户已确认" } },
    { action: "copy", cardNo, actor: "王磊", input: { to: "李娜", text: "请留意" } },
    { action: "incident", cardNo, actor: "林静", input: { incident: { kind: "Attitude complaint", person: "吴昊", note: "客户来电" } } },
    { action: "close", cardNo, actor: "吴昊" },
    { action: "excuse", cardNo, actor: "林静", input: { deadline: "D1", reason: "客户失联" } },
    { action: "archive", cardNo, actor: "林静" },
    { action: "withdraw", cardNo, actor: "林静" },
  ];
  for (const s of steps) await act(s);
  const log = findTable(port.snap, "CountersignLog")!;
  const col = (...h: string[]) => log.headers.findIndex((x) => h.includes(x));
  const rows = log.rows.filter((r) => r[col("卡号", "Card No.")] === cardNo);
  return { notes: rows.map((r) => String(r[col("备注", "Note")] ?? "")), actions: rows.map((r) => String(r[col("操作", "Action")] ?? "")) };
}

/** Names, card numbers, deadline ids (D1), a withdrawn row's hash and dates are no language's words. */
const neutral = (s: string) => s.replace(/#[0-9A-Za-z]{16}\b/g, "").replace(/\b[A-Z]\d+\b/g, "");

test("a key project's whole life in a Chinese workbook: every note is Chinese (no Latin words but AE, AB, KPI)", async () => {
  const { notes, actions } = await wholeLife(await seed("zh"));
  expect(new Set(actions.map((a) => actionOf(a)))).toEqual(new Set(Object.keys(LOG_WORDS).filter((a) => a !== "milestone")));
  const latin = notes.flatMap((n) =>
    (neutral(n).match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !["AE", "AB", "KPI"].includes(w)).map((w) => `${w} ← ${n}`),
  );
  expect(latin).toEqual([]);
  for (const a of actions) expect(a).toMatch(/^[\u4e00-\u9fff]+$/);
});

test("the same life in an English workbook: every note is English but the names and the words people typed", async () => {
  const { notes, actions } = await wholeLife(await seed("en"));
  const typed = [
    "年终盛典",
    "客户推迟发布会",
    "刘洋 出差",
    "预算未定",
    "涉及数据",
    "同意",
    "王磊 开会",
    "抓紧",
    "请今天交初稿",
    "收到",
    "结构要调整",
    "可以",
    "换主视觉",
    "通过",
    "客户已确认",
    "请留意",
    "客户来电",
    "客户失联",
  ];
  const names = ["林静", "王磊", "赵敏", "陈刚", "张伟", "李娜", "刘洋", "周婷", "吴昊", "孙悦"];
  const strip = (n: string) => [...typed, ...names].reduce((s, w) => s.split(w).join(""), neutral(n));
  const chinese = notes.filter((n) => /[\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]/.test(strip(n)));
  expect(chinese).toEqual([]);
  for (const a of actions) expect(a).toMatch(/^[A-Za-z ]+$/);
});
