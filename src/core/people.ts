/**
 * Who holds a role on a card. The Register names the initiator, AE, lead and reviewer;
 * an empty Secretary means the only active secretary in Staff, and the director is the
 * only active director (domain.md: one center, one director).
 */
import type { Card, Role, StaffMember } from "./model";
import type { ChargeRole } from "./rules/penalties";
import { roleKeyOf } from "./routes/roles";

/**
 * A Staff list looked up by name, by role and by backup, made once per list: My work asks who
 * holds a role, who is active and whom a person backs up for every card and every step, on the
 * same few dozen people. A Staff list is read with its workbook and never changed in place (a new
 * read makes a new list), so its index holds as long as the list does.
 */
interface StaffIndex {
  /** The first row of each name (Staff order), as `staff.find` gives it. */
  byName: Map<string, StaffMember>;
  /** Names of the people each name backs up (AB角), in Staff order. */
  backing: Map<string, string[]>;
  /** activeWithRole's answers by the roles asked. */
  withRole: Map<string, readonly string[]>;
  /** activeWithRoleWord's answers, by the word's key: the same on every card. */
  byRoleWord: Map<string, readonly string[]>;
}

const INDEXES = new WeakMap<readonly StaffMember[], StaffIndex>();

function indexOf(staff: readonly StaffMember[]): StaffIndex {
  let ix = INDEXES.get(staff);
  if (!ix) {
    ix = { byName: new Map(), backing: new Map(), withRole: new Map(), byRoleWord: new Map() };
    for (const s of staff) {
      if (!ix.byName.has(s.name)) ix.byName.set(s.name, s);
      if (s.backup !== undefined) {
        const list = ix.backing.get(s.backup);
        if (list) list.push(s.name);
        else ix.backing.set(s.backup, [s.name]);
      }
    }
    INDEXES.set(staff, ix);
  }
  return ix;
}

/** The Staff row of a name (the first, as `staff.find` gives it). */
export function staffMember(staff: readonly StaffMember[], name: string): StaffMember | undefined {
  return indexOf(staff).byName.get(name);
}

/**
 * Whom a deadline charges on a card now: its role's holder, or, when the holder is away (no Staff
 * row of the name active), their AB-role backup who is at work, acting for them (`onBehalfOf`).
 * The one rule My work, the Overview and the reminders follow, and the same "away" as a step's
 * (actions.ts: a colleague's step passes to the backup when no row of the name is active). A name
 * on two Staff rows (an error 问题 reports) is at work when any of its rows is, and its backup is
 * the first one its rows name.
 */
export function chargedPerson(
  card: Card,
  def: { role: ChargeRole | Role | string },
  staff: readonly StaffMember[],
): { person?: string; onBehalfOf?: string } {
  const person = personOnCard(card, def.role, staff);
  if (person === undefined || !staffMember(staff, person) || isActiveIn(staff, person)) return { person };
  const backup = staff.find((s) => s.name === person && !!s.backup)?.backup;
  return backup && isActiveIn(staff, backup) ? { person: backup, onBehalfOf: person } : { person };
}

/** Is someone of that name active in Staff (any of its rows)? */
export function isActiveIn(staff: readonly StaffMember[], name: string): boolean {
  const s = indexOf(staff).byName.get(name);
  // A name on two rows (an error 问题 reports) is active when any of them is: ask them all.
  return s !== undefined && (s.active || staff.some((x) => x.name === name && x.active));
}

/** Does `backup` back up `name` (a Staff row of `name` says so)? */
export function backsUp(staff: readonly StaffMember[], backup: string, name: string): boolean {
  return indexOf(staff).backing.get(backup)?.includes(name) ?? false;
}

/** The names of the active people holding any of `roles`, in Staff order. */
export function activeWithRole(staff: readonly StaffMember[], ...roles: Role[]): readonly string[] {
  const memo = indexOf(staff).withRole;
  const key = roles.join("\u0000");
  let names = memo.get(key);
  if (!names) {
    names = staff.filter((s) => s.active && s.role !== undefined && roles.includes(s.role)).map((s) => s.name);
    memo.set(key, names);
  }
  return names;
}

/** The names of the active people whose Staff role word (客户总监 …) has this key, in Staff order. */
export function activeWithRoleWord(staff: readonly StaffMember[], key: string): readonly string[] {
  const memo = indexOf(staff).byRoleWord;
  let names = memo.get(key);
  if (!names) {
    names = staff.filter((s) => s.active && s.customRole !== undefined && roleKeyOf(s.customRole) === key).map((s) => s.name);
    memo.set(key, names);
  }
  return names;
}

/** The only active person with `role`, or undefined when there is none or more than one. */
export function onlyActive(staff: readonly StaffMember[], role: Role): string | undefined {
  const hits = activeWithRole(staff, role);
  return hits.length === 1 ? hits[0] : undefined;
}

/** The person who holds `role` on `card`, or undefined when the Register does not say. */
export function personOnCard(card: Card, role: ChargeRole | Role | string, staff: readonly StaffMember[]): string | undefined {
  switch (role) {
    case "Initiator":
      return card.initiator;
    case "AE":
      return card.ae;
    case "Planner":
      return card.lead;
    case "Secretary":
      return card.secretary ?? onlyActive(staff, "Secretary");
    case "Reviewer":
    case "Manager":
    case "Assistant Manager":
      return card.reviewer;
    case "Director":
      return onlyActive(staff, "Director");
    default: {
      // Any other role word of Staff (客户总监 …): its only active holder (several: nobody is guessed).
      const hits = activeWithRoleWord(staff, roleKeyOf(role));
      return hits.length === 1 ? hits[0] : undefined;
    }
  }
}

/** Everyone named on a card (for "cards handled"). */
export function peopleOnCard(card: Card, staff: readonly StaffMember[]): Set<string> {
  const names = new Set<string>();
  for (const n of [card.initiator, card.ae, card.lead, card.reviewer, card.secretary ?? onlyActive(staff, "Secretary")])
    if (n) names.add(n);
  return names;
}

/** Any one of these people, as each language says it: "王磊、赵敏或陈刚" / "王磊, 赵敏 or 陈刚"; "" for none. */
export function eitherOf(names: readonly string[], lang: "zh" | "en"): string {
  if (names.length < 2) return names[0] ?? "";
  const head = names.slice(0, -1).join(lang === "zh" ? "、" : ", ");
  return `${head}${lang === "zh" ? "或" : " or "}${names[names.length - 1]}`;
}
