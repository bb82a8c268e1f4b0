/**
 * `planning-desk`: the workbook from the command line.
 *   init  <file.xlsx> [--lang zh|en]   a new workbook with every table, ready to use
 *   check <file.xlsx> [--json] [--lang zh|en]
 *                                       every finding and what is overdue now;
 *                                       exit 1 with errors, 0 when clean, 2 when the file is unusable
 */
import fs from "fs";
import { coverageWarning, formatSerial, wallClockSerial, civilOfDay } from "../core/calendar";
import { evaluateDeadlines } from "../core/rules/evaluate";
import { calendarOf } from "../workbook/calendar";
import { readWorkbook, Finding } from "../workbook/read";
import { setupChanges } from "../workbook/setup";
import { WorkbookFileError, XlsxWorkbook } from "../workbook/xlsx";

type Lang = "zh" | "en";

interface Options {
  lang?: Lang;
  json: boolean;
  positional: string[];
}

function parseArgs(args: string[]): Options {
  const o: Options = { json: false, positional: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") o.json = true;
    else if (a === "--lang") {
      const v = args[++i];
      if (v !== "zh" && v !== "en") throw new UsageError(`--lang takes zh or en, not ${v ?? "nothing"}`);
      o.lang = v;
    } else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else o.positional.push(a);
  }
  return o;
}

class UsageError extends Error {}

const USAGE = `usage:
  planning-desk init  <file.xlsx> [--lang zh|en]
  planning-desk check <file.xlsx> [--json] [--lang zh|en]`;

function defaultLang(): Lang {
  const env = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || "";
  return env.toLowerCase().startsWith("zh") ? "zh" : "en";
}

async function init(file: string, lang: Lang, out: (s: string) => void): Promise<number> {
  if (fs.existsSync(file)) {
    const wb = await XlsxWorkbook.open(file);
    const changes = setupChanges(await wb.read(), lang);
    await wb.write(changes);
    await wb.save();
    out(lang === "zh" ? `已设置 ${file}：新建 ${changes.newTables.length} 个表格，补充 ${changes.addColumns.reduce((n, a) => n + a.headers.length, 0)} 列` : `set up ${file}: ${changes.newTables.length} tables created, ${changes.addColumns.reduce((n, a) => n + a.headers.length, 0)} columns added`);
    return 0;
  }
  if (!file.toLowerCase().endsWith(".xlsx")) throw new WorkbookFileError(`只支持 .xlsx 文件：${file}`, `only .xlsx files are supported: ${file}`);
  const wb = XlsxWorkbook.create();
  await wb.write(setupChanges(await wb.read(), lang));
  await wb.save(file);
  out(lang === "zh" ? `已创建 ${file}` : `created ${file}`);
  return 0;
}

async function check(file: string, lang: Lang | undefined, json: boolean, out: (s: string) => void): Promise<number> {
  const wb = await XlsxWorkbook.open(file);
  const { model, findings } = readWorkbook(await wb.read());
  const l: Lang = lang ?? (model.settings.lang === "auto" ? defaultLang() : model.settings.lang);
  const cal = calendarOf(model);
  const now = wallClockSerial(model.settings.timeZone);
  const overdue = evaluateDeadlines(cal, model.deadlines, model.cards, model.revisions, now).filter((r) => r.status === "missed" && r.done === undefined);
  const years = new Set<number>();
  for (const c of model.cards) for (const d of [c.received, c.due]) if (d !== undefined) years.add(civilOfDay(Math.floor(d)).year);
  years.add(civilOfDay(Math.floor(now)).year);
  const coverage: Finding[] = [...years]
    .filter((y) => !cal.hasOfficialYear(y) && !cal.extraYears.has(y))
    .sort()
    .map((y) => ({ severity: "warning", code: "calendar-coverage", table: "Calendar", zh: coverageWarning(y, "zh"), en: coverageWarning(y, "en") }));
  const all = [...findings, ...coverage];
  const errors = all.filter((f) => f.severity === "error").length;
  if (json) {
    out(
      JSON.stringify(
        {
          file,
          errors,
          warnings: all.length - errors,
          findings: all,
          overdue: overdue.map((r) => ({ cardNo: r.cardNo, deadline: r.deadline.id, due: r.due, dueText: r.due === undefined ? null : formatSerial(r.due), lateBusinessDays: r.late, role: r.deadline.role })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const f of all) out(`${f.severity === "error" ? (l === "zh" ? "错误" : "error") : l === "zh" ? "警告" : "warning"}  ${f[l]}`);
    if (overdue.length) {
      out(l === "zh" ? `\n现已超时（${overdue.length}）：` : `\noverdue now (${overdue.length}):`);
      for (const r of overdue.sort((a, b) => b.late - a.late)) {
        out(
          l === "zh"
            ? `  ${r.cardNo}  ${r.deadline.id} ${r.deadline.name.zh}  应于 ${formatSerial(r.due!)}  已超 ${r.late.toFixed(2)} 个工作日`
            : `  ${r.cardNo}  ${r.deadline.id} ${r.deadline.name.en}  due ${formatSerial(r.due!)}  ${r.late.toFixed(2)} business days late`,
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

/** Runs the command; resolves to the exit code. Never throws: problems become one line and exit 2. */
export async function run(args: string[], out: (s: string) => void = (s) => console.log(s), err: (s: string) => void = (s) => console.error(s)): Promise<number> {
  const lang0 = defaultLang();
  try {
    const [command, ...rest] = args;
    const o = parseArgs(rest);
    if (command === "init" && o.positional.length === 1) return await init(o.positional[0], o.lang ?? lang0, out);
    if (command === "check" && o.positional.length === 1) return await check(o.positional[0], o.lang, o.json, out);
    if (command === "--help" || command === "help" || command === "-h") {
      out(USAGE);
      return 0;
    }
    err(USAGE);
    return 2;
  } catch (e) {
    if (e instanceof WorkbookFileError) err(`planning-desk: ${lang0 === "zh" ? e.zh : e.en}`);
    else if (e instanceof UsageError) err(`planning-desk: ${e.message}\n${USAGE}`);
    else err(`planning-desk: ${(e as Error).message ?? String(e)}`);
    return 2;
  }
}
