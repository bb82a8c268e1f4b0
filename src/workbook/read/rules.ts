/** The Rules (penalties) and Deadlines tables as definitions; the defaults where a table is absent. */
import { DEFAULT_DEADLINES, DeadlineDef, parseRepeat } from "../../core/rules/deadlines";
import { DEFAULT_RULES, RuleDef } from "../../core/rules/penalties";
import { typeKey } from "../../core/routes/routes";
import { DEADLINES, REGISTER, REVISIONS, RULES, column } from "../schema";
import { CONDITIONS, COUNT_WORDS, lookup } from "../vocab";
import { Finding, TableInfo } from "./model";
import { TableReader } from "./table-reader";

export function readRules(info: TableInfo | undefined, findings: Finding[]): RuleDef[] {
  if (!info) return DEFAULT_RULES.map((r) => ({ ...r }));
  const reader = new TableReader(RULES, info, findings);
  const out: RuleDef[] = [];
  for (const row of reader.rows()) {
    if (!row.ok) continue;
    if (row.get("active") === false && row.raw("active") !== null && row.raw("active") !== "") continue;
    const id = row.get("id");
    const countsText = row.get("counts");
    if (!id || !countsText) continue;
    const counts = /^D\d+$/i.test(countsText) ? countsText.toUpperCase() : lookup(COUNT_WORDS, countsText);
    if (!counts) {
      reader.report(
        "error",
        "bad-choice",
        row.index,
        column(RULES, "counts"),
        countsText,
        `计数对象“${countsText}”未知（应为时限编号如 D1、事件类型或“自身原因修改”）`,
        `Counts: "${countsText}" is unknown (a deadline id such as D1, an incident kind, or "Own revision")`,
      );
      continue;
    }
    const conditionText = row.get("condition") ?? "";
    const condition = conditionText ? lookup(CONDITIONS, conditionText) : "";
    const kpi = row.get("kpi") ?? id;
    const desc = row.get("description") ?? "";
    out.push({
      id,
      charge: row.get("charge") ?? "Planner",
      alsoCharge: row.get("alsoCharge") ?? [],
      counts,
      compare: row.get("compare") ?? "at least",
      threshold: row.get("threshold") ?? 1,
      per: row.get("per") ?? "month",
      kpi: { zh: kpi, en: kpi },
      points: row.get("points") ?? 0,
      condition: condition ?? "",
      description: { zh: desc, en: desc },
    });
  }
  return out;
}

export function readDeadlines(info: TableInfo | undefined, findings: Finding[], customRoles: ReadonlySet<string>): DeadlineDef[] {
  const defaults = DEFAULT_DEADLINES.map((d) => ({ ...d }));
  if (!info) return defaults;
  const reader = new TableReader(DEADLINES, info, findings, customRoles);
  const fieldOf = (text: string): { table: "Register" | "Revisions"; key: string } | undefined => {
    const t = text.replace(/^(Register|项目登记|Revisions|修改记录)[.．!]/i, "");
    const inRevisions = /^(Revisions|修改记录)[.．!]/i.test(text);
    const pool = inRevisions ? REVISIONS.columns : REGISTER.columns;
    const col = pool.find(
      (c) => c.type === "date" && (c.key.toLowerCase() === t.toLowerCase() || c.en.toLowerCase() === t.toLowerCase() || c.zh === t),
    );
    if (!col) return undefined;
    return { table: inRevisions ? "Revisions" : "Register", key: col.key };
  };
  const out: DeadlineDef[] = [];
  for (const row of reader.rows()) {
    if (!row.ok) continue;
    const id = row.get("id")?.toUpperCase();
    if (!id) continue;
    const starts = fieldOf(row.get("starts") ?? "");
    const endsText = row.get("ends") ?? "";
    // No Ends: a reminder-only duty (a countdown milestone), on the Starts column's table.
    const ends = endsText === "" && starts ? { table: starts.table, key: "" } : fieldOf(endsText);
    if (!starts || !ends || starts.table !== ends.table) {
      reader.report(
        "error",
        "bad-choice",
        row.index,
        column(DEADLINES, "starts"),
        row.get("starts") ?? null,
        "开始/结束必须是同一表格中的日期列",
        "Starts and Ends must be date columns of one table",
      );
      continue;
    }
    const base = defaults.find((d) => d.id === id);
    const name = row.get("name") ?? base?.name.en ?? id;
    out.push({
      id,
      name: { zh: name, en: name },
      table: starts.table,
      starts: starts.key,
      ends: ends.key,
      amount: row.get("amount") ?? base?.amount ?? 1,
      unit: row.get("unit") ?? "business days",
      role: row.get("role") ?? base?.role ?? "Planner",
      onlyClientRevisions: starts.table === "Revisions" ? (base?.onlyClientRevisions ?? true) : undefined,
      note: row.get("note"),
      types: typesOf(row.get("type")),
      ...repeatOf(reader, row.index, row.get("repeat"), ends.key),
    });
  }
  return out;
}

/** A Deadlines row's Repeat cell (每周一 / weekly Mon): its weekday; anything else is an error with its cell and the row is read as once. */
function repeatOf(reader: TableReader<typeof DEADLINES>, row: number, v: string | undefined, ends: string): { repeat?: number } {
  if (typeof v !== "string" || !v.trim()) return {};
  const w = parseRepeat(v);
  if (w === undefined || ends !== "") {
    reader.report(
      "error",
      "bad-choice",
      row,
      column(DEADLINES, "repeat"),
      v,
      w === undefined
        ? `重复“${v}”无法读取：应为 每周一 … 每周日（或 weekly Mon … Sun）；这一行按一次性时限读入`
        : `重复“${v}”只用于没有“结束”列的时限（由“完成里程碑”完成）；这一行按一次性时限读入`,
      w === undefined
        ? `Repeat "${v}" cannot be read: expected 每周一 … 每周日 (or weekly Mon … Sun); the row is read as a one-off deadline`
        : `Repeat "${v}" applies only to a deadline with no Ends (completed by Milestone done); the row is read as a one-off deadline`,
    );
    return {};
  }
  return { repeat: w };
}

/** The card types a Deadlines row's Type cell names (`客户活动/工单`); undefined when empty (策划提案). */
function typesOf(v: unknown): string[] | undefined {
  if (typeof v !== "string" || !v.trim()) return undefined;
  return v
    .split(/[/／、,，]/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => typeKey(t));
}
