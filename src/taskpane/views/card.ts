/**
 * One card (opened on 下一步, see cardView): its facts (the Due marked 加急 when shorter than the deliverable's standard), the
 * cells to fix when its row has an error, D1–D7 with due, done and how they stand (a deadline
 * that needs a bad cell is left out), the countersign chain, revisions, and the actions.
 */
import { lateText } from "../../core/calendar";
import type { Card } from "../../core/model";
import { countersignChain } from "../../core/workflow/chain";
import { STAGE_WORDS } from "../../core/workflow/stages";
import { cardSteps, routeStepLate, StepItem, waitingLine } from "../../core/workflow/inbox";
import { cardTimeline } from "../../core/workflow/timeline";
import { INTAKES, word } from "../../workbook/vocab";
import { proposeDue, standardOf, standardText, urgency } from "../../workbook/validate";
import type { CardTab, Controller, View } from "../controller";
import type { CardEntry } from "../derive";
import { h } from "../dom";
import { tabKeys, when } from "../ui";
import { actionsFor } from "./card-actions";

/** A route step past its time limit, while the card waits on it (core: routeStepLate). */
function stepLate(c: Controller, card: Card): { zh: string; en: string } | undefined {
  return c.d ? routeStepLate(card, c.ctxFor(card), c.d.cal, c.now())?.text : undefined;
}

function facts(c: Controller, e: CardEntry): HTMLElement {
  const card = e.card;
  const d = c.d!;
  const none = c.t("（无）", "(none)");
  const std = standardOf(d.model.standards, card.deliverable);
  const urgent = card.due !== undefined && urgency(proposeDue(d.model, d.cal, card, c.now()), d.cal, card.due).urgent;
  const rows: [string, string][] = [
    [c.t("客户", "Client"), card.client ?? none],
    [c.t("工作类型", "Deliverable"), card.deliverable ? (std ? c.tx(standardText(std, card.deliverable)) : card.deliverable) : none],
    [c.t("重点项目", "Key project"), card.key ? c.t("是", "Yes") : c.t("否", "No")],
    [c.t("接单途径", "Intake"), card.intake ? word(INTAKES, card.intake, c.lang) : none],
    [c.t("需求发起人", "Initiator"), card.initiator ?? none],
    ["AE", card.ae ?? none],
    [c.t("项目负责人", "Lead"), card.lead ?? none],
    [c.t("审核人", "Reviewer"), card.reviewer ?? c.t("经理或经理助理", "manager or assistant")],
    [c.t("需求接收", "Received"), when(card.received) || none],
    [
      c.t("交稿时间", "Due"),
      card.due === undefined ? c.t("（未约定）", "(not agreed yet)") : `${when(card.due)}${urgent ? c.t(" 加急", " urgent") : ""}`,
    ],
  ];
  const stamps: [keyof typeof card, string, string][] = [
    ["reviewed", "一审通过", "Reviewed"],
    ["directorReviewed", "总监审核", "Director reviewed"],
    ["sent", "发送客户", "Sent"],
    ["closed", "结束", "Closed"],
    ["archived", "归档", "Archived"],
  ];
  for (const [k, zh, en] of stamps) if (card[k] !== undefined) rows.push([c.t(zh, en), when(card[k] as number)]);
  return h("dl", { class: "pd-facts", id: "pd-card-facts" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function timeline(c: Controller, e: CardEntry): HTMLElement {
  const items = c.d!.deadlinesOf(e).map((r) => {
    const status =
      r.status === "met"
        ? c.t("按时", "met")
        : r.status === "missed"
          ? c.tx(lateText(r.late, c.d?.cal.dayMinutes))
          : r.status === "open"
            ? c.t("进行中", "open")
            : c.t("未开始", "not started");
    return h(
      "li",
      { class: `pd-${r.status.replace(" ", "-")}`, "data-deadline": r.deadline.id },
      h("span", { class: "pd-dl-name" }, `${r.deadline.id} ${r.deadline.name[c.lang]}`),
      h(
        "span",
        { class: "pd-dl-when" },
        r.due !== undefined ? h("span", {}, c.t(`应于 ${when(r.due)}`, `due ${when(r.due)}`)) : "",
        r.done !== undefined ? h("span", {}, c.t(`完成 ${when(r.done)}`, `done ${when(r.done)}`)) : "",
        h("span", { class: "pd-dl-status" }, status),
      ),
    );
  });
  return h("ol", { class: "pd-timeline", id: "pd-timeline" }, ...items);
}

/** The card's history: every log row, revision and incident, in time order (core's cardTimeline); withdrawn rows struck through. */
function history(c: Controller, e: CardEntry): HTMLElement {
  const m = c.d!.model;
  const items = cardTimeline(e.card.cardNo, {
    log: c.d!.logByCard.get(e.card.cardNo) ?? [],
    revisions: c.d!.revByCard.get(e.card.cardNo) ?? [],
    incidents: m.incidents,
  });
  if (!items.length) return h("p", { id: "pd-history", class: "pd-hint" }, c.t("还没有记录", "Nothing recorded yet"));
  return h(
    "ol",
    { class: "pd-history", id: "pd-history" },
    ...items.map((it) =>
      h(
        "li",
        { class: `pd-history-${it.kind}${it.withdrawn ? " pd-withdrawn" : ""}`, "data-kind": it.kind, "data-action": it.action ?? "" },
        h("span", { class: "pd-history-when" }, when(it.time)),
        " ",
        h("span", { class: "pd-history-text" }, c.tx(it.text)),
      ),
    ),
  );
}

/** The card's steps (审批进度): each with its person, time, opinion and state, ending with whom the card waits for (core's cardSteps). */
function steps(c: Controller, e: CardEntry): HTMLElement {
  const { steps: items, waiting } = cardSteps(e.card, c.ctxFor(e.card), c.me);
  const state = (s: StepItem) =>
    s.state === "done" ? c.t("已完成", "done") : s.state === "withdrawn" ? c.t("已撤销", "withdrawn") : c.t("进行中", "pending");
  return h(
    "ol",
    { class: "pd-steps", id: "pd-steps" },
    ...items.map((s) =>
      h(
        "li",
        { class: `pd-step pd-step-${s.state}`, "data-action": s.action },
        h("span", { class: "pd-step-what" }, c.tx(s.text)),
        " ",
        // Each name whole on its line (a line may break between names, never inside one).
        h("span", { class: "pd-step-who" }, ...s.people.flatMap((n, i) => [i ? c.t("、", ", ") : "", h("span", { class: "pd-name" }, n)])),
        s.time !== undefined ? h("span", { class: "pd-step-when" }, ` ${when(s.time)}`) : "",
        h("span", { class: "pd-step-state" }, ` · ${state(s)}`),
        s.opinion ? h("span", { class: "pd-step-opinion" }, c.t(`意见：${s.opinion}`, `Opinion: ${s.opinion}`)) : "",
      ),
    ),
    h("li", { class: "pd-step pd-step-waiting", id: "pd-steps-waiting" }, c.tx(waiting)),
  );
}

const TABS: { id: CardTab; zh: string; en: string }[] = [
  { id: "next", zh: "下一步", en: "Next" },
  { id: "facts", zh: "详情", en: "Details" },
  { id: "log", zh: "记录", en: "Timeline" },
];

/**
 * One card, opened on 下一步: what is mine now in the first screen (with the line saying whom
 * the card waits for and since when); its facts, deadlines and countersign chain under 详情; its
 * timeline and history under 记录. Every tab's content is in the page (hidden when not chosen).
 */
export function cardView(c: Controller): HTMLElement {
  const e = c.cardKey ? c.d!.byKey.get(c.cardKey) : undefined;
  const backWords: Record<View, [string, string]> = {
    mine: ["← 我的工作", "← My work"],
    all: ["← 全部卡片", "← All cards"],
    card: ["← 全部卡片", "← All cards"],
    new: ["← 新需求", "← New request"],
    month: ["← 月末", "← Month end"],
    problems: ["← 问题", "← Problems"],
    settings: ["← 设置", "← Settings"],
  };
  const [bz, be] = backWords[c.back];
  const back = h(
    "fluent-button",
    { appearance: "stealth", id: "pd-back", "aria-keyshortcuts": "Escape", onclick: () => c.go(c.back === "card" ? "all" : c.back) },
    c.t(bz, be),
  );
  if (!e)
    return h(
      "section",
      {},
      back,
      h(
        "p",
        { id: "pd-card-h", tabindex: "-1" },
        c.t(`找不到卡 ${c.cardKey ?? ""}：它的行可能已被删除`, `Card ${c.cardKey ?? ""} is not there: its row may have been deleted`),
      ),
    );
  const card = e.card;
  // The chain as the log makes it: added signers (加签) in their place, handed-over steps (转交会签) with their new holder.
  const cs = countersignChain(card, c.ctxFor(card));
  const chain = cs.steps.map((step, i) => {
    const signed = step.signedBy !== undefined;
    const who = step.holders.join(c.t("或", " or "));
    const handed = step.handedFrom ? c.t(`（由 ${step.handedFrom} 转交）`, ` (handed over from ${step.handedFrom})`) : "";
    const state = signed
      ? `${step.signedBy} ${when(step.signedAt)}`
      : `${who ? `${who} ` : ""}${i === cs.current ? c.t("待签", "waiting") : c.t("未到", "later")}`;
    return h(
      "li",
      { class: signed ? "pd-signed" : "pd-unsigned", "data-step": String(i) },
      `${step.text[c.lang]}${c.t("：", ": ")}${state}${handed}`,
    );
  });
  const revisions = c.d!.revByCard.get(card.cardNo) ?? [];
  const p = e.partial;
  const tabs = h(
    "div",
    { class: "pd-tabs", role: "tablist", "aria-label": c.t("卡片内容", "Card"), onkeydown: tabKeys },
    ...TABS.map((t) =>
      h(
        "button",
        {
          type: "button",
          role: "tab",
          class: "pd-tab",
          id: `pd-tab-${t.id}`,
          "aria-selected": c.cardTab === t.id ? "true" : "false",
          "aria-controls": `pd-panel-${t.id}`,
          tabindex: c.cardTab === t.id ? "0" : "-1",
          onclick: () => ((c.cardTab = t.id), c.render()),
        },
        c.t(t.zh, t.en),
      ),
    ),
  );
  const panel = (id: CardTab, ...children: (HTMLElement | string)[]) =>
    h(
      "div",
      { role: "tabpanel", id: `pd-panel-${id}`, "aria-labelledby": `pd-tab-${id}`, class: "pd-panel", hidden: c.cardTab !== id },
      ...children,
    );
  const late = p ? undefined : stepLate(c, card);
  const waiting = p
    ? ""
    : h(
        "p",
        { class: late ? "pd-waiting pd-late" : "pd-waiting", id: "pd-waiting" },
        c.tx(waitingLine(card, c.ctxFor(card), c.me)),
        late ? ` · ${c.tx(late)}` : "",
      );
  return h(
    "section",
    { "aria-labelledby": "pd-card-h", class: "pd-card" },
    h("div", { class: "pd-card-top" }, back, tabs),
    h("h2", { id: "pd-card-h", tabindex: "-1" }, `${card.cardNo} ${card.project ?? ""}`),
    h("p", { class: "pd-card-sub" }, h("fluent-badge", { id: "pd-card-stage" }, STAGE_WORDS[e.stage][c.lang]), " ", waiting),
    p
      ? h(
          "div",
          { class: "pd-problems-box", id: "pd-card-problems", role: "note" },
          h("h3", {}, c.t("这一行有错误，请在工作表中改正", "This row has errors: correct them in the sheet")),
          h("ul", {}, ...p.findings.map((f) => h("li", {}, c.tx(f)))),
          h(
            "p",
            { class: "pd-hint" },
            c.t(
              "改正前，这张卡不参与月末计算，也不能操作；不依赖这些单元格的时限仍照常显示。",
              "Until then the card is left out of month end and cannot be acted on; deadlines that do not need these cells are still shown.",
            ),
          ),
        )
      : "",
    panel("next", actionsFor(c, e)),
    panel(
      "facts",
      facts(c, e),
      h("h3", {}, c.t("时限", "Deadlines")),
      timeline(c, e),
      h("h3", {}, c.t("会签", "Countersign")),
      h("ol", { class: "pd-chain", id: "pd-chain" }, ...chain),
      revisions.length
        ? h(
            "div",
            {},
            h("h3", {}, c.t("修改记录", "Revisions")),
            h(
              "ul",
              {},
              ...revisions.map((r) =>
                h(
                  "li",
                  {},
                  `${when(r.requested)} ${r.reason === "Own" ? c.t("自身", "own") : c.t("客户", "client")}${r.major ? c.t("（重大）", " (major)") : ""} → ${when(r.relayed) || c.t("待转达", "to relay")}${r.note ? ` · ${r.note}` : ""}`,
                ),
              ),
            ),
          )
        : "",
    ),
    panel("log", p ? "" : steps(c, e), h("h3", {}, c.t("全部记录", "Everything recorded")), history(c, e)),
  );
}
