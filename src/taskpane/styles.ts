/** The pane's styles: readable at the pane's narrow width (320 px), in Office's own font. */
export const PANE_CSS = `
.pd { font-family: "Segoe UI", "Microsoft YaHei", "PingFang SC", system-ui, sans-serif; font-size: 14px; color: #242424; padding: 8px 12px; max-width: 720px; }
.pd h1 { font-size: 20px; margin: 4px 0; }
.pd h2 { font-size: 17px; margin: 12px 0 6px; }
.pd h3 { font-size: 15px; margin: 12px 0 4px; }
.pd-who { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.pd-hint, .pd-who-may, .pd-count { color: #616161; font-size: 12px; margin: 2px 0 6px; }
.pd-nav { display: flex; flex-wrap: wrap; gap: 4px; margin: 8px 0; }
.pd-msg { border-radius: 4px; padding: 6px 10px; margin: 6px 0; }
.pd-ok { background: #f1faf1; border: 1px solid #9fd89f; }
.pd-error { background: #fdf3f4; border: 1px solid #eeacb2; }
.pd-list { list-style: none; padding: 0; margin: 0; }
.pd-card-row { display: flex; flex-wrap: wrap; gap: 4px 10px; width: 100%; text-align: left; background: #fff; border: 1px solid #e0e0e0; border-radius: 4px; padding: 6px 8px; margin: 3px 0; cursor: pointer; font: inherit; }
.pd-card-row:hover, .pd-card-row:focus-visible { border-color: #0f6cbd; outline: 2px solid #0f6cbd33; }
.pd-cardno { font-weight: 600; }
.pd-stage { color: #0f6cbd; }
.pd-late { color: #c50f1f; font-weight: 600; }
.pd-next { flex-basis: 100%; color: #616161; font-size: 12px; }
.pd-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 4px 0; }
.pd-facts dt { color: #616161; }
.pd-facts dd { margin: 0; }
.pd table { border-collapse: collapse; width: 100%; font-size: 13px; }
.pd th, .pd td { border-bottom: 1px solid #e0e0e0; padding: 3px 4px; text-align: left; vertical-align: top; }
.pd tr.pd-missed td:last-child { color: #c50f1f; font-weight: 600; }
.pd tr.pd-met td:last-child { color: #107c10; }
.pd-chain li.pd-signed { color: #107c10; }
.pd-action { border-top: 1px solid #f0f0f0; padding: 4px 0; }
.pd-action-line { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pd-filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pd-field { display: flex; flex-direction: column; margin: 4px 0; }
.pd input[type=text], .pd input[type=search], .pd input[type=month], .pd input[type=datetime-local], .pd select { font: inherit; padding: 4px; border: 1px solid #c7c7c7; border-radius: 4px; max-width: 100%; }
.pd li.pd-error { color: #c50f1f; }
`;

export function installStyles(doc: Document = document): void {
  if (doc.getElementById("pd-styles")) return;
  const style = doc.createElement("style");
  style.id = "pd-styles";
  style.textContent = PANE_CSS;
  doc.head.append(style);
}
