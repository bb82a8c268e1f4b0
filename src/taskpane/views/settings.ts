/**
 * Settings: the Settings table's values (changed in the table), Set up this workbook, Add
 * deadline columns (secretary, manager, director), Add short names, and Check this Excel (the
 * self-test of every Office.js path the add-in uses, with its report to copy).
 */
import { wallClockSerial } from "../../core/calendar";
import { accountPermission } from "../../core/workflow/account";
import { addDeadlineColumns } from "../../workbook/deadline-columns-action";
import { selfTestText } from "../../workbook/selftest";
import { SHORT_NAMES } from "../../workbook/names";
import { WorkbookModel, readWorkbook } from "../../workbook/read";
import { yesNoSettingChange } from "../../workbook/setting-change";
import { setupChanges } from "../../workbook/setup";
import type { Controller } from "../controller";
import { h } from "../dom";
import { button } from "../ui";

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

export function setupButton(c: Controller): HTMLElement {
  return h(
    "div",
    { "data-slot": "" },
    button(c, "pd-setup", c.t("设置此工作簿", "Set up this workbook"), {
      appearance: "accent",
      title: c.t(
        "任何人都可以操作：只新建缺少的表格和列，不改动已有内容",
        "Anyone may do this: creates only missing tables and columns, changes nothing that exists",
      ),
      onclick: () =>
        void c.run("pd-setup", { zh: "设置失败", en: "Set-up failed" }, async () => {
          const changes = setupChanges(await c.host.port.read(), c.lang);
          await c.host.port.write(changes);
          c.message = {
            kind: "ok",
            text: { zh: `已设置：新建 ${changes.newTables.length} 个表格`, en: `Set up: ${changes.newTables.length} tables created` },
            anchor: "pd-setup",
            fresh: true,
          };
          const snapshot = await c.host.port.read();
          c.adopt(readWorkbook(snapshot), snapshot);
        }),
    }),
  );
}

/** Who may add the deadline columns: a secretary, a manager or the director (Staff roles). */
const COLUMN_ROLES = new Set(["Secretary", "Manager", "Director"]);

function deadlineColumnsButton(c: Controller): HTMLElement {
  const me = c.read!.model.staff.find((s) => s.name === c.me && s.active);
  const allowed = !!me?.role && COLUMN_ROLES.has(me.role);
  const why = !c.me
    ? c.t("请先在上方选择你的名字", "choose your name above first")
    : c.t("只有秘书、经理或总监可以操作", "only the secretary, a manager or the director may do this");
  return h(
    "div",
    { "data-slot": "" },
    h(
      "p",
      {},
      c.t(
        "在项目登记表末尾为 D1–D6 各加两列计算列：应完成（=PLAN.DUE / PLAN.MILESTONE）和超时（=PLAN.OVERDUE，超时标红、今天到期标黄）；重新运行只替换这些列。",
        "Adds two calculated columns per deadline D1–D6 at the Register's end: when it is due (=PLAN.DUE / PLAN.MILESTONE) and how late (=PLAN.OVERDUE, red when late, amber when due today); a re-run replaces only these columns.",
      ),
    ),
    button(c, "pd-deadline-columns", c.t("添加时限列", "Add deadline columns"), {
      disabled: !allowed,
      title: c.t(
        "添加时限列：在项目登记表末尾加应完成和超时计算列 — 可操作：秘书、经理或总监",
        "Add deadline columns: due and late calculated columns at the Register's end — Who: the secretary, a manager or the director",
      ),
      onclick: () =>
        void c.run("pd-deadline-columns", { zh: "未能添加时限列", en: "The deadline columns could not be added" }, async () => {
          const tz = c.read?.model.settings.timeZone;
          const r = await addDeadlineColumns(c.host.port, wallClockSerial(tz, (c.host.clock ?? Date.now)()));
          const snapshot = await c.host.port.read();
          c.adopt(readWorkbook(snapshot), snapshot);
          c.message = r.ok
            ? {
                kind: "ok",
                text: {
                  zh: `已添加时限列：${r.columns.map((x) => x.header).join("、")}`,
                  en: `Deadline columns added: ${r.columns.map((x) => x.header).join(", ")}`,
                },
                anchor: "pd-deadline-columns",
                fresh: true,
              }
            : {
                kind: "error",
                text: r.reason,
                details: r.unrestored?.map((u) => ({ zh: `请手工检查：${u}`, en: `check by hand: ${u}` })),
                anchor: "pd-deadline-columns",
                fresh: true,
              };
        }),
    }),
    allowed ? "" : h("p", { class: "pd-who-may" }, `${c.t("不可用：", "Not available: ")}${why}`),
  );
}

/**
 * "只允许本人操作 / Only the signed-in person may act" (core/workflow/account.ts): shown to all,
 * changed by those who may change settings from the pane (the secretary, a manager, the
 * director: as the deadline columns), and, while it is on, only as themselves (the setting's
 * own rule: nobody switches it off by choosing the director under "I am"). The change is
 * written to the Settings row with who, when and which signed-in account in its Note.
 */
function onlySelfControl(c: Controller, m: WorkbookModel): HTMLElement {
  const on = m.settings.onlySelf;
  const account = c.signedIn?.account;
  const me = m.staff.find((s) => s.name === c.me && s.active);
  const refused = c.me ? accountPermission(c.me, account, { staff: m.staff, settings: m.settings }) : undefined;
  const allowed = !!me?.role && COLUMN_ROLES.has(me.role) && !refused;
  const why = !c.me
    ? c.t("请先在上方选择你的名字", "choose your name above first")
    : refused
      ? c.tx(refused)
      : c.t("只有秘书、经理或总监可以更改", "only the secretary, a manager or the director may change it");
  const label = on
    ? c.t("关闭“只允许本人操作”", "Turn off “Only the signed-in person may act”")
    : c.t("开启“只允许本人操作”", "Turn on “Only the signed-in person may act”");
  return h(
    "div",
    { "data-slot": "" },
    h(
      "p",
      {},
      c.t(
        "开启后，只有登录账号在人员表“账号”列中的本人（或其备份人）可以以该人身份操作；没有登录账号的 Excel（永久版、本地文件）不能操作。",
        "When on, only the person whose Staff Account is the signed-in account (or their backup) may act as them; an Excel without a signed-in account (perpetual Office, local files) cannot act.",
      ),
    ),
    h(
      "p",
      { id: "pd-only-self-state", "data-on": on ? "yes" : "no" },
      c.t(`只允许本人操作：${on ? "是" : "否"}`, `Only the signed-in person may act: ${on ? "Yes" : "No"}`),
    ),
    button(c, "pd-only-self", label, {
      disabled: !allowed,
      title: c.t(
        "更改设置“只允许本人操作”，记录在设置表的说明中 — 可操作：秘书、经理或总监",
        "Changes the setting “Only the signed-in person may act”, recorded in the Settings table's Note — Who: the secretary, a manager or the director",
      ),
      attrs: { "data-on": on ? "yes" : "no" },
      onclick: () =>
        void c.run("pd-only-self", { zh: "未能更改设置", en: "The setting could not be changed" }, async () => {
          const before = await c.host.port.read();
          const now = wallClockSerial(m.settings.timeZone, (c.host.clock ?? Date.now)());
          const result = await c.host.port.write(yesNoSettingChange(before, "onlySelf", !on, { actor: c.me, account, now }));
          const snapshot = await c.host.port.read();
          c.adopt(readWorkbook(snapshot), snapshot);
          c.message =
            result && result.conflicts.length
              ? {
                  kind: "error",
                  text: {
                    zh: "有人同时改动了设置表，未更改。请重试。",
                    en: "Someone changed the Settings table at the same moment; nothing was changed. Try again.",
                  },
                  anchor: "pd-only-self",
                  fresh: true,
                }
              : {
                  kind: "ok",
                  text: {
                    zh: `已将“只允许本人操作”设为“${on ? "否" : "是"}”`,
                    en: `“Only the signed-in person may act” is now ${on ? "No" : "Yes"}`,
                  },
                  anchor: "pd-only-self",
                  fresh: true,
                };
        }),
    }),
    allowed ? "" : h("p", { class: "pd-who-may", id: "pd-only-self-blocked" }, `${c.t("不可更改：", "Cannot change: ")}${why}`),
  );
}

function selfTestBox(c: Controller): HTMLElement {
  const r = c.selfTest;
  const copy = c.host.copyText ?? ((text: string) => navigator.clipboard.writeText(text));
  return h(
    "div",
    { "data-slot": "" },
    h(
      "p",
      {},
      c.t(
        "在一张临时工作表上试一遍插件用到的每个 Excel 功能（表格、写入、名称、条件格式、图表、事件、自定义 XML），之后全部删除；结果可复制发给支持人员。",
        "Tries every Excel feature the add-in uses (tables, writes, names, conditional formats, charts, events, custom XML) on a scratch sheet, then removes it all; copy the result to send to support.",
      ),
    ),
    button(c, "pd-selftest", c.t("检查此 Excel", "Check this Excel"), {
      disabled: !c.host.selfTest,
      title: c.t(
        "检查此 Excel：试一遍插件用到的每个功能，不改动你的数据 — 任何人都可以操作",
        "Check this Excel: tries every feature the add-in uses, leaving your data alone — Who: anyone",
      ),
      onclick: () =>
        void c.run("pd-selftest", { zh: "检查未能完成", en: "The check could not finish" }, async () => {
          c.selfTest = await c.host.selfTest!();
          const t = c.selfTest;
          c.message = t.failed
            ? {
                kind: "error",
                text: { zh: `检查完成：${t.failed} 项失败，${t.passed} 项通过`, en: `Checked: ${t.failed} failed, ${t.passed} passed` },
                anchor: "pd-selftest",
                fresh: true,
              }
            : {
                kind: "ok",
                text: { zh: `检查完成：${t.passed} 项全部通过`, en: `Checked: all ${t.passed} passed` },
                anchor: "pd-selftest",
                fresh: true,
              };
        }),
    }),
    r
      ? h(
          "div",
          { id: "pd-selftest-report" },
          h(
            "ul",
            { class: "pd-selftest" },
            ...r.steps.map((s) =>
              h(
                "li",
                { class: `pd-selftest-${s.status}`, "data-status": s.status, "data-step": s.id },
                `${s.status === "pass" ? c.t("通过", "pass") : s.status === "fail" ? c.t("失败", "fail") : c.t("不支持", "unsupported")}${c.t("：", ": ")}${s[c.lang]}`,
                s.detail && s.status !== "pass" ? h("span", { class: "pd-hint" }, ` — ${s.detail}`) : "",
              ),
            ),
          ),
          button(c, "pd-selftest-copy", c.t("复制", "Copy"), {
            title: c.t(
              "复制检查结果（文字），可粘贴到消息中 — 任何人都可以操作",
              "Copies the result as text to paste into a message — Who: anyone",
            ),
            onclick: () =>
              void c.run("pd-selftest-copy", { zh: "未能复制", en: "Could not copy" }, async () => {
                await copy(selfTestText(r, c.lang));
                c.message = {
                  kind: "ok",
                  text: { zh: "已复制检查结果", en: "The result was copied" },
                  anchor: "pd-selftest-copy",
                  fresh: true,
                };
              }),
          }),
        )
      : "",
  );
}

export function settings(c: Controller): HTMLElement {
  const model = c.read!.model;
  const s = model.settings;
  const rows: [string, string][] = [
    [c.t("工作时间", "Working hours"), s.periods.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(", ")],
    [c.t("时区", "Time zone"), s.timeZone],
    [c.t("总监审核所有方案", "Director reviews every proposal"), s.directorReviewsAll ? c.t("是", "Yes") : c.t("否", "No")],
    [c.t("卡号格式", "Card number format"), s.cardFormat],
    [c.t("考核基础分", "KPI base score"), String(s.kpiBase)],
    [c.t("只允许本人操作", "Only the signed-in person may act"), s.onlySelf ? c.t("是", "Yes") : c.t("否", "No")],
  ];
  const addNames = c.host.addNames;
  return h(
    "section",
    { "aria-labelledby": "pd-settings-h" },
    h("h2", { id: "pd-settings-h" }, c.t("设置", "Settings")),
    h("p", {}, c.t("这些值来自工作簿的“设置”表，在表中修改即可。", "These come from the workbook's Settings table; change them there.")),
    h("dl", { class: "pd-facts" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("h3", {}, c.t("只允许本人操作", "Only the signed-in person may act")),
    onlySelfControl(c, model),
    h("h3", {}, c.t("工作簿", "Workbook")),
    setupButton(c),
    h("h3", {}, c.t("时限列", "Deadline columns")),
    deadlineColumnsButton(c),
    h("h3", {}, c.t("检查此 Excel", "Check this Excel")),
    selfTestBox(c),
    h("h3", {}, c.t("短函数名", "Short function names")),
    h(
      "p",
      {},
      c.t(
        "在工作簿中添加名称 DUE、WORKDAYS、OVERDUE、MILESTONE、ISWORKDAY（用 LAMBDA 调用 PLAN. 函数），之后可直接写 =OVERDUE(...)。需要支持 LAMBDA 的 Excel（Microsoft 365）；已有同名名称的不会改动。",
        "Adds the workbook names DUE, WORKDAYS, OVERDUE, MILESTONE and ISWORKDAY (LAMBDAs calling the PLAN. functions) so that =OVERDUE(...) works without the prefix. Needs an Excel with LAMBDA (Microsoft 365); names that exist are left alone.",
      ),
    ),
    h(
      "div",
      { "data-slot": "" },
      button(c, "pd-names", c.t("添加短函数名", "Add short names"), {
        disabled: !addNames,
        title: c.t("任何人都可以操作", "Anyone may do this"),
        onclick: () =>
          void c.run(
            "pd-names",
            { zh: "此 Excel 不能添加这些名称（可能不支持 LAMBDA）", en: "This Excel could not add the names (LAMBDA may be unsupported)" },
            async () => {
              const r = await addNames!(SHORT_NAMES);
              c.message = {
                kind: "ok",
                text: {
                  zh: `已添加：${r.added.join("、") || "无"}；已存在：${r.kept.join("、") || "无"}`,
                  en: `Added: ${r.added.join(", ") || "none"}; already there: ${r.kept.join(", ") || "none"}`,
                },
                anchor: "pd-names",
                fresh: true,
              };
            },
          ),
      }),
    ),
  );
}
