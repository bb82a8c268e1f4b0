/** After a write's batch in the Office.js adapter (office.ts): what differs from the read (conflicts), and the roll-back that puts back what was there. */
import { CellValue, Conflict, RawTable, Snapshot, cellAddress, findTable } from "./port";
import { Check, Written, loaded, restorePlan, sameValue, textFormula } from "./office-cells";
import { Generated, highlightColumn } from "./office-highlights";
import { OfficeSession } from "./office-session";

/** The conflicts of a write's batch: headers, the rows it relied on and the cells it filled, as loaded before it wrote, against the read (`base`); and the highlights it deleted. */
export function conflictsOf(base: Snapshot, checks: Check[], generated: Generated): Conflict[] {
  const conflicts: Conflict[] = [];
  const rawOf = (name: string): RawTable => {
    const raw = findTable(base, name);
    if (!raw) throw new Error(`no table ${name}`);
    return raw;
  };
  const headerAt = new Map<string, { sheet: string; top: number; left: number }>();
  for (const c of checks.filter((x) => x.row === -1)) {
    const raw = rawOf(c.table);
    const found = (c.range.values as CellValue[][])[0].map((h) => String(h ?? ""));
    if (
      found.join("\u0000") !== raw.headers.join("\u0000") &&
      !conflicts.some((x) => x.address === cellAddress(raw.sheet, raw.top, raw.left))
    )
      conflicts.push({
        table: raw.name,
        address: cellAddress(raw.sheet, raw.top, raw.left),
        expected: raw.headers.join(" | "),
        found: found.join(" | "),
      });
    headerAt.set(raw.name, { sheet: raw.sheet, top: raw.top, left: raw.left });
  }
  // A cell's address is worked out only for a conflict: a check covers every cell of a large append.
  const listed = new Set(conflicts.map((x) => x.address));
  for (const c of checks.filter((x) => x.row >= 0)) {
    const raw = rawOf(c.table);
    const values = c.range.values as CellValue[][];
    const formulas = c.blank ? (c.range.formulas as CellValue[][]) : undefined;
    c.expected.forEach((row, r) =>
      row.forEach((want, col) => {
        if (c.skip?.has(col)) return;
        const have = loaded(values[r]?.[col]);
        const bad = c.blank ? have !== null || loaded(formulas?.[r]?.[col]) !== null : !sameValue(want, have);
        if (!bad) return;
        const address = cellAddress(raw.sheet, raw.top + 1 + c.row + r, raw.left + (c.col ?? 0) + col);
        if (listed.has(address)) return;
        listed.add(address);
        conflicts.push({ table: raw.name, address, expected: want, found: have });
      }),
    );
  }
  for (const r of generated.replaced) {
    if (!r.expected || !r.seen || !r.at) continue;
    const formula = r.seen.customOrNullObject.rule.formula;
    const fill = String(r.seen.customOrNullObject.format.fill.color ?? "").toUpperCase();
    if (formula !== r.expected.formula || fill !== r.expected.fill.toUpperCase()) {
      // Not the add-in's highlight any more (the priorities moved since the read): a conflict; the roll-back reports it.
      conflicts.push({
        table: r.table,
        address: r.at.address,
        expected: `${r.expected.formula} ${r.expected.fill}`,
        found: `${formula} ${fill}`,
      });
      r.expected = { ...r.expected, formula, fill };
    }
  }
  return conflicts;
}

/**
 * Puts back what the written ranges held before our write (in reverse order), the tables'
 * sizes and the custom XML parts we replaced: one batch. Text goes back as text, formulas
 * only where there was a formula. Returns the cells it could not confirm: where, when it ran,
 * something else than what we wrote was found (a co-author moved the rows in between).
 */
export async function restore(
  self: OfficeSession,
  written: Written[],
  sizes: { table: string; before: Excel.Range; cols: number }[],
  canResize: boolean,
  addedXml: Excel.CustomXmlPart[],
  deletedXml: { ns: string; xml: string }[],
  generated: Generated = { columns: [], highlights: [], replaced: [] },
  namesWritten: { name: string; before: string | undefined }[] = [],
): Promise<string[]> {
  const seen: { w: Written; now: Excel.Range }[] = [];
  const unrestored: string[] = [];
  try {
    await self.run(async (context) => {
      const origin = (table: string) => context.workbook.tables.getItem(table).getHeaderRowRange().getCell(0, 0);
      for (const w of [...written].reverse()) {
        let range = origin(w.table).getOffsetRange(1 + w.row, w.col);
        if (w.rows > 1 || w.cols > 1) range = range.getResizedRange(w.rows - 1, w.cols - 1);
        seen.push({ w, now: range.load(w.formulas ? "formulas" : "values") });
        const values = w.before.values as unknown[][];
        const formulas = w.before.formulas as unknown[][];
        const formats = w.before.numberFormat as string[][];
        const plans = values.map((row, r) => row.map((v, c) => restorePlan(v, formulas[r][c], formats[r][c])));
        if (plans.some((row) => row.some((p) => p.textFirst)))
          range.numberFormat = plans.map((row, r) => row.map((p, c) => (p.textFirst ? "@" : formats[r][c])));
        range.values = plans.map((row) => row.map((p) => p.value ?? "")) as (string | number | boolean)[][];
        range.numberFormat = formats;
      }
      if (canResize)
        for (const s of sizes)
          context.workbook.tables.getItem(s.table).resize(origin(s.table).getResizedRange(Math.max(1, s.before.rowCount - 1), s.cols - 1));
      for (const part of addedXml) context.workbook.customXmlParts.getItem(part.id).delete();
      // Calculated columns: the highlights added, then the columns added (their formulas went back above).
      // From each column's own collection (where their ids were read), lowest priority first.
      for (const g of [...generated.highlights].sort((a, b) => Number(b.cf.id) - Number(a.cf.id)))
        context.workbook.tables.getItem(g.table).columns.getItem(g.header).getDataBodyRange().conditionalFormats.getItem(g.cf.id).delete();
      for (const c of [...generated.columns].reverse()) context.workbook.tables.getItem(c.table).columns.getItem(c.header).delete();
      for (const d of deletedXml) context.workbook.customXmlParts.add(d.xml);
      for (const n of namesWritten) {
        context.workbook.names.getItem(n.name).delete();
        if (n.before !== undefined) context.workbook.names.add(n.name, textFormula(n.before)).visible = false;
      }
      await context.sync();
    });
  } catch (e) {
    unrestored.push(`roll-back failed: ${(e as Error).message}`);
  }
  for (const { w, now } of seen) {
    let values: CellValue[][];
    try {
      values = (w.formulas ? now.formulas : now.values) as CellValue[][];
    } catch {
      continue;
    }
    w.wrote.forEach((row, r) =>
      row.forEach((want, c) => {
        if (!sameValue(want, loaded(values[r]?.[c]))) unrestored.push(`${w.table} row ${w.row + r + 1}, column ${w.col + c + 1}`);
      }),
    );
  }
  // The add-in's own highlights deleted by the write cannot be brought back as they were.
  for (const key of new Set(generated.replaced.map((r) => `${r.table}: ${r.header}`)))
    unrestored.push(`${key} (highlights: add the deadline columns again)`);
  // A format deleted that was not the add-in's (the priorities moved between the read and the write): its rule, to add back by hand.
  for (const r of generated.replaced)
    if (r.at && r.expected && highlightColumn(r.expected) === undefined)
      unrestored.push(`${r.at.address}: conditional format ${r.expected.formula} (${r.expected.fill}) was deleted`);
  return unrestored;
}
