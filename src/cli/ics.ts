/**
 * `planning-desk calendar <file.xlsx> [--person NAME] [-o file.ics]`: every open deadline (started,
 * not done, overdue ones included) as an iCalendar event (core/reminders/ics) for Outlook or any
 * calendar; `--person` keeps the deadlines that person holds. Reads the workbook only; the .ics
 * goes to stdout or, with -o, to a file written beside its target and renamed over it (a FIFO,
 * a device, a read-only file or a file that is not a previous export is refused; the last one is
 * replaced with --force; the workbook itself never is).
 */
import { openDeadlines } from "../core/reminders/digest";
import { buildIcs } from "../core/reminders/ics";
import { Lang } from "../core/reminders/messages";
import { calendarOf } from "../workbook/calendar";
import { writeOutputFile } from "./safe-file";
import { leftOutLines, momentOf, readForReminders, RemindUsageError, workbookLang } from "./remind";

export interface CalendarOptions {
  person?: string;
  output?: string;
  /** Replace an existing -o file that is not a previous export. */
  force?: boolean;
  lang?: Lang;
  /** Tests: the export's instant (default now). */
  nowMs?: number;
}

export async function calendarExport(
  file: string,
  o: CalendarOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const { model, findings } = await readForReminders(file, { zh: "未写出日历文件", en: "no calendar file was written" });
  const l: Lang = o.lang ?? workbookLang(model);
  const nowMs = o.nowMs ?? Date.now();
  const at = momentOf(undefined, model.settings.timeZone, nowMs);
  let events = openDeadlines(model, calendarOf(model), at).sort(
    (a, b) => a.due - b.due || a.cardNo.localeCompare(b.cardNo) || a.deadline.id.localeCompare(b.deadline.id),
  );
  if (o.person !== undefined) {
    const who = o.person.trim();
    if (!model.staff.some((s) => s.name === who) && !events.some((e) => e.person === who)) {
      throw new RemindUsageError(l === "zh" ? `人员表中没有“${who}”` : `"${who}" is not in the Staff table`);
    }
    events = events.filter((e) => e.person === who);
  }
  const name =
    l === "zh"
      ? `策划台时限${o.person ? ` · ${o.person.trim()}` : ""}`
      : `Planning Desk deadlines${o.person ? ` · ${o.person.trim()}` : ""}`;
  const ics = buildIcs(events, { lang: l, timeZone: model.settings.timeZone, nowMs, name });
  // The findings go to stderr: stdout may be the .ics itself.
  for (const line of leftOutLines(findings, l)) if (line) err(line);
  if (o.output) {
    // Never over a FIFO, a device, a read-only file or something that is not a previous export (unless --force).
    writeOutputFile(o.output, ics, {
      force: o.force,
      source: file,
      accept: (head) => /^(\ufeff)?BEGIN:VCALENDAR/.test(head.toString("utf8")),
      what: { zh: "日历文件（.ics）", en: "an iCalendar (.ics) file" },
    });
    out(l === "zh" ? `已写入 ${o.output}：${events.length} 个时限` : `written to ${o.output}: ${events.length} deadlines`);
  } else {
    // `out` ends what it is given with "\n" (console.log): the last CRLF's "\n" is left to it.
    out(ics.slice(0, -1));
  }
  return 0;
}
