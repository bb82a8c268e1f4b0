/**
 * What the log says about a card that the Register has no column for. The log is the record:
 *
 * - **撤销**: a withdraw row names the row it withdrew by its hash; both then count as if they
 *   had never happened (`effectiveLog`), so a withdrawn signature is no signature, a withdrawn
 *   加签 adds no one, a withdrawn 转交 hands nothing over.
 * - **The countersign chain** (`countersignChain`): the round that started with the card's last
 *   brief (a returned brief starts again from scratch), the steps of the card type's route
 *   (core/routes; for 策划提案 domain.md's planner → manager **or** assistant → director, a 会签
 *   step one chain step per role, signed in any order), plus the signers added by 加签 before or
 *   after the step that was pending then, with who holds each step: the Register's people for
 *   the base steps (so a new lead after 转交 signs the planner's step), the person a signature
 *   was handed over to by 转交会签. Signatures fill the steps in order; the card is countersigned
 *   when every step has one.
 */
import type { Card, LogEntry, Role, StaffMember } from "../model";
import { staffMember } from "../people";
import { CardRoute, cardRoute } from "../routes/card";
import { roleKeyOf, roleText } from "../routes/roles";
import { PROPOSAL, RouteStep, holdersOf } from "../routes/routes";
import { parseAddSigner, parseChase, parseCopy, parseExcuse, parseHandOverSign, parseOnBehalfOf, parseWithdrawn } from "./notes";
import { Stage, parseStage } from "./stages";
import { NOTE_ACTIONS, Text, actionOf } from "./words";

/** The countersign steps of domain.md, in order: who signs each (the 策划提案 route's default rows, with their words in the log). */
export const COUNTERSIGN_STEPS: readonly { roles: Role[]; text: Text }[] = [
  { roles: ["Planner"], text: { zh: "策划", en: "Planner" } },
  { roles: ["Manager", "Assistant Manager"], text: { zh: "经理或经理助理", en: "Manager or assistant" } },
  { roles: ["Director"], text: { zh: "总监", en: "Director" } },
];

/** The proposal's steps as route steps: the chain of a card when the caller has no Routes table. */
const PROPOSAL_STEPS: readonly RouteStep[] = COUNTERSIGN_STEPS.map((s, i) => ({
  type: PROPOSAL,
  step: i + 1,
  roles: [...s.roles],
  all: false,
}));

/** Is this the proposal's route of domain.md (the default rows): its log keeps today's words, with no route note. */
export const isDefaultProposal = (type: string, steps: readonly RouteStep[]): boolean =>
  type === PROPOSAL &&
  steps.length === COUNTERSIGN_STEPS.length &&
  steps.every(
    (s, i) =>
      !s.all && s.roles.length === COUNTERSIGN_STEPS[i].roles.length && s.roles.every((r, j) => r === COUNTERSIGN_STEPS[i].roles[j]),
  );

/** The card's rows, in log order. */
export const cardLog = (cardNo: string, log: readonly LogEntry[]): LogEntry[] => log.filter((e) => e.cardNo === cardNo);

/** The hashes of the card's rows that a later 撤销 withdrew. */
export function withdrawnHashes(rows: readonly LogEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of rows) {
    if (actionOf(e) !== "withdraw") continue;
    const h = parseWithdrawn(e);
    if (h) out.add(h);
  }
  return out;
}

/** The card's rows that still count: without the withdrawn rows and the 撤销 rows themselves. */
export function effectiveLog(cardNo: string, log: readonly LogEntry[]): LogEntry[] {
  const rows = cardLog(cardNo, log);
  const gone = withdrawnHashes(rows);
  return rows.filter((e) => actionOf(e) !== "withdraw" && !(e.hash && gone.has(e.hash)));
}

/** The card's last step that counts (not a comment, copy, 已阅 or 催办): what 撤销 would withdraw. */
export function lastStep(cardNo: string, log: readonly LogEntry[]): LogEntry | undefined {
  const rows = effectiveLog(cardNo, log);
  for (let i = rows.length - 1; i >= 0; i--) {
    const a = actionOf(rows[i]);
    if (!a || !NOTE_ACTIONS.has(a)) return rows[i];
  }
  return undefined;
}

export interface SignStep {
  /** A step of the card's route, or a signer added by 加签. */
  kind: "base" | "added";
  /** For a base step, the index of its route step in the route (a 会签 step is one chain step per role, all with this index). */
  base?: number;
  /** For a base step, the route step it belongs to. */
  step?: RouteStep;
  text: Text;
  /** The role written in the log when it is signed (a role key: core/routes/roles). */
  role: string;
  /** Who may sign it (any one of them: an or-sign), before AB-role backups. */
  holders: string[];
  /** Whom it was handed over from (转交会签). */
  handedFrom?: string;
  /** Who added it (加签). */
  addedBy?: string;
  signedBy?: string;
  signedAt?: number;
}

export interface Chain {
  steps: SignStep[];
  /** The index of the first step whose signature is due; steps.length when every step is signed. */
  current: number;
  /** The indexes of the steps that may be signed now: the current one, or every unsigned role of the 会签 step at hand. */
  due: number[];
  /** The card's route (core/routes cardRoute), when the caller gave the Routes table. */
  route?: CardRoute;
}

const roleOf = (staff: readonly StaffMember[], n: string): string => {
  const s = staffMember(staff, n);
  return s?.role ?? (s?.customRole !== undefined ? roleKeyOf(s.customRole) : "");
};

/** The words of an or-sign step: today's words for the proposal's steps, else its roles joined by 或 / or. */
function stepWords(roles: readonly string[]): Text {
  const known = COUNTERSIGN_STEPS.find((s) => s.roles.length === roles.length && s.roles.every((r, i) => r === roles[i]));
  if (known) return known.text;
  return { zh: roles.map((r) => roleText(r, "zh")).join("或"), en: roles.map((r) => roleText(r, "en")).join(" or ") };
}

/** stepWords of a route step's roles, once per step of the Routes table (every card of a type shares its steps). */
const WORDS_OF = new WeakMap<readonly string[], Text>();
function wordsOf(roles: readonly string[]): Text {
  let words = WORDS_OF.get(roles);
  if (!words) WORDS_OF.set(roles, (words = stepWords(roles)));
  return words;
}

/** The chain steps of the route's steps: one per or-sign (或签) step, one per role of a 会签 step. */
function baseSteps(card: Card, route: readonly RouteStep[], staff: readonly StaffMember[]): SignStep[] {
  const out: SignStep[] = [];
  route.forEach((step, base) => {
    if (step.all)
      for (const role of step.roles)
        out.push({
          kind: "base",
          base,
          step,
          text: { zh: roleText(role, "zh"), en: roleText(role, "en") },
          role,
          holders: holdersOf(role, card, staff),
        });
    else
      out.push({
        kind: "base",
        base,
        step,
        text: wordsOf(step.roles),
        role: step.roles[0] ?? "",
        holders: [...new Set(step.roles.flatMap((r) => holdersOf(r, card, staff)))],
      });
  });
  return out;
}

/** The steps signable now: the first unsigned one, and with it the other unsigned roles of its 会签 step (until a step added by 加签). */
function dueSteps(steps: readonly SignStep[]): number[] {
  const first = steps.findIndex((s) => s.signedBy === undefined);
  if (first < 0) return [];
  const head = steps[first];
  if (head.kind !== "base" || !head.step?.all) return [first];
  const out: number[] = [];
  for (let i = first; i < steps.length && steps[i].kind === "base" && steps[i].base === head.base; i++)
    if (steps[i].signedBy === undefined) out.push(i);
  return out;
}

/**
 * The card's countersign chain as the log and the Register make it now: the steps of its route
 * (`routes`: the Routes table; without it, the proposal's three steps), the signers 加签 added,
 * the signatures 转交会签 handed over. A signature fills the step at hand; in a 会签 step, the
 * role its row names (else the role its signer holds), in any order.
 */
export function countersignChain(
  card: Card,
  ctx: { staff: readonly StaffMember[]; log: readonly LogEntry[]; routes?: readonly RouteStep[]; chainMemo?: ChainMemo },
): Chain {
  const memo = ctx.chainMemo;
  if (memo?.chain && memo.card === card && memo.log === ctx.log) return memo.chain;
  const chain = workOutChain(card, ctx);
  if (memo) Object.assign(memo, { card, log: ctx.log, chain });
  return chain;
}

/** The card's route as its chain has it when the chain is worked out already (the memo), else worked out alone (not the chain). */
export function routeOfCard(
  card: Card,
  ctx: { staff: readonly StaffMember[]; log: readonly LogEntry[]; routes?: readonly RouteStep[]; chainMemo?: ChainMemo },
): CardRoute | undefined {
  const memo = ctx.chainMemo;
  if (memo?.chain && memo.card === card && memo.log === ctx.log) return memo.chain.route;
  return ctx.routes ? cardRoute(card, { routes: ctx.routes, log: ctx.log, staff: ctx.staff }) : undefined;
}

/**
 * Where a context made for one card at one moment (core/workflow/inbox.ts `cardContext`) keeps
 * that card's chain: My work asks for it several times per card (whose step, may I, the step's
 * words, a step past its limit), and it is worked out once. Only for the same card and log.
 */
export interface ChainMemo {
  card?: Card;
  log?: readonly LogEntry[];
  chain?: Chain;
}

function workOutChain(card: Card, ctx: { staff: readonly StaffMember[]; log: readonly LogEntry[]; routes?: readonly RouteStep[] }): Chain {
  const rows = effectiveLog(card.cardNo, ctx.log);
  let start = 0;
  rows.forEach((e, i) => {
    const a = actionOf(e);
    if (a === "brief" || a === "return") start = i + 1;
  });
  const route = ctx.routes ? cardRoute(card, { routes: ctx.routes, log: ctx.log, staff: ctx.staff }) : undefined;
  const steps = baseSteps(card, route ? route.steps : PROPOSAL_STEPS, ctx.staff);
  for (const e of rows.slice(start)) {
    const a = actionOf(e);
    const due = dueSteps(steps);
    if (!due.length) continue;
    if (a === "sign") {
      const role = roleKeyOf(e.role ?? "");
      const at = due.find((i) => steps[i].role === role) ?? due.find((i) => !!e.actor && steps[i].holders.includes(e.actor)) ?? due[0];
      steps[at].signedBy = e.actor;
      steps[at].signedAt = e.time;
    } else if (a === "addSigner") {
      const p = parseAddSigner(e);
      if (!p) continue;
      steps.splice(p.position === "before" ? due[0] : due[due.length - 1] + 1, 0, {
        kind: "added",
        text: { zh: `加签 ${p.who}`, en: `added: ${p.who}` },
        role: roleOf(ctx.staff, p.who),
        holders: [p.who],
        addedBy: e.actor,
      });
    } else if (a === "handOverSign") {
      const p = parseHandOverSign(e);
      if (!p) continue;
      const at = due.includes(p.step - 1) ? p.step - 1 : due[0];
      steps[at] = { ...steps[at], handedFrom: steps[at].holders.join("/"), holders: [p.to], role: roleOf(ctx.staff, p.to) };
    }
  }
  const due = dueSteps(steps);
  return { steps, current: due.length ? due[0] : steps.length, due, route };
}

/** The signatures of the current countersign round (after the last brief or return), withdrawn ones left out. */
export function signatures(cardNo: string, log: readonly LogEntry[]): LogEntry[] {
  const out: LogEntry[] = [];
  for (const e of effectiveLog(cardNo, log)) {
    const a = actionOf(e);
    if (a === "brief" || a === "return") out.length = 0;
    else if (a === "sign") out.push(e);
  }
  return out;
}

/**
 * The card's copies (抄送) not yet acknowledged: a copy is acknowledged by any later row of the
 * person copied on that card — their 已阅, a comment, a step of theirs.
 */
export function openCopies(cardNo: string, log: readonly LogEntry[]): { to: string; row: LogEntry }[] {
  let open: { to: string; row: LogEntry }[] = [];
  for (const e of cardLog(cardNo, log)) {
    if (e.actor && open.length) open = open.filter((c) => c.to !== e.actor);
    if (actionOf(e) === "copy") {
      const p = parseCopy(e);
      if (p) open.push({ to: p.to, row: e });
    }
  }
  return open;
}

/**
 * The card's chases (催办) still open: a chase closes when the person chased writes anything on
 * the card after it (their step, a comment, 已阅), or when the card has left the stage it was
 * in when they were chased (`stageNow`; someone else did the step).
 */
export function openChases(
  cardNo: string,
  log: readonly LogEntry[],
  stageNow: Stage,
): { to: string; stage: Stage | undefined; row: LogEntry }[] {
  let open: { to: string; stage: Stage | undefined; row: LogEntry }[] = [];
  for (const e of cardLog(cardNo, log)) {
    if (e.actor && open.length) open = open.filter((c) => c.to !== e.actor);
    if (actionOf(e) === "chase") {
      const p = parseChase(e);
      if (p) open.push({ to: p.to, stage: parseStage(p.stage), row: e });
    }
  }
  return open.filter((c) => c.stage === undefined || c.stage === stageNow);
}

/**
 * The card's returns (退回修改, 退回需求单) to its lead not yet read: read by any later row of
 * the lead's on the card (已阅, a comment, a step).
 */
export function openReturns(card: Card, log: readonly LogEntry[]): LogEntry[] {
  let open: LogEntry[] = [];
  for (const e of effectiveLog(card.cardNo, log)) {
    if (e.actor && e.actor === card.lead && open.length) open = [];
    const a = actionOf(e);
    if ((a === "sendBack" || a === "return") && e.actor !== card.lead) open.push(e);
  }
  return open;
}

/** One 免责 row: the deadline, who wrote it (for whom, as a backup), when and why. */
export interface ExcuseRow {
  deadline: string;
  by?: string;
  onBehalfOf?: string;
  time?: number;
  reason: string;
}

/**
 * The card's excused deadlines (免责 rows that still count), by deadline id, with who excused it,
 * when and why. `counts`: whether a row stands (rules/excuses.ts: a row written against the rule —
 * one's own miss, typed into the log by hand — is passed over, as if it were not there).
 */
export function excusesOf(
  cardNo: string,
  log: readonly LogEntry[],
  counts?: (row: ExcuseRow) => boolean,
): Map<string, Omit<ExcuseRow, "deadline">> {
  const out = new Map<string, Omit<ExcuseRow, "deadline">>();
  for (const e of effectiveLog(cardNo, log)) {
    if (actionOf(e) !== "excuse") continue;
    const p = parseExcuse(e);
    if (!p) continue;
    const row: ExcuseRow = { deadline: p.deadline, by: e.actor, onBehalfOf: parseOnBehalfOf(e), time: e.time, reason: p.reason };
    if (counts && !counts(row)) continue;
    const { deadline, ...rest } = row;
    out.set(deadline, rest);
  }
  return out;
}
