/**
 * Month end: the penalties of one month from the rules (the Rules table, defaults P1–P9).
 *
 * One occurrence is a missed deadline ("D1"…, from evaluate.ts), an incident of a kind, or
 * a revision for the team's own reasons. Month attribution (workbook-schema.md): a missed
 * deadline belongs to the month its deadline fell in, a revision to the month it was
 * requested in, an incident to its date's month. A deadline whose completion is still
 * empty counts as missed once it has passed (`now`).
 *
 * Who is charged: the incident's person when it names one, otherwise the holder of the
 * rule's role on the card (people.ts); `alsoCharge` roles are charged the same points
 * (joint liability, 连带责任). Counting: `per` "month" counts a person's occurrences in the
 * month and deducts once when the count meets the threshold; "card" counts per person and
 * card; "incident" deducts for every occurrence. An occurrence nobody can be charged for
 * is reported, not guessed.
 */
import { BusinessCalendar, formatSerial, lateAmount, parseMonthKey } from "../calendar";
import type { Card, Incident, LogEntry, Revision, StaffMember } from "../model";
import { excusesOf } from "../workflow/chain";
import { excuseRowRefusal } from "./excuses";
import { actionOf } from "../workflow/words";
import { personOnCard } from "../people";
import type { DeadlineDef } from "./deadlines";
import { lateSteps } from "../routes/escalation";
import type { RouteStep } from "../routes/routes";
import { DeadlineResult, evaluateDeadlines } from "./evaluate";
import { CHARGE_ROLE_WORDS, COUNTED_WORDS, ChargeRole, RuleDef } from "./penalties";

type Lang = "zh" | "en";

export interface Trigger {
  cardNo?: string;
  /** Deadline id, incident kind or "Own revision". */
  what: string;
  /** When it happened: the deadline, the incident's date, the revision's request. */
  at: number;
  done?: number;
  /** Business days late (deadlines). */
  late?: number;
  /** Business minutes late (deadlines): "超时 1 小时 35 分". */
  lateMinutes?: number;
  /** The calendar's working minutes a day, for `late` in words when the minutes could not be counted. */
  dayMinutes?: number;
  /** The incident's note, and who recorded it (the log's 记录事件 row). */
  note?: string;
  recordedBy?: string;
  /** The incident's named person, when there is one. */
  person?: string;
  /** When the card was sent (rules with the "Sent without review" condition). */
  sent?: number;
}

export interface Penalty {
  month: string;
  person: string;
  role: ChargeRole;
  rule: RuleDef;
  points: number;
  triggers: Trigger[];
  /** Charged through `alsoCharge` (joint liability). */
  joint: boolean;
  /** The card numbers of the triggers, in order, once each (for the pane to open them). */
  cards: string[];
  /** Misses of this rule and person excused (免责) this month: not counted, shown in the evidence. */
  excused: Excused[];
}

/** A missed deadline excused with a reason (免责, a log row): left out of the count. */
export interface Excused {
  cardNo: string;
  deadline: string;
  due: number;
  done?: number;
  lateMinutes?: number;
  /** Who the miss would have charged (the deadline's role on the card). */
  person?: string;
  by?: string;
  time?: number;
  reason: string;
}

export interface MonthProblem {
  rule: string;
  cardNo?: string;
  zh: string;
  en: string;
}

export interface MonthInput {
  cal: BusinessCalendar;
  cards: readonly Card[];
  revisions: readonly Revision[];
  incidents: readonly Incident[];
  staff: readonly StaffMember[];
  rules: readonly RuleDef[];
  deadlines: readonly DeadlineDef[];
  /** Routes and the log: route steps past their limit count for rules on `Route step late` (审批超时). */
  /** Routes and the log: route steps past their limit count for rules on `Route step late` (审批超时). */
  routes?: readonly RouteStep[];
  /** The Countersign Log: 免责 rows excuse misses; 记录事件 rows say who recorded an incident. */
  log?: readonly LogEntry[];
}

export interface MonthEvaluation {
  month: string;
  /** Serial days: first day of the month, first day of the next. */
  start: number;
  end: number;
  /** Every deadline that fell in the month, met, missed or still open. */
  deadlines: DeadlineResult[];
  penalties: Penalty[];
  problems: MonthProblem[];
  /** Every miss of the month excused (免责). */
  excused: Excused[];
}

/** Sent with no leader's review (manager/assistant or director) at or before sending. */
export function sentWithoutReview(card: Card): boolean {
  if (card.sent === undefined) return false;
  const reviewedBy = (t: number | undefined) => t !== undefined && t <= card.sent!;
  return !reviewedBy(card.reviewed) && !reviewedBy(card.directorReviewed);
}

export function meetsThreshold(count: number, rule: Pick<RuleDef, "compare" | "threshold">): boolean {
  return rule.compare === "more than" ? count > rule.threshold : count >= rule.threshold;
}

export class MonthError extends Error {
  constructor(readonly text: string) {
    super(`"${text}" is not a month (YYYY-MM)`);
  }
}

export function evaluateMonth(input: MonthInput, month: string, now: number): MonthEvaluation {
  const range = parseMonthKey(month);
  if (!range) throw new MonthError(month);
  const { start, end } = range;
  const inMonth = (t: number | undefined): t is number => t !== undefined && t >= start && t < end;
  const cards = new Map(input.cards.map((c) => [c.cardNo, c]));

  // Only the deadlines that fell in the month are judged (the others cannot count in it).
  const deadlines = evaluateDeadlines(input.cal, input.deadlines, input.cards, input.revisions, now, { due: { from: start, to: end } });
  // The log by card, once: excuses (免责) and who recorded each incident.
  const logByCard = new Map<string, LogEntry[]>();
  for (const e of input.log ?? []) {
    if (!e.cardNo) continue;
    const list = logByCard.get(e.cardNo);
    if (list) list.push(e);
    else logByCard.set(e.cardNo, [e]);
  }
  const lateMinutes = (due: number, done: number | undefined): number | undefined => {
    try {
      return Math.max(0, Math.round(input.cal.position(done ?? now) - input.cal.position(due)));
    } catch {
      return undefined;
    }
  };
  const excused: Excused[] = [];
  const problems: MonthProblem[] = [];
  const excusedBy = new Map<string, Excused[]>();

  // Occurrences by what they count, computed once for all rules.
  // Only what some rule counts is collected (a deadline no rule counts is still excused, below).
  const occurrences = new Map<string, Trigger[]>();
  const counted = new Set(input.rules.map((r) => r.counts));
  const push = (key: string, t: Trigger) => {
    const list = occurrences.get(key);
    if (list) list.push(t);
    else occurrences.set(key, [t]);
  };
  // A card's excuses, read once from its log rows (a card without rows has none).
  const excusesByCard = new Map<string, ReturnType<typeof excusesOf>>();
  // 免责 rows against the rule, by card and deadline: a problem only for a miss of this month they would have excused.
  const refusedRows = new Map<string, MonthProblem[]>();
  const excuseOf = (cardNo: string, deadline: string) => {
    const rows = logByCard.get(cardNo);
    if (!rows) return undefined;
    let found = excusesByCard.get(cardNo);
    if (!found) {
      // A 免责 row against the rule (one's own miss: rules/excuses.ts) does not count: the miss stays.
      const card = cards.get(cardNo);
      found = excusesOf(cardNo, rows, (x) => {
        const refused = excuseRowRefusal(card, x, input.deadlines, input.staff);
        if (refused) {
          const key = `${cardNo}\u0000${x.deadline}`;
          const problem: MonthProblem = {
            rule: x.deadline,
            cardNo,
            zh: `${cardNo} ${x.deadline} 的免责（${x.by ?? ""}）不计：${refused.zh}`,
            en: `${cardNo} ${x.deadline}: the excuse by ${x.by ?? ""} does not count: ${refused.en}`,
          };
          const list = refusedRows.get(key);
          if (list) list.push(problem);
          else refusedRows.set(key, [problem]);
        }
        return !refused;
      });
      excusesByCard.set(cardNo, found);
    }
    const ex = found.get(deadline);
    if (!ex) {
      const key = `${cardNo}\u0000${deadline}`;
      problems.push(...(refusedRows.get(key) ?? []));
      refusedRows.delete(key);
    }
    return ex;
  };
  for (const r of deadlines) {
    if (r.status !== "missed" || r.due === undefined) continue;
    const ex = excuseOf(r.cardNo, r.deadline.id);
    if (ex) {
      const card = cards.get(r.cardNo);
      const x: Excused = {
        cardNo: r.cardNo,
        deadline: r.deadline.id,
        due: r.due,
        done: r.done,
        lateMinutes: lateMinutes(r.due, r.done),
        person: card && personOnCard(card, r.deadline.role, input.staff),
        ...ex,
      };
      excused.push(x);
      const list = excusedBy.get(r.deadline.id);
      if (list) list.push(x);
      else excusedBy.set(r.deadline.id, [x]);
      continue;
    }
    if (!counted.has(r.deadline.id)) continue;
    push(r.deadline.id, {
      cardNo: r.cardNo,
      what: r.deadline.id,
      at: r.due,
      done: r.done,
      late: r.late,
      lateMinutes: lateMinutes(r.due, r.done),
      dayMinutes: input.cal.dayMinutes,
    });
  }
  // Who recorded each incident: the card's 记录事件 rows, in order, pair with its incidents in order.
  const recorded = new Map<string, (string | undefined)[]>();
  const nth = new Map<string, number>();
  for (const i of input.incidents) {
    const no = i.cardNo;
    if (no && !recorded.has(no))
      recorded.set(
        no,
        (logByCard.get(no) ?? []).filter((e) => actionOf(e) === "incident").map((e) => e.actor),
      );
    const k = no ? (nth.get(no) ?? 0) : 0;
    if (no) nth.set(no, k + 1);
    if (i.kind && inMonth(i.date))
      push(i.kind, {
        cardNo: no,
        what: i.kind,
        at: i.date,
        person: i.person,
        note: i.note,
        recordedBy: no ? recorded.get(no)?.[k] : undefined,
      });
  }
  for (const v of input.revisions)
    if (v.reason === "Own" && inMonth(v.requested)) push("Own revision", { cardNo: v.cardNo, what: "Own revision", at: v.requested });
  if (input.rules.some((r) => r.counts === "Route step late"))
    for (const l of lateSteps(input, input.cal, now))
      if (inMonth(l.due))
        for (const person of l.persons)
          push("Route step late", {
            cardNo: l.cardNo,
            what: `R${l.step}`,
            at: l.due,
            done: l.done,
            late: l.late,
            lateMinutes: lateMinutes(l.due, l.done),
            dayMinutes: input.cal.dayMinutes,
            person,
          });

  const penalties: Penalty[] = [];
  for (const rule of input.rules) {
    let list = occurrences.get(rule.counts) ?? [];
    if (rule.condition === "Sent without review") {
      list = list.flatMap((t) => {
        const card = t.cardNo === undefined ? undefined : cards.get(t.cardNo);
        return card !== undefined && sentWithoutReview(card) ? [{ ...t, sent: card.sent }] : [];
      });
    }
    const groups = new Map<string, { person: string; triggers: Trigger[] }>();
    list.forEach((t, n) => {
      const card = t.cardNo === undefined ? undefined : cards.get(t.cardNo);
      const person = t.person ?? (card ? personOnCard(card, rule.charge, input.staff) : undefined);
      if (!person) {
        problems.push({
          rule: rule.id,
          cardNo: t.cardNo,
          zh: `${rule.id}：${t.cardNo ? `卡 ${t.cardNo}` : "无卡号的记录"}（${t.what}，${formatSerial(t.at)}）找不到${CHARGE_ROLE_WORDS[rule.charge].zh}，未扣分`,
          en: `${rule.id}: ${t.cardNo ? `card ${t.cardNo}` : "a record with no card"} (${t.what}, ${formatSerial(t.at)}) names no ${rule.charge}; nobody charged`,
        });
        return;
      }
      const key = rule.per === "month" ? person : rule.per === "card" ? `${person}\u0000${t.cardNo ?? ""}` : `${person}\u0000${n}`;
      const g = groups.get(key);
      if (g) g.triggers.push(t);
      else groups.set(key, { person, triggers: [t] });
    });
    for (const g of groups.values()) {
      if (!meetsThreshold(g.triggers.length, rule)) continue;
      const triggers = g.triggers.sort((a, b) => a.at - b.at);
      const cardsOf = [...new Set(triggers.map((t) => t.cardNo).filter((c): c is string => !!c))];
      const excusedHere = (excusedBy.get(rule.counts) ?? []).filter((x) => x.person === g.person);
      penalties.push({
        month,
        person: g.person,
        role: rule.charge,
        rule,
        points: rule.points,
        triggers,
        joint: false,
        cards: cardsOf,
        excused: excusedHere,
      });
      const charged = new Set([g.person]);
      for (const role of rule.alsoCharge) {
        for (const t of triggers) {
          const card = t.cardNo === undefined ? undefined : cards.get(t.cardNo);
          const other = card ? personOnCard(card, role, input.staff) : undefined;
          if (!other || charged.has(other)) continue;
          charged.add(other);
          penalties.push({
            month,
            person: other,
            role,
            rule,
            points: rule.points,
            triggers,
            joint: true,
            cards: [...new Set(triggers.map((t) => t.cardNo).filter((c): c is string => !!c))],
            excused: [],
          });
        }
      }
    }
  }
  penalties.sort(
    (a, b) =>
      input.rules.indexOf(a.rule) - input.rules.indexOf(b.rule) || a.person.localeCompare(b.person) || a.triggers[0].at - b.triggers[0].at,
  );
  return { month, start, end, deadlines, penalties, problems, excused };
}

/** Business minutes as hours and minutes: "1 小时 35 分", "1 h 35 min". */
export function hoursMinutes(minutes: number, lang: Lang): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  if (lang === "zh") return [h ? `${h} 小时` : "", m || !h ? `${m} 分` : ""].filter(Boolean).join(" ");
  return [h ? `${h} h` : "", m || !h ? `${m} min` : ""].filter(Boolean).join(" ");
}

/**
 * What one trigger was, in words, without its card number (a view shows the number as a link
 * before it): "D1 应于 2026-10-09 15:15，完成 2026-10-09 16:50，超时 1 小时 35 分", an incident's
 * time, note and recorder.
 */
export function triggerWords(t: Trigger, lang: Lang): string {
  if (/^[DR]\d+$/.test(t.what)) {
    const late =
      t.lateMinutes !== undefined && t.lateMinutes > 0
        ? lang === "zh"
          ? `，超时 ${hoursMinutes(t.lateMinutes, lang)}`
          : `, ${hoursMinutes(t.lateMinutes, lang)} late`
        : t.late
          ? // Minutes the calendar could not count (a date outside its range): the business days, in late.ts's words.
            lang === "zh"
            ? `，超时 ${lateAmount(t.late, t.dayMinutes).zh}（超出日历范围）`
            : `, ${lateAmount(t.late, t.dayMinutes).en} late (outside the calendar)`
          : "";
    const done =
      t.done === undefined
        ? lang === "zh"
          ? "未完成"
          : "not done"
        : lang === "zh"
          ? `完成 ${formatSerial(t.done)}`
          : `done ${formatSerial(t.done)}`;
    return lang === "zh" ? `${t.what} 应于 ${formatSerial(t.at)}，${done}${late}` : `${t.what} due ${formatSerial(t.at)}, ${done}${late}`;
  }
  const what = COUNTED_WORDS[t.what]?.[lang] ?? t.what;
  const sent =
    t.sent === undefined
      ? ""
      : lang === "zh"
        ? `（${formatSerial(t.sent)} 未经审核发送）`
        : ` (sent without review ${formatSerial(t.sent)})`;
  const by = t.recordedBy ? (lang === "zh" ? `，${t.recordedBy} 记录` : `, recorded by ${t.recordedBy}`) : "";
  const note = t.note ? (lang === "zh" ? `：${t.note}` : `: ${t.note}`) : "";
  return `${what} ${formatSerial(t.at)}${sent}${by}${note}`;
}

/** One trigger with its card number, as the Evidence cell writes it: "202610-003 D1 应于 …". */
export function triggerText(t: Trigger, lang: Lang): string {
  const card = t.cardNo ?? (lang === "zh" ? "（无卡号）" : "(no card)");
  return `${card} ${triggerWords(t, lang)}`;
}

/** An excused miss in words: "202610-003 D1 免责（林静：客户临时改期）". */
export function excusedText(x: Excused, lang: Lang): string {
  return lang === "zh"
    ? `${x.cardNo} ${x.deadline} 免责（${x.by ?? ""}：${x.reason}）`
    : `${x.cardNo} ${x.deadline} excused (${x.by ?? ""}: ${x.reason})`;
}

/** The Evidence cell: how many, and each card and time that triggered the penalty. */
export function evidenceText(p: Penalty, lang: Lang): string {
  const n = p.triggers.length;
  const head =
    p.rule.per === "incident"
      ? ""
      : lang === "zh"
        ? `${n} 次（${p.rule.compare === "more than" ? "超过" : "达到"} ${p.rule.threshold} 次）：`
        : `${n} times (${p.rule.compare} ${p.rule.threshold}): `;
  const joint = p.joint ? (lang === "zh" ? "连带责任；" : "joint liability; ") : "";
  const sep = lang === "zh" ? "；" : "; ";
  const ex = p.excused.length
    ? lang === "zh"
      ? `；不计：${p.excused.map((x) => excusedText(x, lang)).join(sep)}`
      : `; not counted: ${p.excused.map((x) => excusedText(x, lang)).join(sep)}`
    : "";
  return joint + head + p.triggers.map((t) => triggerText(t, lang)).join(sep) + ex;
}
