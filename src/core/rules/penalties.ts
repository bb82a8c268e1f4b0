/**
 * The monthly penalty rules of domain.md (P1–P9, 000 惩罚机制), as data. The workbook's
 * Rules table overrides them and may add rules of the center's own; these are the rows
 * `init` writes.
 *
 * `counts` says what one occurrence is: a missed deadline ("D1"…"D7"), an incident kind
 * ("Complaint to VP"…), or "Own revision" (a revision for the team's own reasons).
 * `threshold` with `compare`: "more than 3" is more than, 3; "5 times" is at least, 5;
 * 以上 ("4 or more") is at least, 4 (assumption). `per`: "month" deducts once per person per
 * month when the month's count meets the threshold (assumption); "card" once per card;
 * "incident" for every occurrence. `charge` is the role charged on the card, `alsoCharge`
 * more roles for joint liability (连带责任).
 */
import type { IncidentKind } from "../model";

export type ChargeRole = "Initiator" | "AE" | "Secretary" | "Planner" | "Reviewer" | "Director";
export type Compare = "more than" | "at least";
export type Per = "month" | "card" | "incident";
export type RuleCondition = "" | "Sent without review";

type Text = { zh: string; en: string };

/** The roles a rule charges, as the Rules table and the Penalties' Role column write them. */
export const CHARGE_ROLE_WORDS: Record<ChargeRole, Text> = {
  Initiator: { en: "Initiator", zh: "需求发起人" },
  AE: { en: "AE", zh: "AE" },
  Secretary: { en: "Secretary", zh: "秘书" },
  Planner: { en: "Planner", zh: "策划" },
  Reviewer: { en: "Reviewer", zh: "审核人" },
  Director: { en: "Director", zh: "总监" },
};

/** The incident kinds of the contract (Incidents → Kind). */
export const INCIDENT_KIND_WORDS: Record<IncidentKind, Text> = {
  "Late requirement complaint": { en: "Late requirement complaint", zh: "需求延误投诉" },
  "Complaint to VP": { en: "Complaint to VP", zh: "投诉分管副总" },
  "Mass user complaints": { en: "Mass user complaints", zh: "大量用户投诉" },
  "Attitude complaint": { en: "Attitude complaint", zh: "态度投诉" },
};

/** What a rule may count besides a deadline id: an own revision or an incident kind. */
export const COUNTED_WORDS: Record<string, Text> = {
  "Own revision": { en: "Own revision", zh: "自身原因修改" },
  // A route step that took longer than its Limit (Routes table): the signers who were late, or those it still waits for.
  "Route step late": { en: "Route step late", zh: "审批超时" },
  ...INCIDENT_KIND_WORDS,
};

export interface RuleDef {
  id: string;
  charge: ChargeRole;
  alsoCharge: ChargeRole[];
  counts: string;
  compare: Compare;
  threshold: number;
  per: Per;
  kpi: { zh: string; en: string };
  points: number;
  condition: RuleCondition;
  description: { zh: string; en: string };
}

const KPI = {
  control: { zh: "客户需求把控", en: "Requirement control" },
  satisfaction: { zh: "客户满意度", en: "Customer satisfaction" },
  communication: { zh: "客户沟通", en: "Client communication" },
  process: { zh: "流程管理", en: "Process management" },
  performance: { zh: "绩效", en: "Performance" },
  cycle: { zh: "方案撰写周期", en: "Writing cycle" },
  documents: { zh: "文档提交率", en: "Document submission rate" },
};

export const DEFAULT_RULES: readonly RuleDef[] = [
  {
    id: "P1",
    charge: "Initiator",
    alsoCharge: [],
    counts: "Late requirement complaint",
    compare: "at least",
    threshold: 1,
    per: "incident",
    kpi: KPI.control,
    points: 8,
    condition: "",
    description: {
      zh: "需求发起人未及时、完整传达需求，撰写时间延长，客户严重投诉",
      en: "Request not passed on in time or in full; the client complained seriously",
    },
  },
  {
    id: "P2",
    charge: "AE",
    alsoCharge: [],
    counts: "D1",
    compare: "more than",
    threshold: 3,
    per: "month",
    kpi: KPI.satisfaction,
    points: 3,
    condition: "",
    description: { zh: "AE 未在半个工作日内回复客户项目时间点超过三次", en: "AE missed the half-day reply (D1) more than 3 times" },
  },
  {
    id: "P3",
    charge: "AE",
    alsoCharge: [],
    counts: "D7",
    compare: "at least",
    threshold: 5,
    per: "month",
    kpi: KPI.communication,
    points: 5,
    condition: "",
    description: { zh: "AE 未及时转达客户修改意见 5 次", en: "AE did not relay client revisions in time (D7) 5 times" },
  },
  {
    id: "P4",
    charge: "Secretary",
    alsoCharge: [],
    counts: "D3",
    compare: "more than",
    threshold: 2,
    per: "month",
    kpi: KPI.process,
    points: 5,
    condition: "",
    description: { zh: "秘书未在一个工作日内完成会签超过两次", en: "Secretary missed the one-day countersign (D3) more than 2 times" },
  },
  {
    id: "P5",
    charge: "Planner",
    alsoCharge: [],
    counts: "Complaint to VP",
    compare: "at least",
    threshold: 1,
    per: "incident",
    kpi: KPI.satisfaction,
    points: 10,
    condition: "Sent without review",
    description: {
      zh: "一级事故：方案未经领导审核发送客户，客户投诉至分管副总",
      en: "Level-1 incident: sent without a leader's review, the client complained to the VP",
    },
  },
  {
    id: "P6",
    charge: "Planner",
    alsoCharge: [],
    counts: "Mass user complaints",
    compare: "at least",
    threshold: 1,
    per: "incident",
    kpi: KPI.performance,
    points: 30,
    condition: "Sent without review",
    description: {
      zh: "方案未经审核发送客户并执行，包含活动执行，导致大量用户投诉",
      en: "Sent without review for live use; many end users complained",
    },
  },
  {
    id: "P7",
    charge: "Planner",
    alsoCharge: [],
    counts: "Own revision",
    compare: "at least",
    threshold: 4,
    per: "card",
    kpi: KPI.cycle,
    points: 5,
    condition: "",
    description: { zh: "因自身原因修改方案 4 次以上，项目周期延长", en: "Revised 4 or more times for own reasons; the project ran long" },
  },
  {
    id: "P8",
    charge: "Planner",
    alsoCharge: [],
    counts: "D2",
    compare: "more than",
    threshold: 2,
    per: "month",
    kpi: KPI.documents,
    points: 3,
    condition: "",
    description: { zh: "无故未在一个工作日内提交项目需求单超过两次", en: "Missed the one-day brief (D2) more than 2 times without reason" },
  },
  {
    id: "P9",
    charge: "Planner",
    alsoCharge: [],
    counts: "Attitude complaint",
    compare: "at least",
    threshold: 1,
    per: "incident",
    kpi: KPI.satisfaction,
    points: 5,
    condition: "",
    description: { zh: "态度不好或不回应，客户投诉", en: "Bad attitude or no response; the client complained" },
  },
];
