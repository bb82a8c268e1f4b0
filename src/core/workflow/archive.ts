/**
 * The yearly archive (归档年度, issue 18): what moves from the shared workbook to the archive
 * workbook of a finished year. Pure: the workbook layer (src/workbook/archive.ts) builds both
 * change sets from this plan.
 *
 * What moves:
 * - a card of year Y: closed AND archived, its Archived date in Y (the year is the Archived
 *   date's: archiving is a card's last step, so nothing of it happens later), and none of its
 *   revisions or incidents dated after Y (so no month of a later year loses anything a month end
 *   counts). Cards of Y still open, or archived without being closed, stay.
 * - its revisions and incidents (every row with its card number).
 * - the Countersign Log up to the end of the year (the first row dated after it): the log is one
 *   hash chain, so the archive takes that prefix whole, verbatim (it verifies there from the
 *   shared log's old start). The shared workbook keeps, at the top, the prefix's rows of cards
 *   that stay (carried: checked there as a sealed block, core/workflow/log.ts LogStart), then
 *   the rest, whose first row chains from the prefix's last hash. Rows of moved cards dated
 *   after the year stay in the shared log (said in the summary); rows with no card (a
 *   re-anchor) go with the prefix. The last row always stays, so the shared log's chain is
 *   never empty and its next append chains as before.
 *
 * Refused: a year not finished (Y must be before the year of `now`).
 */
import { civilOfDay } from "../calendar";
import type { Card, Incident, LogEntry, Revision } from "../model";

type Text = { zh: string; en: string };

export interface ArchiveInput {
  /** Rows at the top of the log carried over an earlier cut (LogStart.carried): always in the prefix. */
  carried?: number;
  cards: readonly Card[];
  revisions: readonly Revision[];
  incidents: readonly Incident[];
  log: readonly LogEntry[];
}

export interface ArchivePlan {
  year: number;
  /** Card numbers that move. */
  cards: Set<string>;
  /** How many of the log's first (non-blank) rows go to the archive: the prefix, verbatim. */
  logRows: number;
  /** Indexes in that prefix of the rows the shared log keeps at its top (rows of cards that stay). */
  logCarried: number[];
  /** Log rows of moved cards dated after the year: they stay in the shared log. */
  logLeft: number;
  /** Cards of the year that stay, with why (for the message). */
  staying: { cardNo: string; why: Text }[];
}

export class ArchiveRefused extends Error {
  constructor(readonly reason: Text) {
    super(reason.en);
  }
}

const yearOf = (serial: number) => civilOfDay(Math.floor(serial)).year;

export function planArchive(input: ArchiveInput, year: number, now: number): ArchivePlan {
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new ArchiveRefused({ zh: `年份无效：${year}`, en: `not a year: ${year}` });
  const current = yearOf(now);
  if (year >= current)
    throw new ArchiveRefused({
      zh: `${year} 年尚未结束（今天是 ${current} 年），不能归档`,
      en: `${year} is not finished yet (it is ${current} now): it cannot be archived`,
    });
  const later = (d: number | undefined) => d !== undefined && yearOf(d) > year;
  const cards = new Set<string>();
  const staying: ArchivePlan["staying"] = [];
  for (const c of input.cards) {
    const ofYear =
      (c.archived !== undefined && yearOf(c.archived) === year) ||
      (c.archived === undefined && c.received !== undefined && yearOf(c.received) === year);
    if (!ofYear) continue;
    if (c.archived === undefined || c.closed === undefined) {
      staying.push({ cardNo: c.cardNo, why: { zh: "尚未结案归档", en: "not closed and archived" } });
      continue;
    }
    if (
      input.revisions.some((r) => r.cardNo === c.cardNo && (later(r.requested) || later(r.relayed))) ||
      input.incidents.some((i) => i.cardNo === c.cardNo && later(i.date))
    ) {
      staying.push({ cardNo: c.cardNo, why: { zh: `有 ${year} 年之后的修改或事件`, en: `has a revision or incident after ${year}` } });
      continue;
    }
    cards.add(c.cardNo);
  }
  let logRows = 0;
  const logCarried: number[] = [];
  if (cards.size) {
    logRows = Math.min(input.carried ?? 0, input.log.length);
    while (logRows < input.log.length - 1) {
      const t = input.log[logRows].time;
      if (t !== undefined && yearOf(t) > year) break;
      logRows++;
    }
    input.log.slice(0, logRows).forEach((e, i) => {
      const no = (e.cardNo ?? "").trim();
      if (no !== "" && !cards.has(no)) logCarried.push(i);
    });
  }
  const logLeft = input.log.slice(logRows).filter((e) => cards.has((e.cardNo ?? "").trim())).length;
  return { year, cards, logRows, logCarried, logLeft, staying };
}
