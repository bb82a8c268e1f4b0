/**
 * The shared runtime's page: the custom functions are registered by functions.js (loaded
 * before this script); this reads the workbook's Calendar and Settings for them and starts
 * the pane once Office is ready.
 */
import { OfficeWorkbook } from "../workbook/office";
import { Pane, langOf } from "./app";
import { registerFluent } from "./fluent";
import { configureFromWorkbook } from "./runtime";
import { installStyles } from "./styles";

Office.onReady(async () => {
  const lang = langOf(Office.context.displayLanguage);
  const port = new OfficeWorkbook((batch) => Excel.run(batch));
  try {
    await configureFromWorkbook(port, lang);
  } catch (e) {
    console.warn("Planning Desk: the workbook could not be read; the functions use the official calendar and default hours.", e);
  }
  registerFluent();
  installStyles();
  const pane = new Pane(document.getElementById("app") as HTMLElement, {
    port,
    displayLanguage: Office.context.displayLanguage,
    storage: window.localStorage,
    addNames: Office.context.requirements.isSetSupported("ExcelApi", "1.4") ? (defs) => port.addNames(defs) : undefined,
    onRemoteChange: (callback) => {
      // Worksheet change events with their source need ExcelApi 1.7; without them the pane refreshes on focus.
      if (!Office.context.requirements.isSetSupported("ExcelApi", "1.7")) {
        window.addEventListener("focus", callback);
        return;
      }
      void Excel.run(async (context) => {
        context.workbook.worksheets.onChanged.add(async (event) => {
          if (event.source === Excel.EventSource.remote) callback();
        });
        await context.sync();
      });
    },
  });
  pane.render();
  await pane.refresh();
});
