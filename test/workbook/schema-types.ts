/**
 * Type-level checks of the typed contract, run by `tsc` (npm test type-checks test/): each
 * `@ts-expect-error` line must not compile, so if a schema change made it compile, the build
 * fails here. Nothing runs: the values only carry the types.
 */
import type { CalendarEntry, Card, Revision } from "../../src/core/model";
import type { TableRow } from "../../src/workbook/read/table-reader";
import type { CALENDAR, REGISTER, REVISIONS, RULES, RowOf, ValueOf } from "../../src/workbook/schema";

/** A cell's value type is its column's declared type. */
export const values = (): unknown[] => {
  const serial: ValueOf<typeof REGISTER, "received"> = 46296;
  // @ts-expect-error: a date column's value is a serial number, not text
  const text: ValueOf<typeof REGISTER, "received"> = "2026-10-01";
  const compare: ValueOf<typeof RULES, "compare"> = "more than";
  // @ts-expect-error: a Compare cell holds one of its words' keys only
  const other: ValueOf<typeof RULES, "compare"> = "less than";
  // @ts-expect-error: "Card No." is a header, not a key
  const header: ValueOf<typeof REGISTER, "Card No."> = "P-1";
  return [serial, text, compare, other, header];
};

/** A table's row as read is its model record's fields: the model is derived from the columns. */
export const records = (register: RowOf<typeof REGISTER>, revision: RowOf<typeof REVISIONS>, day: RowOf<typeof CALENDAR>): unknown[] => {
  const card: Card = { ...register, cardNo: register.cardNo ?? "", key: register.key ?? false };
  const rev: Revision = { ...revision, cardNo: revision.cardNo ?? "", major: revision.major ?? false };
  const entry: Partial<CalendarEntry> = day;
  // @ts-expect-error: a calendar day's type is holiday or workday
  const weekend: RowOf<typeof CALENDAR> = { type: "weekend" };
  return [card, rev, entry, weekend];
};

/** The reader's `get` is typed by the key asked for. */
export const rowGet = (row: TableRow<typeof RULES>): unknown[] => {
  const threshold: number | undefined = row.get("threshold");
  // @ts-expect-error: the Charge cell is a role key, not a number
  const charge: number | undefined = row.get("charge");
  // @ts-expect-error: a typo in a key
  const typo = row.get("treshold");
  return [threshold, charge, typo];
};
