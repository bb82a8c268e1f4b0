/**
 * The pieces of reminders without a network: the digest's rules, message size limits, the
 * iCalendar text (escaping, folding, UIDs, time zones), the robots' rate limits, and the Staff
 * table's optional Mobile and Email columns (new workbooks get them, existing tables never).
 */
import http from "http";
import { AddressInfo } from "net";
import { BusinessCalendar, toSerial } from "../../src/core/calendar";
import type { Card, StaffMember } from "../../src/core/model";
import { buildDigest, PersonDigest } from "../../src/core/reminders/digest";
import { buildIcs, escapeText, fixedOffset, foldLine, instantOf, uidOf, utcStamp } from "../../src/core/reminders/ics";
import { personMessage } from "../../src/core/reminders/messages";
import { DEFAULT_DEADLINES } from "../../src/core/rules/deadlines";
import { sendTo } from "../../src/cli/channels";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";

const cal = new BusinessCalendar();
const staff: StaffMember[] = [
  { name: "林静", role: "Secretary", active: true },
  { name: "张伟", role: "AE", active: true, mobile: "13800000001" },
  { name: "刘洋", role: "Planner", active: false, backup: "周婷" },
  { name: "周婷", role: "Planner", active: true, email: "zt@example.com" },
];
const D2 = DEFAULT_DEADLINES.filter((d) => d.id === "D2");

const card = (cardNo: string, assigned: number, brief?: number, lead = "周婷"): Card => ({
  cardNo,
  project: `P ${cardNo}`,
  key: false,
  lead,
  assigned,
  brief,
  ae: "张伟",
});

describe("the digest", () => {
  // 1–7 October 2026 is the National Day holiday; Thursday 8 and Friday 9 October are worked.
  const at = toSerial(2026, 10, 9, 10, 0);

  test("overdue, today, soon and later are told apart; done (by then) and not yet started are left out", () => {
    const cards = [
      card("A", toSerial(2026, 9, 29, 9, 0)), // due 9-30 09:00: overdue
      card("B", toSerial(2026, 10, 8, 15, 0)), // due 10-09 15:00 (a business day is 7.5 working hours): today
      card("C", toSerial(2026, 10, 9, 11, 0)), // due 10-10 (the make-up Saturday) 11:00; not started at 10:00
      card("D", toSerial(2026, 10, 9, 9, 30)), // due 10-10 09:30: 7 business hours away at 10:00 (more than 4)
      card("E", toSerial(2026, 9, 29, 9, 0), toSerial(2026, 9, 29, 12, 0)), // done
      card("F", toSerial(2026, 9, 29, 9, 0), toSerial(2026, 10, 12, 12, 0)), // done only later: open then
    ];
    const d = buildDigest({ cards, revisions: [], staff, deadlines: D2 }, cal, at, 4);
    expect(d.workday).toBe(true);
    expect(d.people.map((p) => p.name)).toEqual(["周婷"]);
    const items = d.people[0].items.map((i) => [i.cardNo, i.kind]);
    expect(items).toEqual([
      ["A", "overdue"],
      ["F", "overdue"],
      ["B", "today"],
    ]);
    const wide = buildDigest({ cards, revisions: [], staff, deadlines: D2 }, cal, toSerial(2026, 10, 9, 17, 0), 4);
    expect(wide.people[0].items.find((i) => i.cardNo === "C")).toMatchObject({ kind: "soon", hoursLeft: 3 });
    expect(wide.people[0].items.find((i) => i.cardNo === "D")).toMatchObject({ kind: "soon", hoursLeft: 1.5 }); // at 10:00 it was 7 hours away: left out
  });

  test("an inactive person's deadlines go to their active backup, named for them; nobody named: unassigned", () => {
    const cards = [card("A", toSerial(2026, 9, 29, 9, 0), undefined, "刘洋"), card("B", toSerial(2026, 9, 29, 9, 0), undefined, "")];
    const d = buildDigest({ cards, revisions: [], staff, deadlines: D2 }, cal, at, 4);
    expect(d.people.map((p) => p.name)).toEqual(["周婷"]);
    expect(d.people[0].items[0].onBehalfOf).toBe("刘洋");
    expect(d.unassigned.map((i) => i.cardNo)).toEqual(["B"]);
  });

  test("a holiday is not a workday", () => {
    expect(buildDigest({ cards: [], revisions: [], staff, deadlines: D2 }, cal, toSerial(2026, 10, 5, 10, 0)).workday).toBe(false);
    expect(buildDigest({ cards: [], revisions: [], staff, deadlines: D2 }, cal, toSerial(2026, 10, 10, 10, 0)).workday).toBe(true);
  });
});

describe("messages", () => {
  const many = (n: number): PersonDigest => ({
    name: "周婷",
    items: Array.from({ length: n }, (_, i) => ({
      kind: "overdue" as const,
      cardNo: `202610-${String(i).padStart(3, "0")}`,
      project: "一个很长的项目名称".repeat(3),
      deadline: D2[0],
      due: toSerial(2026, 10, 1, 9, 0),
      start: 0,
      late: 3,
      hoursLeft: 0,
    })),
  });

  test("a message stays within its channel's limit; what does not fit is counted", () => {
    for (const max of [2048, 4096]) {
      const m = personMessage(many(200), { lang: "zh", at: toSerial(2026, 10, 9, 10, 0), withinHours: 4, markdown: true, maxBytes: max });
      expect(Buffer.byteLength(m)).toBeLessThanOrEqual(max);
      const shown = (m.match(/^- /gm) ?? []).length;
      expect(m).toContain(`…另有 ${200 - shown} 项`);
    }
    const all = personMessage(many(3), { lang: "en", at: toSerial(2026, 10, 9, 10, 0), withinHours: 4, markdown: false });
    expect(all).not.toContain("more");
    expect((all.match(/^- /gm) ?? []).length).toBe(3);
  });

  test("workbook text cannot forge a robot's tags", () => {
    const p = many(1);
    p.items[0].project = "<at id=all></at> <@everyone>";
    const m = personMessage(p, { lang: "en", at: toSerial(2026, 10, 9, 10, 0), withinHours: 4, markdown: true });
    expect(m).not.toContain("<at");
    expect(m).not.toContain("<@");
  });
});

describe("iCalendar", () => {
  test("TEXT escaping and folding at 75 octets without splitting a character", () => {
    expect(escapeText("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
    const line = `SUMMARY:${"策划台".repeat(30)}`;
    const folded = foldLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(" "))).toBe(true);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
    expect(foldLine("SHORT:x")).toBe("SHORT:x");
  });

  test("UIDs: card and deadline, revisions by their requested moment, anything unusual percent-encoded", () => {
    expect(uidOf({ cardNo: "202610-001", deadline: D2[0] })).toBe("202610-001.D2@planning-desk");
    const d7 = DEFAULT_DEADLINES.find((d) => d.id === "D7")!;
    expect(uidOf({ cardNo: "202610-001", deadline: d7, requested: toSerial(2026, 10, 9, 14, 5) })).toBe(
      "202610-001.D7.20261009T1405@planning-desk",
    );
    expect(uidOf({ cardNo: "卡 1", deadline: D2[0] })).toBe("%E5%8D%A1%201.D2@planning-desk");
  });

  test("Asia/Shanghai keeps one offset (VTIMEZONE); New York has daylight saving (UTC times)", () => {
    expect(fixedOffset("Asia/Shanghai", [2026, 2027])).toBe(480);
    expect(fixedOffset("America/New_York", [2026])).toBeUndefined();
    // 2026-07-01 09:00 in New York (EDT, −4) is 13:00 UTC; in January (EST, −5) 14:00 UTC.
    expect(utcStamp(instantOf(toSerial(2026, 7, 1, 9, 0), "America/New_York"))).toBe("20260701T130000Z");
    expect(utcStamp(instantOf(toSerial(2026, 1, 15, 9, 0), "America/New_York"))).toBe("20260115T140000Z");
    const item = {
      kind: "today" as const,
      cardNo: "X",
      deadline: D2[0],
      due: toSerial(2026, 7, 1, 9, 0),
      start: 0,
      late: 0,
      hoursLeft: 1,
      person: "周婷",
    };
    const ny = buildIcs([item], { lang: "en", timeZone: "America/New_York", nowMs: Date.UTC(2026, 6, 1), name: "t" });
    expect(ny).not.toContain("VTIMEZONE");
    expect(ny).toContain("DTEND:20260701T130000Z\r\n");
    expect(ny).toContain("DTSTART:20260701T123000Z\r\n");
    const sh = buildIcs([item], { lang: "en", timeZone: "Asia/Shanghai", nowMs: Date.UTC(2026, 6, 1), name: "t" });
    expect(sh).toContain("DTEND;TZID=Asia/Shanghai:20260701T090000\r\n");
    expect(sh).toContain("TZOFFSETTO:+0800\r\n");
    expect(sh).toContain("DTSTAMP:20260701T000000Z\r\n");
    expect((sh.match(/^BEGIN:/gm) ?? []).length).toBe((sh.match(/^END:/gm) ?? []).length);
  });
});

describe("rate limits", () => {
  test("Feishu's 5 messages a second: the sixth waits; DingTalk's 20 a minute", async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(req.url!.includes("hook") ? '{"code":0,"msg":"success"}' : '{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const people: PersonDigest[] = Array.from({ length: 21 }, (_, i) => ({
        name: `p${i}`,
        items: [{ kind: "today", cardNo: `C${i}`, deadline: D2[0], due: toSerial(2026, 10, 9, 15, 0), start: 0, late: 0, hoursLeft: 1 }],
      }));
      let clock = 1_000_000;
      const waits: number[] = [];
      const ctx = {
        lang: "en" as const,
        at: toSerial(2026, 10, 9, 10, 0),
        withinHours: 4,
        nowMs: () => clock,
        sleep: async (ms: number) => void (waits.push(ms), (clock += ms)),
      };
      const f = await sendTo({ kind: "feishu", url: `${base}/open-apis/bot/v2/hook/x` }, people.slice(0, 7), ctx);
      expect(f).toMatchObject({ sent: 7, planned: 7 });
      // The sixth waits a second; by then the first five are out of the window, so the seventh does not.
      expect(waits).toEqual([1050]);
      waits.length = 0;
      const d = await sendTo({ kind: "dingtalk", url: `${base}/robot/send?access_token=x` }, people, ctx);
      expect(d.sent).toBe(21);
      expect(waits).toEqual([60050]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("Staff's optional Mobile and Email columns", () => {
  test("a new workbook gets them; an existing Staff table without them is never given them (only Account, issue 18), and is read", async () => {
    const wb = XlsxWorkbook.create();
    await wb.write(setupChanges(await wb.read(), "en"));
    expect(findTable(await wb.read(), "Staff")!.headers).toEqual(["Name", "Role", "Backup", "Active", "Mobile", "Email", "Account"]);

    const old = XlsxWorkbook.create();
    const c = emptyChangeSet();
    c.newTables.push({ name: "Staff", sheet: "人员", headers: ["姓名", "角色", "在职"], rows: [["张伟", "AE", "是"]] });
    await old.write(c);
    const setup = setupChanges(await old.read(), "zh");
    expect(setup.addColumns.find((a) => a.table === "Staff")).toEqual({ table: "Staff", headers: ["账号"] });
    const { model } = readWorkbook(await old.read());
    expect(model.staff).toEqual([{ name: "张伟", role: "AE", active: true }]);
  });

  test("a mobile typed as a number is read as its digits", async () => {
    const wb = XlsxWorkbook.create();
    const c = emptyChangeSet();
    c.newTables.push({
      name: "Staff",
      sheet: "Staff",
      headers: ["Name", "Role", "Active", "Mobile", "Email"],
      rows: [["张伟", "AE", "Yes", 13800000001, " zw@example.com "]],
    });
    await wb.write(c);
    expect(readWorkbook(await wb.read()).model.staff[0]).toMatchObject({ mobile: "13800000001", email: "zw@example.com" });
  });
});
