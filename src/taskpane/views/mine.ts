/**
 * My work, the way people already work in 审批: notices at the top (催办, 知会, a draft or brief
 * sent back to me), then four lists with their counts — 待我处理 (what waits on me, then my own
 * steps, then my deadlines whose step is someone else's, then the steps of an active colleague I
 * back up, marked "代 刘洋"; most urgent first), 我已处理, 我发起的,
 * 抄送我 — all from core's buildInbox (src/core/workflow/inbox.ts).
 *
 * A row of 待我处理 that waits on my signature or review (or, in the backup group, on that of a
 * colleague I back up) has its button on the row: one tap (with an optional opinion) and the
 * result is shown in place, the row staying where it was.
 */
import { ActionId, actionDef } from "../../core/workflow/actions";
import type { CardRef, Inbox, InboxRow } from "../../core/workflow/inbox";
import { versionOf } from "../../workbook/actions";
import type { Controller, InboxTab } from "../controller";
import type { CardEntry } from "../derive";
import { h } from "../dom";
import { button, cardRow, more, textInput } from "../ui";
import { chooseFirst } from "./me";

/** The steps a row can take with one tap (an opinion is optional for each). */
const ONE_TAP: readonly ActionId[] = ["sign", "review", "directorReview"];

const TABS: { id: InboxTab; zh: string; en: string; count: (b: Inbox) => number }[] = [
  { id: "todo", zh: "待我处理", en: "To do", count: (b) => b.counts.todo },
  { id: "done", zh: "我已处理", en: "Done", count: (b) => b.counts.done },
  { id: "started", zh: "我发起的", en: "Started", count: (b) => b.counts.started },
  { id: "copied", zh: "抄送我", en: "Copied", count: (b) => b.counts.copied },
];

function entryOf(c: Controller, cardNo: string): CardEntry | undefined {
  const d = c.d;
  return d ? (d.byKey.get(cardNo) ?? d.entries.find((e) => e.card.cardNo === cardNo)) : undefined;
}

/** 催办, 知会 and send-backs addressed to me: each opens its card. */
function notices(c: Controller, box: Inbox): HTMLElement | string {
  if (!box.notices.length) return "";
  return h(
    "ul",
    { class: "pd-notices", id: "pd-notices", "aria-label": c.t("催办与知会", "Chases and copies") },
    ...box.notices.map((n) =>
      h(
        "li",
        { class: `pd-notice pd-notice-${n.kind}`, "data-kind": n.kind, "data-card": n.cardNo },
        h(
          "a",
          {
            href: "#",
            onclick: (ev: Event) => {
              ev.preventDefault();
              const e = entryOf(c, n.cardNo);
              if (e) c.go("card", e.key);
            },
          },
          c.tx(n.text),
        ),
      ),
    ),
  );
}

/**
 * The step a row takes with one tap: a signature or review that waits on me, or on the colleague
 * I back up (a backup row: the log says "代 刘洋", core/workflow/actions.ts `decide`).
 */
function oneTap(r: InboxRow): ActionId | undefined {
  return r.kind === "approve" || r.kind === "backup" ? ONE_TAP.find((a) => r.actions.includes(a)) : undefined;
}

/** One row of 待我处理: the card (its button opens it) and, for a signature or review, the one-tap approval. */
function todoRow(c: Controller, r: InboxRow, e: CardEntry): HTMLElement {
  const item = e.open.find((o) => o.person === c.me) ?? e.open[0];
  const li = cardRow(c, e, { item, next: c.tx(r.text), behalf: r.onBehalfOf });
  li.classList.add("pd-row");
  li.dataset.kind = r.kind;
  const tap = oneTap(r);
  if (!tap) return li;
  li.setAttribute("data-slot", "");
  const def = actionDef(tap);
  const opinionId = `pd-quick-${e.key}-opinion`;
  const anchor = `pd-quick-${e.key}`;
  const seen = c.d ? versionOf(c.d.model, e.card.cardNo) : undefined;
  const word = tap === "sign" ? c.t("会签", "Sign") : c.t("同意", "Approve");
  li.append(
    h(
      "div",
      { class: "pd-row-act" },
      textInput(c, opinionId, c.t(`${e.card.cardNo} 的意见（可不填）`, `Opinion on ${e.card.cardNo} (optional)`), {
        placeholder: c.t("意见（可不填）", "Opinion (optional)"),
      }),
      button(c, anchor, word, {
        appearance: "accent",
        title: `${def.label[c.lang]} · ${e.card.cardNo} ${e.card.project ?? ""}`,
        attrs: { "data-quick": tap, "data-card": e.key },
        onclick: () => {
          const text = c.draft(opinionId).trim();
          const index = c.d?.inbox(c.me).todo.findIndex((x) => x.cardNo === r.cardNo) ?? 0;
          c.onDone = (cardNo) => {
            if (cardNo === e.card.cardNo) c.quickDone.set(e.key, index);
            c.onDone = undefined;
          };
          void c.act(def, e.card, { text: text || undefined }, anchor, opinionId, undefined, seen).then(() => (c.onDone = undefined));
        },
      }),
    ),
  );
  return li;
}

/** Register rows with an error that name me, or every such row for the secretary: core leaves them out of its lists until they are fixed. */
function toFix(c: Controller): CardEntry[] {
  const d = c.d;
  if (!d) return [];
  const staff = d.model.staff;
  const secretary = staff.some((s) => s.name === c.me && s.active && s.role === "Secretary");
  return d.entries.filter((e) => {
    if (!e.partial) return false;
    const card = e.card;
    return secretary || [card.initiator, card.ae, card.lead, card.reviewer, card.secretary].includes(c.me);
  });
}

function fixRow(c: Controller, e: CardEntry): HTMLElement {
  const li = cardRow(c, e, { item: e.open.find((o) => o.person === c.me) ?? e.open[0] });
  li.classList.add("pd-row");
  li.dataset.kind = "fix";
  return li;
}

/** A card approved with one tap, kept where it was with its result (the message lands in its slot). */
function doneRow(c: Controller, e: CardEntry): HTMLElement {
  const li = cardRow(c, e, { next: c.t("已处理", "Done") });
  li.classList.add("pd-row");
  li.setAttribute("data-slot", "");
  li.dataset.kind = "done";
  li.append(h("span", { id: `pd-quick-${e.key}`, class: "pd-row-done", tabindex: "-1" }));
  return li;
}

function refRow(c: Controller, r: CardRef, e: CardEntry): HTMLElement {
  const waiting = r.waitingFor.length ? c.t(`等待 ${r.waitingFor.join("、")}`, `waiting for ${r.waitingFor.join(", ")}`) : "";
  const unread = r.read === false ? c.t("未读 · ", "unread · ") : "";
  const li = cardRow(c, e, { next: `${unread}${waiting}` || undefined });
  li.classList.add("pd-row");
  return li;
}

export function mine(c: Controller): HTMLElement {
  if (!c.me || !c.d) return chooseFirst(c);
  const box = c.d.inbox(c.me);
  const fixing = toFix(c).length;
  const tabs = h(
    "div",
    { class: "pd-inbox-tabs", role: "tablist", "aria-label": c.t("我的工作", "My work") },
    ...TABS.map((t) =>
      h(
        "button",
        {
          type: "button",
          role: "tab",
          class: "pd-tab",
          id: `pd-inbox-${t.id}`,
          "data-tab": t.id,
          "aria-selected": c.inboxTab === t.id ? "true" : "false",
          "aria-controls": "pd-mine",
          tabindex: c.inboxTab === t.id ? "0" : "-1",
          onclick: () => {
            c.inboxTab = t.id;
            c.filter.shown = 100;
            c.quickDone.clear();
            c.message = undefined;
            c.render();
          },
        },
        `${c.t(t.zh, t.en)} ${t.count(box) + (t.id === "todo" ? fixing : 0)}`,
      ),
    ),
  );
  let rows: HTMLElement[];
  let total: number;
  if (c.inboxTab === "todo") {
    const list = box.todo.map((r) => ({ r, e: entryOf(c, r.cardNo) })).filter((x): x is { r: InboxRow; e: CardEntry } => !!x.e);
    // Rows with a bad cell that name me (the secretary: all of them) come first, flagged with the cell to fix.
    const fix = toFix(c);
    total = fix.length + list.length;
    rows = [...fix.map((e) => fixRow(c, e)), ...list.map((x) => todoRow(c, x.r, x.e))].slice(0, c.filter.shown);
    // Cards just approved here stay where they were, with their result.
    const kept = [...c.quickDone.entries()].sort((a, b) => a[1] - b[1]);
    for (const [key, at] of kept) {
      const e = entryOf(c, key);
      if (!e || list.some((x) => x.e.key === key)) continue;
      rows.splice(Math.min(at, rows.length), 0, doneRow(c, e));
    }
  } else {
    const refs = c.inboxTab === "done" ? box.done : c.inboxTab === "started" ? box.started : box.copied;
    const list = refs.map((r) => ({ r, e: entryOf(c, r.cardNo) })).filter((x): x is { r: CardRef; e: CardEntry } => !!x.e);
    total = list.length;
    rows = list.slice(0, c.filter.shown).map((x) => refRow(c, x.r, x.e));
  }
  const late = box.todo.filter((r) => (r.kind === "approve" || r.kind === "do") && r.urgency === "late").length;
  const backup = box.counts.backup
    ? c.t(`另有 ${box.counts.backup} 张你作为 AB 角可代办。`, ` ${box.counts.backup} more you may take as a backup.`)
    : "";
  return h(
    "section",
    { "aria-labelledby": "pd-mine-h" },
    h("h2", { id: "pd-mine-h" }, c.t("我的工作", "My work")),
    notices(c, box),
    tabs,
    c.inboxTab === "todo"
      ? h(
          "p",
          { class: "pd-count" },
          c.t(
            `${box.counts.todo} 张卡片等你处理（超时 ${late}），另有 ${box.counts.watch} 张你负责的时限在别人手上。${backup}`,
            `${box.counts.todo} cards wait for you (${late} late); ${box.counts.watch} more with a deadline of yours in someone else's hands.${backup}`,
          ),
        )
      : "",
    rows.length
      ? h("ul", { class: "pd-list", id: "pd-mine" }, ...rows)
      : h("p", { class: "pd-hint", id: "pd-mine-empty" }, c.t("这里没有卡片。", "No cards here.")),
    more(c, Math.min(c.filter.shown, total), total),
  );
}
