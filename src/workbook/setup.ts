/**
 * Setting up a workbook ("Set up this workbook" in the pane, `planning-desk init`): creates
 * every missing table on a sheet of its own, with headers in the chosen language and the
 * configuration tables' defaults, and never changes a table that exists except to add a
 * missing required column at its end.
 */
import { DEFAULT_DEADLINES } from "../core/rules/deadlines";
import { DEFAULT_RULES } from "../core/rules/penalties";
import { DEFAULT_STANDARDS } from "../core/rules/standards";
import { SETTING_KEYS } from "../core/settings";
import { formatsFor } from "./cells";
import { CellValue, ChangeSet, Snapshot, emptyChangeSet, findTable } from "./port";
import { REGISTER, REVISIONS, TABLES, TableDef, headerLang, mapColumns } from "./schema";
import { CHARGE_ROLES, COMPARES, CONDITIONS, COUNT_WORDS, PERS, ROLES, UNITS, settingText, word, yesNo } from "./vocab";

export type Lang = "zh" | "en";

function fieldName(table: "Register" | "Revisions", key: string, lang: Lang): string {
  const col = (table === "Register" ? REGISTER : REVISIONS).columns.find((c) => c.key === key)!;
  return table === "Revisions" ? `${lang === "zh" ? "修改记录" : "Revisions"}.${col[lang]}` : col[lang];
}

/** The default rows of a configuration table, in `lang`. */
export function defaultRows(def: TableDef, lang: Lang): CellValue[][] {
  switch (def.name) {
    case "Rules":
      return DEFAULT_RULES.map((r) => [
        r.id,
        word(CHARGE_ROLES, r.charge, lang),
        r.alsoCharge.map((c) => word(CHARGE_ROLES, c, lang)).join(", "),
        /^D\d+$/.test(r.counts) ? r.counts : word(COUNT_WORDS, r.counts, lang),
        word(COMPARES, r.compare, lang),
        r.threshold,
        word(PERS, r.per, lang),
        r.kpi[lang],
        r.points,
        r.condition ? word(CONDITIONS, r.condition, lang) : "",
        r.description[lang],
        yesNo(true, lang),
      ]);
    case "Deadlines":
      return DEFAULT_DEADLINES.map((d) => [
        d.id,
        d.name[lang],
        fieldName(d.table, d.starts, lang),
        fieldName(d.table, d.ends, lang),
        d.amount,
        word(UNITS, d.unit, lang),
        word(ROLES, d.role, lang),
        d.note ?? "",
      ]);
    case "Standards":
      return DEFAULT_STANDARDS.map((s) => [s.deliverable[lang], s.minDays, s.maxDays, "001"]);
    case "Settings":
      return Object.values(SETTING_KEYS).map((k) => [k[lang], settingText(k.value, lang), ""]);
    default:
      return [];
  }
}

/** The change set that sets up what is missing. Empty when the workbook is complete. */
export function setupChanges(snapshot: Snapshot, lang: Lang): ChangeSet {
  const changes = emptyChangeSet();
  const taken = new Set(snapshot.sheetNames.map((n) => n.toLowerCase()));
  for (const def of TABLES) {
    const raw = findTable(snapshot, def.name);
    if (raw) {
      const cols = mapColumns(def, raw.headers);
      const tableLang: Lang = headerLang(def, raw.headers) ?? lang;
      const missing = def.columns.filter((c) => c.required && !cols.has(c.key)).map((c) => c[tableLang]);
      if (missing.length) changes.addColumns.push({ table: def.name, headers: missing });
      continue;
    }
    let sheet = def.sheet[lang];
    for (let i = 2; taken.has(sheet.toLowerCase()); i++) sheet = `${def.sheet[lang]} (${i})`;
    taken.add(sheet.toLowerCase());
    changes.newTables.push({
      name: def.name,
      sheet,
      headers: def.columns.map((c) => c[lang]),
      rows: defaultRows(def, lang),
      ...formatsFor(def),
    });
  }
  return changes;
}
