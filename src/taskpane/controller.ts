/**
 * The pane's one state and its controller: who I am, the view, what the workbook holds (one
 * read, derived once), what is typed in the forms (kept until an action succeeds), the
 * message of the last piece of work and the control that started it, and what is running.
 *
 * Every read and write goes through the workbook port: one read to show, and per action a
 * validation on what the pane holds (the reader's own rules, src/workbook/validate.ts), then
 * one read and one write (src/workbook/actions.ts).
 */
import { wallClockSerial, withoutSeconds } from "../core/calendar";
import type { Card } from "../core/model";
import type { ActionDef, ActionId, ActionInput, Context } from "../core/workflow/actions";
import { AccountMismatch, personOfAccount } from "../core/workflow/account";
import { nextSteps } from "../core/workflow/inbox";
import type { LogBreak } from "../core/workflow/log";
import { CardVersion, accountMismatchesOf, performAction, verifyWorkbookLog, versionOf } from "../workbook/actions";
import type { SHORT_NAMES } from "../workbook/names";
import { Snapshot, WorkbookPort, columnLetter } from "../workbook/port";
import type { SelfTestReport } from "../workbook/selftest";
import { Finding, ReadResult, WorkbookModel, readWorkbook } from "../workbook/read";
import type { MonthReport } from "../workbook/report";
import { validateAction } from "../workbook/validate";
import { AccountLookup, NO_ACCOUNT } from "./account";
import { Derived } from "./derive";
import { doneText } from "./done";

export type Lang = "zh" | "en";
export type Text = { zh: string; en: string };
export type View = "mine" | "all" | "card" | "new" | "month" | "problems" | "settings";
export type CardTab = "next" | "facts" | "log";
export type InboxTab = "todo" | "done" | "started" | "copied";
export const VIEWS: readonly View[] = ["mine", "all", "card", "new", "month", "problems", "settings"];

export interface PaneHost {
  port: WorkbookPort;
  displayLanguage?: string;
  /** Milliseconds since the epoch (the workbench may fix the clock); default Date.now. */
  clock?: () => number;
  storage?: Pick<Storage, "getItem" | "setItem">;
  /** Calls back when a co-author changes the workbook. */
  onRemoteChange?: (callback: () => void) => void;
  /** Adds workbook names (Office.js); absent where names cannot be added. */
  addNames?: (defs: typeof SHORT_NAMES) => Promise<{ added: string[]; kept: string[] }>;
  /** The view shown first (default My work). */
  view?: View;
  /** "Check this Excel": runs the self-test (src/workbook/selftest.ts) on this Excel; absent where there is no Excel to check. */
  selfTest?: () => Promise<SelfTestReport>;
  /** Puts text on the clipboard (default: navigator.clipboard). */
  copyText?: (text: string) => Promise<void>;
  /** The account signed in to Office (account.ts `signedInAccount`; the workbench: `?account=`); absent: none here. */
  account?: () => Promise<AccountLookup>;
}

export interface Message {
  kind: "ok" | "error" | "warning";
  text: Text;
  details?: Text[];
  /** The id of the control whose work this is: the message is shown beside it and focus returns to it. */
  anchor?: string;
  /** Shown for the first time: scroll it into view and move focus. */
  fresh?: boolean;
  /** A form with several bad fields: the errors of the fields after the first (the anchor), each shown beside its own field. */
  fields?: FieldError[];
}

/** An error of one field of a form: its control's id and what is wrong. */
export interface FieldError {
  id: string;
  text: Text;
}

export function langOf(displayLanguage: string | undefined): Lang {
  return displayLanguage && !displayLanguage.toLowerCase().startsWith("zh") ? "en" : "zh";
}

/** What was typed in the pane's fields, by control id, within a scope (the card shown, or none). */
export class Drafts {
  private readonly typed = new Map<string, string>();
  constructor(private readonly scope: () => string | undefined) {}
  private key(id: string): string {
    const s = this.scope();
    return s === undefined ? `\u0000${id}` : `${s}\u0000${id}`;
  }
  get(id: string): string | undefined {
    return this.typed.get(this.key(id));
  }
  has(id: string): boolean {
    return this.typed.has(this.key(id));
  }
  set(id: string, value: string): void {
    this.typed.set(this.key(id), value);
  }
  /** Drops what was typed in the fields whose id starts with `prefix`, in the scope of now. */
  clear(prefix: string): void {
    const k = this.key(prefix);
    for (const t of [...this.typed.keys()]) if (t.startsWith(k)) this.typed.delete(t);
  }
}

const ME_KEY = "planning-desk.me";
const LANG_KEY = "planning-desk.lang";
export const PAGE = 100;

/** Minutes after which a view opened works out again what is late and due (Controller.catchUp). */
export const CATCH_UP_MINUTES = 5;

export class Controller {
  lang: Lang;
  me: string;
  view: View;
  /** The card shown (its entry key). */
  cardKey: string | undefined;
  read: ReadResult | undefined;
  d: Derived | undefined;
  /** Sheet names of the last read (the KPI sheet of a month written before). */
  sheetNames: string[] = [];
  message: Message | undefined;
  /** The id of the control whose work is running; nothing else starts meanwhile. */
  busy: string | undefined;
  filter = { stage: "", text: "", due: "", person: "", shown: PAGE };
  /** The card's tab: what is mine now (下一步), its facts (详情), its timeline (记录). */
  cardTab: CardTab = "next";
  /** The card's 更多 is open. */
  moreOpen = false;
  /** The list a card was opened from (← goes back there, and so does Escape). */
  back: View = "mine";
  /** My work's list: 待我处理, 我已处理, 我发起的, 抄送我. */
  inboxTab: InboxTab = "todo";
  /** A card was just opened: its heading takes the focus. */
  focusHeading = false;
  /** The action a card was opened for (a row of 待我处理: 完成里程碑): first in its 下一步. */
  openOn: ActionId | undefined;
  month: string | undefined;
  preview: MonthReport | undefined;
  /** The month this view has just written: writing it again does not ask (it replaces only what that write wrote); cleared when the view is left. */
  justWrote: string | undefined;
  /** Month end: the trigger whose 有正当理由 form is open. */
  excusing: string | undefined;
  /** Month end asks before writing over a month already written. */
  confirmMonth = false;
  /** Verify log was pressed: its report is shown, and follows every read of the workbook. */
  chainShown = false;
  /** The last "Check this Excel" report. */
  selfTest: SelfTestReport | undefined;
  /** The last snapshot read (the log's anchor lives outside the cells). */
  snapshot: Snapshot | undefined;
  /**
   * The last snapshot's checks not worked out yet (the log's hash chain, the accounts): a read is
   * drawn first and checked just after (scheduleChecks), or at once when something asks for them.
   */
  private pendingChecks: { snapshot: Snapshot; model: WorkbookModel } | undefined;
  private breaks: LogBreak[] = [];
  private accounts: AccountMismatch[] = [];
  /** The Countersign Log's breaks in the last snapshot, each with its sheet row (src/workbook/actions.ts verifyWorkbookLog). */
  get logBreaks(): LogBreak[] {
    this.runChecks();
    return this.breaks;
  }
  /** The breaks as last worked out, without working them out (the 问题 badge: it follows once the checks have run). */
  get logBreaksSoFar(): readonly LogBreak[] {
    return this.breaks;
  }
  /** The signed-in account, asked of Office once with the first read; undefined until then. */
  signedIn: AccountLookup | undefined;
  /** The log rows whose account is not their actor's, in the last snapshot (accountMismatchesOf). */
  get accountRows(): AccountMismatch[] {
    this.runChecks();
    return this.accounts;
  }
  /** The account's person was pre-selected under "I am" (once: after that the choice is the user's). */
  private preselected = false;
  /**
   * What is typed in the forms, by control id: kept through refusals and re-renders, dropped when the action is done.
   * A card's forms keep theirs per card: a lead chosen or an opinion typed on one card never shows on another.
   */
  readonly drafts = new Drafts(() => (this.view === "card" ? this.cardKey : undefined));
  /** What the card looked like when shown (co-authoring: an action is refused if it changed). */
  seen: CardVersion | undefined;
  /** Resolves when the pane has finished what it is doing (for tests and the workbench). */
  idle: Promise<void> = Promise.resolve();
  /** Called once an action is written (a list's one-tap approval keeps its row in place). */
  onDone: ((cardNo: string) => void) | undefined;
  /** Cards approved from 待我处理 with one tap: shown in place, with their result, until the list is left. */
  readonly quickDone = new Map<string, number>();
  /** My work: how many rows each group of the open tab shows beyond its first page (views/mine.ts), until the tab changes. */
  readonly inboxShown = new Map<string, number>();
  /** Draws the pane again (set by the Pane). */
  render: () => void = () => undefined;

  constructor(readonly host: PaneHost) {
    const stored = host.storage?.getItem(LANG_KEY);
    this.lang = stored === "zh" || stored === "en" ? stored : langOf(host.displayLanguage);
    this.me = host.storage?.getItem(ME_KEY) ?? "";
    this.view = host.view ?? "mine";
  }

  t(zh: string, en: string): string {
    return this.lang === "zh" ? zh : en;
  }
  /** A text in the pane's language, with times as Excel shows them (no seconds). */
  tx(text: Text): string {
    return withoutSeconds(text[this.lang]);
  }

  now(): number {
    return wallClockSerial(this.read?.model.settings.timeZone, (this.host.clock ?? Date.now)());
  }

  /**
   * The pane stays open all day in Excel, and between two reads the time moves on: what was due
   * today is late by the afternoon. Once `stale` minutes have passed since the last derivation,
   * everything shown is worked out again from the same read at the new time (no round trip).
   * True when it was.
   */
  catchUp(stale = CATCH_UP_MINUTES): boolean {
    if (!this.read || !this.d || this.busy) return false;
    const now = this.now();
    if (now - this.d.now < stale / 1440 - 1e-9) return false;
    this.d = new Derived(this.read, now);
    return true;
  }

  setMe(name: string): void {
    this.catchUp();
    this.me = name;
    this.message = undefined; // the last person's result is not the next one's
    this.quickDone.clear();
    this.inboxShown.clear();
    this.host.storage?.setItem(ME_KEY, name);
    this.render();
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.host.storage?.setItem(LANG_KEY, lang);
    this.render();
  }

  go(view: View, cardKey?: string, openOn?: ActionId): void {
    this.catchUp();
    if (view === "card") this.openOn = openOn;
    if (view === "card" && this.view !== "card") {
      this.back = this.view;
      this.focusHeading = true;
    }
    if (view === "card" && cardKey !== this.cardKey) {
      this.cardTab = "next";
      this.moreOpen = false;
      this.focusHeading = true;
    }
    this.view = view;
    if (view === "problems") this.runChecks(); // its badge and its report, in the same drawing
    this.message = undefined;
    this.quickDone.clear();
    this.confirmMonth = false;
    this.justWrote = undefined;
    this.excusing = undefined;
    if (cardKey) {
      this.cardKey = cardKey;
      this.seen = this.read && versionOf(this.read.model, this.d?.byKey.get(cardKey)?.card.cardNo ?? cardKey);
    }
    this.render();
  }

  draft(id: string, fallback = ""): string {
    return this.drafts.get(id) ?? fallback;
  }
  clearDrafts(prefix: string): void {
    this.drafts.clear(prefix);
  }

  /** Takes a read of the workbook: everything the views show is derived here, once. */
  adopt(read: ReadResult, snapshot?: Snapshot): void {
    this.read = read;
    if (snapshot) {
      this.sheetNames = snapshot.sheetNames;
      this.snapshot = snapshot;
      this.pendingChecks = { snapshot, model: read.model };
      // 问题 shows them: worked out now; any other view is drawn first, and they follow.
      if (this.view === "problems") this.runChecks();
      else this.scheduleChecks();
    }
    this.preselect();
    mark("pd-checks");
    this.d = new Derived(read, this.now());
    mark("pd-derive", "pd-checks");
    if (this.view === "card" && this.cardKey)
      this.seen = versionOf(read.model, this.d.byKey.get(this.cardKey)?.card.cardNo ?? this.cardKey);
  }

  /** Works out the last snapshot's checks if they are not yet; true when it did. */
  runChecks(): boolean {
    const p = this.pendingChecks;
    if (!p) return false;
    this.pendingChecks = undefined;
    mark("pd-log-checks");
    this.breaks = verifyWorkbookLog(p.snapshot, p.model);
    this.accounts = accountMismatchesOf(p.snapshot, p.model);
    mark("pd-log-checked", "pd-log-checks");
    return true;
  }

  /**
   * The checks just after the read is drawn (a task after this one: the view is painted first),
   * then the pane drawn again if they change what it shows (the 问题 badge). `idle` waits for them.
   */
  private scheduleChecks(): void {
    const before = this.breaks.length;
    const job = afterPaint().then(() => {
      if (this.runChecks() && (this.breaks.length !== before || this.view === "problems")) this.render();
    });
    this.alsoWaitFor(job);
  }

  /**
   * My work's backup group (the steps of colleagues at work whom I back up: most of a planner's
   * cards when he backs up another), worked out just after My work is painted, then drawn again.
   * Called after each draw of My work; `idle` waits for it.
   */
  scheduleCover(): void {
    const d = this.d;
    const me = this.me;
    if (!d || !me || !d.inbox(me).coverLater) return;
    const job = afterPaint().then(() => {
      // Only for the read and person still shown on 待我处理 (another read, person or tab schedules its own when drawn);
      // once (a second job finds it done); drawn again when there is a backup group to show, or when
      // nothing else was (the list said 正在整理…, which must give way to "no cards").
      if (this.d !== d || this.me !== me || this.view !== "mine" || this.inboxTab !== "todo") return;
      const hinted = d.inbox(me).todo.length === 0;
      if (d.finishCover(me) || hinted) this.render();
    });
    this.alsoWaitFor(job);
  }

  private askAccount(): Promise<AccountLookup> {
    const none: AccountLookup = { account: undefined, reason: NO_ACCOUNT };
    return this.host.account ? this.host.account().catch(() => none) : Promise.resolve(none);
  }

  /** The Staff person (active) whose Account is the signed-in account, if any. */
  accountPerson(): string | undefined {
    const account = this.signedIn?.account;
    const staff = this.read?.model.staff.filter((s) => s.active) ?? [];
    return account === undefined ? undefined : personOfAccount(staff, account)?.name;
  }

  /** Pre-selects, once, the person whose Staff row carries the signed-in account under "I am". */
  private preselect(): void {
    if (this.preselected || !this.signedIn || !this.read) return;
    this.preselected = true;
    const person = this.accountPerson();
    if (person && person !== this.me) {
      this.me = person;
      this.host.storage?.setItem(ME_KEY, person);
    }
  }

  ctxFor(card: Card | undefined): Context {
    const m = this.read!.model;
    return {
      staff: m.staff,
      settings: m.settings,
      revisions: card ? (this.d!.revByCard.get(card.cardNo) ?? []) : m.revisions,
      log: card ? (this.d!.logByCard.get(card.cardNo) ?? []) : m.log,
      now: this.d?.now ?? this.now(),
      routes: m.routes,
      deadlines: m.deadlines,
    };
  }

  /**
   * Runs one piece of work started by the control `anchor`: the control shows it is working and
   * nothing else starts until it ends; a failure becomes a message beside the control.
   */
  run(anchor: string | undefined, failed: Text, work: () => Promise<void>): Promise<void> {
    if (this.busy) return this.idle;
    this.busy = anchor ?? "pd-body";
    markBusy(anchor, this.t("正在处理…", "Working…"));
    const done = (async () => {
      try {
        await work();
      } catch (e) {
        const why = (e as Error).message;
        this.message = { kind: "error", text: { zh: `${failed.zh}：${why}`, en: `${failed.en}: ${why}` }, anchor, fresh: true };
      } finally {
        this.busy = undefined;
      }
      this.render();
    })();
    // What was scheduled after an earlier draw (the log's checks, the backup group) is waited for too.
    this.alsoWaitFor(done);
    return this.idle;
  }

  /** `idle` resolves only once `job` has too (work scheduled for after a paint, an action). */
  private alsoWaitFor(job: Promise<void>): void {
    this.idle = Promise.all([this.idle, job]).then(() => undefined);
  }

  /** Reads the workbook (one round trip) and shows it. */
  /** Reads the workbook again; `full`: the whole log too, not only its rows after the last read's (Verify log). */
  refresh(full = false): Promise<void> {
    if (this.busy) return this.idle.then(() => this.refresh(full));
    return this.run(undefined, { zh: "无法读取工作簿", en: "The workbook could not be read" }, async () => {
      mark("pd-refresh");
      // The account is asked of Office once, alongside the first read (not a workbook round trip).
      const [snapshot, signedIn] = await Promise.all([
        this.host.port.read(full ? { full: true } : undefined),
        this.signedIn ?? this.askAccount(),
      ]);
      this.signedIn = signedIn;
      mark("pd-read", "pd-refresh");
      const read = readWorkbook(snapshot);
      mark("pd-model", "pd-read");
      this.adopt(read, snapshot);
      mark("pd-adopt", "pd-model");
    });
  }

  /** Shows a refusal beside the control, keeping what was typed. */
  refuse(anchor: string, text: Text, details?: Text[]): void {
    this.message = { kind: "error", text, details, anchor, fresh: true };
    this.render();
  }

  /** Refuses a form whose fields are wrong: each error beside its field, the first field takes the focus; what was typed is kept. */
  refuseFields(errors: readonly FieldError[], details?: Text[]): void {
    const [first, ...rest] = errors;
    if (!first) return;
    this.message = { kind: "error", text: first.text, details, anchor: first.id, fields: rest, fresh: true };
    this.render();
  }

  /**
   * One action: validated first on what the pane holds (the reader's rules: nothing written is
   * ever a finding), then one read and one write. Refusals keep the form; success clears it.
   */
  act(
    def: ActionDef,
    card: Card | undefined,
    input: ActionInput,
    anchor: string,
    form: string,
    extra?: (done: Text) => Text,
    seen?: CardVersion,
  ): Promise<void> {
    if (this.busy || !this.read) return this.idle;
    const now = this.now();
    const account = this.signedIn?.account;
    const v = validateAction(this.read.model, { action: def.id, cardNo: card?.cardNo, actor: this.me, input, account }, now, this.d?.cal);
    // An error at a cell a field of this form feeds (the Due of a reply, the Received of a request): beside that field, which takes the focus.
    const fields = fieldsOfErrors(this.read.model, v.errors, form);
    if (fields.length) {
      const placed = new Set(fields.map((f) => f.finding));
      this.refuseFields(
        fields.map((f) => ({ id: f.id, text: findingText(f.finding) })),
        v.errors.filter((f) => !placed.has(f)).map(findingText),
      );
      return this.idle;
    }
    if (v.refused) {
      this.refuse(anchor, v.refused);
      return this.idle;
    }
    if (v.errors.length) {
      this.refuse(
        anchor,
        {
          zh: "未写入：写入后工作簿会出现以下错误，请先改正",
          en: "Nothing was written: the workbook would then have these errors; correct them first",
        },
        v.errors.map(findingText),
      );
      return this.idle;
    }
    return this.run(anchor, { zh: "操作失败", en: "The action failed" }, async () => {
      const r = await performAction(
        this.host.port,
        { action: def.id, cardNo: card?.cardNo, actor: this.me, input, seen: card ? (seen ?? this.seen) : undefined, account },
        now,
      );
      if (!r.ok) {
        if (r.after) this.adopt(r.after);
        this.message = { kind: "error", text: r.reason, details: r.changed, anchor, fresh: true };
        return;
      }
      this.adopt(r.after, r.snapshot);
      this.clearDrafts(form);
      this.onDone?.(r.effect.cardNo);
      if (def.id === "issue") {
        this.view = "card";
        this.cardKey = r.effect.cardNo;
        this.seen = versionOf(r.after.model, r.effect.cardNo);
      }
      // What happened in words, and whom the card waits for now ("，等待 王磊 审核通过"), then any warning; the cells behind 详情.
      const after = r.after.model.cards.find((k) => k.cardNo === r.effect.cardNo);
      // An archived card waits for no one: the sentence says it already; an excuse (month end) moves no card on.
      const next = after && def.id !== "archive" && def.id !== "excuse" ? nextSteps(after, this.ctxFor(after), this.me) : undefined;
      const done = doneText(def, r.effect, r.after.model, this.lang, r.written, next);
      const summary = done.summary;
      this.message = {
        kind: v.warnings.length || r.effect.warnings?.length ? "warning" : "ok",
        text: extra ? extra(summary) : summary,
        details: [...done.changed, ...v.warnings.map(findingText)],
        anchor: def.id === "issue" ? "pd-card-h" : anchor,
        fresh: true,
      };
    });
  }

  /** Findings shown to people: their text, times without seconds. */
  findings(): Finding[] {
    return this.read?.findings ?? [];
  }
}

export const findingText = (f: Finding): Text => ({ zh: withoutSeconds(f.zh), en: withoutSeconds(f.en) });

/** The Register column of a cell (`项目登记!G42` → "due"), when the cell is in the Register table. */
export function registerColumnAt(model: WorkbookModel, cell: string): string | undefined {
  const info = model.tables.get("Register");
  const letters = /!\$?([A-Z]+)\$?\d+$/.exec(cell)?.[1];
  if (!info || !letters) return undefined;
  for (const [key, at] of info.cols) if (columnLetter(info.raw.left + at) === letters) return key;
  return undefined;
}

/**
 * The errors the fields of the form feed, each with its field's id (one per field, in the order found). A form names its fields by
 * the Register column they write: the field for column `due` of the form `pd-reply-` is
 * `pd-reply-due`, of the new request `pd-new-` the field for `received` is `pd-new-received`.
 */
function fieldsOfErrors(model: WorkbookModel, errors: readonly Finding[], form: string): { id: string; finding: Finding }[] {
  if (typeof document === "undefined") return [];
  const out: { id: string; finding: Finding }[] = [];
  for (const f of errors) {
    if (f.table !== "Register" || !f.cell) continue;
    const key = registerColumnAt(model, f.cell);
    const el = key ? document.getElementById(`${form}${key}`) : null;
    if (el && (el.tagName === "INPUT" || el.tagName === "SELECT") && !el.hasAttribute("disabled") && !out.some((o) => o.id === el.id))
      out.push({ id: el.id, finding: f });
  }
  return out;
}

/**
 * Resolves once the browser has painted what was just drawn (the task after the next frame), or
 * after 50 ms at most (a hidden pane gets no frames); without frames (node), in the next task.
 */
export function afterPaint(): Promise<void> {
  return new Promise<void>((resolve) => {
    if (typeof requestAnimationFrame !== "function") {
      setTimeout(resolve, 0);
      return;
    }
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      resolve();
    };
    requestAnimationFrame(() => setTimeout(go, 0));
    setTimeout(go, 50);
  });
}

/**
 * A performance mark (and, with `since`, the measure from that mark to this one) for the bench's
 * breakdown of the first render (bench/pane.ts); nothing where there is no Performance API.
 */
export function mark(name: string, since?: string): void {
  if (typeof performance === "undefined" || typeof performance.mark !== "function") return;
  performance.mark(name);
  if (since) performance.measure(name, since, name);
}

/** The control that started work shows it at once, before the pane is drawn again. */
function markBusy(id: string | undefined, label: string): void {
  if (!id || typeof document === "undefined") return;
  const el = document.getElementById(id);
  if (!el) return;
  el.setAttribute("aria-busy", "true");
  el.setAttribute("disabled", "");
  el.classList.add("pd-busy");
  const text = el.querySelector(".pd-label");
  if (text) text.textContent = label;
}
