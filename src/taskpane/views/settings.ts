/** Settings: the Settings table's values (changed in the table), Set up this workbook, Add short names. */
import { SHORT_NAMES } from "../../workbook/names";
import { readWorkbook } from "../../workbook/read";
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
      title: c.t("任何人都可以操作：只新建缺少的表格和列，不改动已有内容", "Anyone may do this: creates only missing tables and columns, changes nothing that exists"),
      onclick: () =>
        void c.run("pd-setup", { zh: "设置失败", en: "Set-up failed" }, async () => {
          const changes = setupChanges(await c.host.port.read(), c.lang);
          await c.host.port.write(changes);
          c.message = { kind: "ok", text: { zh: `已设置：新建 ${changes.newTables.length} 个表格`, en: `Set up: ${changes.newTables.length} tables created` }, anchor: "pd-setup", fresh: true };
          const snapshot = await c.host.port.read();
          c.adopt(readWorkbook(snapshot), snapshot);
        }),
    }),
  );
}

export function settings(c: Controller): HTMLElement {
  const s = c.read!.model.settings;
  const rows: [string, string][] = [
    [c.t("工作时间", "Working hours"), s.periods.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(", ")],
    [c.t("时区", "Time zone"), s.timeZone],
    [c.t("总监审核所有方案", "Director reviews every proposal"), s.directorReviewsAll ? c.t("是", "Yes") : c.t("否", "No")],
    [c.t("卡号格式", "Card number format"), s.cardFormat],
    [c.t("考核基础分", "KPI base score"), String(s.kpiBase)],
  ];
  const addNames = c.host.addNames;
  return h(
    "section",
    { "aria-labelledby": "pd-settings-h" },
    h("h2", { id: "pd-settings-h" }, c.t("设置", "Settings")),
    h("p", {}, c.t("这些值来自工作簿的“设置”表，在表中修改即可。", "These come from the workbook's Settings table; change them there.")),
    h("dl", { class: "pd-facts" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("h3", {}, c.t("工作簿", "Workbook")),
    setupButton(c),
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
          void c.run("pd-names", { zh: "此 Excel 不能添加这些名称（可能不支持 LAMBDA）", en: "This Excel could not add the names (LAMBDA may be unsupported)" }, async () => {
            const r = await addNames!(SHORT_NAMES);
            c.message = { kind: "ok", text: { zh: `已添加：${r.added.join("、") || "无"}；已存在：${r.kept.join("、") || "无"}`, en: `Added: ${r.added.join(", ") || "none"}; already there: ${r.kept.join(", ") || "none"}` }, anchor: "pd-names", fresh: true };
          }),
      }),
    ),
  );
}
