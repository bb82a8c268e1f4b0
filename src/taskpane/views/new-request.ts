/**
 * New request: any intake channel (AE, director, manager, planner); the secretary (or their
 * backup) issues the card number. 需求发起人 follows whoever received the request — the AE for
 * the AE channel, the director for the director's — until someone picks it. What was typed
 * stays when the request is refused.
 */
import type { Intake } from "../../core/model";
import type { Condition } from "../../core/routes/condition";
import { PROPOSAL, typeKey, typeText } from "../../core/routes/routes";
import { activeWithRole, onlyActive } from "../../core/people";
import { actionDef, permission } from "../../core/workflow/actions";
import { INTAKES, ROLES, word } from "../../workbook/vocab";
import type { Controller, FieldError } from "../controller";
import { h } from "../dom";
import { button, checkbox, checked, dateOf, dateTimeInput, selectInput, textInput, when } from "../ui";

const ID = (k: string) => `pd-new-${k}`;

/** Who received the request on this channel, when the form can tell. */
function defaultInitiator(c: Controller, intake: string, ae: string): string {
  const staff = c.d!.model.staff;
  const mine = (...roles: string[]) => (staff.some((s) => s.name === c.me && s.active && s.role && roles.includes(s.role)) ? c.me : "");
  switch (intake) {
    case "Director":
      return onlyActive(staff, "Director") ?? "";
    case "Manager":
      return mine("Manager", "Assistant Manager");
    case "Planner":
      return mine("Planner");
    default:
      return ae;
  }
}

/** The card fields a type's route and deadlines read, beyond every card's (the event's): 人数, 预算, 活动日期, 计划内. */
const TYPE_FIELDS = ["headcount", "budget", "eventDate", "planned"] as const;
type TypeField = (typeof TYPE_FIELDS)[number];

function fieldsOf(cond: Condition | undefined, out: Set<string>): Set<string> {
  if (!cond) return out;
  if (cond.kind === "cmp") out.add(cond.field.key);
  else for (const p of cond.parts) fieldsOf(p, out);
  return out;
}

/** The fields the form asks for a type: those its route's conditions name and those its deadlines start from. */
export function typeFields(type: string, m: NonNullable<Controller["d"]>["model"]): TypeField[] {
  const used = new Set<string>();
  for (const r of m.routes) if (r.type === type) fieldsOf(r.condition, used);
  for (const d of m.deadlines) if (d.types?.includes(type)) used.add(d.starts);
  return TYPE_FIELDS.filter((k) => used.has(k));
}

/** A number typed in the form: digits (with , and 万), or an error naming the field and the value. */
function numberOf(c: Controller, id: string, label: { zh: string; en: string }): { value?: number; error?: { zh: string; en: string } } {
  const raw = c.draft(id).trim();
  if (!raw) return {};
  const m = /^(\d+(?:\.\d+)?)(万)?$/.exec(raw.replace(/[,，\s]/g, ""));
  if (!m) return { error: { zh: `${label.zh}：“${raw}”不是数字`, en: `${label.en}: "${raw}" is not a number` } };
  return { value: Number(m[1]) * (m[2] ? 10000 : 1) };
}

export function newRequest(c: Controller): HTMLElement {
  const m = c.d!.model;
  const perm = c.me
    ? permission("issue", undefined, c.me, c.ctxFor(undefined))
    : { allowed: false, reason: { zh: "请先在上方选择你的名字", en: "choose your name above first" } };
  const intake = c.draft(ID("intake"), "AE");
  const ae = c.draft(ID("ae"), "");
  const initiatorDefault = defaultInitiator(c, intake, ae);
  const staff = m.staff.filter((s) => s.active);
  const off = !perm.allowed;
  // The card's type (类型): the types the Routes table names, 策划提案 first; the fields its route and deadlines use.
  const types = [...new Set([PROPOSAL, ...m.routes.map((r) => r.type)])];
  const type = typeKey(c.draft(ID("type"), PROPOSAL));
  const fields = typeFields(type, m);
  const LABELS: Record<TypeField, { zh: string; en: string }> = {
    headcount: { zh: "人数", en: "Headcount" },
    budget: { zh: "预算（元）", en: "Budget (yuan)" },
    eventDate: { zh: "活动日期", en: "Event date" },
    planned: { zh: "计划内（年度计划中的活动）", en: "Planned (in the annual plan)" },
  };
  const issue = () => {
    // Every bad field is named beside itself, in the form's order; the first takes the focus.
    const errors: FieldError[] = [];
    const text = (k: string) => c.draft(ID(k)).trim();
    if (!text("project")) errors.push({ id: ID("project"), text: { zh: "请填写项目名称", en: "Give the project's name" } });
    const extra: { type?: string; headcount?: number; budget?: number; eventDate?: number; planned?: boolean } =
      type === PROPOSAL ? {} : { type };
    for (const k of fields) {
      if (k === "planned") extra.planned = checked(c, ID(k));
      else if (k === "eventDate") {
        const d = dateOf(c, ID(k));
        if (d.error) errors.push({ id: ID(k), text: { zh: `${LABELS[k].zh}：${d.error.zh}`, en: `${LABELS[k].en}: ${d.error.en}` } });
        extra.eventDate = d.value;
      } else {
        const n = numberOf(c, ID(k), LABELS[k]);
        if (n.error) errors.push({ id: ID(k), text: n.error });
        extra[k] = n.value;
      }
    }
    const received = dateOf(c, ID("received"), when(c.now()));
    if (received.error)
      errors.push({ id: ID("received"), text: { zh: `需求接收时间：${received.error.zh}`, en: `Received: ${received.error.en}` } });
    if (errors.length) return c.refuseFields(errors);
    void c.act(
      actionDef("issue"),
      undefined,
      {
        request: {
          project: text("project"),
          client: text("client") || undefined,
          deliverable: text("deliverable") || undefined,
          intake: (intake || "AE") as Intake,
          initiator: c.draft(ID("initiator"), initiatorDefault) || undefined,
          ae: ae || undefined,
          key: checked(c, ID("key")),
          received: received.value,
          ...extra,
        },
      },
      "pd-issue",
      "pd-new-",
    );
  };
  const form = h(
    "form",
    { id: "pd-new", "data-slot": "", onsubmit: (e: Event) => e.preventDefault() },
    textInput(c, ID("project"), c.t("项目名称（必填）", "Project (required)"), { required: true, disabled: off }),
    textInput(c, ID("client"), c.t("客户", "Client"), { disabled: off }),
    // Two short choices a row: the whole form and its button fit the first screen (320 × 640) with any font.
    h(
      "div",
      { class: "pd-pair" },
      selectInput(
        c,
        ID("type"),
        c.t("类型", "Type"),
        types.map((t) => ({ value: t, text: typeText(t, c.lang) })),
        { value: PROPOSAL, disabled: off, rerender: true },
      ),
      selectInput(
        c,
        ID("deliverable"),
        c.t("工作类型", "Deliverable"),
        [
          { value: "", text: c.t("（未指定）", "(not given)") },
          ...m.standards.map((s) => ({ value: s.deliverable[c.lang], text: s.deliverable[c.lang] })),
        ],
        { disabled: off },
      ),
    ),
    ...fields.map((k) =>
      k === "planned"
        ? checkbox(c, ID(k), c.t(LABELS[k].zh, LABELS[k].en), { disabled: off })
        : k === "eventDate"
          ? dateTimeInput(c, ID(k), c.t(LABELS[k].zh, LABELS[k].en), { disabled: off })
          : textInput(c, ID(k), c.t(LABELS[k].zh, LABELS[k].en), { disabled: off, type: "text" }),
    ),
    h(
      "div",
      { class: "pd-pair" },
      selectInput(
        c,
        ID("intake"),
        c.t("接单途径", "Intake"),
        Object.keys(INTAKES).map((k) => ({ value: k, text: word(INTAKES, k, c.lang) })),
        { value: "AE", disabled: off, rerender: true },
      ),
      selectInput(
        c,
        ID("ae"),
        "AE",
        [{ value: "", text: c.t("（无 AE）", "(no AE)") }, ...activeWithRole(m.staff, "AE").map((n) => ({ value: n, text: n }))],
        { disabled: off, rerender: true },
      ),
    ),
    selectInput(
      c,
      ID("initiator"),
      c.t("需求发起人（接到需求的人）", "Initiator (who received the request)"),
      [
        { value: "", text: c.t("（请选择）", "(choose)") },
        ...staff.map((s) => ({ value: s.name, text: `${s.name} · ${s.role ? word(ROLES, s.role, c.lang) : ""}` })),
      ],
      { value: initiatorDefault, disabled: off },
    ),
    dateTimeInput(c, ID("received"), c.t("需求接收时间", "Received"), { value: when(c.now()), disabled: off }),
    checkbox(c, ID("key"), c.t("重点项目（须总监审核）", "Key project (the director reviews)"), { disabled: off }),
    h(
      "div",
      { class: "pd-action-line pd-submit-bar" },
      button(c, "pd-issue", c.t("开卡（发卡号）", "Issue a card number"), {
        onclick: issue,
        appearance: "accent",
        disabled: off,
        describedBy: perm.allowed ? undefined : "pd-issue-why",
        title: c.t(
          "开卡：秘书（或其 AB 角）按设置的格式发下一个卡号",
          "Issue: the secretary (or their backup) gives the next card number in the Settings' format",
        ),
      }),
    ),
    perm.allowed ? "" : h("p", { class: "pd-who-may", id: "pd-issue-why" }, `${c.t("不可用：", "Not available: ")}${c.tx(perm.reason!)}`),
  );
  return h(
    "section",
    { "aria-labelledby": "pd-new-h" },
    h("h2", { id: "pd-new-h" }, c.t("新需求", "New request")),
    form,
    // The form first (its button inside the first screen at 320 × 640), what it is for after it.
    h(
      "p",
      { class: "pd-hint" },
      c.t(
        "任何途径来的需求（AE、总监、经理、策划）都在这里登记；卡号由秘书发出，不会重复使用。同一项目的小修改请在原卡上“记录修改”。",
        "Requests from any channel (AE, director, manager, planner) are recorded here; the secretary issues the card number, never reused. A minor change to a project is a revision on its card.",
      ),
    ),
  );
}
