/**
 * The shared runtime's page: the custom functions are registered by functions.js (loaded
 * before this script). Excel loads this page when the pane opens or when a PLAN formula first
 * calculates, whichever comes first; either way the functions get the workbook's Calendar,
 * Settings and time zone from `WorkbookFunctions` (runtime.ts), installed here at once, before
 * Office is ready, so that no formula computes with a calendar the workbook does not have.
 * The pane starts once Office is ready.
 */
import { OfficeWorkbook } from "../workbook/office";
import { runSelfTest } from "../workbook/selftest";
import { officeAuthHost, signedInAccount } from "./account";
import { Pane, langOf } from "./app";
import { registerFluent } from "./fluent";
import { WorkbookFunctions, watchRemoteChanges } from "./runtime";
import { installStyles } from "./styles";

const run = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Excel.run(batch);
const isSetSupported = (name: string, version: string) => Office.context.requirements.isSetSupported(name, version);

void new WorkbookFunctions({
  run,
  isSetSupported,
  displayLang: () => langOf(Office.context?.displayLanguage),
  ready: () => Office.onReady(),
  warn: (message, error) => console.warn(message, error),
}).start();

void Office.onReady(async () => {
  const port = new OfficeWorkbook(run);
  registerFluent();
  installStyles();
  const pane = new Pane(document.getElementById("app") as HTMLElement, {
    port,
    displayLanguage: Office.context.displayLanguage,
    storage: window.localStorage,
    account: () => signedInAccount(officeAuthHost()),
    addNames: isSetSupported("ExcelApi", "1.4") ? (defs) => port.addNames(defs) : undefined,
    selfTest: () =>
      runSelfTest(run, isSetSupported, {
        version: Office.context.diagnostics?.version ?? "?",
        platform: String(Office.context.diagnostics?.platform ?? "?"),
      }),
    // WorksheetCollection.onChanged needs ExcelApi 1.9; below it the pane refreshes on focus (runtime.ts).
    onRemoteChange: (callback) => {
      void watchRemoteChanges(run, isSetSupported, callback, (cb) => window.addEventListener("focus", cb));
    },
  });
  pane.render();
  await pane.refresh();
});
