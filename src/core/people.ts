/**
 * Who holds a role on a card. The Register names the initiator, AE, lead and reviewer;
 * an empty Secretary means the only active secretary in Staff, and the director is the
 * only active director (domain.md: one center, one director).
 */
import type { Card, Role, StaffMember } from "./model";
import type { ChargeRole } from "./rules/penalties";
import { roleKeyOf } from "./routes/roles";

/** The names of the active people holding any of `roles`, in Staff order. */
export function activeWithRole(staff: readonly StaffMember[], ...roles: Role[]): string[] {
  return staff.filter((s) => s.active && s.role !== undefined && roles.includes(s.role)).map((s) => s.name);
}

/** The only active person with `role`, or undefined when there is none or more than one. */
export function onlyActive(staff: readonly StaffMember[], role: Role): string | undefined {
  const hits = activeWithRole(staff, role);
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * The roles personOnCard reads from the card's own cells; for the others the answer comes from
 * Staff alone (the secretary: when the card names none), the same for every card.
 */
export const CARD_ROLES: ReadonlySet<string> = new Set(["Initiator", "AE", "Planner", "Reviewer", "Manager", "Assistant Manager"]);

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
      const hits = staff.filter((s) => s.active && s.customRole !== undefined && roleKeyOf(s.customRole) === roleKeyOf(role));
      return hits.length === 1 ? hits[0].name : undefined;
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
