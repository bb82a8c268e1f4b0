/** The Routes table as steps (card types and their sign-offs), with their conditions parsed. */
import { FieldSpec, FieldType, isConditionError, parseCondition } from "../../core/routes/condition";
import { roleKeyOf } from "../../core/routes/roles";
import { DEFAULT_ROUTES, RouteStep, typeKey } from "../../core/routes/routes";
import { ColumnDef, REGISTER, ROUTES, column, normalizeHeader } from "../schema";
import { Finding, TableInfo } from "./model";
import { TableReader } from "./table-reader";

const FIELD_TYPE: Partial<Record<ColumnDef["type"], FieldType>> = { date: "date", bool: "bool", number: "number" };

/** The Register column a condition names (either header language, case and surrounding spaces ignored). */
export function registerField(name: string): FieldSpec | undefined {
  const n = normalizeHeader(name);
  const col = REGISTER.columns.find((c) => normalizeHeader(c.en) === n || normalizeHeader(c.zh) === n);
  return col ? { key: col.key, type: FIELD_TYPE[col.type] ?? "text", zh: col.zh, en: col.en } : undefined;
}

/** The default routes (seeds 000, 002, 003) as steps; their conditions always parse. */
export function defaultRouteSteps(): RouteStep[] {
  return DEFAULT_ROUTES.map((r) => {
    const step: RouteStep = { type: r.type, step: r.step, roles: [...r.roles], all: r.all, limit: r.limit, escalate: r.escalate };
    if (r.condition) {
      const c = parseCondition(r.condition.zh, registerField);
      if (isConditionError(c)) throw new Error(`default route condition ${r.condition.zh}: ${c.en}`);
      step.condition = c;
      step.conditionText = r.condition.zh;
    }
    return step;
  });
}

/**
 * The Routes table's steps. A condition that cannot be read is an error naming its cell, and its
 * step then applies to every card of the type: an unreadable condition never lets a card skip a
 * sign-off. A row without a type, step number or role is an error and left out.
 */
export function readRoutes(
  info: TableInfo | undefined,
  findings: Finding[],
  field: (name: string) => FieldSpec | undefined = registerField,
): RouteStep[] {
  if (!info) return defaultRouteSteps();
  const reader = new TableReader(ROUTES, info, findings);
  const out: RouteStep[] = [];
  for (const row of reader.rows()) {
    if (!row.ok) continue;
    const type = row.get("type");
    const step = row.get("step");
    const roles = row.get("roles");
    if (type === undefined || step === undefined || roles === undefined || roles.length === 0) {
      const missing = type === undefined ? "type" : step === undefined ? "step" : "roles";
      const c = column(ROUTES, missing);
      reader.report(
        "error",
        "missing-value",
        row.index,
        c,
        row.raw(missing) ?? null,
        `${c.zh}为空：这一步未读入`,
        `${c.en} is empty: this step is left out`,
      );
      continue;
    }
    const limit = row.get("limit");
    if (typeof limit === "number" && limit < 0) {
      reader.report(
        "error",
        "bad-number",
        row.index,
        column(ROUTES, "limit"),
        limit,
        `时限 ${limit} 不能为负数`,
        `Limit ${limit} cannot be negative`,
      );
      continue;
    }
    const escalate = row.get("escalate");
    const out1: RouteStep = {
      type: typeKey(type),
      step,
      roles,
      all: row.get("all") === true,
      limit: typeof limit === "number" ? limit : undefined,
      escalate: typeof escalate === "string" ? roleKeyOf(escalate) : undefined,
    };
    const cond = row.get("condition");
    if (typeof cond === "string" && cond.trim()) {
      out1.conditionText = cond;
      const parsed = parseCondition(cond, field);
      if (isConditionError(parsed)) {
        reader.report(
          "error",
          "bad-condition",
          row.index,
          column(ROUTES, "condition"),
          cond,
          `条件“${cond}”无法读取：${parsed.zh}；在修正之前，这一步对该类型的每张卡都适用`,
          `Condition "${cond}" cannot be read: ${parsed.en}; until it is fixed, this step applies to every card of the type`,
        );
        out1.unreadable = true;
      } else out1.condition = parsed;
    }
    out.push(out1);
  }
  return out;
}
