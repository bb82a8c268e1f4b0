/**
 * One card's route as the actions and the pane need it, in one call: the steps it goes through
 * (the route its log recorded for the steps it has passed, the Routes rows for the rest), who
 * signed what, the step it is at and since when, whom it waits for, and the note the log should
 * get when the route starts or changes ("the log says which route a card followed").
 */
import type { Card, LogEntry, StaffMember } from "../model";
import { effectiveLog } from "../workflow/chain";
import { actionOf } from "../workflow/words";
import { routeSignatures } from "./escalation";
import {
  RouteProgress,
  RouteStep,
  StepState,
  holdersOf,
  parseRouteNote,
  routeFor,
  routeNote,
  routeProgress,
  typeKey,
  withFollowed,
} from "./routes";

export interface CardRoute {
  type: string;
  steps: RouteStep[];
  progress: RouteProgress;
  /** The step the card waits for; undefined when every step is signed. */
  current?: StepState;
  /** Who may sign it now (before AB-role backups). */
  waitingFor: string[];
  /** The log note for the route as it now stands (`路线 客户活动：1 经理/经理助理 → …`). */
  note: string;
  /** True when the log has no note for this route yet (it started, or its rows changed since): write `note` with the next action. */
  noteDue: boolean;
}

/**
 * When the card's route (its current round) started: the brief that began it — after a return
 * (退回需求单) the route waits for the new brief and starts from it at its first step, the returned
 * round's signatures gone (core/workflow/chain `signatures`). Undefined while a returned card
 * waits for its new brief: no step is due, nothing is late or escalated. A card whose log holds
 * no brief or return (typed in by hand) starts at its Brief, else its Received.
 */
export function routeStart(card: Card, log: readonly LogEntry[]): number | undefined {
  let last: { returned: boolean; time?: number } | undefined;
  for (const e of effectiveLog(card.cardNo, log)) {
    const a = actionOf(e);
    if (a === "brief") last = { returned: false, time: e.time };
    else if (a === "return") last = { returned: true, time: e.time };
  }
  if (!last) return card.brief ?? card.received;
  if (last.returned) return card.brief !== undefined && last.time !== undefined && card.brief > last.time ? card.brief : undefined;
  return last.time ?? card.brief;
}

export function cardRoute(
  card: Card,
  ctx: { routes: readonly RouteStep[]; log: readonly LogEntry[]; staff: readonly StaffMember[] },
  lang: "zh" | "en" = "zh",
): CardRoute {
  const type = typeKey(card.type);
  const start = routeStart(card, ctx.log);
  const signatures = routeSignatures(card, ctx.log);
  const current = routeFor(card, ctx.routes);
  let recorded: string | undefined;
  let followed: RouteStep[] | undefined;
  for (const e of effectiveLog(card.cardNo, ctx.log)) {
    const r = parseRouteNote(e.note);
    if (r && r.type === type) {
      followed = r.steps;
      recorded = e.note;
    }
  }
  const steps = followed ? withFollowed(followed, current, signatures, start) : current;
  const progress = routeProgress(steps, signatures, start);
  const at = progress.steps[progress.current];
  // The note and whether the log needs it are asked only when an action is written, whom the step waits for by few: worked out then, once.
  let note: string | undefined;
  let noteDue: boolean | undefined;
  let waitingFor: string[] | undefined;
  const noteOf = (): string => (note ??= routeNote(type, steps, lang));
  const same = (a: string | undefined) =>
    a !== undefined && parseRouteNote(a) !== undefined && JSON.stringify(parseRouteNote(a)) === JSON.stringify(parseRouteNote(noteOf()));
  return {
    type,
    steps,
    progress,
    current: at,
    get waitingFor(): string[] {
      return (waitingFor ??= at ? [...new Set(at.missing.flatMap((r) => holdersOf(r, card, ctx.staff)))] : []);
    },
    get note(): string {
      return noteOf();
    },
    get noteDue(): boolean {
      return (noteDue ??= !same(recorded));
    },
  };
}
