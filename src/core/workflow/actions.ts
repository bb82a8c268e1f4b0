/**
 * What each action does, who may do it and when (domain.md, 总体流程 000), as data:
 * `ACTIONS` lists, for every action, the stages it applies in, the people allowed (by
 * their role on the card or in Staff) and the Register date it stamps. `decide` checks one
 * action for one person and returns the effect to write, or the reason it is refused.
 *
 * Countersign order is planner → manager **or** assistant manager → director
 * (`COUNTERSIGN_STEPS`). The director reviews key projects, a major client revision after
 * sending, and every proposal when Settings say so. An AB-role backup (Staff) may act for
 * the person they back up; the log then says "on behalf of".
 */
import { formatSerial } from "../calendar";
import type { Card, Incident, IncidentKind, Intake, LogEntry, Revision, RevisionReason, Role, StaffMember } from "../model";
import { activeWithRole, onlyActive } from "../people";
import type { Settings } from "../settings";
import { STAGE_WORDS, Stage, pendingMajorRevision, stageOf } from "./stages";

export type ActionId =
  | "issue"
  | "assign"
  | "reply"
  | "brief"
  | "sign"
  | "return"
  | "startWriting"
  | "framework"
  | "draft"
  | "review"
  | "directorReview"
  | "send"
  | "revision"
  | "relay"
  | "incident"
  | "close"
  | "archive";

type Text = { zh: string; en: string };

/** Who may do an action: a role on the card, or anyone holding a role in Staff. */
export type Who = "secretary" | "leader" | "director" | "lead" | "ae" | "signer" | "contact" | "onCard" | "reviewer";

export interface ActionDef {
  id: ActionId;
  label: Text;
  /** Who may press it, in words for the button's tooltip. */
  whoText: Text;
  who: Who[];
  stages: Stage[];
  /** The Register date this action stamps with the time it is done. */
  stamps?: keyof Card;
  /** The stage the card is in afterwards. */
  to?: Stage;
}

const W = {
  secretary: { zh: "秘书", en: "the secretary" },
  leader: { zh: "经理或经理助理", en: "the manager or assistant manager" },
  director: { zh: "总监", en: "the director" },
  lead: { zh: "项目负责人", en: "the project lead" },
  ae: { zh: "本卡 AE", en: "the card's AE" },
};

export const ACTIONS: readonly ActionDef[] = [
  { id: "issue", label: { zh: "开卡（发卡号）", en: "Issue a card number" }, whoText: W.secretary, who: ["secretary"], stages: [] },
  { id: "assign", label: { zh: "指派项目负责人", en: "Assign the lead" }, whoText: { zh: "经理、经理助理或总监", en: "the manager, assistant manager or director" }, who: ["leader", "director"], stages: ["order"], stamps: "assigned" },
  { id: "reply", label: { zh: "已回复客户时间点", en: "Replied to the client" }, whoText: W.ae, who: ["ae"], stages: ["order", "countersign", "communication", "writing"], stamps: "replied" },
  { id: "brief", label: { zh: "提交需求单", en: "Submit the brief" }, whoText: W.lead, who: ["lead"], stages: ["order"], stamps: "brief", to: "countersign" },
  { id: "sign", label: { zh: "会签", en: "Countersign" }, whoText: { zh: "按顺序：策划 → 经理或经理助理 → 总监", en: "in order: planner → manager or assistant → director" }, who: ["signer"], stages: ["countersign"] },
  { id: "return", label: { zh: "退回需求单", en: "Send the brief back" }, whoText: { zh: "当前会签人", en: "the person whose signature is due" }, who: ["signer"], stages: ["countersign"], to: "order" },
  { id: "startWriting", label: { zh: "需求沟通完成，开始撰写", en: "Communication done: start writing" }, whoText: W.lead, who: ["lead"], stages: ["communication"], to: "writing" },
  { id: "framework", label: { zh: "提交框架", en: "Submit the framework" }, whoText: W.lead, who: ["lead"], stages: ["communication", "writing"], stamps: "framework", to: "writing" },
  { id: "draft", label: { zh: "提交初稿", en: "Submit the first draft" }, whoText: W.lead, who: ["lead"], stages: ["writing"], stamps: "draft", to: "review" },
  { id: "review", label: { zh: "审核通过（一审）", en: "Pass the review" }, whoText: { zh: "本卡审核人（空：经理或经理助理）", en: "the card's reviewer (empty: manager or assistant)" }, who: ["reviewer"], stages: ["review"], stamps: "reviewed" },
  { id: "directorReview", label: { zh: "总监审核通过", en: "Director passes the review" }, whoText: W.director, who: ["director"], stages: ["review"], stamps: "directorReviewed" },
  { id: "send", label: { zh: "发送客户", en: "Send to the client" }, whoText: { zh: "与客户沟通最多的人（通常为项目负责人）", en: "whoever talks to the client (normally the lead)" }, who: ["contact"], stages: ["review"], stamps: "sent", to: "sent" },
  { id: "revision", label: { zh: "记录修改", en: "Record a revision" }, whoText: { zh: "本卡人员", en: "people on the card" }, who: ["onCard", "leader", "director"], stages: ["writing", "review", "sent"] },
  { id: "relay", label: { zh: "已转达修改意见", en: "Relayed the revision" }, whoText: W.ae, who: ["ae"], stages: ["writing", "review", "sent", "closed"] },
  { id: "incident", label: { zh: "记录事件（投诉）", en: "Record an incident" }, whoText: { zh: "秘书、经理、经理助理或总监", en: "the secretary, a manager or the director" }, who: ["secretary", "leader", "director"], stages: ["order", "countersign", "communication", "writing", "review", "sent", "closed", "archived"] },
  { id: "close", label: { zh: "项目结束", en: "Close the project" }, whoText: { zh: "项目负责人或经理", en: "the lead or a manager" }, who: ["lead", "leader"], stages: ["sent"], stamps: "closed", to: "closed" },
  { id: "archive", label: { zh: "文档已交秘书（归档）", en: "Documents archived" }, whoText: W.secretary, who: ["secretary"], stages: ["closed"], stamps: "archived", to: "archived" },
];

export const actionDef = (id: ActionId): ActionDef => ACTIONS.find((a) => a.id === id)!;

/** The countersign steps, in order: who signs each. */
export const COUNTERSIGN_STEPS: readonly { roles: Role[]; text: Text }[] = [
  { roles: ["Planner"], text: { zh: "策划", en: "Planner" } },
  { roles: ["Manager", "Assistant Manager"], text: { zh: "经理/经理助理", en: "Manager/Assistant" } },
  { roles: ["Director"], text: { zh: "总监", en: "Director" } },
];

export interface Context {
  staff: readonly StaffMember[];
  settings: Settings;
  revisions: readonly Revision[];
  log: readonly LogEntry[];
  now: number;
}

/** Does the director have to review this card before it is sent? */
export function needsDirector(card: Card, ctx: Pick<Context, "settings" | "revisions">): boolean {
  return card.key || ctx.settings.directorReviewsAll || pendingMajorRevision(card, ctx.revisions) !== undefined;
}

/** Who sends to the client (domain.md, 方案发送): the director for requests the director took, the reviewer for key projects a manager took, else the lead. */
export function clientContact(card: Card, staff: readonly StaffMember[]): string | undefined {
  if (card.intake === "Director") return onlyActive(staff, "Director") ?? card.lead;
  if (card.intake === "Manager" && card.key && card.reviewer) return card.reviewer;
  return card.lead;
}

/** The signatures of the current countersign round (after the last brief or return). */
export function signatures(cardNo: string, log: readonly LogEntry[]): LogEntry[] {
  const out: LogEntry[] = [];
  for (const e of log) {
    if (e.cardNo !== cardNo) continue;
    if (e.action === "brief" || e.action === "return") out.length = 0;
    else if (e.action === "sign") out.push(e);
  }
  return out;
}

const roleOf = (staff: readonly StaffMember[], name: string): Role | undefined => staff.find((s) => s.name === name)?.role;
const isActive = (staff: readonly StaffMember[], name: string) => staff.some((s) => s.name === name && s.active);

/** The people a `who` names for a card (empty list: anyone with the role in Staff). */
function allowedPeople(who: Who, card: Card | undefined, ctx: Context): { names: string[]; role: Role | "" } {
  const withRole = (...roles: Role[]) => activeWithRole(ctx.staff, ...roles);
  switch (who) {
    case "secretary":
      return { names: card?.secretary ? [card.secretary] : withRole("Secretary"), role: "Secretary" };
    case "leader":
      return { names: withRole("Manager", "Assistant Manager"), role: "Manager" };
    case "director":
      return { names: withRole("Director"), role: "Director" };
    case "lead":
      return { names: card?.lead ? [card.lead] : [], role: "Planner" };
    case "ae":
      return { names: card?.ae ? [card.ae] : card?.initiator ? [card.initiator] : [], role: "AE" };
    case "reviewer":
      return { names: card?.reviewer ? [card.reviewer] : withRole("Manager", "Assistant Manager"), role: "Manager" };
    case "contact": {
      const c = card && clientContact(card, ctx.staff);
      return { names: c ? [c] : [], role: "Planner" };
    }
    case "onCard":
      return { names: card ? [card.initiator, card.ae, card.lead, card.reviewer].filter((x): x is string => !!x) : [], role: "" };
    case "signer": {
      if (!card) return { names: [], role: "" };
      const step = COUNTERSIGN_STEPS[signatures(card.cardNo, ctx.log).length];
      if (!step) return { names: [], role: "" };
      if (step.roles.includes("Planner")) return { names: card.lead ? [card.lead] : [], role: "Planner" };
      if (step.roles.includes("Director")) return { names: withRole("Director"), role: "Director" };
      return { names: card.reviewer ? [card.reviewer] : withRole(...step.roles), role: "Manager" };
    }
  }
}

export interface Permission {
  allowed: boolean;
  /** When allowed as someone's AB-role backup. */
  onBehalfOf?: string;
  /** The role acted in, for the log. */
  role: string;
  /** Why not, when not allowed. */
  reason?: Text;
}

/** May `actor` do `action` on `card` now? */
export function permission(action: ActionId, card: Card | undefined, actor: string, ctx: Context): Permission {
  const def = actionDef(action);
  const roleText = roleOf(ctx.staff, actor) ?? "";
  if (!isActive(ctx.staff, actor)) return { allowed: false, role: roleText, reason: { zh: `“${actor}”不是人员表中的在职人员`, en: `"${actor}" is not an active person in Staff` } };
  if (card && def.stages.length) {
    const stage = stageOf(card, ctx.revisions);
    if (!def.stages.includes(stage)) return { allowed: false, role: roleText, reason: stageReason(def, stage) };
  }
  const guard = card ? extraGuard(action, card, ctx) : undefined;
  if (guard) return { allowed: false, role: roleText, reason: guard };
  for (const who of def.who) {
    const { names, role } = allowedPeople(who, card, ctx);
    if (names.includes(actor)) return { allowed: true, role: role || roleText };
    const backedUp = names.find((n) => ctx.staff.some((s) => s.name === n && s.backup === actor));
    if (backedUp) return { allowed: true, onBehalfOf: backedUp, role: role || (roleOf(ctx.staff, backedUp) ?? "") };
  }
  const names = def.who.flatMap((w) => allowedPeople(w, card, ctx).names);
  return {
    allowed: false,
    role: roleText,
    reason: {
      zh: `只有${def.whoText.zh}可以操作${names.length ? `（${[...new Set(names)].join("、")}）` : ""}`,
      en: `only ${def.whoText.en} may do this${names.length ? ` (${[...new Set(names)].join(", ")})` : ""}`,
    },
  };
}

function stageReason(def: ActionDef, stage: Stage): Text {
  return { zh: `本卡处于“${STAGE_WORDS[stage].zh}”阶段，不能${def.label.zh}`, en: `the card is at stage "${STAGE_WORDS[stage].en}": cannot ${def.label.en.toLowerCase()}` };
}

/** Rules beyond stage and person. */
function extraGuard(action: ActionId, card: Card, ctx: Context): Text | undefined {
  switch (action) {
    case "reply":
      return card.replied !== undefined ? { zh: `已于 ${formatSerial(card.replied)} 回复客户`, en: `already replied on ${formatSerial(card.replied)}` } : undefined;
    case "assign":
      return card.assigned !== undefined ? { zh: `已于 ${formatSerial(card.assigned)} 指派 ${card.lead ?? ""}`, en: `already assigned to ${card.lead ?? ""} on ${formatSerial(card.assigned)}` } : undefined;
    case "brief":
      return card.lead === undefined || card.assigned === undefined ? { zh: "尚未指派项目负责人", en: "no lead has been assigned yet" } : undefined;
    case "framework":
      return card.framework !== undefined ? { zh: `框架已于 ${formatSerial(card.framework)} 提交`, en: `the framework was submitted on ${formatSerial(card.framework)}` } : undefined;
    case "review":
      return card.reviewed !== undefined && card.draft !== undefined && card.reviewed >= card.draft && !pendingMajorRevision(card, ctx.revisions)
        ? { zh: `已于 ${formatSerial(card.reviewed)} 审核通过`, en: `already passed on ${formatSerial(card.reviewed)}` }
        : undefined;
    case "directorReview":
      if (card.reviewed === undefined) return { zh: "须先经经理或经理助理审核", en: "the manager or assistant reviews first" };
      if (card.directorReviewed !== undefined && !pendingMajorRevision(card, ctx.revisions)) return { zh: `总监已于 ${formatSerial(card.directorReviewed)} 审核通过`, en: `the director passed it on ${formatSerial(card.directorReviewed)}` };
      return undefined;
    case "send": {
      if (card.reviewed === undefined) return { zh: "尚未经经理或经理助理审核，不能发送", en: "not reviewed by the manager or assistant yet: cannot send" };
      const major = pendingMajorRevision(card, ctx.revisions);
      if (major) return { zh: `重大修改（${formatSerial(major.requested!)}）后须总监再次审核`, en: `the major revision of ${formatSerial(major.requested!)} needs the director's review again` };
      if (needsDirector(card, ctx) && card.directorReviewed === undefined)
        return card.key ? { zh: "重点项目须经总监审核后才能发送", en: "a key project needs the director's review before sending" } : { zh: "设置要求总监审核所有方案", en: "Settings require the director's review of every proposal" };
      return undefined;
    }
    case "relay":
      return ctx.revisions.some((r) => r.cardNo === card.cardNo && r.reason === "Client" && r.relayed === undefined)
        ? undefined
        : { zh: "没有待转达的客户修改", en: "no client revision waiting to be relayed" };
    default:
      return undefined;
  }
}

/** What the pane asks for an action, beyond who and when. */
export interface ActionInput {
  /** The time point agreed with the client (the reply, D1). */
  due?: number;
  lead?: string;
  reviewer?: string;
  reason?: string;
  revision?: { reason: RevisionReason; major: boolean; note?: string };
  incident?: { kind: IncidentKind; person?: string; note?: string; date?: number };
  request?: Omit<Card, "cardNo" | "stage"> & { intake: Intake };
}

/** The effect of an action: cells of its card, rows to append, one log row. */
export interface Effect {
  cardNo: string;
  set: Partial<Card>;
  /** Register cells to empty (a returned brief). */
  clear: (keyof Card)[];
  newCard?: Card;
  revision?: Revision;
  /** Mark the oldest unrelayed client revision of the card as relayed. */
  relay?: boolean;
  incident?: Incident;
  log: LogEntry;
}

export class ActionRefused extends Error {
  constructor(readonly reason: Text) {
    super(reason.en);
  }
}

/** Checks and computes one action. Throws ActionRefused with the reason. */
export function decide(action: ActionId, card: Card | undefined, actor: string, input: ActionInput, ctx: Context): Effect {
  const def = actionDef(action);
  const p = permission(action, card, actor, ctx);
  if (!p.allowed) throw new ActionRefused(p.reason!);
  if (!card && action !== "issue") throw new ActionRefused({ zh: "请先选择一张卡", en: "choose a card first" });
  const now = ctx.now;
  const behalf = p.onBehalfOf ? { zh: `代 ${p.onBehalfOf}`, en: `on behalf of ${p.onBehalfOf}` } : undefined;
  const log = (cardNo: string, note = ""): LogEntry => ({
    time: now,
    cardNo,
    action,
    actor,
    role: p.role,
    note: [behalf ? `${behalf.zh} / ${behalf.en}` : "", note].filter(Boolean).join("; "),
  });
  const effect = (set: Partial<Card>, note = ""): Effect => {
    const s: Partial<Card> = { ...set };
    if (def.stamps) (s as Record<string, number>)[def.stamps] = now;
    if (def.to) s.stage = def.to;
    return { cardNo: card!.cardNo, set: s, clear: [], log: log(card!.cardNo, note) };
  };
  switch (action) {
    case "issue":
      throw new Error("issue cards with issueCard()");
    case "assign": {
      if (!input.lead) throw new ActionRefused({ zh: "请选择项目负责人", en: "choose the lead" });
      if (!ctx.staff.some((s) => s.name === input.lead && s.active)) throw new ActionRefused({ zh: `“${input.lead}”不是在职人员`, en: `"${input.lead}" is not an active person` });
      return effect({ lead: input.lead, ...(input.reviewer ? { reviewer: input.reviewer } : {}) }, `${input.lead}${input.reviewer ? ` / ${input.reviewer}` : ""}`);
    }
    case "reply": {
      if (input.due !== undefined && input.due <= now) throw new ActionRefused({ zh: "交稿时间必须晚于现在", en: "the agreed time point must be later than now" });
      return effect(input.due !== undefined ? { due: input.due } : {}, input.due !== undefined ? formatSerial(input.due) : "");
    }
    case "sign": {
      const done = signatures(card!.cardNo, ctx.log).length;
      const step = COUNTERSIGN_STEPS[done];
      const e = effect({}, `${done + 1}/${COUNTERSIGN_STEPS.length} ${step.text.zh} / ${step.text.en}`);
      if (done + 1 === COUNTERSIGN_STEPS.length) {
        e.set.countersigned = now;
        e.set.stage = "communication";
      }
      return e;
    }
    case "return": {
      if (!input.reason?.trim()) throw new ActionRefused({ zh: "退回须说明原因", en: "say why it is sent back" });
      const e = effect({}, input.reason.trim());
      e.clear.push("brief");
      return e;
    }
    case "revision": {
      const r = input.revision;
      if (!r) throw new ActionRefused({ zh: "请填写修改原因", en: "give the revision's reason" });
      const e = effect({}, `${r.reason}${r.major ? " major" : ""}${r.note ? `: ${r.note}` : ""}`);
      e.revision = { cardNo: card!.cardNo, requested: now, reason: r.reason, major: r.major, note: r.note };
      if (r.major && r.reason === "Client" && card!.sent !== undefined) e.set.stage = "review";
      return e;
    }
    case "relay": {
      const e = effect({});
      e.relay = true;
      return e;
    }
    case "incident": {
      const i = input.incident;
      if (!i) throw new ActionRefused({ zh: "请选择事件类型", en: "choose the incident's kind" });
      const e = effect({}, `${i.kind}${i.person ? ` → ${i.person}` : ""}${i.note ? `: ${i.note}` : ""}`);
      e.incident = { date: i.date ?? now, cardNo: card!.cardNo, kind: i.kind, person: i.person, note: i.note };
      return e;
    }
    default:
      return effect({});
  }
}

/** The next card number: the format with the issue date filled in and the running number one above any number of that prefix ever used (Register or log), so numbers are never reused. */
export function nextCardNumber(format: string, used: Iterable<string>, civil: { year: number; month: number; day: number }): string {
  const y = String(civil.year).padStart(4, "0");
  const m = String(civil.month).padStart(2, "0");
  const d = String(civil.day).padStart(2, "0");
  const nMatch = /N+/.exec(format)!;
  const width = nMatch[0].length;
  const prefix = format.slice(0, nMatch.index).replace(/YYYY/g, y).replace(/MM/g, m).replace(/DD/g, d);
  const suffix = format.slice(nMatch.index + width).replace(/YYYY/g, y).replace(/MM/g, m).replace(/DD/g, d);
  let max = 0;
  for (const u of used) {
    if (!u.startsWith(prefix) || !u.endsWith(suffix)) continue;
    const mid = u.slice(prefix.length, u.length - suffix.length);
    if (/^\d+$/.test(mid)) max = Math.max(max, Number(mid));
  }
  return prefix + String(max + 1).padStart(width, "0") + suffix;
}

/** Issues a card: the secretary (or their backup) records the request under a new number. */
export function issueCard(actor: string, request: NonNullable<ActionInput["request"]>, ctx: Context & { cardNumbers: Iterable<string>; civil: { year: number; month: number; day: number } }): Effect {
  const p = permission("issue", undefined, actor, ctx);
  if (!p.allowed) throw new ActionRefused(p.reason!);
  if (!request.project?.trim()) throw new ActionRefused({ zh: "请填写项目名称", en: "give the project's name" });
  if (request.received === undefined) throw new ActionRefused({ zh: "请填写需求接收时间", en: "give the time the request arrived" });
  const cardNo = nextCardNumber(ctx.settings.cardFormat, ctx.cardNumbers, ctx.civil);
  const card: Card = { ...request, cardNo, stage: "order" };
  const behalf = p.onBehalfOf ? `代 ${p.onBehalfOf} / on behalf of ${p.onBehalfOf}; ` : "";
  return {
    cardNo,
    set: {},
    clear: [],
    newCard: card,
    log: { time: ctx.now, cardNo, action: "issue", actor, role: p.role, note: `${behalf}${request.intake}: ${request.project}` },
  };
}
