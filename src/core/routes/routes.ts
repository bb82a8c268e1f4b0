/**
 * Card types and their routes of sign-offs, as data (Routes / 审批路线, one row per step):
 * per type, ordered steps; a step names one role or several — any one of them signs (或签) —
 * or requires all of them (会签), may hold only under a condition over the card's columns, may
 * have a time limit in business days, and a role to escalate to when the limit has passed.
 *
 * - `routeFor(card, routes)`: the steps that apply to the card, in order.
 * - `routeProgress(steps, signatures, start)`: which steps are signed by whom, the step the
 *   card is at and since when; `nextStep` is that step.
 * - `withFollowed(followed, current, signatures)`: a route change applies only to the steps a
 *   card has not passed yet; the route the card followed so far is what its log recorded
 *   (`routeNote` writes it, `parseRouteNote` reads it back).
 * - `stepEscalation(cal, progress, at)`: when the step at hand was due, and whether it is late.
 *
 * Roles are keys: the six of seed 000 (`Planner`, `Manager`, …) or any other word a route uses
 * (客户总监, 营销副总裁 …: core/routes/roles.ts).
 */
import type { BusinessCalendar } from "../calendar";
import type { Card, StaffMember } from "../model";
import { activeWithRole, activeWithRoleWord } from "../people";
import type { Condition } from "./condition";
import { holds } from "./condition";
import { keptPerWord, roleKeyOf, roleText } from "./roles";

/** The type of a card with no Type: the proposal process of seed 000. */
export const PROPOSAL = "策划提案";
export const WORK_ORDER = "工单";
export const CLIENT_EVENT = "客户活动";

/** The built-in types' words in both languages (a type the center adds is its own word). */
export const TYPE_WORDS: Record<string, { zh: string; en: string }> = {
  [PROPOSAL]: { zh: PROPOSAL, en: "Proposal" },
  [WORK_ORDER]: { zh: WORK_ORDER, en: "Work order" },
  [CLIENT_EVENT]: { zh: CLIENT_EVENT, en: "Client event" },
};

const typeKeyOfWord = keptPerWord(workOutTypeKey);

/** The canonical name of a type as a cell writes it: empty is 策划提案; the built-ins' English words read as their Chinese. */
export function typeKey(text: string | undefined): string {
  return typeKeyOfWord(text ?? "");
}

function workOutTypeKey(text: string): string {
  const t = text.trim();
  if (!t) return PROPOSAL;
  const hit = Object.entries(TYPE_WORDS).find(([, w]) => w.zh === t || w.en.toLowerCase() === t.toLowerCase());
  return hit ? hit[0] : t;
}

export const typeText = (key: string, lang: "zh" | "en"): string => TYPE_WORDS[key]?.[lang] ?? key;

export interface RouteStep {
  /** The card type (canonical: typeKey). */
  type: string;
  /** Its number: steps run in this order. */
  step: number;
  /** Role keys: any one signs (或签), or every one when `all` (会签). */
  roles: string[];
  all: boolean;
  condition?: Condition;
  /** The condition as written, for messages and the log. */
  conditionText?: string;
  /** Business days the step may take. */
  limit?: number;
  /** Role key told when the limit has passed. */
  escalate?: string;
  /** Its condition could not be read (a finding names the cell): the step applies to every card of the type. */
  unreadable?: boolean;
}

/** The rows `init` writes (seeds 000, 002, 003), roles as keys, conditions as text. */
export interface RouteRowDef {
  type: string;
  step: number;
  roles: string[];
  all: boolean;
  /** As `init` writes it in a Chinese and in an English workbook. */
  condition?: { zh: string; en: string };
  limit?: number;
  escalate?: string;
  note?: string;
}

const BIG_EVENT = { zh: "人数>300 或 预算>100000 或 重点项目=是", en: "Headcount > 300 OR Budget > 100000 OR Key = Yes" };

export const DEFAULT_ROUTES: readonly RouteRowDef[] = [
  { type: PROPOSAL, step: 1, roles: ["Planner"], all: false, note: "000: 执行策划签字" },
  { type: PROPOSAL, step: 2, roles: ["Manager", "Assistant Manager"], all: false, note: "000: 中心经理/经理助理签字" },
  { type: PROPOSAL, step: 3, roles: ["Director"], all: false, note: "000: 中心总监签字" },
  {
    type: WORK_ORDER,
    step: 1,
    roles: ["客户总监", "客户主管"],
    all: true,
    limit: 1,
    escalate: "Director",
    note: "002: 客户总监及客户部主管签字批准",
  },
  { type: CLIENT_EVENT, step: 1, roles: ["Manager", "Assistant Manager"], all: false, limit: 1, escalate: "Director" },
  {
    type: CLIENT_EVENT,
    step: 2,
    roles: ["总部"],
    all: false,
    condition: { zh: "计划内=否", en: "Planned = No" },
    limit: 3,
    escalate: "Director",
    note: "003: 计划外活动须报集团客户服务中心审批",
  },
  {
    type: CLIENT_EVENT,
    step: 3,
    roles: ["集团审核"],
    all: false,
    condition: BIG_EVENT,
    limit: 3,
    escalate: "Director",
    note: "003: 大型活动方案经集团审核",
  },
  {
    type: CLIENT_EVENT,
    step: 4,
    roles: ["营销副总裁"],
    all: false,
    condition: BIG_EVENT,
    limit: 3,
    escalate: "Director",
    note: "003: 营销主管副总裁审批",
  },
  { type: CLIENT_EVENT, step: 5, roles: ["Director"], all: false, limit: 1 },
];

/** The steps of the card's type whose condition holds for the card, in step order. */
export function routeFor(card: Card, routes: readonly RouteStep[]): RouteStep[] {
  const type = typeKey(card.type);
  // A type none of whose rows has a condition has one route whatever the card: sorted once per Routes table and kept.
  let byType = PLAIN_ROUTES.get(routes);
  if (!byType) PLAIN_ROUTES.set(routes, (byType = new Map()));
  let plain = byType.get(type);
  if (plain === undefined) {
    const rows = routes.filter((r) => r.type === type);
    plain = rows.some((r) => r.condition) ? null : rows.sort((a, b) => a.step - b.step);
    byType.set(type, plain);
  }
  if (plain) return [...plain];
  return routes.filter((r) => r.type === type && (!r.condition || holds(r.condition, card))).sort((a, b) => a.step - b.step);
}
/** Each Routes table's route by type for the types without a condition (`null`: a type with one). */
const PLAIN_ROUTES = new WeakMap<readonly RouteStep[], Map<string, RouteStep[] | null>>();

/**
 * The types (type keys) of which some Routes row sets a time limit. A card's current step is
 * always one of its own type's rows (`withFollowed` keeps only signed steps of a recorded route),
 * so a card of any other type has no step that can run past a limit. Once per Routes table.
 */
export function typesWithLimits(routes: readonly RouteStep[]): ReadonlySet<string> {
  let types = LIMITED_TYPES.get(routes);
  if (!types) LIMITED_TYPES.set(routes, (types = new Set(routes.filter((r) => r.limit !== undefined).map((r) => r.type))));
  return types;
}
const LIMITED_TYPES = new WeakMap<readonly RouteStep[], ReadonlySet<string>>();

/** Does the Routes table have any step for the card's type? (A card of a type it does not name is a finding.) */
export const knownType = (card: Card, routes: readonly RouteStep[]): boolean => routes.some((r) => r.type === typeKey(card.type));

/** A signature as the log holds it: who signed, in which role (a key), when, and the step number it was written for. */
export interface Signature {
  actor: string;
  role: string;
  time: number;
  step?: number;
}

export interface StepState {
  step: RouteStep;
  /** The signatures that count for this step, in order. */
  signed: Signature[];
  /** Roles still to sign: every role not yet signed for 会签; all roles, or none, for 或签. */
  missing: string[];
  done: boolean;
  /** When the step became the one due (the previous step's last signature, or the route's start). */
  since?: number;
  /** When the step was completed. */
  doneAt?: number;
}

export interface RouteProgress {
  steps: StepState[];
  /** Index of the step at hand; steps.length when every step is signed. */
  current: number;
  /** When the step at hand became due (undefined when the route is complete, or has not started). */
  since?: number;
  /** Signatures that fit no step when they were made (a role the step does not name, a step already complete). */
  stray: Signature[];
}

/**
 * Fills the steps with the signatures, in time order. A signature counts for the step at hand
 * when its role is one of the step's roles (and, for 会签, that role has not signed yet); it
 * completes a 或签 step, and a 会签 step when it is the last role missing. Anything else is stray.
 * A signature that recorded its step number counts only for that step. `start` is when the route
 * began (the brief reaching the secretary, for proposals).
 */
export function routeProgress(steps: readonly RouteStep[], signatures: readonly Signature[], start?: number): RouteProgress {
  const states: StepState[] = steps.map((step) => ({ step, signed: [], missing: [...step.roles], done: false }));
  const stray: Signature[] = [];
  let current = 0;
  if (states.length) states[0].since = start;
  const sorted = [...signatures].sort((a, b) => a.time - b.time);
  for (const sig of sorted) {
    const st = states[current];
    if (!st || (sig.step !== undefined && sig.step !== st.step.step) || !st.missing.includes(sig.role)) {
      stray.push(sig);
      continue;
    }
    st.signed.push(sig);
    st.missing = st.step.all ? st.missing.filter((r) => r !== sig.role) : [];
    if (st.missing.length === 0) {
      st.done = true;
      st.doneAt = sig.time;
      current++;
      if (states[current]) states[current].since = sig.time;
    }
  }
  return { steps: states, current, since: states[current]?.since, stray };
}

/** The step the card waits for, or undefined when every step is signed. */
export function nextStep(steps: readonly RouteStep[], signatures: readonly Signature[], start?: number): StepState | undefined {
  const p = routeProgress(steps, signatures, start);
  return p.steps[p.current];
}

/**
 * The route a card goes on when the rows changed after it started: the steps it has passed as
 * it followed them (`followed`, from its log), then the current route's steps after the last one
 * passed. A change applies to the step at hand and those after it, never to a step already signed.
 */
export function withFollowed(
  followed: readonly RouteStep[],
  current: readonly RouteStep[],
  signatures: readonly Signature[],
  start?: number,
): RouteStep[] {
  const p = routeProgress(followed, signatures, start);
  const passed = followed.slice(0, p.current);
  const last = passed.length ? passed[passed.length - 1].step : -Infinity;
  return [...passed, ...current.filter((s) => s.step > last)];
}

/** Who may sign a role on a card (before AB-role backups): the Register's people for the six roles, Staff for any other. */
export function holdersOf(role: string, card: Card, staff: readonly StaffMember[]): string[] {
  // Staff's answers are looked up once per Staff list (core/people.ts); each caller gets its own list.
  switch (role) {
    case "Planner":
      return card.lead ? [card.lead] : [];
    case "AE":
      return card.ae ? [card.ae] : [];
    case "Manager":
    case "Assistant Manager":
      return card.reviewer ? [card.reviewer] : [...activeWithRole(staff, "Manager", "Assistant Manager")];
    case "Secretary":
      return card.secretary ? [card.secretary] : [...activeWithRole(staff, "Secretary")];
    case "Director":
      return [...activeWithRole(staff, "Director")];
    default:
      return [...activeWithRoleWord(staff, role)];
  }
}

export interface Escalation {
  step: StepState;
  /** When the step was due: its start plus its limit in business days. */
  due: number;
  /** Business days late at `at`. */
  late: number;
  /** The role told besides the people waited for. */
  escalate?: string;
}

/** The step at hand's due time, when it has a limit and a start; `late` is 0 until it has passed. */
export function stepEscalation(cal: BusinessCalendar, progress: RouteProgress, at: number): Escalation | undefined {
  const st = progress.steps[progress.current];
  if (!st || st.step.limit === undefined || st.since === undefined) return undefined;
  const due = cal.addBusinessDays(st.since, st.step.limit);
  const late = at > due ? Math.max(0, cal.businessDaysBetween(due, at)) : 0;
  return { step: st, due, late, escalate: st.step.escalate };
}

/** A step's roles as written: `经理/经理助理` (或签), `客户总监+客户主管` (会签). */
export const stepRolesText = (step: Pick<RouteStep, "roles" | "all">, lang: "zh" | "en"): string =>
  step.roles.map((r) => roleText(r, lang)).join(step.all ? "+" : "/");

/**
 * The log's note for the route a card follows: `路线 客户活动：1 经理/经理助理 → 3 集团审核 → 5 总监`
 * (`Route Client event: 1 Manager/Assistant Manager → …`). Written when the route starts and
 * whenever it changes; `parseRouteNote` reads it back.
 */
export function routeNote(type: string, steps: readonly RouteStep[], lang: "zh" | "en"): string {
  const body = steps.map((s) => `${s.step} ${stepRolesText(s, lang)}`).join(" → ");
  return lang === "zh" ? `路线 ${typeText(type, "zh")}：${body}` : `Route ${typeText(type, "en")}: ${body}`;
}

/**
 * The route a log note recorded (either language), or undefined when it records none. The route
 * may be one part of a note (`1/2 客户总监；路线 工单：…`, `代 王芳；路线 …；意见：…`): parts are cut at ；/;.
 */
export function parseRouteNote(note: string | undefined): { type: string; steps: RouteStep[] } | undefined {
  for (const part of (note ?? "").split(/[；;]/)) {
    const r = parseRoutePart(part);
    if (r) return r;
  }
  return undefined;
}

function parseRoutePart(note: string): { type: string; steps: RouteStep[] } | undefined {
  const m = /^(?:路线|Route)\s+(.+?)\s*[：:]\s*(.+)$/.exec(note.trim());
  if (!m) return undefined;
  const type = typeKey(m[1]);
  const steps: RouteStep[] = [];
  for (const part of m[2].split("→")) {
    const s = /^\s*(\d+)\s+(.+?)\s*$/.exec(part);
    if (!s) return undefined;
    const all = s[2].includes("+");
    const roles = s[2].split(all ? "+" : "/").map((w) => roleKeyOf(w));
    steps.push({ type, step: Number(s[1]), roles, all });
  }
  return { type, steps };
}
