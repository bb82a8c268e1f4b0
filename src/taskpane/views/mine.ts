/**
 * My work: the cards that wait for me, most urgent first — late (most late first), due today,
 * due this week, later, then cards I may act on without a running deadline. Each with its due
 * time and how it stands ("今天到期", "已超时 N 个工作日"), what I may do, work taken as someone's
 * AB-role backup marked "代 周婷", and cards with a bad cell I am on, flagged with the cell.
 * The secretary's includes the countersigns to chase (D3 is hers).
 */
import { ACTIONS, PROGRESS_ACTIONS, permission } from "../../core/workflow/actions";
import { countersignChain } from "../../core/workflow/chain";
import { chasesFor, copiesFor } from "../../core/workflow/notices";
import { onlyActive } from "../../core/people";
import type { Controller } from "../controller";
import { CardEntry, OpenItem, URGENCY_RANK } from "../derive";
import { h } from "../dom";
import { cardRow, more } from "../ui";
import { chooseFirst } from "./me";


export interface WorkItem {
  entry: CardEntry;
  item?: OpenItem;
  next: string[];
  /** Whom I do it for, when all of it is as their backup. */
  behalf?: string;
}

export function myWork(c: Controller): WorkItem[] {
  const d = c.d!;
  const me = c.me;
  const staff = d.model.staff;
  const isSecretary = staff.some((s) => s.name === me && s.active && s.role === "Secretary");
  // Me and whoever I back up. A planner or an AE (and theirs) may act only on cards that name one of them:
  // the roles that act on any card (secretary, manager, assistant, director) are Staff roles, not theirs.
  const selves = new Set([me, ...staff.filter((s) => s.backup === me).map((s) => s.name)]);
  const wide = staff.some((s) => selves.has(s.name) && s.role !== undefined && s.role !== "Planner" && s.role !== "AE");
  const out: WorkItem[] = [];
  for (const e of d.entries) {
    if (e.stage === "archived" && !e.partial) continue;
    const own = e.open.filter((o) => o.person === me);
    const next: string[] = [];
    const behalfOf = new Set<string>();
    let ownAction = false;
    const card = e.card;
    const onCard = [card.initiator, card.ae, card.lead, card.reviewer, card.secretary].some((n) => n !== undefined && selves.has(n));
    if (!e.partial) {
      const ctx = c.ctxFor(e.card);
      for (const a of ACTIONS) {
        // Only the steps that make a card wait for someone (core's PROGRESS_ACTIONS) put it in My
        // work; optional moves (comment, copy, chase, hand over, withdraw …) never do. Copies
        // (知会) and chases (催办) are shown as notices at the top.
        if (!PROGRESS_ACTIONS.has(a.id) || !a.stages.includes(e.stage)) continue;
        if (!wide && !onCard) continue;
        const p = permission(a.id, e.card, me, ctx);
        if (!p.allowed) continue;
        next.push(a.label[c.lang]);
        if (p.onBehalfOf) behalfOf.add(p.onBehalfOf);
        else ownAction = true;
      }
    }
    const named = [card.initiator, card.ae, card.lead, card.reviewer, card.secretary ?? onlyActive(d.model.staff, "Secretary")].includes(me);
    const flagged = !!e.partial && (named || isSecretary);
    if (!own.length && !next.length && !flagged) continue;
    // A countersign waiting on someone else: the secretary chases it.
    if (e.stage === "countersign" && own.some((o) => o.result.deadline.ends === "countersigned") && !next.length) {
      const who = signer(c, e);
      next.push(c.t(`催会签：等 ${who || "下一位"} 签字`, `chase the countersign: waiting for ${who || "the next signer"}`));
    }
    const ownItems = own.filter((o) => !o.onBehalfOf);
    let behalf: string | undefined;
    if (!ownItems.length && !ownAction) behalf = own.find((o) => o.onBehalfOf)?.onBehalfOf ?? [...behalfOf][0];
    out.push({ entry: e, item: own[0] ?? e.open[0], next, behalf });
  }
  const rankOf = (w: WorkItem) => URGENCY_RANK[w.item?.urgency ?? "none"];
  return out.sort(
    (a, b) =>
      rankOf(a) - rankOf(b) ||
      Number(!!a.behalf) - Number(!!b.behalf) ||
      (b.item?.late ?? 0) - (a.item?.late ?? 0) ||
      (a.item?.due ?? Infinity) - (b.item?.due ?? Infinity) ||
      a.entry.key.localeCompare(b.entry.key),
  );
}

/** Who must sign next on a card in countersign. */
function signer(c: Controller, e: CardEntry): string {
  const chain = countersignChain(e.card, c.ctxFor(e.card));
  const step = chain.steps[chain.current];
  if (!step) return "";
  return step.holders.join(c.t("或", " or "));
}

/** 催办 and 知会 addressed to me, from the log (core/workflow/notices.ts): chases first, then copies, oldest first. */
function notices(c: Controller): HTMLElement | string {
  const d = c.d!;
  const chases = chasesFor(c.me, d.model.log, d.model.cards, d.model.revisions);
  const copies = copiesFor(c.me, d.model.log);
  const all = [...chases, ...copies];
  if (!all.length) return "";
  const open = (cardNo: string) => {
    const key = d.byKey.has(cardNo) ? cardNo : [...d.byKey.values()].find((e) => e.card.cardNo === cardNo)?.key;
    if (key) c.go("card", key);
  };
  return h(
    "ul",
    { class: "pd-notices", id: "pd-notices", "aria-label": c.t("催办与知会", "Chases and copies") },
    ...all.map((n) =>
      h(
        "li",
        { class: `pd-notice pd-notice-${n.kind}`, "data-kind": n.kind, "data-card": n.cardNo },
        h("a", { href: "#", onclick: (ev: Event) => (ev.preventDefault(), open(n.cardNo)) }, c.tx(n.text)),
      ),
    ),
  );
}

export function mine(c: Controller): HTMLElement {
  if (!c.me) return chooseFirst(c);
  const work = myWork(c);
  const count = (u: string) => work.filter((w) => (w.item?.urgency ?? "none") === u).length;
  const late = count("late");
  const today = count("today");
  const shown = work.slice(0, c.filter.shown);
  return h(
    "section",
    { "aria-labelledby": "pd-mine-h" },
    h("h2", { id: "pd-mine-h" }, c.t("我的工作", "My work")),
    h(
      "p",
      { class: "pd-count" },
      c.t(`${work.length} 张卡片等你处理（超时 ${late}，今天到期 ${today}），最急的在前。`, `${work.length} cards waiting for you (${late} late, ${today} due today), most urgent first.`),
    ),
    notices(c),
    h("ul", { class: "pd-list", id: "pd-mine" }, ...shown.map((w) => cardRow(c, w.entry, { item: w.item, next: w.next.length ? c.t(`可操作：${w.next.join(" · ")}`, `You may: ${w.next.join(" · ")}`) : undefined, behalf: w.behalf }))),
    more(c, shown.length, work.length),
  );
}
