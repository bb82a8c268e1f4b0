/**
 * Issue 17: My work asks, for every move of every card, whose step it is (holdersOf) and whether a
 * person may take it (permission). A card's context (inbox.ts `cardContext`) keeps the card's stage
 * and the people each `who` names once worked out: the answers must be those of a context without
 * it, in any order of asking, with people away; and a context spread with another log or card must
 * not be given the kept answers.
 */
import fc from "fast-check";
import { toSerial } from "../../src/core/calendar";
import { ACTIONS, Context, holdersOf, permission } from "../../src/core/workflow/actions";
import { InboxData, cardContext, indexByCard, rowFor } from "../../src/core/workflow/inbox";
import { stageOf } from "../../src/core/workflow/stages";
import { bigRegister } from "../../src/workbench/big";
import { calendarOf } from "../../src/workbook/calendar";
import { ReadResult, readWorkbook } from "../../src/workbook/read";
import { demoExcel, office } from "./fake-office";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);
const T0 = toSerial(2026, 11, 2, 10, 0);

let seeds: ReadResult[];
beforeAll(async () => {
  const small = readWorkbook(await office(await demoExcel()).read());
  const big = office(await demoExcel());
  await big.read();
  await big.write(bigRegister(60));
  seeds = [small, readWorkbook(await big.read())];
});

/** The same context without any memo: every answer worked out afresh. */
const plain = (ctx: Context): Context => ({
  staff: ctx.staff,
  settings: ctx.settings,
  revisions: ctx.revisions,
  log: ctx.log,
  now: ctx.now,
  routes: ctx.routes,
  deadlines: ctx.deadlines,
});

test(`${RUNS} random workbooks: whose step and who may, kept per card context, are those worked out afresh`, () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.nat(1),
        minutes: fc.integer({ min: -3 * 1440, max: 20 * 1440 }),
        away: fc.array(fc.nat(20), { maxLength: 3 }),
        cards: fc.array(fc.nat(400), { minLength: 1, maxLength: 12 }),
        asks: fc.array(fc.tuple(fc.nat(ACTIONS.length - 1), fc.nat(20)), { minLength: 1, maxLength: 40 }),
      }),
      ({ seed, minutes, away, cards, asks }) => {
        const { model } = seeds[seed];
        const now = T0 + minutes / 1440;
        const gone = new Set(away.map((i) => model.staff[i % model.staff.length].name));
        const staff = model.staff.map((s) => (gone.has(s.name) ? { ...s, active: false } : s));
        const data: InboxData = { ...model, staff };
        const index = indexByCard(data, calendarOf(model), now);
        for (const i of cards) {
          const card = model.cards[i % model.cards.length];
          const ctx = cardContext(card.cardNo, data, index, now);
          // My work's look at the card first (it fills the memo), then questions in any order, twice.
          rowFor(staff[i % staff.length].name, card, data, index, now, ctx);
          for (const [a, p] of [...asks, ...asks]) {
            const action = ACTIONS[a].id;
            const person = staff[p % staff.length].name;
            expect([card.cardNo, action, holdersOf(action, card, ctx)]).toEqual([card.cardNo, action, holdersOf(action, card, plain(ctx))]);
            expect([card.cardNo, action, person, permission(action, card, person, ctx)]).toEqual([
              card.cardNo,
              action,
              person,
              permission(action, card, person, plain(ctx)),
            ]);
          }
        }
      },
    ),
    { numRuns: RUNS },
  );
}, 240_000);

test("a card context keeps its people once worked out, and not for another log or card", () => {
  const { model } = seeds[1];
  const data: InboxData = { ...model };
  const index = indexByCard(data, calendarOf(model), T0);
  let checked = 0;
  for (const card of model.cards) {
    if (stageOf(card, model.revisions) !== "countersign" || !card.lead) continue;
    const ctx = cardContext(card.cardNo, data, index, T0);
    rowFor(card.lead, card, data, index, T0, ctx);
    // Kept by My work's look at the card: the same list given back, not worked out again.
    const kept = holdersOf("sign", card, ctx);
    expect(ctx.actionMemo?.people?.size).toBeGreaterThan(0);
    expect(holdersOf("sign", card, ctx)).toBe(kept);
    if (!kept.includes(card.lead)) continue; // the lead has signed already
    // The lead has signed since (another log, the memo spread along): the lead no longer holds the step.
    const signed = [...ctx.log, { time: T0, cardNo: card.cardNo, action: "会签", actor: card.lead, role: "策划", note: "" }];
    const after = { ...ctx, log: signed };
    expect(holdersOf("sign", card, after)).toEqual(holdersOf("sign", card, plain(after)));
    expect(holdersOf("sign", card, after)).not.toContain(card.lead);
    // Another card in the same context: its own lead.
    const other = { ...card, lead: card.lead === "吴昊" ? "周婷" : "吴昊" };
    expect(holdersOf("brief", other, ctx)).toEqual([other.lead]);
    checked++;
  }
  expect(checked).toBeGreaterThan(5);
});
