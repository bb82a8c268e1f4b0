/**
 * Who really acted (issue 18): the signed-in Office account in the log row (hashed with it),
 * the setting "只允许本人操作 / Only the signed-in person may act" (backups excepted), and the
 * log rows whose account is not their actor's — in core, and through the Office.js adapter over
 * the strict in-memory Excel.
 */
import { toSerial } from "../../src/core/calendar";
import type { LogEntry, StaffMember } from "../../src/core/model";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { accountMismatches, accountPermission, personOfAccount } from "../../src/core/workflow/account";
import { GENESIS, chainAppend, chainHash, verifyChain, verifyLog } from "../../src/core/workflow/log";
import { stageOf } from "../../src/core/workflow/stages";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { accountMismatchesOf, performAction, verifyWorkbookLog } from "../../src/workbook/actions";
import { readWorkbook } from "../../src/workbook/read";
import { demoExcel, office } from "./fake-office";

const STAFF: StaffMember[] = [
  { name: "林静", role: "Secretary", backup: "赵敏", active: true, account: "lin.jing@example.com" },
  { name: "赵敏", role: "Assistant Manager", backup: "王磊", active: true, account: "Zhao.Min@example.com" },
  { name: "王磊", role: "Manager", active: true, account: "wang.lei@example.com" },
  { name: "刘洋", role: "Planner", active: true },
];
const on = { staff: STAFF, settings: { ...DEFAULT_SETTINGS, onlySelf: true } };
const off = { staff: STAFF, settings: DEFAULT_SETTINGS };

describe("accountPermission (core): 只允许本人操作", () => {
  test("setting off (the default): anyone may be chosen, with any account or none", () => {
    expect(DEFAULT_SETTINGS.onlySelf).toBe(false);
    expect(accountPermission("王磊", "lin.jing@example.com", off)).toBeUndefined();
    expect(accountPermission("王磊", undefined, off)).toBeUndefined();
  });

  test("setting on: the account's own person may act (accounts compare without case or spaces)", () => {
    expect(accountPermission("林静", " LIN.JING@example.com ", on)).toBeUndefined();
    expect(personOfAccount(STAFF, "zhao.min@EXAMPLE.com")?.name).toBe("赵敏");
  });

  test("setting on: a backup acting for the person they back up is excepted", () => {
    // 林静's backup is 赵敏: signed in as 赵敏, acting as 林静 is allowed; the reverse is not (赵敏's backup is 王磊).
    expect(accountPermission("林静", "zhao.min@example.com", on)).toBeUndefined();
    expect(accountPermission("赵敏", "wang.lei@example.com", on)).toBeUndefined();
    expect(accountPermission("赵敏", "lin.jing@example.com", on)?.en).toBe(
      'the setting "Only the signed-in person may act" is Yes: the signed-in account "lin.jing@example.com" is 林静\'s, who may not act as "赵敏" (nor is 林静 their backup)',
    );
  });

  test("setting on: someone else, an account not in Staff, or no account at all is refused, in zh and en", () => {
    const other = accountPermission("刘洋", "wang.lei@example.com", on);
    expect(other?.zh).toMatch(/登录账号“wang\.lei@example\.com”是 王磊 的，不能以“刘洋”的身份操作/);
    expect(accountPermission("刘洋", "stranger@example.com", on)?.en).toMatch(
      /"stranger@example\.com" is not in the Staff table's Account column/,
    );
    expect(accountPermission("林静", undefined, on)?.en).toMatch(/no account is signed in here \(perpetual Office or a local file\)/);
    expect(accountPermission("林静", "  ", on)?.zh).toMatch(/这里没有登录的账号/);
  });
});

const entry = (i: number, account?: string): LogEntry => ({
  time: toSerial(2026, 10, 1, 9, i),
  cardNo: `202610-00${i}`,
  action: "会签",
  actor: "林静",
  role: "秘书",
  note: "",
  ...(account ? { account } : {}),
});
const rows = (log: LogEntry[]) => log.map((e, i) => ({ entry: e, sheetRow: i + 2 }));

describe("the account in the log's hash chain", () => {
  test("rows with an account verify; editing the account breaks the chain at that row", () => {
    const log = chainAppend([], [entry(1, "lin.jing@example.com"), entry(2, "lin.jing@example.com"), entry(3)]);
    expect(verifyChain(log)).toEqual([]);
    const edited = log.map((e, i) => (i === 1 ? { ...e, account: "zhao.min@example.com" } : e));
    expect(
      verifyLog(rows(edited))
        .filter((b) => b.kind === "broken")
        .map((b) => b.sheetRow),
    ).toEqual([3]);
    const cleared = log.map((e, i) => (i === 0 ? { ...e, account: "" } : e));
    expect(verifyChain(cleared).map((b) => b.index)).toEqual([0]);
  });

  test("a row without an account hashes as rows did before the column (old logs still verify)", () => {
    // The hash of this row as the code before the Account column computed it.
    expect(chainHash(GENESIS, entry(1))).toBe(OLD_HASH);
    expect(chainHash(GENESIS, { ...entry(1), account: "" })).toBe(OLD_HASH);
    const old = chainAppend([], [entry(1), entry(2)]);
    expect(verifyChain(old)).toEqual([]);
  });
});

describe("accountMismatches (core)", () => {
  test("lists the rows whose account is not the actor's nor the actor's backup's, with the sheet row", () => {
    const log: LogEntry[] = [
      { ...entry(1, "lin.jing@example.com") }, // own
      { ...entry(2, "zhao.min@example.com") }, // 赵敏 backs up 林静
      { ...entry(3, "wang.lei@example.com") }, // someone else
      { ...entry(4) }, // no account: not listed
      { ...entry(5, "ghost@example.com") }, // not in Staff
    ];
    const found = accountMismatches(rows(log), STAFF);
    expect(found.map((m) => [m.sheetRow, m.person])).toEqual([
      [4, "王磊"],
      [6, undefined],
    ]);
    expect(found[0].en).toBe(
      'row 4: the actor is "林静", but the account signed in when it was written, "wang.lei@example.com", is 王磊\'s (202610-003 会签)',
    );
    expect(found[1].zh).toMatch(/^第 6 行：操作人是“林静”，但写入时登录的账号“ghost@example\.com”不在人员表的“账号”列中/);
  });
});

// The hash of entry(1) with no account under the code before this change (computed there).
const OLD_HASH = "7cf53b6eab6771e9";

describe("through the Office.js adapter on the in-memory Excel", () => {
  const T0 = toSerial(2026, 11, 2, 10, 0);
  let seed: FakeExcel;
  beforeAll(async () => {
    seed = await demoExcel();
  });
  const fresh = async () => {
    const excel = seed.fork();
    const port = office(excel);
    const m = readWorkbook(await port.read()).model;
    const card = m.cards.find((c) => stageOf(c, m.revisions) === "sent" && c.lead)!;
    return { excel, port, card };
  };

  test("the account is written in the log row, hashed, in the same two round trips; the log verifies", async () => {
    const { excel, port, card } = await fresh();
    const lead = readWorkbook(await port.read()).model.staff.find((s) => s.name === card.lead)!;
    const before = excel.syncs;
    const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead!, account: lead.account }, T0);
    expect(excel.syncs - before).toBe(2);
    expect(r.ok).toBe(true);
    const snap = await office(excel).read();
    const { model } = readWorkbook(snap);
    expect(model.log.at(-1)).toMatchObject({ cardNo: card.cardNo, actor: card.lead, account: lead.account });
    expect(verifyWorkbookLog(snap, model)).toEqual([]);
    expect(accountMismatchesOf(snap, model)).toEqual([]);
  });

  test("acting as someone else with the setting off: written, and listed as a mismatch with the log's sheet row", async () => {
    const { excel, port, card } = await fresh();
    const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead!, account: "chen.gang@example.com" }, T0);
    expect(r.ok).toBe(true);
    const snap = await office(excel).read();
    const { model } = readWorkbook(snap);
    const log = excel.state.table("CountersignLog")!;
    const found = accountMismatchesOf(snap, model);
    expect(found.map((m) => m.sheetRow)).toEqual([log.bottom + 1]);
    expect(found[0].zh).toMatch(
      new RegExp(
        `^${log.sheet.name}：第 ${log.bottom + 1} 行：操作人是“${card.lead}”，但写入时登录的账号“chen\\.gang@example\\.com”是 陈刚 的`,
      ),
    );
  });

  test("setting on: acting as someone else is refused in one round trip and nothing is written", async () => {
    const { excel, port, card } = await fresh();
    const settings = excel.state.table("Settings")!;
    let row = -1;
    for (let r = settings.top + 1; r <= settings.bottom; r++) if (settings.sheet.get(r, settings.left)?.value === "只允许本人操作") row = r;
    expect(row).toBeGreaterThan(0);
    settings.sheet.set(row, settings.left + 1, { value: "是" });
    const logBefore = excel.state.table("CountersignLog")!.bottom;
    const before = excel.syncs;
    const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead!, account: "chen.gang@example.com" }, T0);
    expect(excel.syncs - before).toBe(1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.en).toMatch(/"chen\.gang@example\.com" is 陈刚's, who may not act as/);
    expect(excel.state.table("CountersignLog")!.bottom).toBe(logBefore);
    const own = await performAction(port, { action: "close", cardNo: card.cardNo, actor: "陈刚", account: "chen.gang@example.com" }, T0);
    expect(own.ok).toBe(false); // 陈刚 may not close the lead's card: core's own rule, not the account's
    if (!own.ok) expect(own.reason.en).not.toMatch(/signed-in/);
  });

  test("a log from before the Account column: the row is written without it and the chain still verifies", async () => {
    const { excel, port, card } = await fresh();
    const log = excel.state.table("CountersignLog")!;
    let col = -1;
    for (let c = log.left; c <= log.right; c++) if (log.sheet.get(log.top, c)?.value === "账号") col = c - log.left;
    expect(col).toBeGreaterThanOrEqual(0);
    excel.state.deleteTableColumn(log, col);
    await port.read();
    const r = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead!, account: "whoever@example.com" }, T0);
    expect(r.ok).toBe(true);
    const snap = await office(excel).read();
    const { model } = readWorkbook(snap);
    expect(model.log.at(-1)?.account).toBeUndefined();
    expect(verifyWorkbookLog(snap, model)).toEqual([]);
  });
});
