/** The words a cell may hold for each enumerated column, in English and Chinese. */
import { CHARGE_ROLE_WORDS, COUNTED_WORDS, INCIDENT_KIND_WORDS } from "../core/rules/penalties";
import { LOG_WORDS } from "../core/workflow/words";
import type { IncidentKind, Intake, RevisionReason, Role } from "../core/model";
import type { DeadlineUnit } from "../core/rules/deadlines";
import type { ChargeRole, Compare, Per, RuleCondition } from "../core/rules/penalties";
import type { ColumnType, ColumnValues } from "./schema";

export interface Word {
  en: string;
  zh: string;
  aliases?: string[];
}
/** The words of an enumeration by its keys (`K`: the keys the model uses). */
export type Vocab<K extends string = string> = Readonly<Record<K, Word>>;

export const ROLES: Vocab<Role> = {
  AE: { en: "AE", zh: "AE", aliases: ["客户执行"] },
  Secretary: { en: "Secretary", zh: "秘书", aliases: ["中心秘书"] },
  Manager: { en: "Manager", zh: "经理", aliases: ["中心经理"] },
  "Assistant Manager": { en: "Assistant Manager", zh: "经理助理" },
  Planner: { en: "Planner", zh: "策划", aliases: ["执行策划", "项目负责人"] },
  Director: { en: "Director", zh: "总监", aliases: ["中心总监"] },
};

export const INTAKES: Vocab<Intake> = {
  AE: { en: "AE", zh: "AE" },
  Director: { en: "Director", zh: "总监" },
  Manager: { en: "Manager", zh: "经理", aliases: ["经理助理", "Assistant Manager"] },
  Planner: { en: "Planner", zh: "策划" },
};

export const REASONS: Vocab<RevisionReason> = {
  Client: { en: "Client", zh: "客户" },
  Own: { en: "Own", zh: "自身" },
};

export const KINDS: Vocab<IncidentKind> = { ...INCIDENT_KIND_WORDS };

export const CALTYPES: Vocab<ColumnValues["caltype"]> = {
  holiday: { en: "Holiday", zh: "休" },
  workday: { en: "Workday", zh: "班" },
};

export const CHARGE_ROLES: Vocab<ChargeRole> = {
  ...CHARGE_ROLE_WORDS,
  Planner: { ...CHARGE_ROLE_WORDS.Planner, aliases: ["项目负责人", "Lead"] },
  Reviewer: { ...CHARGE_ROLE_WORDS.Reviewer, aliases: ["Manager", "经理"] },
};

export const COMPARES: Vocab<Compare> = {
  "more than": { en: "more than", zh: "超过" },
  "at least": { en: "at least", zh: "达到" },
};

export const PERS: Vocab<Per> = {
  month: { en: "month", zh: "每月" },
  card: { en: "card", zh: "每卡" },
  incident: { en: "incident", zh: "每次" },
};

export const UNITS: Vocab<DeadlineUnit> = {
  "business days": { en: "business days", zh: "工作日" },
  schedule: { en: "schedule", zh: "进度比例" },
  hours: { en: "hours", zh: "小时" },
  "calendar days": { en: "calendar days", zh: "自然日", aliases: ["days", "天"] },
};

export const CONDITIONS: Vocab<Exclude<RuleCondition, "">> = {
  "Sent without review": { en: "Sent without review", zh: "未审核发送" },
};

export const COUNT_WORDS: Vocab = { ...COUNTED_WORDS };

/** The Countersign Log's Action (操作) words: 下单, 指派, 会签 … / Issue, Assign, Countersign … (core/workflow/words.ts; the codes `issue`, `sign` … of older logs read too). */
export const LOG_ACTIONS: Vocab = { ...LOG_WORDS };

/** Yes/No in a language: 是/否 in a Chinese table. */
export const yesNo = (b: boolean, lang: "zh" | "en"): string => (b ? (lang === "zh" ? "是" : "Yes") : lang === "zh" ? "否" : "No");

/**
 * A Settings value as the table's language writes it: Yes/No as 是/否 in a Chinese workbook
 * (parseYesNo reads both). Other values (working hours, time zone, card format, `auto`, numbers)
 * are the same in both languages.
 */
export function settingText(value: string, lang: "zh" | "en"): string {
  const b = /^(yes|no)$/i.test(value.trim()) ? parseYesNo(value) : undefined;
  return b === undefined ? value : yesNo(b, lang);
}

const norm = (s: string) => s.trim().toLowerCase();

/** Is `key` one of `vocab`'s keys (its own, not inherited)? */
export const isKeyOf = <K extends string>(vocab: Vocab<K>, key: string): key is K => Object.prototype.hasOwnProperty.call(vocab, key);

/** The canonical key of a word of `vocab`, or undefined. */
export function lookup<K extends string>(vocab: Vocab<K>, text: string): K | undefined {
  const t = norm(text);
  for (const key of Object.keys(vocab)) {
    if (!isKeyOf(vocab, key)) continue;
    const w = vocab[key];
    if (norm(w.en) === t || norm(w.zh) === t || norm(key) === t || w.aliases?.some((a) => norm(a) === t)) return key;
  }
  return undefined;
}

export function word<K extends string>(vocab: Vocab<K>, key: string, lang: "zh" | "en"): string {
  return isKeyOf(vocab, key) ? vocab[key][lang] : key;
}

export const VOCAB_OF: Partial<Record<ColumnType, Vocab>> = {
  role: ROLES,
  staffRole: ROLES,
  intake: INTAKES,
  reason: REASONS,
  kind: KINDS,
  caltype: CALTYPES,
  chargeRole: CHARGE_ROLES,
  compare: COMPARES,
  per: PERS,
  unit: UNITS,
};

const YES = ["yes", "y", "true", "是", "1"];
const NO = ["no", "n", "false", "否", "0"];

/** Yes/No cells: Yes/No, Y/N, TRUE/FALSE, 是/否. Blank is No. */
export function parseYesNo(v: unknown): boolean | undefined {
  if (v === null || v === undefined || v === "") return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v === 1 ? true : v === 0 ? false : undefined;
  const t = norm(String(v));
  if (YES.includes(t)) return true;
  if (NO.includes(t)) return false;
  return undefined;
}
