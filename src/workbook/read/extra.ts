/**
 * The Register columns a center added (渠道, 媒体费 …): their cells go with the card (Card.extra),
 * and a route condition may name them as it names the schema's columns.
 */
import { FieldSpec, FieldType } from "../../core/routes/condition";
import { normalizeHeader } from "../schema";
import { TableInfo } from "./model";
import { registerField } from "./routes";

/** The Register columns the center added: header (as typed, trimmed) → column index. */
const EXTRA = new WeakMap<TableInfo, Map<string, number>>();
function extraColumns(info: TableInfo): Map<string, number> {
  const cached = EXTRA.get(info);
  if (cached) return cached;
  const known = new Set(info.cols.values());
  const out = new Map<string, number>();
  info.raw.headers.forEach((h, i) => {
    const name = typeof h === "string" ? h.trim() : h === null || h === undefined ? "" : String(h).trim();
    // A schema column typed twice is a finding of its own, not a column of the center's.
    if (name && !known.has(i) && !out.has(name) && !registerField(name)) out.set(name, i);
  });
  EXTRA.set(info, out);
  return out;
}

/** A row's cells in the columns the center added, blank ones left out; undefined when there are none. */
export function extraCells(info: TableInfo, row: number): Record<string, string | number | boolean> | undefined {
  const line = info.raw.rows[row] ?? [];
  let out: Record<string, string | number | boolean> | undefined;
  for (const [name, i] of extraColumns(info)) {
    const v = line[i];
    if (v === null || v === undefined || (typeof v === "string" && !v.trim())) continue;
    out ??= {};
    out[name] = typeof v === "string" ? v.trim() : v;
  }
  return out;
}

/**
 * The columns a route condition may name: the schema's Register columns, then the columns the
 * center added (a number column when every cell it holds is a number, else text).
 */
export function registerFields(info: TableInfo | undefined): (name: string) => FieldSpec | undefined {
  const added = new Map<string, FieldSpec>();
  if (info)
    for (const [name, i] of extraColumns(info)) {
      const values = info.raw.rows.map((r) => r?.[i]).filter((v) => v !== null && v !== undefined && !(typeof v === "string" && !v.trim()));
      const type: FieldType = values.length > 0 && values.every((v) => typeof v === "number") ? "number" : "text";
      added.set(normalizeHeader(name), { key: name, type, zh: name, en: name, extra: true });
    }
  return (name) => registerField(name) ?? added.get(normalizeHeader(name));
}
