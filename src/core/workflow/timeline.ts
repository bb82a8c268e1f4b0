/**
 * A card's history as a timeline: every log row, revision and incident of the card in time
 * order, each with one line of text in Chinese and English, for the card page to render.
 * Rows a 撤销 withdrew stay in the history, marked `withdrawn`.
 */
import { formatSerialMinute } from "../calendar";
import type { Incident, LogEntry, Revision } from "../model";
import { INCIDENT_KIND_WORDS } from "../rules/penalties";
import { cardLog, withdrawnHashes } from "./chain";
import { ActionId, LOG_WORDS, Text, actionOf } from "./words";

export interface TimelineItem {
  time?: number;
  kind: "log" | "revision" | "incident";
  /** For a log row: the action it records (undefined for a word no action uses). */
  action?: ActionId;
  /** Who did it (log rows), who requested it is not recorded for revisions; the person charged for incidents. */
  actor?: string;
  /** The role cell of a log row, as written. */
  role?: string;
  text: Text;
  /** A log row taken back by a later 撤销. */
  withdrawn?: boolean;
  entry?: LogEntry;
  revision?: Revision;
  incident?: Incident;
}

const when = (t: number | undefined) => (t === undefined ? "" : formatSerialMinute(t));

/** Every log row, revision and incident of `cardNo`, in time order (rows without a time last, in table order). */
export function cardTimeline(
  cardNo: string,
  data: { log: readonly LogEntry[]; revisions?: readonly Revision[]; incidents?: readonly Incident[] },
): TimelineItem[] {
  const items: TimelineItem[] = [];
  const rows = cardLog(cardNo, data.log);
  const gone = withdrawnHashes(rows);
  for (const e of rows) {
    const action = actionOf(e);
    const word: Text = action ? LOG_WORDS[action] : { zh: e.action ?? "", en: e.action ?? "" };
    const note = e.note ? e.note : "";
    const withdrawn = !!e.hash && gone.has(e.hash);
    items.push({
      time: e.time,
      kind: "log",
      action,
      actor: e.actor,
      role: e.role,
      withdrawn: withdrawn || undefined,
      entry: e,
      text: {
        zh: `${word.zh} · ${e.actor ?? ""}${note ? `：${note}` : ""}${withdrawn ? "（已撤销）" : ""}`,
        en: `${word.en} · ${e.actor ?? ""}${note ? `: ${note}` : ""}${withdrawn ? " (withdrawn)" : ""}`,
      },
    });
  }
  for (const r of data.revisions ?? []) {
    if (r.cardNo !== cardNo) continue;
    const why: Text =
      r.reason === "Own"
        ? { zh: "自身原因", en: "our own" }
        : r.reason === "Client"
          ? { zh: "客户要求", en: "the client's" }
          : { zh: "", en: "" };
    const tags = {
      zh: [why.zh, r.major ? "重大" : ""].filter(Boolean).join("，"),
      en: [why.en, r.major ? "major" : ""].filter(Boolean).join(", "),
    };
    items.push({
      time: r.requested,
      kind: "revision",
      revision: r,
      text: {
        zh: `修改${tags.zh ? `（${tags.zh}）` : ""}${r.note ? `：${r.note}` : ""}${r.relayed !== undefined ? `；${when(r.relayed)} 已转达` : ""}`,
        en: `Revision${tags.en ? ` (${tags.en})` : ""}${r.note ? `: ${r.note}` : ""}${r.relayed !== undefined ? `; relayed ${when(r.relayed)}` : ""}`,
      },
    });
  }
  for (const i of data.incidents ?? []) {
    if (i.cardNo !== cardNo) continue;
    const kind = i.kind ? INCIDENT_KIND_WORDS[i.kind] : { zh: "事件", en: "Incident" };
    items.push({
      time: i.date,
      kind: "incident",
      actor: i.person,
      incident: i,
      text: {
        zh: `事件：${kind.zh}${i.person ? ` → ${i.person}` : ""}${i.note ? `：${i.note}` : ""}`,
        en: `Incident: ${kind.en}${i.person ? ` → ${i.person}` : ""}${i.note ? `: ${i.note}` : ""}`,
      },
    });
  }
  const order = { log: 0, revision: 1, incident: 2 };
  return items
    .map((it, n) => ({ it, n }))
    .sort((a, b) => (a.it.time ?? Infinity) - (b.it.time ?? Infinity) || order[a.it.kind] - order[b.it.kind] || a.n - b.n)
    .map(({ it }) => it);
}
