/**
 * Issue 17: a type whose Routes rows have no condition has one route whatever the card, now
 * sorted once per Routes table and kept (routes.ts `routeFor`). The steps must be those the
 * former filter-and-sort gave (kept here as it was) on random tables (rows of the default routes,
 * conditions or none, steps out of order, types of several words) and the demo's cards of
 * every type, asked in any order and again; a caller changing the list it got changes nothing.
 */
import fc from "fast-check";
import { holds } from "../../src/core/routes/condition";
import { CLIENT_EVENT, PROPOSAL, RouteStep, WORK_ORDER, routeFor, typeKey } from "../../src/core/routes/routes";
import type { Card } from "../../src/core/model";
import { defaultRouteSteps } from "../../src/workbook/read/routes";
import type { ReadResult } from "../../src/workbook/read";
import { seedWorkbooks } from "../workflow/fake-office";

function formerRouteFor(card: Card, routes: readonly RouteStep[]): RouteStep[] {
  const type = typeKey(card.type);
  return routes.filter((r) => r.type === type && (!r.condition || holds(r.condition, card))).sort((a, b) => a.step - b.step);
}

let seeds: ReadResult[];
beforeAll(async () => {
  seeds = await seedWorkbooks();
});

test("routes kept per table and type are the routes worked out per card", () => {
  const base = defaultRouteSteps();
  const conditions = base.filter((s) => s.condition);
  const TYPES = [PROPOSAL, WORK_ORDER, CLIENT_EVENT, "Proposal", "新类型"];
  const row = fc.record({
    type: fc.nat(TYPES.length - 1),
    step: fc.integer({ min: 1, max: 6 }),
    cond: fc.nat(conditions.length),
    role: fc.constantFrom("Planner", "Manager", "Director", "客户总监"),
  });
  fc.assert(
    fc.property(
      fc.array(row, { maxLength: 10 }),
      fc.array(fc.nat(400), { minLength: 1, maxLength: 30 }),
      fc.nat(1),
      (rows, picks, seed) => {
        const table: RouteStep[] = [
          ...base,
          ...rows.map((r): RouteStep => {
            const c = conditions[r.cond];
            return { type: typeKey(TYPES[r.type]), step: r.step, roles: [r.role], all: false, ...(c ? { condition: c.condition } : {}) };
          }),
        ];
        const cards = seeds[seed].model.cards;
        for (const i of [...picks, ...picks]) {
          const card = { ...cards[i % cards.length], type: TYPES[i % TYPES.length] };
          const got = routeFor(card, table);
          expect(got).toEqual(formerRouteFor(card, table));
          got.reverse().push(base[0]);
          expect(routeFor(card, table)).toEqual(formerRouteFor(card, table));
        }
      },
    ),
    { numRuns: 100 },
  );
});
