/**
 * Who a deadline charges is one rule (core/people.ts `chargedPerson`): My work, the Overview's
 * rows and the reminders say the same, even for a name written on two Staff rows (an error that
 * 问题 reports, and that a co-authored workbook can hold for a while). The Overview and the
 * reminders used to take the name's last row, core its first; and a step passes to the backup
 * only when no row of the name is active, which a deadline now follows too.
 */
import type { StaffMember } from "../../src/core/model";
import { chargedPerson, isActiveIn } from "../../src/core/people";
import { openDeadlines } from "../../src/core/reminders/digest";
import { Derived } from "../../src/taskpane/derive";
import { calendarOf } from "../../src/workbook/calendar";
import { ReadResult } from "../../src/workbook/read";
import { T0, seedWorkbooks } from "./fake-office";

let seed: ReadResult;
beforeAll(async () => {
  [seed] = await seedWorkbooks();
});

/** A card of the demo with an open deadline charged to its lead (a planner), the lead, that deadline, and another planner. */
function leadsDeadline() {
  const before = new Derived(seed, T0);
  const entry = before.entries.find((e) => !e.partial && e.open.some((o) => o.person && o.person === e.card.lead));
  if (!entry?.card.lead) throw new Error("the demo has no open deadline charged to a lead");
  const lead = entry.card.lead;
  const id = entry.open.find((o) => o.person === lead)?.result.deadline.id ?? "";
  const other = seed.model.staff.find((s) => s.active && s.role === "Planner" && s.name !== lead)?.name ?? "";
  return { entry, lead, id, other };
}

/** Whom the deadline charges, as core, the Overview (Derived) and the reminders (the digest) each say, with this Staff. */
function charged(staff: StaffMember[], cardNo: string, id: string) {
  const model = { ...seed.model, staff };
  const card = model.cards.find((c) => c.cardNo === cardNo);
  const def = model.deadlines.find((d) => d.id === id);
  if (!card || !def) throw new Error(`no ${cardNo} or ${id}`);
  const d = new Derived({ ...seed, model }, T0);
  const open = d.entries.find((e) => e.key === cardNo)?.open.find((o) => o.result.deadline.id === id);
  const reminded = openDeadlines(model, calendarOf(model), T0).find((r) => r.cardNo === cardNo && r.deadline.id === id);
  return {
    core: chargedPerson(card, def, staff),
    overview: { person: open?.person, onBehalfOf: open?.onBehalfOf },
    reminders: { person: reminded?.person, onBehalfOf: reminded?.onBehalfOf },
  };
}

test("a lead on two Staff rows, the first away with a backup, the second at work: at work, as for his steps; his deadline is his everywhere", () => {
  const { entry, lead, id, other } = leadsDeadline();
  const first = seed.model.staff.findIndex((s) => s.name === lead);
  const staff = seed.model.staff.map((s, i) => (i === first ? { ...s, active: false, backup: other } : s));
  staff.push({ ...seed.model.staff[first], active: true, backup: undefined });
  expect(isActiveIn(staff, lead)).toBe(true);
  const want = { person: lead, onBehalfOf: undefined };
  expect(charged(staff, entry.card.cardNo, id)).toEqual({ core: want, overview: want, reminders: want });
});

test("a lead on two Staff rows, both away, the backup named on the second: the backup is charged everywhere, acting for the lead", () => {
  const { entry, lead, id, other } = leadsDeadline();
  const first = seed.model.staff.findIndex((s) => s.name === lead);
  const staff = seed.model.staff.map((s, i) => (i === first ? { ...s, active: false, backup: undefined } : s));
  staff.push({ ...seed.model.staff[first], active: false, backup: other });
  const want = { person: other, onBehalfOf: lead };
  expect(charged(staff, entry.card.cardNo, id)).toEqual({ core: want, overview: want, reminders: want });
  // My work: the backup has the card, with that deadline (a watch row) or a step for the lead.
  const d = new Derived({ ...seed, model: { ...seed.model, staff } }, T0);
  const row = d.inbox(other).todo.find((r) => r.cardNo === entry.card.cardNo);
  expect(row?.deadline?.id === id || row?.onBehalfOf === lead).toBe(true);
});
