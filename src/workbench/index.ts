/**
 * The workbench: the real task pane beside a read-only view of an in-memory workbook, for
 * browsers without Office (and for the browser tests). No office.js is loaded: the pane
 * talks to the strict fake Excel through the same Office.js adapter it uses in Excel.
 *
 * Query parameters: `lang=zh|en` (the display language Office would report), `now=2026-11-02T10:00`
 * (fix the clock; `workbench.advance(minutes)` moves it on), `empty=1` (start with an empty workbook), `cards=5000` (a big Register, for
 * the first-render benchmark, written in a worker: src/workbench/setup-worker.ts; the pane starts `settle` ms after, 1000 unless given), `view=all|new|month|problems|settings` (the view shown first),
 * `account=lin.jing@example.com` (simulates the account Office would give where NestedAppAuth 1.1
 * is there, src/taskpane/account.ts; without it the workbench is like perpetual Office: none).
 * Narrower than 700 px (the pane's own width, 320 px, in the tests) the pane takes the whole
 * width and the sheets follow below it, as a task pane scrolls in Excel.
 */
import { parseDateText, toSerial } from "../core/calendar";
import { Pane, View } from "../taskpane/app";
import { registerFluent } from "../taskpane/fluent";
import { installStyles } from "../taskpane/styles";
import { signedInAccount } from "../taskpane/account";
import { demoChanges } from "../workbook/demo";
import { ExcelRun, OfficeWorkbook, ReadOptions } from "../workbook/office";
import { runSelfTest } from "../workbook/selftest";
import type { ChangeSet, WorkbookPort } from "../workbook/port";
import { FakeExcel } from "./fake-excel/api";
import { exportXlsx, importXlsx, refreshCalculated } from "./xlsx-io";
import { Recalculation, conditionalFill } from "./recalc";
import { calendarOf } from "../workbook/calendar";
import { SheetView } from "./sheets";
import type { SetupReply, SetupRequest } from "./setup-worker";
import type { WorkbookImage } from "./fake-excel/state";

const params = new URLSearchParams(location.search);
const lang = params.get("lang") === "en" ? "en" : params.get("lang") === "zh" ? "zh" : navigator.language;
const VIEW_PARAMS = ["mine", "all", "new", "month", "problems", "settings"];
const firstView = VIEW_PARAMS.includes(params.get("view") ?? "") ? (params.get("view") as View) : undefined;
const fixed = params.get("now") ? parseDateText(params.get("now")!) : undefined;
/** The fixed wall-clock serial as epoch milliseconds in Asia/Shanghai (the demo's office). */
let advancedMs = 0;
const clock = fixed === undefined ? undefined : () => Math.round((fixed - toSerial(1970, 1, 1)) * 86400000) - 8 * 3600000 + advancedMs;

const excel = new FakeExcel();
const office = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
let beforeWrite: (() => Promise<void>) | undefined;
/** The pane's port: the Office.js adapter, with a hook the tests use to let a co-author act between an action's read and its write. */
const port: WorkbookPort = {
  read: (opts?: ReadOptions) => office.read(opts),
  write: async (changes: ChangeSet) => {
    const hook = beforeWrite;
    beforeWrite = undefined;
    if (hook) await hook();
    return office.write(changes);
  },
};

/** The workbook a worker wrote (src/workbench/setup-worker.ts), its contents posted back; the worker is then closed. */
function writtenInWorker(request: SetupRequest): Promise<WorkbookImage> {
  const worker = new Worker("workbench-setup.js");
  return new Promise<WorkbookImage>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<SetupReply>) => {
      worker.terminate();
      if ("error" in e.data) reject(new Error(`The workbench could not write its big Register: ${e.data.error}`));
      else resolve(e.data.image);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`The workbench could not write its big Register: ${e.message}`));
    };
    worker.postMessage(request);
  });
}

async function coauthorWrite(sheet: string, address: string, value: string | number): Promise<void> {
  await excel.runAsCoauthor(async (ctx) => {
    ctx.workbook.worksheets.getItem(sheet).getRange(address).values = [[value]];
    await ctx.sync();
  });
}

async function main(): Promise<void> {
  registerFluent();
  installStyles();
  const root = document.getElementById("workbench")!;
  const paneEl = document.createElement("div");
  paneEl.id = "pane";
  paneEl.className = "wb-pane";
  const sheetsEl = document.createElement("div");
  sheetsEl.id = "sheets";
  sheetsEl.className = "wb-sheets";
  root.replaceChildren(paneEl, sheetsEl);

  const cards = params.get("empty") ? 0 : Number(params.get("cards") ?? 0);
  if (cards > 0) {
    // The demo and a big Register, written in a worker (as Excel is another process): no code of
    // the pane or of the fake Excel has run in this page when the pane starts, as in Excel. The
    // workbook's cells arrive as 150,000 new objects in this page's memory, and the worker is torn
    // down: a pane in Excel pays for neither. The pane starts `settle` ms later (1,000 unless given;
    // `settle=0`: at once), when the collector has moved the cells to the old generation.
    excel.state.takeImage(await writtenInWorker({ lang: lang.startsWith("zh") ? "zh" : "en", cards }));
    const settle = Number(params.get("settle") ?? 1000);
    if (settle > 0) await new Promise((done) => setTimeout(done, settle));
  } else {
    await office.read();
    if (!params.get("empty")) await office.write(demoChanges(lang.startsWith("zh") ? "zh" : "en"));
  }

  const t0 = performance.now();
  const pane = new Pane(paneEl, {
    port,
    displayLanguage: lang,
    clock,
    storage: window.localStorage,
    addNames: (defs) => office.addNames(defs),
    view: firstView,
    // No Office here: `?account=` stands in for Office.auth.getAuthContext() (NestedAppAuth 1.1).
    account: () => {
      const upn = params.get("account");
      return signedInAccount(
        upn
          ? { isSetSupported: (n, v) => n === "NestedAppAuth" && v === "1.1", getAuthContext: async () => ({ userPrincipalName: upn }) }
          : { isSetSupported: () => false },
      );
    },
    selfTest: () =>
      runSelfTest(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v), {
        version: `fake ${excel.apiVersion}`,
        platform: "workbench",
      }),
    copyText: async (text) => {
      (window as unknown as { copied?: string }).copied = text;
      await navigator.clipboard?.writeText(text).catch(() => undefined);
    },
    onRemoteChange: (callback) => excel.state.listeners.add((e) => e.source === "Remote" && callback()),
  });
  pane.render();
  await pane.refresh();
  const firstRender = performance.now() - t0;

  // Excel calculating the Register's deadline columns (the fake computes no formula): through the
  // custom functions, with the calendar of the workbook as the pane last read it.
  const recalc = new Recalculation(excel.state);
  const recalculate = (): boolean => {
    const model = pane.read?.model;
    if (!model) return false;
    recalc.configure({
      calendar: calendarOf(model),
      timeZone: model.settings.timeZone,
      lang: lang.startsWith("zh") ? "zh" : "en",
      nowMs: clock ?? Date.now,
    });
    return recalc.run();
  };
  recalculate();
  let recalcTimer: ReturnType<typeof setTimeout> | undefined;
  excel.state.listeners.add(() => {
    clearTimeout(recalcTimer);
    recalcTimer = setTimeout(() => {
      // After the pane has taken its read of the change (a new Calendar day counts at once).
      void pane.idle.then(() => {
        if (recalculate()) view.render();
      });
    }, 0);
  });

  const view = new SheetView(sheetsEl, excel.state, {
    fillOf: (sheet, r, c) => conditionalFill(sheet, r, c, recalc.nowSerial()),
    exportXlsx: async () => exportXlsx(await office.read()),
    importXlsx: async (data: ArrayBuffer, name: string) => {
      const changes = await importXlsx(data, name);
      excel.state.reset();
      await office.read();
      await office.write(changes);
      // The file's calculated columns fill the rows added from now on, as in Excel.
      refreshCalculated(excel.state);
      await pane.refresh();
      recalculate();
    },
    coauthorWrite,
  });
  view.render();

  Object.assign(window, {
    workbench: {
      excel,
      pane,
      firstRender,
      coauthorWrite,
      /** Runs `fn` (as a co-author) between the next action's read and its write. */
      beforeNextWrite: (fn: () => Promise<void>) => (beforeWrite = fn),
      idle: () => pane.idle,
      /** Moves a fixed clock (`now=`) on by some minutes: time passing between two people's steps. */
      advance: (minutes: number) => void (advancedMs += minutes * 60000),
      /** Computes the deadline columns now (what the listener does after each change). */
      recalculate,
    },
  });
  document.body.dataset.ready = "1";
}

void main();
