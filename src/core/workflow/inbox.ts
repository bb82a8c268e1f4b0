/**
 * My work (我的工作): what is mine, now, first. One pass over the cards, with the log and the
 * revisions indexed by card once (never a scan of the whole log per card).
 *
 * - **待我处理** (`todo`): a row per card on which I may take a step that moves it on (my own
 *   step, or as someone's AB-role backup), with the step that is mine, *my* deadline (the
 *   deadline that step completes: 回复客户 → D1, 提交需求单 → D2, 会签 → D3, 提交框架 → D4 …)
 *   and its urgency; then a row per card where a deadline charged to me is open but the step
 *   is someone else's (秘书 and D3 while a manager has not signed; a planner's D6 while the
 *   documents are with the secretary). What waits on me (a signature, a review, an
 *   assignment) sorts above what is mine to do, which sorts above what merely remains open.
 * - **我已处理** (`done`): every card I took a step on (not only a note: comment, copy, 已阅, chase),
 *   newest step first, whether or not it waits on me again now (审批's 已处理).
 * - **我发起的** (`started`): cards whose request I received or recorded: whose initiator I am, or
 *   whose 下单 (issue) log row I wrote (the secretary records every card).
 * - **抄送我** (`copied`): every copy (抄送) to me, read or not.
 * - **notices**: copies not read, chases (催办) still open, and a draft or brief sent back to
 *   me (退回修改, 退回需求单), each with who, when and why, until I read it (已阅, or any row
 *   of mine on the card after it).
 */
import { group } from "../group";
import { BusinessCalendar, formatSerialMinute, lateAmount, weekdayOfDay } from "../calendar";
import type { Card, LogEntry, Revision, StaffMember } from "../model";
import { chargedPerson, eitherOf, isActiveIn } from "../people";
import type { DeadlineDef } from "../rules/deadlines";
import { DeadlineResult, DeadlinesByCard, appliesToType, deadlinesByCard } from "../rules/evaluate";
import type { Settings } from "../settings";
import { RouteStep, holdersOf as roleHolders, stepEscalation, typeKey, typesWithLimits } from "../routes/routes";
import { roleText } from "../routes/roles";
import { ACTIONS, ActionDef, Context, PROGRESS_ACTIONS, holderPermission, holdersOf, offeredIn, permission, waitingOn } from "./actions";
import { ChainMemo, countersignChain, effectiveLog, openChases, openCopies, openReturns, routeOfCard } from "./chain";
import { isMilestone, milestoneUrgency } from "./milestones";
import { parseCopy } from "./notes";
import { STAGE_WORDS, Stage, countersignUnfinished, stageOf } from "./stages";
import { ActionId, LOG_WORDS, NOTE_ACTIONS, Text, actionOf } from "./words";

export type Urgency = "late" | "today" | "soon" | "later" | "none";
export const URGENCY_RANK: Record<Urgency, number> = { late: 0, today: 1, soon: 2, later: 3, none: 4 };

/**
 * What a row is: a step someone waits on me for, a step of my own work, a deadline of mine whose
 * step is someone else's, or (last) a step of an active colleague I back up (AB角), which I may
 * take for them ("代 刘洋"). A colleague who is away (Staff Active = No) has their steps in my
 * approve / do rows instead, with `onBehalfOf`.
 */
export type RowKind = "approve" | "do" | "watch" | "backup";
export const KIND_RANK: Record<RowKind, number> = { approve: 0, do: 1, watch: 2, backup: 3 };

/** Steps someone has handed to me and waits on (a signature, a review, an assignment). */
export const WAITS_ON_ME: ReadonlySet<ActionId> = new Set<ActionId>(["assign", "sign", "review", "directorReview"]);

/** One of my deadlines, as the rules evaluate it (evaluate.ts). */
export interface MyDeadline {
  id: string;
  name: Text;
  due: number;
  /** Business days late now (0 when not late). */
  late: number;
  urgency: Exclude<Urgency, "none">;
  /** For a Revisions deadline (D7): the revision's index in the Revisions list. */
  revision?: number;
  /** The evaluation it comes from. */
  result: DeadlineResult;
}

export interface InboxRow {
  cardNo: string;
  card: Card;
  stage: Stage;
  kind: RowKind;
  /** The step that is mine (the first of `actions`), or for a watch row the deadline's name. */
  step: Text;
  /** The progress actions I may take on the card now, in ACTIONS order (empty for a watch row). */
  actions: ActionId[];
  /** When I may act only as this person's AB-role backup (they are away, or for a "backup" row, active). */
  onBehalfOf?: string;
  /** The deadline my step completes (or, for a watch row, my open deadline), the most urgent when several. */
  deadline?: MyDeadline;
  urgency: Urgency;
  /** Since when the card has been where it is (the time of its last step). */
  since?: number;
  /** Whom the card waits for now (watch rows; for my own rows, me). */
  waitingFor: string[];
  /** One line for the row, in both languages: "会签（第 2/3 步）· D3 完成工单会签 2026-10-30 12:00". */
  text: Text;
}

export interface Notice {
  kind: "copy" | "chase" | "return";
  cardNo: string;
  time?: number;
  from?: string;
  /** The message, the reason of a return (may be empty). */
  message: string;
  row: LogEntry;
  text: Text;
}

export interface CardRef {
  cardNo: string;
  card: Card;
  stage: Stage;
  /** My last step on it (我已处理), the copy's time (抄送我), the request's time (我发起的). */
  time?: number;
  action?: ActionId;
  /** 抄送我: read already. */
  read?: boolean;
  waitingFor: string[];
}

export interface Inbox {
  person: string;
  notices: Notice[];
  todo: InboxRow[];
  done: CardRef[];
  started: CardRef[];
  copied: CardRef[];
  /** `todo`: approve and do rows; `watch`; `backup`: steps of active colleagues I back up. */
  counts: {
    todo: number;
    watch: number;
    backup: number;
    done: number;
    started: number;
    copied: number;
    unreadCopies: number;
    notices: number;
  };
}

/** What My work needs of the workbook (a WorkbookModel has all of it). */
export interface InboxData {
  cards: readonly Card[];
  staff: readonly StaffMember[];
  settings: Settings;
  revisions: readonly Revision[];
  log: readonly LogEntry[];
  deadlines: readonly DeadlineDef[];
  /** The Routes table: each card's countersign is its type's route (core/routes). */
  routes?: readonly RouteStep[];
  /** The deadlines evaluated at `now` (evaluateDeadlines of `deadlines`), when the caller has them already. */
  results?: readonly DeadlineResult[];
}

/** The log and the revisions of each card, indexed once. */
export interface CardIndex {
  /** The business calendar the deadlines and route limits run on. */
  cal: BusinessCalendar;
  log: Map<string, LogEntry[]>;
  revisions: Map<string, Revision[]>;
  /** Each card's deadlines by its number (evaluateDeadlines, grouped): worked out when first asked for, unless the data had them. */
  results: DeadlinesByCard;
  /** The moment the index was made for: its memos hold for that moment only. */
  now: number;
  /**
   * What is worked out once per card at `now` and asked for more than once (My work of several
   * people, the pane's card list): a route step past its limit (`null`: none), whom the card
   * waits for. Keyed by the card itself (a partial card may share its number with another).
   */
  memo: { stepLate: Map<Card, StepLate | null>; waiting: Map<Card, string[]> };
}

export function indexByCard(data: InboxData, cal: BusinessCalendar, now: number): CardIndex {
  return {
    cal,
    log: group(data.log, (e) => e.cardNo),
    revisions: group(data.revisions, (r) => r.cardNo),
    results: data.results ? group(data.results, (r) => r.cardNo) : deadlinesByCard(cal, data.deadlines, data.cards, data.revisions, now),
    now,
    memo: { stepLate: new Map(), waiting: new Map() },
  };
}

/** The context of one card's decisions: its own log rows and revisions only, and where its countersign chain is kept once worked out. */
export function cardContext(cardNo: string, data: InboxData, index: CardIndex, now: number): Context & { chainMemo: ChainMemo } {
  return {
    chainMemo: {},
    staff: data.staff,
    settings: data.settings,
    revisions: index.revisions.get(cardNo) ?? [],
    log: index.log.get(cardNo) ?? [],
    now,
    routes: data.routes,
  };
}

/** The Register date (or Revisions date) an action completes: the `ends` of the deadline it meets. */
export function completes(id: ActionId): string | undefined {
  return COMPLETES.get(id);
}
const COMPLETES: ReadonlyMap<ActionId, string | undefined> = new Map([
  ...ACTIONS.map((a): [ActionId, string | undefined] => [a.id, a.stamps]),
  ["sign", "countersigned"],
  ["relay", "relayed"],
]);

/** The end of this week (Sunday 24:00) for `now`: "soon" is before it. */
export function weekEndOf(now: number): number {
  const today = Math.floor(now + 1e-9);
  return today + ((7 - weekdayOfDay(today)) % 7) + 1;
}

/** How urgent an open deadline is at `now`; undefined when it is not running (not started, done, or out of range). */
export function urgencyOf(r: DeadlineResult, now: number): Exclude<Urgency, "none"> | undefined {
  if (r.due === undefined || r.start === undefined || r.outOfRange || r.start > now) return undefined;
  if (r.done !== undefined && r.done <= now) return undefined;
  if (now > r.due) return "late";
  if (Math.floor(r.due + 1e-9) === Math.floor(now + 1e-9)) return "today";
  return r.due < weekEndOf(now) ? "soon" : "later";
}

const byDeadline = (a: MyDeadline, b: MyDeadline) => URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] || b.late - a.late || a.due - b.due;

function myDeadline(r: DeadlineResult, now: number): MyDeadline | undefined {
  const urgency = urgencyOf(r, now);
  if (!urgency || r.due === undefined) return undefined;
  return {
    id: r.deadline.id,
    name: r.deadline.name,
    due: r.due,
    late: urgency === "late" ? Math.max(0, r.late) : 0,
    urgency,
    revision: r.revision,
    result: r,
  };
}

/**
 * Does any deadline of the workbook that applies to the card's type (its milestones, or the
 * others) charge `person` on this card? When none does, none of the card's judged deadlines can
 * (each is one of them, `data.results` too): My work of someone charged with nothing on most cards
 * (the director, a manager) does not judge their deadlines to find that out. Results are grouped
 * by card number, so this holds while a number is one card's, as the reader makes them: a second
 * card of a number is a partial card, which My work leaves out.
 */
function chargesMe(person: string, card: Card, data: InboxData, milestones: boolean): boolean {
  const type = typeKey(card.type);
  for (const def of data.deadlines)
    if (isMilestone(def) === milestones && appliesToType(def, type) && chargedPerson(card, def, data.staff).person === person) return true;
  return false;
}

/** The words of a step still to do: 会签 with its place in the chain ("会签（第 2/3 步）"), else the action's task or button label. */
export function stepText(id: ActionId, card: Card, ctx: Context): Text {
  const def = ACTIONS.find((a) => a.id === id);
  const label = def ? (def.task ?? def.label) : LOG_WORDS[id];
  if (id !== "sign") return { zh: label.zh, en: label.en };
  const chain = countersignChain(card, ctx);
  const n = chain.steps.length;
  const step = chain.steps[chain.current];
  return {
    zh: `会签（第 ${chain.current + 1}/${n} 步 ${step?.text.zh ?? ""}）`,
    en: `Countersign (step ${chain.current + 1}/${n}, ${step?.text.en ?? ""})`,
  };
}

/** The time of the card's last step (not a note): since when it has been where it is. */
function lastStepTime(rows: readonly LogEntry[]): number | undefined {
  // Without a 撤销 among them (almost always), the rows that count are the first card's rows as they are: no copy made.
  const cardNo = rows[0]?.cardNo ?? "";
  const eff = rows.some((e) => e.cardNo !== cardNo || actionOf(e) === "withdraw") ? effectiveLog(cardNo, rows) : rows;
  for (let i = eff.length - 1; i >= 0; i--) {
    const a = actionOf(eff[i]);
    if (!a || !NOTE_ACTIONS.has(a)) return eff[i].time;
  }
  return undefined;
}

/** The progress moves (PROGRESS_ACTIONS), in ACTIONS' order: My work asks each card about these only. */
const PROGRESS_DEFS: readonly ActionDef[] = ACTIONS.filter((a) => PROGRESS_ACTIONS.has(a.id));

/**
 * The people the card waits for now: whose step each progress move of its stage is (holdersOf)
 * and who may take it as themselves, in Staff order; when none of them can, everyone who may
 * (actions.ts `waitingOn`).
 */
export function waitingFor(card: Card, ctx: Context): string[] {
  const stage = stageOf(card, ctx.revisions);
  const out = new Set<string>();
  for (const a of PROGRESS_DEFS) {
    if (!offeredIn(a, card, stage)) continue;
    const holders = holdersOf(a.id, card, ctx);
    for (const name of holders) {
      if (out.has(name)) continue;
      const p = holderPermission(a.id, card, name, holders, ctx);
      if (p.allowed && !p.onBehalfOf) out.add(name);
    }
  }
  if (!out.size) return waitingOn(card, ctx);
  return ctx.staff.filter((s) => out.has(s.name)).map((s) => s.name);
}

/**
 * Whom `me` may chase on the card (催办): everyone the card waits on (actions.ts `waitingOn`, whom
 * the chase action accepts) but me, the people whose step it is first (`waitingFor`, whom the
 * waiting line names), so that the one the card says it waits for is the one offered first.
 */
export function chaseTargets(card: Card, ctx: Context, me: string | undefined): string[] {
  const may = waitingOn(card, ctx).filter((n) => n !== me);
  const first = waitingFor(card, ctx).filter((n) => may.includes(n));
  return [...first, ...may.filter((n) => !first.includes(n))];
}

/**
 * My progress moves on the card: steps that are mine (holdersOf) as myself, else as the backup of
 * their holder who is away; and apart (`cover`), the steps of an active holder I back up.
 */
function myMoves(
  card: Card,
  stage: Stage,
  person: string,
  ctx: Context,
): { defs: ActionDef[]; onBehalfOf?: string; cover: ActionDef[]; coverFor?: string } {
  const own: ActionDef[] = [];
  const backup: ActionDef[] = [];
  const cover: ActionDef[] = [];
  let onBehalfOf: string | undefined;
  let coverFor: string | undefined;
  // Whose step it is (the lead closes; a manager may, but it is not in the manager's work): mine, or of someone I back up.
  for (const def of PROGRESS_DEFS) {
    if (!offeredIn(def, card, stage)) continue;
    const holders = holdersOf(def.id, card, ctx);
    const p = holderPermission(def.id, card, person, holders, ctx);
    if (!p.allowed) continue;
    if (p.onBehalfOf) {
      // A colleague's step is my work while they are away (inactive in Staff); while they are active, a lower group.
      if (isActiveIn(ctx.staff, p.onBehalfOf)) {
        cover.push(def);
        coverFor ??= p.onBehalfOf;
        continue;
      }
      backup.push(def);
      onBehalfOf ??= p.onBehalfOf;
    } else own.push(def);
  }
  return own.length ? { defs: own, cover, coverFor } : { defs: backup, onBehalfOf, cover, coverFor };
}

const dueText = (d: MyDeadline | undefined): Text =>
  d
    ? {
        zh: `${d.id} ${d.name.zh} ${formatSerialMinute(d.due)}${d.urgency === "late" ? "（已超时）" : d.urgency === "today" ? "（今天到期）" : ""}`,
        en: `${d.id} ${d.name.en} ${formatSerialMinute(d.due)}${d.urgency === "late" ? " (late)" : d.urgency === "today" ? " (due today)" : ""}`,
      }
    : { zh: "", en: "" };

/**
 * A route step past its time limit (Routes → Limit; core/routes stepEscalation), while the card
 * waits on it: "第 3 步超时 2 个工作日，已上报总监", with the role it is escalated to.
 */
export interface StepLate {
  text: Text;
  /** The role the step is escalated to. */
  escalate?: string;
  late: number;
}

export function routeStepLate(card: Card, ctx: Context, cal: BusinessCalendar, now: number): StepLate | undefined {
  if (card.countersigned !== undefined || !ctx.routes?.length) return undefined;
  // No row of the card's type sets a limit (策划提案's, by default): no step of it can be late, and its route is not worked out.
  if (!typesWithLimits(ctx.routes).has(typeKey(card.type))) return undefined;
  const r = routeOfCard(card, ctx);
  if (!r?.current) return undefined;
  const esc = stepEscalation(cal, r.progress, now);
  if (!esc || now <= esc.due) return undefined;
  const n = lateAmount(esc.late, cal.dayMinutes);
  const to = esc.escalate
    ? { zh: `，已上报${roleText(esc.escalate, "zh")}`, en: `; escalated to ${roleText(esc.escalate, "en")}` }
    : { zh: "", en: "" };
  return {
    text: {
      zh: `第 ${esc.step.step.step} 步超时 ${n.zh}${to.zh}`,
      en: `step ${esc.step.step.step} ${n.en} past its limit${to.en}`,
    },
    escalate: esc.escalate,
    late: esc.late,
  };
}

/**
 * routeStepLate, worked out once per card at the index's moment (`ctx` is the card's own
 * context from this index: cardContext); at any other moment, worked out again.
 */
export function stepLateOf(card: Card, ctx: Context, index: CardIndex, now: number): StepLate | undefined {
  if (card.countersigned !== undefined || !ctx.routes?.length) return undefined;
  if (now !== index.now) return routeStepLate(card, ctx, index.cal, now);
  const known = index.memo.stepLate.get(card);
  if (known !== undefined) return known ?? undefined;
  const late = routeStepLate(card, ctx, index.cal, now);
  index.memo.stepLate.set(card, late ?? null);
  return late;
}

/** waitingFor, worked out once per card at the index's moment (`ctx` as for stepLateOf). */
export function waitingOf(card: Card, ctx: Context, index: CardIndex, now: number): string[] {
  if (now !== index.now) return waitingFor(card, ctx);
  let waiting = index.memo.waiting.get(card);
  if (!waiting) index.memo.waiting.set(card, (waiting = waitingFor(card, ctx)));
  return waiting;
}

/** The rows of My work for one card (at most one row: my step, else my open deadline). */
export function rowFor(
  person: string,
  card: Card,
  data: InboxData,
  index: CardIndex,
  now: number,
  ctx: Context = cardContext(card.cardNo, data, index, now),
): InboxRow | undefined {
  const stage = stageOf(card, ctx.revisions);
  if (stage === "archived") return undefined; // nothing runs on an archived card
  // The card's deadlines are judged when a row needs them: not for a card that has no step of mine and no deadline charged to me.
  let judged: readonly DeadlineResult[] | undefined;
  const resultsOf = () => (judged ??= index.results.get(card.cardNo) ?? []);
  const since = lastStepTime(ctx.log);
  const moves = myMoves(card, stage, person, ctx);
  const stepRow = (defs: ActionDef[], onBehalfOf: string | undefined, kind?: RowKind): InboxRow => {
    // The most urgent of the deadlines my steps complete (the first of them, as a stable sort gives it).
    let deadline: MyDeadline | undefined;
    for (const r of resultsOf()) {
      if (!defs.some((d) => completes(d.id) === r.deadline.ends && !!r.deadline.ends)) continue;
      const d = myDeadline(r, now);
      if (d && (!deadline || byDeadline(d, deadline) < 0)) deadline = d;
    }
    const first = defs.find((d) => WAITS_ON_ME.has(d.id)) ?? defs[0];
    // A signature past its route step's limit is late whatever the deadlines say (escalated).
    const stepLate = defs.some((x) => x.id === "sign") ? stepLateOf(card, ctx, index, now) : undefined;
    // The row's words are worked out when first read: the pane draws a page of rows, and sorts and counts them all.
    let words: { step: Text; text: Text } | undefined;
    const wordsOf = (): { step: Text; text: Text } => {
      if (words) return words;
      const step = stepText(first.id, card, ctx);
      const behalf = onBehalfOf ? { zh: `（代 ${onBehalfOf}）`, en: ` (for ${onBehalfOf})` } : { zh: "", en: "" };
      const d = dueText(deadline);
      if (stepLate) {
        d.zh = d.zh ? `${d.zh} · ${stepLate.text.zh}` : stepLate.text.zh;
        d.en = d.en ? `${d.en} · ${stepLate.text.en}` : stepLate.text.en;
      }
      const text = { zh: `${step.zh}${behalf.zh}${d.zh ? ` · ${d.zh}` : ""}`, en: `${step.en}${behalf.en}${d.en ? ` · ${d.en}` : ""}` };
      return (words = { step, text });
    };
    return {
      cardNo: card.cardNo,
      card,
      stage,
      kind: kind ?? (defs.some((x) => WAITS_ON_ME.has(x.id)) ? "approve" : "do"),
      get step(): Text {
        return wordsOf().step;
      },
      set step(step: Text) {
        words = { ...wordsOf(), step };
      },
      actions: defs.map((x) => x.id),
      onBehalfOf,
      deadline,
      urgency: stepLate ? "late" : (deadline?.urgency ?? "none"),
      since,
      waitingFor: [onBehalfOf ?? person],
      get text(): Text {
        return wordsOf().text;
      },
      set text(text: Text) {
        words = { ...wordsOf(), text };
      },
    };
  };
  if (moves.defs.length) return stepRow(moves.defs, moves.onBehalfOf);
  // No step of mine: an open deadline charged to me whose step is someone else's.
  const watched = (chargesMe(person, card, data, false) ? resultsOf() : [])
    .filter((r) => {
      if (isMilestone(r.deadline)) return false; // my own step, listed apart (milestoneRow)
      const c = chargedPerson(card, r.deadline, data.staff);
      return c.person === person;
    })
    .map((r) => myDeadline(r, now))
    .filter((d): d is MyDeadline => !!d)
    .sort(byDeadline);
  const deadline = watched[0];
  if (!deadline) {
    if (moves.cover.length) return stepRow(moves.cover, moves.coverFor, "backup");
    // A route step past its limit, escalated to a role I hold: I watch it (seed 002/003: 上报).
    const late = stepLateOf(card, ctx, index, now);
    if (!late?.escalate || !roleHolders(late.escalate, card, data.staff).includes(person)) return undefined;
    const waiting = waitingOf(card, ctx, index, now);
    return {
      cardNo: card.cardNo,
      card,
      stage,
      kind: "watch",
      step: late.text,
      actions: [],
      urgency: "late",
      since,
      waitingFor: waiting,
      text: {
        zh: `${late.text.zh}${waiting.length ? ` · 等待 ${waiting.join("、")}` : ""}`,
        en: `${late.text.en}${waiting.length ? ` · waiting for ${waiting.join(", ")}` : ""}`,
      },
    };
  }
  const waiting = waitingOf(card, ctx, index, now);
  const d = dueText(deadline);
  return {
    cardNo: card.cardNo,
    card,
    stage,
    kind: "watch",
    step: { zh: deadline.name.zh, en: deadline.name.en },
    actions: [],
    deadline,
    urgency: deadline.urgency,
    since,
    waitingFor: waiting,
    text: {
      zh: `${d.zh}${waiting.length ? ` · 等待 ${waiting.join("、")}` : ""}`,
      en: `${d.en}${waiting.length ? ` · waiting for ${waiting.join(", ")}` : ""}`,
    },
  };
}

/**
 * A milestone of mine to mark done (完成里程碑: T−15 活动预热, a Monday's weekly report), as a row
 * of my own work apart from the card's other row: the most urgent of the card's open milestones
 * the Deadlines row's role gives me (or gives a colleague who is away and whom I back up), when it
 * is late, due today, or due by the end of the next working day (milestoneUrgency).
 */
export function milestoneRow(
  person: string,
  card: Card,
  data: InboxData,
  index: CardIndex,
  now: number,
  ctx: Context = cardContext(card.cardNo, data, index, now),
): InboxRow | undefined {
  // Most cards have no milestone of mine (none of their type's, or none charged to me): one look at the deadlines' rows.
  if (!chargesMe(person, card, data, true)) return undefined;
  const stage = stageOf(card, ctx.revisions);
  const def = ACTIONS.find((a) => a.id === "milestone");
  if (!def || !offeredIn(def, card, stage)) return undefined;
  let onBehalfOf: string | undefined;
  const mine: MyDeadline[] = [];
  for (const r of index.results.get(card.cardNo) ?? []) {
    const urgency = milestoneUrgency(r, index.cal, now);
    if (!urgency || r.due === undefined) continue;
    const charged = chargedPerson(card, r.deadline, data.staff);
    if (charged.person !== person) continue;
    onBehalfOf ??= charged.onBehalfOf;
    mine.push({
      id: r.deadline.id,
      name: r.deadline.name,
      due: r.due,
      late: urgency === "late" ? Math.max(0, r.late) : 0,
      urgency,
      result: r,
    });
  }
  if (!mine.length) return undefined;
  mine.sort(byDeadline);
  const deadline = mine[0];
  const d = dueText(deadline);
  if (deadline.urgency === "soon") {
    const tomorrow = Math.floor(deadline.due + 1e-9) === Math.floor(now + 1e-9) + 1;
    d.zh += tomorrow ? "（明天到期）" : "（下个工作日到期）";
    d.en += tomorrow ? " (due tomorrow)" : " (due next working day)";
  }
  const others = mine.length - 1;
  const behalf = onBehalfOf ? { zh: `（代 ${onBehalfOf}）`, en: ` (for ${onBehalfOf})` } : { zh: "", en: "" };
  const more = others
    ? { zh: `（另有 ${others} 个里程碑）`, en: ` (${others} more milestone${others > 1 ? "s" : ""})` }
    : { zh: "", en: "" };
  return {
    cardNo: card.cardNo,
    card,
    stage,
    kind: "do",
    step: { zh: def.label.zh, en: def.label.en },
    actions: ["milestone"],
    onBehalfOf,
    deadline,
    urgency: deadline.urgency,
    since: lastStepTime(ctx.log),
    waitingFor: [onBehalfOf ?? person],
    text: {
      zh: `${def.label.zh}${behalf.zh} · ${d.zh}${more.zh}`,
      en: `${def.label.en}${behalf.en} · ${d.en}${more.en}`,
    },
  };
}

/**
 * `a.localeCompare(b)` (no locale given: the default one), with its collator made once: the same
 * order without finding a collator on every call of a sort over thousands of rows.
 */
export const localeOrder: (a: string, b: string) => number = new Intl.Collator().compare;

export function compareRows(a: InboxRow, b: InboxRow): number {
  return (
    KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
    URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
    (a.deadline && b.deadline
      ? b.deadline.late - a.deadline.late || a.deadline.due - b.deadline.due
      : a.deadline
        ? -1
        : b.deadline
          ? 1
          : 0) ||
    (a.since ?? Infinity) - (b.since ?? Infinity) ||
    localeOrder(a.cardNo, b.cardNo)
  );
}

const message = (note: string | undefined, after: RegExp) => {
  const rest = (note ?? "").replace(after, "");
  const m = /[：:]\s*(.+)$/.exec(rest);
  return m ? m[1].trim() : "";
};
const when = (t: number | undefined) => (t === undefined ? "" : formatSerialMinute(t));

/** The notices of one card for `person`: copies not read, open chases, returns not read. */
export function noticesOn(person: string, card: Card, ctx: Context): Notice[] {
  const out: Notice[] = [];
  const cardNo = card.cardNo;
  for (const c of openCopies(cardNo, ctx.log)) {
    if (c.to !== person) continue;
    const msg = message(c.row.note, /^.*?(抄送 |copy to )/);
    out.push({
      kind: "copy",
      cardNo,
      time: c.row.time,
      from: c.row.actor,
      message: msg,
      row: c.row,
      text: {
        zh: `抄送：${c.row.actor ?? ""} 于 ${when(c.row.time)} 抄送你 ${cardNo}${msg ? `：${msg}` : ""}`,
        en: `Copied: ${c.row.actor ?? ""} copied you on ${cardNo} at ${when(c.row.time)}${msg ? `: ${msg}` : ""}`,
      },
    });
  }
  const stage = stageOf(card, ctx.revisions);
  for (const c of openChases(cardNo, ctx.log, stage)) {
    if (c.to !== person) continue;
    const msg = message(c.row.note, /^.*?[）)]/);
    out.push({
      kind: "chase",
      cardNo,
      time: c.row.time,
      from: c.row.actor,
      message: msg,
      row: c.row,
      text: {
        zh: `催办：${c.row.actor ?? ""} 于 ${when(c.row.time)} 催你办理 ${cardNo}（${STAGE_WORDS[stage].zh}）${msg ? `：${msg}` : ""}`,
        en: `Chased: ${c.row.actor ?? ""} asked you at ${when(c.row.time)} to act on ${cardNo} (${STAGE_WORDS[stage].en})${msg ? `: ${msg}` : ""}`,
      },
    });
  }
  if (card.lead === person)
    for (const e of openReturns(card, ctx.log)) {
      const a = actionOf(e);
      const word = a === "sendBack" ? { zh: "退回修改", en: "sent back for changes" } : { zh: "退回需求单", en: "sent the brief back" };
      const msg = returnReason(e.note);
      out.push({
        kind: "return",
        cardNo,
        time: e.time,
        from: e.actor,
        message: msg,
        row: e,
        text:
          a === "sendBack"
            ? {
                zh: `${word.zh}：${e.actor ?? ""} 于 ${when(e.time)} 退回 ${cardNo}${msg ? `，原因：${msg}` : ""}`,
                en: `Sent back: ${e.actor ?? ""} sent ${cardNo} back for changes at ${when(e.time)}${msg ? `: ${msg}` : ""}`,
              }
            : {
                zh: `${word.zh}：${e.actor ?? ""} 于 ${when(e.time)} 退回 ${cardNo} 的需求单${msg ? `，原因：${msg}` : ""}`,
                en: `Brief returned: ${e.actor ?? ""} sent the brief of ${cardNo} back at ${when(e.time)}${msg ? `: ${msg}` : ""}`,
              },
      });
    }
  return out;
}

/**
 * The reason written with a 退回修改 / 退回需求单: the row's note without a backup's "代 王磊；"
 * ("on behalf of 王磊; ") and a leading "原因：" ("reason: "); the rest as written, whatever it holds.
 */
export function returnReason(note: string | undefined): string {
  return (note ?? "")
    .replace(/^(?:代 |on behalf of )[^;；]*[;；]\s*/, "")
    .replace(/^(?:原因|reason)[：:]\s*/i, "")
    .trim();
}

/** A card of 我已处理, 我发起的 or 抄送我 before whom it waits for is worked out (inboxList). */
export type CardRefHead = Omit<CardRef, "waitingFor">;

/** The lists of My work other than 待我处理. */
export type InboxList = "done" | "started" | "copied";

/**
 * My work without the three lists' "waiting for" (the costly part of them): the notices, 待我处理
 * in full, every count exact, and the cards of each list in order. What the pane draws first;
 * inboxList finishes a list when it is opened.
 */
export interface InboxHead extends Omit<Inbox, InboxList> {
  refs: Record<InboxList, CardRefHead[]>;
  /**
   * With `coverLater`: the cards that concern me only as the backup of colleagues who are all at
   * work, not yet looked at. They can only add rows to the backup group (作为 AB 角可代办);
   * `finishCover` adds them. Absent when every card was looked at.
   */
  coverLater?: readonly Card[];
}

/** My work for `person` at `now`: one pass over the cards. */
export function buildInbox(
  person: string,
  data: InboxData,
  cal: BusinessCalendar,
  now: number,
  index: CardIndex = indexByCard(data, cal, now),
): Inbox {
  const head = inboxHead(person, data, cal, now, index);
  return {
    person: head.person,
    notices: head.notices,
    todo: head.todo,
    counts: head.counts,
    done: inboxList(head, "done", data, index, now),
    started: inboxList(head, "started", data, index, now),
    copied: inboxList(head, "copied", data, index, now),
  };
}

/** One list of My work (我已处理, 我发起的, 抄送我) in full: each card with whom it waits for now. */
export function inboxList(head: InboxHead, list: InboxList, data: InboxData, index: CardIndex, now: number): CardRef[] {
  return head.refs[list].map((r) => ({ ...r, waitingFor: waitingOf(r.card, cardContext(r.cardNo, data, index, now), index, now) }));
}

/** My work for `person` at `now` but the lists' "waiting for" (InboxHead): one pass over the cards. */
export function inboxHead(
  person: string,
  data: InboxData,
  cal: BusinessCalendar,
  now: number,
  index: CardIndex = indexByCard(data, cal, now),
  /**
   * Leave for later (`finishCover`) the cards that concern me only through colleagues I back up
   * who are all at work: their steps are theirs, and at most a row of my backup group. The pane
   * draws my own work first; for a planner who backs up another, these are most of the cards.
   */
  options: { coverLater?: boolean } = {},
): InboxHead {
  const todo: InboxRow[] = [];
  const later: Card[] = [];
  const notices: Notice[] = [];
  const done: CardRefHead[] = [];
  const started: CardRefHead[] = [];
  const copied: CardRefHead[] = [];
  const me = data.staff.find((s) => s.name === person);
  // Someone with a role over every card (the secretary, the managers, the director) may hold a step on any card.
  // So may someone whose role is a route's own (客户总监, 集团审核 …): a route step names a role, not a person on the card.
  const everyCard =
    (me?.role !== undefined && ["Secretary", "Manager", "Assistant Manager", "Director"].includes(me.role)) || me?.customRole !== undefined;
  // The people I back up (AB角): their steps are mine while they are away, a lower group while they are active.
  const backedUp = data.staff.filter((s) => s.backup === person && s.name !== person).map((s) => s.name);
  const named = (card: Card, n: string) =>
    n === card.initiator || n === card.ae || n === card.lead || n === card.reviewer || n === card.secretary;
  const logged = (card: Card, n: string) => (index.log.get(card.cardNo) ?? []).some((e) => e.actor === n || !!e.note?.includes(n));
  for (const card of data.cards) {
    // A card that neither names me (or someone I back up) nor has a log row that does is none of mine: skipped in one look.
    const mine = everyCard || named(card, person) || logged(card, person);
    if (!mine) {
      const via = backedUp.filter((n) => named(card, n) || logged(card, n));
      if (!via.length) continue;
      // Colleagues at work (the same "away" as their steps' and deadlines'): nothing of theirs is mine but a backup row.
      if (options.coverLater && via.every((n) => isActiveIn(data.staff, n))) {
        later.push(card);
        continue;
      }
    }
    const ctx = cardContext(card.cardNo, data, index, now);
    const { row, milestone } = cardRows(person, card, data, index, now, ctx);
    if (row) todo.push(row);
    if (milestone) todo.push(milestone);
    // Only a colleague's card: no notice, step, request or copy of mine on it.
    if (!mine) continue;
    notices.push(...noticesOn(person, card, ctx));
    const stage = stageOf(card, ctx.revisions);
    // Every card I took a step on (sent, relayed, recorded, signed …), as in 审批's 已处理: also when
    // it waits on me again (the lead who sent it closes it next), so it is never only in 全部卡片.
    let last: LogEntry | undefined;
    for (const e of effectiveLog(card.cardNo, ctx.log)) if (e.actor === person && !NOTE_ACTIONS.has(actionOf(e) ?? "comment")) last = e;
    if (last) done.push({ cardNo: card.cardNo, card, stage, time: last.time, action: actionOf(last) });
    // The card's own log rows (the index's), not the whole log: did I record its request (下单)?
    if (card.initiator === person || ctx.log.some((e) => e.actor === person && actionOf(e) === "issue"))
      started.push({ cardNo: card.cardNo, card, stage, time: card.received });
    let open: Set<LogEntry> | undefined;
    for (const e of ctx.log) {
      if (actionOf(e) !== "copy" || parseCopy(e)?.to !== person) continue;
      open ??= new Set(
        openCopies(card.cardNo, ctx.log)
          .filter((c) => c.to === person)
          .map((c) => c.row),
      );
      copied.push({ cardNo: card.cardNo, card, stage, time: e.time, action: "copy", read: !open.has(e) });
    }
  }
  todo.sort(compareRows);
  notices.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
  const newest = (a: CardRefHead, b: CardRefHead) => (b.time ?? 0) - (a.time ?? 0) || localeOrder(b.cardNo, a.cardNo);
  done.sort(newest);
  started.sort(newest);
  copied.sort(newest);
  const head: InboxHead = {
    person,
    notices,
    todo,
    refs: { done, started, copied },
    counts: {
      ...todoCounts(todo),
      done: done.length,
      started: started.length,
      copied: copied.length,
      unreadCopies: copied.filter((c) => !c.read).length,
      notices: notices.length,
    },
  };
  if (later.length) head.coverLater = later;
  return head;
}

/** A card's rows of 待我处理 for me: its step or deadline of mine (rowFor), and its milestone of mine. */
function cardRows(
  person: string,
  card: Card,
  data: InboxData,
  index: CardIndex,
  now: number,
  ctx: Context = cardContext(card.cardNo, data, index, now),
): { row?: InboxRow; milestone?: InboxRow } {
  return { row: rowFor(person, card, data, index, now, ctx), milestone: milestoneRow(person, card, data, index, now, ctx) };
}

function todoCounts(todo: readonly InboxRow[]): { todo: number; watch: number; backup: number } {
  let n = 0;
  let watch = 0;
  let backup = 0;
  for (const r of todo)
    if (r.kind === "watch") watch++;
    else if (r.kind === "backup") backup++;
    else n++;
  return { todo: n, watch, backup };
}

/**
 * My work with the cards `inboxHead` left for later (`coverLater`) looked at: exactly what
 * `inboxHead` without the option gives (the same rows in the same order, the same counts).
 */
export function finishCover(head: InboxHead, data: InboxData, index: CardIndex, now: number): InboxHead {
  if (!head.coverLater) return head;
  const todo = [...head.todo];
  for (const card of head.coverLater) {
    const { row, milestone } = cardRows(head.person, card, data, index, now);
    if (row) todo.push(row);
    if (milestone) todo.push(milestone);
  }
  // A stable sort of the same rows: compareRows ties only rows of one card, which keep their order.
  todo.sort(compareRows);
  return { person: head.person, notices: head.notices, todo, refs: head.refs, counts: { ...head.counts, ...todoCounts(todo) } };
}

/** A step of a card's timeline (审批进度): who, when, with what opinion, in what state. */
export interface StepItem {
  action: ActionId;
  text: Text;
  /** Who did it (done), or who may do it (pending). */
  people: string[];
  time?: number;
  /** The opinion (意见) or reason written with it. */
  opinion?: string;
  state: "done" | "withdrawn" | "pending";
}

/** The card's steps in order (progress steps and returns; notes left out), then the steps pending now, and one line saying whom it waits for. */
export function cardSteps(card: Card, ctx: Context, me?: string): { steps: StepItem[]; waiting: Text } {
  const steps: StepItem[] = [];
  const gone = new Set<string>();
  for (const e of ctx.log)
    if (e.cardNo === card.cardNo && actionOf(e) === "withdraw") {
      const h = /#([0-9A-Za-z]{16})\b/.exec(e.note ?? "")?.[1];
      if (h) gone.add(h);
    }
  for (const e of ctx.log) {
    if (e.cardNo !== card.cardNo) continue;
    const a = actionOf(e);
    if (!a || NOTE_ACTIONS.has(a) || a === "withdraw") continue;
    // A return's note is its reason; a signature's or a review's opinion follows "意见：".
    const opinion =
      a === "sendBack" || a === "return"
        ? returnReason(e.note) || undefined
        : /(?:意见|原因|opinion|reason)[：:]\s*(.+)$/.exec(e.note ?? "")?.[1]?.trim();
    // A signature says which step it signed: "会签（第 1/3 步 策划）".
    const place = a === "sign" ? /(?:^|[\s;；])(\d+)\/(\d+) ([^；;]+)/.exec(e.note ?? "") : null;
    const text: Text = place
      ? {
          zh: `会签（第 ${place[1]}/${place[2]} 步 ${place[3].trim()}）`,
          en: `Countersign (step ${place[1]}/${place[2]}, ${place[3].trim()})`,
        }
      : { zh: LOG_WORDS[a].zh, en: LOG_WORDS[a].en };
    steps.push({
      action: a,
      text,
      people: e.actor ? [e.actor] : [],
      time: e.time,
      opinion,
      state: e.hash && gone.has(e.hash) ? "withdrawn" : "done",
    });
  }
  const stage = stageOf(card, ctx.revisions);
  const waiting = waitingFor(card, ctx);
  const pending = PROGRESS_DEFS.filter((a) => offeredIn(a, card, stage));
  const firstPending = pending.find((a) => waiting.some((n) => permission(a.id, card, n, ctx).allowed));
  if (firstPending) steps.push({ action: firstPending.id, text: stepText(firstPending.id, card, ctx), people: waiting, state: "pending" });
  return { steps, waiting: waitingLine(card, ctx, me) };
}

/** What someone is waited for, as English says it after "Waiting for 王磊" (the log's one-word names read badly there). */
const WAITED_EN: Partial<Record<ActionId, string>> = {
  assign: "to assign the lead",
  reply: "to reply to the client",
  brief: "to submit the brief",
  sign: "to sign",
  startWriting: "to start writing",
  framework: "to submit the framework",
  draft: "to submit the first draft",
  review: "to pass the review",
  directorReview: "to pass the director's review",
  send: "to send it to the client",
  relay: "to relay the revision",
  close: "to close the project",
  archive: "to archive the documents",
};
const waitedEn = (id: ActionId): string => WAITED_EN[id] ?? `to ${LOG_WORDS[id].en.toLowerCase()}`;

/** How long since `since`, in the largest whole unit: "3 小时", "2 天", "15 分钟". */
export function elapsed(since: number, now: number): Text {
  const minutes = Math.max(0, Math.round((now - since) * 1440));
  if (minutes < 60) return { zh: `${minutes} 分钟`, en: `${minutes} min` };
  if (minutes < 1440) return { zh: `${Math.floor(minutes / 60)} 小时`, en: `${Math.floor(minutes / 60)} h` };
  return { zh: `${Math.floor(minutes / 1440)} 天`, en: `${Math.floor(minutes / 1440)} d` };
}

/** "等待 赵敏 会签 · 已 3 小时": whom the card waits for, for what, since when; "已归档" when it waits for no one. `me`, the reader, is "你". */
export function waitingLine(card: Card, ctx: Context, me?: string): Text {
  const stage = stageOf(card, ctx.revisions);
  if (stage === "archived") return { zh: "已归档", en: "Archived" };
  const groups = waitingGroups(card, ctx, stage, false);
  if (!groups.length) return { zh: "无人可推进：请秘书处理", en: "Nobody can move it on: the secretary should step in" };
  const since = lastStepTime(ctx.log.filter((e) => e.cardNo === card.cardNo));
  const who = waitingWords(groups, me);
  if (since === undefined) return { zh: `等待${who.zh}`, en: `Waiting for ${who.en}` };
  // Under a minute since the step (the line read back just after it): 刚刚, never "已 0 分钟".
  if (Math.round((ctx.now - since) * 1440) < 1) return { zh: `等待${who.zh} · 刚刚`, en: `Waiting for ${who.en} · just now` };
  const ago = elapsed(since, ctx.now);
  return { zh: `等待${who.zh} · 已 ${ago.zh}`, en: `Waiting for ${who.en} · for ${ago.en}` };
}

/** The people who may take one or more steps the card waits for, with those steps' words. */
interface WaitingGroup {
  people: string[];
  steps: { zh: string; en: string }[];
}

/**
 * The steps the card waits for, grouped by who may take them: one person's steps under their name
 * once ("周婷 开始撰写、提交框架"), a step several people may take under all of them ("王磊或赵敏 指派"),
 * people waiting for different steps never joined. `place` adds a signature's place in the chain
 * ("（第 2/3 步 经理或经理助理）"), for the longer message.
 */
function waitingGroups(card: Card, ctx: Context, stage: Stage, place: boolean): WaitingGroup[] {
  const who = waitingFor(card, ctx);
  const groups = new Map<string, WaitingGroup>();
  if (!who.length) return [];
  for (const a of PROGRESS_DEFS) {
    if (!offeredIn(a, card, stage)) continue;
    const people = who.filter((n) => holdersOf(a.id, card, ctx).includes(n) && permission(a.id, card, n, ctx).allowed);
    if (!people.length) continue;
    const step = place && a.id === "sign" ? stepText(a.id, card, ctx) : LOG_WORDS[a.id];
    // "王磊 to sign (step 2/3, Manager)": the step's place as stepText gives it, after English's verb.
    const where = place && a.id === "sign" ? step.en.replace(/^Countersign/, "") : "";
    const key = people.join("\u0000");
    const group = groups.get(key) ?? { people, steps: [] };
    group.steps.push({ zh: step.zh, en: `${waitedEn(a.id)}${where}` });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Any one of them (people's `eitherOf`); the reader is "你" / "you", named first. */
function eitherOfFor(people: readonly string[], me: string | undefined): Text {
  const ordered = me !== undefined && people.includes(me) ? [me, ...people.filter((n) => n !== me)] : people;
  return {
    zh: eitherOf(
      ordered.map((n) => (n === me ? "你" : n)),
      "zh",
    ),
    en: eitherOf(
      ordered.map((n) => (n === me ? "you" : n)),
      "en",
    ),
  };
}

/**
 * What follows 等待 / "Waiting for": "你 归档" (zh without the space: "等待你 归档"),
 * " 王磊或赵敏 指派；张伟 回复客户", "王磊 or 赵敏 to assign the lead; 张伟 to reply to the client".
 */
function waitingWords(groups: readonly WaitingGroup[], me: string | undefined): Text {
  const parts = groups.map((g) => {
    const names = eitherOfFor(g.people, me);
    // English says "to" once: "to start writing and submit the framework".
    const en = g.steps.map((s, i) => (i === 0 ? s.en : s.en.replace(/^to /, "")));
    const enSteps = en.length < 3 ? en.join(" and ") : `${en.slice(0, -1).join(", ")} and ${en[en.length - 1]}`;
    // "你归档" reads as one phrase; a name keeps its spaces ("王磊 会签").
    return { zh: `${names.zh}${names.zh === "你" ? "" : " "}${g.steps.map((s) => s.zh).join("、")}`, en: `${names.en} ${enSteps}` };
  });
  const zh = parts.map((p) => p.zh).join("；");
  return { zh: zh.startsWith("你") ? zh : ` ${zh}`, en: parts.map((p) => p.en).join("; ") };
}

/**
 * What the card waits for now, each step with its own people, for the message after a step:
 * "等待 王磊或赵敏 指派；张伟 回复客户", "等待 王磊 审核通过", "等待你 提交框架" (to `me`);
 * "已归档"; a card nobody can move says so.
 */
export function nextSteps(card: Card, ctx: Context, me?: string): Text {
  const stage = stageOf(card, ctx.revisions);
  if (stage === "archived") return { zh: "已归档", en: "archived" };
  const groups = waitingGroups(card, ctx, stage, true);
  if (!groups.length) return waitingLine(card, ctx, me);
  const who = waitingWords(groups, me);
  return { zh: `等待${who.zh}`, en: `waiting for ${who.en}` };
}

/**
 * The open cards nobody can move on (问题): typed past an unfinished countersign, past the
 * order without a lead, or with no one allowed to take the step their stage needs. What the
 * reader flags cheaply (read.ts `stuck-card`) plus the last case, which needs the people.
 */
export function stuckCards(data: InboxData, index: CardIndex, now: number): { cardNo: string; text: Text }[] {
  const out: { cardNo: string; text: Text }[] = [];
  for (const card of data.cards) {
    const ctx = cardContext(card.cardNo, data, index, now);
    const stage = stageOf(card, ctx.revisions);
    if (stage === "archived") continue;
    const where = STAGE_WORDS[stage];
    if (countersignUnfinished(card, stage)) {
      const chain = countersignChain(card, ctx);
      const who = chain.steps[chain.current]?.holders.join("、") ?? "";
      out.push({
        cardNo: card.cardNo,
        text: {
          zh: `${card.cardNo} 已到“${where.zh}”阶段，但会签未完成${who ? `（待 ${who} 会签）` : ""}：请待签的人会签，或由秘书转交会签`,
          en: `${card.cardNo} is at "${where.en}" but its countersign is not finished${who ? ` (waiting for ${who})` : ""}: the signer signs, or the secretary hands the signature over`,
        },
      });
    } else if (waitingOn(card, ctx).length === 0)
      out.push({
        cardNo: card.cardNo,
        text: {
          zh: `${card.cardNo} 处于“${where.zh}”阶段，但没有人可以推进${card.lead ? "" : "（没有项目负责人）"}：请检查登记表中的人员与日期`,
          en: `${card.cardNo} is at "${where.en}" but nobody can move it on${card.lead ? "" : " (no lead)"}: check the Register's people and dates`,
        },
      });
  }
  return out;
}
