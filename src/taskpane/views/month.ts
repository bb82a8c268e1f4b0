/**
 * Month end: choose the month (default last month), preview the penalties with their evidence
 * and the scores (anyone), then write them (the secretary or the director, or their AB-role
 * backup). Writing over a month already written asks first and says what will change — but
 * not right after this view wrote it (a second click rewrites only what the first one wrote).
 * Escape closes the question (app.ts).
 */
import { monthKeyOf, parseMonthKey } from "../../core/calendar";
import { Penalty, Trigger, excusedText, triggerWords } from "../../core/rules/monthly";
import { actionDef, excuseGuard, permission } from "../../core/workflow/actions";
import { versionOf } from "../../workbook/actions";
import { readWorkbook } from "../../workbook/read";
import { lastMonth, monthReport, writeMonthEnd } from "../../workbook/report";
import { kpiSheetName } from "../../workbook/schema";
import type { Controller, Text } from "../controller";
import { h } from "../dom";
import { button, textInput } from "../ui";

/** A card number that opens the card. */
function cardLink(c: Controller, cardNo: string | undefined): HTMLElement | string {
  if (!cardNo) return c.t("（无卡号）", "(no card)");
  const key = c.d?.byKey.has(cardNo) ? cardNo : undefined;
  if (!key) return cardNo;
  return h("button", { type: "button", class: "pd-link pd-card-link", "data-open-card": cardNo, onclick: () => c.go("card", key) }, cardNo);
}

/** One penalty: who, which rule and KPI, how many points; then each trigger with its card (a link), and for a missed deadline 有正当理由 (免责) for the secretary or the director. */
function penaltyItem(c: Controller, month: string, x: Penalty, i: number): HTMLElement {
  const n = x.triggers.length;
  const count =
    x.rule.per === "incident"
      ? ""
      : c.t(
          `${n} 次（${x.rule.compare === "more than" ? "超过" : "达到"} ${x.rule.threshold} 次）`,
          `${n} times (${x.rule.compare} ${x.rule.threshold})`,
        );
  const joint = x.joint ? c.t("连带责任", "joint liability") : "";
  return h(
    "li",
    { "data-rule": x.rule.id, "data-person": x.person },
    h("p", { class: "pd-penalty-head" }, `${x.person} · ${x.rule.id} · ${x.rule.kpi[c.lang]} −${x.points}`),
    count || joint ? h("p", { class: "pd-evidence" }, [joint, count].filter(Boolean).join(c.t("；", "; "))) : "",
    h("ul", { class: "pd-triggers" }, ...x.triggers.map((t, j) => triggerItem(c, month, t, `${i}-${j}`))),
  );
}

function triggerItem(c: Controller, month: string, t: Trigger, at: string): HTMLElement {
  const li = h(
    "li",
    { class: "pd-evidence", "data-card": t.cardNo ?? "", "data-what": t.what, "data-slot": "" },
    cardLink(c, t.cardNo),
    " ",
    triggerWords(t, c.lang),
  );
  const card = t.cardNo ? c.read?.model.cards.find((k) => k.cardNo === t.cardNo) : undefined;
  if (!card || !/^D\d+$/.test(t.what) || !c.me) return li;
  if (!permission("excuse", card, c.me, c.ctxFor(card)).allowed) return li;
  const id = `pd-excuse-${at}`;
  // One's own miss (the secretary's: the director's to excuse): shown, not offered, with core's reason tied to it.
  const refused = excuseGuard(card, t.what, c.me, c.ctxFor(card));
  if (refused) {
    li.append(
      " ",
      h(
        "button",
        { type: "button", class: "pd-link", id: `${id}-own`, disabled: true, "aria-describedby": `${id}-why` },
        c.t("标为有正当理由", "Mark as excused"),
      ),
      " ",
      h("span", { class: "pd-hint", id: `${id}-why` }, c.tx(refused)),
    );
    return li;
  }
  if (c.excusing !== at) {
    li.append(
      " ",
      h(
        "button",
        {
          type: "button",
          class: "pd-link",
          id: `${id}-open`,
          onclick: () => ((c.excusing = at), c.render(), document.getElementById(`${id}-reason`)?.focus()),
        },
        c.t("标为有正当理由", "Mark as excused"),
      ),
    );
    return li;
  }
  const model = c.read?.model;
  const submit = () => {
    const seen = model && versionOf(model, card.cardNo);
    void c
      .act(actionDef("excuse"), card, { deadline: t.what, reason: c.draft(`${id}-reason`).trim() }, id, `${id}-`, undefined, seen)
      .then(() => {
        if (c.message?.kind !== "error") {
          c.excusing = undefined;
          return preview(c, month, true);
        }
      });
  };
  li.append(
    h(
      "div",
      { class: "pd-row-act" },
      textInput(c, `${id}-reason`, c.t(`${t.cardNo} ${t.what} 的正当理由`, `Why ${t.cardNo} ${t.what} is excused`), { required: true }),
      button(c, id, c.t("确认有正当理由", "Excuse it"), {
        onclick: submit,
        appearance: "accent",
        title: c.t(
          "有正当理由：这次超时不计入扣分，理由记入会签记录（秘书或总监，不能为自己）",
          "Excused: this miss is not counted; the reason is logged (the secretary or the director, never for oneself)",
        ),
      }),
      button(c, `${id}-cancel`, c.t("取消", "Cancel"), { onclick: () => ((c.excusing = undefined), c.render()) }),
    ),
  );
  return li;
}

/** May I write month end? The secretary or the director, or the backup of one. */
export function mayWriteMonth(c: Controller): { allowed: boolean; onBehalfOf?: string; reason?: Text } {
  const staff = c.read?.model.staff ?? [];
  const holders = staff.filter((s) => s.active && (s.role === "Secretary" || s.role === "Director"));
  const names = holders.map((s) => s.name);
  if (names.includes(c.me)) return { allowed: true };
  const backed = holders.find((s) => s.backup === c.me && staff.some((x) => x.name === c.me && x.active));
  if (backed) return { allowed: true, onBehalfOf: backed.name };
  return {
    allowed: false,
    reason: {
      zh: `只有秘书或总监可以写入月末结果（${names.join("、")}）；其他人可以预览`,
      en: `only the secretary or the director may write month end (${names.join(", ")}); anyone may preview`,
    },
  };
}

/** The months offered: the last two years up to this month, newest first. */
function months(now: number): string[] {
  const [y, m] = monthKeyOf(now).split("-").map(Number);
  return Array.from({ length: 24 }, (_, i) => {
    const k = y * 12 + (m - 1) - i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
  });
}

function preview(c: Controller, month: string, keepMessage = false): Promise<void> {
  if (!parseMonthKey(month)) return c.idle;
  const kept = keepMessage ? c.message : undefined;
  return c.run("pd-preview", { zh: "预览失败", en: "The preview failed" }, async () => {
    const snapshot = await c.host.port.read();
    c.adopt(readWorkbook(snapshot), snapshot);
    c.preview = monthReport(c.read!.model, c.d!.cal, month, c.now(), c.lang);
    c.month = month;
    c.confirmMonth = false;
    c.justWrote = undefined;
    if (kept) c.message = { ...kept, anchor: "pd-preview", fresh: true };
  });
}

/** Has this month been written before (rule rows of the month in Penalties, or its KPI sheet)? */
function written(c: Controller, month: string): { rows: number; sheet: boolean } {
  const r = c.preview && c.preview.month === month ? c.preview : monthReport(c.read!.model, c.d!.cal, month, c.now(), c.lang);
  return { rows: r.replacedRows.length, sheet: c.sheetNames.some((n) => n.toLowerCase() === kpiSheetName(month).toLowerCase()) };
}

function write(c: Controller, month: string, anchor: string): Promise<void> {
  return c.run(anchor, { zh: "写入失败", en: "Writing failed" }, async () => {
    const { report } = await writeMonthEnd(c.host.port, month, c.now(), c.lang);
    c.preview = report;
    c.confirmMonth = false;
    c.justWrote = month;
    const replaced = report.replacedRows.length;
    c.message = {
      kind: "ok",
      text: {
        zh: `已写入 ${month}：扣分表 ${report.penaltyRows.length} 行${replaced ? `（替换了该月原有的 ${replaced} 行）` : ""}，工作表“${kpiSheetName(month)}”`,
        en: `Written ${month}: ${report.penaltyRows.length} penalty rows${replaced ? ` (replacing the month's ${replaced} earlier rows)` : ""}, sheet “${kpiSheetName(month)}”`,
      },
      anchor: "pd-write-month",
      fresh: true,
    };
    const snapshot = await c.host.port.read();
    c.adopt(readWorkbook(snapshot), snapshot);
    // The preview of the month as it now stands: its rows are the ones a rewrite would replace.
    c.preview = monthReport(c.read!.model, c.d!.cal, month, c.now(), c.lang);
  });
}

export function monthView(c: Controller): HTMLElement {
  const month = c.month ?? lastMonth(c.now());
  const may = mayWriteMonth(c);
  const select = h(
    "select",
    {
      id: "pd-month",
      onchange: (e: Event) => (
        (c.month = (e.target as HTMLSelectElement).value),
        (c.preview = undefined),
        (c.confirmMonth = false),
        (c.justWrote = undefined),
        c.render()
      ),
    },
    ...months(c.now()).map((m) => h("option", { value: m, selected: m === month }, m)),
  );
  const section = h(
    "section",
    { "aria-labelledby": "pd-month-h" },
    h("h2", { id: "pd-month-h" }, c.t("月末：扣分与考核", "Month end: penalties and KPI")),
    h(
      "p",
      {},
      c.t(
        "先预览本月的扣分及依据，再写入“扣分”表和“KPI 月份”工作表。只重写该月由规则生成的行，手工录入的行保留。",
        "Preview the month's penalties with their evidence, then write the Penalties table and the “KPI month” sheet. Only that month's generated rows are rewritten; rows typed by hand are kept.",
      ),
    ),
    h(
      "div",
      { class: "pd-filters", "data-slot": "" },
      h("div", { class: "pd-field" }, h("label", { for: "pd-month" }, c.t("月份", "Month")), select),
      button(c, "pd-preview", c.t("预览", "Preview"), { onclick: () => void preview(c, month) }),
    ),
  );
  const p = c.preview;
  if (!p || p.month !== month) return section;
  section.append(
    h("h3", {}, c.t(`扣分（${p.penaltyRows.length} 条）`, `Penalties (${p.penaltyRows.length})`)),
    h("ul", { class: "pd-penalties", id: "pd-penalties" }, ...p.evaluation.penalties.map((x, i) => penaltyItem(c, month, x, i))),
    p.evaluation.excused.length
      ? h(
          "div",
          { id: "pd-excused" },
          h("h3", {}, c.t(`不计（有正当理由 ${p.evaluation.excused.length} 条）`, `Not counted (excused: ${p.evaluation.excused.length})`)),
          h(
            "ul",
            { class: "pd-penalties" },
            ...p.evaluation.excused.map((x) =>
              h(
                "li",
                { class: "pd-evidence" },
                cardLink(c, x.cardNo),
                " ",
                c.tx({ zh: excusedText(x, "zh"), en: excusedText(x, "en") }).replace(`${x.cardNo} `, ""),
              ),
            ),
          ),
        )
      : "",
    h("h3", {}, c.t("各项考核扣分", "Points off per KPI")),
    p.preview.length
      ? h(
          "ul",
          { id: "pd-kpi-split", class: "pd-scores" },
          ...p.preview.map((r) =>
            h(
              "li",
              { "data-person": r.person },
              h("strong", {}, `${r.person} −${r.total}`),
              h(
                "ul",
                {},
                ...r.byKpi.map((k) =>
                  h(
                    "li",
                    {},
                    `${k.kpi[c.lang]} −${k.points}${c.t("（", " (")}${k.rules.join("、")}${k.cards.length ? ` · ${k.cards.join(c.t("、", ", "))}` : ""}${c.t("）", ")")}`,
                  ),
                ),
              ),
            ),
          ),
        )
      : h("p", { id: "pd-kpi-split", class: "pd-hint" }, c.t("本月没有人被扣分。", "Nobody loses points this month.")),
    h("h3", {}, c.t("得分", "Scores")),
    h("ul", { id: "pd-scores", class: "pd-scores" }, ...p.kpi.rows.map((r) => h("li", {}, `${r.person}${c.t("：", ": ")}${r.score}`))),
  );
  const onWrite = () => {
    const w = written(c, month);
    // What this view has just written is not asked about again.
    if (c.justWrote !== month && (w.rows || w.sheet)) {
      c.confirmMonth = true;
      c.message = undefined;
      c.render();
      document.getElementById("pd-month-confirm")?.focus();
      return;
    }
    void write(c, month, "pd-write-month");
  };
  const box = h(
    "div",
    { class: "pd-action", "data-slot": "" },
    button(c, "pd-write-month", c.t(`写入 ${month} 扣分表和 KPI 工作表`, `Write ${month} to Penalties and the KPI sheet`), {
      onclick: onWrite,
      appearance: may.allowed ? "accent" : "neutral",
      disabled: !may.allowed || c.confirmMonth,
      describedBy: "pd-month-who",
      title: c.t(
        "秘书或总监：重写该月由规则生成的扣分行和 KPI 工作表",
        "The secretary or the director: rewrites the month's generated penalty rows and its KPI sheet",
      ),
    }),
    h(
      "p",
      { class: "pd-who-may", id: "pd-month-who" },
      may.allowed
        ? may.onBehalfOf
          ? c.t(`你代 ${may.onBehalfOf} 操作`, `you act for ${may.onBehalfOf}`)
          : c.t("可操作：秘书或总监", "Who: the secretary or the director")
        : `${c.t("不可用：", "Not available: ")}${c.tx(may.reason!)}`,
    ),
  );
  if (c.confirmMonth) {
    const w = written(c, month);
    const kept = c.read!.model.penalties.filter((r) => r.month === month).length - w.rows;
    box.append(
      h(
        "div",
        { class: "pd-confirm", id: "pd-month-confirm", role: "alertdialog", tabindex: "-1", "aria-labelledby": "pd-month-confirm-text" },
        h(
          "p",
          { id: "pd-month-confirm-text" },
          c.t(
            `${month} 已写入过。覆盖写入将：替换扣分表中该月由规则生成的 ${w.rows} 行（手工录入的 ${Math.max(0, kept)} 行保留），写入 ${p.penaltyRows.length} 行；重新生成工作表“${kpiSheetName(month)}”（其中的表格会被替换）。`,
            `${month} was written before. Writing again will replace the month's ${w.rows} generated rows in Penalties (the ${Math.max(0, kept)} rows typed by hand stay) with ${p.penaltyRows.length} rows, and regenerate the sheet “${kpiSheetName(month)}” (its table is replaced).`,
          ),
        ),
        h(
          "div",
          { class: "pd-action-line" },
          button(c, "pd-month-overwrite", c.t("覆盖写入", "Write over it"), {
            onclick: () => void write(c, month, "pd-month-overwrite"),
            appearance: "accent",
          }),
          button(c, "pd-month-cancel", c.t("取消", "Cancel"), { onclick: () => ((c.confirmMonth = false), c.render()) }),
        ),
      ),
    );
  }
  section.append(box);
  return section;
}
