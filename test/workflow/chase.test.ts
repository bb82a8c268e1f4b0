/**
 * 催办 offers first whom the card says it waits for (the waiting line's `waitingFor`), then the
 * others who may act on it (`waitingOn`, whom the chase action accepts), never me: a review the
 * named reviewer owes is not offered to the manager first because he comes first in Staff.
 */
import { waitingOn } from "../../src/core/workflow/actions";
import { cardContext, chaseTargets, indexByCard, waitingFor } from "../../src/core/workflow/inbox";
import { stageOf } from "../../src/core/workflow/stages";
import { calendarOf } from "../../src/workbook/calendar";
import { T0, seedWorkbooks } from "./fake-office";

test("on every open card of the demo and the bigger Register, for everyone: 催办's choices are who may act, whose step it is first", async () => {
  let reordered = 0;
  for (const { model } of await seedWorkbooks()) {
    const data = { ...model };
    const index = indexByCard(data, calendarOf(model), T0);
    for (const card of model.cards) {
      if (stageOf(card, model.revisions) === "archived") continue;
      const ctx = cardContext(card.cardNo, data, index, T0);
      const on = waitingOn(card, ctx);
      const step = waitingFor(card, ctx);
      for (const me of [undefined, ...model.staff.map((s) => s.name)]) {
        const targets = chaseTargets(card, ctx, me);
        const may = on.filter((n) => n !== me);
        expect([card.cardNo, me, [...targets].sort()]).toEqual([card.cardNo, me, [...may].sort()]);
        const owes = step.filter((n) => n !== me && may.includes(n));
        if (owes.length) expect([card.cardNo, me, targets.slice(0, owes.length)]).toEqual([card.cardNo, me, owes]);
        if (targets[0] !== may[0]) reordered++;
      }
    }
  }
  // Cards whose step is someone's who is not first among those who may act: they are offered first.
  expect(reordered).toBeGreaterThan(0);
});
