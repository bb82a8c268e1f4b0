/**
 * The pane's styles: readable at the pane's narrow width (320 px), in Office's own font.
 * Nothing is wider than the pane, whatever font a user has: labels wrap (buttons included:
 * Fluent's control is told to wrap and grow), nothing is measured; long text (evidence,
 * findings, English words) breaks anywhere; short statuses never break inside.
 */
export const PANE_CSS = `
.pd { font-family: "Segoe UI", "Microsoft YaHei", "PingFang SC", system-ui, sans-serif; font-size: 14px; color: #242424; padding: 8px 12px; max-width: 720px; box-sizing: border-box; overflow-wrap: anywhere; }
.pd *, .pd *::before, .pd *::after { box-sizing: border-box; }
.pd h1 { font-size: 16px; margin: 0 4px 0 0; white-space: nowrap; }
.pd:lang(en) .pd-who h1 { flex-basis: 100%; }
.pd-sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.pd h2 { font-size: 17px; margin: 12px 0 6px; }
.pd h3 { font-size: 15px; margin: 12px 0 4px; }
.pd-who { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.pd-who select { flex: 1 1 8em; min-width: 0; }
.pd-hint, .pd-who-may, .pd-count { color: #616161; font-size: 12px; margin: 2px 0 6px; }
.pd-nav { display: flex; flex-wrap: wrap; gap: 4px; margin: 8px 0; }
.pd-pair { display: flex; gap: 8px; }
.pd-pair > * { flex: 1 1 0; min-width: 0; }
.pd-pair select { width: 100%; }
html { scroll-padding-top: var(--pd-top-h, 0px); }
.pd-top { position: sticky; top: 0; background: #fff; z-index: 2; border-bottom: 1px solid #e0e0e0; }
.pd fluent-button { max-width: 100%; height: auto; min-height: 32px; }
.pd fluent-button::part(control) { white-space: normal; overflow-wrap: anywhere; text-align: center; padding-top: 4px; padding-bottom: 4px; min-width: 0; }
.pd fluent-button .pd-label { white-space: normal; }
.pd-msg { border-radius: 4px; padding: 6px 10px; margin: 6px 0; scroll-margin: 12px; }
.pd-msg p { margin: 0; }
.pd-field-error { border-radius: 4px; padding: 4px 10px; margin: 4px 0; }
.pd-field-error p { margin: 0; }
.pd [aria-invalid="true"] { border-color: #c50f1f; }
.pd-msg-details summary { cursor: pointer; color: #0f6cbd; font-size: 12px; }
.pd-msg ul { margin: 4px 0 0; padding-left: 18px; }
.pd-msg:focus { outline: 2px solid #0f6cbd; outline-offset: 1px; }
.pd-ok { background: #f1faf1; border: 1px solid #9fd89f; }
.pd-warning { background: #fff9f5; border: 1px solid #f4bfab; }
.pd-warn-before { color: #8a3707; }
.pd-error { background: #fdf3f4; border: 1px solid #eeacb2; }
.pd-list { list-style: none; padding: 0; margin: 0; }
.pd-group-h h3 { font-size: 12px; font-weight: 600; color: #616161; margin: 10px 0 4px; }
.pd-card-row { display: flex; flex-wrap: wrap; gap: 2px 8px; width: 100%; text-align: left; background: #fff; border: 1px solid #e0e0e0; border-radius: 4px; padding: 6px 8px; margin: 3px 0; cursor: pointer; font: inherit; color: inherit; }
.pd-card-row[data-urgency="late"] { border-left: 4px solid #c50f1f; }
.pd-card-row[data-urgency="today"] { border-left: 4px solid #da3b01; }
.pd-card-row:hover, .pd-card-row:focus-visible { border-color: #0f6cbd; outline: 2px solid #0f6cbd33; }
.pd-cardno { font-weight: 600; white-space: nowrap; }
.pd-row-more { display: contents; }
.pd-project { flex: 1 1 8em; min-width: 0; }
.pd-stage { color: #0f6cbd; white-space: nowrap; }
.pd-when, .pd-people, .pd-next, .pd-flag { flex-basis: 100%; }
.pd-when { display: flex; flex-wrap: wrap; gap: 0 8px; font-size: 13px; }
.pd-status { font-weight: 600; white-space: nowrap; }
.pd-status.pd-late { color: #c50f1f; }
.pd-status.pd-today { color: #da3b01; }
.pd-due { white-space: nowrap; color: #424242; }
.pd-deadline { color: #616161; }
.pd-people, .pd-next { color: #616161; font-size: 12px; }
.pd-behalf { display: inline-block; font-size: 12px; color: #8a3707; background: #fff4ce; border-radius: 3px; padding: 0 4px; white-space: nowrap; }
.pd-flag { color: #c50f1f; font-size: 12px; }
.pd-late { color: #c50f1f; font-weight: 600; }
.pd-stage-counts { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.pd-stage-counts li { white-space: nowrap; }
.pd-chip { font: inherit; font-size: 12px; border: 1px solid #c7c7c7; border-radius: 12px; background: #fff; padding: 1px 8px; cursor: pointer; white-space: nowrap; }
.pd-chip[aria-pressed="true"] { background: #0f6cbd; border-color: #0f6cbd; color: #fff; }
.pd-facts { display: grid; grid-template-columns: minmax(4.5em, max-content) minmax(0, 1fr); gap: 2px 10px; margin: 4px 0; }
.pd-facts dt { color: #616161; white-space: nowrap; }
.pd-facts dd { margin: 0; }
.pd-timeline { list-style: none; padding: 0; margin: 4px 0; }
.pd-timeline li { border-bottom: 1px solid #f0f0f0; padding: 3px 0; }
.pd-dl-name { display: block; font-weight: 600; }
.pd-dl-when { display: flex; flex-wrap: wrap; gap: 0 10px; font-size: 13px; color: #424242; }
.pd-dl-when span { white-space: nowrap; }
.pd-timeline li.pd-missed .pd-dl-status { color: #c50f1f; font-weight: 600; }
.pd-timeline li.pd-met .pd-dl-status { color: #107c10; }
.pd-chain li.pd-signed { color: #107c10; }
.pd-problems-box { border: 1px solid #eeacb2; background: #fdf3f4; border-radius: 4px; padding: 4px 10px; margin: 6px 0; }
.pd-problems-box h3 { margin: 4px 0; }
.pd-problems-box ul { padding-left: 18px; margin: 4px 0; }
.pd-action { border-top: 1px solid #f0f0f0; padding: 6px 0; }
.pd-action-line { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
/* A long form's submit stays on screen (as in DingTalk's forms): whatever the fonts' line height, no scroll to find it. */
.pd-submit-bar { position: sticky; bottom: 0; background: #fff; padding: 6px 0; border-top: 1px solid #e0e0e0; z-index: 1; }
.pd-filters { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: flex-end; }
.pd-filters .pd-field { flex: 1 1 8em; min-width: 0; }
.pd-field { display: flex; flex-direction: column; margin: 4px 0; min-width: 0; }
.pd-field label { font-size: 12px; color: #424242; margin-bottom: 1px; }
.pd-check { display: flex; gap: 6px; align-items: center; margin: 4px 0; }
.pd input[type=text], .pd input[type=search], .pd select { font: inherit; padding: 4px; border: 1px solid #c7c7c7; border-radius: 4px; width: 100%; max-width: 100%; min-width: 0; background: #fff; }
.pd input:disabled, .pd select:disabled { background: #f5f5f5; color: #707070; }
.pd input[type=text]:user-invalid { border-color: #c50f1f; }
.pd-field:has(input[required], select[required]) > label::after { content: " *"; color: #c50f1f; }
.pd-dt { position: relative; display: flex; gap: 4px; align-items: stretch; }
.pd-dt input[type=text] { flex: 1 1 auto; }
.pd-pick { font: inherit; border: 1px solid #c7c7c7; border-radius: 4px; background: #fff; padding: 0 8px; cursor: pointer; white-space: nowrap; flex: none; }
.pd-picker { position: absolute; right: 0; bottom: 0; width: 1px; height: 1px; opacity: 0; pointer-events: none; border: 0; padding: 0; }
.pd-urgent { color: #c50f1f; }
.pd-penalties { list-style: none; padding: 0; margin: 0; }
.pd-penalties li { border-bottom: 1px solid #f0f0f0; padding: 4px 0; }
.pd-penalty-head { margin: 0; font-weight: 600; }
.pd-evidence { margin: 2px 0 0; font-size: 12px; color: #424242; }
.pd-scores { padding-left: 18px; }
.pd-confirm { border: 1px solid #f4bfab; background: #fff9f5; border-radius: 4px; padding: 6px 10px; margin: 6px 0; }
.pd-confirm p { margin: 0 0 4px; }
.pd-findings li { margin: 2px 0; }
.pd li.pd-error { color: #c50f1f; }
.pd-link { font: inherit; font-size: 12px; background: none; border: 0; color: #0f6cbd; text-decoration: underline; cursor: pointer; padding: 0 4px; }
.pd-card-top { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; justify-content: space-between; }
.pd-tabs { display: flex; flex-wrap: wrap; gap: 2px; margin-left: auto; }
.pd-tab { font: inherit; font-size: 13px; background: none; border: 0; border-bottom: 2px solid transparent; padding: 4px 8px; cursor: pointer; color: #424242; white-space: nowrap; }
.pd-tab[aria-selected="true"] { border-bottom-color: #0f6cbd; color: #0f6cbd; font-weight: 600; }
.pd-tab:focus-visible { outline: 2px solid #0f6cbd; }
.pd-card h2 { margin: 4px 0 2px; }
.pd-card-sub { margin: 0 0 4px; display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.pd-waiting { margin: 0; font-size: 13px; color: #8a3707; }
.pd-next .pd-action:first-child { border-top: 0; }
.pd-more-actions { border-top: 1px solid #e0e0e0; margin-top: 6px; padding-top: 4px; }
.pd-more-actions > summary { cursor: pointer; color: #0f6cbd; padding: 4px 0; }
.pd-steps { list-style: none; padding: 0; margin: 4px 0; }
.pd-step { border-left: 2px solid #c7c7c7; padding: 2px 0 4px 8px; }
.pd-step-done { border-left-color: #107c10; }
.pd-step-withdrawn { color: #707070; text-decoration: line-through; }
.pd-step-pending, .pd-step-waiting { border-left-color: #da3b01; }
.pd-step-what { font-weight: 600; }
.pd-name { white-space: nowrap; }
.pd-step-when, .pd-step-state { color: #616161; font-size: 12px; }
.pd-step-opinion { display: block; font-size: 13px; color: #424242; }
.pd-step-waiting { color: #8a3707; font-weight: 600; }
.pd-inbox-tabs { display: flex; flex-wrap: wrap; gap: 0; border-bottom: 1px solid #e0e0e0; margin: 4px 0; }
.pd-inbox-tabs .pd-tab { padding: 4px 3px; }
.pd-tab-n { font-size: 12px; font-variant-numeric: tabular-nums; }
.pd-row { margin: 3px 0; }
.pd-row .pd-card-row { margin: 0; }
.pd-row-act { display: flex; flex-wrap: wrap; gap: 4px; align-items: flex-end; padding: 2px 0 4px 8px; }
.pd-row-act .pd-field { flex: 1 1 8em; margin: 0; }
/* The row's opinion box: its placeholder says 意见（可不填）; its label (with the card number) is read, not shown, so the tap fits the first screen. */
.pd-row-act .pd-field label { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.pd-row-result { flex-basis: 100%; margin: 0; font-size: 13px; }
.pd-row-result.pd-ok { color: #107c10; background: none; border: 0; }
.pd-row-result.pd-error { color: #c50f1f; background: none; border: 0; }
.pd-busy { cursor: progress; }
.pd-busy .pd-label::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 6px; border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%; animation: pd-spin 0.8s linear infinite; vertical-align: -1px; }
@keyframes pd-spin { to { transform: rotate(360deg); } }
`;

export function installStyles(doc: Document = document): void {
  if (doc.getElementById("pd-styles")) return;
  const style = doc.createElement("style");
  style.id = "pd-styles";
  style.textContent = PANE_CSS;
  doc.head.append(style);
}
