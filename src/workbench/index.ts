/** The workbench (first cut): the pane outside Office, without office.js. */
import { startPane } from "../taskpane/pane";

startPane(document.getElementById("workbench") as HTMLElement, navigator.language);
