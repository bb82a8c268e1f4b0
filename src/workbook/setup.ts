/**
 * Setting up a workbook ("Set up this workbook" in the pane, `planning-desk init`): creates
 * every missing table on a sheet of its own, with headers in the chosen language and the
 * configuration tables' defaults, and never changes a table that exists except to add a
 * missing required column at its end.
 */
import { DEFAULT_DEADLINES, repeatText } from "../core/rules/deadlines";
import { DEFAULT_RULES } from "../core/rules/penalties";
import { DEFAULT_STANDARDS } from "../core/rules/standards";
import { SETTING_KEYS } from "../core/settings";
import { isBaseRole, roleText } from "../core/routes/roles";
import { DEFAULT_ROUTES, typeText } from "../core/routes/routes";
import { formatsFor } from "./cells";
import { CellValue, ChangeSet, Snapshot, emptyChangeSet, findTable } from "./port";
import { REGISTER, REVISIONS, TABLES, TableDef, headerLang, mapColumns } from "./schema";
import { CHARGE_ROLES, COMPARES, CONDITIONS, COUNT_WORDS, PERS, ROLES, UNITS, settingText, word, yesNo } from "./vocab";

export type Lang = "zh" | "en";

function fieldName(table: "Register" | "Revisions", key: string, lang: Lang): string {
  if (key === "") return ""; // a reminder-only duty has no Ends
  const col = (table === "Register" ? REGISTER : REVISIONS).columns.find((c) => c.key === key);
  if (!col) return key;
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
        isBaseRole(d.role) ? word(ROLES, d.role, lang) : roleText(d.role, lang),
        d.note ?? "",
        d.types ? d.types.map((t) => typeText(t, lang)).join("/") : "",
        d.repeat === undefined ? "" : repeatText(d.repeat, lang),
      ]);
    case "Routes":
      return DEFAULT_ROUTES.map((r) => [
        typeText(r.type, lang),
        r.step,
        r.roles.map((k) => roleText(k, lang)).join("/"),
        yesNo(r.all, lang),
        r.condition ? r.condition[lang] : "",
        r.limit ?? null,
        r.escalate ? roleText(r.escalate, lang) : "",
        r.note ?? "",
      ]);
    case "Standards":
      return DEFAULT_STANDARDS.map((s) => [s.deliverable[lang], s.minDays, s.maxDays, "001"]);
    case "Settings":
      return Object.values(SETTING_KEYS).map((k) => [k[lang], settingText(k.value, lang), ""]);
    default:
      return [];
  }
}

/**
 * The default rows an existing configuration table lacks (by its first column, the id: the
 * Deadlines E1–E4 of card types added to a workbook set up before them), laid out in the table's
 * own column order (`headers`, with the columns being added). Rows people typed are not touched.
 */
function newDefaultRows(def: TableDef, raw: { headers: string[]; rows: CellValue[][] }, headers: string[], lang: Lang): CellValue[][] {
  const cols = mapColumns(def, headers);
  const idAt = cols.get(def.columns[0].key);
  if (idAt === undefined) return [];
  const have = new Set(
    raw.rows
      .map((r) =>
        String(r[idAt] ?? "")
          .trim()
          .toUpperCase(),
      )
      .filter(Boolean),
  );
  // Only the rows of card types (E1–E4): a D-row the center deleted stays deleted.
  const added = new Set(DEFAULT_DEADLINES.filter((d) => d.types).map((d) => d.id));
  return defaultRows(def, lang)
    .filter(
      (row) =>
        added.has(String(row[0])) &&
        !have.has(
          String(row[0] ?? "")
            .trim()
            .toUpperCase(),
        ),
    )
    .map((row) => {
      const out: CellValue[] = headers.map(() => null);
      def.columns.forEach((c, i) => {
        const at = cols.get(c.key);
        if (at !== undefined) out[at] = row[i] ?? null;
      });
      return out;
    });
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
      // Required columns, and the optional ones of card types (Register: Type … Planned; Deadlines: Type), at the end.
      const missing = def.columns.filter((c) => (c.required || c.setup) && !cols.has(c.key)).map((c) => c[tableLang]);
      if (missing.length) changes.addColumns.push({ table: def.name, headers: missing });
      if (def.name === "Deadlines") {
        const rows = newDefaultRows(def, raw, [...raw.headers, ...missing], tableLang);
        if (rows.length) changes.appends.push({ table: def.name, rows, ...formatsFor(def, mapColumns(def, [...raw.headers, ...missing])) });
      }
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
