/**
 * The actions of a card, as data: core's ACTIONS say who may press what and when; here each
 * action's form says which fields it asks for (with labels, options, initial values and hints)
 * and how they become core's input. An action without an entry is a button alone. A new
 * approval move (退回修改, 转交, 加签, 评论, 抄送, 催办 …) is a core ACTIONS row plus, when it asks
 * for something, one entry here.
 *
 * Inputs of actions I may not take are disabled; every control has a label; what is typed is
 * kept until the action is done.
 */
import type { IncidentKind, RevisionReason, Role } from "../../core/model";
import { activeWithRole } from "../../core/people";
import {
  ACTIONS,
  ActionDef,
  ActionId,
  ActionInput,
  PROGRESS_ACTIONS,
  Permission,
  leavesOpen,
  permission,
  openMilestones,
  whoTextOf,
} from "../../core/workflow/actions";
import { chaseTargets, noticesOn } from "../../core/workflow/inbox";
import { accountPermission } from "../../core/workflow/account";
import { KINDS, ROLES, word } from "../../workbook/vocab";
import { proposeDue, standardOf, standardText, urgency } from "../../workbook/validate";
import type { Controller, FieldError, Text } from "../controller";
import type { CardEntry } from "../derive";
import { Child, h } from "../dom";
import { button, checkbox, checked, dateOf, dateTimeInput, selectInput, textInput, when } from "../ui";

type Option = { value: string; text: string };

export interface FieldSpec {
  key: string;
  kind: "text" | "select" | "datetime" | "checkbox";
  label: Text;
  options?: (c: Controller, e: CardEntry) => Option[];
  initial?: (c: Controller, e: CardEntry) => string | undefined;
  /** Under the field: what the value means (the standard turnaround, 加急). */
  hint?: (c: Controller, e: CardEntry, value: string) => Child;
  /** Draw again when it changes (its hint follows the value). */
  rerender?: boolean;
  /** Must be filled: marked before anything is typed (never shown red until then). */
  required?: boolean;
}

export interface FieldValues {
  text(key: string): string;
  checked(key: string): boolean;
  date(key: string): { value?: number; error?: Text };
}

export interface ActionForm {
  fields: FieldSpec[];
  /** Core's input from the fields, or why the fields cannot be read. */
  input(v: FieldValues): ActionInput | { error: Text };
  /** Words the done message adds. */
  done?(c: Controller, e: CardEntry, input: ActionInput): Text | undefined;
}

/** Every active person of Staff but me (whom to hand over, add, copy). */
const others = (c: Controller, first: Text = { zh: "（请选择）", en: "(choose)" }): Option[] => [
  noneOption(c, first),
  ...c
    .d!.model.staff.filter((s) => s.active && s.name !== c.me)
    .map((s) => ({ value: s.name, text: s.role ? `${s.name} · ${word(ROLES, s.role, c.lang)}` : s.name })),
];
const reasonField: FieldSpec = { key: "reason", kind: "text", label: { zh: "原因", en: "Reason" }, required: true };
const picked = (v: FieldValues, key: string) => v.text(key) || undefined;

const people = (c: Controller, ...roles: Role[]): Option[] =>
  activeWithRole(c.d!.model.staff, ...roles).map((n) => ({ value: n, text: n }));
const noneOption = (c: Controller, text?: Text): Option => ({ value: "", text: text ? c.tx(text) : c.t("（不指定）", "(none)") });

/** The Due the deliverable's standard proposes, and whether a Due is shorter (加急), under the date field `id`. */
const dueHintOf =
  (id: string) =>
  (c: Controller, e: CardEntry, value: string): Child =>
    dueHint(c, e, value, id);
function dueHint(c: Controller, e: CardEntry, value: string, id = "pd-reply-due"): Child {
  const d = c.d!;
  const p = proposeDue(d.model, d.cal, e.card, c.now());
  const std = standardOf(d.model.standards, e.card.deliverable);
  const typed = dateOf(c, id, value).value;
  const dayOff = typed !== undefined && !d.cal.isWorkday(Math.floor(typed + 1e-9));
  const off = dayOff
    ? h("strong", { class: "pd-urgent pd-day-off" }, c.t("。注意：这一天不是工作日", ". Note: that day is not a working day"))
    : "";
  if (!p || !std)
    return h(
      "span",
      {},
      c.t("与客户约定的交稿时间，按 yyyy-mm-dd hh:mm 填写", "The time point agreed with the client, as yyyy-mm-dd hh:mm"),
      off || c.t("。", "."),
    );
  const u = urgency(p, d.cal, typed);
  const base = `${c.tx(standardText(std, e.card.deliverable))}${c.t(`，自需求接收 ${when(p.from)} 起：建议 ${when(p.due)}`, `, from ${when(p.from)}: proposed ${when(p.due)}`)}`;
  return h(
    "span",
    {},
    base,
    u.urgent ? h("strong", { class: "pd-urgent" }, c.t(`。加急：只有 ${u.days} 个工作日`, `. Urgent: only ${u.days} business days`)) : "",
    off,
  );
}

/** The optional opinion (意见) of a signature or a review, logged with it (core's `text`); when 退回 stands beside it, the reason to send back. */
const opinion: ActionForm = {
  fields: [
    {
      key: "opinion",
      kind: "text",
      label: { zh: "意见（可不填；退回须写原因）", en: "Opinion (optional; the reason, to send back)" },
    },
  ],
  input: (v) => ({ text: v.text("opinion") || undefined }),
};

export const ACTION_FORMS: Partial<Record<ActionId, ActionForm>> = {
  sign: opinion,
  review: opinion,
  directorReview: opinion,
  assign: {
    fields: [
      {
        key: "lead",
        kind: "select",
        label: { zh: "项目负责人", en: "Lead" },
        options: (c) => [noneOption(c, { zh: "（请选择）", en: "(choose)" }), ...people(c, "Planner")],
        initial: (_c, e) => e.card.lead,
        required: true,
      },
      {
        key: "reviewer",
        kind: "select",
        label: { zh: "审核人（可不指定）", en: "Reviewer (optional)" },
        options: (c) => [
          noneOption(c, { zh: "（经理或经理助理均可）", en: "(manager or assistant)" }),
          ...people(c, "Manager", "Assistant Manager"),
        ],
        initial: (_c, e) => e.card.reviewer,
      },
    ],
    input: (v) => ({ lead: v.text("lead") || undefined, reviewer: v.text("reviewer") || undefined }),
  },
  reply: {
    fields: [
      {
        key: "due",
        kind: "datetime",
        label: { zh: "与客户约定的交稿时间", en: "Time point agreed with the client" },
        initial: (c, e) => {
          const p = proposeDue(c.d!.model, c.d!.cal, e.card, c.now());
          const t = e.card.due ?? p?.due;
          return t === undefined ? "" : when(t);
        },
        hint: dueHintOf("pd-reply-due"),
      },
    ],
    input: (v) => {
      const due = v.date("due");
      return due.error ? { error: due.error } : { due: due.value };
    },
    done: (c, e, input) => {
      const d = c.d!;
      const u = urgency(proposeDue(d.model, d.cal, e.card, c.now()), d.cal, input.due);
      return u.urgent
        ? {
            zh: `加急：交稿时间短于${e.card.deliverable ?? ""}的标准`,
            en: `urgent: the Due is shorter than the standard for ${e.card.deliverable ?? ""}`,
          }
        : undefined;
    },
  },
  return: {
    fields: [{ key: "reason", kind: "text", label: { zh: "退回原因", en: "Reason" }, required: true }],
    input: (v) => ({ reason: v.text("reason") }),
  },
  revision: {
    fields: [
      {
        key: "reason",
        kind: "select",
        label: { zh: "修改原因", en: "Reason" },
        options: (c) => [
          { value: "Client", text: c.t("客户要求", "The client's") },
          { value: "Own", text: c.t("自身原因", "Our own") },
        ],
      },
      { key: "major", kind: "checkbox", label: { zh: "重大修改", en: "Major" } },
      { key: "note", kind: "text", label: { zh: "备注", en: "Note" } },
    ],
    input: (v) => ({
      revision: { reason: (v.text("reason") || "Client") as RevisionReason, major: v.checked("major"), note: v.text("note") || undefined },
    }),
  },
  sendBack: {
    fields: [{ key: "reason", kind: "text", label: { zh: "退回修改的原因", en: "What must change" }, required: true }],
    input: (v) => ({ reason: v.text("reason") }),
  },
  handOver: {
    fields: [
      {
        key: "to",
        kind: "select",
        label: { zh: "新的项目负责人", en: "New lead" },
        options: (c, e) => [
          noneOption(c, { zh: "（请选择）", en: "(choose)" }),
          ...people(c, "Planner").filter((o) => o.value !== e.card.lead),
        ],
        required: true,
      },
      reasonField,
    ],
    input: (v) => ({ to: picked(v, "to"), reason: v.text("reason") }),
  },
  handOverSign: {
    fields: [
      { key: "to", kind: "select", label: { zh: "接手会签的人", en: "Who signs instead" }, options: (c) => others(c), required: true },
      reasonField,
    ],
    input: (v) => ({ to: picked(v, "to"), reason: v.text("reason") }),
  },
  addSigner: {
    fields: [
      { key: "to", kind: "select", label: { zh: "加签人", en: "Signer to add" }, options: (c) => others(c), required: true },
      {
        key: "position",
        kind: "select",
        label: { zh: "位置", en: "Where" },
        options: (c) => [
          { value: "before", text: c.t("在当前会签人之前签", "signs before the step that is due") },
          { value: "after", text: c.t("在当前会签人之后签", "signs right after the step that is due") },
        ],
      },
    ],
    input: (v) => ({ to: picked(v, "to"), position: (v.text("position") || "before") as "before" | "after" }),
  },
  comment: {
    fields: [{ key: "text", kind: "text", label: { zh: "评论内容", en: "Comment" }, required: true }],
    input: (v) => ({ text: v.text("text") }),
  },
  copy: {
    fields: [
      { key: "to", kind: "select", label: { zh: "抄送给", en: "Copy to" }, options: (c) => others(c), required: true },
      { key: "text", kind: "text", label: { zh: "附言（可不填）", en: "Message (optional)" } },
    ],
    input: (v) => ({ to: picked(v, "to"), text: v.text("text") || undefined }),
  },
  chase: {
    fields: [
      {
        key: "to",
        kind: "select",
        label: { zh: "催办谁", en: "Whom to chase" },
        // Only someone the card waits for; whose step it is first, and chosen (core's chaseTargets).
        options: (c, e) => chaseTargets(e.card, c.ctxFor(e.card), c.me).map((n) => ({ value: n, text: n })),
        initial: (c, e) => chaseTargets(e.card, c.ctxFor(e.card), c.me)[0],
      },
      { key: "text", kind: "text", label: { zh: "附言（可不填）", en: "Message (optional)" } },
    ],
    input: (v) => ({ to: picked(v, "to"), text: v.text("text") || undefined }),
  },
  changeDue: {
    fields: [
      {
        key: "due",
        kind: "datetime",
        label: { zh: "新的交稿时间", en: "New Due" },
        initial: (_c, e) => (e.card.due === undefined ? "" : when(e.card.due)),
        hint: dueHintOf("pd-changeDue-due"),
      },
      reasonField,
    ],
    input: (v) => {
      const due = v.date("due");
      return due.error ? { error: due.error } : { due: due.value, reason: v.text("reason") };
    },
  },
  milestone: {
    fields: [
      {
        key: "deadline",
        kind: "select",
        label: { zh: "里程碑", en: "Milestone" },
        options: (c, e) =>
          openMilestones(e.card, c.ctxFor(e.card)).map((m) => ({
            value: m.key,
            text: `${m.key} ${m.deadline.name[c.lang]}${m.due < c.ctxFor(e.card).now ? c.t("（已超时）", " (late)") : ""}`,
          })),
      },
    ],
    input: (v) => ({ deadline: v.text("deadline") || undefined }),
  },
  excuse: {
    fields: [
      {
        key: "deadline",
        kind: "select",
        label: { zh: "免责的时限（已超时的）", en: "Deadline to excuse (missed)" },
        options: (c, e) => [
          noneOption(c, { zh: "（请选择）", en: "(choose)" }),
          ...(c.d?.deadlinesOf(e) ?? [])
            .filter((r) => r.status === "missed")
            .map((r) => ({ value: r.deadline.id, text: `${r.deadline.id} ${r.deadline.name[c.lang]}` })),
        ],
        required: true,
      },
      { key: "reason", kind: "text", label: { zh: "正当理由", en: "Reason" }, required: true },
    ],
    input: (v) => ({ deadline: v.text("deadline") || undefined, reason: v.text("reason") }),
  },
  incident: {
    fields: [
      {
        key: "kind",
        kind: "select",
        label: { zh: "事件类型", en: "Kind" },
        options: (c) => Object.keys(KINDS).map((k) => ({ value: k, text: word(KINDS, k, c.lang) })),
      },
      {
        key: "person",
        kind: "select",
        label: { zh: "责任人", en: "Person" },
        options: (c) => [
          noneOption(c, { zh: "（按规则的角色）", en: "(the rule's role)" }),
          ...c.d!.model.staff.filter((s) => s.active).map((s) => ({ value: s.name, text: s.name })),
        ],
      },
      { key: "note", kind: "text", label: { zh: "备注", en: "Note" } },
    ],
    input: (v) => ({
      incident: {
        kind: (v.text("kind") || Object.keys(KINDS)[0]) as IncidentKind,
        person: v.text("person") || undefined,
        note: v.text("note") || undefined,
      },
    }),
  },
};

/** What each button does, for its tooltip (who may press it comes from core's whoTextOf: 会签's from the card's route). */
export const WHAT: Partial<Record<ActionId, Text>> = {
  milestone: {
    zh: "记录这一里程碑已完成（记入会签记录）：不再提醒，月末不计超时",
    en: "records the milestone as done (in the Countersign Log): no more reminders, not a miss at month end",
  },
  assign: { zh: "写入项目负责人、审核人和指派时间", en: "writes the lead, the reviewer and the time assigned" },
  reply: { zh: "写入回复客户时间和约定的交稿时间", en: "writes the reply time and the Due agreed with the client" },
  brief: { zh: "提交需求单，进入会签", en: "submits the brief: the card goes to countersign" },
  sign: { zh: "在会签记录中签字；最后一位签完即会签完成", en: "signs in the log; the last signature completes the countersign" },
  return: {
    zh: "需求单时间清空，须写明原因；重新提交后会签从头再来",
    en: "sends the brief back: its time is emptied and the signatures start again",
  },
  sendBack: {
    zh: "清空初稿和审核，退回撰写阶段，记录原因",
    en: "empties the draft and the reviews and sends the card back to writing, with the reason",
  },
  withdraw: {
    zh: "撤回你的上一步：恢复它改动的单元格和之前的阶段",
    en: "takes back your last step: the cells it changed and the stage before",
  },
  handOver: { zh: "更换项目负责人（时限不变），记录原因", en: "changes the lead (the deadlines stay), with the reason" },
  handOverSign: { zh: "当前这一步会签改由另一人签，记录原因", en: "the signature that is due is signed by someone else, with the reason" },
  addSigner: { zh: "在当前会签之前或之后增加一位会签人", en: "adds a signer before or right after the step that is due" },
  comment: { zh: "在会签记录中写一条评论", en: "writes a comment in the log" },
  copy: {
    zh: "抄送给某人：在其“我的工作”顶部显示这条抄送，直到其已阅",
    en: "copies someone: it shows at the top of their My work until they mark it seen",
  },
  acknowledge: {
    zh: "表示已阅：给你的抄送、催办或退回从“我的工作”顶部消失",
    en: "marks it seen: the copy, chase or send-back to you leaves the top of your My work",
  },
  chase: {
    zh: "催办本卡正在等的人：显示在其“我的工作”顶部，直到其操作",
    en: "chases someone the card waits for: it shows at the top of their My work until they act",
  },
  changeDue: { zh: "改写交稿时间，记录原时间、新时间和原因", en: "changes the Due; the log says from, to and why" },
};

const fieldId = (action: string, key: string) => `pd-${action}-${key}`;

/** Approve and send back side by side: one opinion field, optional to approve, the reason to send back. */
const PAIRS: Partial<Record<ActionId, ActionId>> = { sign: "return", review: "sendBack", directorReview: "sendBack" };
/** Moves that are mine now and go first: the steps that move the card on, their send-backs, 已阅, and once sent the client's revision. */
const FIRST = (id: ActionId, stage: string) =>
  PROGRESS_ACTIONS.has(id) ||
  id === "milestone" ||
  id === "return" ||
  id === "sendBack" ||
  id === "acknowledge" ||
  (id === "revision" && stage === "sent");

interface Allowed {
  def: ActionDef;
  p: Permission;
}

/**
 * The card's actions, the way people work: first the moves that are mine now, each with only
 * the fields it needs (同意 and 退回 side by side, one optional opinion); every other move I may
 * make folds under 更多. Moves I cannot make are not listed: the card's waiting line says whom
 * it waits for.
 */
export function actionsFor(c: Controller, e: CardEntry): HTMLElement {
  const list = h("div", { class: "pd-actions", id: "pd-actions" });
  if (e.partial) {
    const fix = e.partial.findings
      .map((f) => f.cell)
      .filter(Boolean)
      .join("、");
    list.append(
      h(
        "p",
        { class: "pd-who-may", id: "pd-actions-blocked" },
        c.t(`不可操作：这张卡的登记行有错误，先改正 ${fix}`, `No action: this card's Register row has errors; correct ${fix} first`),
      ),
    );
    return list;
  }
  if (!c.me) {
    list.append(
      h(
        "p",
        { class: "pd-who-may", id: "pd-actions-blocked" },
        c.t("请先在上方“我是”中选择你的名字", "Choose your name under “I am” above first"),
      ),
    );
    return list;
  }
  // "只允许本人操作" refuses the chosen person (the signed-in account is someone else's, or there
  // is none): no action is offered as a button, one line says why.
  const model = c.d?.model;
  const refused = model && accountPermission(c.me, c.signedIn?.account, { staff: model.staff, settings: model.settings });
  if (refused) {
    list.append(
      h(
        "p",
        { class: "pd-who-may", id: "pd-actions-blocked", "data-why": "account" },
        `${c.t("不可操作：", "No action: ")}${c.tx(refused)}`,
      ),
    );
    return list;
  }
  const ctx = c.ctxFor(e.card);
  const allowed: Allowed[] = [];
  for (const def of ACTIONS) {
    if (def.id === "issue" || !def.stages.includes(e.stage)) continue;
    const p = permission(def.id, e.card, c.me, ctx);
    // 催办 with nobody to chase (the card waits only on me) is no move: not offered with an empty list.
    if (def.id === "chase" && !chaseTargets(e.card, ctx, c.me).length) continue;
    if (p.allowed) allowed.push({ def, p });
  }
  const has = (id: ActionId) => allowed.find((a) => a.def.id === id);
  const paired = new Set<ActionId>();
  for (const a of allowed) {
    const partner = PAIRS[a.def.id];
    if (partner && has(partner)) paired.add(partner);
  }
  const first = allowed.filter((a) => FIRST(a.def.id, e.stage) && !paired.has(a.def.id));
  // Opened for one action (a milestone's row of 待我处理): that action first.
  const on = first.findIndex((a) => a.def.id === c.openOn);
  if (on > 0) first.unshift(...first.splice(on, 1));
  const rest = allowed.filter((a) => !FIRST(a.def.id, e.stage));
  const mine = h("div", { class: "pd-next", id: "pd-next" });
  // What was sent to me on this card (a send-back with its reason, a chase, a copy), above what I do about it: as at the top of My work.
  const notices = noticesOn(c.me, e.card, ctx);
  if (notices.length)
    mine.append(
      h(
        "ul",
        { class: "pd-notices", id: "pd-card-notices" },
        ...notices.map((n) => h("li", { class: `pd-notice pd-notice-${n.kind}`, "data-kind": n.kind }, c.tx(n.text))),
      ),
    );
  if (first.length) mine.append(...first.map((a) => actionBlock(c, e, a, PAIRS[a.def.id] ? has(PAIRS[a.def.id]!) : undefined)));
  else
    mine.append(h("p", { class: "pd-hint", id: "pd-nothing-mine" }, c.t("现在没有需要你处理的步骤。", "Nothing here is yours to do now.")));
  list.append(mine);
  if (rest.length) {
    const details = h(
      "details",
      {
        class: "pd-more-actions",
        id: "pd-more-actions",
        open: c.moreOpen,
        ontoggle: (ev: Event) => (c.moreOpen = ev.currentTarget instanceof HTMLDetailsElement && ev.currentTarget.open),
      },
      h("summary", { id: "pd-more-summary" }, c.t(`更多（${rest.length}）`, `More (${rest.length})`)),
      ...rest.map((a) => actionBlock(c, e, a)),
    );
    list.append(details);
  }
  return list;
}

/** One move with its fields and its button; with a partner (退回), both buttons side by side over one opinion field. */
function actionBlock(c: Controller, e: CardEntry, a: Allowed, partner?: Allowed): HTMLElement {
  const { def, p } = a;
  const form = ACTION_FORMS[def.id];
  const off = !!c.busy;
  const fields = (form?.fields ?? []).map((f) => {
    const id = fieldId(def.id, f.key);
    const label = f.label[c.lang];
    const initial = f.initial?.(c, e) ?? "";
    switch (f.kind) {
      case "select":
        return selectInput(c, id, label, f.options ? f.options(c, e) : [], {
          value: initial,
          disabled: off,
          rerender: f.rerender,
          required: f.required,
        });
      case "checkbox":
        return checkbox(c, id, label, { checked: initial === "1", disabled: off });
      case "datetime":
        return dateTimeInput(c, id, label, {
          value: initial,
          disabled: off,
          hint: f.hint ? (v) => (f.hint ? f.hint(c, e, v) : "") : undefined,
        });
      default:
        return textInput(c, id, label, { value: initial, disabled: off, required: f.required });
    }
  });
  // What the move leaves open (结案 with a revision not relayed), said before the click, under its button and tied to it.
  const warn = leavesOpen(def.id, e.card, c.ctxFor(e.card));
  const warnId = `pd-act-${def.id}-warning`;
  const buttons = [pressButton(c, e, a, undefined, !!partner, warn ? warnId : undefined)];
  // The partner's reason is the shared opinion field.
  if (partner) buttons.push(pressButton(c, e, partner, fieldId(def.id, "opinion")));
  const onBehalf = "onBehalfOf" in p && p.onBehalfOf ? c.t(`你代 ${p.onBehalfOf} 操作`, `you act for ${p.onBehalfOf}`) : "";
  return h(
    "div",
    { class: `pd-action${partner ? " pd-pair" : ""}`, "data-for": def.id, "data-slot": "" },
    ...fields,
    h("div", { class: "pd-action-line" }, ...buttons),
    warn ? h("p", { class: "pd-who-may pd-warn-before", id: warnId }, c.tx(warn)) : "",
    onBehalf ? h("p", { class: "pd-who-may" }, onBehalf) : "",
  );
}

function pressButton(c: Controller, e: CardEntry, a: Allowed, reasonFrom?: string, partner = false, describedBy?: string): HTMLElement {
  const { def } = a;
  const form = ACTION_FORMS[def.id];
  const initialOf = (k: string) => form?.fields.find((f) => f.key === k)?.initial?.(c, e) ?? "";
  const values: FieldValues = {
    text: (k) => (reasonFrom && k === "reason" ? c.draft(reasonFrom) : c.draft(fieldId(def.id, k), initialOf(k))).trim(),
    checked: (k) => checked(c, fieldId(def.id, k)),
    date: (k) => dateOf(c, fieldId(def.id, k), initialOf(k)),
  };
  const anchor = `pd-act-${def.id}`;
  const press = () => {
    // A date that cannot be read, a required field left empty: each refused beside its own field, the first takes the focus.
    const errors: FieldError[] = [];
    for (const f of form?.fields ?? []) {
      // The partner's reason is the shared opinion field.
      const id = reasonFrom && f.key === "reason" ? reasonFrom : fieldId(def.id, f.key);
      const bad = f.kind === "datetime" ? values.date(f.key).error : undefined;
      if (bad) errors.push({ id, text: bad });
      else if (f.required && !values.text(f.key)) errors.push({ id, text: { zh: `${f.label.zh}：必填`, en: `${f.label.en}: required` } });
    }
    if (errors.length) return c.refuseFields(errors);
    const input = form ? form.input(values) : {};
    if ("error" in input) return c.refuse(anchor, input.error);
    void c.act(def, e.card, input, anchor, reasonFrom ?? `pd-${def.id}-`, (done) => {
      const more = form?.done?.(c, e, input);
      return more ? { zh: `${done.zh}。${more.zh}`, en: `${done.en}. ${more.en}` } : done;
    });
  };
  const reject = def.id === "return" || def.id === "sendBack";
  const who = whoTextOf(def.id, e.card, c.ctxFor(e.card));
  // Side by side, the words of 审批 and of the row's one tap: 会签 or 同意, and 退回 (the tooltip keeps the move's full name).
  const label = reasonFrom
    ? c.t("退回", "Send back")
    : partner
      ? def.id === "sign"
        ? c.t("会签", "Sign")
        : c.t("同意", "Approve")
      : def.label[c.lang];
  return button(c, anchor, label, {
    onclick: press,
    appearance: reject ? "outline" : "accent",
    describedBy,
    title: `${def.label[c.lang]}${WHAT[def.id] ? `${c.t("：", ": ")}${WHAT[def.id]?.[c.lang] ?? ""}` : ""} — ${c.t(`可操作：${who.zh}`, `Who: ${who.en}`)}`,
    attrs: { "data-action": def.id },
  });
}
