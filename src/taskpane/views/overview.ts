/**
 * All cards, as an overview for leaders: late first (most late first) with who the card is
 * with and the deadline, then due today, this week, later, and closed and archived last.
 * Filters: late / due today / this week, by person, by stage, and a search; counts per stage.
 */
import { STAGES, STAGE_WORDS } from "../../core/workflow/stages";
import type { Controller } from "../controller";
import { CardEntry, Derived } from "../derive";
import { h } from "../dom";
import { cardRow, more } from "../ui";

const DUE_FILTERS = {
  "": { zh: "全部", en: "All" },
  late: { zh: "已超时", en: "Late" },
  today: { zh: "今天到期", en: "Due today" },
  week: { zh: "本周到期", en: "Due this week" },
} as const;

function matches(c: Controller, e: CardEntry): boolean {
  const f = c.filter;
  if (f.stage && e.stage !== f.stage) return false;
  if (f.due === "late" && e.urgency !== "late") return false;
  if (f.due === "today" && e.urgency !== "today") return false;
  if (f.due === "week" && e.urgency !== "today" && e.urgency !== "soon") return false;
  if (f.person && !c.d!.concerns(e, f.person)) return false;
  const text = f.text.trim().toLowerCase();
  if (text) {
    const card = e.card;
    if (
      ![card.cardNo, card.project, card.client, card.lead, card.ae, card.initiator, card.reviewer].some((v) =>
        v?.toLowerCase().includes(text),
      )
    )
      return false;
  }
  return true;
}

/**
 * The first `n` of `items` in `compare`'s order, exactly as a (stable) sort then `slice(0, n)`
 * gives them: an item that compares equal to one before it in `items` stays after it. Keeps the
 * best `n` in order while passing over the rest once: about one comparison per item when `n` is
 * small beside `items` (the Overview's first page), not the sort's dozen.
 */
export function firstInOrder<T>(items: readonly T[], n: number, compare: (a: T, b: T) => number): T[] {
  if (n <= 0) return [];
  if (n * 8 >= items.length) return [...items].sort(compare).slice(0, n);
  const top: T[] = [];
  for (const it of items) {
    // Not before the last one kept: a later item that compares equal comes after it, so past the first n.
    if (top.length === n && compare(it, top[n - 1]) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(it, top[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    top.splice(lo, 0, it);
    if (top.length > n) top.pop();
  }
  return top;
}

export function overview(c: Controller): HTMLElement {
  const d = c.d!;
  const cards = d.entries.filter((e) => matches(c, e));
  // The first page in Derived.compare's order, as sorting all would give it, without sorting 5,000 cards for 100 rows.
  const shown = firstInOrder(cards, c.filter.shown, Derived.compare);
  const set = (key: "stage" | "due" | "person" | "text") => (e: Event) => {
    c.filter[key] = (e.target as HTMLInputElement).value;
    c.filter.shown = 100;
    c.render();
  };
  const select = (id: string, label: string, key: "stage" | "due" | "person", options: [string, string][]) =>
    h(
      "div",
      { class: "pd-field" },
      h("label", { for: id }, label),
      h("select", { id, onchange: set(key) }, ...options.map(([v, t]) => h("option", { value: v, selected: c.filter[key] === v }, t))),
    );
  const people = d.model.staff.filter((s) => s.active).map((s) => s.name);
  const counts = new Map<string, number>();
  let late = 0;
  for (const e of d.entries) {
    counts.set(e.stage, (counts.get(e.stage) ?? 0) + 1);
    if (e.urgency === "late") late++;
  }
  const search = h("input", {
    id: "pd-filter-text",
    type: "search",
    value: c.filter.text,
    placeholder: c.t("卡号、项目、客户、人员", "card, project, client, person"),
    onchange: set("text"),
    onsearch: set("text"),
  });
  return h(
    "section",
    { "aria-labelledby": "pd-all-h" },
    h("h2", { id: "pd-all-h" }, c.t("全部卡片", "All cards")),
    h(
      "ul",
      { class: "pd-stage-counts", id: "pd-stage-counts", "aria-label": c.t("各阶段卡片数", "Cards per stage") },
      h("li", { class: "pd-late" }, c.t(`已超时 ${late}`, `Late ${late}`)),
      ...STAGES.map((s) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "pd-chip",
              "data-stage": s,
              "aria-pressed": c.filter.stage === s ? "true" : "false",
              onclick: () => ((c.filter.stage = c.filter.stage === s ? "" : s), (c.filter.shown = 100), c.render()),
            },
            `${STAGE_WORDS[s][c.lang]} ${counts.get(s) ?? 0}`,
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "pd-filters" },
      select(
        "pd-filter-due",
        c.t("期限", "Deadline"),
        "due",
        Object.entries(DUE_FILTERS).map(([v, t]) => [v, t[c.lang]]),
      ),
      select("pd-filter-person", c.t("人员", "Person"), "person", [
        ["", c.t("所有人", "Everyone")],
        ...people.map((p) => [p, p] as [string, string]),
      ]),
      select("pd-filter-stage", c.t("阶段", "Stage"), "stage", [
        ["", c.t("全部阶段", "All stages")],
        ...STAGES.map((s) => [s, STAGE_WORDS[s][c.lang]] as [string, string]),
      ]),
      h("div", { class: "pd-field" }, h("label", { for: "pd-filter-text" }, c.t("搜索", "Search")), search),
    ),
    h("p", { class: "pd-count" }, c.t(`${cards.length} 张卡片，超时的在前`, `${cards.length} cards, late first`)),
    h(
      "ul",
      { class: "pd-list", id: "pd-all" },
      ...shown.map((e) => cardRow(c, e, { item: c.filter.person ? e.open.find((o) => o.person === c.filter.person) : undefined })),
    ),
    more(c, shown.length, cards.length),
  );
}
