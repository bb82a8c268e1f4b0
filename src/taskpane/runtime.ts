/**
 * The shared runtime's link between the workbook and the custom functions.
 *
 * In Excel the shared runtime starts when a custom function first calculates, whether or not
 * the pane was ever opened (Microsoft, "Runtimes in Office Add-ins",
 * https://learn.microsoft.com/office/dev/add-ins/testing/runtimes#shared-runtime). So the
 * functions do not wait for the pane: `WorkbookFunctions.start()` (called when the runtime's
 * page loads) hands them a loader; the first PLAN call starts it — one read of the workbook
 * through the Office.js adapter (OfficeWorkbook: one `Excel.run`, one sync on the normal
 * path), parsed by the workbook reader (readWorkbook, calendarOf) — and every PLAN call
 * settles once it is in (src/functions/config.ts).
 *
 * When the Calendar or Settings tables change — by this user or a co-author — the
 * configuration is read again and every formula is recalculated:
 *
 * - the change is seen by `WorksheetCollection.onChanged` (ExcelApi 1.9,
 *   https://learn.microsoft.com/javascript/api/excel/excel.worksheetcollection#excel-excel-worksheetcollection-onchanged-member),
 *   filtered to the worksheets that hold the two tables (every worksheet while one of them
 *   is missing, so that setting the workbook up is seen); where only ExcelApi 1.7 is there,
 *   `Worksheet.onChanged` on those worksheets
 *   (https://learn.microsoft.com/javascript/api/excel/excel.worksheet#excel-excel-worksheet-onchanged-member);
 * - the recalculation is `Range.calculate()` (ExcelApi 1.6,
 *   https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-calculate-member(1))
 *   on the used range of each of this workbook's sheets, in one batch — never
 *   `Application.calculate(full)`, which recalculates every open workbook (the whole
 *   application), for a change that concerns this workbook's PLAN formulas only;
 * - and only when what the functions compute with changed: each change event reads Calendar
 *   and Settings again (only those two tables: a small read however big the Register is) and
 *   compares them with the last load. An edit elsewhere — every edit, while a table is missing
 *   and every sheet is watched — costs that small read and no recalculation (no storm).
 *
 * The change handler is registered when the runtime page starts (`start()`), never while a PLAN
 * formula is being calculated; at ExcelApi 1.7–1.8 (per-sheet events need the sheets' names) it
 * is registered after the first load, outside the calculation that started it.
 *
 * A Calendar or Settings table with an error (a bad date, a missing or doubled column) is not
 * computed with: every PLAN cell shows #N/A with the cells to fix, until they are fixed.
 */
import {
  ConfigUnavailable,
  FunctionsConfig,
  Lang,
  configureFunctions,
  reloadWorkbookConfig,
  useWorkbookConfig,
  workbookConfig,
} from "../functions/config";
import { calendarOf } from "../workbook/calendar";
import { ExcelRun, OfficeWorkbook } from "../workbook/office";
import type { Snapshot, WorkbookPort } from "../workbook/port";
import { readWorkbook, WorkbookModel } from "../workbook/read";

/** Kept for callers that configure the functions once from a port (pinned, no reloads). */
export async function configureFromWorkbook(port: WorkbookPort, lang: Lang): Promise<WorkbookModel> {
  const { model } = readWorkbook(await port.read());
  configureFunctions({ calendar: calendarOf(model), timeZone: model.settings.timeZone, lang });
  return model;
}

const CALENDAR = "Calendar";
const SETTINGS = "Settings";

export interface WorkbookFunctionsHost {
  /** `Excel.run`. */
  run: ExcelRun;
  /** `Office.context.requirements.isSetSupported`. */
  isSetSupported: (name: string, version: string) => boolean;
  /** Office's display language (messages follow the Settings' language when it is not "auto"). */
  displayLang: () => Lang;
  /** Resolves when Office.js is ready (`Office.onReady()`); nothing touches the workbook before. */
  ready?: () => Promise<unknown>;
  /** Reports a failure of the background work (a reload or a recalculation). */
  warn?: (message: string, error: unknown) => void;
}

type ChangeEvent = { worksheetId: string };

export class WorkbookFunctions {
  private readonly port: OfficeWorkbook;
  /** Names of the worksheets whose changes matter; undefined: every worksheet (a table is missing). */
  private watched: Set<string> | undefined;
  /** Worksheet id → name, filled as events arrive; cleared at each load (a sheet may have been renamed). */
  private sheetNames = new Map<string, string>();
  private registered = false;
  /** Calendar and Settings as the last load read them (JSON): a change that leaves them alike recalculates nothing. */
  private loadedPrint: string | undefined;
  /** The workbook's sheets at the last load (recalculated one by one). */
  private sheets: string[] = [];
  /** Resolves once the change handler is registered (or could not be). */
  started: Promise<void> = Promise.resolve();
  private refreshing: Promise<void> | undefined;
  private again = false;
  /** Counts, for tests and diagnostics. */
  readonly stats = { loads: 0, recalculations: 0 };

  constructor(private readonly host: WorkbookFunctionsHost) {
    this.port = new OfficeWorkbook(host.run, host.isSetSupported);
  }

  /** Hands the functions this workbook's configuration (they wait for its first load, started by the first call) and registers the change handler. */
  start(): Promise<void> {
    useWorkbookConfig(
      () => this.load(),
      () => this.host.displayLang(),
    );
    this.started = (async () => {
      await this.host.ready?.();
      if (this.host.isSetSupported("ExcelApi", "1.9")) await this.registerSafely();
    })();
    return this.started;
  }

  private async registerSafely(): Promise<void> {
    try {
      await this.register();
    } catch (err) {
      this.host.warn?.(
        "Planning Desk: no change event for the Calendar and Settings tables; edit a PLAN formula's cell to recalculate it.",
        err,
      );
    }
  }

  /** Reads Calendar, Settings and the time zone once; registers the change handler the first time. */
  async load(): Promise<FunctionsConfig> {
    await this.host.ready?.();
    this.stats.loads++;
    let snapshot: Snapshot;
    try {
      // Calendar and Settings only (and no custom XML parts): what the functions compute with.
      snapshot = await this.port.read({ tables: [CALENDAR, SETTINGS] });
    } catch (err) {
      this.loadedPrint = `unreadable: ${err instanceof Error ? err.message : String(err)}`;
      throw err;
    }
    this.sheets = snapshot.sheetNames;
    this.loadedPrint = JSON.stringify([...snapshot.tables.values()].map((t) => [t.name, t.sheet, t.headers, t.rows]));
    const { model, findings } = readWorkbook(snapshot);
    const lang = model.settings.lang === "zh" || model.settings.lang === "en" ? model.settings.lang : this.host.displayLang();
    const broken = findings.filter((f) => f.severity === "error" && (f.table === CALENDAR || f.table === SETTINGS));
    const calendar = model.tables.get(CALENDAR);
    const settings = model.tables.get(SETTINGS);
    this.watched = calendar && settings ? new Set([calendar.raw.sheet.toLowerCase(), settings.raw.sheet.toLowerCase()]) : undefined;
    this.sheetNames.clear();
    // Per-sheet events (1.7–1.8) need the watched sheets: registered after this load, outside the calculation that asked for it.
    if (!this.registered && !this.host.isSetSupported("ExcelApi", "1.9")) setTimeout(() => void this.registerSafely(), 0);
    if (broken.length) {
      const list = (key: "zh" | "en") =>
        broken
          .slice(0, 3)
          .map((f) => f[key])
          .join("; ") + (broken.length > 3 ? ` (+${broken.length - 3})` : "");
      throw new ConfigUnavailable(
        `日历或设置表有错误，先改正：${list("zh")}`,
        `the Calendar or Settings table has errors; fix them first: ${list("en")}`,
        lang,
      );
    }
    return { calendar: calendarOf(model), timeZone: model.settings.timeZone, lang };
  }

  /** The change handler, once: WorksheetCollection.onChanged (ExcelApi 1.9), else Worksheet.onChanged (1.7) on the watched sheets. */
  private async register(): Promise<void> {
    if (this.registered) return;
    const onChange = (e: ChangeEvent) => this.onChanged(e);
    if (this.host.isSetSupported("ExcelApi", "1.9")) {
      await this.host.run(async (context) => {
        context.workbook.worksheets.onChanged.add(async (e) => onChange(e));
        await context.sync();
      });
      this.registered = true;
      return;
    }
    if (this.host.isSetSupported("ExcelApi", "1.7") && this.watched) {
      const names = [...this.watched];
      await this.host.run(async (context) => {
        for (const name of names) context.workbook.worksheets.getItem(name).onChanged.add(async (e) => onChange(e));
        await context.sync();
      });
      this.registered = true;
    }
  }

  private async sheetName(worksheetId: string): Promise<string> {
    let name = this.sheetNames.get(worksheetId);
    if (name === undefined) {
      name = await this.host.run(async (context) => {
        const ws = context.workbook.worksheets.getItem(worksheetId).load("name");
        await context.sync();
        return ws.name;
      });
      this.sheetNames.set(worksheetId, name);
    }
    return name;
  }

  private async onChanged(e: ChangeEvent): Promise<void> {
    try {
      if (this.watched && !this.watched.has((await this.sheetName(e.worksheetId)).toLowerCase())) return;
    } catch (err) {
      this.host.warn?.("Planning Desk: a changed worksheet could not be named; reloading the calendar to be safe.", err);
    }
    await this.refresh();
  }

  /**
   * Reads Calendar and Settings again, then recalculates every formula. Changes that arrive
   * meanwhile are coalesced into one more round. Resolves when the workbook is recalculated.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    const round = async (): Promise<void> => {
      do {
        this.again = false;
        const before = this.loadedPrint;
        reloadWorkbookConfig();
        try {
          await workbookConfig();
        } catch {
          // The functions show why in their cells; recalculating makes them say so.
        }
        // Nothing the functions compute with changed (an edit elsewhere): no recalculation.
        if (this.loadedPrint !== before || before === undefined) await this.recalculate();
      } while (this.again);
    };
    this.refreshing = round()
      .catch((err) =>
        this.host.warn?.("Planning Desk: the formulas could not be recalculated after the Calendar or Settings changed.", err),
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /**
   * Recalculates this workbook's sheets (Range.calculate on each used range, ExcelApi 1.6), one
   * batch; a sheet renamed or deleted since the last load makes it list the sheets and try once more.
   */
  private async recalculate(): Promise<void> {
    const batch = (names: string[]) =>
      this.host.run(async (context) => {
        for (const name of names) context.workbook.worksheets.getItem(name).getUsedRange().calculate();
        await context.sync();
      });
    try {
      await batch(this.sheets);
    } catch {
      const names = await this.host.run(async (context) => {
        const sheets = context.workbook.worksheets.load("items/name");
        await context.sync();
        return sheets.items.map((s) => s.name);
      });
      await batch(names);
    }
    this.stats.recalculations++;
  }
}

/**
 * The pane's refresh on a co-author's change: `WorksheetCollection.onChanged` with its
 * `source` needs ExcelApi 1.9 (the collection-level event; `Worksheet.onChanged` is 1.7,
 * https://learn.microsoft.com/javascript/api/excel/excel.worksheetcollection#excel-excel-worksheetcollection-onchanged-member).
 * Without it the pane refreshes when its window gets the focus.
 */
export async function watchRemoteChanges(
  run: ExcelRun,
  isSetSupported: (name: string, version: string) => boolean,
  callback: () => void,
  onFocus: (callback: () => void) => void,
): Promise<"event" | "focus"> {
  if (!isSetSupported("ExcelApi", "1.9")) {
    onFocus(callback);
    return "focus";
  }
  await run(async (context) => {
    context.workbook.worksheets.onChanged.add(async (event) => {
      if (event.source === "Remote") callback();
    });
    await context.sync();
  });
  return "event";
}
