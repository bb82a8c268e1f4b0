/**
 * The words of a reminder, in the workbook's language: one short line per card (card number,
 * project, deadline, due time), grouped as overdue / due today / due soon. The same lines make
 * the printed digest, the robots' markdown and the e-mail's text. A message is kept within a
 * channel's size limit (in UTF-8 bytes): lines that do not fit become "…and N more".
 */
import { fromSerial, lateText } from "../calendar";
import { markdownText, oneLine } from "../text";
import type { Digest, PersonDigest, ReminderItem, ReminderKind } from "./digest";

export type Lang = "zh" | "en";

const pad = (n: number) => String(n).padStart(2, "0");
const days = (n: number) => (Math.round(n * 100) / 100).toString();

/** "14:15" on the day of `at`, "10-09 14:15" in its year, "2027-01-04 09:00" otherwise. */
export function dueText(due: number, at: number, lang: Lang): string {
  const d = fromSerial(due);
  const a = fromSerial(at);
  const hm = `${pad(d.hour)}:${pad(d.minute)}`;
  if (d.year === a.year && d.month === a.month && d.day === a.day) return lang === "zh" ? `今天 ${hm}` : `today ${hm}`;
  if (d.year === a.year) return `${pad(d.month)}-${pad(d.day)} ${hm}`;
  return `${d.year}-${pad(d.month)}-${pad(d.day)} ${hm}`;
}

/** `2026-10-09 10:00`. */
export function momentText(at: number): string {
  const a = fromSerial(at);
  return `${a.year}-${pad(a.month)}-${pad(a.day)} ${pad(a.hour)}:${pad(a.minute)}`;
}

/**
 * Workbook text (names, projects, deadline names, card numbers) in a message: in markdown every
 * character a robot would read as markup, a link or its own tag (`<at …>`) is neutralised
 * (core/text markdownText); in plain text it is one line without control characters.
 */
const safe = (s: string, markdown: boolean) => (markdown ? markdownText(s) : oneLine(s));

/** One card's line: `202610-003 华联超市双十一促销 · D2 提交项目需求单 · 今天 14:15 · 已超时 3 小时 45 分`. */
export function itemLine(item: ReminderItem, at: number, lang: Lang, markdown = false): string {
  const zh = lang === "zh";
  const t = (x: string) => safe(x, markdown);
  const parts = [
    `${t(item.cardNo)}${item.project ? ` ${t(item.project)}` : ""}`,
    `${t(item.deadline.id)} ${t(item.deadline.name[lang])}`,
    `${zh ? "应于" : "due"} ${dueText(item.due, at, lang)}`,
  ];
  if (item.kind === "overdue") parts.push(lateText(item.late, item.dayMinutes)[lang]);
  else parts.push(zh ? `剩 ${days(item.hoursLeft)} 工作小时` : `${days(item.hoursLeft)} business hours left`);
  if (item.onBehalfOf) parts.push(zh ? `代 ${t(item.onBehalfOf)}` : `for ${t(item.onBehalfOf)}`);
  return parts.join(" · ");
}

export const KIND_TITLE: Record<ReminderKind, { zh: string; en: string }> = {
  overdue: { zh: "已超时", en: "Overdue" },
  today: { zh: "今天到期", en: "Due today" },
  soon: { zh: "即将到期", en: "Due soon" },
};

export const APP = { zh: "策划台", en: "Planning Desk" };

/** "策划台提醒 · 刘洋：超时 2，今天 1" — a message's title (DingTalk's `title`, the e-mail's subject; `markdown` for inside a markdown text). */
export function personTitle(p: PersonDigest, lang: Lang, markdown = false): string {
  const name = safe(p.name, markdown);
  const n = (k: ReminderKind) => p.items.filter((i) => i.kind === k).length;
  const bits: string[] = [];
  if (lang === "zh") {
    if (n("overdue")) bits.push(`超时 ${n("overdue")} 项`);
    if (n("today")) bits.push(`今天到期 ${n("today")} 项`);
    if (n("soon")) bits.push(`即将到期 ${n("soon")} 项`);
    return `${APP.zh}提醒 · ${name}：${bits.join("，")}`;
  }
  if (n("overdue")) bits.push(`${n("overdue")} overdue`);
  if (n("today")) bits.push(`${n("today")} due today`);
  if (n("soon")) bits.push(`${n("soon")} due soon`);
  return `${APP.en} reminder · ${name}: ${bits.join(", ")}`;
}

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

export interface RenderOptions {
  lang: Lang;
  at: number;
  withinHours: number;
  /** Markdown (robots) or plain text (e-mail, console). */
  markdown: boolean;
  /** Put first, after the heading: the @-mention (`@13800001111`, `<at email=…></at>`). */
  mention?: string;
  /** The channel's limit in UTF-8 bytes for this text. */
  maxBytes?: number;
}

/** One person's message. */
export function personMessage(p: PersonDigest, o: RenderOptions): string {
  const { lang, markdown } = o;
  const head = markdown ? `**${personTitle(p, lang, true)}**` : personTitle(p, lang);
  const sections: { title: string; lines: string[] }[] = [];
  for (const kind of ["overdue", "today", "soon"] as ReminderKind[]) {
    const items = p.items.filter((i) => i.kind === kind);
    if (!items.length) continue;
    const title =
      kind === "soon"
        ? lang === "zh"
          ? `${o.withinHours} 个工作小时内到期`
          : `Due within ${o.withinHours} business hours`
        : KIND_TITLE[kind][lang];
    sections.push({
      title: lang === "zh" ? `${title}（${items.length}）` : `${title} (${items.length})`,
      lines: items.map((i) => `- ${itemLine(i, o.at, lang, markdown)}`),
    });
  }
  const foot = lang === "zh" ? `（${momentText(o.at)} · ${APP.zh}）` : `(${momentText(o.at)} · ${APP.en})`;
  const nl = markdown ? "\n\n" : "\n";
  const parts: string[] = [head];
  if (o.mention) parts.push(o.mention);
  let text = parts.join(nl);
  const max = o.maxBytes ?? Infinity;
  const total = p.items.length;
  let shown = 0;
  for (const s of sections) {
    const title = markdown ? `**${s.title}**` : s.title;
    let block = `${nl}${title}`;
    let added = 0;
    for (const line of s.lines) {
      const more = lang === "zh" ? `${nl}…另有 ${total - shown - added - 1} 项` : `${nl}…and ${total - shown - added - 1} more`;
      const next = `${block}\n${line}`;
      // Room for this line, the foot, and a "…and N more" should lines remain after it.
      if (bytes(text + next + nl + foot) + (total - shown - added - 1 > 0 ? bytes(more) : 0) > max) break;
      block = next;
      added++;
    }
    if (added === 0 && bytes(text + block) > max) break;
    if (added) text += block;
    shown += added;
    if (added < s.lines.length) break;
  }
  if (shown < total) text += lang === "zh" ? `${nl}…另有 ${total - shown} 项` : `${nl}…and ${total - shown} more`;
  return `${text}${nl}${foot}`;
}

/** The digest as printed by `remind` without a channel (and before sending). */
export function digestText(d: Digest, lang: Lang): string {
  const zh = lang === "zh";
  const lines: string[] = [];
  lines.push(
    zh
      ? `${momentText(d.at)} 的提醒（含 ${d.withinHours} 个工作小时内到期）：`
      : `Reminders at ${momentText(d.at)} (due within ${d.withinHours} business hours included):`,
  );
  for (const p of d.people) {
    lines.push("");
    lines.push(oneLine(`${p.name}${p.staff?.mobile ? ` ${p.staff.mobile}` : ""}${p.staff?.email ? ` <${p.staff.email}>` : ""}`));
    for (const kind of ["overdue", "today", "soon"] as ReminderKind[]) {
      for (const i of p.items.filter((x) => x.kind === kind))
        lines.push(`  ${KIND_TITLE[kind][lang].padEnd(zh ? 4 : 9)}  ${itemLine(i, d.at, lang)}`);
    }
  }
  if (d.unassigned.length) {
    lines.push("");
    lines.push(zh ? "以下各项在工作簿中找不到负责人（未发送）：" : "No one named for these in the workbook (not sent):");
    for (const i of d.unassigned) lines.push(`  ${KIND_TITLE[i.kind][lang].padEnd(zh ? 4 : 9)}  ${itemLine(i, d.at, lang)}`);
  }
  const n = d.people.reduce((s, p) => s + p.items.length, 0);
  lines.push("");
  lines.push(
    zh
      ? `共 ${d.people.length} 人，${n} 项`
      : `${d.people.length} ${d.people.length === 1 ? "person" : "people"}, ${n} item${n === 1 ? "" : "s"}`,
  );
  return lines.join("\n");
}
