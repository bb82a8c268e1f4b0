/**
 * Who may excuse a missed deadline (免责, 有正当理由) — domain: the secretary or the director marks
 * a miss excused with a reason. Nobody excuses a miss charged to themselves (nor while acting for
 * that person as their AB-role backup): the secretary's own misses only the director may excuse,
 * the director's own only the secretary. The rule is this table; the add-in's 免责 (actions.ts)
 * and month end (monthly.ts: a 免责 row against the rule, typed into the log by hand, does not
 * count) both ask `excuseRefusal`.
 */
import type { Card, Role, StaffMember } from "../model";
import { personOnCard, staffMember } from "../people";
import type { DeadlineDef } from "./deadlines";
import { roleText } from "../routes/roles";
import type { Text } from "../workflow/words";

export interface ExcuseRule {
  /** Who may excuse the misses of a person holding this Staff role (the role they act in). */
  byChargedRole: Partial<Record<Role, readonly Role[]>>;
  /** Who may excuse everyone else's misses. */
  otherwise: readonly Role[];
}

export const EXCUSE_RULE: ExcuseRule = {
  byChargedRole: { Secretary: ["Director"], Director: ["Secretary"] },
  otherwise: ["Secretary", "Director"],
};

/** The roles that may excuse a miss charged to `charged` (by their Staff role). */
export function excusersOf(charged: string | undefined, staff: readonly StaffMember[], rule: ExcuseRule = EXCUSE_RULE): readonly Role[] {
  const role = charged === undefined ? undefined : staffMember(staff, charged)?.role;
  return (role && rule.byChargedRole[role]) || rule.otherwise;
}

/**
 * Why `by` (acting for `onBehalfOf`, when a backup) may not excuse a miss charged to `charged`, or
 * undefined when they may: "只有总监可以为秘书本人的超时免责".
 */
export function excuseRefusal(
  who: { by?: string; onBehalfOf?: string; charged?: string },
  staff: readonly StaffMember[],
  rule: ExcuseRule = EXCUSE_RULE,
): Text | undefined {
  const { by, charged } = who;
  // "代 X" counts only from X's backup (Staff → Backup): a typed claim from anyone else is their own row.
  const onBehalfOf =
    who.onBehalfOf !== undefined && by !== undefined && staffMember(staff, who.onBehalfOf)?.backup === by ? who.onBehalfOf : undefined;
  const allowed = excusersOf(charged, staff, rule);
  const chargedRole = charged === undefined ? undefined : staffMember(staff, charged)?.role;
  const own = charged !== undefined && (by === charged || onBehalfOf === charged);
  const acting = onBehalfOf ?? by;
  const actingRole = acting === undefined ? undefined : staffMember(staff, acting)?.role;
  if (!own && actingRole !== undefined && allowed.includes(actingRole)) return undefined;
  const zhWho = allowed.map((r) => roleText(r, "zh")).join("或");
  const enWho = allowed.map((r) => `the ${roleText(r, "en").toLowerCase()}`).join(" or ");
  if (chargedRole !== undefined && rule.byChargedRole[chargedRole])
    return {
      zh: `只有${zhWho}可以为${roleText(chargedRole, "zh")}本人的超时免责`,
      en: `only ${enWho} may excuse the ${roleText(chargedRole, "en").toLowerCase()}'s own miss`,
    };
  if (own)
    return {
      zh: `不能为自己的超时免责，请由另一位${zhWho}处理`,
      en: `you cannot excuse your own miss: another ${allowed.map((r) => roleText(r, "en").toLowerCase()).join(" or ")} must`,
    };
  return { zh: `只有${zhWho}可以免责`, en: `only ${enWho} may excuse a miss` };
}

/**
 * Why a 免责 of the card's `row.deadline`, by `row.by` (for `row.onBehalfOf`), does not stand —
 * whom that deadline charges on the card being its person on the card — or undefined when it
 * does. The 免责 action asks it before writing, month end of each row already in the log.
 */
export function excuseRowRefusal(
  card: Card | undefined,
  row: { deadline: string; by?: string; onBehalfOf?: string },
  deadlines: readonly DeadlineDef[],
  staff: readonly StaffMember[],
): Text | undefined {
  const def = deadlines.find((d) => d.id === row.deadline);
  const charged = card && def ? personOnCard(card, def.role, staff) : undefined;
  return excuseRefusal({ by: row.by, onBehalfOf: row.onBehalfOf, charged }, staff);
}
