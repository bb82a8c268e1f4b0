/**
 * The pane's controls, each with its label: fields that keep what was typed (drafts), date and
 * time as text in `yyyy-mm-dd hh:mm` (never the browser's locale) with a picker button, buttons
 * that show when they are working, and one card row for My work and the Overview.
 */
import { formatSerialMinute, lateText, parseDateText } from "../core/calendar";
import { STAGE_WORDS } from "../core/workflow/stages";
import type { ActionId } from "../core/workflow/actions";
import type { Urgency } from "../core/workflow/inbox";
import type { Controller, Message, Text } from "./controller";
import { CardEntry, OpenItem } from "./derive";
import { Child, h } from "./dom";

export const DATE_PATTERN = "\\d{4}-\\d{1,2}-\\d{1,2} \\d{1,2}:\\d{2}";

/** Business days, as people say them: "13", "0.3". */
export const days = (x: number): string => String(Math.round(x * 10) / 10);
export const when = (t: number | undefined): string => (t === undefined ? "" : formatSerialMinute(t));

export function field(id: string, label: string, control: HTMLElement, ...after: Child[]): HTMLElement {
  return h("div", { class: "pd-field" }, h("label", { for: id }, label), control, ...after);
}

interface Opts {
  value?: string;
  disabled?: boolean;
  /** Draw the pane again when the value changes (another field follows it). */
  rerender?: boolean;
  required?: boolean;
  placeholder?: string;
  describedBy?: string;
}

function keep(c: Controller, id: string, rerender?: boolean) {
  return {
    oninput: (e: Event) => c.drafts.set(id, (e.target as HTMLInputElement).value),
    onchange: (e: Event) => {
      c.drafts.set(id, (e.target as HTMLInputElement).value);
      if (rerender) c.render();
    },
  };
}

export function textInput(c: Controller, id: string, label: string, o: Opts & { type?: string } = {}): HTMLElement {
  const input = h("input", {
    id,
    type: o.type ?? "text",
    value: c.draft(id, o.value ?? ""),
    disabled: o.disabled,
    required: o.required,
    placeholder: o.placeholder,
    "aria-describedby": o.describedBy,
    ...keep(c, id, o.rerender),
  });
  return field(id, label, input);
}

export function selectInput(
  c: Controller,
  id: string,
  label: string,
  options: { value: string; text: string }[],
  o: Opts = {},
): HTMLElement {
  const value = c.draft(id, o.value ?? options[0]?.value ?? "");
  const select = h(
    "select",
    { id, disabled: o.disabled, required: o.required, ...keep(c, id, o.rerender) },
    ...options.map((x) => h("option", { value: x.value, selected: x.value === value }, x.text)),
  );
  return field(id, label, select);
}

export function checkbox(c: Controller, id: string, label: string, o: { checked?: boolean; disabled?: boolean } = {}): HTMLElement {
  const checked = c.drafts.has(id) ? c.drafts.get(id) === "1" : !!o.checked;
  return h(
    "div",
    { class: "pd-check" },
    h("input", {
      id,
      type: "checkbox",
      checked,
      disabled: o.disabled,
      onchange: (e: Event) => c.drafts.set(id, (e.target as HTMLInputElement).checked ? "1" : ""),
    }),
    h("label", { for: id }, label),
  );
}

export const checked = (c: Controller, id: string): boolean => c.drafts.get(id) === "1";

/**
 * A date and time typed as `yyyy-mm-dd hh:mm` (as Excel shows it, whatever the browser's
 * language), with a button that opens the browser's picker and writes its choice back in
 * that form. `hint(value)` goes under the field (read with it by screen readers) and follows
 * what is typed, in place: the pane is not drawn again while someone types or clicks on.
 */
export function dateTimeInput(c: Controller, id: string, label: string, o: Opts & { hint?: (value: string) => Child } = {}): HTMLElement {
  const hintId = `${id}-hint`;
  const value = c.draft(id, o.value ?? "");
  const hint = o.hint ? h("p", { id: hintId, class: "pd-hint", "aria-live": "polite" }, o.hint(value)) : undefined;
  const update = (v: string) => {
    c.drafts.set(id, v);
    if (hint && o.hint) hint.replaceChildren(h("span", {}, o.hint(v)));
  };
  const text = h("input", {
    id,
    type: "text",
    inputmode: "numeric",
    autocomplete: "off",
    pattern: DATE_PATTERN,
    placeholder: "yyyy-mm-dd hh:mm",
    value,
    disabled: o.disabled,
    "aria-describedby": hint ? hintId : undefined,
    oninput: (e: Event) => update((e.target as HTMLInputElement).value),
    onchange: (e: Event) => update((e.target as HTMLInputElement).value),
  }) as HTMLInputElement;
  const picker = h("input", { type: "datetime-local", class: "pd-picker", tabindex: "-1", "aria-hidden": "true" }) as HTMLInputElement;
  picker.addEventListener("change", () => {
    if (!picker.value) return;
    text.value = picker.value.replace("T", " ").slice(0, 16);
    update(text.value);
    text.focus();
  });
  const pick = h(
    "button",
    {
      type: "button",
      id: `${id}-pick`,
      class: "pd-pick",
      disabled: o.disabled,
      "aria-label": c.t(`选择${label}`, `Choose: ${label}`),
      title: c.t(
        "打开日期选择器（选好后仍按 yyyy-mm-dd hh:mm 显示）",
        "Open the date picker (the choice is still shown as yyyy-mm-dd hh:mm)",
      ),
      onclick: () => {
        const t = parseDateText(text.value);
        picker.value = t === undefined ? "" : formatSerialMinute(t).replace(" ", "T");
        try {
          picker.showPicker();
        } catch {
          picker.focus();
        }
      },
    },
    c.t("选择", "Pick"),
  );
  return field(id, label, h("div", { class: "pd-dt" }, text, pick, picker), hint);
}

/** A date typed in a field: its serial, or a refusal saying how to write it. */
export function dateOf(c: Controller, id: string, fallback = ""): { value?: number; error?: Text } {
  const raw = c.draft(id, fallback).trim();
  if (!raw) return {};
  // A day with no time would be read as midnight: ask for the time instead.
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(raw))
    return { error: { zh: `“${raw}”只有日期：请写上时间，例如 ${raw} 18:00`, en: `"${raw}" has no time: add it, e.g. ${raw} 18:00` } };
  const value = parseDateText(raw);
  return value === undefined
    ? {
        error: {
          zh: `“${raw}”不是日期时间：请按 yyyy-mm-dd hh:mm 填写，例如 2026-11-02 10:00`,
          en: `"${raw}" is not a date and time: write it as yyyy-mm-dd hh:mm, e.g. 2026-11-02 10:00`,
        },
      }
    : { value };
}

/** A button that starts work: it shows it is working (and cannot be pressed again) while its work runs. */
export function button(
  c: Controller,
  id: string,
  label: string,
  o: { onclick: () => void; appearance?: string; disabled?: boolean; title?: string; describedBy?: string; attrs?: Record<string, string> },
): HTMLElement {
  const busy = c.busy === id;
  return h(
    "fluent-button",
    {
      id,
      appearance: o.appearance ?? "outline",
      disabled: !!o.disabled || !!c.busy,
      "aria-busy": busy ? "true" : undefined,
      class: busy ? "pd-busy" : undefined,
      title: o.title,
      // A disabled button's reason is tied to it.
      "aria-describedby": o.describedBy,
      onclick: () => {
        if (!c.busy && !o.disabled) o.onclick();
      },
      ...o.attrs,
    },
    h("span", { class: "pd-label" }, busy ? c.t("正在处理…", "Working…") : label),
  );
}

/** The message of the last piece of work: beside the control that started it, or at the top. */
export function banner(c: Controller, m: Message): HTMLElement {
  return h(
    "div",
    // One message at a time, with an id: a redraw (the backup group arriving) gives it back the focus it had.
    { id: "pd-msg", class: `pd-msg pd-${m.kind}`, role: m.kind === "error" ? "alert" : "status", tabindex: "-1", "data-anchor": m.anchor },
    h("p", {}, c.tx(m.text)),
    // A refusal lists what is wrong; a success says what happened in words, with the cells behind 详情.
    m.details?.length
      ? m.kind === "ok"
        ? h(
            "details",
            { class: "pd-msg-details" },
            h("summary", {}, c.t("详情", "Details")),
            h("ul", {}, ...m.details.map((d) => h("li", {}, c.tx(d)))),
          )
        : h("ul", {}, ...m.details.map((d) => h("li", {}, c.tx(d))))
      : "",
  );
}

/**
 * Puts a field's error right under its field and ties it to the control (aria-invalid,
 * aria-describedby); false when the control is not a field's input or select.
 */
export function besideField(control: HTMLElement, error: HTMLElement): boolean {
  const field = control.tagName === "INPUT" || control.tagName === "SELECT" ? control.closest(".pd-field") : null;
  if (!field) return false;
  field.after(error);
  control.setAttribute("aria-invalid", "true");
  error.id = `${control.id}-error`;
  control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), error.id].filter(Boolean).join(" "));
  return true;
}

/** The error of a further bad field of a form: read with its field (aria-describedby), not announced on its own. */
export function fieldError(c: Controller, text: Text): HTMLElement {
  return h("div", { class: "pd-field-error pd-error" }, h("p", {}, c.tx(text)));
}

/** How an open deadline stands, in words: "已超时 2 小时 30 分", "已超时 13 个工作日 2 小时", "今天到期", with when it is due. */
export function dueText(c: Controller, o: OpenItem): { status: string; due: string } {
  const due = c.t(`应于 ${when(o.due)}`, `due ${when(o.due)}`);
  switch (o.urgency) {
    case "late":
      return { status: c.tx(lateText(o.late, c.d?.cal.dayMinutes)), due };
    case "today":
      return { status: c.t("今天到期", "due today"), due };
    case "soon":
      return { status: c.t("本周到期", "due this week"), due };
    default:
      return { status: "", due };
  }
}

/** One card in a list: number, project, stage; its deadline (or mine), who it is with, what I may do, and a bad cell to fix. */
export function cardRow(
  c: Controller,
  e: CardEntry,
  o: { item?: OpenItem; next?: string; behalf?: string; openOn?: ActionId; mine?: { urgency: Urgency } } = {},
): HTMLElement {
  // A row of mine (待我处理) shows my deadline only, or none: never the card's other deadlines or their people.
  const item = o.mine ? o.item : (o.item ?? e.open[0]);
  const d = c.d!;
  // Beside a deadline, whom that deadline charges (not everyone with an open deadline on the card); without one, who has the card.
  const people = o.mine ? [] : item ? (item.person ? [item.person] : []) : d.responsible(e);
  const first = e.partial?.findings[0];
  const others = (e.partial?.findings.length ?? 1) - 1;
  const due = item ? dueText(c, item) : undefined;
  const number = e.card.cardNo || c.t(`第 ${(e.partial?.row ?? 0) + 2} 行（无卡号）`, `row ${(e.partial?.row ?? 0) + 2} (no card number)`);
  const rest = `pd-row-${e.key.replace(/[^0-9A-Za-z_-]/g, "_")}-more`;
  // Its accessible name is its number and project; the rest (stage, deadline, people) describes it.
  return h(
    "li",
    {},
    h(
      "button",
      {
        class: "pd-card-row",
        "data-card": e.key,
        "data-urgency": o.mine ? o.mine.urgency : item ? item.urgency : "none",
        "aria-label": `${number} ${e.card.project ?? ""}`.trim(),
        "aria-describedby": rest,
        ...(o.openOn ? { "data-open-on": o.openOn } : {}),
        onclick: () => c.go("card", e.key, o.openOn),
      },
      h("span", { class: "pd-cardno" }, number),
      h("span", { class: "pd-project" }, e.card.project ?? ""),
      h(
        "span",
        { class: "pd-row-more", id: rest },
        h("span", { class: "pd-stage" }, STAGE_WORDS[e.stage][c.lang]),
        e.escalated ? h("span", { class: "pd-status pd-late pd-escalated" }, e.escalated[c.lang]) : "",
        item && due
          ? h(
              "span",
              { class: "pd-when" },
              due.status ? h("span", { class: `pd-status pd-${item.urgency}` }, due.status) : "",
              h("span", { class: "pd-due" }, due.due),
              h("span", { class: "pd-deadline" }, `${item.result.deadline.id} ${item.result.deadline.name[c.lang]}`),
            )
          : "",
        h(
          "span",
          { class: "pd-people" },
          people.length ? h("span", { class: "pd-person" }, c.t(`负责 ${people.join("、")}`, `with ${people.join(", ")}`)) : "",
          e.card.lead && !people.includes(e.card.lead) && !(o.mine && e.card.lead === c.me)
            ? h("span", {}, c.t(`${people.length ? " · " : ""}策划 ${e.card.lead}`, `${people.length ? " · " : ""}lead ${e.card.lead}`))
            : "",
        ),
        o.behalf ? h("span", { class: "pd-behalf" }, c.t(`代 ${o.behalf}`, `for ${o.behalf}`)) : "",
        o.next ? h("span", { class: "pd-next" }, o.next) : "",
        first
          ? h(
              "span",
              { class: "pd-flag" },
              `⚠ ${c.t("需改正：", "To fix: ")}${c.tx(first)}${others > 0 ? c.t(`（另 ${others} 处）`, ` (+${others})`) : ""}`,
            )
          : "",
      ),
    ),
  );
}

export function more(c: Controller, shown: number, total: number): HTMLElement | string {
  if (total <= shown) return "";
  return h(
    "fluent-button",
    { id: "pd-more", onclick: () => ((c.filter.shown += 100), c.render()) },
    c.t(`显示更多（还有 ${total - shown} 张）`, `Show more (${total - shown} more)`),
  );
}

/**
 * The keys of a tab list (WAI-ARIA tabs, selection follows focus): ← → move to the tab before or
 * after (round the ends), Home and End to the first and last. The tab is focused, then chosen by
 * its own click, so the pane is drawn once and keeps the focus on it (same id).
 */
export function tabKeys(ev: Event): void {
  const list = ev.currentTarget;
  if (!(ev instanceof KeyboardEvent) || !(list instanceof HTMLElement)) return;
  const tabs = [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
  const at = tabs.findIndex((t) => t === document.activeElement);
  if (at < 0) return;
  const to =
    ev.key === "ArrowRight"
      ? (at + 1) % tabs.length
      : ev.key === "ArrowLeft"
        ? (at - 1 + tabs.length) % tabs.length
        : ev.key === "Home"
          ? 0
          : ev.key === "End"
            ? tabs.length - 1
            : -1;
  if (to < 0) return;
  ev.preventDefault();
  tabs[to].focus();
  tabs[to].click();
}
