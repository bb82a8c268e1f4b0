/**
 * The deadlines of domain.md (D1–D7), as data. The workbook's Deadlines table overrides
 * them; these are the rows `init` writes.
 *
 * `starts` and `ends` name a date field of the Register (Card) or, for D7, of Revisions.
 * `unit`: "business days" from `starts`; "schedule" = a fraction of the business time from
 * `starts` to the card's Due (the 20 % framework, the 80 % draft); "hours" = clock hours;
 * "calendar days" (自然日) = days on the wall clock, weekends and holidays included.
 * A negative amount counts back from `starts` (a countdown: −15 from 活动日期 is T−15).
 * `types`: the card types it applies to (core/routes typeKey); undefined = 策划提案 only.
 * `ends` empty: a reminder-only duty (the T−30/T−15/T−3 milestones): reminded while open,
 * never judged met or missed, since the Register has no column that says it was done.
 */
import type { Role } from "../model";

export type DeadlineUnit = "business days" | "schedule" | "hours" | "calendar days";

export interface DeadlineDef {
  id: string;
  name: { zh: string; en: string };
  table: "Register" | "Revisions";
  starts: string;
  ends: string;
  amount: number;
  unit: DeadlineUnit;
  /** The role that must meet it (charged when it is missed): one of the six, or any role word of Staff (core/routes/roles key). */
  role: Role | string;
  /** Only client revisions count for D7. */
  onlyClientRevisions?: boolean;
  note?: string;
  /** The card types it applies to (canonical type keys); undefined = 策划提案 only. */
  types?: string[];
  /**
   * A recurring duty (Deadlines → Repeat / 重复, `每周一` / `weekly Mon`): the weekday (0 = Sunday …
   * 6 = Saturday) it falls on every week while the card is open, from its Starts date until the
   * card is closed; each occurrence is due at the end of that day's working hours (a day off: the
   * next working day) and is completed by the milestone action (完成里程碑) naming it.
   */
  repeat?: number;
}

const WEEKDAYS_ZH = ["日", "一", "二", "三", "四", "五", "六"];
const WEEKDAYS_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const WEEKDAY_NAMES_EN = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** A Repeat cell as written (`每周一`, `每周日`/`每周天`, `周一`, `weekly Mon`, `every Monday`): its weekday, else undefined. */
export function parseRepeat(text: string): number | undefined {
  const t = text.trim();
  const zh = /^(?:每周|每星期|每礼拜|周|星期)([一二三四五六日天])$/.exec(t);
  if (zh) return zh[1] === "天" ? 0 : WEEKDAYS_ZH.indexOf(zh[1]);
  const en = /^(?:weekly|every)\s+([a-z]+)$/i.exec(t);
  if (!en) return undefined;
  const w = en[1].toLowerCase();
  const i = WEEKDAY_NAMES_EN.findIndex((n) => n === w || n.slice(0, 3) === w);
  return i < 0 ? undefined : i;
}

/** A weekday as a Repeat cell writes it: `每周一` / `weekly Mon`. */
export const repeatText = (weekday: number, lang: "zh" | "en"): string =>
  lang === "zh" ? `每周${WEEKDAYS_ZH[weekday]}` : `weekly ${WEEKDAYS_EN[weekday]}`;

export const DEFAULT_DEADLINES: readonly DeadlineDef[] = [
  {
    id: "D1",
    name: { zh: "回复客户项目时间点", en: "Reply to the client with the time point" },
    table: "Register",
    starts: "received",
    ends: "replied",
    amount: 0.5,
    unit: "business days",
    role: "AE",
    note: "000: 半个工作日内回复客户",
  },
  {
    id: "D2",
    name: { zh: "提交项目需求单", en: "Requirement brief" },
    table: "Register",
    starts: "assigned",
    ends: "brief",
    amount: 1,
    unit: "business days",
    role: "Planner",
    note: "000: 一个工作日内撰写项目需求单",
  },
  {
    id: "D3",
    name: { zh: "完成工单会签", en: "Countersign complete" },
    table: "Register",
    starts: "brief",
    ends: "countersigned",
    amount: 1,
    unit: "business days",
    role: "Secretary",
    note: "000: 接到需求单一个工作日内会签",
  },
  {
    id: "D4",
    name: { zh: "提交方案框架", en: "Framework" },
    table: "Register",
    starts: "assigned",
    ends: "framework",
    amount: 0.2,
    unit: "schedule",
    role: "Planner",
    note: "000: 20%的项目进度提交框架",
  },
  {
    id: "D5",
    name: { zh: "提交方案初稿", en: "First draft" },
    table: "Register",
    starts: "assigned",
    ends: "draft",
    amount: 0.8,
    unit: "schedule",
    role: "Planner",
    note: "000: 80%的项目进度提交初稿",
  },
  {
    id: "D6",
    name: { zh: "项目文档交秘书", en: "Documents to the secretary" },
    table: "Register",
    starts: "closed",
    ends: "archived",
    amount: 2,
    unit: "business days",
    role: "Planner",
    note: "000: 项目结束后两个工作日内",
  },
  {
    id: "D7",
    name: { zh: "转达客户修改意见", en: "Relay a client revision" },
    table: "Revisions",
    starts: "requested",
    ends: "relayed",
    amount: 0.5,
    unit: "business days",
    role: "AE",
    onlyClientRevisions: true,
    note: "000: 及时转达 (assumption: 0.5 business day)",
  },
  // 客户活动 (seeds 003, 004): the countdown to the event and the summary after it, in calendar days, held by the lead.
  {
    id: "E1",
    name: { zh: "活动筹备 T-30", en: "Event T-30" },
    table: "Register",
    starts: "eventDate",
    ends: "",
    amount: -30,
    unit: "calendar days",
    role: "Planner",
    types: ["客户活动"],
    note: "004: 倒计时 T-30",
  },
  {
    id: "E2",
    name: { zh: "活动预热 T-15", en: "Event T-15" },
    table: "Register",
    starts: "eventDate",
    ends: "",
    amount: -15,
    unit: "calendar days",
    role: "Planner",
    types: ["客户活动"],
    note: "004: 倒计时 T-15",
  },
  {
    id: "E3",
    name: { zh: "活动倒计时 T-3", en: "Event T-3" },
    table: "Register",
    starts: "eventDate",
    ends: "",
    amount: -3,
    unit: "calendar days",
    role: "Planner",
    types: ["客户活动"],
    note: "004: 倒计时 T-3",
  },
  {
    id: "E4",
    name: { zh: "活动总结", en: "Event summary" },
    table: "Register",
    starts: "eventDate",
    ends: "",
    amount: 3,
    unit: "calendar days",
    role: "Planner",
    types: ["客户活动"],
    note: "004: 活动后3天内输出活动总结",
  },
];
