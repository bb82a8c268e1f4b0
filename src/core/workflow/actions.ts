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
 *
 * The approval moves people know from DingTalk 审批 are rows of the same table, with the same
 * guards, one log row each and zh/en messages: 退回修改 (sendBack), 撤销 (withdraw), 转交
 * (handOver: the lead; handOverSign: a pending signature), 加签 (addSigner), 评论 (comment),
 * 抄送 (copy) and 已阅 (acknowledge), 催办 (chase), and changing the Due later (changeDue).
 * They change who may act next: the countersign chain (who signs which step, the signers
 * added, the signatures handed over) and what was withdrawn are read from the log, which is
 * the record of what the Register has no column for (chain.ts); a new lead after 转交 is the
 * Register's Lead, so it is the lead for every lead-only action. The D-deadlines stay with
 * the card: no move changes a Register date except those it names (the Due, or the dates a
 * 撤销 or 退回修改 puts back).
 */
import { formatSerial, weekdayOfDay } from "../calendar";
import { DEFAULT_DEADLINES, type DeadlineDef } from "../rules/deadlines";
import { excuseRowRefusal } from "../rules/excuses";
import { PROPOSAL, typeKey } from "../routes/routes";
import { milestoneKey } from "./milestones";
import type { Card, Incident, IncidentKind, Intake, LogEntry, Revision, RevisionReason, Role, StaffMember } from "../model";
import { activeWithRole, backsUp, eitherOf, isActiveIn, onlyActive, personOnCard, staffMember } from "../people";
import { INCIDENT_KIND_WORDS } from "../rules/penalties";
import type { Settings } from "../settings";
import { CardRoute, cardRoute } from "../routes/card";
import { roleText } from "../routes/roles";
import { RouteStep, routeNote } from "../routes/routes";
import {
  COUNTERSIGN_STEPS,
  ChainMemo,
  cardLog,
  countersignChain,
  effectiveLog,
  isDefaultProposal,
  excusesOf,
  lastStep,
  openChases,
  openCopies,
  openReturns,
} from "./chain";
import { NOTE, parseAddSigner, parseChase, parseCopy, parseDue, parseHandOver, parseHandOverSign } from "./notes";
import { STAGES, STAGE_WORDS, Stage, countersignUnfinished, pendingMajorRevision, stageOf } from "./stages";
export { countersignUnfinished } from "./stages";
import { ActionId, LOG_WORDS, NOTE_ACTIONS, Text, actionOf } from "./words";

export type { ActionId } from "./words";
export { COUNTERSIGN_STEPS, signatures } from "./chain";

/**
 * Who may do an action: a role on the card, or anyone holding a role in Staff. `involved`:
 * anyone the card's log names (who acted, was copied, chased, added or handed something);
 * `copied`: whoever has a copy (抄送) of the card not yet acknowledged; `lastActor`: whoever
 * did the card's last step (撤销: never their backup).
 */
export type Who =
  | "secretary"
  | "leader"
  | "director"
  | "lead"
  | "ae"
  | "signer"
  | "contact"
  | "onCard"
  | "reviewer"
  | "involved"
  | "copied"
  | "lastActor"
  | "milestone";

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
  /** It asks for a reason (退回, 转交, a new Due, 免责). */
  needsReason?: true;
  /** It takes an optional opinion (意见), logged with it (会签, 审核). */
  opinion?: true;
  /**
   * The step as a thing still to do, where the button's label says it is done (the button
   * "已回复客户时间点" records a reply; the row in 待我处理 asks for one: "回复客户时间点").
   */
  task?: Text;
}

const W = {
  secretary: { zh: "秘书", en: "the secretary" },
  leader: { zh: "经理或经理助理", en: "the manager or assistant manager" },
  director: { zh: "总监", en: "the director" },
  lead: { zh: "项目负责人", en: "the project lead" },
  ae: { zh: "本卡 AE（无 AE 时为需求发起人）", en: "the card's AE (no AE: the initiator)" },
  anyone: {
    zh: "本卡人员（含秘书、经理、总监及已参与者）",
    en: "anyone on the card (with the secretary, managers, the director and everyone involved)",
  },
};

const ALL_STAGES: Stage[] = [...STAGES];
const OPEN_STAGES: Stage[] = ["order", "countersign", "communication", "writing", "review", "sent", "closed"];
const ANYONE: Who[] = ["onCard", "secretary", "leader", "director", "involved"];

export const ACTIONS: readonly ActionDef[] = [
  { id: "issue", label: { zh: "开卡（发卡号）", en: "Issue a card number" }, whoText: W.secretary, who: ["secretary"], stages: [] },
  {
    id: "assign",
    label: { zh: "指派项目负责人", en: "Assign the lead" },
    whoText: { zh: "经理、经理助理或总监", en: "the manager, assistant manager or director" },
    who: ["leader", "director"],
    stages: ["order"],
    stamps: "assigned",
  },
  {
    id: "reply",
    label: { zh: "已回复客户时间点", en: "Replied to the client" },
    task: { zh: "回复客户时间点", en: "Reply to the client with the time point" },
    whoText: W.ae,
    who: ["ae"],
    stages: ["order", "countersign", "communication", "writing"],
    stamps: "replied",
  },
  {
    id: "brief",
    label: { zh: "提交需求单", en: "Submit the brief" },
    whoText: W.lead,
    who: ["lead"],
    stages: ["order"],
    stamps: "brief",
    to: "countersign",
  },
  {
    id: "sign",
    label: { zh: "会签", en: "Countersign" },
    whoText: { zh: "按顺序：策划 → 经理或经理助理 → 总监", en: "in order: planner → manager or assistant → director" },
    who: ["signer"],
    stages: ["countersign"],
    opinion: true,
  },
  {
    id: "return",
    label: { zh: "退回需求单", en: "Send the brief back" },
    whoText: { zh: "当前会签人", en: "the person whose signature is due" },
    who: ["signer"],
    stages: ["countersign"],
    to: "order",
    needsReason: true,
  },
  {
    id: "startWriting",
    label: { zh: "需求沟通完成，开始撰写", en: "Communication done: start writing" },
    whoText: W.lead,
    who: ["lead"],
    stages: ["communication"],
    to: "writing",
  },
  {
    id: "framework",
    label: { zh: "提交框架", en: "Submit the framework" },
    whoText: W.lead,
    who: ["lead"],
    stages: ["communication", "writing"],
    stamps: "framework",
    to: "writing",
  },
  {
    id: "draft",
    label: { zh: "提交初稿", en: "Submit the first draft" },
    whoText: W.lead,
    who: ["lead"],
    stages: ["writing"],
    stamps: "draft",
    to: "review",
  },
  {
    id: "review",
    label: { zh: "审核通过（一审）", en: "Pass the review" },
    whoText: { zh: "本卡审核人（未填时为经理或经理助理）", en: "the card's reviewer (empty: manager or assistant)" },
    who: ["reviewer"],
    stages: ["review"],
    stamps: "reviewed",
    opinion: true,
  },
  {
    id: "directorReview",
    label: { zh: "总监审核通过", en: "Director passes the review" },
    whoText: W.director,
    who: ["director"],
    stages: ["review"],
    stamps: "directorReviewed",
    opinion: true,
  },
  {
    id: "send",
    label: { zh: "发送客户", en: "Send to the client" },
    whoText: { zh: "与客户沟通最多的人（通常为项目负责人）", en: "whoever talks to the client (normally the lead)" },
    who: ["contact"],
    stages: ["review"],
    stamps: "sent",
    to: "sent",
  },
  {
    id: "revision",
    label: { zh: "记录修改", en: "Record a revision" },
    whoText: { zh: "本卡人员", en: "people on the card" },
    who: ["onCard", "leader", "director"],
    stages: ["writing", "review", "sent"],
  },
  {
    id: "relay",
    label: { zh: "已转达修改意见", en: "Relayed the revision" },
    task: { zh: "转达修改意见", en: "Relay the revision to the team" },
    whoText: W.ae,
    who: ["ae"],
    stages: ["writing", "review", "sent", "closed"],
  },
  {
    id: "incident",
    label: { zh: "记录事件（投诉）", en: "Record an incident" },
    whoText: { zh: "秘书、经理、经理助理或总监", en: "the secretary, a manager or the director" },
    who: ["secretary", "leader", "director"],
    stages: ["order", "countersign", "communication", "writing", "review", "sent", "closed", "archived"],
  },
  {
    id: "close",
    label: { zh: "项目结束", en: "Close the project" },
    whoText: { zh: "项目负责人或经理", en: "the lead or a manager" },
    who: ["lead", "leader"],
    stages: ["sent"],
    stamps: "closed",
    to: "closed",
  },
  {
    id: "archive",
    label: { zh: "文档已交秘书（归档）", en: "Documents archived" },
    task: { zh: "项目文档归档", en: "Archive the project's documents" },
    whoText: W.secretary,
    who: ["secretary"],
    stages: ["closed"],
    stamps: "archived",
    to: "archived",
  },
  // The approval moves.
  {
    id: "sendBack",
    label: { zh: "退回修改", en: "Send back for changes" },
    whoText: { zh: "本卡审核人（未填时为经理或经理助理）或总监", en: "the card's reviewer (empty: manager or assistant) or the director" },
    who: ["reviewer", "director"],
    stages: ["review"],
    to: "writing",
    needsReason: true,
  },
  {
    id: "withdraw",
    label: { zh: "撤销", en: "Withdraw my last step" },
    whoText: { zh: "上一步的操作人，下一位尚未操作时", en: "whoever did the last step, while no one has acted since" },
    who: ["lastActor"],
    stages: ALL_STAGES,
  },
  {
    id: "handOver",
    label: { zh: "转交项目负责人", en: "Hand over the lead" },
    whoText: { zh: "项目负责人、经理、经理助理或总监", en: "the lead, a manager or the director" },
    who: ["lead", "leader", "director"],
    stages: ["order", "countersign", "communication", "writing", "review", "sent"],
    needsReason: true,
  },
  {
    id: "handOverSign",
    label: { zh: "转交会签", en: "Hand over the signature" },
    whoText: { zh: "当前会签人或秘书", en: "the person whose signature is due, or the secretary" },
    who: ["signer", "secretary"],
    stages: ["countersign"],
    needsReason: true,
  },
  {
    id: "addSigner",
    label: { zh: "加签", en: "Add a signer" },
    whoText: { zh: "当前会签人或秘书", en: "the person whose signature is due, or the secretary" },
    who: ["signer", "secretary"],
    stages: ["countersign"],
  },
  { id: "comment", label: { zh: "评论", en: "Comment" }, whoText: W.anyone, who: ANYONE, stages: ALL_STAGES },
  { id: "copy", label: { zh: "抄送", en: "Copy someone" }, whoText: W.anyone, who: ANYONE, stages: ALL_STAGES },
  {
    id: "acknowledge",
    label: { zh: "已阅", en: "Seen" },
    whoText: { zh: "被抄送、被催办或被退回的人", en: "the person copied, chased or sent something back" },
    who: ["copied"],
    stages: ALL_STAGES,
  },
  { id: "chase", label: { zh: "催办", en: "Chase" }, whoText: W.anyone, who: ANYONE, stages: OPEN_STAGES },
  {
    id: "changeDue",
    label: { zh: "修改交稿时间", en: "Change the Due" },
    whoText: W.ae,
    who: ["ae"],
    stages: ["order", "countersign", "communication", "writing", "review"],
    needsReason: true,
  },
  {
    id: "milestone",
    label: { zh: "完成里程碑", en: "Mark a milestone done" },
    whoText: { zh: "该里程碑的责任人（时限表的责任角色）", en: "the person the milestone's Deadlines row holds responsible" },
    who: ["milestone"],
    stages: ["order", "countersign", "communication", "writing", "review", "sent", "closed"],
  },
  {
    id: "excuse",
    label: { zh: "免责（有正当理由）", en: "Excuse a missed deadline" },
    whoText: { zh: "秘书或总监", en: "the secretary or the director" },
    who: ["secretary", "director"],
    stages: ALL_STAGES,
    needsReason: true,
  },
];

/** Who a request came from, in the log's words. */
const INTAKE_WORDS: Record<Intake, Text> = {
  AE: { zh: "AE 发起", en: "AE" },
  Director: { zh: "总监发起", en: "Director" },
  Manager: { zh: "经理发起", en: "Manager" },
  Planner: { zh: "策划发起", en: "Planner" },
};

/** The word each action's log row holds, per language (words.ts). */
export { LOG_WORDS } from "./words";

const ACTION_BY_ID: ReadonlyMap<ActionId, ActionDef> = new Map(ACTIONS.map((a) => [a.id, a]));

export function actionDef(id: ActionId): ActionDef {
  const def = ACTION_BY_ID.get(id);
  if (!def) throw new Error(`未知的操作“${id}” / unknown action "${id}"`);
  return def;
}

export interface Context {
  staff: readonly StaffMember[];
  settings: Settings;
  revisions: readonly Revision[];
  log: readonly LogEntry[];
  now: number;
  /** The workbook's deadlines (免责 and 完成里程碑 name one of them), when known. */
  deadlines?: readonly DeadlineDef[];
  /** The Routes table (core/routes): a card's countersign is its type's route; without it, the proposal's three steps. */
  routes?: readonly RouteStep[];
  /** Where the card's countersign chain is kept once worked out (a context made for one card: inbox.ts `cardContext`). */
  chainMemo?: ChainMemo;
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

const roleOf = (staff: readonly StaffMember[], name: string): Role | undefined => staffMember(staff, name)?.role;

/** The people a `who` names for a card (empty list: anyone with the role in Staff). */
function allowedPeople(who: Who, card: Card | undefined, ctx: Context): { names: readonly string[]; role: string } {
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
      // The step due in the chain the log makes (chain.ts): signers added by 加签, signatures handed over by 转交会签.
      // A 会签 step of the route: every role not signed yet may sign, in any order.
      const chain = countersignChain(card, ctx);
      const step = chain.steps[chain.current];
      return step ? { names: [...new Set(chain.due.flatMap((i) => chain.steps[i].holders))], role: step.role } : { names: [], role: "" };
    }
    case "involved":
      return { names: card ? involved(card, ctx.log) : [], role: "" };
    case "copied": {
      if (!card) return { names: [], role: "" };
      // Whoever has a notice on the card not yet read: a copy, a chase, a return to the lead.
      const names = openCopies(card.cardNo, ctx.log).map((c) => c.to);
      names.push(...openChases(card.cardNo, ctx.log, stageOf(card, ctx.revisions)).map((c) => c.to));
      if (card.lead && openReturns(card, ctx.log).length) names.push(card.lead);
      return { names: [...new Set(names)], role: "" };
    }
    case "lastActor": {
      const last = card && lastStep(card.cardNo, ctx.log);
      return { names: last?.actor ? [last.actor] : [], role: "" };
    }
    case "milestone": {
      // Whoever a milestone still to do holds responsible: its Deadlines row's role on the card.
      if (!card) return { names: [], role: "" };
      const open = openMilestones(card, ctx);
      const names = open.map((m) => personOnCard(card, m.deadline.role, ctx.staff)).filter((n): n is string => !!n);
      return { names: [...new Set(names)], role: open[0]?.deadline.role ?? "" };
    }
  }
}

export interface OpenMilestone {
  deadline: DeadlineDef;
  /** A recurring duty's occurrence (its day). */
  occurrence?: number;
  /** When it falls due. */
  due: number;
  /** Its key in the log's note (`E2`, `W1 2026-11-09`). */
  key: string;
}

/**
 * The card's milestones without a Register column that are not done yet (Deadlines rows with no
 * Ends, a recurring duty's occurrences): due already, or due within the next 31 days, earliest first.
 */
export function openMilestones(card: Card, ctx: Pick<Context, "deadlines" | "now">): OpenMilestone[] {
  const out: OpenMilestone[] = [];
  for (const def of ctx.deadlines ?? []) {
    if (def.table !== "Register" || def.ends !== "") continue;
    const types = def.types?.length ? def.types : [PROPOSAL];
    if (!types.includes(typeKey(card.type))) continue;
    for (const occurrence of def.repeat === undefined ? [undefined] : occurrencesOf(card, def, ctx.now)) {
      const key = milestoneKey(def.id, occurrence);
      if (card.milestones?.[key] !== undefined) continue;
      const due = milestoneDue(card, def, occurrence);
      if (due === undefined || due > ctx.now + 31) continue;
      out.push({ deadline: def, occurrence, due, key });
    }
  }
  return out.sort((a, b) => a.due - b.due);
}

/** A milestone's day, roughly (without the working hours: for choosing which to offer). */
function milestoneDue(card: Card, def: DeadlineDef, occurrence: number | undefined): number | undefined {
  if (occurrence !== undefined) return occurrence;
  const v: unknown = Reflect.get(card, def.starts);
  if (typeof v !== "number") return undefined;
  return def.unit === "hours" ? v + def.amount / 24 : v + def.amount;
}

/** The days of a recurring duty's occurrences so far on the card, and the next one. */
function occurrencesOf(card: Card, def: DeadlineDef, now: number): number[] {
  const v: unknown = Reflect.get(card, def.starts);
  if (typeof v !== "number" || def.repeat === undefined) return [];
  const end = Math.min(card.closed ?? Infinity, card.archived ?? Infinity, now + 7);
  const first = Math.floor(v + 1e-9);
  const out: number[] = [];
  for (let day = first + ((def.repeat - weekdayOfDay(first) + 7) % 7); day <= end; day += 7) out.push(day);
  return out;
}

/** Everyone the card's log names: who acted on it, and whom a move named (copied, chased, added, handed over to). */
function involved(card: Card, log: readonly LogEntry[]): string[] {
  const out = new Set<string>();
  for (const e of cardLog(card.cardNo, log)) {
    if (e.actor) out.add(e.actor);
    const a = actionOf(e);
    const named =
      a === "copy"
        ? parseCopy(e)?.to
        : a === "chase"
          ? parseChase(e)?.to
          : a === "addSigner"
            ? parseAddSigner(e)?.who
            : a === "handOverSign"
              ? parseHandOverSign(e)?.to
              : a === "handOver"
                ? parseHandOver(e)?.to
                : undefined;
    if (named) out.add(named);
  }
  return [...out];
}

/**
 * Whose step an action is on the card: the people of the first `who` that names anyone (close:
 * the lead, not every manager who may close in their place). My work shows a step to them.
 */
export function holdersOf(action: ActionId, card: Card, ctx: Context): readonly string[] {
  for (const who of actionDef(action).who) {
    const { names } = allowedPeople(who, card, ctx);
    if (names.length) return names;
  }
  return [];
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

/** The Staff roles a `who`'s role word stands for: "Manager" (经理或经理助理) is either. */
const ROLE_GROUPS: Readonly<Record<string, readonly string[]>> = { Manager: ["Manager", "Assistant Manager"] };

/**
 * The role a log row names for someone allowed through a `who` of role `group`: their own Staff
 * role when the group holds it (赵敏, an assistant manager, acts as 经理助理, not 经理), else the group's.
 */
function actedIn(group: string, own: string): string {
  if (!group) return own;
  return (ROLE_GROUPS[group] ?? [group]).includes(own) ? own : group;
}

/** May `actor` do `action` on `card` now? */
export function permission(action: ActionId, card: Card | undefined, actor: string, ctx: Context): Permission {
  const def = actionDef(action);
  const roleText = roleOf(ctx.staff, actor) ?? "";
  if (!isActiveIn(ctx.staff, actor))
    return {
      allowed: false,
      role: roleText,
      reason: { zh: `“${actor}”不是人员表中的在职人员`, en: `"${actor}" is not an active person in Staff` },
    };
  if (card && def.stages.length) {
    const stage = stageOf(card, ctx.revisions);
    if (!offeredIn(def, card, stage)) return { allowed: false, role: roleText, reason: stageReason(def, stage) };
  }
  const guard = card ? extraGuard(action, card, ctx, actor) : undefined;
  if (guard) return { allowed: false, role: roleText, reason: guard };
  // As myself first, whichever `who` names me (a manager's 评论 on a card whose reviewer he backs up is his own, not "代 赵敏");
  // then as the backup of someone a `who` names.
  const lists: { who: Who; names: readonly string[]; role: string }[] = [];
  for (const who of def.who) {
    const { names, role } = allowedPeople(who, card, ctx);
    if (names.includes(actor)) return { allowed: true, role: actedIn(role, roleText) };
    lists.push({ who, names, role });
  }
  for (const { who, names, role } of lists) {
    if (who === "lastActor") continue; // 撤销 is for whoever did the step, not their backup
    const backedUp = names.find((n) => backsUp(ctx.staff, actor, n));
    if (backedUp) return { allowed: true, onBehalfOf: backedUp, role: actedIn(role, roleOf(ctx.staff, backedUp) ?? "") };
  }
  const names = lists.flatMap((l) => l.names);
  const who = whoTextOf(action, card, ctx);
  return {
    allowed: false,
    role: roleText,
    reason: {
      zh: `“${def.label.zh}”须由${who.zh}操作${names.length ? `，即 ${[...new Set(names)].join("、")}` : ""}`,
      en: `only ${who.en} may ${def.label.en.toLowerCase()}${names.length ? ` (${[...new Set(names)].join(", ")})` : ""}`,
    },
  };
}

/**
 * permission() for a move offered at the card's stage, asked of one of the people whose step it is
 * (`holders`: holdersOf) or of their backup: allowed as myself when I am one of them, else as the
 * backup of the first of them I back up, when I am active and no rule beyond stage and person
 * (extraGuard) stands in the way. For such a person it is permission's answer (the `who`s after
 * the holders' can only allow someone who is neither: test/workflow/holder-permission.test.ts);
 * My work asks it of every step of thousands of cards, without the refusal's words.
 */
export function holderPermission(
  action: ActionId,
  card: Card,
  actor: string,
  holders: readonly string[],
  ctx: Context,
): { allowed: boolean; onBehalfOf?: string } {
  const own = holders.includes(actor);
  const backedUp = own ? undefined : holders.find((n) => backsUp(ctx.staff, actor, n));
  if ((!own && backedUp === undefined) || !isActiveIn(ctx.staff, actor) || extraGuard(action, card, ctx, actor)) return { allowed: false };
  if (own) return { allowed: true };
  // Someone another `who` names acts as themselves (permission), not as the holder's backup: not the holder's step for them.
  if (actionDef(action).who.some((w) => allowedPeople(w, card, ctx).names.includes(actor))) return { allowed: false };
  return { allowed: true, onBehalfOf: backedUp };
}

/** The moves of the countersign that stay possible while a card's countersign is unfinished but someone typed it past that stage. */
const COUNTERSIGN_MOVES: ReadonlySet<ActionId> = new Set<ActionId>(["sign", "handOverSign", "addSigner"]);

/** Is the action offered at this stage of this card: its stages, or a countersign move on an unfinished countersign. */
export function offeredIn(def: ActionDef, card: Card, stage: Stage): boolean {
  return def.stages.includes(stage) || (COUNTERSIGN_MOVES.has(def.id) && countersignUnfinished(card, stage));
}

function stageReason(def: ActionDef, stage: Stage): Text {
  return {
    zh: `本卡处于“${STAGE_WORDS[stage].zh}”阶段，不能${def.label.zh}`,
    en: `the card is at stage "${STAGE_WORDS[stage].en}": cannot ${def.label.en.toLowerCase()}`,
  };
}

/** Rules beyond stage and person. */
function extraGuard(action: ActionId, card: Card, ctx: Context, actor: string): Text | undefined {
  switch (action) {
    case "withdraw":
      return withdrawGuard(card, ctx, actor);
    case "handOver":
      return card.lead === undefined ? { zh: "尚未指派项目负责人", en: "no lead has been assigned yet" } : undefined;
    case "sendBack":
      return card.sent !== undefined
        ? { zh: "方案已发送客户：请记录修改", en: "the proposal was already sent: record a revision instead" }
        : undefined;
    case "changeDue":
      return card.replied === undefined
        ? { zh: "尚未回复客户：请先记录回复及交稿时间", en: "no reply recorded yet: record the reply with its Due first" }
        : undefined;
    case "reply":
      return card.replied !== undefined
        ? { zh: `已于 ${formatSerial(card.replied)} 回复客户`, en: `already replied on ${formatSerial(card.replied)}` }
        : undefined;
    case "assign":
      return card.assigned !== undefined
        ? {
            zh: `已于 ${formatSerial(card.assigned)} 指派 ${card.lead ?? ""}`,
            en: `already assigned to ${card.lead ?? ""} on ${formatSerial(card.assigned)}`,
          }
        : undefined;
    case "brief":
      return card.lead === undefined || card.assigned === undefined
        ? { zh: "尚未指派项目负责人", en: "no lead has been assigned yet" }
        : undefined;
    case "framework":
      return card.framework !== undefined
        ? { zh: `框架已于 ${formatSerial(card.framework)} 提交`, en: `the framework was submitted on ${formatSerial(card.framework)}` }
        : undefined;
    case "review":
      // Passed for the draft at hand: a major revision needs the director again (directorReview, send), not the manager.
      return card.reviewed !== undefined && card.draft !== undefined && card.reviewed >= card.draft
        ? { zh: `已于 ${formatSerial(card.reviewed)} 审核通过`, en: `already passed on ${formatSerial(card.reviewed)}` }
        : undefined;
    case "directorReview":
      if (card.reviewed === undefined) return { zh: "须先经经理或经理助理审核", en: "the manager or assistant reviews first" };
      if (card.directorReviewed !== undefined && !pendingMajorRevision(card, ctx.revisions))
        return {
          zh: `总监已于 ${formatSerial(card.directorReviewed)} 审核通过`,
          en: `the director passed it on ${formatSerial(card.directorReviewed)}`,
        };
      return undefined;
    case "send": {
      if (card.reviewed === undefined)
        return { zh: "尚未经经理或经理助理审核，不能发送", en: "not reviewed by the manager or assistant yet: cannot send" };
      const major = pendingMajorRevision(card, ctx.revisions);
      if (major)
        return {
          zh: `重大修改（${formatSerial(major.requested!)}）后须总监再次审核`,
          en: `the major revision of ${formatSerial(major.requested!)} needs the director's review again`,
        };
      if (needsDirector(card, ctx) && card.directorReviewed === undefined)
        return card.key
          ? { zh: "重点项目须经总监审核后才能发送", en: "a key project needs the director's review before sending" }
          : { zh: "设置要求总监审核所有方案", en: "Settings require the director's review of every proposal" };
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
  /** Why (退回, 退回修改, 转交, a changed Due). */
  reason?: string;
  /** The person a move names: the new lead or signature holder (转交), the signer added (加签), whom to copy (抄送) or chase (催办). */
  to?: string;
  /** 加签: before or after the step that is due. */
  position?: "before" | "after";
  /** 评论's text; 抄送's and 催办's optional message; the optional opinion (意见) of 会签 and 审核. */
  text?: string;
  /** 免责: the deadline excused (its id in the Deadlines table, e.g. "D1"); 完成里程碑: the milestone done (`E2`, `W1 2026-11-09`). */
  deadline?: string;
  /** 完成里程碑 of a recurring duty: the occurrence's day. */
  occurrence?: number;
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
  /** What the person acting should know it left open (项目结束 with a revision not relayed): said with the done message. */
  warnings?: Text[];
  incident?: Incident;
  /** The log row, its Action and Role as codes (the workbook writes them as words of its language: cells.ts `logEntryIn`). */
  log: LogEntry;
  /** The log row's note in each language, when it has one per language (the approval moves): the workbook writes its own. */
  logNote?: Text;
}

export class ActionRefused extends Error {
  constructor(readonly reason: Text) {
    super(reason.en);
  }
}

/**
 * The log's note for the route a card follows ("the log says which route a card followed"):
 * when `always` (需求单, issuing) or when the log has none for the route as it stands now (its
 * rows changed since). Nothing for a proposal on the default three steps: its log stays as it was.
 */
export function routeNoteDue(
  card: Card,
  ctx: Pick<Context, "routes" | "log" | "staff">,
  route?: CardRoute,
  always = false,
): Text | undefined {
  if (!ctx.routes) return undefined;
  const r = route ?? cardRoute(card, { routes: ctx.routes, log: ctx.log, staff: ctx.staff });
  if (isDefaultProposal(r.type, r.steps)) return undefined;
  if (!always && !r.noteDue) return undefined;
  return { zh: routeNote(r.type, r.steps, "zh"), en: routeNote(r.type, r.steps, "en") };
}

/**
 * Who may do an action on this card, in words (a refusal, a button's tooltip): the action's
 * `whoText`, except 会签, whose order is the card's route (`按路线：客户总监+客户主管（会签）`); a
 * proposal on the default three steps keeps today's words.
 */
export function whoTextOf(action: ActionId, card: Card | undefined, ctx: Pick<Context, "routes" | "log" | "staff">): Text {
  const def = actionDef(action);
  if (action !== "sign" || !card || !ctx.routes) return def.whoText;
  const r = cardRoute(card, { routes: ctx.routes, log: ctx.log, staff: ctx.staff });
  if (isDefaultProposal(r.type, r.steps) || !r.steps.length) return def.whoText;
  const lower = (t: string) => t.charAt(0).toLowerCase() + t.slice(1);
  const words = r.steps.map((st) => {
    if (st.all)
      return {
        zh: `${st.roles.map((x) => roleText(x, "zh")).join("+")}（会签）`,
        en: `${st.roles.map((x) => lower(roleText(x, "en"))).join(" + ")} (all sign)`,
      };
    const known = COUNTERSIGN_STEPS.find((c) => c.roles.length === st.roles.length && c.roles.every((x, i) => x === st.roles[i]));
    return known
      ? { zh: known.text.zh, en: lower(known.text.en) }
      : { zh: st.roles.map((x) => roleText(x, "zh")).join("或"), en: st.roles.map((x) => lower(roleText(x, "en"))).join(" or ") };
  });
  return { zh: `按路线：${words.map((w) => w.zh).join(" → ")}`, en: `by route: ${words.map((w) => w.en).join(" → ")}` };
}

/**
 * Why `actor` may not excuse (免责) the card's miss of `deadline`, or undefined when they may: who
 * may excuse at all (permission), then whose miss it is (rules/excuses.ts: never one's own; the
 * secretary's only the director). The month view asks it of each miss it offers to excuse.
 */
export function excuseGuard(card: Card, deadline: string, actor: string, ctx: Context): Text | undefined {
  const p = permission("excuse", card, actor, ctx);
  if (!p.allowed) return p.reason;
  return excuseRowRefusal(card, { deadline, by: actor, onBehalfOf: p.onBehalfOf }, ctx.deadlines ?? DEFAULT_DEADLINES, ctx.staff);
}

/**
 * Who relays the card's client revisions to the team (D7): the relay's holder (the card's AE, no
 * AE: the initiator) and whoever the Revisions deadline ending at Relayed charges on the card.
 */
export function relayersOf(card: Card, ctx: Context): string[] {
  const names = new Set(holdersOf("relay", card, ctx));
  for (const d of ctx.deadlines ?? DEFAULT_DEADLINES)
    if (d.table === "Revisions" && d.ends === "relayed") {
      const n = personOnCard(card, d.role, ctx.staff);
      if (n) names.add(n);
    }
  return [...names];
}

/** The card's client revisions not relayed yet (D7 still running), oldest first. */
export function unrelayed(card: Card, revisions: readonly Revision[]): Revision[] {
  return revisions
    .filter((r) => r.cardNo === card.cardNo && r.reason === "Client" && r.relayed === undefined)
    .sort((a, b) => (a.requested ?? Infinity) - (b.requested ?? Infinity));
}

/**
 * What a move leaves open that its doer should know before the click (and is told again after):
 * 结案 and 归档 while a client revision is not relayed — D7 keeps running. One wording for the
 * card's 下一步 and the result message.
 */
export function leavesOpen(action: ActionId, card: Card, ctx: Context): Text | undefined {
  if (action !== "close" && action !== "archive") return undefined;
  const open = unrelayed(card, ctx.revisions);
  if (!open.length) return undefined;
  // Any one of them may relay it: 或, as the waiting line says.
  const relayers = relayersOf(card, ctx);
  const when = open[0].requested === undefined ? "" : formatSerial(open[0].requested);
  return {
    zh: `${eitherOf(relayers, "zh") || "AE"} 尚未转达${when ? ` ${when} ` : ""}的客户修改（D7 照常计时）`,
    en: `${eitherOf(relayers, "en") || "AE"} has not relayed the client's revision${when ? ` of ${when}` : ""} yet (D7 keeps running)`,
  };
}

/** Checks and computes one action. Throws ActionRefused with the reason. */
export function decide(action: ActionId, card: Card | undefined, actor: string, input: ActionInput, ctx: Context): Effect {
  const def = actionDef(action);
  const p = permission(action, card, actor, ctx);
  if (!p.allowed) throw new ActionRefused(p.reason!);
  if (!card && action !== "issue") throw new ActionRefused({ zh: "请先选择一张卡", en: "choose a card first" });
  const now = ctx.now;
  // Acting as someone's AB-role backup: "代 王磊；…" in a Chinese log, "on behalf of 王磊; …" in an English one.
  const joinZh = (note: string) => (p.onBehalfOf ? `代 ${p.onBehalfOf}${note ? `；${note}` : ""}` : note);
  const joinEn = (note: string) => (p.onBehalfOf ? `on behalf of ${p.onBehalfOf}${note ? `; ${note}` : ""}` : note);
  const log = (cardNo: string, note = ""): LogEntry => ({ time: now, cardNo, action, actor, role: p.role, note: joinZh(note) });
  const opinion = def.opinion ? input.text?.trim() || undefined : undefined;
  const effect = (set: Partial<Card>, note: string | Text = ""): Effect => {
    const s: Partial<Card> = { ...set };
    if (def.stamps) (s as Record<string, number>)[def.stamps] = now;
    if (def.to) s.stage = def.to;
    let t: Text = typeof note === "string" ? { zh: note, en: note } : note;
    // An opinion (意见) given with a signature or a review.
    if (opinion)
      t = { zh: [t.zh, `意见：${opinion}`].filter(Boolean).join("；"), en: [t.en, `opinion: ${opinion}`].filter(Boolean).join("; ") };
    return { cardNo: card!.cardNo, set: s, clear: [], log: log(card!.cardNo, t.zh), logNote: { zh: joinZh(t.zh), en: joinEn(t.en) } };
  };
  const required = (v: string | undefined, why: Text): string => {
    if (!v?.trim()) throw new ActionRefused(why);
    return v.trim();
  };
  const activePerson = (name: string | undefined, why: Text): string => {
    const n = required(name, why);
    if (!isActiveIn(ctx.staff, n))
      throw new ActionRefused({ zh: `“${n}”不是人员表中的在职人员`, en: `"${n}" is not an active person in Staff` });
    return n;
  };
  switch (action) {
    case "issue":
      throw new Error("issue cards with issueCard()");
    case "assign": {
      if (!input.lead) throw new ActionRefused({ zh: "请选择项目负责人", en: "choose the lead" });
      if (!ctx.staff.some((s) => s.name === input.lead && s.active))
        throw new ActionRefused({ zh: `“${input.lead}”不是在职人员`, en: `"${input.lead}" is not an active person` });
      return effect(
        { lead: input.lead, ...(input.reviewer ? { reviewer: input.reviewer } : {}) },
        {
          zh: `项目负责人 ${input.lead}${input.reviewer ? `；审核人 ${input.reviewer}` : ""}`,
          en: `lead ${input.lead}${input.reviewer ? `; reviewer ${input.reviewer}` : ""}`,
        },
      );
    }
    case "reply": {
      // The reply is the time point agreed with the client: no reply without its Due (one set at issue counts).
      const due = input.due ?? card!.due;
      if (due === undefined) throw new ActionRefused({ zh: "请填写与客户约定的交稿时间", en: "give the Due agreed with the client" });
      if (input.due !== undefined && input.due <= now)
        throw new ActionRefused({ zh: "交稿时间必须晚于现在", en: "the agreed time point must be later than now" });
      return effect({ due }, NOTE.reply(card!.due, due).zh);
    }
    case "sign": {
      const chain = countersignChain(card!, ctx);
      // The step the signer holds (as themselves, or for the one they back up): in a 会签 step, the role they sign in.
      const holder = p.onBehalfOf ?? actor;
      const at = chain.due.find((i) => chain.steps[i].holders.includes(holder)) ?? chain.current;
      const step = chain.steps[at];
      const n = chain.steps.length;
      const k = chain.steps.filter((s) => s.signedBy !== undefined).length + 1;
      const note = routeNoteDue(card!, ctx, chain.route);
      const e = effect(
        {},
        {
          zh: [`${k}/${n} ${step.text.zh}`, note?.zh].filter(Boolean).join("；"),
          en: [`${k}/${n} ${step.text.en}`, note?.en].filter(Boolean).join("; "),
        },
      );
      // The role signed in: the signer's own Staff role when the step holds it (经理助理 on the 经理或经理助理 step).
      if (step.kind === "base" && step.role) {
        const own = roleOf(ctx.staff, holder);
        e.log.role = own && step.step?.roles.includes(own) ? own : step.role;
      }
      if (k === n) {
        e.set.countersigned = now;
        // A card typed past the countersign (countersignUnfinished) stays where it is.
        if (stageOf(card!, ctx.revisions) === "countersign") e.set.stage = "communication";
      }
      return e;
    }
    case "brief":
      // The route the card follows from here, in the log (core/routes cardRoute).
      return effect({}, routeNoteDue(card!, ctx, undefined, true) ?? "");
    case "return": {
      if (!input.reason?.trim()) throw new ActionRefused({ zh: "退回须说明原因", en: "say why it is sent back" });
      const e = effect({}, input.reason.trim());
      e.clear.push("brief");
      return e;
    }
    case "revision": {
      const r = input.revision;
      if (!r) throw new ActionRefused({ zh: "请填写修改原因", en: "give the revision's reason" });
      const why = r.reason === "Own" ? { zh: "自身原因", en: "Own" } : { zh: "客户要求", en: "Client" };
      // The one who relays a client's revision to the team (D7), recording it himself, has relayed it: D7 done now.
      const relayer = relayersOf(card!, ctx);
      const relayed = r.reason === "Client" && (relayer.includes(actor) || (p.onBehalfOf !== undefined && relayer.includes(p.onBehalfOf)));
      const e = effect(
        {},
        {
          zh: `${why.zh}${r.major ? "（重大）" : ""}${r.note ? `：${r.note}` : ""}${relayed ? "；已转达" : ""}`,
          en: `${why.en}${r.major ? " major" : ""}${r.note ? `: ${r.note}` : ""}${relayed ? "; relayed" : ""}`,
        },
      );
      e.revision = {
        cardNo: card!.cardNo,
        requested: now,
        reason: r.reason,
        major: r.major,
        note: r.note,
        ...(relayed ? { relayed: now } : {}),
      };
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
      const kind = INCIDENT_KIND_WORDS[i.kind];
      const e = effect(
        {},
        {
          zh: `${kind.zh}${i.person ? ` → ${i.person}` : ""}${i.note ? `：${i.note}` : ""}`,
          en: `${i.kind}${i.person ? ` → ${i.person}` : ""}${i.note ? `: ${i.note}` : ""}`,
        },
      );
      e.incident = { date: i.date ?? now, cardNo: card!.cardNo, kind: i.kind, person: i.person, note: i.note };
      return e;
    }
    case "sendBack": {
      const reason = required(input.reason, { zh: "退回修改须说明原因", en: "say why it goes back for changes" });
      // Back to writing: the draft and the reviews of it are gone (the log keeps them), so the next draft is reviewed again.
      const e = effect({}, reason);
      e.clear.push("draft", "reviewed", "directorReviewed");
      return e;
    }
    case "withdraw":
      return withdrawEffect(card!, ctx, effect);
    case "handOver": {
      const to = activePerson(input.to, { zh: "请选择新的项目负责人", en: "choose the new lead" });
      if (to === card!.lead) throw new ActionRefused({ zh: `${to} 已是项目负责人`, en: `${to} is the lead already` });
      const reason = required(input.reason, { zh: "转交须说明原因", en: "say why it is handed over" });
      return effect({ lead: to }, NOTE.handOver(card!.lead!, to, reason));
    }
    case "handOverSign": {
      const chain = countersignChain(card!, ctx);
      const step = chain.steps[chain.current];
      const to = activePerson(input.to, { zh: "请选择接手会签的人", en: "choose who signs instead" });
      if (step.holders.length === 1 && step.holders[0] === to)
        throw new ActionRefused({ zh: `这一步已由 ${to} 会签`, en: `${to} already holds this signature` });
      const reason = required(input.reason, { zh: "转交须说明原因", en: "say why it is handed over" });
      return effect({}, NOTE.handOverSign(chain.current + 1, step.holders.join("/") || actor, to, reason));
    }
    case "addSigner": {
      const chain = countersignChain(card!, ctx);
      const who = activePerson(input.to, { zh: "请选择加签人", en: "choose the signer to add" });
      const position = input.position;
      if (position !== "before" && position !== "after")
        throw new ActionRefused({ zh: "请选择加在当前会签之前还是之后", en: "choose before or after the step that is due" });
      if (chain.steps[chain.current].holders.includes(who))
        throw new ActionRefused({ zh: `${who} 就是当前会签人`, en: `${who} signs this step already` });
      if (chain.steps.slice(chain.current).some((s) => s.kind === "added" && s.holders.includes(who)))
        throw new ActionRefused({ zh: `${who} 已被加签，尚未签字`, en: `${who} was added already and has not signed yet` });
      return effect({}, NOTE.addSigner(who, position, chain.current + 1, input.reason?.trim() || undefined));
    }
    case "comment":
      return effect({}, required(input.text, { zh: "请填写评论内容", en: "write the comment" }));
    case "milestone": {
      const open = openMilestones(card!, ctx);
      const want = input.deadline?.trim().toUpperCase();
      const hit = want
        ? open.find(
            (m) =>
              m.key === want ||
              (m.deadline.id === want && (input.occurrence === undefined || m.key === milestoneKey(want, input.occurrence))),
          )
        : open[0];
      if (!hit)
        throw new ActionRefused(
          want
            ? { zh: `${card!.cardNo} 没有待完成的里程碑“${want}”`, en: `${card!.cardNo} has no milestone "${want}" to mark done` }
            : { zh: `${card!.cardNo} 没有待完成的里程碑`, en: `${card!.cardNo} has no milestone to mark done` },
        );
      const responsible = personOnCard(card!, hit.deadline.role, ctx.staff);
      if (responsible !== undefined && responsible !== actor && responsible !== p.onBehalfOf)
        throw new ActionRefused({
          zh: `${hit.key} 由 ${responsible} 负责完成`,
          en: `${hit.key} is for ${responsible} to mark done`,
        });
      return effect({}, { zh: `${hit.key} ${hit.deadline.name.zh}`.trim(), en: `${hit.key} ${hit.deadline.name.en}`.trim() });
    }
    case "excuse": {
      const id = required(input.deadline, { zh: "请选择要免责的时限（如 D1）", en: "choose the deadline to excuse (e.g. D1)" });
      if (ctx.deadlines && !ctx.deadlines.some((d) => d.id === id))
        throw new ActionRefused({ zh: `时限表中没有“${id}”`, en: `"${id}" is not in the Deadlines table` });
      const reason = required(input.reason, { zh: "免责须说明正当理由", en: "give the reason that excuses it" });
      const deadlines = ctx.deadlines ?? DEFAULT_DEADLINES;
      const own = excuseRowRefusal(card, { deadline: id, by: actor, onBehalfOf: p.onBehalfOf }, deadlines, ctx.staff);
      if (own) throw new ActionRefused(own);
      if (excusesOf(card!.cardNo, ctx.log, (x) => !excuseRowRefusal(card, x, deadlines, ctx.staff)).has(id))
        throw new ActionRefused({ zh: `${card!.cardNo} 的 ${id} 已免责`, en: `${id} of ${card!.cardNo} is excused already` });
      return effect({}, NOTE.excuse(id, reason));
    }
    case "copy": {
      const to = activePerson(input.to, { zh: "请选择抄送给谁", en: "choose whom to copy" });
      if (to === actor) throw new ActionRefused({ zh: "不能抄送给自己", en: "you cannot copy yourself" });
      return effect({}, NOTE.copy(to, input.text?.trim() || undefined));
    }
    case "acknowledge":
      return effect({}, input.text?.trim() ?? "");
    case "chase": {
      const to = activePerson(input.to, { zh: "请选择催办谁", en: "choose whom to chase" });
      if (to === actor) throw new ActionRefused({ zh: "不能催办自己", en: "you cannot chase yourself" });
      const waiting = waitingOn(card!, ctx);
      if (!waiting.includes(to))
        throw new ActionRefused({
          zh: `本卡现在不等 ${to} 操作${waiting.length ? `（等：${waiting.join("、")}）` : ""}`,
          en: `the card is not waiting for ${to}${waiting.length ? ` (waiting for: ${waiting.join(", ")})` : ""}`,
        });
      return effect({}, NOTE.chase(to, STAGE_WORDS[stageOf(card!, ctx.revisions)], input.text?.trim() || undefined));
    }
    case "changeDue": {
      const due = input.due;
      if (due === undefined) throw new ActionRefused({ zh: "请填写新的交稿时间", en: "give the new Due" });
      if (due <= now) throw new ActionRefused({ zh: "交稿时间必须晚于现在", en: "the Due must be later than now" });
      if (card!.received !== undefined && due < card!.received)
        throw new ActionRefused({ zh: "交稿时间不能早于需求接收时间", en: "the Due cannot be before the request was received" });
      if (card!.due !== undefined && Math.abs(card!.due - due) < 1e-9)
        throw new ActionRefused({ zh: "交稿时间没有变化", en: "the Due is the same" });
      const reason = required(input.reason, { zh: "修改交稿时间须说明原因", en: "say why the Due changes" });
      return effect({ due }, NOTE.changeDue(card!.due, due, reason));
    }
    case "close":
    case "archive": {
      // Closing does not settle a client revision nobody relayed: D7 keeps running, and the one who closes is told.
      const e = effect({});
      const open = leavesOpen(action, card!, ctx);
      if (open) e.warnings = [open];
      return e;
    }
    default:
      return effect({});
  }
}

/** Actions 撤销 can take back: those whose whole effect is the card's Register cells and the log (not issuing, revisions, relays, incidents, notes). */
export const WITHDRAWABLE: ReadonlySet<ActionId> = new Set<ActionId>([
  "assign",
  "reply",
  "brief",
  "sign",
  "return",
  "startWriting",
  "framework",
  "draft",
  "review",
  "directorReview",
  "send",
  "close",
  "archive",
  "sendBack",
  "handOver",
  "handOverSign",
  "addSigner",
  "changeDue",
  "excuse",
  "milestone",
]);

const labelOf = (id: ActionId | undefined, e: LogEntry): Text => (id ? LOG_WORDS[id] : { zh: e.action ?? "", en: e.action ?? "" });
const at = (t: number | undefined) => (t === undefined ? "" : ` ${formatSerial(t)}`);

/** Why `actor` may not withdraw the card's last step, or undefined. */
function withdrawGuard(card: Card, ctx: Context, actor: string): Text | undefined {
  const last = lastStep(card.cardNo, ctx.log);
  if (!last) return { zh: "没有可撤销的操作", en: "nothing to withdraw" };
  const id = actionOf(last);
  const w = labelOf(id, last);
  if (last.actor !== actor) {
    const mine = effectiveLog(card.cardNo, ctx.log).some((e) => e.actor === actor && !NOTE_ACTIONS.has(actionOf(e)!));
    return mine
      ? {
          zh: `${last.actor ?? ""} 已在你之后操作（${w.zh}${at(last.time)}），不能撤销`,
          en: `${last.actor ?? ""} acted after you (${w.en}${at(last.time)}): it can no longer be withdrawn`,
        }
      : {
          zh: `上一步是 ${last.actor ?? ""} 的“${w.zh}”，只有本人可以撤销`,
          en: `the last step is ${last.actor ?? ""}'s "${w.en}": only they may withdraw it`,
        };
  }
  if (!id || !WITHDRAWABLE.has(id)) return { zh: `“${w.zh}”不能撤销`, en: `"${w.en}" cannot be withdrawn` };
  if (!last.hash) return { zh: "上一步的记录没有校验值，不能撤销", en: "the last step's log row has no hash: it cannot be withdrawn" };
  return undefined;
}

/** The stage a row moved the card to, when it moved it. */
function movedTo(e: LogEntry): Stage | undefined {
  const id = actionOf(e);
  if (!id) return undefined;
  if (id === "issue") return "order";
  if (id === "sign") return isFinal(e) ? "communication" : undefined;
  if (id === "revision") return /Client major|客户 重大|客户要求（重大）/.test(e.note ?? "") ? "review" : undefined;
  return actionDef(id).to;
}
const isFinal = (e: LogEntry) => {
  const m = /(?:^|[\s;；])(\d+)\/(\d+) /.exec(e.note ?? "");
  return !!m && m[1] === m[2];
};

/**
 * 撤销: the Register cells the last step changed, put back as they were before it, and a log
 * row naming the withdrawn row by its hash (which takes it out of the card's effective log:
 * a withdrawn signature, 加签 or 转交会签 no longer counts). A date is put back to the time the
 * same action last stamped it (the log's earlier row), else emptied; the lead to whom 转交
 * handed it from; the Due to the one the row replaced; the stage to the one the card had
 * before (the stage the last earlier row that moved it moved it to).
 */
function withdrawEffect(card: Card, ctx: Context, effect: (set: Partial<Card>, note: Text) => Effect): Effect {
  const target = lastStep(card.cardNo, ctx.log)!;
  const id = actionOf(target)!;
  const rows = effectiveLog(card.cardNo, ctx.log);
  const before = rows.slice(0, rows.indexOf(target));
  const prevTime = (a: ActionId) => [...before].reverse().find((e) => actionOf(e) === a)?.time;
  const set: Partial<Card> = {};
  const clear: (keyof Card)[] = [];
  const restore = (key: keyof Card, value: number | string | undefined) => {
    if (value === undefined) clear.push(key);
    else (set as Record<string, unknown>)[key] = value;
  };
  const def = actionDef(id);
  if (def.stamps) restore(def.stamps, prevTime(id));
  switch (id) {
    case "assign":
      clear.push("lead", "reviewer");
      break;
    case "reply":
    case "changeDue":
      restore("due", parseDue(target)?.from);
      break;
    case "sign":
      if (isFinal(target) || card.countersigned !== undefined) clear.push("countersigned");
      break;
    case "return":
      restore("brief", prevTime("brief"));
      break;
    case "sendBack":
      restore("draft", prevTime("draft"));
      restore("reviewed", prevTime("review"));
      restore("directorReviewed", prevTime("directorReview"));
      break;
    case "handOver": {
      const p = parseHandOver(target);
      if (p) set.lead = p.from;
      break;
    }
    default:
      // The other steps stamp one date (def.stamps above) or none: nothing more to take back.
      break;
  }
  if (movedTo(target)) {
    let stage: Stage = "order";
    for (let i = before.length - 1; i >= 0; i--) {
      const s = movedTo(before[i]);
      if (s) {
        stage = s;
        break;
      }
    }
    set.stage = stage;
  }
  const e = effect(set, NOTE.withdraw(labelOf(id, target), target.time, target.hash!));
  e.clear.push(...clear);
  return e;
}

/**
 * The people the card waits for now: every active person who may take a step that moves it on
 * (not a note, a revision, an incident, 撤销 or 转交) as themselves, not as a backup, in Staff order. What 催办 may chase, and
 * what a leader's overview can show as "waiting for".
 */
export function waitingOn(card: Card, ctx: Context): string[] {
  const stage = stageOf(card, ctx.revisions);
  const moves = ACTIONS.filter((a) => PROGRESS_ACTIONS.has(a.id) && offeredIn(a, card, stage));
  return ctx.staff
    .filter(
      (s) =>
        s.active &&
        moves.some((a) => {
          const p = permission(a.id, card, s.name, ctx);
          return p.allowed && !p.onBehalfOf; // their own step, not as someone's backup
        }),
    )
    .map((s) => s.name);
}
/**
 * The steps that move a card on: a card waits for whoever may take one of them (My work, 催办).
 * The others — notes (评论, 抄送, 已阅, 催办), 撤销, 转交, 加签, a new Due, revisions, incidents — are
 * always possible for someone and never make a card wait for them.
 */
export const PROGRESS_ACTIONS: ReadonlySet<ActionId> = new Set<ActionId>([
  "assign",
  "reply",
  "brief",
  "sign",
  "startWriting",
  "framework",
  "draft",
  "review",
  "directorReview",
  "send",
  "relay",
  "close",
  "archive",
]);

export interface Move {
  id: ActionId;
  def: ActionDef;
  allowed: boolean;
  /** Why not, when not allowed. */
  reason?: Text;
  /** When allowed as someone's AB-role backup. */
  onBehalfOf?: string;
}

/**
 * Every action of the card's stage for one person, allowed or not with the reason, in ACTIONS
 * order (issuing a number is not a move on a card): what the card's buttons show.
 */
export function availableMoves(card: Card, person: string, ctx: Context): Move[] {
  const stage = stageOf(card, ctx.revisions);
  return ACTIONS.filter((a) => a.id !== "issue" && offeredIn(a, card, stage)).map((def) => {
    const p = permission(def.id, card, person, ctx);
    return { id: def.id, def, allowed: p.allowed, reason: p.reason, onBehalfOf: p.onBehalfOf };
  });
}

/** The next card number: the format with the issue date filled in and the running number one above any number of that prefix ever used (Register or log), so numbers are never reused. */
export function nextCardNumber(format: string, used: Iterable<string>, civil: { year: number; month: number; day: number }): string {
  const y = String(civil.year).padStart(4, "0");
  const m = String(civil.month).padStart(2, "0");
  const d = String(civil.day).padStart(2, "0");
  const nMatch = /N+/.exec(format)!;
  const width = nMatch[0].length;
  const prefix = format.slice(0, nMatch.index).replace(/YYYY/g, y).replace(/MM/g, m).replace(/DD/g, d);
  const suffix = format
    .slice(nMatch.index + width)
    .replace(/YYYY/g, y)
    .replace(/MM/g, m)
    .replace(/DD/g, d);
  let max = 0;
  for (const u of used) {
    if (!u.startsWith(prefix) || !u.endsWith(suffix)) continue;
    const mid = u.slice(prefix.length, u.length - suffix.length);
    if (/^\d+$/.test(mid)) max = Math.max(max, Number(mid));
  }
  return prefix + String(max + 1).padStart(width, "0") + suffix;
}

/** Issues a card: the secretary (or their backup) records the request under a new number. */
export function issueCard(
  actor: string,
  request: NonNullable<ActionInput["request"]>,
  ctx: Context & { cardNumbers: Iterable<string>; civil: { year: number; month: number; day: number } },
): Effect {
  const p = permission("issue", undefined, actor, ctx);
  if (!p.allowed) throw new ActionRefused(p.reason!);
  if (!request.project?.trim()) throw new ActionRefused({ zh: "请填写项目名称", en: "give the project's name" });
  if (request.received === undefined) throw new ActionRefused({ zh: "请填写需求接收时间", en: "give the time the request arrived" });
  const cardNo = nextCardNumber(ctx.settings.cardFormat, ctx.cardNumbers, ctx.civil);
  const card: Card = { ...request, cardNo, stage: "order" };
  const behalf = p.onBehalfOf ? `代 ${p.onBehalfOf}；` : "";
  const behalfEn = p.onBehalfOf ? `on behalf of ${p.onBehalfOf}; ` : "";
  const route = routeNoteDue(card, { routes: ctx.routes, log: [], staff: ctx.staff }, undefined, true);
  const zh = `${behalf}${INTAKE_WORDS[request.intake].zh}：${request.project}${route ? `；${route.zh}` : ""}`;
  const en = `${behalfEn}${INTAKE_WORDS[request.intake].en}: ${request.project}${route ? `; ${route.en}` : ""}`;
  return {
    cardNo,
    set: {},
    clear: [],
    newCard: card,
    log: { time: ctx.now, cardNo, action: "issue", actor, role: p.role, note: zh },
    logNote: { zh, en },
  };
}
