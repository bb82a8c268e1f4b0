/** What an action changed, in words: the cells of the card's row (address, column, new value) and the rows appended (the log row's address). */
import { formatSerialMinute } from "../core/calendar";
import type { LogEntry } from "../core/model";
import type { ActionDef, Effect } from "../core/workflow/actions";
import { STAGE_WORDS, parseStage } from "../core/workflow/stages";
import { parseChase, parseCopy, parseExcuse } from "../core/workflow/notes";
import { ActionId, actionOf, logWord } from "../core/workflow/words";
import { cellAddress, columnLetter } from "../workbook/port";
import type { TableInfo, WorkbookModel } from "../workbook/read";
import { REGISTER } from "../workbook/schema";

type Text = { zh: string; en: string };

/** The address of a table's last row, whole width: `会签记录!A43:G43`. */
function lastRow(info: TableInfo | undefined): string | undefined {
  if (!info || !info.raw.rows.length) return undefined;
  const r = info.raw.top + info.raw.rows.length; // 0-based sheet row of the last data row
  return `${cellAddress(info.raw.sheet, r, info.raw.left)}:${columnLetter(info.raw.left + Math.max(0, info.raw.headers.length - 1))}${r + 1}`;
}

function shown(key: string, value: unknown, lang: "zh" | "en"): string {
  if (value === undefined || value === null || value === "") return lang === "zh" ? "（清空）" : "(emptied)";
  const col = REGISTER.columns.find((c) => c.key === key);
  if (col?.type === "date" && typeof value === "number") return formatSerialMinute(value);
  if (key === "stage") {
    const s = parseStage(String(value));
    if (s) return STAGE_WORDS[s][lang];
  }
  return String(value);
}

/** Who a backup acted for: the log note starts "代 王磊" / "on behalf of 王磊" (core/workflow/actions.ts `decide`). */
function actedFor(effect: Effect): string | undefined {
  const note = effect.logNote?.zh ?? effect.log.note ?? "";
  return /^代 ([^；;\s]+)/.exec(note)?.[1];
}

/**
 * What an action did, as a sentence about the card and the people: "已会签 202610-027",
 * "已指派 刘洋 负责 202611-001", "Signed 202610-027" — the cells it wrote are listed apart (详情).
 */
export function doneSentence(def: ActionDef, effect: Effect, then?: Text): Text {
  const n = effect.cardNo;
  const set = effect.set;
  const lead = set.lead ?? "";
  const to = effect.log.note ? (parseCopy(effect.log)?.to ?? "") : "";
  const due = typeof set.due === "number" ? formatSerialMinute(set.due) : "";
  const project = effect.newCard?.project ?? "";
  const s = (zh: string, en: string): Text => ({ zh, en });
  const said: Record<ActionId, () => Text> = {
    issue: () => s(`已开卡 ${n}${project ? `：${project}` : ""}`, `Issued ${n}${project ? `: ${project}` : ""}`),
    assign: () => s(`已指派 ${lead} 负责 ${n}`, `Assigned ${n} to ${lead}`),
    reply: () => s(`已回复客户 ${n}${due ? `，交稿时间 ${due}` : ""}`, `Replied to the client on ${n}${due ? `, due ${due}` : ""}`),
    brief: () => s(`已提交 ${n} 的需求单`, `Submitted the brief of ${n}`),
    sign: () => s(`已会签 ${n}`, `Signed ${n}`),
    return: () => s(`已退回 ${n} 的需求单`, `Returned the brief of ${n}`),
    startWriting: () => s(`${n} 已开始撰写`, `Started writing ${n}`),
    framework: () => s(`已提交 ${n} 的框架`, `Submitted the framework of ${n}`),
    draft: () => s(`已提交 ${n} 的初稿`, `Submitted the draft of ${n}`),
    review: () => s(`已审核通过 ${n}`, `Approved ${n}`),
    directorReview: () => s(`总监已审核通过 ${n}`, `Approved ${n} as director`),
    send: () => s(`已将 ${n} 发送客户`, `Sent ${n} to the client`),
    revision: () =>
      effect.revision?.relayed !== undefined
        ? s(`已记录 ${n} 的修改，并已转达`, `Recorded and relayed a revision of ${n}`)
        : s(`已记录 ${n} 的修改`, `Recorded a revision of ${n}`),
    relay: () => s(`已转达 ${n} 的修改`, `Relayed the revision of ${n}`),
    incident: () => s(`已记录 ${n} 的事件`, `Recorded an incident on ${n}`),
    close: () => s(`${n} 已结束`, `Closed ${n}`),
    archive: () => s(`${n} 已归档`, `Archived ${n}`),
    sendBack: () => s(`已将 ${n} 退回修改`, `Sent ${n} back to writing`),
    withdraw: () => s(`已撤销 ${n} 的上一步`, `Withdrew the last step on ${n}`),
    handOver: () => s(`已将 ${n} 转交 ${lead}`, `Handed ${n} over to ${lead}`),
    handOverSign: () => s(`已转交 ${n} 的会签`, `Handed over the signature on ${n}`),
    addSigner: () => s(`已为 ${n} 加签`, `Added a signer to ${n}`),
    comment: () => s(`已评论 ${n}`, `Commented on ${n}`),
    copy: () => s(to ? `已将 ${n} 抄送 ${to}` : `已抄送 ${n}`, to ? `Copied ${to} on ${n}` : `Copied ${n}`),
    acknowledge: () => s(`已阅 ${n}`, `Marked ${n} as seen`),
    chase: () => {
      const whom = parseChase(effect.log)?.to;
      return whom ? s(`已催办 ${whom}（${n}）`, `Chased ${whom} on ${n}`) : s(`已催办 ${n}`, `Chased ${n}`);
    },
    changeDue: () => s(`已修改 ${n} 的交稿时间${due ? `为 ${due}` : ""}`, `Changed the due of ${n}${due ? ` to ${due}` : ""}`),
    excuse: () => {
      const what = parseExcuse(effect.log)?.deadline;
      return what
        ? s(`已将 ${n} 的 ${what} 超时标为有正当理由，不计入扣分`, `Marked the ${what} miss of ${n} as excused: it is not counted`)
        : s(`已将 ${n} 的超时标为有正当理由，不计入扣分`, `Marked a miss of ${n} as excused: it is not counted`);
    },
    milestone: () => {
      // The log note starts with the milestone: "E2 活动预热 T-15" or "W1 2026-11-09 周报".
      const what = (effect.logNote?.zh ?? effect.log.note ?? "").split(/[；;]/)[0].trim();
      return s(
        what ? `已完成 ${n} 的里程碑 ${what}` : `已完成 ${n} 的里程碑`,
        what ? `Marked ${what} done on ${n}` : `Marked a milestone done on ${n}`,
      );
    },
  };
  const said0 = said[def.id]();
  const who = actedFor(effect);
  const said1 = who ? { zh: `${said0.zh}（代 ${who}）`, en: `${said0.en} (for ${who})` } : said0;
  // What the card waits for now follows what happened; a warning comes last, after both.
  const said2 = then ? { zh: `${said1.zh}，${then.zh}`, en: `${said1.en}; ${then.en}` } : said1;
  const warned = effect.warnings ?? [];
  return warned.length
    ? { zh: `${said2.zh}；${warned.map((w) => w.zh).join("；")}`, en: `${said2.en}; ${warned.map((w) => w.en).join("; ")}` }
    : said2;
}

export function doneText(
  def: ActionDef,
  effect: Effect,
  model: WorkbookModel,
  lang: "zh" | "en",
  written?: LogEntry,
  then?: Text,
): { summary: Text; changed: Text[] } {
  const summary = doneSentence(def, effect, then);
  const changed: Text[] = [];
  const reg = model.tables.get("Register");
  const row = model.cardRows.get(effect.cardNo);
  if (reg && row !== undefined) {
    if (effect.newCard) {
      const at = `${cellAddress(reg.raw.sheet, reg.raw.top + 1 + row, reg.raw.left)}:${columnLetter(reg.raw.left + reg.raw.headers.length - 1)}${reg.raw.top + 2 + row}`;
      changed.push({ zh: `${at} 新增一行：${effect.cardNo}`, en: `${at}: a new row, ${effect.cardNo}` });
    } else {
      const keys: [string, unknown][] = [...Object.entries(effect.set), ...effect.clear.map((k) => [k, undefined] as [string, unknown])];
      for (const [key, value] of keys) {
        const col = REGISTER.columns.find((c) => c.key === key);
        const at = reg.cols.get(key);
        if (!col || at === undefined) continue;
        const address = cellAddress(reg.raw.sheet, reg.raw.top + 1 + row, reg.raw.left + at);
        const header = String(reg.raw.headers[at] ?? col[lang]);
        changed.push({ zh: `${address} ${header} → ${shown(key, value, "zh")}`, en: `${address} ${header} → ${shown(key, value, "en")}` });
      }
    }
  }
  const appended = (table: string, zh: string, en: string) => {
    const at = lastRow(model.tables.get(table));
    if (at) changed.push({ zh: `${at} 新增一行：${zh}`, en: `${at}: a new row, ${en}` });
  };
  if (effect.revision) appended("Revisions", "修改记录", "revision");
  if (effect.incident) appended("Incidents", "事件", "incident");
  // The log row as written: its 操作 cell holds the word in the log's language (会签, Countersign), as the sheet shows it.
  const logged = written ?? effect.log;
  const id = actionOf(logged);
  const word = (l: "zh" | "en") => written?.action ?? (id ? logWord(id, l) : (logged.action ?? ""));
  appended("CountersignLog", `${word("zh")} ${logged.actor ?? ""}`, `${word("en")} ${logged.actor ?? ""}`);
  return { summary, changed };
}
