/**
 * Role words of routes and deadlines. The six roles of seed 000 have keys (`Planner`, `Manager`,
 * …, as core/model's Role); any other word a route or a deadline uses is a role too (roles as
 * data): its key is the word itself, or, for the roles the glossary names (客户总监, 营销副总裁 …),
 * the Chinese word, so that `Account director` and `客户总监` are one role.
 */
import type { Role } from "../model";
export const ROLE_TEXT: Record<string, { zh: string; en: string; aliases?: string[] }> = {
  AE: { zh: "AE", en: "AE", aliases: ["客户执行"] },
  Secretary: { zh: "秘书", en: "Secretary", aliases: ["中心秘书"] },
  Manager: { zh: "经理", en: "Manager", aliases: ["中心经理"] },
  "Assistant Manager": { zh: "经理助理", en: "Assistant Manager" },
  Planner: { zh: "策划", en: "Planner", aliases: ["执行策划", "项目负责人"] },
  Director: { zh: "总监", en: "Director", aliases: ["中心总监"] },
  客户总监: { zh: "客户总监", en: "Account director" },
  客户主管: { zh: "客户主管", en: "Account supervisor", aliases: ["客户部主管"] },
  营销副总裁: { zh: "营销副总裁", en: "Marketing vice president", aliases: ["营销主管副总裁"] },
  集团审核: { zh: "集团审核", en: "Group review" },
  总部: { zh: "总部", en: "Head office" },
};

/** The six roles of seed 000 (core/model's Role). */
export const BASE_ROLES: readonly string[] = ["AE", "Secretary", "Manager", "Assistant Manager", "Planner", "Director"];

/** Whether a role key is one of the six of seed 000 (narrows it to Role). */
export const isBaseRole = (role: string): role is Role => BASE_ROLES.includes(role);

/** A role key as a workbook of `lang` writes it. */
export const roleText = (key: string, lang: "zh" | "en"): string => ROLE_TEXT[key]?.[lang] ?? key;

/**
 * `workOut` kept per word: a workbook holds a few role and type words, asked for on every card, so
 * each is worked out once (a bound of 1,000 kept words keeps typed noise from piling up).
 */
export function keptPerWord(workOut: (word: string) => string): (word: string) => string {
  const kept = new Map<string, string>();
  return (word) => {
    let key = kept.get(word);
    if (key === undefined) {
      if (kept.size >= 1000) kept.clear();
      kept.set(word, (key = workOut(word)));
    }
    return key;
  };
}

const roleKey = keptPerWord(workOutRoleKey);

/** The key of a role word (either language, aliases, case and surrounding spaces ignored); an unknown word is its own key. */
export function roleKeyOf(word: string): string {
  return roleKey(word);
}

function workOutRoleKey(word: string): string {
  const t = word.trim();
  const l = t.toLowerCase();
  const hit = Object.entries(ROLE_TEXT).find(
    ([k, w]) => k.toLowerCase() === l || w.zh === t || w.en.toLowerCase() === l || w.aliases?.some((a) => a.toLowerCase() === l),
  );
  return hit ? hit[0] : t;
}
