/** "I am": the header's choice of one's own name (once per device, not a sign-in) and the language switch; the first-run prompt. */
import type { Controller } from "../controller";
import { h } from "../dom";
import { ROLES, word } from "../../workbook/vocab";

export function header(c: Controller): HTMLElement {
  const staff = c.read?.model.staff.filter((s) => s.active) ?? [];
  const select = h(
    "select",
    { id: "pd-me", onchange: (e: Event) => c.setMe((e.target as HTMLSelectElement).value) },
    h("option", { value: "" }, c.t("（选择你的名字）", "(choose your name)")),
    ...staff.map((s) => h("option", { value: s.name, selected: s.name === c.me }, `${s.name} · ${s.role ? word(ROLES, s.role, c.lang) : ""}`)),
  );
  const lang = h(
    "fluent-button",
    { id: "pd-lang", appearance: "stealth", lang: c.lang === "zh" ? "en" : "zh-CN", title: c.t("Switch to English", "切换到中文"), onclick: () => c.setLang(c.lang === "zh" ? "en" : "zh") },
    c.lang === "zh" ? "English" : "中文",
  );
  return h(
    "header",
    { class: "pd-header" },
    h("h1", {}, c.t("策划台", "Planning Desk")),
    h("div", { class: "pd-who" }, h("label", { for: "pd-me" }, c.t("我是", "I am")), select, lang),
    c.me ? "" : h("p", { class: "pd-hint" }, c.t("在本设备上选一次即可。这不是登录：它只决定显示哪些待办和按钮。", "Chosen once on this device. This is not a sign-in: it only decides which work and buttons you see.")),
  );
}

/** Shown in place of My work until a name is chosen. */
export function chooseFirst(c: Controller): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "pd-iam-h" },
    h("h2", { id: "pd-iam-h" }, c.t("我是谁", "Who I am")),
    h("p", {}, c.t("请先在上方“我是”中选择你的名字：我的工作按你的角色列出待办。", "Choose your name under “I am” above first: My work lists what is waiting for you in your roles.")),
  );
}
