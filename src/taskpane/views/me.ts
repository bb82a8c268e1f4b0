/** "I am": the header's choice of one's own name (once per device, not a sign-in) and the language switch; the first-run prompt. */
import type { Controller } from "../controller";
import { h } from "../dom";
import { ROLES, word } from "../../workbook/vocab";
import { mayActAs } from "../../core/workflow/account";

/**
 * What the header says of the signed-in account (account.ts): nothing while it is being asked;
 * that there is none here (the picker stays the only way); a warning when the chosen person is
 * not the account's (a backup choosing the person they back up is said, not warned); a warning
 * when the account is in no Staff row.
 */
function accountLine(c: Controller): HTMLElement | string {
  const s = c.signedIn;
  if (!s) return "";
  // No account here: said until a name is chosen, then the picker says who I am.
  if (s.account === undefined) return c.me ? "" : h("p", { id: "pd-account", class: "pd-hint", "data-account": "none" }, c.tx(s.reason));
  const person = c.accountPerson();
  const staff = c.read?.model.staff ?? [];
  if (!person)
    return h(
      "p",
      { id: "pd-account", class: "pd-warning", role: "status", "data-account": "unknown" },
      c.t(
        `登录账号“${s.account}”不在人员表的“账号”列中：请在人员表中填写，或选择你是谁`,
        `The signed-in account "${s.account}" is not in the Staff table's Account column: fill it in there, or choose who you are`,
      ),
    );
  if (!c.me || c.me === person)
    return h(
      "p",
      { id: "pd-account", class: "pd-hint", "data-account": "match" },
      c.t(`已登录：${s.account}（${person}）`, `Signed in: ${s.account} (${person})`),
    );
  if (mayActAs(staff, s.account, c.me))
    return h(
      "p",
      { id: "pd-account", class: "pd-hint", "data-account": "backup" },
      c.t(
        `已登录：${s.account}（${person}），作为 ${c.me} 的备份人操作`,
        `Signed in: ${s.account} (${person}), acting as ${c.me}'s backup`,
      ),
    );
  return h(
    "p",
    { id: "pd-account", class: "pd-warning", role: "alert", "data-account": "differs" },
    c.t(
      `你选择的是“${c.me}”，但登录的账号“${s.account}”是 ${person} 的：会签记录会同时记下二者，并在“问题”中列出`,
      `You chose "${c.me}", but the signed-in account "${s.account}" is ${person}'s: the log records both, and Problems lists the row`,
    ),
  );
}

export function header(c: Controller): HTMLElement {
  const staff = c.read?.model.staff.filter((s) => s.active) ?? [];
  const select = h(
    "select",
    { id: "pd-me", onchange: (e: Event) => c.setMe((e.target as HTMLSelectElement).value) },
    h("option", { value: "" }, c.t("（选择你的名字）", "(choose your name)")),
    ...staff.map((s) =>
      h("option", { value: s.name, selected: s.name === c.me }, `${s.name} · ${s.role ? word(ROLES, s.role, c.lang) : ""}`),
    ),
  );
  const lang = h(
    "fluent-button",
    {
      id: "pd-lang",
      appearance: "stealth",
      lang: c.lang === "zh" ? "en" : "zh-CN",
      title: c.t("Switch to English", "切换到中文"),
      onclick: () => c.setLang(c.lang === "zh" ? "en" : "zh"),
    },
    c.lang === "zh" ? "English" : "中文",
  );
  return h(
    "header",
    { class: "pd-header" },
    // One line at 320 px in Chinese: the pane's name, who I am, the language.
    h(
      "div",
      { class: "pd-who" },
      h("h1", {}, c.t("策划台", "Planning Desk")),
      h("label", { for: "pd-me" }, c.t("我是", "I am")),
      select,
      lang,
    ),
    accountLine(c),
    c.me
      ? ""
      : h(
          "p",
          { class: "pd-hint" },
          c.t(
            "在本设备上选一次即可。这不是登录：它只决定显示哪些待办和按钮。",
            "Chosen once on this device. This is not a sign-in: it only decides which work and buttons you see.",
          ),
        ),
  );
}

/** Shown in place of My work until a name is chosen. */
export function chooseFirst(c: Controller): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "pd-iam-h" },
    h("h2", { id: "pd-iam-h" }, c.t("我是谁", "Who I am")),
    h(
      "p",
      {},
      c.t(
        "请先在上方“我是”中选择你的名字：我的工作按你的角色列出待办。",
        "Choose your name under “I am” above first: My work lists what is waiting for you in your roles.",
      ),
    ),
  );
}
