/**
 * Who a deadline charges is one rule (core/people.ts `chargedPerson`): My work, the Overview's
 * rows and the reminders say the same, even for a name written on two Staff rows (an error that
 * 问题 reports, and that a co-authored workbook can hold for a while). The Overview and the
 * reminders used to take the name's last row, core its first.
 */
import type { StaffMember } from "../../src/core/model";
import { chargedPerson } from "../../src/core/people";
import { openDeadlines } from "../../src/core/reminders/digest";
import { Derived } from "../../src/taskpane/derive";
import { calendarOf } from "../../src/workbook/calendar";
import { ReadResult } from "../../src/workbook/read";
import { T0, seedWorkbooks } from "./fake-office";

let seed: ReadResult;
beforeAll(async () => {
  [seed] = await seedWorkbooks();
});

test("a lead written on two Staff rows, the first away with a backup: the Overview and the reminders charge the backup, as My work does", () => {
  const { model } = seed;
  const now = T0;
  // A card of the demo with an open deadline charged to its lead, a planner.
  const before = new Derived(seed, now);
  const entry = before.entries.find((e) => !e.partial && e.open.some((o) => o.person && o.person === e.card.lead));
  expect(entry).toBeDefined();
  const lead = entry!.card.lead!;
  const item = entry!.open.find((o) => o.person === lead)!;
  const backup = model.staff.find((s) => s.active && s.role === "Planner" && s.name !== lead)!.name;
  // The lead's first row: away, backed up by another planner; a second row of the same name: at work.
  const first = model.staff.findIndex((s) => s.name === lead);
  const staff: StaffMember[] = model.staff.map((s, i) => (i === first ? { ...s, active: false, backup } : s));
  staff.push({ ...model.staff[first], active: true, backup: undefined });
  const changed = { ...model, staff };

  const want = { person: backup, onBehalfOf: lead };
  expect(chargedPerson(entry!.card, item.result.deadline, staff)).toEqual(want);
  // The Overview's row of the card.
  const d = new Derived({ ...seed, model: changed }, now);
  const open = d.byKey.get(entry!.key)!.open.find((o) => o.result.deadline.id === item.result.deadline.id)!;
  expect({ person: open.person, onBehalfOf: open.onBehalfOf }).toEqual(want);
  expect(d.entries.find((e) => e.key === entry!.key)!.open.find((o) => o.result.deadline.id === item.result.deadline.id)).toMatchObject(
    want,
  );
  // The reminders (planning-desk remind, the digest).
  const reminded = openDeadlines(changed, calendarOf(changed), now).find(
    (r) => r.cardNo === entry!.card.cardNo && r.deadline.id === item.result.deadline.id,
  );
  expect({ person: reminded?.person, onBehalfOf: reminded?.onBehalfOf }).toEqual(want);
  // My work: the backup has the card, with that deadline (a watch row) or a step for the lead.
  const row = d.inbox(backup).todo.find((r) => r.cardNo === entry!.card.cardNo);
  expect(row?.deadline?.id === item.result.deadline.id || row?.onBehalfOf === lead).toBe(true);
});
