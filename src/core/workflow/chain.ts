/**
 * What the log says about a card that the Register has no column for. The log is the record:
 *
 * - **撤销**: a withdraw row names the row it withdrew by its hash; both then count as if they
 *   had never happened (`effectiveLog`), so a withdrawn signature is no signature, a withdrawn
 *   加签 adds no one, a withdrawn 转交 hands nothing over.
 * - **The countersign chain** (`countersignChain`): the round that started with the card's last
 *   brief (a returned brief starts again from scratch), its three steps in domain.md's order
 *   (planner → manager **or** assistant → director), plus the signers added by 加签 before or
 *   after the step that was pending then, with who holds each step: the Register's people for
 *   the base steps (so a new lead after 转交 signs the planner's step), the person a signature
 *   was handed over to by 转交会签. Signatures fill the steps in order; the card is countersigned
 *   when every step has one.
 */
import type { Card, LogEntry, Role, StaffMember } from "../model";
import { activeWithRole } from "../people";
import { parseAddSigner, parseChase, parseCopy, parseExcuse, parseHandOverSign, parseWithdrawn } from "./notes";
import { Stage, parseStage } from "./stages";
import { NOTE_ACTIONS, Text, actionOf } from "./words";

/** The countersign steps of domain.md, in order: who signs each. */
export const COUNTERSIGN_STEPS: readonly { roles: Role[]; text: Text }[] = [
  { roles: ["Planner"], text: { zh: "策划", en: "Planner" } },
  { roles: ["Manager", "Assistant Manager"], text: { zh: "经理或经理助理", en: "Manager or assistant" } },
  { roles: ["Director"], text: { zh: "总监", en: "Director" } },
];

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
  /** A step of domain.md's order, or a signer added by 加签. */
  kind: "base" | "added";
  /** For a base step, its index in COUNTERSIGN_STEPS. */
  base?: number;
  text: Text;
  /** The role written in the log when it is signed. */
  role: Role | "";
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
  /** The index of the step whose signature is due; steps.length when every step is signed. */
  current: number;
}

const roleOf = (staff: readonly StaffMember[], n: string): Role | "" => staff.find((s) => s.name === n)?.role ?? "";

/** The card's countersign chain as the log and the Register make it now. */
export function countersignChain(card: Card, ctx: { staff: readonly StaffMember[]; log: readonly LogEntry[] }): Chain {
  const rows = effectiveLog(card.cardNo, ctx.log);
  let start = 0;
  rows.forEach((e, i) => {
    const a = actionOf(e);
    if (a === "brief" || a === "return") start = i + 1;
  });
  const steps: SignStep[] = COUNTERSIGN_STEPS.map((s, base) => {
    const holders = s.roles.includes("Planner")
      ? card.lead
        ? [card.lead]
        : []
      : s.roles.includes("Director")
        ? activeWithRole(ctx.staff, "Director")
        : card.reviewer
          ? [card.reviewer]
          : activeWithRole(ctx.staff, ...s.roles);
    return { kind: "base", base, text: s.text, role: s.roles.includes("Planner") ? "Planner" : s.roles.includes("Director") ? "Director" : "Manager", holders };
  });
  let current = 0;
  for (const e of rows.slice(start)) {
    const a = actionOf(e);
    if (a === "sign") {
      if (current < steps.length) {
        steps[current].signedBy = e.actor;
        steps[current].signedAt = e.time;
        current++;
      }
    } else if (a === "addSigner") {
      const p = parseAddSigner(e);
      if (!p || current >= steps.length) continue;
      steps.splice(p.position === "before" ? current : current + 1, 0, {
        kind: "added",
        text: { zh: `加签 ${p.who}`, en: `added: ${p.who}` },
        role: roleOf(ctx.staff, p.who),
        holders: [p.who],
        addedBy: e.actor,
      });
    } else if (a === "handOverSign") {
      const p = parseHandOverSign(e);
      if (!p || current >= steps.length) continue;
      steps[current] = { ...steps[current], handedFrom: steps[current].holders.join("/"), holders: [p.to], role: roleOf(ctx.staff, p.to) };
    }
  }
  return { steps, current };
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
    if (e.actor) open = open.filter((c) => c.to !== e.actor);
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
export function openChases(cardNo: string, log: readonly LogEntry[], stageNow: Stage): { to: string; stage: Stage | undefined; row: LogEntry }[] {
  let open: { to: string; stage: Stage | undefined; row: LogEntry }[] = [];
  for (const e of cardLog(cardNo, log)) {
    if (e.actor) open = open.filter((c) => c.to !== e.actor);
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
    if (e.actor && e.actor === card.lead) open = [];
    const a = actionOf(e);
    if ((a === "sendBack" || a === "return") && e.actor !== card.lead) open.push(e);
  }
  return open;
}

/** The card's excused deadlines (免责 rows that still count), by deadline id, with who excused it, when and why. */
export function excusesOf(cardNo: string, log: readonly LogEntry[]): Map<string, { by?: string; time?: number; reason: string }> {
  const out = new Map<string, { by?: string; time?: number; reason: string }>();
  for (const e of effectiveLog(cardNo, log)) {
    if (actionOf(e) !== "excuse") continue;
    const p = parseExcuse(e);
    if (p) out.set(p.deadline, { by: e.actor, time: e.time, reason: p.reason });
  }
  return out;
}
