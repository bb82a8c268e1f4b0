/**
 * Issue 17: My work asks, for every progress step of thousands of cards, whether a person may take
 * it as one whose step it is or as their backup (core/workflow/actions.ts `holderPermission`,
 * with Staff looked up once per list: core/people.ts). It must answer what `permission` answers
 * for such a person, and whom a card waits for (`waitingFor`) must be what the former loop over
 * `permission` gave. Random workbooks (the demo and the workbench's bigger Register), random
 * moments, random people away (inactive: their backups act for them).
 */
import fc from "fast-check";
import type { Card, StaffMember } from "../../src/core/model";
import { backsUp, isActiveIn, staffMember } from "../../src/core/people";
import {
  ACTIONS,
  Context,
  PROGRESS_ACTIONS,
  holderPermission,
  holdersOf,
  offeredIn,
  permission,
  waitingOn,
} from "../../src/core/workflow/actions";
import { InboxData, cardContext, indexByCard, waitingFor } from "../../src/core/workflow/inbox";
import { stageOf } from "../../src/core/workflow/stages";
import { calendarOf } from "../../src/workbook/calendar";
import type { ReadResult } from "../../src/workbook/read";
import { T0, seedWorkbooks } from "./fake-office";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);
const PROGRESS = ACTIONS.filter((a) => PROGRESS_ACTIONS.has(a.id));

/** The former waitingFor: every holder asked through `permission`. */
function formerWaitingFor(card: Card, ctx: Context): string[] {
  const stage = stageOf(card, ctx.revisions);
  const out = new Set<string>();
  for (const a of PROGRESS) {
    if (!offeredIn(a, card, stage)) continue;
    for (const name of holdersOf(a.id, card, ctx)) {
      const p = permission(a.id, card, name, ctx);
      if (p.allowed && !p.onBehalfOf) out.add(name);
    }
  }
  if (!out.size) return waitingOn(card, ctx);
  return ctx.staff.filter((s) => out.has(s.name)).map((s) => s.name);
}

let seeds: ReadResult[];
beforeAll(async () => {
  seeds = await seedWorkbooks();
});

test(`${RUNS} random workbooks: holderPermission is permission's answer for the step's holders and their backups`, () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.nat(1),
        minutes: fc.integer({ min: -3 * 1440, max: 20 * 1440 }),
        away: fc.array(fc.nat(20), { maxLength: 3 }),
        cards: fc.array(fc.nat(5000), { minLength: 20, maxLength: 60 }),
      }),
      ({ seed, minutes, away, cards: picks }) => {
        const { model } = seeds[seed];
        const now = T0 + minutes / 1440;
        const gone = new Set(away.map((i) => model.staff[i % model.staff.length].name));
        const staff = model.staff.map((s) => (gone.has(s.name) ? { ...s, active: false } : s));
        const data: InboxData = { ...model, staff };
        const index = indexByCard(data, calendarOf(model), now);
        let asked = 0;
        let allowed = 0;
        for (const i of picks) {
          const card = model.cards[i % model.cards.length];
          const ctx = cardContext(card.cardNo, data, index, now);
          const stage = stageOf(card, ctx.revisions);
          for (const def of PROGRESS) {
            if (!offeredIn(def, card, stage)) continue;
            const holders = holdersOf(def.id, card, ctx);
            for (const s of staff) {
              const p = permission(def.id, card, s.name, ctx);
              // As My work took it: allowed, and as one of the holders (myself, or the holder I back up).
              const want =
                p.allowed && holders.includes(p.onBehalfOf ?? s.name) ? { allowed: true, onBehalfOf: p.onBehalfOf } : { allowed: false };
              const got = holderPermission(def.id, card, s.name, holders, ctx);
              expect([card.cardNo, def.id, s.name, { allowed: got.allowed, onBehalfOf: got.onBehalfOf }]).toEqual([
                card.cardNo,
                def.id,
                s.name,
                { allowed: want.allowed, onBehalfOf: want.onBehalfOf },
              ]);
              asked++;
              if (got.allowed) allowed++;
            }
          }
          expect([card.cardNo, waitingFor(card, ctx)]).toEqual([card.cardNo, formerWaitingFor(card, ctx)]);
        }
        // The property asked real questions, some of them answered yes.
        expect(asked).toBeGreaterThan(0);
        expect(allowed).toBeGreaterThan(0);
      },
    ),
    { numRuns: RUNS },
  );
}, 240_000);

describe("Staff looked up once per list (core/people.ts)", () => {
  const staff: StaffMember[] = [
    { name: "王磊", role: "Manager", active: false, backup: "赵敏" },
    { name: "赵敏", role: "Assistant Manager", active: true, backup: "王磊" },
    { name: "王磊", role: "Planner", active: true },
    { name: "刘洋", role: "Planner", active: true, backup: "周婷" },
  ];

  test("a name on two rows: its first row, active when any row is (as staff.find / staff.some)", () => {
    expect(staffMember(staff, "王磊")?.role).toBe("Manager");
    expect(isActiveIn(staff, "王磊")).toBe(true);
    expect(isActiveIn(staff, "周婷")).toBe(false);
    expect(isActiveIn([{ name: "周婷", active: false }], "周婷")).toBe(false);
  });

  test("backups: any row of the name that names the backup", () => {
    expect(backsUp(staff, "赵敏", "王磊")).toBe(true);
    expect(backsUp(staff, "王磊", "赵敏")).toBe(true);
    expect(backsUp(staff, "周婷", "刘洋")).toBe(true);
    expect(backsUp(staff, "刘洋", "周婷")).toBe(false);
    expect(backsUp(staff, "赵敏", "刘洋")).toBe(false);
  });

  test("each list has its own index: a new list with someone away answers for itself", () => {
    const away = staff.map((s) => (s.name === "赵敏" ? { ...s, active: false } : s));
    expect(isActiveIn(staff, "赵敏")).toBe(true);
    expect(isActiveIn(away, "赵敏")).toBe(false);
  });
});
