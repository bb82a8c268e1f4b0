/**
 * What the custom functions compute with: the business calendar (official days, the
 * workbook's Calendar table, working hours from Settings), the office's time zone for
 * "now", and the language of error messages.
 *
 * Two ways to supply it:
 *
 * - **pinned** (`configureFunctions`): Node, the tests, the bench and the workbench set it
 *   outright; the functions then compute at once and return plain values. Until anything
 *   is set, the defaults of domain.md apply (Node only, see below).
 * - **from the workbook** (`useWorkbookConfig`): in Excel the shared runtime starts when a
 *   custom function first calculates, before anything has read the workbook (Microsoft,
 *   "Runtimes in Office Add-ins": the shared runtime "starts when ... the custom function
 *   calculates"). The first call starts one load (cached); every call returns a promise that
 *   settles with results computed once the workbook's Calendar, Settings and time zone are
 *   in. `reloadWorkbookConfig()` drops the cache after the tables changed, so later calls wait
 *   for the new load. A load that fails gives every cell an error with its message, never a
 *   default-calendar value.
 *
 * In Excel (where `CustomFunctions` exists) nothing is computed with the defaults: a call
 * made before the runtime page has installed its loader waits for it.
 */
import { BusinessCalendar, DEFAULT_TIME_ZONE } from "../core/calendar";

export type Lang = "zh" | "en";

export interface FunctionsConfig {
  calendar: BusinessCalendar;
  timeZone: string;
  lang: Lang;
  /** The instant used for "now" (ms since 1970); tests pin it, Excel uses the real clock. */
  nowMs?: () => number;
}

/** Why the workbook's configuration is not available: shown in every PLAN cell meanwhile. */
export class ConfigUnavailable extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly lang: Lang = "en",
  ) {
    super(en);
  }
}

export type ConfigLoader = () => Promise<FunctionsConfig>;

let active: FunctionsConfig | undefined;
let pinned = false;
let loader: ConfigLoader | undefined;
let loading: Promise<FunctionsConfig> | undefined;
/** The last configuration loaded from the workbook, for callers that only read it (never for results). */
let loaded: FunctionsConfig | undefined;
let loaderWaiters: (() => void)[] = [];
/** The language of messages while no configuration is loaded (the runtime knows Office's display language). */
let messageLang: () => Lang = () => "en";

/** How long a call made in Excel waits for the runtime page to install its loader. */
export const LOADER_WAIT_MS = 60_000;

const inExcel = (): boolean => typeof CustomFunctions !== "undefined";

/** The pinned configuration (the defaults until one is set). */
export function functionsConfig(): FunctionsConfig {
  if (!active) active = { calendar: new BusinessCalendar(), timeZone: DEFAULT_TIME_ZONE, lang: "en" };
  return active;
}

/** Pins the configuration (Node, tests, workbench): the functions compute at once with it; a workbook loader is dropped. */
export function configureFunctions(config: Partial<FunctionsConfig>): void {
  active = { ...functionsConfig(), ...config };
  pinned = true;
  loader = undefined;
  loading = undefined;
}

/**
 * The shared runtime's way: the functions wait for `load` (started by the first call, then
 * cached). Installing a loader un-pins any configuration set before.
 */
export function useWorkbookConfig(load: ConfigLoader, lang?: () => Lang): void {
  loader = load;
  if (lang) messageLang = lang;
  loading = undefined;
  loaded = undefined;
  pinned = false;
  active = undefined;
  const waiters = loaderWaiters;
  loaderWaiters = [];
  for (const w of waiters) w();
}

/** As at start-up: nothing pinned, no loader (in Excel, calls then wait for a loader). */
export function resetFunctionsConfig(): void {
  active = undefined;
  pinned = false;
  loader = undefined;
  loading = undefined;
  loaded = undefined;
}

/** After the Calendar or Settings changed: the next call (or `workbookConfig()`) loads them again. */
export function reloadWorkbookConfig(): void {
  loading = undefined;
}

/** The workbook's configuration, loading it if needed (one load shared by every caller). */
export function workbookConfig(): Promise<FunctionsConfig> {
  if (!loader) {
    if (pinned || !inExcel()) return Promise.resolve(functionsConfig());
    // In Excel, before the runtime page installed its loader: wait for it, never use defaults.
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        loaderWaiters = loaderWaiters.filter((w) => w !== done);
        reject(
          new ConfigUnavailable(
            "策划台的运行时没有启动：请打开策划台窗格",
            "Planning Desk's runtime did not start: open the Planning Desk pane",
            messageLang(),
          ),
        );
      }, LOADER_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      loaderWaiters.push(done);
    }).then(() => workbookConfig());
  }
  if (!loading) {
    // One load for every caller. A failed load is kept too (every cell says why, and a storm
    // of reads is avoided); the change that fixes the tables calls reloadWorkbookConfig().
    const mine = loader().then((cfg) => {
      if (loading === mine) loaded = cfg;
      return cfg;
    });
    loading = mine;
  }
  return loading;
}

/** The configuration the last completed workbook load gave, if any (for display only). */
export function lastWorkbookConfig(): FunctionsConfig | undefined {
  return loaded;
}

/**
 * Runs `compute` with the configuration the functions must use: at once with a pinned one
 * (a plain value), else once the workbook's is loaded (a promise). When it cannot be loaded,
 * `unavailable` gives the result instead (an error in every cell, with the reason).
 */
export function withFunctionsConfig<T>(
  compute: (config: FunctionsConfig) => T,
  unavailable: (why: ConfigUnavailable) => T,
): T | Promise<T> {
  if (!loader && (pinned || !inExcel())) return compute(functionsConfig());
  return workbookConfig().then(compute, (e: unknown) => {
    if (e instanceof ConfigUnavailable) return unavailable(e);
    const message = e instanceof Error ? e.message : String(e);
    return unavailable(
      new ConfigUnavailable(
        `无法读取工作簿的日历和设置：${message}`,
        `the workbook's Calendar and Settings could not be read: ${message}`,
        messageLang(),
      ),
    );
  });
}
