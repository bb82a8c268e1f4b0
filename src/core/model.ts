/**
 * The records the rules and the workflow work on: typed rows of the workbook's tables.
 * Dates are Excel serials (wall clock); an absent date is `undefined`.
 */

export type Role = "AE" | "Secretary" | "Manager" | "Assistant Manager" | "Planner" | "Director";
export type Intake = "AE" | "Director" | "Manager" | "Planner";
export type RevisionReason = "Client" | "Own";
export type IncidentKind = "Late requirement complaint" | "Complaint to VP" | "Mass user complaints" | "Attitude complaint";

export interface Card {
  cardNo: string;
  project?: string;
  client?: string;
  deliverable?: string;
  key: boolean;
  intake?: Intake;
  initiator?: string;
  ae?: string;
  lead?: string;
  reviewer?: string;
  secretary?: string;
  received?: number;
  replied?: number;
  assigned?: number;
  brief?: number;
  countersigned?: number;
  due?: number;
  framework?: number;
  draft?: number;
  reviewed?: number;
  directorReviewed?: number;
  sent?: number;
  closed?: number;
  archived?: number;
  stage?: string;
  /** Card type (类型): a type named in the Routes table; undefined = 策划提案 (the proposal process of seed 000). */
  type?: string;
  /** Expected attendance (人数), for events. */
  headcount?: number;
  /** Budget in yuan (预算). */
  budget?: number;
  /** When the event takes place (活动日期): countdown deadlines run back from it. */
  eventDate?: number;
  /** Is the event in the approved annual plan (计划内)? Blank reads as No. */
  planned?: boolean;
  /**
   * The cells of Register columns the center added (渠道 …), by their header as typed (trimmed);
   * blank cells left out. Route conditions may name them. Absent when the row has none.
   */
  extra?: Record<string, string | number | boolean>;
  /**
   * Milestones without a Register column completed by the log's 完成里程碑 rows: key (deadline id,
   * `W1 2026-11-09` for a recurring duty's occurrence) → when (core/workflow/milestones).
   */
  milestones?: Record<string, number>;
}

/** The dates a card's steps stamp, from the request received to its archive (the Register's dates but 活动日期). */
export const CARD_STEP_DATES = [
  "received",
  "replied",
  "assigned",
  "brief",
  "countersigned",
  "due",
  "framework",
  "draft",
  "reviewed",
  "directorReviewed",
  "sent",
  "closed",
  "archived",
] as const satisfies readonly (keyof Card)[];

export interface Revision {
  cardNo: string;
  requested?: number;
  relayed?: number;
  reason?: RevisionReason;
  major: boolean;
  note?: string;
}

export interface Incident {
  date?: number;
  cardNo?: string;
  kind?: IncidentKind;
  person?: string;
  note?: string;
}

export interface StaffMember {
  name: string;
  role?: Role;
  /**
   * A role that is none of the six of seed 000, as the Staff cell writes it (客户总监, 营销副总裁,
   * 集团审核, 总部 …): any word a route or a deadline uses. `role` is then undefined.
   */
  customRole?: string;
  backup?: string;
  active: boolean;
  /** Mobile number, for @-mentions in DingTalk and WeCom group robots (optional column). */
  mobile?: string;
  /** E-mail address, for reminders by e-mail and @-mentions in Feishu (optional column). */
  email?: string;
  /** The Office account (user principal name) this person signs in with (optional column 账号 / Account). */
  account?: string;
}

export interface CalendarEntry {
  date: number;
  type: "holiday" | "workday";
  note?: string;
}

export interface LogEntry {
  time?: number;
  cardNo?: string;
  action?: string;
  actor?: string;
  role?: string;
  note?: string;
  /** The Office account signed in when the add-in wrote the row (optional column 账号 / Account). */
  account?: string;
  hash?: string;
}

export interface PenaltyRow {
  month: string;
  person: string;
  role?: string;
  kpi: string;
  points: number;
  rule: string;
  evidence: string;
}
