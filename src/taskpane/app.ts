/**
 * The task pane: the header (I am, language), the views, and the message of the last piece of
 * work, drawn from one controller (controller.ts). Each view is its own module in views/:
 * My work (mine.ts), All cards as an overview (overview.ts), a card and its actions (card.ts,
 * card-actions.ts), New request, Month end, Problems, Settings, and I am (me.ts).
 *
 * UI only: every decision is core's, every read and write goes through the workbook port. The
 * same code runs in Excel (Office.js) and in the workbench (the in-memory Excel).
 *
 * Opening a card moves the focus to its heading; Escape goes back to the list (or closes a
 * confirmation), the focus on the card's row. Only the message region is announced (role
 * status/alert), not the pane.
 *
 * After each piece of work its message stands beside the control that started it, is scrolled
 * into view and gets the focus (or the control keeps it); otherwise a redraw keeps the focus
 * where it was.
 */
import { Controller, PaneHost, View } from "./controller";
import { h } from "./dom";
import { banner, besideField, fieldError } from "./ui";
import { cardView } from "./views/card";
import { header } from "./views/me";
import { mine } from "./views/mine";
import { monthView } from "./views/month";
import { newRequest } from "./views/new-request";
import { overview } from "./views/overview";
import { problems } from "./views/problems";
import { settings, setupButton } from "./views/settings";

export { langOf } from "./controller";
export type { Lang, PaneHost, View } from "./controller";

const VIEWS: Record<View, (c: Controller) => HTMLElement> = {
  mine,
  all: overview,
  card: cardView,
  new: newRequest,
  month: monthView,
  problems,
  settings,
};

export class Pane {
  readonly c: Controller;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The view the last render drew (leaving a card puts the focus back on its row). */
  private drawn: View | undefined;
  /** Whose pane was last drawn: another person's view starts at its top. */
  private drawnFor: string | undefined;
  /** Keeps the sticky header's height as the page's scroll padding (`--pd-top-h`, styles.ts). */
  private topSize: ResizeObserver | undefined;

  constructor(
    readonly root: HTMLElement,
    host: PaneHost,
  ) {
    this.c = new Controller(host);
    this.c.render = () => this.render();
    // Escape closes a confirmation, else goes back from a card to the list it was opened from.
    root.addEventListener("keydown", (ev: KeyboardEvent) => {
      // While an input method composes (pinyin), Escape closes its candidates: it is not the pane's.
      if (ev.key !== "Escape" || ev.isComposing || this.c.busy) return;
      if (this.c.confirmMonth) {
        ev.preventDefault();
        this.c.confirmMonth = false;
        this.render();
        document.getElementById("pd-write-month")?.focus();
      } else if (this.c.excusing !== undefined) {
        // The 有正当理由 form of a month-end point closes the same way; focus returns to its link.
        ev.preventDefault();
        const at = this.c.excusing;
        this.c.excusing = undefined;
        this.render();
        document.getElementById(`pd-excuse-${at}-open`)?.focus();
      } else if (this.c.view === "card") {
        ev.preventDefault();
        this.c.go(this.c.back === "card" ? "all" : this.c.back);
      }
    });
    // Left open all day: once a minute, when the pane is seen and nobody is typing in it, what is
    // late or due is worked out again if the time has moved on enough (Controller.catchUp).
    setInterval(() => {
      if (typeof document === "undefined" || document.visibilityState !== "visible") return;
      // Not under someone at work in the pane: a field, a button, an open 详情 keep what they hold.
      const at = document.activeElement;
      if (at && at !== document.body && root.contains(at)) return;
      if (this.c.catchUp()) this.render();
    }, 60_000);
    host.onRemoteChange?.(() => {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.c.refresh(), 150);
    });
  }

  /** Resolves when the pane has finished what it is doing (for tests and the workbench). */
  get idle(): Promise<void> {
    return this.c.idle;
  }
  get read() {
    return this.c.read;
  }

  /** Reads the workbook (one round trip) and shows it. */
  refresh(): Promise<void> {
    return this.c.refresh();
  }

  render(): void {
    const c = this.c;
    const active = typeof document !== "undefined" ? document.activeElement : null;
    const focused = active && active !== document.body && this.root.contains(active) ? active : null;
    const focusId = focused?.id ?? "";
    // A card's row has no id: it is found again by its card (a redraw under a keyboard user keeps them on it).
    const focusCard = !focusId && focused?.matches("button.pd-card-row") ? focused.getAttribute("data-card") : null;
    const leftCard = this.drawn === "card" && c.view !== "card";
    // Another view, or the same for another person: shown from its top (not where the last one was scrolled to).
    const fresh = this.drawn !== undefined && (this.drawn !== c.view || this.drawnFor !== c.me);
    this.drawn = c.view;
    this.drawnFor = c.me;

    const body = h("div", { class: "pd-body", id: "pd-body" });
    if (!c.read || !c.d) body.append(h("p", {}, c.t("正在读取工作簿…", "Reading the workbook…")));
    else if (!c.read.model.tables.has("Register"))
      body.append(
        h(
          "section",
          {},
          h("p", {}, c.t("这个工作簿还没有策划台的表格。", "This workbook has no Planning Desk tables yet.")),
          setupButton(c),
        ),
      );
    else body.append(VIEWS[c.view](c));
    // Who I am and the views stay on screen however far a long card or form is scrolled.
    const tree = h(
      "div",
      { class: "pd", lang: c.lang === "zh" ? "zh-CN" : "en" },
      h("div", { class: "pd-top" }, header(c), this.nav()),
      body,
    );

    // The message goes beside the control whose work it is; else at the top of the view.
    const m = c.message;
    let shown: HTMLElement | undefined;
    if (m) {
      shown = banner(c, m);
      const anchor = m.anchor ? (tree.querySelector(`#${CSS.escape(m.anchor)}`) as HTMLElement | null) : null;
      const slot = anchor?.closest("[data-slot]");
      const cardSub = tree.querySelector(".pd-card-sub");
      // A field's own error: right under it, tied to it; so are the other bad fields' of the same form.
      if (anchor && besideField(anchor, shown)) {
        for (const f of m.fields ?? []) {
          const other = tree.querySelector(`#${CSS.escape(f.id)}`);
          if (other instanceof HTMLElement) besideField(other, fieldError(c, f.text));
        }
      } else if (slot) slot.append(shown);
      else if (anchor) anchor.after(shown);
      // A card's action whose button is gone (the card moved on): under the card's heading, above what is next.
      else if (cardSub) cardSub.after(shown);
      else body.prepend(shown);
    }
    this.root.replaceChildren(tree);
    this.watchTop(tree);
    if (c.view === "mine") c.scheduleCover();

    if (c.focusHeading && c.view === "card") {
      // A card just opened: its heading takes the focus (a screen reader reads which card), its top in view.
      c.focusHeading = false;
      const heading = document.getElementById("pd-card-h");
      heading?.focus({ preventScroll: true });
      if (!m?.fresh) this.root.scrollIntoView({ block: "start" });
    }
    if (m?.fresh && shown) {
      m.fresh = false;
      shown.scrollIntoView({ block: "nearest" });
      const anchor = m.anchor ? document.getElementById(m.anchor) : null;
      const usable =
        anchor &&
        !anchor.hasAttribute("disabled") &&
        anchor.tabIndex >= 0 &&
        anchor.closest("[data-slot]") === shown.closest("[data-slot]");
      (usable ? anchor : shown).focus({ preventScroll: true });
      shown.scrollIntoView({ block: "nearest" });
    } else {
      const rowOf = (key: string) => this.root.querySelector<HTMLElement>(`button.pd-card-row[data-card="${CSS.escape(key)}"]`);
      // Back from a card (Escape, ←, a list in the views bar): the focus goes to the card's row, where the person was.
      const back = leftCard && c.cardKey ? rowOf(c.cardKey) : null;
      // Another view with no such row (月末, 设置 …): from its top.
      if (fresh && !back && c.view !== "card") this.root.scrollIntoView({ block: "start" });
      const kept = focusId ? document.getElementById(focusId) : focusCard ? rowOf(focusCard) : null;
      (kept ?? back)?.focus({ preventScroll: true });
      back?.scrollIntoView({ block: "nearest" });
    }
  }

  /**
   * What the pane scrolls into view (a message, a row on return, a focused field) must land below
   * the sticky header, whose height changes with the width, the language and the messages in it:
   * the browser's scroll padding does that once it knows the height, which an observer keeps (no
   * layout is read while drawing).
   */
  private watchTop(tree: HTMLElement): void {
    const top = tree.querySelector(".pd-top");
    if (!top || typeof ResizeObserver === "undefined") return;
    this.topSize ??= new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.borderBoxSize?.[0];
      if (box) document.documentElement.style.setProperty("--pd-top-h", `${Math.ceil(box.blockSize)}px`);
    });
    this.topSize.disconnect();
    this.topSize.observe(top);
  }

  private nav(): HTMLElement {
    const c = this.c;
    const problems = c.findings().length + c.logBreaksSoFar.length;
    // A card stays under the list it was opened from (← and Escape go back there).
    const lit = c.view === "card" ? (c.back === "card" ? "all" : c.back) : c.view;
    const item = (view: View, label: string) =>
      h(
        "fluent-button",
        {
          id: `pd-nav-${view}`,
          appearance: lit === view ? "accent" : "outline",
          "data-view": view,
          "aria-current": c.view === view ? "page" : undefined,
          onclick: () => {
            c.filter.shown = 100;
            c.go(view);
          },
        },
        label,
      );
    return h(
      "nav",
      { class: "pd-nav", "aria-label": c.t("视图", "Views") },
      item("mine", c.t("我的工作", "My work")),
      item("all", c.t("全部卡片", "All cards")),
      item("new", c.t("新需求", "New request")),
      item("month", c.t("月末", "Month end")),
      item("problems", `${c.t("问题", "Problems")}${problems ? ` (${problems})` : ""}`),
      item("settings", c.t("设置", "Settings")),
    );
  }
}
