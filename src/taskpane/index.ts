/**
 * The shared runtime's page: the custom functions are registered by functions.js (loaded
 * before this script); this reads the workbook's Calendar and Settings for them and starts
 * the pane once Office is ready.
 */
import { OfficeWorkbook } from "../workbook/office";
import { langOf, startPane } from "./pane";
import { configureFromWorkbook } from "./runtime";

Office.onReady(async () => {
  const lang = langOf(Office.context.displayLanguage);
  const port = new OfficeWorkbook((batch) => Excel.run(batch));
  try {
    await configureFromWorkbook(port, lang);
  } catch (e) {
    console.warn("Planning Desk: the workbook could not be read; the functions use the official calendar and default hours.", e);
  }
  startPane(document.getElementById("app") as HTMLElement, Office.context.displayLanguage);
});
