/**
 * What the pane computes from one read of the workbook, once: every card (good rows, and the
 * rows with a bad cell as partial cards), each card's deadlines, its open deadlines with the
 * person they charge, and how urgent it is. Views only sort, filter and show.
 *
 * A partial card (a Register row with an error) is shown, flagged with the cells to fix; its
 * deadlines are computed here only where they do not need a bad cell. Month end and every
 * other computation get `model.cards` alone.
 */
import { group } from "../core/group";
import { BusinessCalendar, weekdayOfDay } from "../core/calendar";
import type { Card, LogEntry, Revision } from "../core/model";
import { chargedPerson } from "../core/people";
import { DeadlineResult, DeadlinesByCard, deadlinesByCard, evaluateDeadlines } from "../core/rules/evaluate";
import { typeKey, typesWithLimits } from "../core/routes/routes";
import { Stage, rank, stageOf } from "../core/workflow/stages";
import {
  CardIndex,
  CardRef,
  InboxData,
  InboxHead,
  InboxList,
  cardContext,
  finishCover,
  inboxHead,
  inboxList,
  indexByCard,
  localeOrder,
  stepLateOf,
} from "../core/workflow/inbox";
import { calendarOf } from "../workbook/calendar";
import { PartialCard, ReadResult, WorkbookModel } from "../workbook/read";

export type Urgency = "late" | "today" | "soon" | "later" | "none";
export const URGENCY_RANK: Record<Urgency, number> = { late: 0, today: 1, soon: 2, later: 3, none: 4 };

/** One deadline of a card that is running now: when it is due and whom it charges. */
export interface OpenItem {
  result: DeadlineResult;
  due: number;
  urgency: Exclude<Urgency, "none">;
  /** Business days late now (late only). */
  late: number;
  /** Who must meet it (an inactive person's active backup, then `onBehalfOf` names them). */
  person?: string;
  onBehalfOf?: string;
}

export interface CardEntry {
  /** Unique per row: the card number (a partial card whose number is taken or empty: number@row). */
  key: string;
  card: Card;
  stage: Stage;
  partial?: PartialCard;
  /** Its deadlines open now, most urgent first (all of them, met and missed too: Derived.deadlinesOf). */
  open: OpenItem[];
  urgency: Urgency;
  /** A route step past its limit while the card waits on it ("第 1 步超时 1 个工作日，已上报总监"): the card is late. */
  escalated?: { zh: string; en: string };
}

const byUrgency = (a: OpenItem, b: OpenItem) => URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] || b.late - a.late || a.due - b.due;

/** Schedule deadlines count to the card's Due; other deadlines need only their own two cells. */
function needs(d: DeadlineResult): string[] {
  return d.deadline.table === "Register" ? [d.deadline.starts, d.deadline.ends, ...(d.deadline.unit === "schedule" ? ["due"] : [])] : [];
}

/** A card's entry by its key, worked out when first asked for (a Map's `get` and `has`). */
export interface EntryLookup {
  get(key: string): CardEntry | undefined;
  has(key: string): boolean;
}

/** What a card's entry is made from, known at once; the entry itself is worked out when first asked for. */
interface Slot {
  card: Card;
  /** A partial card's deadlines (those that need none of its bad cells); a card's are the index's. */
  deadlines?: DeadlineResult[];
  partial?: PartialCard;
}

export class Derived {
  readonly model: WorkbookModel;
  readonly cal: BusinessCalendar;
  /** Each card's entry, worked out on first use: My work draws a page of rows, not the whole register. */
  readonly byKey: EntryLookup = { get: (key) => this.entry(key), has: (key) => this.slots.has(key) };
  readonly logByCard: Map<string, LogEntry[]>;
  readonly revByCard: Map<string, Revision[]>;
  private readonly inboxData: InboxData;
  /** The log, revisions and deadlines of each card, indexed once, with what is worked out once per card (core's CardIndex). */
  private readonly index: CardIndex;
  private readonly heads = new Map<string, InboxHead>();
  private readonly lists = new Map<string, CardRef[]>();
  /** Every card by its key, in the Register's order (partial cards last), and the entries worked out so far. */
  private readonly slots = new Map<string, Slot>();
  private readonly made = new Map<string, CardEntry>();
  /** The keys of the partial cards (Register rows with a bad cell), in the Register's order: My work's first group, without a look at every card. */
  private readonly partialKeys: string[] = [];
  private all: CardEntry[] | undefined;
  /** End of this week (Sunday 24:00), for "due this week". */
  readonly weekEnd: number;

  constructor(
    readonly read: ReadResult,
    readonly now: number,
  ) {
    const model = (this.model = read.model);
    this.cal = calendarOf(model);
    const today = Math.floor(now + 1e-9);
    this.weekEnd = today + ((7 - weekdayOfDay(today)) % 7) + 1;

    // Each card's deadlines are judged when first asked for (core's CardIndex): My work and a card judge theirs only.
    this.inboxData = {
      cards: model.cards,
      staff: model.staff,
      settings: model.settings,
      revisions: model.revisions,
      log: model.log,
      deadlines: model.deadlines,
      routes: model.routes,
    };
    this.index = indexByCard(this.inboxData, this.cal, now);
    this.logByCard = this.index.log;
    this.revByCard = this.index.revisions;
    for (const card of model.cards) this.slots.set(card.cardNo, { card });
    const partials = model.partialCards;
    if (!partials.length) return;
    const taken = new Set(model.cards.map((c) => c.cardNo));
    // Deadlines of partial cards: only those that need none of the row's bad cells.
    const evaluable = partials.filter((p) => p.card.cardNo && !taken.has(p.card.cardNo));
    const partialResults = group(
      evaluateDeadlines(
        this.cal,
        model.deadlines,
        evaluable.map((p) => p.card),
        model.revisions,
        now,
      ),
      (r) => r.cardNo,
    );
    for (const p of partials) {
      const key = p.card.cardNo && !taken.has(p.card.cardNo) ? p.card.cardNo : `${p.card.cardNo}@${p.row + 1}`;
      taken.add(key);
      const bad = new Set(p.bad);
      const ok = (partialResults.get(p.card.cardNo) ?? []).filter((r) => !needs(r).some((k) => bad.has(k)));
      this.slots.set(key, { card: p.card, deadlines: key === p.card.cardNo ? ok : [], partial: p });
      this.partialKeys.push(key);
    }
  }

  /** Every card's entry, in the Register's order, partial cards last (the Overview, 问题): worked out once, when first asked for. */
  get entries(): readonly CardEntry[] {
    if (!this.all) {
      // Only the deadlines open now are judged for every card (a card's entry needs no other): not the
      // met and missed ones, which a card's timeline judges when it is opened (deadlinesOf).
      const m = this.model;
      const openNow = deadlinesByCard(this.cal, m.deadlines, m.cards, m.revisions, this.now, { openAt: this.now });
      openNow.judgeAll?.();
      const out: CardEntry[] = [];
      for (const key of this.slots.keys()) {
        const e = this.entry(key, openNow);
        if (e) out.push(e);
      }
      this.all = out;
    }
    return this.all;
  }

  /** Every deadline of a card's entry, met, missed and open (its timeline), judged when first asked for. */
  deadlinesOf(e: CardEntry): DeadlineResult[] {
    return this.slots.get(e.key)?.deadlines ?? this.index.results.get(e.card.cardNo) ?? [];
  }

  /** How many cards' entries have been worked out so far (the first render of My work: its drawn rows only). */
  get workedOut(): number {
    return this.made.size;
  }

  /** The entries of the Register rows with a bad cell (partial cards), without working out the others. */
  partialEntries(): CardEntry[] {
    const out: CardEntry[] = [];
    for (const key of this.partialKeys) {
      const e = this.entry(key);
      if (e) out.push(e);
    }
    return out;
  }

  /** A card's entry, made from its deadlines in `results` (all of them, or those open now) unless made already. */
  private entry(key: string, results: DeadlinesByCard = this.index.results): CardEntry | undefined {
    const known = this.made.get(key);
    if (known) return known;
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    const e = this.make(key, slot.card, slot.deadlines ?? results.get(slot.card.cardNo) ?? [], slot.partial);
    this.made.set(key, e);
    return e;
  }

  /** A card's entry from its deadlines (all of them, or only those open now: the others make no open item). */
  private make(key: string, card: Card, deadlines: readonly DeadlineResult[], partial?: PartialCard): CardEntry {
    const stage = stageOf(card, this.revByCard.get(card.cardNo) ?? []);
    const open: OpenItem[] = [];
    const today = Math.floor(this.now + 1e-9);
    for (const r of deadlines) {
      if (r.due === undefined || r.start === undefined || r.outOfRange || r.start > this.now) continue;
      if (r.done !== undefined && r.done <= this.now) continue;
      const late = this.now > r.due;
      const urgency = late ? "late" : Math.floor(r.due + 1e-9) === today ? "today" : r.due < this.weekEnd ? "soon" : "later";
      const { person, onBehalfOf } = chargedPerson(card, r.deadline, this.model.staff);
      open.push({ result: r, due: r.due, urgency, late: late ? Math.max(0, r.late) : 0, person, onBehalfOf });
    }
    open.sort(byUrgency);
    // Only a card in countersign, of a type whose routes set a limit, can have a step past its limit (core's typesWithLimits).
    // Worked out once for the card: My work asks it again of the card's signer (core's stepLateOf).
    const escalated =
      stage === "countersign" && typesWithLimits(this.model.routes).has(typeKey(card.type))
        ? stepLateOf(card, cardContext(card.cardNo, this.inboxData, this.index, this.now), this.index, this.now)?.text
        : undefined;
    return {
      key,
      card,
      stage,
      partial,
      open,
      urgency: escalated ? "late" : (open[0]?.urgency ?? "none"),
      escalated,
    };
  }

  /** Late first (most late first), then due today, this week, later (by due), then the rest by stage with archived last, newest first. */
  static compare(a: CardEntry, b: CardEntry): number {
    const u = URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency];
    if (u) return u;
    if (a.open[0] && b.open[0]) return byUrgency(a.open[0], b.open[0]) || localeOrder(a.key, b.key);
    if (!!a.partial !== !!b.partial) return a.partial ? -1 : 1;
    return rank(a.stage) - rank(b.stage) || localeOrder(b.key, a.key);
  }

  /** The people a card is with: whoever its open deadlines charge (in urgency order), else its lead, else its AE. */
  responsible(e: CardEntry): string[] {
    const names = [...new Set(e.open.map((o) => o.person).filter((p): p is string => !!p))];
    if (names.length) return names;
    const fallback = e.card.lead ?? e.card.ae ?? e.card.initiator;
    return fallback && e.stage !== "archived" ? [fallback] : [];
  }

  /**
   * My work of one person as first drawn (notices, 待我处理, every count): core's inboxHead, once
   * per read and person. The backup group of colleagues at work follows (`finishCover`, just
   * after the first paint); the other lists are finished when opened (`list`).
   */
  inbox(person: string): InboxHead {
    let box = this.heads.get(person);
    if (!box) {
      // My own work first: the cards that concern me only as an at-work colleague's backup follow (finishCover).
      box = inboxHead(person, this.inboxData, this.cal, this.now, this.index, { coverLater: true });
      this.heads.set(person, box);
    }
    return box;
  }

  /** Adds to My work the cards left for later (core's finishCover); true when it then has a backup group to show. */
  finishCover(person: string): boolean {
    const box = this.heads.get(person);
    if (!box?.coverLater) return false;
    const done = finishCover(box, this.inboxData, this.index, this.now);
    this.heads.set(person, done);
    return done.counts.backup > 0;
  }

  /** One list of My work (我已处理, 我发起的, 抄送我) with whom each card waits for: core's inboxList, once per read, person and list. */
  list(person: string, which: InboxList): CardRef[] {
    const key = `${which}\u0000${person}`;
    let refs = this.lists.get(key);
    if (!refs) {
      refs = inboxList(this.inbox(person), which, this.inboxData, this.index, this.now);
      this.lists.set(key, refs);
    }
    return refs;
  }

  /** Does the card concern this person (for the Overview's person filter)? */
  concerns(e: CardEntry, name: string): boolean {
    return e.card.lead === name || e.card.ae === name || e.open.some((o) => o.person === name || o.onBehalfOf === name);
  }
}
