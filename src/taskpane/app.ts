/**
 * The task pane: who am I, my work, all cards, one card (its deadlines, countersign chain
 * and the actions I may take now), a new request, month end, problems and settings.
 *
 * UI only: every decision is core's (workflow/actions.ts, rules/), every read and write goes
 * through the workbook port (one read to show, one read and one write per action). The same
 * code runs in Excel (Office.js) and in the workbench (the in-memory Excel).
 */
import { BusinessCalendar, formatSerial, parseDateText, parseMonthKey, wallClockSerial } from "../core/calendar";
import type { Card, IncidentKind, LogEntry, Revision, RevisionReason, Role } from "../core/model";
import { activeWithRole } from "../core/people";
import { DeadlineResult, evaluateDeadlines } from "../core/rules/evaluate";
import { evidenceText } from "../core/rules/monthly";
import { ACTIONS, ActionDef, ActionId, actionDef, ActionInput, COUNTERSIGN_STEPS, Context, permission, signatures } from "../core/workflow/actions";
import { verifyChain } from "../core/workflow/log";
import { STAGES, STAGE_WORDS, Stage, stageOf } from "../core/workflow/stages";
import { CardVersion, performAction, versionOf } from "../workbook/actions";
import { calendarOf } from "../workbook/calendar";
import { SHORT_NAMES } from "../workbook/names";
import type { WorkbookPort } from "../workbook/port";
import { ReadResult, readWorkbook } from "../workbook/read";
import { MonthReport, lastMonth, monthReport, writeMonthEnd } from "../workbook/report";
import { setupChanges } from "../workbook/setup";
import { KINDS, ROLES, word } from "../workbook/vocab";
import { h } from "./dom";

export type Lang = "zh" | "en";
type Text = { zh: string; en: string };
type View = "mine" | "all" | "card" | "new" | "month" | "problems" | "settings";

export function langOf(displayLanguage: string | undefined): Lang {
  return displayLanguage && !displayLanguage.toLowerCase().startsWith("zh") ? "en" : "zh";
}

export interface PaneHost {
  port: WorkbookPort;
  displayLanguage?: string;
  /** Milliseconds since the epoch (the workbench may fix the clock); default Date.now. */
  clock?: () => number;
  storage?: Pick<Storage, "getItem" | "setItem">;
  /** Calls back when a co-author changes the workbook. */
  onRemoteChange?: (callback: () => void) => void;
  /** Adds workbook names (Office.js); absent where names cannot be added. */
  addNames?: (defs: typeof SHORT_NAMES) => Promise<{ added: string[]; kept: string[] }>;
}

const ME_KEY = "planning-desk.me";
const LANG_KEY = "planning-desk.lang";
const PAGE = 100;

interface Message {
  kind: "ok" | "error";
  text: Text;
  details?: Text[];
}

export class Pane {
  lang: Lang;
  me: string;
  view: View = "mine";
  cardNo: string | undefined;
  read: ReadResult | undefined;
  private cal: BusinessCalendar | undefined;
  private deadlines = new Map<string, DeadlineResult[]>();
  private logByCard = new Map<string, LogEntry[]>();
  private revByCard = new Map<string, Revision[]>();
  private seen: CardVersion | undefined;
  private message: Message | undefined;
  private busy = false;
  private filter = { stage: "", text: "", shown: PAGE };
  private month: string | undefined;
  private preview: MonthReport | undefined;
  private chainReport: Text[] | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves when the pane has finished what it is doing (for tests and the workbench). */
  idle: Promise<void> = Promise.resolve();

  constructor(
    readonly root: HTMLElement,
    readonly host: PaneHost,
  ) {
    const stored = host.storage?.getItem(LANG_KEY);
    this.lang = stored === "zh" || stored === "en" ? stored : langOf(host.displayLanguage);
    this.me = host.storage?.getItem(ME_KEY) ?? "";
    host.onRemoteChange?.(() => {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), 150);
    });
  }

  private t(zh: string, en: string): string {
    return this.lang === "zh" ? zh : en;
  }
  private tx(text: Text): string {
    return text[this.lang];
  }

  now(): number {
    const tz = this.read?.model.settings.timeZone;
    return wallClockSerial(tz, (this.host.clock ?? Date.now)());
  }

  /** Runs one piece of the pane's work: a failure becomes a message in both languages; the pane is shown again after. */
  private task(failed: Text, work: () => Promise<void>): Promise<void> {
    this.idle = (async () => {
      try {
        await work();
      } catch (e) {
        const why = (e as Error).message;
        this.message = { kind: "error", text: { zh: `${failed.zh}：${why}`, en: `${failed.en}: ${why}` } };
      }
      this.render();
    })();
    return this.idle;
  }

  /** Reads the workbook (one round trip) and shows it. */
  async refresh(): Promise<void> {
    return this.task({ zh: "无法读取工作簿", en: "The workbook could not be read" }, async () => this.adopt(readWorkbook(await this.host.port.read())));
  }

  private adopt(read: ReadResult): void {
    this.read = read;
    const { model } = read;
    this.cal = calendarOf(model);
    const now = this.now();
    this.deadlines.clear();
    for (const r of evaluateDeadlines(this.cal, model.deadlines, model.cards, model.revisions, now)) {
      const list = this.deadlines.get(r.cardNo);
      if (list) list.push(r);
      else this.deadlines.set(r.cardNo, [r]);
    }
    this.logByCard = group(model.log, (e) => e.cardNo);
    this.revByCard = group(model.revisions, (r) => r.cardNo);
    if (this.view === "card" && this.cardNo) this.seen = versionOf(model, this.cardNo);
  }

  private ctxFor(card: Card | undefined): Context {
    const m = this.read!.model;
    return {
      staff: m.staff,
      settings: m.settings,
      revisions: card ? (this.revByCard.get(card.cardNo) ?? []) : m.revisions,
      log: card ? (this.logByCard.get(card.cardNo) ?? []) : m.log,
      now: this.now(),
    };
  }

  private stage(card: Card): Stage {
    return stageOf(card, this.revByCard.get(card.cardNo) ?? []);
  }

  /** Business days the card's open deadlines are past due (0 when none). */
  private lateness(card: Card): { late: number; what: string[] } {
    let late = 0;
    const what: string[] = [];
    for (const r of this.deadlines.get(card.cardNo) ?? []) {
      if (r.status === "missed" && r.done === undefined) {
        late = Math.max(late, r.late);
        what.push(r.deadline.id);
      }
    }
    return { late, what };
  }

  private go(view: View, cardNo?: string): void {
    this.view = view;
    this.message = undefined;
    if (cardNo) {
      this.cardNo = cardNo;
      this.seen = this.read && versionOf(this.read.model, cardNo);
    }
    this.render();
  }

  // ---------------------------------------------------------------- rendering

  render(): void {
    const body = h("div", { class: "pd-body" });
    if (!this.read) body.append(h("p", {}, this.t("正在读取工作簿…", "Reading the workbook…")));
    else if (!this.read.model.tables.has("Register")) body.append(this.setupNotice());
    else {
      const views: Record<View, () => HTMLElement> = {
        mine: () => this.viewMine(),
        all: () => this.viewAll(),
        card: () => this.viewCard(),
        new: () => this.viewNew(),
        month: () => this.viewMonth(),
        problems: () => this.viewProblems(),
        settings: () => this.viewSettings(),
      };
      body.append(views[this.view]());
    }
    this.root.replaceChildren(h("div", { class: "pd", lang: this.lang === "zh" ? "zh-CN" : "en" }, this.header(), this.nav(), this.banner(), body));
  }

  private header(): HTMLElement {
    const staff = this.read?.model.staff.filter((s) => s.active) ?? [];
    const select = h(
      "select",
      {
        id: "pd-me",
        "aria-label": this.t("我是", "I am"),
        onchange: (e: Event) => {
          this.me = (e.target as HTMLSelectElement).value;
          this.host.storage?.setItem(ME_KEY, this.me);
          this.render();
        },
      },
      h("option", { value: "" }, this.t("（选择你的名字）", "(choose your name)")),
      ...staff.map((s) => h("option", { value: s.name, selected: s.name === this.me }, `${s.name} · ${s.role ? word(ROLES, s.role, this.lang) : ""}`)),
    );
    const langButton = h(
      "fluent-button",
      {
        id: "pd-lang",
        appearance: "stealth",
        title: this.t("Switch to English", "切换到中文"),
        onclick: () => {
          this.lang = this.lang === "zh" ? "en" : "zh";
          this.host.storage?.setItem(LANG_KEY, this.lang);
          this.render();
        },
      },
      this.lang === "zh" ? "English" : "中文",
    );
    return h(
      "header",
      { class: "pd-header" },
      h("h1", {}, this.t("策划台", "Planning Desk")),
      h("div", { class: "pd-who" }, h("label", { for: "pd-me" }, this.t("我是", "I am")), select, langButton),
      h("p", { class: "pd-hint" }, this.t("在本设备上选一次即可。这不是登录：它只决定显示哪些待办和按钮。", "Chosen once on this device. This is not a sign-in: it only decides which work and buttons you see.")),
    );
  }

  private nav(): HTMLElement {
    const problems = this.read?.findings.length ?? 0;
    const item = (view: View, label: string) =>
      h("fluent-button", { appearance: this.view === view || (view === "all" && this.view === "card") ? "accent" : "outline", "data-view": view, "aria-current": this.view === view ? "page" : undefined, onclick: () => this.go(view) }, label);
    return h(
      "nav",
      { class: "pd-nav", "aria-label": this.t("视图", "Views") },
      item("mine", this.t("我的工作", "My work")),
      item("all", this.t("全部卡片", "All cards")),
      item("new", this.t("新需求", "New request")),
      item("month", this.t("月末", "Month end")),
      item("problems", `${this.t("问题", "Problems")}${problems ? ` (${problems})` : ""}`),
      item("settings", this.t("设置", "Settings")),
    );
  }

  private banner(): HTMLElement | string {
    const m = this.message;
    if (!m) return "";
    return h(
      "div",
      { class: `pd-msg pd-${m.kind}`, role: m.kind === "error" ? "alert" : "status" },
      h("p", {}, this.tx(m.text)),
      m.details?.length ? h("ul", {}, ...m.details.map((d) => h("li", {}, this.tx(d)))) : "",
    );
  }

  private setupNotice(): HTMLElement {
    return h(
      "section",
      {},
      h("p", {}, this.t("这个工作簿还没有策划台的表格。", "This workbook has no Planning Desk tables yet.")),
      this.setupButton(),
    );
  }

  private setupButton(): HTMLElement {
    return h(
      "fluent-button",
      { id: "pd-setup", appearance: "accent", title: this.t("任何人都可以操作：只新建缺少的表格和列，不改动已有内容", "Anyone may do this: creates only missing tables and columns, changes nothing that exists"), onclick: () => this.setUp() },
      this.t("设置此工作簿", "Set up this workbook"),
    );
  }

  private cardRow(card: Card, extra?: string): HTMLElement {
    const { late, what } = this.lateness(card);
    const stage = this.stage(card);
    return h(
      "li",
      {},
      h(
        "button",
        { class: "pd-card-row", "data-card": card.cardNo, onclick: () => this.go("card", card.cardNo) },
        h("span", { class: "pd-cardno" }, card.cardNo),
        h("span", { class: "pd-project" }, card.project ?? ""),
        h("span", { class: "pd-stage" }, STAGE_WORDS[stage][this.lang]),
        late > 0 ? h("span", { class: "pd-late" }, this.t(`超时 ${late.toFixed(2)} 个工作日（${what.join("、")}）`, `${late.toFixed(2)} business days late (${what.join(", ")})`)) : "",
        extra ? h("span", { class: "pd-next" }, extra) : "",
      ),
    );
  }

  private viewMine(): HTMLElement {
    const section = h("section", { "aria-labelledby": "pd-mine-h" }, h("h2", { id: "pd-mine-h" }, this.t("我的工作", "My work")));
    if (!this.me) {
      section.append(h("p", {}, this.t("请先在上方选择你的名字。", "Choose your name above first.")));
      return section;
    }
    const m = this.read!.model;
    const mine: { card: Card; late: number; next: string }[] = [];
    for (const card of m.cards) {
      const stage = this.stage(card);
      if (stage === "archived") continue;
      const ctx = this.ctxFor(card);
      const can = ACTIONS.filter((a) => a.id !== "issue" && a.id !== "incident" && a.id !== "revision" && a.stages.includes(stage) && permission(a.id, card, this.me, ctx).allowed);
      if (can.length) mine.push({ card, late: this.lateness(card).late, next: can.map((a) => a.label[this.lang]).join(" · ") });
    }
    mine.sort((a, b) => b.late - a.late || a.card.cardNo.localeCompare(b.card.cardNo));
    section.append(h("p", { class: "pd-count" }, this.t(`${mine.length} 张卡片等你处理，超时的在前。`, `${mine.length} cards waiting for you, overdue first.`)));
    section.append(h("ul", { class: "pd-list", id: "pd-mine" }, ...mine.slice(0, this.filter.shown).map((x) => this.cardRow(x.card, x.next))));
    if (mine.length > this.filter.shown) section.append(this.moreButton());
    return section;
  }

  private moreButton(): HTMLElement {
    return h("fluent-button", { onclick: () => ((this.filter.shown += PAGE), this.render()) }, this.t("显示更多", "Show more"));
  }

  private viewAll(): HTMLElement {
    const m = this.read!.model;
    const text = this.filter.text.trim().toLowerCase();
    const cards = m.cards.filter(
      (c) => (!this.filter.stage || this.stage(c) === this.filter.stage) && (!text || [c.cardNo, c.project, c.client, c.lead, c.ae].some((v) => v?.toLowerCase().includes(text))),
    );
    const stageSelect = h(
      "select",
      { id: "pd-filter-stage", "aria-label": this.t("阶段", "Stage"), onchange: (e: Event) => ((this.filter.stage = (e.target as HTMLSelectElement).value), (this.filter.shown = PAGE), this.render()) },
      h("option", { value: "" }, this.t("全部阶段", "All stages")),
      ...STAGES.map((s) => h("option", { value: s, selected: this.filter.stage === s }, STAGE_WORDS[s][this.lang])),
    );
    const search = h("input", {
      id: "pd-filter-text",
      type: "search",
      value: this.filter.text,
      placeholder: this.t("卡号、项目、客户、人员", "card, project, client, person"),
      "aria-label": this.t("搜索", "Search"),
      onchange: (e: Event) => ((this.filter.text = (e.target as HTMLInputElement).value), (this.filter.shown = PAGE), this.render()),
    });
    return h(
      "section",
      {},
      h("h2", {}, this.t("全部卡片", "All cards")),
      h("div", { class: "pd-filters" }, stageSelect, search),
      h("p", { class: "pd-count" }, this.t(`${cards.length} 张卡片`, `${cards.length} cards`)),
      h("ul", { class: "pd-list", id: "pd-all" }, ...cards.slice(0, this.filter.shown).map((c) => this.cardRow(c))),
      cards.length > this.filter.shown ? this.moreButton() : "",
    );
  }

  private viewCard(): HTMLElement {
    const m = this.read!.model;
    const card = m.cards.find((c) => c.cardNo === this.cardNo);
    if (!card) return h("section", {}, h("p", {}, this.t(`找不到卡 ${this.cardNo ?? ""}（可能已被删除或该行有错误）`, `Card ${this.cardNo ?? ""} is not there (deleted, or its row has an error)`)));
    const stage = this.stage(card);
    const show = (t: number | undefined) => (t === undefined ? "—" : formatSerial(t));
    const facts: [string, string][] = [
      [this.t("客户", "Client"), card.client ?? "—"],
      [this.t("重点项目", "Key project"), card.key ? this.t("是", "Yes") : this.t("否", "No")],
      [this.t("接单途径", "Intake"), card.intake ?? "—"],
      [this.t("需求发起人", "Initiator"), card.initiator ?? "—"],
      ["AE", card.ae ?? "—"],
      [this.t("项目负责人", "Lead"), card.lead ?? "—"],
      [this.t("审核人", "Reviewer"), card.reviewer ?? this.t("经理或经理助理", "manager or assistant")],
      [this.t("交稿时间", "Due"), show(card.due)],
    ];
    const timeline = (this.deadlines.get(card.cardNo) ?? []).map((r) => {
      const status =
        r.status === "met"
          ? this.t("按时", "met")
          : r.status === "missed"
            ? this.t(`超时 ${r.late.toFixed(2)} 个工作日`, `${r.late.toFixed(2)} business days late`)
            : r.status === "open"
              ? this.t("进行中", "open")
              : this.t("未开始", "not started");
      return h(
        "tr",
        { class: `pd-${r.status.replace(" ", "-")}`, "data-deadline": r.deadline.id },
        h("th", { scope: "row" }, `${r.deadline.id} ${r.deadline.name[this.lang]}`),
        h("td", {}, show(r.due)),
        h("td", {}, show(r.done)),
        h("td", {}, status),
      );
    });
    const signs = signatures(card.cardNo, this.logByCard.get(card.cardNo) ?? []);
    const chain = COUNTERSIGN_STEPS.map((step, i) => {
      const s = signs[i];
      return h("li", { class: s ? "pd-signed" : "pd-unsigned" }, `${step.text[this.lang]}：${s ? `${s.actor} ${show(s.time)}` : this.t("待签", "waiting")}`);
    });
    const revisions = this.revByCard.get(card.cardNo) ?? [];
    return h(
      "section",
      { "aria-labelledby": "pd-card-h" },
      h("fluent-button", { appearance: "stealth", onclick: () => this.go("all") }, this.t("← 全部卡片", "← All cards")),
      h("h2", { id: "pd-card-h" }, `${card.cardNo} ${card.project ?? ""}`),
      h("p", {}, h("fluent-badge", { id: "pd-card-stage" }, STAGE_WORDS[stage][this.lang])),
      h("dl", { class: "pd-facts" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("h3", {}, this.t("时限", "Deadlines")),
      h(
        "table",
        { class: "pd-timeline", id: "pd-timeline" },
        h("thead", {}, h("tr", {}, h("th", {}, this.t("时限", "Deadline")), h("th", {}, this.t("应完成", "Due")), h("th", {}, this.t("完成", "Done")), h("th", {}, this.t("状态", "Status")))),
        h("tbody", {}, ...timeline),
      ),
      h("h3", {}, this.t("会签", "Countersign")),
      h("ol", { class: "pd-chain", id: "pd-chain" }, ...chain),
      revisions.length
        ? h(
            "div",
            {},
            h("h3", {}, this.t("修改记录", "Revisions")),
            h("ul", {}, ...revisions.map((r) => h("li", {}, `${show(r.requested)} ${r.reason === "Own" ? this.t("自身", "own") : this.t("客户", "client")}${r.major ? this.t("（重大）", " (major)") : ""} → ${show(r.relayed)}${r.note ? ` · ${r.note}` : ""}`))),
          )
        : "",
      h("h3", {}, this.t("操作", "Actions")),
      this.actionsFor(card, stage),
    );
  }

  private actionsFor(card: Card, stage: Stage): HTMLElement {
    const ctx = this.ctxFor(card);
    const list = h("div", { class: "pd-actions", id: "pd-actions" });
    const m = this.read!.model;
    const people = (roles: Role[]) => activeWithRole(m.staff, ...roles);
    for (const def of ACTIONS) {
      if (def.id === "issue" || !def.stages.includes(stage)) continue;
      const p = this.me ? permission(def.id, card, this.me, ctx) : { allowed: false, reason: { zh: "请先选择你的名字", en: "choose your name first" }, role: "" };
      const inputs: HTMLElement[] = [];
      const field = (id: string) => `pd-${def.id}-${id}`;
      if (def.id === "reply") {
        inputs.push(h("input", { id: field("due"), type: "datetime-local", "aria-label": this.t("与客户约定的交稿时间", "Time point agreed with the client"), title: this.t("与客户约定的交稿时间", "Time point agreed with the client"), value: card.due === undefined ? "" : formatSerial(card.due).replace(" ", "T") }));
      } else if (def.id === "assign") {
        inputs.push(selectOf(field("lead"), this.t("项目负责人", "Lead"), people(["Planner"]), card.lead));
        inputs.push(selectOf(field("reviewer"), this.t("审核人（可空）", "Reviewer (optional)"), ["", ...people(["Manager", "Assistant Manager"])], card.reviewer));
      } else if (def.id === "return") {
        inputs.push(h("input", { id: field("reason"), type: "text", "aria-label": this.t("退回原因", "Reason"), placeholder: this.t("退回原因", "Reason") }));
      } else if (def.id === "revision") {
        inputs.push(selectOf(field("reason"), this.t("原因", "Reason"), ["Client", "Own"], "Client", (v) => (v === "Client" ? this.t("客户", "Client") : this.t("自身", "Own"))));
        inputs.push(h("label", {}, h("input", { id: field("major"), type: "checkbox" }), this.t("重大修改", "Major")));
        inputs.push(h("input", { id: field("note"), type: "text", "aria-label": this.t("备注", "Note"), placeholder: this.t("备注", "Note") }));
      } else if (def.id === "incident") {
        inputs.push(selectOf(field("kind"), this.t("类型", "Kind"), Object.keys(KINDS), undefined, (v) => word(KINDS, v, this.lang)));
        inputs.push(selectOf(field("person"), this.t("责任人（空：按规则角色）", "Person (empty: the rule's role)"), ["", ...m.staff.filter((s) => s.active).map((s) => s.name)]));
        inputs.push(h("input", { id: field("note"), type: "text", "aria-label": this.t("备注", "Note"), placeholder: this.t("备注", "Note") }));
      }
      const who = this.t(`可操作：${def.whoText.zh}`, `Who: ${def.whoText.en}`);
      const button = h(
        "fluent-button",
        {
          "data-action": def.id,
          appearance: p.allowed ? "accent" : "neutral",
          disabled: !p.allowed || this.busy,
          title: `${def.label[this.lang]} — ${who}`,
          onclick: () => void this.act(def, card, this.inputFor(def.id)),
        },
        def.label[this.lang],
      );
      list.append(
        h(
          "div",
          { class: "pd-action", "data-for": def.id },
          h("div", { class: "pd-action-line" }, button, ...inputs),
          h("p", { class: "pd-who-may" }, p.allowed ? `${who}${p.onBehalfOf ? this.t(`（你代 ${p.onBehalfOf} 操作）`, ` (you act for ${p.onBehalfOf})`) : ""}` : `${this.t("不可用：", "Not available: ")}${this.tx(p.reason!)}`),
        ),
      );
    }
    return list;
  }

  private inputFor(action: ActionId): ActionInput {
    const val = (id: string) => (this.root.querySelector(`#pd-${action}-${id}`) as HTMLInputElement | HTMLSelectElement | null)?.value ?? "";
    const checked = (id: string) => (this.root.querySelector(`#pd-${action}-${id}`) as HTMLInputElement | null)?.checked ?? false;
    switch (action) {
      case "reply":
        return { due: val("due") ? parseDateText(val("due")) : undefined };
      case "assign":
        return { lead: val("lead") || undefined, reviewer: val("reviewer") || undefined };
      case "return":
        return { reason: val("reason") };
      case "revision":
        return { revision: { reason: val("reason") as RevisionReason, major: checked("major"), note: val("note") || undefined } };
      case "incident":
        return { incident: { kind: val("kind") as IncidentKind, person: val("person") || undefined, note: val("note") || undefined } };
      default:
        return {};
    }
  }

  private async act(def: ActionDef, card: Card | undefined, input: ActionInput): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    return this.task({ zh: "操作失败", en: "The action failed" }, async () => {
      try {
        const r = await performAction(this.host.port, { action: def.id, cardNo: card?.cardNo, actor: this.me, input, seen: card ? this.seen : undefined }, this.now());
        if (r.ok) {
          this.adopt(r.after);
          if (def.id === "issue") {
            this.view = "card";
            this.cardNo = r.effect.cardNo;
            this.seen = versionOf(r.after.model, r.effect.cardNo);
          }
          this.message = { kind: "ok", text: { zh: `已完成：${def.label.zh}（${r.effect.cardNo}）`, en: `Done: ${def.label.en} (${r.effect.cardNo})` } };
        } else {
          if (r.after) this.adopt(r.after);
          this.message = { kind: "error", text: r.reason, details: r.changed };
        }
      } finally {
        this.busy = false;
      }
    });
  }

  private viewNew(): HTMLElement {
    const m = this.read!.model;
    const perm = this.me ? permission("issue", undefined, this.me, this.ctxFor(undefined)) : { allowed: false, reason: { zh: "请先选择你的名字", en: "choose your name first" } };
    const names = (roles: Role[]) => activeWithRole(m.staff, ...roles);
    const nowText = formatSerial(this.now()).replace(" ", "T");
    const form = h(
      "form",
      { id: "pd-new", onsubmit: (e: Event) => e.preventDefault() },
      labelled("pd-new-project", this.t("项目名称", "Project"), h("input", { id: "pd-new-project", type: "text", required: true })),
      labelled("pd-new-client", this.t("客户", "Client"), h("input", { id: "pd-new-client", type: "text" })),
      labelled("pd-new-deliverable", this.t("工作类型", "Deliverable"), selectOf("pd-new-deliverable", "", ["", ...m.standards.map((s) => s.deliverable[this.lang])])),
      labelled("pd-new-intake", this.t("接单途径", "Intake"), selectOf("pd-new-intake", "", ["AE", "Director", "Manager", "Planner"], "AE", (v) => ({ AE: "AE", Director: this.t("总监", "Director"), Manager: this.t("经理", "Manager"), Planner: this.t("策划", "Planner") })[v] ?? v)),
      labelled("pd-new-initiator", this.t("需求发起人", "Initiator"), selectOf("pd-new-initiator", "", m.staff.filter((s) => s.active).map((s) => s.name))),
      labelled("pd-new-ae", "AE", selectOf("pd-new-ae", "", ["", ...names(["AE"])])),
      labelled("pd-new-received", this.t("需求接收时间", "Received"), h("input", { id: "pd-new-received", type: "datetime-local", value: nowText })),
      h("label", {}, h("input", { id: "pd-new-key", type: "checkbox" }), this.t("重点项目（须总监审核）", "Key project (the director reviews)")),
    );
    const button = h(
      "fluent-button",
      {
        id: "pd-issue",
        appearance: "accent",
        disabled: !perm.allowed || this.busy,
        title: this.t("开卡：秘书（或其 AB 角）按设置的格式发下一个卡号", "Issue: the secretary (or their backup) gives the next card number in the Settings' format"),
        onclick: () => {
          const val = (id: string) => (this.root.querySelector(`#pd-new-${id}`) as HTMLInputElement).value;
          const received = parseDateText(val("received"));
          void this.act(actionDef("issue"), undefined, {
            request: {
              project: val("project"),
              client: val("client") || undefined,
              deliverable: val("deliverable") || undefined,
              intake: val("intake") as "AE",
              initiator: val("initiator") || undefined,
              ae: val("ae") || undefined,
              key: (this.root.querySelector("#pd-new-key") as HTMLInputElement).checked,
              received,
            },
          });
        },
      },
      this.t("开卡（发卡号）", "Issue a card number"),
    );
    return h(
      "section",
      {},
      h("h2", {}, this.t("新需求", "New request")),
      h("p", {}, this.t("任何途径来的需求（AE、总监、经理、策划）都在这里登记；卡号由秘书发出，不会重复使用。同一项目的小修改请在原卡上“记录修改”。", "Requests from any channel (AE, director, manager, planner) are recorded here; the secretary issues the card number, never reused. A minor change to a project is a revision on its card.")),
      form,
      button,
      perm.allowed ? "" : h("p", { class: "pd-who-may" }, `${this.t("不可用：", "Not available: ")}${this.tx(perm.reason!)}`),
    );
  }

  private viewMonth(): HTMLElement {
    const month = this.month ?? lastMonth(this.now());
    const input = h("input", { id: "pd-month", type: "month", value: month, "aria-label": this.t("月份", "Month"), onchange: (e: Event) => ((this.month = (e.target as HTMLInputElement).value), (this.preview = undefined), this.render()) });
    const section = h(
      "section",
      {},
      h("h2", {}, this.t("月末：扣分与考核", "Month end: penalties and KPI")),
      h("p", {}, this.t("先预览本月的扣分及依据，再写入“扣分”表和“KPI 月份”工作表。只重写该月由规则生成的行，手工录入的行保留。", "Preview the month's penalties with their evidence, then write the Penalties table and the “KPI month” sheet. Only that month's generated rows are rewritten; rows typed by hand are kept.")),
      h("div", { class: "pd-filters" }, input, h("fluent-button", { id: "pd-preview", onclick: () => void this.previewMonth(month) }, this.t("预览", "Preview"))),
    );
    const p = this.preview;
    if (p && p.month === month) {
      section.append(
        h("h3", {}, this.t(`扣分（${p.penaltyRows.length} 条）`, `Penalties (${p.penaltyRows.length})`)),
        h(
          "table",
          { class: "pd-penalties", id: "pd-penalties" },
          h("thead", {}, h("tr", {}, ...[this.t("责任人", "Person"), this.t("规则", "Rule"), this.t("扣分", "Points"), this.t("考核指标", "KPI"), this.t("依据", "Evidence")].map((x) => h("th", {}, x)))),
          h("tbody", {}, ...p.evaluation.penalties.map((x) => h("tr", {}, h("td", {}, x.person), h("td", {}, x.rule.id), h("td", {}, String(x.points)), h("td", {}, x.rule.kpi[this.lang]), h("td", {}, evidenceText(x, this.lang))))),
        ),
        h("h3", {}, this.t("得分", "Scores")),
        h("ul", { id: "pd-scores" }, ...p.kpi.rows.map((r) => h("li", {}, `${r.person}：${r.score}`))),
        h(
          "fluent-button",
          { id: "pd-write-month", appearance: "accent", title: this.t("任何人都可以操作：重写该月的扣分行和 KPI 工作表", "Anyone may do this: rewrites the month's penalty rows and KPI sheet"), onclick: () => void this.writeMonth(month) },
          this.t(`写入 ${month} 扣分表和 KPI 工作表`, `Write ${month} to Penalties and the KPI sheet`),
        ),
      );
    }
    return section;
  }

  private async previewMonth(month: string): Promise<void> {
    if (!parseMonthKey(month)) return;
    return this.task({ zh: "预览失败", en: "The preview failed" }, async () => {
      this.adopt(readWorkbook(await this.host.port.read()));
      this.preview = monthReport(this.read!.model, this.cal!, month, this.now(), this.lang);
      this.month = month;
    });
  }

  private async writeMonth(month: string): Promise<void> {
    return this.task({ zh: "写入失败", en: "Writing failed" }, async () => {
      const { report } = await writeMonthEnd(this.host.port, month, this.now(), this.lang);
      this.preview = report;
      this.message = { kind: "ok", text: { zh: `已写入 ${month}：扣分 ${report.penaltyRows.length} 行，工作表“KPI ${month}”`, en: `Written ${month}: ${report.penaltyRows.length} penalty rows, sheet “KPI ${month}”` } };
      this.adopt(readWorkbook(await this.host.port.read()));
    });
  }

  private viewProblems(): HTMLElement {
    const findings = this.read!.findings;
    return h(
      "section",
      {},
      h("h2", {}, this.t("问题", "Problems")),
      findings.length
        ? h("ul", { id: "pd-findings" }, ...findings.map((f) => h("li", { class: `pd-${f.severity}` }, `${f.severity === "error" ? this.t("错误", "Error") : this.t("警告", "Warning")}：${this.tx(f)}`)))
        : h("p", {}, this.t("没有发现问题。", "No problems found.")),
      h("p", {}, this.t("有错误的行不参与计算，改正后即恢复。", "Rows with an error are left out of the computations until they are corrected.")),
      h(
        "fluent-button",
        {
          id: "pd-verify",
          title: this.t("检查会签记录的校验链：列出被手工修改、删除或插入的行", "Checks the log's hash chain: lists rows edited, deleted or inserted by hand"),
          onclick: () => {
            const log = this.read!.model.log;
            const info = this.read!.model.tables.get("CountersignLog");
            this.chainReport = verifyChain(log).map((b) => {
              const where = info ? `${info.raw.sheet}!${info.raw.top + 2 + b.index}` : `#${b.index + 1}`;
              const what = `${b.entry.cardNo ?? ""} ${b.entry.action ?? ""} ${b.entry.actor ?? ""} ${b.entry.time === undefined ? "" : formatSerial(b.entry.time)}`;
              return { zh: `第 ${where} 行校验不符：${what}`, en: `row ${where} breaks the chain: ${what}` };
            });
            this.render();
          },
        },
        this.t("校验会签记录", "Verify log"),
      ),
      this.chainReport
        ? this.chainReport.length
          ? h("ul", { id: "pd-chain-report" }, ...this.chainReport.map((x) => h("li", {}, this.tx(x))))
          : h("p", { id: "pd-chain-report" }, this.t("会签记录完整，没有被改动的行。", "The log is intact: no row was changed."))
        : "",
    );
  }

  private viewSettings(): HTMLElement {
    const s = this.read!.model.settings;
    const rows: [string, string][] = [
      [this.t("工作时间", "Working hours"), s.periods.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(", ")],
      [this.t("时区", "Time zone"), s.timeZone],
      [this.t("总监审核所有方案", "Director reviews every proposal"), s.directorReviewsAll ? this.t("是", "Yes") : this.t("否", "No")],
      [this.t("卡号格式", "Card number format"), s.cardFormat],
      [this.t("考核基础分", "KPI base score"), String(s.kpiBase)],
    ];
    return h(
      "section",
      {},
      h("h2", {}, this.t("设置", "Settings")),
      h("p", {}, this.t("这些值来自工作簿的“设置”表，在表中修改即可。", "These come from the workbook's Settings table; change them there.")),
      h("dl", { class: "pd-facts" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("h3", {}, this.t("工作簿", "Workbook")),
      this.setupButton(),
      h("h3", {}, this.t("短函数名", "Short function names")),
      h(
        "p",
        {},
        this.t(
          "在工作簿中添加名称 DUE、WORKDAYS、OVERDUE、MILESTONE、ISWORKDAY（用 LAMBDA 调用 PLAN. 函数），之后可直接写 =OVERDUE(...)。需要支持 LAMBDA 的 Excel（Microsoft 365）；已有同名名称的不会改动。",
          "Adds the workbook names DUE, WORKDAYS, OVERDUE, MILESTONE and ISWORKDAY (LAMBDAs calling the PLAN. functions) so that =OVERDUE(...) works without the prefix. Needs an Excel with LAMBDA (Microsoft 365); names that exist are left alone.",
        ),
      ),
      h("fluent-button", { id: "pd-names", disabled: !this.host.addNames, title: this.t("任何人都可以操作", "Anyone may do this"), onclick: () => void this.addNames() }, this.t("添加短函数名", "Add short names")),
    );
  }

  private async setUp(): Promise<void> {
    return this.task({ zh: "设置失败", en: "Set-up failed" }, async () => {
      const changes = setupChanges(await this.host.port.read(), this.lang);
      await this.host.port.write(changes);
      this.message = { kind: "ok", text: { zh: `已设置：新建 ${changes.newTables.length} 个表格`, en: `Set up: ${changes.newTables.length} tables created` } };
      this.adopt(readWorkbook(await this.host.port.read()));
    });
  }

  private async addNames(): Promise<void> {
    const addNames = this.host.addNames;
    if (!addNames) return;
    return this.task({ zh: "此 Excel 不能添加这些名称（可能不支持 LAMBDA）", en: "This Excel could not add the names (LAMBDA may be unsupported)" }, async () => {
      const r = await addNames(SHORT_NAMES);
      this.message = { kind: "ok", text: { zh: `已添加：${r.added.join("、") || "无"}；已存在：${r.kept.join("、") || "无"}`, en: `Added: ${r.added.join(", ") || "none"}; already there: ${r.kept.join(", ") || "none"}` } };
    });
  }
}

function group<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

function selectOf(id: string, label: string, values: string[], selected?: string, text: (v: string) => string = (v) => v): HTMLElement {
  return h("select", { id, "aria-label": label || undefined }, ...values.map((v) => h("option", { value: v, selected: v === selected }, v ? text(v) : "—")));
}

function labelled(id: string, label: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "pd-field" }, h("label", { for: id }, label), control);
}
