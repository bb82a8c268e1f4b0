/**
 * What My work shows at the top, from the log: the cards copied to a person (抄送) that they have not acknowledged, and the chases (催办) addressed to them that are still
 * open. Both are derived from the Countersign Log alone (plus the cards' stages for chases):
 * the Register has no column for them.
 *
 * Acknowledged: the person's own later row on that card (已阅, a comment, any step of theirs).
 * A chase also closes when the card leaves the stage it was chased in.
 */
import { formatSerialMinute } from "../calendar";
import type { Card, LogEntry, Revision } from "../model";
import { openChases, openCopies } from "./chain";
import { STAGE_WORDS, stageOf } from "./stages";
import type { Text } from "./words";

export interface Notice {
  kind: "copy" | "chase";
  cardNo: string;
  /** When it was copied or chased. */
  time?: number;
  /** Who copied or chased. */
  from?: string;
  /** The log row (its note holds the message). */
  row: LogEntry;
  /** One line for My work, in both languages. */
  text: Text;
}

const when = (t: number | undefined) => (t === undefined ? "" : formatSerialMinute(t));
const message = (note: string | undefined) => {
  const m = /[：:]\s*(.+)$/.exec(note ?? "");
  return m ? m[1].trim() : "";
};

/** The cards of the rows that name `person` as whom they copy or chase (a quick filter before the exact parse). */
function cardsNaming(person: string, log: readonly LogEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of log) if (e.cardNo && e.note?.includes(person)) out.add(e.cardNo);
  return out;
}

/** 抄送: the cards copied to `person` and not yet acknowledged, oldest first. */
export function copiesFor(person: string, log: readonly LogEntry[]): Notice[] {
  const out: Notice[] = [];
  for (const cardNo of cardsNaming(person, log))
    for (const c of openCopies(cardNo, log)) {
      if (c.to !== person) continue;
      const msg = message(c.row.note?.replace(/^.*?(抄送 |copy to )/, ""));
      out.push({
        kind: "copy",
        cardNo,
        time: c.row.time,
        from: c.row.actor,
        row: c.row,
        text: {
          zh: `抄送：${c.row.actor ?? ""} 于 ${when(c.row.time)} 抄送你 ${cardNo}${msg ? `：${msg}` : ""}`,
          en: `Copied: ${c.row.actor ?? ""} copied you on ${cardNo} at ${when(c.row.time)}${msg ? `: ${msg}` : ""}`,
        },
      });
    }
  return out.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
}

/** 催办: the chases addressed to `person` that are still open, oldest first (the pane puts them at the top of My work). */
export function chasesFor(person: string, log: readonly LogEntry[], cards: readonly Card[], revisions: readonly Revision[] = []): Notice[] {
  const out: Notice[] = [];
  const byNo = new Map(cards.map((c) => [c.cardNo, c]));
  for (const cardNo of cardsNaming(person, log)) {
    const card = byNo.get(cardNo);
    if (!card) continue;
    const stage = stageOf(card, revisions);
    for (const c of openChases(cardNo, log, stage)) {
      if (c.to !== person) continue;
      const msg = message(c.row.note?.replace(/^.*?[）)]/, ""));
      out.push({
        kind: "chase",
        cardNo,
        time: c.row.time,
        from: c.row.actor,
        row: c.row,
        text: {
          zh: `催办：${c.row.actor ?? ""} 于 ${when(c.row.time)} 催你办理 ${cardNo}（${STAGE_WORDS[stage].zh}）${msg ? `：${msg}` : ""}`,
          en: `Chased: ${c.row.actor ?? ""} asks you to act on ${cardNo} (${STAGE_WORDS[stage].en}) since ${when(c.row.time)}${msg ? `: ${msg}` : ""}`,
        },
      });
    }
  }
  return out.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
}
