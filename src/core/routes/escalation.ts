/**
 * Route steps as reminders (`planning-desk remind`): a step with a time limit (Routes → Limit,
 * business days from when the step became due) is held by the people who may sign it; they hear
 * about it like any deadline (due today, due soon, overdue — every run while it waits). Once the
 * limit has passed, the step's escalation role (Routes → Escalate) hears about it too, on every run,
 * with whom the card waits for.
 *
 * Signatures come from the Countersign Log (the current round's 会签 rows, withdrawn ones left
 * out: core/workflow/chain `signatures`), each counted in the role its row names. The route
 * starts with the brief of its current round (core/routes/card `routeStart`): after a return it
 * waits for the new brief.
 */
import type { BusinessCalendar } from "../calendar";
import type { Card, LogEntry, StaffMember } from "../model";
import type { DeadlineDef } from "../rules/deadlines";
import type { ReminderItem } from "../reminders/digest";
import { signatures } from "../workflow/chain";
import { routeStart } from "./card";
import { roleKeyOf, roleText } from "./roles";
import { RouteStep, Signature, holdersOf, routeFor, routeProgress, stepEscalation, stepRolesText, typeKey, typeText } from "./routes";

export interface RouteReminderInput {
  cards: readonly Card[];
  staff: readonly StaffMember[];
  routes?: readonly RouteStep[];
  log?: readonly LogEntry[];
}

/** The card's signatures as routes count them: the current round's 会签 rows with their role as a key. */
export function routeSignatures(card: Card, log: readonly LogEntry[]): Signature[] {
  return signatures(card.cardNo, log)
    .filter((e) => e.time !== undefined && e.actor)
    .map((e) => ({ actor: e.actor ?? "", role: roleKeyOf(e.role ?? ""), time: e.time ?? 0 }));
}

/** A step as a deadline the reminder lines can name: `R3 审批：客户活动 第3步 集团审核` / `R3 sign-off: Client event step 3 Group review`. */
function stepDeadline(card: Card, step: RouteStep, escalated: { zh: string; en: string } | undefined): DeadlineDef {
  const roles = { zh: stepRolesText(step, "zh"), en: stepRolesText(step, "en") };
  const type = { zh: typeText(typeKey(card.type), "zh"), en: typeText(typeKey(card.type), "en") };
  return {
    id: `R${step.step}`,
    name: escalated
      ? {
          zh: `上报：${type.zh} 第${step.step}步 ${roles.zh} 审批超时（等待 ${escalated.zh}）`,
          en: `escalated: ${type.en} step ${step.step} ${roles.en} past its limit (waiting for ${escalated.en})`,
        }
      : { zh: `审批：${type.zh} 第${step.step}步 ${roles.zh}`, en: `sign-off: ${type.en} step ${step.step} ${roles.en}` },
    table: "Register",
    starts: "",
    ends: "",
    amount: step.limit ?? 0,
    unit: "business days",
    role: "Planner",
  };
}

/**
 * The reminders of route steps at `at`: one item per person a waiting step is held by, and, once
 * its limit has passed, one per holder of its escalation role. `person` is who is told.
 */
export function routeReminders(input: RouteReminderInput, cal: BusinessCalendar, at: number): (ReminderItem & { person?: string })[] {
  const routes = input.routes ?? [];
  if (!routes.some((r) => r.limit !== undefined)) return [];
  const staffByName = new Map(input.staff.map((s) => [s.name, s]));
  const out: (ReminderItem & { person?: string })[] = [];
  const atPos = cal.position(at);
  for (const card of input.cards) {
    if (card.closed !== undefined || card.archived !== undefined) continue;
    const steps = routeFor(card, routes);
    if (!steps.some((s) => s.limit !== undefined)) continue;
    const start = routeStart(card, input.log ?? []);
    if (start === undefined || start > at) continue;
    const progress = routeProgress(steps, routeSignatures(card, input.log ?? []), start);
    const esc = stepEscalation(cal, progress, at);
    if (!esc) continue;
    const st = esc.step;
    const overdue = at > esc.due;
    const kind = overdue ? "overdue" : Math.floor(esc.due + 1e-9) === Math.floor(at + 1e-9) ? "today" : "soon";
    const hoursLeft = overdue ? 0 : Math.round(((cal.position(esc.due) - atPos) / 60) * 100) / 100;
    const waiting = [...new Set(st.missing.flatMap((r) => holdersOf(r, card, input.staff)))];
    const base = {
      cardNo: card.cardNo,
      project: card.project,
      due: esc.due,
      start: st.since ?? start,
      late: esc.late,
      hoursLeft,
      kind,
    } as const;
    for (const name of waiting) {
      const s = staffByName.get(name);
      const backup = s && !s.active && s.backup ? staffByName.get(s.backup) : undefined;
      const person = backup?.active ? backup.name : name;
      out.push({ ...base, deadline: stepDeadline(card, st.step, undefined), person, onBehalfOf: person !== name ? name : undefined });
    }
    if (!waiting.length) out.push({ ...base, deadline: stepDeadline(card, st.step, undefined), person: undefined });
    if (overdue && esc.escalate) {
      const waitingText = waiting.length
        ? { zh: waiting.join("、"), en: waiting.join(", ") }
        : { zh: st.missing.map((r) => roleText(r, "zh")).join("、"), en: st.missing.map((r) => roleText(r, "en")).join(", ") };
      for (const person of holdersOf(esc.escalate, card, input.staff))
        out.push({ ...base, deadline: stepDeadline(card, st.step, waitingText), person });
    }
  }
  return out;
}

/** A route step that took longer than its limit: who made it late (or still does). */
export interface LateStep {
  cardNo: string;
  step: number;
  due: number;
  /** When the step was completed; undefined while it still waits. */
  done?: number;
  /** Business days late: at completion, or at `now`. */
  late: number;
  /** Who is counted: the signers who signed after the limit, or those it still waits for. */
  persons: string[];
}

/**
 * Every route step past its limit at `now` (done late, or still waiting after it), for penalty
 * rules that count them (Rules → Counts: `Route step late` / 审批超时), like a missed D1–D7.
 */
export function lateSteps(input: RouteReminderInput, cal: BusinessCalendar, now: number): LateStep[] {
  const routes = input.routes ?? [];
  if (!routes.some((r) => r.limit !== undefined)) return [];
  const out: LateStep[] = [];
  for (const card of input.cards) {
    const steps = routeFor(card, routes);
    if (!steps.some((s) => s.limit !== undefined)) continue;
    const start = routeStart(card, input.log ?? []);
    if (start === undefined) continue;
    const progress = routeProgress(steps, routeSignatures(card, input.log ?? []), start);
    for (const st of progress.steps) {
      if (st.step.limit === undefined || st.since === undefined) continue;
      const due = cal.addBusinessDays(st.since, st.step.limit);
      const end = st.doneAt ?? now;
      if (end <= due) continue;
      const persons = st.done
        ? st.signed.filter((x) => x.time > due).map((x) => x.actor)
        : [...new Set(st.missing.flatMap((r) => holdersOf(r, card, input.staff)))];
      out.push({
        cardNo: card.cardNo,
        step: st.step.step,
        due,
        done: st.doneAt,
        late: Math.max(0, cal.businessDaysBetween(due, end)),
        persons,
      });
    }
  }
  return out;
}
