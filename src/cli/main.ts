/**
 * `planning-desk`: the workbook from the command line.
 *   init  <file.xlsx> [--lang zh|en]   a new workbook with every table, ready to use
 *   check <file.xlsx> [--json] [--lang zh|en]
 *                                       every finding and what is overdue now;
 *                                       exit 1 with errors, 0 when clean, 2 when the file is unusable
 *   report <file.xlsx> [--month YYYY-MM] [--lang zh|en]
 *                                       month end: the Penalties rows of the month and the
 *                                       `KPI YYYY-MM` sheet, written in place; prints both
 *   demo [file.xlsx] [--force] [--lang zh|en]
 *                                       a sample workbook of October 2026, with its report; an
 *                                       existing file only with --force (never through a link
 *                                       to something that is not a workbook)
 *   remind <file.xlsx> [--at "YYYY-MM-DD HH:mm"] [--within HOURS] [--force] [--lang zh|en]
 *          [--dingtalk URL [--secret S]] [--wecom URL] [--feishu URL [--secret S]]
 *          [--smtp smtp://user:pass@host:port --from ADDR] [--config FILE]
 *                                       (secrets better from PLANNING_DESK_* or --config: ./secrets)
 *                                       per person: overdue, due today, due within HOURS business
 *                                       hours; printed, and sent to the channels given (./remind)
 *   calendar <file.xlsx> [--person NAME] [-o file.ics] [--lang zh|en]
 *                                       every open deadline as iCalendar events (./ics)
 *   archive <file.xlsx> --year YYYY [--lang zh|en]
 *                                       the yearly archive: closed and archived cards of a
 *                                       finished year to <file>-archive-YYYY.xlsx (./archive)
 *
 * remind and calendar only read the workbook (no lock, never a write).
 * Every file goes through ./safe-file: one run at a time per workbook (a lock file beside it), never
 * over a co-author's save (the run is recomputed on their version, or refused), never while the
 * workbook is open in Excel or LibreOffice (their owner file names who), mode, owner and symbolic
 * links kept, nothing left behind on any exit. Each command is one function over bytes in, bytes out.
 */
import fs from "fs";
import {
  coverageWarning,
  formatSerial,
  formatSerialMinute,
  withoutSeconds,
  wallClockSerial,
  civilOfDay,
  parseMonthKey,
  lateText,
} from "../core/calendar";
import { lastMonth, monthEndReadiness, monthReport } from "../workbook/report";
import { kpiSheetName } from "../workbook/schema";
import { textTable } from "./table";
import { evaluateDeadlines } from "../core/rules/evaluate";
import { calendarOf } from "../workbook/calendar";
import { blockingFindings, readWorkbook, Finding } from "../workbook/read";
import { FormulaTextError, deadlineColumns } from "../workbook/deadline-columns";
import { SHORT_NAMES } from "../workbook/names";
import { setupChanges } from "../workbook/setup";
import { ChangeSet, emptyChangeSet, findTable } from "../workbook/port";
import { accountMismatchesOf, logRowsOf, verifyWorkbookLog } from "../workbook/actions";
import { WorkbookFileError, XlsxWorkbook, checkExtension, strictRefusal } from "../workbook/xlsx";
import { OpenElsewhere, SafeFileError, createWorkbookFile, ownerOf, readWorkbookFile, updateWorkbookFile } from "./safe-file";
import { Channel, RobotChannel } from "./channels";
import { ConfigError, SecretKey, fromEnvironment, readConfigFile, redact, redactUrl, urlSecrets } from "./secrets";
import { oneLine, terminalText } from "../core/text";
import { errorField } from "./errors";
import { RemindUsageError, remind } from "./remind";
import { calendarExport } from "./ics";
import { archiveYear } from "./archive";

type Lang = "zh" | "en";

interface Options {
  lang?: Lang;
  json: boolean;
  month?: string;
  positional: string[];
  // remind and calendar
  at?: string;
  within?: number;
  force: boolean;
  channels: Channel[];
  smtp?: string;
  from?: string;
  person?: string;
  output?: string;
  /** init: add the Register's deadline columns (calculated columns with the PLAN formulas). */
  deadlineColumns: boolean;
  /** remind: the configuration file with the channels' secrets. */
  config?: string;
  /** archive: the year to archive. */
  year?: string;
  /** The options that put a secret (a signing secret, an SMTP password) on the command line, for the warning. */
  argvSecrets: Set<string>;
}

const robotKind = (flag: string): "dingtalk" | "wecom" | "feishu" =>
  flag === "--dingtalk" ? "dingtalk" : flag === "--wecom" ? "wecom" : "feishu";

function parseArgs(args: string[]): Options {
  const o: Options = { json: false, positional: [], force: false, channels: [], deadlineColumns: false, argvSecrets: new Set() };
  const value = (i: number, what: string): string => {
    const v = args[i];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${args[i - 1]} takes ${what}`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") o.json = true;
    else if (a === "--deadline-columns") o.deadlineColumns = true;
    else if (a === "--at") o.at = value(++i, '"YYYY-MM-DD HH:mm"');
    else if (a === "--within") {
      const v = value(++i, "a number of business hours");
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new UsageError(`--within takes a number of business hours, not ${v}`);
      o.within = n;
    } else if (a === "--force") o.force = true;
    else if (a === "--dingtalk" || a === "--wecom" || a === "--feishu") {
      const url = value(++i, "the robot's webhook URL");
      if (!/^https?:\/\//i.test(url))
        throw new UsageError(`${a} takes the robot's webhook URL (http:// or https://), not ${redactUrl(url)}`);
      o.channels.push({ kind: robotKind(a), url });
    } else if (a === "--secret") {
      const v = value(++i, "the robot's signing secret");
      o.argvSecrets.add(a);
      const last = o.channels[o.channels.length - 1];
      if (!last || (last.kind !== "dingtalk" && last.kind !== "feishu"))
        throw new UsageError("--secret follows --dingtalk URL or --feishu URL");
      last.secret = v;
    } else if (a === "--smtp") {
      const v = value(++i, "smtp://user:pass@host:port");
      if (/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(v)) o.argvSecrets.add(a);
      if (!/^smtps?:\/\//i.test(v)) throw new UsageError(`--smtp takes smtp://user:pass@host:port (or smtps://), not ${redactUrl(v)}`);
      o.smtp = v;
    } else if (a === "--config") o.config = value(++i, "a configuration file (mode 0600)");
    else if (a === "--year") o.year = value(++i, "a year (YYYY)");
    else if (a === "--from") o.from = value(++i, "the sender's e-mail address");
    else if (a === "--person") o.person = value(++i, "a name from Staff");
    else if (a === "-o" || a === "--output") o.output = value(++i, "a file name");
    else if (a === "--lang") {
      const v = args[++i];
      if (v !== "zh" && v !== "en") throw new UsageError(`--lang takes zh or en, not ${v ?? "nothing"}`);
      o.lang = v;
    } else if (a === "--month") {
      const v = args[++i];
      if (!v || !parseMonthKey(v)) throw new UsageError(`--month takes YYYY-MM, not ${v ?? "nothing"}`);
      o.month = v.trim();
    } else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else o.positional.push(a);
  }
  return o;
}

class UsageError extends Error {}

const USAGE = `usage:
  planning-desk init  <file.xlsx> [--lang zh|en] [--deadline-columns]
  planning-desk check <file.xlsx> [--json] [--lang zh|en]
  planning-desk report <file.xlsx> [--month YYYY-MM] [--lang zh|en]
  planning-desk demo [file.xlsx] [--force] [--lang zh|en]
  planning-desk remind <file.xlsx> [--at "YYYY-MM-DD HH:mm"] [--within HOURS] [--force] [--lang zh|en]
                [--config FILE] [--dingtalk URL [--secret S]] [--wecom URL] [--feishu URL [--secret S]]
                [--smtp smtp://user:pass@host:port --from ADDR]
                secrets from the environment (PLANNING_DESK_DINGTALK_URL, …_DINGTALK_SECRET, …_WECOM_URL,
                …_FEISHU_URL, …_FEISHU_SECRET, …_SMTP_URL, …_SMTP_FROM) or --config FILE (mode 600)
  planning-desk calendar <file.xlsx> [--person NAME] [-o file.ics [--force]] [--lang zh|en]
  planning-desk archive <file.xlsx> --year YYYY [--lang zh|en]`;

function defaultLang(): Lang {
  const env = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || "";
  return env.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** Where a refusal is about something set-up adds: how to add it. */
const INIT_ADDS = (file: string) => ({
  zh: `“planning-desk init ${file}”（或 Excel 窗格中的“设置此工作簿”）会添加缺少的表格和列，不改动任何已填写的单元格`,
  en: `"planning-desk init ${file}" (or Set up this workbook in the Excel pane) adds the missing tables and columns without touching a typed cell`,
});

/**
 * The workbook's structure is broken (no Register, a required column missing, a column twice):
 * nothing is written, the findings are printed, exit 1. What is missing, set-up adds: the
 * message says so, and when the structure is protected (so a missing table cannot be added)
 * it says that first.
 */
class StructureError extends WorkbookFileError {
  constructor(
    readonly findings: Finding[],
    file?: string,
    structureProtected = false,
  ) {
    const missing = findings.some((f) => f.code === "missing-table" || f.code === "missing-column");
    const lockedTable = structureProtected && findings.some((f) => f.code === "missing-table");
    const tail = (l: "zh" | "en"): string => {
      const lines: string[] = [];
      if (lockedTable)
        lines.push(
          l === "zh"
            ? "工作簿结构受保护，无法添加缺少的表格：请在 Excel 中点击“审阅 → 保护工作簿”取消保护"
            : "the workbook's structure is protected, so the missing table cannot be added: in Excel click Review → Protect Workbook to turn it off",
        );
      if (missing && file !== undefined) lines.push(INIT_ADDS(file)[l]);
      return lines.map((x) => `\n${x}`).join("");
    };
    super(
      `工作簿结构有问题，未写入任何内容（请先修正以下各项）：\n${findings.map((f) => `  ${f.zh}`).join("\n")}${tail("zh")}`,
      `the workbook's structure is broken, nothing was written (fix these first):\n${findings.map((f) => `  ${f.en}`).join("\n")}${tail("en")}`,
      1,
    );
  }
}

/** A command that writes cannot work on a Strict Open XML file at all: said before anything else (exit 2). */
function assertWritable(wb: XlsxWorkbook, file: string): void {
  if (wb.strictOpenXml) throw strictRefusal(file);
}

/** How many breaks of the Countersign Log `check` lists one by one. */
const MAX_LOG_BREAKS = 200;

/** The names of workbook files the command line takes: the engine's own rule (.xlsx, .xlsm, templates). */
const checkWorkbookName = checkExtension;

/** How to do the same from the add-in's pane, for a refusal when the workbook is open in Excel. */
const SETUP_IN_PANE = {
  zh: "在 Excel 的策划台窗格中（设置）点“设置此工作簿”",
  en: "use Set up this workbook (Settings) in the Planning Desk pane in Excel",
};
const MONTH_END_IN_PANE = { zh: "在 Excel 的策划台窗格中运行月末", en: "run Month end from the Planning Desk pane in Excel" };

const setupMessage = (file: string, changes: ChangeSet, lang: Lang) =>
  lang === "zh"
    ? `已设置 ${file}：新建 ${changes.newTables.length} 个表格，补充 ${changes.addColumns.reduce((n, a) => n + a.headers.length, 0)} 列`
    : `set up ${file}: ${changes.newTables.length} tables created, ${changes.addColumns.reduce((n, a) => n + a.headers.length, 0)} columns added`;

/**
 * The Register's deadline columns (`init --deadline-columns`): calculated columns with the PLAN
 * formulas (the short names where the workbook has them) and the values core computes now.
 */
async function addDeadlineColumns(wb: XlsxWorkbook, file: string): Promise<number> {
  assertWritable(wb, file);
  const snapshot = await wb.read();
  const { model, findings } = readWorkbook(snapshot);
  const blocking = blockingFindings(findings);
  if (blocking.length) throw new StructureError(blocking, file, wb.structureProtected);
  const names = new Set((snapshot.names ?? []).map((n) => n.toUpperCase()));
  const shortNames = SHORT_NAMES.every((n) => names.has(n.name));
  const changes = emptyChangeSet();
  try {
    changes.calculatedColumns = deadlineColumns(model, calendarOf(model), wallClockSerial(model.settings.timeZone), { shortNames });
  } catch (e) {
    // A deadline id or header that cannot go into a formula safely: refused (exit 1), nothing written.
    if (e instanceof FormulaTextError) throw new WorkbookFileError(e.zh, e.en, 1);
    throw e;
  }
  await wb.write(changes);
  return changes.calculatedColumns.length;
}

async function init(file: string, lang: Lang, out: (s: string) => void, withDeadlines = false): Promise<number> {
  if (!fs.existsSync(file)) {
    checkWorkbookName(file);
    const wb = XlsxWorkbook.create();
    await wb.write(setupChanges(await wb.read(), lang));
    if (withDeadlines) await addDeadlineColumns(wb, file);
    try {
      await createWorkbookFile(file, await wb.toBytes(), { command: "init", checkName: checkWorkbookName });
      out(lang === "zh" ? `已创建 ${file}` : `created ${file}`);
      return 0;
    } catch (e) {
      // A file that appeared meanwhile is never replaced: it is completed like any existing workbook.
      if (!(e instanceof SafeFileError && e.kind === "exists")) throw e;
    }
  }
  const { result: changes } = await updateWorkbookFile(
    file,
    async (bytes) => {
      const wb = await XlsxWorkbook.fromBytes(bytes, file);
      const snapshot = await wb.read();
      // Set-up completes what is missing; a column present twice it cannot decide about.
      const twice = readWorkbook(snapshot).findings.filter((f) => f.code === "duplicate-column");
      if (twice.length) throw new StructureError(twice);
      const changes = setupChanges(snapshot, lang);
      const changesAnything =
        changes.newTables.length > 0 || changes.addColumns.length > 0 || changes.cells.length > 0 || changes.appends.length > 0;
      if (changesAnything || withDeadlines) assertWritable(wb, file);
      await wb.write(changes);
      const columns = withDeadlines ? await addDeadlineColumns(wb, file) : 0;
      return { bytes: await wb.toBytes(), result: { changes, columns } };
    },
    { command: "init", paneHint: SETUP_IN_PANE, checkName: checkWorkbookName },
  );
  out(setupMessage(file, changes.changes, lang));
  if (changes.columns)
    out(
      lang === "zh"
        ? `项目登记：${changes.columns} 个时限列（公式）已写入`
        : `Register: ${changes.columns} deadline columns (formulas) written`,
    );
  return 0;
}

async function check(file: string, lang: Lang | undefined, json: boolean, out: (s: string) => void): Promise<number> {
  // Nothing keeps the file's bytes or the engine's parts once the tables are read: on a large
  // workbook that is the difference between reading it twice over in memory and once.
  const snapshot = await (await XlsxWorkbook.fromBytes(readWorkbookFile(file, { checkName: checkWorkbookName }).bytes, file)).read();
  const openBy = ownerOf(file);
  const { model, findings } = readWorkbook(snapshot, { once: true });
  const l: Lang = lang ?? (model.settings.lang === "auto" ? defaultLang() : model.settings.lang);
  const cal = calendarOf(model);
  const now = wallClockSerial(model.settings.timeZone);
  // The Countersign Log against its hash chain and its anchor: each break is an error with its sheet row.
  // A log rewritten wholesale breaks on every row: the first MAX_LOG_BREAKS are listed, then how many more.
  const logSheet = findTable(snapshot, "CountersignLog")?.sheet ?? "";
  // The log's rows with their sheet rows, matched once for both checks below.
  const logRows = logRowsOf(snapshot, model);
  const breaks = verifyWorkbookLog(snapshot, model, logRows);
  const logBreaks: Finding[] = breaks.slice(0, MAX_LOG_BREAKS).map((b) => ({
    severity: "error",
    code: "log-break",
    table: "CountersignLog",
    ...(b.sheetRow !== undefined ? { cell: `${logSheet}!A${b.sheetRow}` } : {}),
    zh: b.zh,
    en: b.en,
  }));
  if (breaks.length > MAX_LOG_BREAKS) {
    const more = breaks.length - MAX_LOG_BREAKS;
    logBreaks.push({
      severity: "error",
      code: "log-break",
      table: "CountersignLog",
      zh: `${logSheet}：另有 ${more} 行会签记录的校验链断开`,
      en: `${logSheet}: ${more} more Countersign Log rows break the hash chain`,
    });
  }
  // Log rows written while someone else's account was signed in (who really acted): warnings with their sheet row.
  const accounts: Finding[] = accountMismatchesOf(snapshot, model, logRows).map((m) => ({
    severity: "warning",
    code: "account-mismatch",
    table: "CountersignLog",
    cell: `${logSheet}!A${m.sheetRow}`,
    zh: m.zh,
    en: m.en,
  }));
  const overdue = evaluateDeadlines(cal, model.deadlines, model.cards, model.revisions, now).filter(
    (r) => r.status === "missed" && r.done === undefined,
  );
  const years = new Set<number>();
  for (const c of model.cards) for (const d of [c.received, c.due]) if (d !== undefined) years.add(civilOfDay(Math.floor(d)).year);
  years.add(civilOfDay(Math.floor(now)).year);
  const coverage: Finding[] = [...years]
    .filter((y) => !cal.hasOfficialYear(y) && !cal.extraYears.has(y))
    .sort()
    .map((y) => ({
      severity: "warning",
      code: "calendar-coverage",
      table: "Calendar",
      zh: coverageWarning(y, "zh"),
      en: coverageWarning(y, "en"),
    }));
  const all = [...findings, ...logBreaks, ...accounts, ...coverage];
  const errors = all.filter((f) => f.severity === "error").length;
  if (json) {
    out(
      JSON.stringify(
        {
          file,
          ...(openBy ? { openElsewhere: { app: openBy.app, name: openBy.name } } : {}),
          errors,
          warnings: all.length - errors,
          findings: all,
          overdue: overdue.map((r) => ({
            cardNo: r.cardNo,
            deadline: r.deadline.id,
            due: r.due,
            dueText: r.due === undefined ? null : formatSerial(r.due),
            lateBusinessDays: r.late,
            role: r.deadline.role,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    if (openBy) out(openElsewhereNote(openBy, l));
    // Dates as Excel shows them (no seconds); --json keeps the findings' text as it is.
    for (const f of all)
      out(`${f.severity === "error" ? (l === "zh" ? "错误" : "error") : l === "zh" ? "警告" : "warning"}  ${withoutSeconds(f[l])}`);
    if (overdue.length) {
      out(l === "zh" ? `\n现已超时（${overdue.length}）：` : `\noverdue now (${overdue.length}):`);
      for (const r of overdue.sort((a, b) => b.late - a.late)) {
        out(
          l === "zh"
            ? `  ${r.cardNo}  ${r.deadline.id} ${r.deadline.name.zh}  应于 ${formatSerialMinute(r.due!)}  ${lateText(r.late, cal.dayMinutes).zh}`
            : `  ${r.cardNo}  ${r.deadline.id} ${r.deadline.name.en}  due ${formatSerialMinute(r.due!)}  ${lateText(r.late, cal.dayMinutes).en}`,
        );
      }
    }
    out(
      l === "zh"
        ? `\n${file}：${model.cards.length} 张卡片，${errors} 个错误，${all.length - errors} 个警告，${overdue.length} 项超时`
        : `\n${file}: ${model.cards.length} cards, ${errors} errors, ${all.length - errors} warnings, ${overdue.length} overdue`,
    );
  }
  return errors > 0 ? 1 : 0;
}

/** Someone has the file open while `check` reads it: reading is fine, the saved version is what is checked. */
function openElsewhereNote(who: OpenElsewhere, l: Lang): string {
  const app = who.app === "excel" ? "Excel" : "LibreOffice";
  return l === "zh"
    ? `注意：${who.name ?? "有人"} 正在 ${app} 中编辑此工作簿，以下检查的是最后保存的版本`
    : `note: ${who.name ?? "someone"} has this workbook open in ${app}; this checks the last saved version`;
}

/** Month end on a workbook's bytes: its new bytes and what to print once they are written. */
async function monthEnd(
  bytes: Uint8Array,
  file: string,
  month: string | undefined,
  lang: Lang | undefined,
  now?: number,
): Promise<{ bytes: Uint8Array; result: string[] }> {
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);
  const wb = await XlsxWorkbook.fromBytes(bytes, file);
  assertWritable(wb, file);
  const { model, findings } = readWorkbook(await wb.read(), { once: true });
  // Only what this month end reads or writes must be there; the rest is a note (monthEndReadiness).
  const { blocking, notes } = monthEndReadiness(model, findings);
  if (blocking.length) throw new StructureError(blocking, file, wb.structureProtected);
  const l: Lang = lang ?? (model.settings.lang === "auto" ? defaultLang() : model.settings.lang);
  const at = now ?? wallClockSerial(model.settings.timeZone);
  const m = month ?? lastMonth(at);
  const r = monthReport(model, calendarOf(model), m, at, l);
  await wb.write(r.changes);
  const noted = new Set(notes.map((f) => `${f.table}|${f.column ?? ""}|${f.code}`));
  const problems = findings.filter((f) => f.severity === "error" && !noted.has(`${f.table}|${f.column ?? ""}|${f.code}`));
  for (const f of notes) out(`${l === "zh" ? "警告" : "warning"}  ${f[l]}`);
  if (problems.length) {
    out(l === "zh" ? `以下 ${problems.length} 行有错误，未计入：` : `${problems.length} rows with errors were left out:`);
    for (const f of problems) out(`  ${f[l]}`);
    out("");
  }
  for (const p of r.evaluation.problems) out(`${l === "zh" ? "警告" : "warning"}  ${p[l]}`);
  const zh = l === "zh";
  out(zh ? `${m} 扣分（${r.penaltyRows.length} 条）` : `Penalties ${m} (${r.penaltyRows.length})`);
  out(
    textTable(
      zh ? ["责任人", "角色", "考核指标", "扣分", "规则", "依据"] : ["Person", "Role", "KPI", "Points", "Rule", "Evidence"],
      r.penaltyRows.map((row) => row.slice(1) as (string | number | null)[]),
    ),
  );
  out("");
  const k = r.kpiCols;
  out(zh ? `${m} 考核得分（基础分 ${r.kpi.base}）` : `KPI scores ${m} (base ${r.kpi.base})`);
  out(
    textTable(
      [0, 1, k.deductions, k.score, k.cards, k.rate, k.days].map((i) => r.kpiHeaders[i]),
      r.kpiRows.map(
        (row) =>
          [
            row[0],
            row[1],
            row[k.deductions],
            row[k.score],
            row[k.cards],
            typeof row[k.rate] === "number" ? `${((row[k.rate] as number) * 100).toFixed(1)}%` : "",
            row[k.days],
          ] as (string | number | null)[],
      ),
    ),
  );
  out(
    zh
      ? `\n已写入 ${file}：扣分表 ${m} 的 ${r.penaltyRows.length} 行，工作表“${kpiSheetName(m)}”`
      : `\nwritten to ${file}: ${r.penaltyRows.length} Penalties rows for ${m}, sheet "${kpiSheetName(m)}"`,
  );
  return { bytes: await wb.toBytes(), result: lines };
}

async function report(
  file: string,
  month: string | undefined,
  lang: Lang | undefined,
  out: (s: string) => void,
  now?: number,
): Promise<number> {
  const { result, attempts } = await updateWorkbookFile(file, (bytes) => monthEnd(bytes, file, month, lang, now), {
    command: "report",
    paneHint: MONTH_END_IN_PANE,
    checkName: checkWorkbookName,
  });
  if (attempts > 1) {
    const l = lang ?? defaultLang();
    out(
      l === "zh"
        ? `注意：${file} 在运行期间被他人保存，已在其新版本上重新计算`
        : `note: ${file} was saved by someone else while report was running; the report was recomputed on their version`,
    );
  }
  for (const line of result) out(line);
  return 0;
}

/** An existing file `demo` was asked to write: refused unless --force (exit 2, the file untouched). */
function demoExists(file: string): SafeFileError {
  return new SafeFileError(
    `${file} 已存在，未覆盖：确需用示例工作簿替换它，请加 --force`,
    `${file} already exists; it was not overwritten (--force replaces it with the sample workbook)`,
    "exists",
  );
}

async function demo(file: string, lang: Lang, force: boolean, out: (s: string) => void): Promise<number> {
  checkWorkbookName(file);
  const existing = lstatOrNull(file);
  if (existing && !force) throw demoExists(file);
  // Loaded here, not at start: the sample's data is needed by this command only.
  const { DEMO_MONTH, demoChanges } = await import("../workbook/demo");
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(demoChanges(lang));
  const sample = await wb.toBytes();
  // The sample and its month end are written at once: the file never holds the one without the other.
  let lines: string[];
  if (existing) {
    // --force: replaced under the same protections as report (a regular file this user may write,
    // its owner kept); through a symbolic link only when the link leads to a workbook.
    const viaLink = existing.isSymbolicLink();
    lines = (
      await updateWorkbookFile(
        file,
        async (bytes) => {
          if (viaLink && !(await isWorkbook(bytes, file)))
            throw new SafeFileError(
              `${file} 是指向非工作簿文件的符号链接，未覆盖`,
              `${file} is a symbolic link to something that is not a workbook; it was not overwritten`,
              "not-xlsx",
            );
          return monthEnd(sample, file, DEMO_MONTH, lang);
        },
        { command: "demo", checkName: checkWorkbookName },
      )
    ).result;
  } else {
    const r = await monthEnd(sample, file, DEMO_MONTH, lang);
    await createWorkbookFile(file, r.bytes, { command: "demo", checkName: checkWorkbookName });
    lines = r.result;
  }
  out(
    lang === "zh"
      ? `已写入示例工作簿 ${file}（${DEMO_MONTH}，含国庆假期与调休上班日）\n`
      : `sample workbook written to ${file} (${DEMO_MONTH}, National Day and a make-up Saturday included)\n`,
  );
  for (const line of lines) out(line);
  return 0;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

/** Whether `bytes` open as a workbook (a package the engine reads). */
async function isWorkbook(bytes: Uint8Array, file: string): Promise<boolean> {
  try {
    await (await XlsxWorkbook.fromBytes(bytes, file)).read();
    return true;
  } catch {
    return false;
  }
}

/** Options whose value is or holds a secret (a robot's token is in its URL). */
const SECRET_OPTIONS = ["--secret", "--smtp", "--dingtalk", "--wecom", "--feishu"];

/**
 * remind's channels: the command line's, then for what it does not give the environment's and
 * the configuration file's (PLANNING_DESK_* / --config FILE, see ./secrets). A signing secret or
 * an SMTP password on the command line still works, with a warning that it shows in process
 * listings.
 */
function remindChannels(o: Options, secrets: string[], lang: Lang, err: (s: string) => void): Channel[] {
  const env = fromEnvironment();
  const file = o.config ? readConfigFile(o.config) : {};
  for (const v of [...Object.values(env), ...Object.values(file)]) if (v) secrets.push(v, ...urlSecrets(v));
  const pick = (k: SecretKey): string | undefined => env[k] ?? file[k];
  const channels: Channel[] = [...o.channels];
  for (const kind of ["dingtalk", "wecom", "feishu"] as const) {
    const given = o.channels.filter((c): c is RobotChannel => c.kind === kind);
    const url = pick(`${kind}_url`);
    if (url && !given.length) {
      if (!/^https?:\/\//i.test(url))
        throw new UsageError(
          `PLANNING_DESK_${kind.toUpperCase()}_URL takes the robot's webhook URL (http:// or https://), not ${redactUrl(url)}`,
        );
      const ch: RobotChannel = { kind, url };
      channels.push(ch);
      given.push(ch);
    }
    const secret = kind === "dingtalk" ? pick("dingtalk_secret") : kind === "feishu" ? pick("feishu_secret") : undefined;
    if (secret) for (const c of given) if (!c.secret) c.secret = secret;
  }
  const smtp = o.smtp ?? pick("smtp_url");
  const from = o.from ?? pick("smtp_from");
  if (smtp && !/^smtps?:\/\//i.test(smtp))
    throw new UsageError(`PLANNING_DESK_SMTP_URL takes smtp://user:pass@host:port (or smtps://), not ${redactUrl(smtp)}`);
  if (smtp && !from) throw new UsageError("--smtp needs --from ADDR (the sender's address)");
  if (from && !smtp) throw new UsageError("--from goes with --smtp");
  if (smtp && from) channels.push({ kind: "email", smtp, from });
  if (o.argvSecrets.size) {
    const flags = [...o.argvSecrets].join(", ");
    err(
      lang === "zh"
        ? `planning-desk: 警告：命令行中的 ${flags} 含有密钥，本机所有用户都能在进程列表中看到；请改用环境变量 PLANNING_DESK_*（如 PLANNING_DESK_DINGTALK_SECRET）或 --config 文件（权限 600）`
        : `planning-desk: warning: ${flags} on the command line can be seen by every user of this machine in process listings; use the PLANNING_DESK_* environment variables (e.g. PLANNING_DESK_DINGTALK_SECRET) or --config FILE (mode 600) instead`,
    );
  }
  return channels;
}

/**
 * Runs the command; resolves to the exit code. Never throws: a file that cannot be used is one
 * line and exit 2; a refused write (protection, broken structure) says why and exits 1.
 */
export async function run(
  args: string[],
  rawOut: (s: string) => void = (s) => console.log(s),
  rawErr: (s: string) => void = (s) => console.error(s),
): Promise<number> {
  let lang0 = defaultLang();
  // Everything printed: no terminal escape or control character from a cell's text, and no secret.
  const secrets: string[] = [];
  const clean = (s: string) => terminalText(redact(s, secrets));
  const out = (s: string) => rawOut(clean(s));
  const err = (s: string) => rawErr(clean(s));
  try {
    const [command, ...rest] = args;
    // The secret options' values are known before anything can fail.
    for (let i = 0; i < rest.length - 1; i++) if (SECRET_OPTIONS.includes(rest[i])) secrets.push(rest[i + 1], ...urlSecrets(rest[i + 1]));
    const o = parseArgs(rest);
    lang0 = o.lang ?? lang0;
    if (command === "init" && o.positional.length === 1) return await init(o.positional[0], o.lang ?? lang0, out, o.deadlineColumns);
    if (command === "check" && o.positional.length === 1) return await check(o.positional[0], o.lang, o.json, out);
    if (command === "report" && o.positional.length === 1) return await report(o.positional[0], o.month, o.lang, out);
    if (command === "demo" && o.positional.length <= 1)
      return await demo(o.positional[0] ?? "planning-desk-demo.xlsx", o.lang ?? "zh", o.force, out);
    if (command === "remind" && o.positional.length === 1) {
      const channels = remindChannels(o, secrets, lang0, err);
      return await remind(o.positional[0], { at: o.at, within: o.within, force: o.force, lang: o.lang, channels }, out, err);
    }
    if (command === "calendar" && o.positional.length === 1)
      return await calendarExport(o.positional[0], { person: o.person, output: o.output, force: o.force, lang: o.lang }, out, err);
    if (command === "archive" && o.positional.length === 1) return await archiveYear(o.positional[0], o.year, o.lang, out, lang0);
    if (command === "--help" || command === "help" || command === "-h") {
      out(USAGE);
      return 0;
    }
    err(USAGE);
    return 2;
  } catch (e) {
    if (e instanceof WorkbookFileError || e instanceof SafeFileError || e instanceof ConfigError)
      err(`planning-desk: ${lang0 === "zh" ? e.zh : e.en}`);
    else if (e instanceof UsageError) err(`planning-desk: ${e.message}\n${USAGE}`);
    else if (e instanceof RemindUsageError) err(`planning-desk: ${e.message}`);
    // Anything else: one line, never a stack.
    else err(`planning-desk: ${oneLine(errorField(e, "message") ?? String(e))}`);
    // Refusals (protection, a broken structure) exit 1; a file that is not a usable workbook, 2.
    return e instanceof WorkbookFileError ? e.exitCode : 2;
  }
}
