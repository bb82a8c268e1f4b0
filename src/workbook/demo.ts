/**
 * A sample workbook of a month of work: October 2026, with the Mid-Autumn and National Day
 * holidays, the make-up Saturday of 10 October and a day off of the center's own. Eleven
 * people, about forty cards (two of them requests of the last afternoon, waiting to be assigned and answered) at every stage, revisions, complaints and the Countersign Log,
 * with a few habits that cost points at month end (an AE who replies late, a planner whose
 * briefs are late, a secretary slow to countersign, a proposal sent without review).
 * Deterministic: the same workbook every time. `planning-desk demo` and the workbench use it.
 */
import { BusinessCalendar, serialDay, toSerial } from "../core/calendar";
import type { CalendarEntry, Card, Incident, LogEntry, Revision, StaffMember } from "../core/model";
import { DEFAULT_STANDARDS } from "../core/rules/standards";
import { chainAppend } from "../core/workflow/log";
import { logHeadChanges, newLogSalt } from "./log-head";
import { stageOf } from "../core/workflow/stages";
import { logEntryIn, rowFor } from "./cells";
import { CellValue, ChangeSet, emptyChangeSet } from "./port";
import { CALENDAR, COUNTERSIGN_LOG, INCIDENTS, REGISTER, REVISIONS, STAFF, TableDef } from "./schema";
import { setupChanges } from "./setup";

type Lang = "zh" | "en";

export const DEMO_MONTH = "2026-10";
/** The demo's "now": the last working afternoon of October 2026. */
export const DEMO_NOW = toSerial(2026, 10, 30, 17, 30);

const STAFF_ROWS: StaffMember[] = [
  { name: "林静", role: "Secretary", backup: "赵敏", active: true, account: "lin.jing@example.com" },
  { name: "王磊", role: "Manager", backup: "赵敏", active: true, account: "wang.lei@example.com" },
  { name: "赵敏", role: "Assistant Manager", backup: "王磊", active: true, account: "zhao.min@example.com" },
  { name: "陈刚", role: "Director", active: true, account: "chen.gang@example.com" },
  { name: "张伟", role: "AE", backup: "李娜", active: true, account: "zhang.wei@example.com" },
  { name: "李娜", role: "AE", backup: "张伟", active: true, account: "li.na@example.com" },
  { name: "刘洋", role: "Planner", backup: "周婷", active: true, account: "liu.yang@example.com" },
  { name: "周婷", role: "Planner", backup: "刘洋", active: true, account: "zhou.ting@example.com" },
  { name: "吴昊", role: "Planner", backup: "孙悦", active: true, account: "wu.hao@example.com" },
  { name: "孙悦", role: "Planner", backup: "吴昊", active: true, account: "sun.yue@example.com" },
  { name: "郑浩", role: "Planner", active: false, account: "zheng.hao@example.com" },
];

const CLIENTS = ["华联超市", "长江银行", "青禾乳业", "明湖地产", "星途汽车", "云岭茶业", "海川电器", "安泰保险"];
const PROJECTS = [
  "双十一促销",
  "年度品牌传播",
  "新品上市",
  "会员日活动",
  "秋季媒介排期",
  "门店开业",
  "社群运营",
  "年终答谢会",
  "品牌焕新",
  "线上直播",
];

/** A small deterministic generator (mulberry32), so the demo is the same every time. */
export function rng(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoData {
  staff: StaffMember[];
  cards: Card[];
  revisions: Revision[];
  incidents: Incident[];
  calendar: CalendarEntry[];
  log: LogEntry[];
}

export function demoData(lang: Lang = "zh"): DemoData {
  const calendar: CalendarEntry[] = [{ date: serialDay(2026, 10, 23), type: "holiday", note: lang === "zh" ? "中心团建" : "Team day" }];
  const cal = new BusinessCalendar({ extraDays: calendar.map((c) => ({ day: c.date, type: c.type })) });
  const rand = rng(20261030);
  /** Business days later, to the minute as people type times. */
  const add = (t: number, days: number) => Math.round(cal.addBusinessDays(t, days) * 1440) / 1440;
  const cut = <T extends number | undefined>(t: T): T | undefined => (t !== undefined && t <= DEMO_NOW ? t : undefined);

  const planners = ["刘洋", "周婷", "吴昊", "孙悦"];
  const cards: Card[] = [];
  const revisions: Revision[] = [];
  const incidents: Incident[] = [];
  const log: LogEntry[] = [];
  const ev = (time: number | undefined, cardNo: string, action: string, actor: string | undefined, role: string, note = "") => {
    if (time !== undefined && actor) log.push({ time, cardNo, action, actor, role, note });
  };

  // Working days from 21 September (a make-up Sunday follows) to the end of October.
  const days: number[] = [];
  for (let d = serialDay(2026, 9, 21); d <= serialDay(2026, 10, 29); d++) if (cal.isWorkday(d)) days.push(d);
  const n = 40;
  const seq: Record<string, number> = { "2026-09": 0, "2026-10": 0 };
  const octCount: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const day = days[Math.floor((i * days.length) / n)];
    const received = day + (9.5 + Math.floor(rand() * 14) * 0.5) / 24;
    const month = received < serialDay(2026, 10, 1) ? "2026-09" : "2026-10";
    seq[month]++;
    const cardNo = `${month.replace("-", "")}-${String(seq[month]).padStart(3, "0")}`;
    const intake = i % 9 === 4 ? "Director" : i % 7 === 3 ? "Manager" : i % 11 === 6 ? "Planner" : "AE";
    const ae = i % 2 === 0 ? "张伟" : "李娜";
    const lead = planners[i % 4];
    const initiator = intake === "Director" ? "陈刚" : intake === "Manager" ? "王磊" : intake === "Planner" ? lead : ae;
    const std = DEFAULT_STANDARDS[i % DEFAULT_STANDARDS.length];
    const inOct = month === "2026-10";
    // Habits: 张伟 replies late four times in October; 刘洋's briefs are late three times; three slow countersigns.
    const nth = (who: string) => (inOct ? (octCount[who] = (octCount[who] ?? 0) + 1) : 0);
    const aeNth = nth(`ae:${ae}`);
    const leadNth = nth(`lead:${lead}`);
    const lateReply = ae === "张伟" && [2, 4, 6, 8].includes(aeNth);
    const lateBrief = lead === "刘洋" && [1, 3, 5].includes(leadNth);
    const slowSign = inOct && [3, 10, 17].includes(seq[month]);
    const replied = add(received, lateReply ? 0.7 + rand() * 0.3 : 0.1 + rand() * 0.3);
    const assigned = add(received, 0.05 + rand() * 0.1);
    const brief = add(assigned, lateBrief ? 1.3 + rand() * 0.4 : 0.4 + rand() * 0.5);
    const countersigned = add(brief, slowSign ? 1.2 + rand() * 0.5 : 0.2 + rand() * 0.6);
    const due = add(countersigned, std.maxDays + 2);
    const framework = add(cal.milestone(assigned, due, 0.2 - rand() * 0.05 + (i === 13 ? 0.1 : 0)), 0);
    const draft = add(cal.milestone(assigned, due, 0.8 - rand() * 0.1 + (i === 21 ? 0.12 : 0)), 0);
    const key = i % 5 === 2;
    const unreviewed = i === 9; // sent without review: a level-1 incident follows
    const reviewed = unreviewed ? undefined : add(draft, 0.2 + rand() * 0.3);
    const directorReviewed = key && reviewed !== undefined ? add(reviewed, 0.1 + rand() * 0.3) : undefined;
    const sent = add(directorReviewed ?? reviewed ?? draft, 0.1 + rand() * 0.2);
    const closed = add(sent, 1 + rand() * 2);
    const archived = add(closed, i === 6 ? 2.6 : 0.5 + rand() * 1.2);
    const reviewer = i % 3 === 0 ? "赵敏" : i % 3 === 1 ? "王磊" : undefined;
    const card: Card = {
      cardNo,
      project: `${CLIENTS[i % CLIENTS.length]}${PROJECTS[i % PROJECTS.length]}`,
      client: CLIENTS[i % CLIENTS.length],
      deliverable: std.deliverable[lang],
      key,
      intake,
      initiator,
      ae,
      lead,
      reviewer,
      received,
      replied: cut(replied),
      assigned: cut(assigned),
      brief: cut(brief),
      countersigned: cut(countersigned),
      due: cut(assigned) === undefined ? undefined : due,
      framework: cut(framework),
      draft: cut(draft),
      reviewed: cut(reviewed),
      directorReviewed: cut(directorReviewed),
      sent: cut(sent),
      closed: cut(closed),
      archived: cut(archived),
    };
    // Nothing is done past a countersign that is not finished by now (the add-in cannot do it either).
    if (card.brief !== undefined && card.countersigned === undefined)
      for (const k of ["framework", "draft", "reviewed", "directorReviewed", "sent", "closed", "archived"] as const) card[k] = undefined;
    // A planner who never reads their mail keeps the framework open past its date on one card.
    if (i === 37) card.framework = undefined;
    cards.push(card);

    const who = (r: string) => (r === "leader" ? (reviewer ?? "王磊") : r);
    // The role a leader's row names is their own (赵敏: Assistant Manager, 经理助理), not the step's 经理或经理助理.
    const leaderRole = STAFF_ROWS.find((p) => p.name === who("leader"))?.role ?? "Manager";
    const zh = lang === "zh";
    const INTAKE = {
      AE: ["AE 发起", "AE"],
      Director: ["总监发起", "Director"],
      Manager: ["经理发起", "Manager"],
      Planner: ["策划发起", "Planner"],
    } as const;
    ev(
      received,
      cardNo,
      "issue",
      "林静",
      "Secretary",
      zh ? `${INTAKE[intake][0]}：${card.project}` : `${INTAKE[intake][1]}: ${card.project}`,
    );
    ev(
      card.assigned,
      cardNo,
      "assign",
      who("leader"),
      leaderRole,
      zh ? `项目负责人 ${lead}${reviewer ? `；审核人 ${reviewer}` : ""}` : `lead ${lead}${reviewer ? `; reviewer ${reviewer}` : ""}`,
    );
    ev(card.replied, cardNo, "reply", ae, "AE");
    ev(card.brief, cardNo, "brief", lead, "Planner");
    if (card.brief !== undefined) {
      // The signatures given by now (a card still in countersign has the first ones only).
      ev(cut(add(card.brief, 0.05)), cardNo, "sign", lead, "Planner", zh ? "1/3 策划" : "1/3 Planner");
      ev(cut(add(card.brief, 0.1)), cardNo, "sign", who("leader"), leaderRole, zh ? "2/3 经理或经理助理" : "2/3 Manager or assistant");
      ev(card.countersigned, cardNo, "sign", "陈刚", "Director", zh ? "3/3 总监" : "3/3 Director");
    }
    ev(card.framework, cardNo, "framework", lead, "Planner");
    ev(card.draft, cardNo, "draft", lead, "Planner");
    ev(card.reviewed, cardNo, "review", who("leader"), leaderRole);
    ev(card.directorReviewed, cardNo, "directorReview", "陈刚", "Director");
    ev(card.sent, cardNo, "send", intake === "Director" ? "陈刚" : lead, intake === "Director" ? "Director" : "Planner");
    ev(card.closed, cardNo, "close", lead, "Planner");
    ev(card.archived, cardNo, "archive", "林静", "Secretary");

    // Revisions: the client asks for changes after sending; the lead records each (were it the AE,
    // his record would be his relay, actions.ts relayersOf), and the AE relays it in a row of his
    // own; 李娜 relays two of them late (P3's evidence).
    if (card.sent !== undefined && i % 3 === 1) {
      const requested = add(card.sent, 0.5 + rand());
      if (requested <= DEMO_NOW) {
        const late = ae === "李娜" && (i === 7 || i === 19);
        const relayed = cut(add(requested, late ? 0.8 : 0.1 + rand() * 0.3));
        revisions.push({
          cardNo,
          requested,
          relayed,
          reason: "Client",
          major: i === 25,
          note: lang === "zh" ? "客户调整主视觉" : "client changes the key visual",
        });
        ev(
          requested,
          cardNo,
          "revision",
          lead,
          "Planner",
          zh ? `客户要求${i === 25 ? "（重大）" : ""}：客户调整主视觉` : `Client${i === 25 ? " major" : ""}: client changes the key visual`,
        );
        ev(relayed, cardNo, "relay", ae, "AE");
      }
    }
    // 吴昊 reworks one proposal four times for the team's own reasons.
    if (i === 14 && card.draft !== undefined) {
      for (let k = 0; k < 4; k++) {
        const requested = add(card.framework ?? card.draft, 0.3 + k * 0.4);
        revisions.push({
          cardNo,
          requested,
          reason: "Own",
          major: false,
          note: lang === "zh" ? `内部返工 ${k + 1}` : `internal rework ${k + 1}`,
        });
        ev(requested, cardNo, "revision", lead, "Planner", zh ? `自身原因：内部返工 ${k + 1}` : `Own: internal rework ${k + 1}`);
      }
    }
    if (i === 9 && card.sent !== undefined) {
      const date = add(card.sent, 1.2);
      incidents.push({
        date,
        cardNo,
        kind: "Complaint to VP",
        note: lang === "zh" ? "方案未经审核发出，客户投诉至分管副总" : "sent without review; the client complained to the VP",
      });
      ev(
        date,
        cardNo,
        "incident",
        "王磊",
        "Manager",
        zh ? "投诉分管副总：方案未经审核发出，客户投诉至分管副总" : "Complaint to VP: sent without review; the client complained to the VP",
      );
    }
    if (i === 18 && card.sent !== undefined) {
      const date = add(card.sent, 0.6);
      incidents.push({
        date,
        cardNo,
        kind: "Attitude complaint",
        person: lead,
        note: lang === "zh" ? "客户反映多次催问未回复" : "the client's calls went unanswered",
      });
      ev(
        date,
        cardNo,
        "incident",
        "王磊",
        "Manager",
        zh ? `态度投诉 → ${lead}：客户反映多次催问未回复` : `Attitude complaint → ${lead}: the client's calls went unanswered`,
      );
    }
    if (i === 27) {
      const date = add(received, 2);
      incidents.push({
        date,
        cardNo,
        kind: "Late requirement complaint",
        note: lang === "zh" ? "需求传达不完整，客户投诉" : "the request was passed on incompletely",
      });
      ev(
        date,
        cardNo,
        "incident",
        "陈刚",
        "Director",
        zh ? "需求延误投诉：需求传达不完整，客户投诉" : "Late requirement complaint: the request was passed on incompletely",
      );
    }
  }
  // The last afternoon's two requests, neither assigned nor answered yet: when the month turns,
  // the managers each have an assignment waiting and each AE a reply to the client, so everyone
  // active opens the pane on something of theirs.
  for (const [k, ae] of (["张伟", "李娜"] as const).entries()) {
    const i = n + k;
    seq["2026-10"]++;
    const cardNo = `202610-${String(seq["2026-10"]).padStart(3, "0")}`;
    const std = DEFAULT_STANDARDS[i % DEFAULT_STANDARDS.length];
    const received = toSerial(2026, 10, 30, 15 + k, 30);
    const card: Card = {
      cardNo,
      project: `${CLIENTS[i % CLIENTS.length]}${PROJECTS[i % PROJECTS.length]}`,
      client: CLIENTS[i % CLIENTS.length],
      deliverable: std.deliverable[lang],
      key: false,
      intake: "AE",
      initiator: ae,
      ae,
      received,
    };
    cards.push(card);
    ev(received, cardNo, "issue", "林静", "Secretary", lang === "zh" ? `AE 发起：${card.project}` : `AE: ${card.project}`);
  }
  for (const c of cards) c.stage = stageOf(c, revisions);
  log.sort((a, b) => a.time! - b.time!);
  // The log speaks the workbook's language (会签, 经理 … in a Chinese one), hashed as written.
  return {
    staff: STAFF_ROWS.map((s) => ({ ...s })),
    cards,
    revisions,
    incidents,
    calendar,
    log: chainAppend(
      [],
      log.map((e) => logEntryIn(e, lang)),
    ),
  };
}

/** The whole demo workbook as one change set on an empty workbook. */
export function demoChanges(lang: Lang = "zh"): ChangeSet {
  const data = demoData(lang);
  const changes = setupChanges({ tables: new Map(), sheetNames: [] }, lang);
  const fill = (def: TableDef, records: object[]) => {
    const t = changes.newTables.find((nt) => nt.name === def.name)!;
    t.rows = records.map((r) => rowFor(def, r, lang) as CellValue[]);
  };
  fill(STAFF, data.staff);
  fill(REGISTER, data.cards);
  fill(REVISIONS, data.revisions);
  fill(INCIDENTS, data.incidents);
  fill(CALENDAR, data.calendar);
  fill(COUNTERSIGN_LOG, data.log);
  // The log's head is anchored from the start, as the add-in's own appends keep it (core/workflow/log).
  return { ...emptyChangeSet(), newTables: changes.newTables, ...logHeadChanges(data.log, newLogSalt()) };
}
