/**
 * Issue 17: My work's rows and the Overview's cards are sorted with one collator made once
 * (inbox.ts `localeOrder`) instead of `localeCompare` per comparison: the same order, for card
 * numbers as typed (digits, letters of either case, dashes, Chinese) and any other text.
 */
import fc from "fast-check";
import { localeOrder } from "../../src/core/workflow/inbox";

const sign = (n: number) => Math.sign(n);

test("localeOrder orders any two strings as localeCompare does", () => {
  const cardNo = fc.string({ unit: fc.constantFrom(..."0123456789-_ BIGbigX@策划台卡号Ａ１"), maxLength: 12 });
  fc.assert(
    fc.property(
      fc.oneof(cardNo, fc.string({ unit: "grapheme", maxLength: 8 })),
      fc.oneof(cardNo, fc.string({ unit: "grapheme", maxLength: 8 })),
      (a, b) => {
        expect(sign(localeOrder(a, b))).toBe(sign(a.localeCompare(b)));
      },
    ),
    { numRuns: 2000 },
  );
  const numbers = ["BIG-00010", "big-00002", "202610-027", "202610-27", "2026-10", "卡-1", "BIG-0001@12", ""];
  expect([...numbers].sort(localeOrder)).toEqual([...numbers].sort((a, b) => a.localeCompare(b)));
});
