/**
 * The Note (备注) of the approval moves' log rows: written in the workbook's language from
 * these templates, and read back in either language, because the log is the record of facts
 * the Register has no column for — who holds a handed-over signature, who was added to the
 * countersign and where, whom a card was copied to or chased, which row a 撤销 withdrew.
 * Names stop at the templates' fixed words (→, ；/;, ：/:, （/(), so a name may hold spaces.
 * Every parser looks for its template anywhere in the note: an AB-role backup's
 * "代 X / on behalf of X; " comes first.
 */
import { formatSerial, parseDateTextAnyYear } from "../calendar";
import type { LogEntry } from "../model";
import type { Text } from "./words";

const both = (zh: string, en: string): Text => ({ zh, en });
const withReason = (t: Text, reason?: string): Text => (reason ? both(`${t.zh}；原因：${reason}`, `${t.en}; reason: ${reason}`) : t);
const withText = (t: Text, text?: string): Text => (text ? both(`${t.zh}：${text}`, `${t.en}: ${text}`) : t);
const dueText = (d: number | undefined) => (d === undefined ? "—" : formatSerial(d));

export const NOTE = {
  handOver: (from: string, to: string, reason: string) => withReason(both(`项目负责人 ${from} → ${to}`, `lead ${from} → ${to}`), reason),
  handOverSign: (step: number, from: string, to: string, reason: string) =>
    withReason(both(`会签第 ${step} 步 ${from} → ${to}`, `countersign step ${step} ${from} → ${to}`), reason),
  addSigner: (who: string, position: "before" | "after", step: number, reason?: string) =>
    withReason(
      both(`加签 ${who}（第 ${step} 步${position === "before" ? "之前" : "之后"}）`, `add signer ${who} (${position} step ${step})`),
      reason,
    ),
  copy: (to: string, text?: string) => withText(both(`抄送 ${to}`, `copy to ${to}`), text),
  chase: (to: string, stage: Text, text?: string) => withText(both(`催办 ${to}（${stage.zh}）`, `chase ${to} (${stage.en})`), text),
  changeDue: (from: number | undefined, to: number, reason: string) =>
    withReason(both(`交稿时间 ${dueText(from)} → ${dueText(to)}`, `due ${dueText(from)} → ${dueText(to)}`), reason),
  reply: (from: number | undefined, to: number): Text => {
    const t = from !== undefined && Math.abs(from - to) > 1e-9 ? `${dueText(from)} → ${dueText(to)}` : dueText(to);
    return both(t, t);
  },
  excuse: (deadline: string, reason: string) => withReason(both(`免责 ${deadline}`, `excuse ${deadline}`), reason),
  withdraw: (word: Text, time: number | undefined, hash: string) =>
    both(`撤销 ${word.zh} ${dueText(time)} #${hash}`, `withdraw ${word.en} ${dueText(time)} #${hash}`),
};

const note = (e: LogEntry) => e.note ?? "";
const name = (s: string | undefined) => s?.trim() || undefined;

export function parseHandOver(e: LogEntry): { from: string; to: string } | undefined {
  const m = /(?:项目负责人|lead) (.+?) → (.+?)(?:[；;] ?(?:原因|reason)[：:]|$)/.exec(note(e));
  return m && name(m[2]) ? { from: m[1].trim(), to: m[2].trim() } : undefined;
}

export function parseHandOverSign(e: LogEntry): { step: number; from: string; to: string } | undefined {
  const m = /(?:会签第 (\d+) 步|countersign step (\d+)) (.+?) → (.+?)(?:[；;] ?(?:原因|reason)[：:]|$)/.exec(note(e));
  return m && name(m[4]) ? { step: Number(m[1] ?? m[2]), from: m[3].trim(), to: m[4].trim() } : undefined;
}

export function parseAddSigner(e: LogEntry): { who: string; position: "before" | "after" } | undefined {
  const zh = /加签 (.+?)（第 \d+ 步(之前|之后)）/.exec(note(e));
  if (zh && name(zh[1])) return { who: zh[1].trim(), position: zh[2] === "之前" ? "before" : "after" };
  const en = /add signer (.+?) \((before|after) step \d+\)/.exec(note(e));
  return en && name(en[1]) ? { who: en[1].trim(), position: en[2] as "before" | "after" } : undefined;
}

export function parseCopy(e: LogEntry): { to: string } | undefined {
  const m = /(?:抄送 |copy to )(.+?)(?:：|: |$)/.exec(note(e));
  return m && name(m[1]) ? { to: m[1].trim() } : undefined;
}

export function parseChase(e: LogEntry): { to: string; stage: string } | undefined {
  const m = /(?:催办 |chase )(.+?)[（(]([^）)]+)[）)]/.exec(note(e));
  return m && name(m[1]) ? { to: m[1].trim(), stage: m[2].trim() } : undefined;
}

const DATE = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?`;

/** The Due a changeDue (or a reply) row set, and the one before it when the row says. */
export function parseDue(e: LogEntry): { from?: number; to?: number } | undefined {
  const m = new RegExp(`(?:(${DATE}|—) → )?(${DATE})`).exec(note(e));
  if (!m) return undefined;
  return { from: m[1] && m[1] !== "—" ? parseDateTextAnyYear(m[1]) : undefined, to: parseDateTextAnyYear(m[2]) };
}

/** The hash of the row a 撤销 withdrew. */
export function parseWithdrawn(e: LogEntry): string | undefined {
  return /#([0-9A-Za-z]{16})\b/.exec(note(e))?.[1];
}

/** Whom a backup's row was written for: "代 王磊；…" / "on behalf of 王磊; …". */
export function parseOnBehalfOf(e: LogEntry): string | undefined {
  const m = /^(?:代 (.+?)(?:；|$)|on behalf of (.+?)(?:; |$))/.exec(note(e));
  return m ? (m[1] ?? m[2]).trim() || undefined : undefined;
}

/** The deadline a 免责 row excuses, and why. */
export function parseExcuse(e: LogEntry): { deadline: string; reason: string } | undefined {
  const m = /(?:免责|excuse) ([A-Za-z][\w-]*)(?:[；;] ?(?:原因|reason)[：:]\s*(.*))?$/.exec(note(e));
  return m ? { deadline: m[1], reason: (m[2] ?? "").trim() } : undefined;
}
