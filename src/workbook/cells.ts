/**
 * Model values → cell values, the reverse of the reader: dates stay serials, Yes/No and
 * the enumerated words are written in the table's header language, stages as words.
 */
import type { LogEntry } from "../core/model";
import { roleKeyOf, roleText } from "../core/routes/roles";
import { STAGE_WORDS, parseStage } from "../core/workflow/stages";
import type { CellValue } from "./port";
import type { ColumnDef, TableDef } from "./schema";
import { LOG_ACTIONS, ROLES, VOCAB_OF, lookup, word, yesNo } from "./vocab";

export type Lang = "zh" | "en";

export function cellFor(col: ColumnDef, value: unknown, lang: Lang): CellValue {
  if (value === undefined || value === null) return null;
  switch (col.type) {
    case "date":
    case "number":
      return typeof value === "number" ? value : null;
    case "bool":
      return yesNo(!!value, lang);
    case "chargeRoles":
      return Array.isArray(value) ? value.map(String).join(", ") : String(value);
    case "text":
    case "month":
    case "deadlineField": {
      if (col.key === "stage") {
        const s = parseStage(String(value));
        return s ? STAGE_WORDS[s][lang] : String(value);
      }
      return String(value);
    }
    default: {
      const vocab = VOCAB_OF[col.type];
      return vocab ? word(vocab, String(value), lang) : String(value);
    }
  }
}

/** A word of `vocab` in `lang` when `text` is one (in any language, or its code); else the text as it is. */
const inLang = (vocab: Parameters<typeof lookup>[0], text: string | undefined, lang: Lang): string | undefined => {
  if (text === undefined || text === "") return text;
  const key = lookup(vocab, text);
  return key === undefined ? text : word(vocab, key, lang);
};

/**
 * A Countersign Log row as the log's language writes it: its Action as 下单/指派/会签 … (or
 * Issue/Assign/Countersign …) and its Role as 秘书/经理/策划 … (Secretary/Manager/Planner …),
 * whatever core gave (codes) — before its hash is computed, so the hash covers what the cells
 * hold (core/workflow/log.ts). Unknown words are kept as they are.
 */
export function logEntryIn(entry: LogEntry, lang: Lang): LogEntry {
  // A role beyond the six (客户总监, 营销副总裁 …: core/routes/roles) in the log's language too.
  const role =
    entry.role !== undefined && entry.role !== "" && lookup(ROLES, entry.role) === undefined
      ? roleText(roleKeyOf(entry.role), lang)
      : inLang(ROLES, entry.role, lang);
  return { ...entry, action: inLang(LOG_ACTIONS, entry.action, lang), role };
}

/** A record as a row of `def`'s columns, placed by `cols` (column key → index) in a row `width` wide. */
export function rowFor(def: TableDef, record: object, lang: Lang, cols?: Map<string, number>, width?: number): CellValue[] {
  const out: CellValue[] = Array.from({ length: width ?? def.columns.length }, () => null);
  def.columns.forEach((col, i) => {
    const at = cols ? cols.get(col.key) : i;
    if (at !== undefined) out[at] = cellFor(col, (record as Record<string, unknown>)[col.key], lang);
  });
  return out;
}

/** Column indexes of `def`'s dates and of its text columns (formatted as text, so Excel never parses them). */
export function formatsFor(def: TableDef, cols?: Map<string, number>): { dateCols: number[]; textCols: number[] } {
  const dateCols: number[] = [];
  const textCols: number[] = [];
  def.columns.forEach((col, i) => {
    const at = cols ? cols.get(col.key) : i;
    if (at === undefined) return;
    if (col.type === "date") dateCols.push(at);
    // Text stays text: Excel would turn "2026-11-12 18:00" in a note, or a card number like 202611001, into a number.
    else if (col.type !== "number" && col.type !== "bool") textCols.push(at);
  });
  return { dateCols, textCols };
}
