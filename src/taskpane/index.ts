/**
 * The shared runtime's page: the custom functions are registered by functions.js (loaded
 * before this script); this starts the pane once Office is ready.
 */
import { startPane } from "./pane";

Office.onReady(() => {
  startPane(document.getElementById("app") as HTMLElement, Office.context.displayLanguage);
});
