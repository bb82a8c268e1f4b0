/** The typed contract at run time: columns are found by their declared keys (types: schema-types.ts). */
import { REGISTER, RULES, TableDef, column, tableDef } from "../../src/workbook/schema";

test("a column is found by its declared key, with its declared type and headers", () => {
  const received = column(REGISTER, "received");
  const type: "date" = received.type;
  expect([type, received.en, received.zh]).toEqual(["date", "Received", "需求接收"]);
  const compare = column(RULES, "compare");
  const compareType: "compare" = compare.type;
  expect([compareType, compare.en, compare.zh]).toEqual(["compare", "Compare", "比较"]);
});

test("a key the table does not declare does not compile, and throws naming the table when forced", () => {
  // @ts-expect-error: "recieved" is a typo, not a Register column (tsc fails if this compiles)
  expect(() => column(REGISTER, "recieved")).toThrow("table Register has no column recieved");
  const plain: TableDef = tableDef("Calendar");
  expect(() => column(plain, "kind")).toThrow("table Calendar has no column kind");
});
