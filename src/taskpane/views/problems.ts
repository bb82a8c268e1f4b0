/** Problems: every finding with its cell (a bad row's card opens from here), and the Countersign Log's breaks (verifyWorkbookLog on the last read: edited, inserted, deleted rows, each with its sheet row); Verify log reads again. */
import type { Controller } from "../controller";
import { h } from "../dom";
import { button } from "../ui";
import { reanchorLog } from "../../workbook/reanchor";
import { readWorkbook } from "../../workbook/read";

export function problems(c: Controller): HTMLElement {
  const findings = c.findings();
  const d = c.d!;
  const cardOf = new Map<string, string>();
  for (const e of d.entries) for (const f of e.partial?.findings ?? []) if (f.cell) cardOf.set(f.cell, e.key);
  // Verify log reads the workbook again, the whole log (an action reads only its new rows), and
  // checks it there (verifyWorkbookLog); from then on its report follows every read of the pane.
  const verify = () => {
    c.chainShown = true;
    void c.refresh(true);
  };
  const breaks = c.logBreaks;
  // After an undo (Ctrl+Z) of the add-in's write, the log is an exact prefix of what its head
  // records (kind "undone-tail"): the secretary or the director checks, then re-anchors (one read,
  // one write, logged as 重新锚定). Any other break is never re-anchored away (src/workbook/reanchor.ts).
  const undone = breaks.length > 0 && breaks.every((b) => b.kind === "undone-tail");
  const me = c.read?.model.staff.find((s) => s.name === c.me && s.active);
  const mayReanchor = !!me && (me.role === "Secretary" || me.role === "Director");
  const reanchor = () =>
    void c.run("pd-reanchor", { zh: "重新锚定失败", en: "Re-anchoring failed" }, async () => {
      const r = await reanchorLog(c.host.port, c.me, c.now());
      if (!r.ok) {
        c.message = { kind: "error", text: r.reason, anchor: "pd-reanchor", fresh: true };
        return;
      }
      c.message = {
        kind: "ok",
        text: {
          zh: `已重新锚定：放弃了 ${r.givenUp} 行，记录末尾写入了“重新锚定”一行`,
          en: `Re-anchored: ${r.givenUp} rows given up; a "Re-anchor" row ends the log`,
        },
        anchor: "pd-reanchor",
        fresh: true,
      };
      const snapshot = await c.host.port.read();
      c.adopt(readWorkbook(snapshot), snapshot);
    });
  const accounts = c.accountRows;
  return h(
    "section",
    { "aria-labelledby": "pd-problems-h" },
    h("h2", { id: "pd-problems-h" }, c.t("问题", "Problems")),
    h(
      "p",
      { class: "pd-count", id: "pd-problems-count" },
      c.t(
        `单元格问题 ${findings.length} 个；会签记录断裂 ${breaks.length} 处。`,
        `${findings.length} cell problems; ${breaks.length} breaks in the log.`,
      ),
    ),
    // Log rows written while another person's account was signed in (core/workflow/account.ts).
    accounts.length
      ? h(
          "div",
          {},
          h(
            "h3",
            { id: "pd-accounts-h" },
            c.t(`操作人与登录账号不符的会签记录（${accounts.length}）`, `Log rows whose account is not the actor's (${accounts.length})`),
          ),
          h(
            "ul",
            { id: "pd-account-rows", "aria-labelledby": "pd-accounts-h" },
            ...accounts.map((m) => h("li", { class: "pd-warning", "data-row": String(m.sheetRow) }, c.tx(m))),
          ),
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
              key
                ? h("button", { type: "button", class: "pd-link", onclick: () => c.go("card", key) }, c.t(`打开卡 ${key}`, `Open ${key}`))
                : "",
            );
          }),
        )
      : h("p", {}, c.t("没有发现问题。", "No problems found.")),
    h(
      "p",
      {},
      c.t(
        "有错误的行不参与计算，改正后即恢复；它们的卡片仍在列表中，标出要改的单元格。",
        "Rows with an error are left out of the computations until they are corrected; their cards stay in the lists, flagged with the cells to fix.",
      ),
    ),
    h(
      "div",
      { "data-slot": "" },
      button(c, "pd-verify", c.t("校验会签记录", "Verify log"), {
        onclick: verify,
        title: c.t(
          "检查会签记录的校验链：列出被手工修改、删除或插入的行",
          "Checks the log's hash chain: lists rows edited, deleted or inserted by hand",
        ),
      }),
    ),
    c.chainShown || breaks.length
      ? breaks.length
        ? h(
            "ul",
            { id: "pd-chain-report" },
            ...breaks.map((b) => h("li", { "data-row": b.sheetRow === undefined ? "" : String(b.sheetRow), "data-kind": b.kind }, c.tx(b))),
          )
        : h("p", { id: "pd-chain-report" }, c.t("会签记录完整，没有被改动的行。", "The log is intact: no row was changed."))
      : "",
    undone
      ? h(
          "div",
          { "data-slot": "" },
          button(c, "pd-reanchor", c.t("重新锚定会签记录", "Re-anchor the log"), {
            onclick: reanchor,
            disabled: !mayReanchor,
            describedBy: mayReanchor ? undefined : "pd-reanchor-why",
            title: c.t(
              "确认末尾的行是被撤销（Ctrl+Z）的加载项写入后，按当前的行重写记录头，并记一行“重新锚定”。秘书或总监可操作",
              "After checking the last rows were an undone (Ctrl+Z) write of the add-in, rewrites the log's head to the rows as they are and logs a Re-anchor row. The secretary or the director may do this",
            ),
          }),
          mayReanchor
            ? ""
            : h(
                "p",
                { id: "pd-reanchor-why", class: "pd-hint" },
                c.t("只有秘书或总监可以重新锚定。", "Only the secretary or the director may re-anchor."),
              ),
        )
      : "",
  );
}
