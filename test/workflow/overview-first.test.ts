/**
 * Issue 17: the Overview draws its first page of 100 cards in Derived.compare's order without
 * sorting every card: `firstInOrder` must give what a stable sort then `slice` gives.
 */
import fc from "fast-check";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { demoChanges } from "../../src/workbook/demo";
import { bigRegister } from "../../src/workbench/big";
import { readWorkbook } from "../../src/workbook/read";
import { Derived } from "../../src/taskpane/derive";
import { firstInOrder } from "../../src/taskpane/views/overview";
import { T0 } from "./fake-office";

test("firstInOrder is a stable sort's first n, on items with many ties, for any n", () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ rank: fc.integer({ min: 0, max: 5 }), id: fc.nat() }), { maxLength: 300 }),
      fc.integer({ min: -1, max: 320 }),
      (items, n) => {
        const compare = (a: { rank: number }, b: { rank: number }) => a.rank - b.rank;
        expect(firstInOrder(items, n, compare)).toEqual([...items].sort(compare).slice(0, Math.max(0, n)));
      },
    ),
    { numRuns: 500 },
  );
});

test("the Overview's first page of 5,000 cards: the sort's first 100, for about one comparison per card (a sort makes nine)", async () => {
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(demoChanges("zh"));
  await wb.read();
  await wb.write(bigRegister(5000));
  const entries = new Derived(readWorkbook(await wb.read()), T0).entries;
  let calls = 0;
  const counted: typeof Derived.compare = (a, b) => (calls++, Derived.compare(a, b));
  const page = firstInOrder(entries, 100, counted);
  expect(page.map((e) => e.key)).toEqual(
    [...entries]
      .sort(Derived.compare)
      .slice(0, 100)
      .map((e) => e.key),
  );
  expect(calls).toBeLessThan(2 * entries.length);
});
