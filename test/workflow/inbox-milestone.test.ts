/**
 * 完成里程碑 in 待我处理 (issue 17): a 客户活动's countdown milestones (T−30, T−15, T−3, the
 * summary) have no Register column and no progress step; My work lists each open one as the
 * responsible person's own row — late, due today, or due by the end of the next working day —
 * with its deadline and urgency, and stops once it is marked done. Through performAction on the
 * strict in-memory Excel with the demo's people (routes-excel).
 */
import { toSerial } from "../../src/core/calendar";
import type { StaffMember } from "../../src/core/model";
import { InboxRow, buildInbox } from "../../src/core/workflow/inbox";
import { calendarOf } from "../../src/workbook/calendar";
import { readWorkbook } from "../../src/workbook/read";
import { T0, ok, routesExcel, toCountersign } from "../routes/routes-excel";

jest.setTimeout(60_000);

// Thursday 24 December 2026: T−30 = Tue 24 Nov, T−15 = Wed 9 Dec, T−3 = Mon 21 Dec, the summary Sun 27 Dec (18:00 each).
const EVENT = toSerial(2026, 12, 24);
const minutes = (at: number) => (at - T0) * 1440;

test("the lead's 待我处理 lists T−30 the day before, T−15 on its day and once late; the AE's does not; done, it goes", async () => {
  const { port } = await routesExcel();
  const cardNo = await toCountersign(port, { type: "客户活动", headcount: 80, planned: true, eventDate: EVENT });
  const look = async (at: number, staff?: (s: StaffMember) => StaffMember) => {
    const { model } = readWorkbook(await port.read());
    const data = staff ? { ...model, staff: model.staff.map(staff) } : model;
    const cal = calendarOf(model);
    const rows = (p: string): InboxRow[] => buildInbox(p, data, cal, at).todo.filter((r) => r.cardNo === cardNo);
    const milestone = (p: string) => rows(p).find((r) => r.actions.includes("milestone"));
    return { rows, milestone };
  };

  // Friday 20 Nov: T−30 falls due on Tuesday, after the next working day (Monday): not yet.
  let s = await look(toSerial(2026, 11, 20, 10, 0));
  expect(s.milestone("刘洋")).toBeUndefined();

  // Monday 23 Nov: T−30 is due tomorrow: the lead's own row, with its deadline and urgency.
  s = await look(toSerial(2026, 11, 23, 10, 0));
  const row = s.milestone("刘洋");
  expect(row && [row.kind, row.actions, row.deadline?.id, row.urgency, row.waitingFor]).toEqual([
    "do",
    ["milestone"],
    "E1",
    "soon",
    ["刘洋"],
  ]);
  expect(row?.text.zh).toBe("完成里程碑 · E1 活动筹备 T-30 2026-11-24 18:00（明天到期）");
  expect(row?.text.en).toBe("Mark a milestone done · E1 活动筹备 T-30 2026-11-24 18:00 (due tomorrow)");
  expect(s.milestone("张伟")).toBeUndefined();
  // The lead away: the backup (AB角) has it, for them.
  const away = await look(toSerial(2026, 11, 23, 10, 0), (p) => (p.name === "刘洋" ? { ...p, active: false } : p));
  expect(away.milestone("刘洋")).toBeUndefined();
  const backup = away.milestone("周婷");
  expect(backup && [backup.onBehalfOf, backup.deadline?.id, backup.text.zh]).toEqual([
    "刘洋",
    "E1",
    "完成里程碑（代 刘洋） · E1 活动筹备 T-30 2026-11-24 18:00（明天到期）",
  ]);

  // Wednesday 25 Nov, not done: late, and it sorts with the lead's other own work, above what merely remains open.
  s = await look(toSerial(2026, 11, 25, 10, 0));
  expect(s.milestone("刘洋")?.urgency).toBe("late");
  expect(s.milestone("刘洋")?.text.zh).toContain("（已超时）");
  expect(s.rows("刘洋").filter((r) => r.kind === "watch" && r.deadline?.id.startsWith("E"))).toEqual([]);

  // Marked done on the 25th: gone. On 9 Dec T−15 is due today; on the 10th it is late, and T−3 is not listed yet.
  await ok(port, { action: "milestone", cardNo, actor: "刘洋", input: { deadline: "E1" } }, minutes(toSerial(2026, 11, 25, 11, 0)));
  s = await look(toSerial(2026, 11, 25, 12, 0));
  expect(s.milestone("刘洋")).toBeUndefined();
  s = await look(toSerial(2026, 12, 9, 9, 0));
  expect([s.milestone("刘洋")?.deadline?.id, s.milestone("刘洋")?.urgency, s.milestone("刘洋")?.text.zh]).toEqual([
    "E2",
    "today",
    "完成里程碑 · E2 活动预热 T-15 2026-12-09 18:00（今天到期）",
  ]);
  s = await look(toSerial(2026, 12, 18, 10, 0)); // Friday: T−15 late, T−3 (Monday 21st) due the next working day
  expect([s.milestone("刘洋")?.deadline?.id, s.milestone("刘洋")?.urgency, s.milestone("刘洋")?.text.en]).toEqual([
    "E2",
    "late",
    "Mark a milestone done · E2 活动预热 T-15 2026-12-09 18:00 (late) (1 more milestone)",
  ]);
});
