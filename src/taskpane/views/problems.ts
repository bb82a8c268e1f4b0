/** Problems: every finding with its cell (a bad row's card opens from here), and the Countersign Log's breaks (verifyWorkbookLog on the last read: edited, inserted, deleted rows, each with its sheet row); Verify log reads again. */
import type { Controller } from "../controller";
import { h } from "../dom";
import { button } from "../ui";

export function problems(c: Controller): HTMLElement {
  const findings = c.findings();
  const d = c.d!;
  const cardOf = new Map<string, string>();
  for (const e of d.entries) for (const f of e.partial?.findings ?? []) if (f.cell) cardOf.set(f.cell, e.key);
  // Verify log reads the workbook again (the log's anchor is outside the cells) and checks it
  // there (verifyWorkbookLog); from then on its report follows every read of the pane.
  const verify = () => {
    c.chainShown = true;
    void c.refresh();
  };
  const breaks = c.logBreaks;
  const accounts = c.accountRows;
  return h(
    "section",
    { "aria-labelledby": "pd-problems-h" },
    h("h2", { id: "pd-problems-h" }, c.t("问题", "Problems")),
    h(
      "p",
      { class: "pd-count", id: "pd-problems-count" },
      c.t(`单元格问题 ${findings.length} 个；会签记录断裂 ${breaks.length} 处。`, `${findings.length} cell problems; ${breaks.length} breaks in the log.`),
    ),
    // Log rows written while another person's account was signed in (core/workflow/account.ts).
    accounts.length
      ? h(
          "div",
          {},
          h("h3", { id: "pd-accounts-h" }, c.t(`操作人与登录账号不符的会签记录（${accounts.length}）`, `Log rows whose account is not the actor's (${accounts.length})`)),
          h("ul", { id: "pd-account-rows", "aria-labelledby": "pd-accounts-h" }, ...accounts.map((m) => h("li", { class: "pd-warning", "data-row": String(m.sheetRow) }, c.tx(m)))),
        )
      : "",
    findings.length
      ? h(
          "ul",
          { id: "pd-findings", class: "pd-findings" },
          ...findings.map((f) => {
            const key = f.cell ? cardOf.get(f.cell) : undefined;
            return h(
              "li",
              { class: `pd-${f.severity}` },
              `${f.severity === "error" ? c.t("错误", "Error") : c.t("警告", "Warning")}：${c.tx(f)}`,
              key ? h("button", { type: "button", class: "pd-link", onclick: () => c.go("card", key) }, c.t(`打开卡 ${key}`, `Open ${key}`)) : "",
            );
          }),
        )
      : h("p", {}, c.t("没有发现问题。", "No problems found.")),
    h("p", {}, c.t("有错误的行不参与计算，改正后即恢复；它们的卡片仍在列表中，标出要改的单元格。", "Rows with an error are left out of the computations until they are corrected; their cards stay in the lists, flagged with the cells to fix.")),
    h(
      "div",
      { "data-slot": "" },
      button(c, "pd-verify", c.t("校验会签记录", "Verify log"), { onclick: verify, title: c.t("检查会签记录的校验链：列出被手工修改、删除或插入的行", "Checks the log's hash chain: lists rows edited, deleted or inserted by hand") }),
    ),
    c.chainShown || breaks.length
      ? breaks.length
        ? h("ul", { id: "pd-chain-report" }, ...breaks.map((b) => h("li", { "data-row": b.sheetRow === undefined ? "" : String(b.sheetRow), "data-kind": b.kind }, c.tx(b))))
        : h("p", { id: "pd-chain-report" }, c.t("会签记录完整，没有被改动的行。", "The log is intact: no row was changed."))
      : "",
  );
}
