/**
 * My work in core (src/core/workflow/inbox.ts), without the browser: one person's inbox over
 * 5,000 cards at every stage and a log of four rows per card, then the same with four times the
 * log (twenty rows per card). One pass over the cards with the log indexed by card once: the
 * time grows with the rows, not with cards × log.
 */
import { BusinessCalendar, toSerial } from "../src/core/calendar";
import type { Card, LogEntry, StaffMember } from "../src/core/model";
import { DEFAULT_DEADLINES } from "../src/core/rules/deadlines";
import { DEFAULT_SETTINGS } from "../src/core/settings";
import { evaluateDeadlines } from "../src/core/rules/evaluate";
import { buildInbox, indexByCard } from "../src/core/workflow/inbox";
import { STAGES } from "../src/core/workflow/stages";
import { demoData } from "../src/workbook/demo";
import { bestOf, record } from "./util";

const NOW = toSerial(2026, 11, 2, 10, 0);

export function bigDesk(n: number, commentsPerCard: number) {
  const staff: StaffMember[] = demoData("zh").staff;
  const planners = ["刘洋", "周婷", "吴昊", "孙悦"];
  const cards: Card[] = [];
  const log: LogEntry[] = [];
  for (let i = 0; i < n; i++) {
    const received = toSerial(2026, 10, 8 + (i % 20), 9 + (i % 8), 0);
    const stage = STAGES[i % 6];
    const at = (k: number) => (STAGES.indexOf(stage) >= k ? received + 0.1 * (k + 1) : undefined);
    const cardNo = `BIG-${String(i + 1).padStart(5, "0")}`;
    const card: Card = {
      cardNo,
      key: i % 7 === 0,
      intake: "AE",
      initiator: i % 2 ? "张伟" : "李娜",
      ae: i % 2 ? "张伟" : "李娜",
      lead: planners[i % 4],
      reviewer: i % 3 ? "王磊" : undefined,
      received,
      replied: received + 0.05,
      assigned: received + 0.06,
      brief: at(1),
      countersigned: at(2),
      due: received + 10,
      framework: at(3),
      draft: at(4),
      stage,
    };
    cards.push(card);
    log.push({ time: received, cardNo, action: "下单", actor: "林静", role: "秘书", note: "" });
    log.push({ time: received + 0.06, cardNo, action: "指派", actor: "王磊", role: "经理", note: card.lead });
    if (card.brief !== undefined) log.push({ time: card.brief, cardNo, action: "提交需求单", actor: card.lead, role: "策划", note: "" });
    for (let k = 0; k < commentsPerCard; k++)
      log.push({ time: received + 0.07 + k / 1440, cardNo, action: "评论", actor: "张伟", role: "AE", note: `意见 ${k}` });
  }
  log.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
  return { cards, staff, settings: DEFAULT_SETTINGS, revisions: [], log, deadlines: [...DEFAULT_DEADLINES] };
}

export function benchInbox(): void {
  const cal = new BusinessCalendar();
  // Warm up (the first run compiles): one untimed run on a small desk.
  const warm = bigDesk(500, 1);
  buildInbox("刘洋", warm, cal, NOW);
  for (const [perCard, label, who] of [
    [1, "4 log rows a card", "刘洋"],
    [17, "20 log rows a card", "刘洋"],
    [1, "4 log rows a card", "王磊"],
  ] as const) {
    const data = bigDesk(5000, perCard);
    // The pane has the deadlines evaluated already (Derived): they are passed in, as the pane does.
    const withResults = { ...data, results: evaluateDeadlines(cal, data.deadlines, data.cards, data.revisions, NOW) };
    let rows = 0;
    const ms = bestOf(5, () => {
      const index = indexByCard(withResults, cal, NOW);
      rows = buildInbox(who, withResults, cal, NOW, index).todo.length;
    });
    record(
      `My work in core (${who}), 5,000 cards, ${label} (${data.log.length.toLocaleString("en")} log rows; ${rows} shown)`,
      `${ms.toFixed(0)} ms`,
      "< 150 ms",
      ms < 150,
    );
  }
}
