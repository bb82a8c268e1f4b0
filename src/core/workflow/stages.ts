/**
 * The stages of a card (domain.md, 总体流程 000), in order, and how a card's dates and its
 * Stage cell say where it is.
 */
import type { Card, Revision } from "../model";

export const STAGES = ["order", "countersign", "communication", "writing", "review", "sent", "closed", "archived"] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_WORDS: Record<Stage, { zh: string; en: string }> = {
  order: { zh: "工单下单", en: "Order" },
  countersign: { zh: "工单会签", en: "Countersign" },
  communication: { zh: "需求沟通", en: "Requirement communication" },
  writing: { zh: "方案撰写", en: "Writing" },
  review: { zh: "方案审核", en: "Review" },
  sent: { zh: "方案发送", en: "Sent" },
  closed: { zh: "结束", en: "Closed" },
  archived: { zh: "归档", en: "Archived" },
};

const RANK: ReadonlyMap<Stage, number> = new Map(STAGES.map((s, i) => [s, i]));
export const rank = (s: Stage): number => RANK.get(s) ?? -1;

/**
 * Each stage by the words a Stage cell may hold, trimmed and in lower case: its key, its English
 * and its Chinese words (lower case leaves Chinese as it is, and nothing else lowers to it).
 */
const STAGE_BY_WORD: ReadonlyMap<string, Stage> = new Map(
  [...STAGES].reverse().flatMap((s): [string, Stage][] => [
    [STAGE_WORDS[s].zh, s],
    [STAGE_WORDS[s].en.toLowerCase(), s],
    [s, s],
  ]),
);

/** The stage a Stage cell names (either language), or undefined. */
export function parseStage(text: string | undefined): Stage | undefined {
  if (!text) return undefined;
  return STAGE_BY_WORD.get(text.trim().toLowerCase());
}

/** The stage the dates alone show. */
export function stageFromDates(card: Card): Stage {
  if (card.archived !== undefined) return "archived";
  if (card.closed !== undefined) return "closed";
  if (card.sent !== undefined) return "sent";
  if (card.draft !== undefined) return "review";
  if (card.framework !== undefined) return "writing";
  if (card.countersigned !== undefined) return "communication";
  if (card.brief !== undefined) return "countersign";
  return "order";
}

/** A major client revision requested after sending that the director has not reviewed since. */
export function pendingMajorRevision(card: Card, revisions: readonly Revision[]): Revision | undefined {
  if (card.sent === undefined) return undefined;
  let pending: Revision | undefined;
  for (const r of revisions) {
    if (r.cardNo !== card.cardNo || !r.major || r.reason !== "Client" || r.requested === undefined || r.requested < card.sent) continue;
    if (card.directorReviewed !== undefined && card.directorReviewed >= r.requested) continue;
    if (!pending || r.requested > pending.requested!) pending = r;
  }
  return pending;
}

/**
 * Where the card is: the later of its Stage cell and its dates (someone may have typed a
 * date by hand), except that a major client revision after sending puts it back in review
 * until the director has reviewed it again and it is sent again.
 */
export function stageOf(card: Card, revisions: readonly Revision[] = []): Stage {
  const fromDates = stageFromDates(card);
  const stored = parseStage(card.stage);
  let stage = stored && rank(stored) > rank(fromDates) ? stored : fromDates;
  if (rank(stage) < rank("closed") && pendingMajorRevision(card, revisions)) stage = "review";
  // Reopened by a major revision after sending: in review until it is sent again.
  const reopened =
    stored === "review" &&
    card.sent !== undefined &&
    revisions.some(
      (r) => r.cardNo === card.cardNo && r.major && r.reason === "Client" && r.requested !== undefined && r.requested >= card.sent!,
    );
  if (reopened && stage === "sent") stage = "review";
  return stage;
}

/**
 * A card past the countersign stage (a date or the Stage cell typed by hand) whose countersign
 * is not finished: the brief was submitted, the countersign date is empty. The add-in never
 * makes one; 问题 reports it; the signers keep their 会签 and the secretary 转交会签 / 加签, so
 * the card can still be signed (and nobody is left without a button).
 */
export function countersignUnfinished(card: Card, stage: Stage): boolean {
  return card.brief !== undefined && card.countersigned === undefined && rank(stage) > rank("countersign") && rank(stage) < rank("closed");
}
