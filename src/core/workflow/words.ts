/**
 * The words the Countersign Log's Action (操作) column holds for each action, in Chinese and
 * English, and how a row's action is read back in any language.
 *
 * The workbook speaks its own language: a Chinese log says 下单, 指派, 会签 …, an English one
 * Issue, Assign, Countersign … (src/workbook/cells.ts `logEntryIn` picks the word from the
 * table's header language). Logs written before this held the codes (`issue`, `sign`,
 * `directorReview` …): they are read too, and so is any alias below. Everything in core that
 * asks "what did this row do" goes through `actionOf`, never through `e.action ===`.
 *
 * A word once written stays readable: change a word here only by keeping the old one as an
 * alias. (The hash of a row covers the text written in its cell, not the code: see log.ts.)
 */
import type { LogEntry } from "../model";

export type ActionId =
  | "issue"
  | "assign"
  | "reply"
  | "brief"
  | "sign"
  | "return"
  | "startWriting"
  | "framework"
  | "draft"
  | "review"
  | "directorReview"
  | "send"
  | "revision"
  | "relay"
  | "incident"
  | "close"
  | "archive"
  // The approval moves (issue 11).
  | "sendBack"
  | "withdraw"
  | "handOver"
  | "handOverSign"
  | "addSigner"
  | "comment"
  | "copy"
  | "acknowledge"
  | "chase"
  | "changeDue"
  // Month end: a missed deadline excused with a reason (有正当理由).
  | "excuse"
  // A milestone without a Register column (T−15, a weekly report) done (core/workflow/milestones).
  | "milestone";

export type Text = { zh: string; en: string };

export const LOG_WORDS: Record<ActionId, Text & { aliases?: string[] }> = {
  issue: { zh: "下单", en: "Issue", aliases: ["开卡", "工单下单"] },
  assign: { zh: "指派", en: "Assign" },
  reply: { zh: "回复客户", en: "Reply" },
  brief: { zh: "提交需求单", en: "Brief" },
  sign: { zh: "会签", en: "Countersign" },
  return: { zh: "退回需求单", en: "Return brief" },
  startWriting: { zh: "开始撰写", en: "Start writing" },
  framework: { zh: "提交框架", en: "Framework" },
  draft: { zh: "提交初稿", en: "Draft" },
  review: { zh: "审核通过", en: "Review" },
  directorReview: { zh: "总监审核", en: "Director review" },
  send: { zh: "发送客户", en: "Send" },
  revision: { zh: "记录修改", en: "Revision" },
  relay: { zh: "转达修改", en: "Relay" },
  incident: { zh: "记录事件", en: "Incident" },
  close: { zh: "项目结束", en: "Close" },
  archive: { zh: "归档", en: "Archive" },
  sendBack: { zh: "退回修改", en: "Back to writing" },
  withdraw: { zh: "撤销", en: "Withdraw" },
  handOver: { zh: "转交负责人", en: "Hand over lead", aliases: ["转交"] },
  handOverSign: { zh: "转交会签", en: "Hand over signature" },
  addSigner: { zh: "加签", en: "Add signer" },
  comment: { zh: "评论", en: "Comment" },
  copy: { zh: "抄送", en: "Copy" },
  acknowledge: { zh: "已阅", en: "Seen", aliases: ["知悉", "Acknowledge"] },
  chase: { zh: "催办", en: "Chase" },
  changeDue: { zh: "修改交稿时间", en: "Change due" },
  excuse: { zh: "免责", en: "Excuse" },
  milestone: { zh: "完成里程碑", en: "Milestone done" },
};

const norm = (s: string) => s.trim().toLowerCase();
const BY_WORD = new Map<string, ActionId>();
for (const [id, w] of Object.entries(LOG_WORDS) as [ActionId, (typeof LOG_WORDS)[ActionId]][])
  for (const t of [id, w.zh, w.en, ...(w.aliases ?? [])]) {
    if (BY_WORD.has(norm(t)) && BY_WORD.get(norm(t)) !== id) throw new Error(`log word "${t}" is used twice`);
    BY_WORD.set(norm(t), id);
  }

/** The action a log row records, whatever language (or code) its Action cell holds; undefined for a word no action uses. */
export function actionOf(e: LogEntry | string | undefined): ActionId | undefined {
  const text = typeof e === "string" ? e : e?.action;
  if (text === undefined) return undefined;
  // The word as written is almost always exact: look it up before normalizing (no new string per call).
  return BY_WORD.get(text) ?? BY_WORD.get(norm(text));
}

/** The word for an action in a language (what a new log row's Action cell holds). */
export const logWord = (id: ActionId, lang: "zh" | "en"): string => LOG_WORDS[id][lang];

/** Moves that only tell someone something: they never change the card, and they are not a step someone "acted" with (撤销 looks past them). */
export const NOTE_ACTIONS: ReadonlySet<ActionId> = new Set(["comment", "copy", "acknowledge", "chase"]);
