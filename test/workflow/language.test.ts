/**
 * The workbook speaks its own language: the log's Action and Role, Yes/No and the choice
 * values are written in the table's header language (会签, 秘书, 是 in a Chinese workbook;
 * Countersign, Secretary, Yes in an English one), and both — and the codes of older logs —
 * are read. The hash covers the words as written, so old logs stay verifiable unchanged.
 */
import { toSerial } from "../../src/core/calendar";
import type { LogEntry } from "../../src/core/model";
import { countersignChain } from "../../src/core/workflow/chain";
import { chainAppend, chainHash, GENESIS, verifyChain } from "../../src/core/workflow/log";
import { parseHandOver } from "../../src/core/workflow/notes";
import { ActionId, LOG_WORDS, actionOf } from "../../src/core/workflow/words";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { office } from "./fake-office";
import { performAction, verifyWorkbookLog } from "../../src/workbook/actions";
import { logHeadChanges, newLogSalt } from "../../src/workbook/log-head";
import { logEntryIn } from "../../src/workbook/cells";
import { demoChanges, demoData } from "../../src/workbook/demo";
import { findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { COUNTERSIGN_LOG } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { LOG_ACTIONS, ROLES, lookup, settingText } from "../../src/workbook/vocab";

const T0 = toSerial(2026, 11, 2, 10, 0);

async function workbook(lang: "zh" | "en") {
  const excel = new FakeExcel();
  const port = office(excel);
  await port.read();
  await port.write(demoChanges(lang));
  await port.read();
  return { excel, port };
}

const byHeader = (t: { headers: unknown[]; rows: unknown[][] }, r: unknown[]) =>
  Object.fromEntries(t.headers.map((h, i) => [String(h), r[i]]));

describe.each([
  [
    "zh",
    {
      action: "操作",
      role: "角色",
      note: "备注",
      words: ["下单", "指派", "转交负责人"],
      roles: ["秘书", "经理", "经理"],
      note2: "项目负责人 刘洋 → 吴昊；原因：休假",
      yes: "是",
      no: "否",
      setting: "总监审核所有方案",
    },
  ],
  [
    "en",
    {
      action: "Action",
      role: "Role",
      note: "Note",
      words: ["Issue", "Assign", "Hand over lead"],
      roles: ["Secretary", "Manager", "Manager"],
      note2: "lead 刘洋 → 吴昊; reason: 休假",
      yes: "Yes",
      no: "No",
      setting: "Director reviews every proposal",
    },
  ],
] as const)("a %s workbook", (lang, w) => {
  test("the log's Action and Role, and a move's note, are written in the workbook's language; the hash covers them and verifies", async () => {
    const { port } = await workbook(lang);
    const at = (n: number) => T0 + n / 1440;
    const issued = await performAction(
      port,
      {
        action: "issue",
        actor: "林静",
        input: { request: { project: "P", key: false, intake: "AE", initiator: "张伟", ae: "张伟", received: at(-30) } },
      },
      at(0),
    );
    const cardNo = issued.ok ? issued.effect.cardNo : "";
    expect((await performAction(port, { action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋" } }, at(1))).ok).toBe(true);
    const r = await performAction(port, { action: "handOver", cardNo, actor: "王磊", input: { to: "吴昊", reason: "休假" } }, at(2));
    expect(r.ok).toBe(true);
    const snap = await port.read();
    const log = findTable(snap, "CountersignLog")!;
    const mine = log.rows.slice(-3).map((row) => byHeader(log, row));
    expect(mine.map((x) => x[w.action])).toEqual(w.words);
    expect(mine.map((x) => x[w.role])).toEqual(w.roles);
    expect(mine[2][w.note]).toBe(w.note2);
    // What performAction returns is what was written.
    if (r.ok) expect([r.written.action, r.written.role, r.written.note]).toEqual([w.words[2], w.roles[2], w.note2]);
    // Read back: the model holds the words; core reads them as actions; the note parses in either language.
    const { model } = readWorkbook(snap);
    const rows = model.log.filter((e) => e.cardNo === cardNo);
    expect(rows.map((e) => actionOf(e))).toEqual(["issue", "assign", "handOver"]);
    expect(parseHandOver(rows[2])).toEqual({ from: "刘洋", to: "吴昊" });
    expect(rows[2].hash).toBe(chainHash(model.log[model.log.length - 2].hash!, rows[2])); // over the words as they are in the cells
    expect(verifyWorkbookLog(snap, model)).toEqual([]);
  });

  test("the demo's log, Staff's Active and Settings' Yes/No are in the workbook's language", async () => {
    const { port } = await workbook(lang);
    const snap = await port.read();
    const log = findTable(snap, "CountersignLog")!;
    const actionCol = log.headers.indexOf(w.action);
    const roleCol = log.headers.indexOf(w.role);
    const words = new Set(Object.values(LOG_WORDS).map((x) => x[lang]));
    const roleWords = new Set(Object.values(ROLES).map((x) => x[lang]));
    expect(log.rows.filter((r) => !words.has(String(r[actionCol])))).toEqual([]);
    expect(log.rows.filter((r) => !roleWords.has(String(r[roleCol])))).toEqual([]);
    const settings = findTable(snap, "Settings")!;
    expect(settings.rows.find((r) => r[0] === w.setting)![1]).toBe(w.no);
    const staff = findTable(snap, "Staff")!;
    const active = staff.headers.indexOf(lang === "zh" ? "在职" : "Active");
    expect(new Set(staff.rows.map((r) => r[active]))).toEqual(new Set([w.yes, w.no]));
    expect(readWorkbook(snap).model.settings.directorReviewsAll).toBe(false);
    expect(verifyWorkbookLog(snap, readWorkbook(snap).model)).toEqual([]);
  });
});

describe("reading both languages and the codes of older logs", () => {
  test("actionOf reads codes, Chinese and English words and aliases; every word names one action", () => {
    for (const [id, x] of Object.entries(LOG_WORDS) as [ActionId, (typeof LOG_WORDS)[ActionId]][]) {
      expect([actionOf(id), actionOf(x.zh), actionOf(x.en), actionOf(` ${x.en.toUpperCase()} `)]).toEqual([id, id, id, id]);
      expect(lookup(LOG_ACTIONS, x.zh)).toBe(id);
    }
    expect([actionOf("开卡"), actionOf("转交"), actionOf("知悉"), actionOf("directorReview"), actionOf("总监审核")]).toEqual([
      "issue",
      "handOver",
      "acknowledge",
      "directorReview",
      "directorReview",
    ]);
    expect(actionOf("手工补录")).toBeUndefined();
    const all = Object.values(LOG_WORDS).flatMap((x) => [x.zh, x.en.toLowerCase()]);
    expect(new Set(all).size).toBe(all.length);
  });

  test("logEntryIn writes the action and the role in a language, from codes or words, and keeps unknown words", () => {
    const e: LogEntry = { time: T0, cardNo: "202611-001", action: "directorReview", actor: "陈刚", role: "Director", note: "" };
    expect(logEntryIn(e, "zh")).toMatchObject({ action: "总监审核", role: "总监" });
    expect(logEntryIn(logEntryIn(e, "zh"), "en")).toMatchObject({ action: "Director review", role: "Director" });
    expect(logEntryIn({ ...e, action: "手工补录", role: "" }, "zh")).toMatchObject({ action: "手工补录", role: "" });
  });

  test("an old log of codes stays verifiable; new rows in words chain onto it; the countersign counts both", () => {
    const old: LogEntry[] = chainAppend(
      [],
      [
        { time: T0, cardNo: "202611-001", action: "issue", actor: "林静", role: "Secretary", note: "" },
        { time: T0 + 0.01, cardNo: "202611-001", action: "brief", actor: "刘洋", role: "Planner", note: "" },
        { time: T0 + 0.02, cardNo: "202611-001", action: "sign", actor: "刘洋", role: "Planner", note: "1/3 策划 / Planner" },
      ],
    );
    expect(old[0].hash).toBe(chainHash(GENESIS, old[0])); // the code as the cell holds it
    const next = chainAppend(old, [
      logEntryIn({ time: T0 + 0.03, cardNo: "202611-001", action: "sign", actor: "王磊", role: "Manager", note: "2/3" }, "zh"),
    ]);
    const log = [...old, ...next];
    expect(verifyChain(log)).toEqual([]);
    expect(next[0]).toMatchObject({ action: "会签", role: "经理" });
    const card = { cardNo: "202611-001", key: false, lead: "刘洋", reviewer: "王磊" };
    expect(countersignChain(card, { staff: demoData().staff, log }).current).toBe(2);
  });

  test("an old workbook whose log holds codes: check finds no break, and new appends (in words) keep it verifiable", async () => {
    // The demo as it was written before: codes in Action and Role.
    const changes = demoChanges("zh");
    const logTable = changes.newTables.find((t) => t.name === "CountersignLog")!;
    const codes = chainAppend(
      [],
      demoData("zh").log.map(({ hash: _h, ...e }) => ({ ...e, action: actionOf(e), role: lookup(ROLES, e.role ?? "") ?? e.role })),
    );
    logTable.rows = codes.map((e) => COUNTERSIGN_LOG.columns.map((c) => (e as Record<string, unknown>)[c.key] ?? null) as never);
    Object.assign(changes, logHeadChanges(codes, newLogSalt())); // its head, both records, as the add-in wrote them
    const excel = new FakeExcel();
    const port = office(excel);
    await port.read();
    await port.write(changes);
    let snap = await port.read();
    expect(findTable(snap, "CountersignLog")!.rows[0][2]).toBe("issue");
    expect(verifyWorkbookLog(snap, readWorkbook(snap).model)).toEqual([]);
    const r = await performAction(
      port,
      {
        action: "issue",
        actor: "林静",
        input: { request: { project: "P", key: false, intake: "AE", initiator: "张伟", ae: "张伟", received: T0 - 0.01 } },
      },
      T0,
    );
    expect(r.ok && r.written.action).toBe("下单");
    snap = await port.read();
    expect(verifyWorkbookLog(snap, readWorkbook(snap).model)).toEqual([]);
    // The number is issued as before.
    expect(r.ok && r.effect.cardNo).toBe("202611-001");
  });

  test("Settings values: Yes/No in the table's language, other values as they are", () => {
    expect([
      settingText("No", "zh"),
      settingText("Yes", "zh"),
      settingText("No", "en"),
      settingText("auto", "zh"),
      settingText("YYYYMM-NNN", "zh"),
    ]).toEqual(["否", "是", "No", "auto", "YYYYMM-NNN"]);
    const zh = setupChanges({ tables: new Map(), sheetNames: [] }, "zh").newTables.find((t) => t.name === "Settings")!;
    expect(zh.rows.find((r) => r[0] === "总监审核所有方案")![1]).toBe("否");
    const rules = setupChanges({ tables: new Map(), sheetNames: [] }, "zh").newTables.find((t) => t.name === "Rules")!;
    expect(new Set(rules.rows.map((r) => r[r.length - 1]))).toEqual(new Set(["是"]));
  });
});
