/**
 * Workbooks the add-in's own actions produce: the demo seed, then random sequences of the real
 * actions (performAction: one read, core's decision, the reader's validation, one write) by
 * whoever may press them. In every such workbook
 *
 * - every open card can move: someone has a progress action on it as themselves, and no card
 *   is in a state 问题 flags as stuck (past the countersign with it unfinished, no lead);
 * - My work agrees with core's deadline charges: every running deadline shows on a row of the
 *   person it charges, for that card; every row's deadline is a running deadline of that card
 *   (the one the row's own step completes, or, for a watch row, one charged to that person);
 *   every button a row offers is one core allows that person.
 */
import fc from "fast-check";
import { BusinessCalendar, toSerial } from "../../src/core/calendar";
import type { Card } from "../../src/core/model";
import { ACTIONS, ActionId, ActionInput, permission, waitingOn } from "../../src/core/workflow/actions";
import { chargedPerson } from "../../src/core/people";
import { buildInbox, completes, indexByCard, urgencyOf } from "../../src/core/workflow/inbox";
import { stageOf } from "../../src/core/workflow/stages";
import { calendarOf } from "../../src/workbook/calendar";
import { ActionRequest, performAction, versionOf } from "../../src/workbook/actions";
import { Snapshot, WorkbookPort } from "../../src/workbook/port";
import { WorkbookModel, readWorkbook, stuckReason } from "../../src/workbook/read";
import { demoExcel, office } from "./fake-office";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);
const T0 = toSerial(2026, 11, 2, 10, 0);

/** The workbook as a value: each action reads it and the next one reads what it wrote. */
class Memory implements WorkbookPort {
  constructor(public snap: Snapshot) {}
  async read(): Promise<Snapshot> {
    return this.snap;
  }
  async write(): Promise<void> {}
}

let seed: Snapshot;
beforeAll(async () => {
  seed = await office(await demoExcel()).read();
});

function inputFor(id: ActionId, card: Card, actor: string, model: WorkbookModel, now: number, k: number): ActionInput | undefined {
  const ctx = { staff: model.staff, settings: model.settings, revisions: model.revisions, log: model.log, now };
  const other = (names: string[]) => names.filter((n) => n !== actor)[k % Math.max(1, names.length - 1)] ?? names[0];
  const planners = model.staff.filter((s) => s.active && s.role === "Planner").map((s) => s.name);
  switch (id) {
    case "assign":
      return { lead: planners[k % planners.length], reviewer: k % 2 ? "王磊" : undefined };
    case "reply":
      return { due: now + 8 + (k % 5) };
    case "return":
    case "sendBack":
      return { reason: "缺少预算" };
    case "sign":
    case "review":
    case "directorReview":
      return { text: k % 2 ? "同意" : undefined };
    case "revision":
      return { revision: { reason: k % 3 ? "Client" : "Own", major: k % 4 === 0 } };
    case "incident":
      return { incident: { kind: "Attitude complaint", note: "来电" } };
    case "handOver":
      return { to: other(planners.filter((p) => p !== card.lead)), reason: "休假" };
    case "handOverSign":
      return { to: other(["孙悦", "周婷", "赵敏", "王磊"]), reason: "出差" };
    case "addSigner":
      return { to: other(["孙悦", "吴昊", "赵敏"]), position: k % 2 ? "after" : "before" };
    case "comment":
      return { text: "看看" };
    case "copy":
      return { to: other(["孙悦", "李娜", "王磊"]) };
    case "chase":
      return { to: waitingOn(card, ctx).find((n) => n !== actor) ?? "孙悦" };
    case "changeDue":
      return { due: now + 12 + (k % 3), reason: "客户延期" };
    case "excuse":
      return { deadline: ["D1", "D2", "D3", "D4", "D5", "D6", "D7"][k % 7], reason: "客户改期" };
    default:
      return undefined;
  }
}

/** Every action someone may press now on the chosen card (and issuing a number). */
function choices(model: WorkbookModel, pick: number, now: number): ActionRequest[] {
  const ctx = { staff: model.staff, settings: model.settings, revisions: model.revisions, log: model.log, now };
  const open = model.cards.filter((c) => stageOf(c, model.revisions) !== "archived");
  const card = open[pick % open.length];
  const out: ActionRequest[] = [
    {
      action: "issue",
      actor: "林静",
      input: {
        request: { project: `新品 ${pick}`, key: pick % 5 === 0, intake: "AE", initiator: "张伟", ae: "张伟", received: now - 0.01 },
      },
    },
  ];
  if (!card) return out;
  for (const def of ACTIONS) {
    if (def.id === "issue") continue;
    const allowed = model.staff.filter((s) => s.active && permission(def.id, card, s.name, ctx).allowed);
    if (!allowed.length) continue;
    const actor = allowed[pick % allowed.length].name;
    out.push({
      action: def.id,
      cardNo: card.cardNo,
      actor,
      input: inputFor(def.id, card, actor, model, now, pick),
      seen: versionOf(model, card.cardNo),
    });
  }
  return out;
}

function checkInvariants(snap: Snapshot, now: number, trail: string[]): void {
  const { model } = readWorkbook(snap);
  const cal: BusinessCalendar = calendarOf(model);
  const data = {
    cards: model.cards,
    staff: model.staff,
    settings: model.settings,
    revisions: model.revisions,
    log: model.log,
    deadlines: model.deadlines,
  };
  const ctx = { staff: model.staff, settings: model.settings, revisions: model.revisions, log: model.log, now };
  const where = () => `after: ${trail.join(" → ")}`;
  for (const card of model.cards) {
    if (stageOf(card, model.revisions) === "archived") continue;
    if (waitingOn(card, ctx).length === 0)
      throw new Error(`${card.cardNo} (${stageOf(card, model.revisions)}) waits for no one; ${where()}`);
    const stuck = stuckReason(card, model.revisions);
    if (stuck) throw new Error(`${card.cardNo} is stuck (${stuck}); ${where()}`);
  }
  const index = indexByCard(data, cal, now);
  const people = model.staff.filter((s) => s.active).map((s) => s.name);
  const inboxes = new Map(people.map((p) => [p, buildInbox(p, data, cal, now, index)]));
  // Every running deadline is on a row of the person it charges, for that card.
  for (const card of model.cards)
    for (const r of index.results.get(card.cardNo) ?? []) {
      if (!urgencyOf(r, now)) continue;
      const { person } = chargedPerson(card, r.deadline, model.staff);
      if (!person || !inboxes.has(person)) continue;
      if (!inboxes.get(person)!.todo.some((row) => row.cardNo === card.cardNo))
        throw new Error(
          `${r.deadline.id} of ${card.cardNo} (due ${r.due}) charges ${person}, whose My work has no row for the card; ${where()}`,
        );
    }
  for (const [person, inbox] of inboxes)
    for (const row of inbox.todo) {
      const card = row.card;
      for (const a of row.actions)
        if (!permission(a, card, person, ctx).allowed)
          throw new Error(`${person}'s row for ${card.cardNo} offers ${a}, which core refuses; ${where()}`);
      if (row.kind === "watch" && row.actions.length) throw new Error(`watch row with actions; ${where()}`);
      if (row.kind !== "watch" && !row.actions.length) throw new Error(`${person}'s row for ${card.cardNo} has no step; ${where()}`);
      const d = row.deadline;
      if (!d) continue;
      const running = (index.results.get(card.cardNo) ?? []).filter((r) => urgencyOf(r, now) && r.deadline.id === d.id && r.due === d.due);
      if (!running.length) throw new Error(`${person}'s row for ${card.cardNo} names ${d.id}, which is not running; ${where()}`);
      if (row.kind === "watch") {
        if (!running.some((r) => chargedPerson(card, r.deadline, model.staff).person === person))
          throw new Error(`${person}'s watch row for ${card.cardNo} names ${d.id}, charged to someone else; ${where()}`);
      } else if (!row.actions.some((a) => completes(a) === d.result.deadline.ends))
        throw new Error(
          `${person}'s row for ${card.cardNo} names ${d.id}, which none of its steps (${row.actions.join(",")}) completes; ${where()}`,
        );
    }
}

test("the demo seed: every open card can move and My work agrees with the deadline charges", () => {
  checkInvariants(seed, T0, ["demo seed"]);
});

test(`${RUNS} random sequences of the real actions from the demo seed: every open card can move; My work agrees with core's deadline charges`, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ pick: fc.nat(), choice: fc.nat(), minutes: fc.integer({ min: 1, max: 600 }) }), { minLength: 1, maxLength: 12 }),
      async (steps) => {
        const port = new Memory(seed);
        let now = T0;
        const trail: string[] = [];
        for (const s of steps) {
          now += s.minutes / 1440;
          const { model } = readWorkbook(port.snap);
          const options = choices(model, s.pick, now);
          const req = options[s.choice % options.length];
          const res = await performAction(port, req, now);
          if (res.ok) {
            port.snap = res.snapshot;
            trail.push(`${req.actor} ${req.action} ${req.cardNo ?? res.effect.cardNo}`);
          }
          checkInvariants(port.snap, now, trail);
        }
      },
    ),
    { numRuns: RUNS },
  );
}, 240_000);
