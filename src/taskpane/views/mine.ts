/**
 * My work, the way people already work in 审批: notices at the top (催办, 抄送, a draft or brief
 * sent back to me), then four lists with their counts — 待我处理 (what waits on me, then my own
 * steps, then my deadlines whose step is someone else's, then the steps of an active colleague I
 * back up, marked "代 刘洋"; most urgent first), 我已处理, 我发起的,
 * 抄送我 — all from core (src/core/workflow/inbox.ts): the notices, 待我处理 and every count when
 * the view is drawn (inboxHead), each other list when its tab is opened (inboxList). Each group
 * draws its first page (FIRST_PAGE rows) and a "显示更多（N）" button for the rest.
 *
 * A row of 待我处理 that waits on my signature or review (or, in the backup group, on that of a
 * colleague I back up) has its button on the row: one tap (with an optional opinion) and the
 * result is shown in place, the row staying where it was.
 */
import { ActionId, actionDef } from "../../core/workflow/actions";
import type { CardRef, InboxHead, InboxRow } from "../../core/workflow/inbox";
import { versionOf } from "../../workbook/actions";
import type { Controller, InboxTab } from "../controller";
import type { CardEntry, OpenItem } from "../derive";
import { h } from "../dom";
import { button, cardRow, tabKeys, textInput } from "../ui";
import { chooseFirst } from "./me";

/** The steps a row can take with one tap (an opinion is optional for each). */
const ONE_TAP: readonly ActionId[] = ["sign", "review", "directorReview"];

/**
 * The tabs' words: the English short enough for one line at 320 px with four numbers; its full name
 * (the glossary's) is the tooltip and, with the number, the tab's accessible name.
 */
const TABS: { id: InboxTab; zh: string; en: string; full: string; count: (b: InboxHead) => number }[] = [
  { id: "todo", zh: "待我处理", en: "To do", full: "Waiting for me", count: (b) => b.counts.todo },
  { id: "done", zh: "我已处理", en: "Done", full: "Done by me", count: (b) => b.counts.done },
  { id: "started", zh: "我发起的", en: "Started", full: "Started by me", count: (b) => b.counts.started },
  { id: "copied", zh: "抄送我", en: "Copied", full: "Copied to me", count: (b) => b.counts.copied },
];

function entryOf(c: Controller, cardNo: string): CardEntry | undefined {
  const d = c.d;
  return d ? (d.byKey.get(cardNo) ?? d.entries.find((e) => e.card.cardNo === cardNo)) : undefined;
}

/** The entry of a card core lists (every Register card has one, under its number), worked out when its row is drawn. */
function listedEntry(c: Controller, cardNo: string): CardEntry {
  const e = entryOf(c, cardNo);
  if (!e) throw new Error(`My work lists card ${cardNo}, which the pane has not read`);
  return e;
}

/** 催办, 抄送 and send-backs addressed to me: each opens its card. */
function notices(c: Controller, box: InboxHead): HTMLElement | string {
  if (!box.notices.length) return "";
  return h(
    "ul",
    { class: "pd-notices", id: "pd-notices", "aria-label": c.t("催办、抄送与退回", "Chases, copies and send-backs") },
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
  // A milestone's row opens the card on 完成里程碑, its deadline its own (core's milestoneRow).
  const milestone = r.actions.includes("milestone");
  // My deadline (core's, the one my step completes), never another person's; the line below it is my step.
  const mine = r.deadline;
  const item: OpenItem | undefined = mine
    ? { result: mine.result, due: mine.due, urgency: mine.urgency, late: mine.late, person: c.me, onBehalfOf: r.onBehalfOf }
    : undefined;
  // A deadline of mine in others' hands: whom it waits for (its name is already on the deadline's line).
  // A route step escalated to me has no deadline line: its row keeps core's words (超时 …，已上报 … · 等待 …).
  const waiting = r.kind === "watch" && mine && r.waitingFor.length ? waitingWords(c, r.waitingFor) : "";
  const li = cardRow(c, e, {
    item,
    next: waiting || c.tx(mine && !milestone ? r.step : r.text),
    behalf: r.onBehalfOf,
    openOn: milestone ? "milestone" : undefined,
    mine: { urgency: r.urgency },
  });
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
          // Its place in the list as drawn (the groups' headings included): the result stays there.
          const index = li.parentElement ? [...li.parentElement.children].indexOf(li) : 0;
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
  return d.partialEntries().filter((e) => {
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
  // Mine as it was: no deadline nor "负责" of whoever the card has moved on to (the message in its slot says whom it waits for).
  const li = cardRow(c, e, { next: c.t("已处理", "Done"), mine: { urgency: "none" } });
  li.classList.add("pd-row");
  li.setAttribute("data-slot", "");
  li.dataset.kind = "done";
  li.append(h("span", { id: `pd-quick-${e.key}`, class: "pd-row-done", tabindex: "-1" }));
  return li;
}

/** "等待 王磊、赵敏" / "waiting for 王磊, 赵敏": a row's line of whom its card waits for. */
function waitingWords(c: Controller, people: readonly string[]): string {
  return c.t(`等待 ${people.join("、")}`, `waiting for ${people.join(", ")}`);
}

function refRow(c: Controller, r: CardRef, e: CardEntry): HTMLElement {
  const waiting = r.waitingFor.length ? waitingWords(c, r.waitingFor) : "";
  const unread = r.read === false ? c.t("未读 · ", "unread · ") : "";
  const li = cardRow(c, e, { next: `${unread}${waiting}` || undefined });
  li.classList.add("pd-row");
  return li;
}

/** Rows a group of My work shows first (a screenful and some), and how many more each "显示更多" brings. */
export const FIRST_PAGE = 20;
export const MORE_PAGE = 100;

/** A group of rows of the open tab: its rows are drawn only when shown. */
interface Group {
  id: string;
  items: { key: string; draw: () => HTMLElement }[];
  /** A heading over the group's rows (with their number), so that the tab's number is the rows under the tab. */
  title?: string;
}

/**
 * The rows of each group up to what it shows (its first page, and what "显示更多" added), each
 * group followed by its "显示更多（N）" button while rows remain: a real button, in the list's
 * tab order; it brings the next rows and moves the focus to the first of them.
 */
function paged(c: Controller, groups: Group[]): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const g of groups) {
    if (g.title && g.items.length)
      out.push(
        h("li", { class: "pd-group-h", role: "presentation", "data-group": g.id }, h("h3", { id: `pd-mine-group-${g.id}` }, g.title)),
      );
    const shown = Math.min(g.items.length, FIRST_PAGE + (c.inboxShown.get(g.id) ?? 0));
    for (const it of g.items.slice(0, shown)) out.push(it.draw());
    const rest = g.items.length - shown;
    if (rest <= 0) continue;
    const next = Math.min(rest, MORE_PAGE);
    const firstNew = g.items[shown].key;
    out.push(
      h(
        "li",
        { class: "pd-more-row", "data-group": g.id },
        h(
          "button",
          {
            type: "button",
            class: "pd-link pd-show-more",
            id: `pd-mine-more-${g.id}`,
            "data-group": g.id,
            "aria-label":
              next < rest
                ? c.t(`显示更多 ${next} 张（还有 ${rest} 张）`, `Show ${next} more (${rest} left)`)
                : c.t(`显示其余 ${rest} 张`, `Show the other ${rest}`),
            onclick: () => {
              c.inboxShown.set(g.id, (c.inboxShown.get(g.id) ?? 0) + next);
              c.render();
              const row = document.querySelector<HTMLElement>(`#pd-mine button.pd-card-row[data-card="${CSS.escape(firstNew)}"]`);
              row?.focus();
            },
          },
          c.t(`显示更多（${next}）`, `Show ${next} more`),
        ),
      ),
    );
  }
  return out;
}

export function mine(c: Controller): HTMLElement {
  if (!c.me || !c.d) return chooseFirst(c);
  const d = c.d;
  const me = c.me;
  const box = d.inbox(me);
  const fix = toFix(c);
  const tabs = h(
    "div",
    { class: "pd-inbox-tabs", role: "tablist", "aria-label": c.t("我的工作", "My work"), onkeydown: tabKeys },
    ...TABS.map((t) => {
      const n = String(t.count(box) + (t.id === "todo" ? fix.length : 0));
      return h(
        "button",
        {
          type: "button",
          role: "tab",
          class: "pd-tab",
          id: `pd-inbox-${t.id}`,
          "data-tab": t.id,
          title: c.lang === "en" ? t.full : undefined,
          "aria-label": c.lang === "en" ? `${t.full} ${n}` : undefined,
          "aria-selected": c.inboxTab === t.id ? "true" : "false",
          "aria-controls": "pd-mine",
          tabindex: c.inboxTab === t.id ? "0" : "-1",
          onclick: () => {
            c.inboxTab = t.id;
            c.filter.shown = 100;
            c.inboxShown.clear();
            c.quickDone.clear();
            c.message = undefined;
            c.render();
          },
        },
        `${c.t(t.zh, t.en)} `,
        h("span", { class: "pd-tab-n" }, n),
      );
    }),
  );
  let rows: HTMLElement[];
  if (c.inboxTab === "todo") {
    // Rows with a bad cell that name me (the secretary: all of them) come first, flagged with the cell to fix;
    // then what waits on me and my own steps, my deadlines in others' hands, a colleague's steps I back up: each group its own first page.
    const groups: Group[] = [
      { id: "todo", items: fix.map((e) => ({ key: e.key, draw: () => fixRow(c, e) })) },
      { id: "watch", items: [] },
      { id: "backup", items: [] },
    ];
    const at = { approve: groups[0], do: groups[0], watch: groups[1], backup: groups[2] };
    const listed = new Set<string>();
    // A row's card is worked out (its entry) only when the row is drawn: a page of each group, not every row.
    // The backup group is drawn once it is whole (Derived.finishCover, just after the first paint).
    const coverLater = !!box.coverLater;
    for (const r of box.todo) {
      if (!d.byKey.has(r.cardNo) || (coverLater && r.kind === "backup")) continue;
      listed.add(r.cardNo);
      at[r.kind].items.push({ key: r.cardNo, draw: () => todoRow(c, r, listedEntry(c, r.cardNo)) });
    }
    const [, watch, backup] = groups;
    watch.title = c.t(`我负责的时限，在别人手上（${watch.items.length}）`, `My deadlines in others' hands (${watch.items.length})`);
    backup.title = c.t(`作为 AB 角可代办（${backup.items.length}）`, `As a backup (${backup.items.length})`);
    rows = paged(c, groups);
    // Cards just approved here stay where they were, with their result.
    const kept = [...c.quickDone.entries()].sort((a, b) => a[1] - b[1]);
    for (const [key, index] of kept) {
      const e = entryOf(c, key);
      if (!e || listed.has(key)) continue;
      rows.splice(Math.min(index, rows.length), 0, doneRow(c, e));
    }
  } else {
    // 我已处理, 我发起的, 抄送我: worked out when the tab is opened.
    const refs = d.list(me, c.inboxTab);
    const items: Group["items"] = [];
    for (const r of refs) if (d.byKey.has(r.cardNo)) items.push({ key: r.cardNo, draw: () => refRow(c, r, listedEntry(c, r.cardNo)) });
    rows = paged(c, [{ id: c.inboxTab, items }]);
  }
  const late = box.todo.filter((r) => (r.kind === "approve" || r.kind === "do") && r.urgency === "late").length;
  // One short line: what waits on me, then the groups below it with their numbers (the backup group once whole).
  const { watch, backup } = box.counts;
  const summary = c.t(
    `${box.counts.todo} 张等你处理（超时 ${late}）${watch ? `，${watch} 个时限在别人手上` : ""}${backup && !box.coverLater ? `，${backup} 张可代办` : ""}。`,
    `${box.counts.todo} ${box.counts.todo === 1 ? "waits" : "wait"} for you (${late} late)${watch ? `; ${watch} ${watch === 1 ? "deadline" : "deadlines"} of yours in others' hands` : ""}${backup && !box.coverLater ? `; ${backup} you may take as a backup` : ""}.`,
  );
  return h(
    "section",
    { "aria-labelledby": "pd-mine-h" },
    // Read by screen readers; on screen the views bar already says where I am, and the rows move up.
    h("h2", { id: "pd-mine-h", class: "pd-sr" }, c.t("我的工作", "My work")),
    notices(c, box),
    tabs,
    c.inboxTab === "todo" ? h("p", { class: "pd-count" }, summary) : "",
    rows.length
      ? h("ul", { class: "pd-list", id: "pd-mine" }, ...rows)
      : h(
          "p",
          { class: "pd-hint", id: "pd-mine-empty" },
          // Nothing of my own, and the backup group not yet worked out (just after this paint).
          c.inboxTab === "todo" && box.coverLater
            ? c.t("正在整理你作为 AB 角可代办的卡片…", "Gathering the cards you may take as a backup…")
            : c.t("这里没有卡片。", "No cards here."),
        ),
  );
}
