/**
 * `planning-desk remind <file.xlsx> [--at "YYYY-MM-DD HH:mm"] [--within HOURS] [--force] [channels]`
 *
 * Reads the workbook (read-only: the file is only read, never locked or written, so it is safe on
 * a copy OneDrive or a network share keeps in sync) and tells each person what they hold that is
 * overdue, due today, or due within HOURS business hours (default 4), at `--at` (the office's wall
 * clock, Settings' time zone; default now). Without a channel it prints the digest; with channels
 * it prints it and sends one message per person to each (./channels). On a day off (a holiday, or
 * a weekend that is not a make-up working day) it sends nothing unless --force.
 *
 * Exit: 0 sent (or nothing due, or a day off); 1 a channel failed (the others still went out) or
 * the workbook's structure is broken (nothing sent); 2 the file is unusable or the options wrong.
 */
import { civilOfDay, coverageWarning, inCalendarRange, parseDateText, wallClockSerial } from "../core/calendar";
import { buildDigest } from "../core/reminders/digest";
import { Lang, digestText, momentText } from "../core/reminders/messages";
import { calendarOf } from "../workbook/calendar";
import { Finding, blockingFindings, readWorkbook, WorkbookModel } from "../workbook/read";
import { WorkbookFileError, XlsxWorkbook, checkExtension } from "../workbook/xlsx";
import { CHANNEL_NAME, Channel, ChannelResult, sendTo } from "./channels";
import { readWorkbookFile } from "./safe-file";

export interface RemindOptions {
  at?: string;
  within?: number;
  force?: boolean;
  lang?: Lang;
  channels: Channel[];
  /** Tests: the instant "now" stands for (default Date.now()). */
  nowMs?: number;
}

/** A usage problem in the options (exit 2). */
export class RemindUsageError extends Error {}

/** The workbook's language: the Settings' Language, else the one its Register's headers are written in. */
export function workbookLang(model: WorkbookModel): Lang {
  if (model.settings.lang !== "auto") return model.settings.lang;
  return model.tables.get("Register")?.lang ?? "zh";
}

/** Reads a workbook file without writing anything: its model and findings, refused when its structure is broken. */
export async function readForReminders(
  file: string,
  /** What was not done, in the refusal: the reminders (remind) or the calendar file (calendar). */
  nothing: { zh: string; en: string } = { zh: "未发送任何提醒", en: "no reminder was sent" },
): Promise<{ model: WorkbookModel; findings: Finding[] }> {
  const { bytes } = readWorkbookFile(file, { checkName: checkExtension });
  const wb = await XlsxWorkbook.fromBytes(bytes, file);
  const { model, findings } = readWorkbook(await wb.read());
  const blocking = blockingFindings(findings);
  if (blocking.length) {
    throw new WorkbookFileError(
      `工作簿结构有问题，${nothing.zh}（请先修正以下各项）：\n${blocking.map((f) => `  ${f.zh}`).join("\n")}`,
      `the workbook's structure is broken, ${nothing.en} (fix these first):\n${blocking.map((f) => `  ${f.en}`).join("\n")}`,
      1,
    );
  }
  return { model, findings };
}

/** The moment of `--at` (wall clock) or now in the office's time zone. */
export function momentOf(at: string | undefined, timeZone: string, nowMs?: number): number {
  if (at === undefined) return wallClockSerial(timeZone, nowMs ?? Date.now());
  const s = parseDateText(at);
  if (s === undefined || !inCalendarRange(s)) throw new RemindUsageError(`--at takes "YYYY-MM-DD HH:mm", not ${JSON.stringify(at)}`);
  return s;
}

/** Rows left out because of errors, as `report` lists them. */
export function leftOutLines(findings: Finding[], l: Lang): string[] {
  const problems = findings.filter((f) => f.severity === "error");
  if (!problems.length) return [];
  return [
    l === "zh" ? `以下 ${problems.length} 行有错误，未计入：` : `${problems.length} rows with errors were left out:`,
    ...problems.map((f) => `  ${f[l]}`),
    "",
  ];
}

function resultLine(r: ChannelResult, l: Lang): string {
  const name = CHANNEL_NAME[r.channel.kind];
  const skipped = r.skipped.length
    ? l === "zh"
      ? `；人员表中没有邮箱：${r.skipped.join("、")}`
      : `; no e-mail in Staff: ${r.skipped.join(", ")}`
    : "";
  if (r.error)
    return l === "zh"
      ? `${name}：失败（已发送 ${r.sent}/${r.planned}）：${r.error}${skipped}`
      : `${name}: failed (${r.sent} of ${r.planned} sent): ${r.error}${skipped}`;
  return l === "zh" ? `${name}：已发送 ${r.sent} 条${skipped}` : `${name}: ${r.sent} message${r.sent === 1 ? "" : "s"} sent${skipped}`;
}

export async function remind(file: string, o: RemindOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (o.within !== undefined && !(Number.isFinite(o.within) && o.within >= 0))
    throw new RemindUsageError(`--within takes a number of business hours, not ${o.within}`);
  const { model, findings } = await readForReminders(file);
  const l: Lang = o.lang ?? workbookLang(model);
  const cal = calendarOf(model);
  const at = momentOf(o.at, model.settings.timeZone, o.nowMs);
  for (const line of leftOutLines(findings, l)) out(line);
  // A year without official holiday data: only weekends are off, and the workbook should say so.
  const year = civilOfDay(Math.floor(at)).year;
  if (!cal.hasOfficialYear(year) && !cal.extraYears.has(year)) out(`${l === "zh" ? "警告" : "warning"}  ${coverageWarning(year, l)}`);
  const digest = buildDigest(model, cal, at, o.within ?? 4);
  if (!digest.workday && !o.force) {
    out(
      l === "zh"
        ? `${momentText(at)} 不是工作日（节假日或非调休的周末）：不发送提醒（需要时加 --force）`
        : `${momentText(at)} is not a working day (a holiday, or a weekend that is not a make-up working day): no reminders sent (--force to send anyway)`,
    );
    return 0;
  }
  if (!digest.people.length) {
    if (digest.unassigned.length) out(digestText(digest, l));
    out(l === "zh" ? `${momentText(at)}：没有到期事项（nothing due）` : `${momentText(at)}: nothing due`);
    return 0;
  }
  out(digestText(digest, l));
  if (!o.channels.length) return 0;
  out("");
  const ctx = { lang: l, at, withinHours: digest.withinHours };
  // Channels go out side by side: one that fails does not hold up or stop the others.
  const results = await Promise.all(o.channels.map((ch) => sendTo(ch, digest.people, ctx)));
  let failed = false;
  for (const r of results) {
    if (r.error) {
      failed = true;
      err(`planning-desk: ${resultLine(r, l)}`);
    } else out(resultLine(r, l));
  }
  return failed ? 1 : 0;
}
