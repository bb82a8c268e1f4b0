/**
 * The workbench's read-only view of the in-memory workbook: one tab per sheet, cells shown
 * as Excel shows them (dates in the cell's format), updated live as the pane or a
 * co-author writes. Also the toolbar: export to .xlsx, load .xlsx, and a co-author's edit.
 */
import { columnLetter } from "../workbook/port";
import { formatSerial } from "../core/calendar";
import { h } from "../taskpane/dom";
import type { Cell, SheetState, WorkbookState } from "./fake-excel/state";

/** Big sheets show their first rows and their last (where the log's newest rows are), with a gap between. */
const MAX_ROWS = 1000;
const HEAD_ROWS = 100;

export interface SheetActions {
  exportXlsx(): Promise<Blob>;
  importXlsx(data: ArrayBuffer, name: string): Promise<void>;
  coauthorWrite(sheet: string, address: string, value: string | number): Promise<void>;
  /** The fill a cell's conditional formats give it ("#RRGGBB"), if any (the deadline columns' red and amber). */
  fillOf?(sheet: SheetState, row: number, col: number): string | undefined;
}

/** A cell's text as Excel would show it. */
export function shown(cell: Cell | undefined): string {
  if (!cell || cell.value === null || cell.value === undefined) return "";
  const v = cell.value;
  if (typeof v === "number") {
    const f = cell.numberFormat ?? "General";
    if (/y+.*d+|h+:m+/i.test(f)) return formatSerial(v);
    if (f.includes("%")) return `${(v * 100).toFixed(1)}%`;
    return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  }
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return v;
}

export class SheetView {
  private current: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private status = "";

  constructor(
    readonly root: HTMLElement,
    readonly state: WorkbookState,
    readonly actions: SheetActions,
  ) {
    state.listeners.add(() => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.render(), 30);
    });
  }

  render(): void {
    const sheets = this.state.sheets;
    if (!this.current || !sheets.some((s) => s.name === this.current)) this.current = sheets[0]?.name;
    const sheet = sheets.find((s) => s.name === this.current);
    const tabs = h(
      "div",
      { class: "wb-tabs", role: "tablist" },
      ...sheets.map((s) =>
        h(
          "button",
          {
            role: "tab",
            "aria-selected": s.name === this.current ? "true" : "false",
            "data-sheet": s.name,
            onclick: () => ((this.current = s.name), this.render()),
          },
          s.name,
        ),
      ),
    );
    const grid = sheet ? this.grid(sheet) : h("p", {}, "(empty workbook)");
    const file = h("input", {
      type: "file",
      id: "wb-load",
      accept: ".xlsx",
      onchange: (e: Event) => void this.load(e),
    });
    const coSheet = h("input", { id: "wb-co-sheet", type: "text", value: this.current ?? "", "aria-label": "sheet", size: 8 });
    const coCell = h("input", { id: "wb-co-cell", type: "text", placeholder: "M7", "aria-label": "cell", size: 5 });
    const coValue = h("input", { id: "wb-co-value", type: "text", placeholder: "value", "aria-label": "value", size: 14 });
    const toolbar = h(
      "div",
      { class: "wb-toolbar" },
      h(
        "button",
        {
          id: "wb-export",
          onclick: () => void this.exportFile(),
        },
        "Export to .xlsx 导出",
      ),
      h("label", { for: "wb-load" }, "Load .xlsx 载入 "),
      file,
      h(
        "span",
        { class: "wb-co" },
        "Co-author edit 协作者修改:",
        coSheet,
        coCell,
        coValue,
        h(
          "button",
          {
            id: "wb-co-write",
            onclick: () => void this.coWrite(coSheet as HTMLInputElement, coCell as HTMLInputElement, coValue as HTMLInputElement),
          },
          "Write",
        ),
      ),
      h("span", { id: "wb-status", role: "status" }, this.status),
    );
    this.root.replaceChildren(toolbar, tabs, grid);
  }

  private async load(e: Event): Promise<void> {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      await this.actions.importXlsx(await f.arrayBuffer(), f.name);
      this.status = `loaded ${f.name}`;
    } catch (err) {
      this.status = (err as Error).message;
    }
    this.render();
  }

  private async exportFile(): Promise<void> {
    const blob = await this.actions.exportXlsx();
    const a = h("a", { href: URL.createObjectURL(blob), download: "planning-desk.xlsx" }) as HTMLAnchorElement;
    a.click();
  }

  private async coWrite(sheet: HTMLInputElement, cell: HTMLInputElement, value: HTMLInputElement): Promise<void> {
    const v = value.value;
    try {
      await this.actions.coauthorWrite(sheet.value, cell.value, v !== "" && Number.isFinite(Number(v)) ? Number(v) : v);
      this.status = `co-author wrote ${cell.value}`;
    } catch (err) {
      this.status = (err as Error).message;
    }
    this.render();
  }

  private grid(sheet: WorkbookState["sheets"][number]): HTMLElement {
    let maxRow = 0;
    let maxCol = 0;
    for (const [r, line] of sheet.cells) {
      if (line.size === 0) continue;
      maxRow = Math.max(maxRow, r);
      for (const c of line.keys()) maxCol = Math.max(maxCol, c);
    }
    const headerRows = new Set(this.state.tables.filter((t) => t.sheet === sheet).map((t) => t.top));
    const indexes = Array.from({ length: maxRow + 1 }, (_, r) => r).filter(
      (r) => maxRow <= MAX_ROWS || r < HEAD_ROWS || r > maxRow - (MAX_ROWS - HEAD_ROWS),
    );
    const head = h("tr", {}, h("th", {}, ""), ...Array.from({ length: maxCol + 1 }, (_, c) => h("th", {}, columnLetter(c))));
    const body = indexes.map((r) =>
      h(
        "tr",
        { class: headerRows.has(r) ? "wb-header" : "" },
        h("th", {}, String(r + 1)),
        ...Array.from({ length: maxCol + 1 }, (_, c) => {
          const cell = sheet.get(r, c);
          const fill = this.actions.fillOf?.(sheet, r, c);
          return h(
            "td",
            {
              "data-cell": `${columnLetter(c)}${r + 1}`,
              title: cell?.formula ?? "",
              ...(fill ? { "data-fill": fill, style: `background:${fill}` } : {}),
            },
            shown(cell),
          );
        }),
      ),
    );
    return h(
      "div",
      { class: "wb-grid-wrap" },
      h("table", { class: "wb-grid", "data-sheet": sheet.name }, h("thead", {}, head), h("tbody", {}, ...body)),
      maxRow > MAX_ROWS ? h("p", {}, `(rows ${HEAD_ROWS + 1}–${maxRow - (MAX_ROWS - HEAD_ROWS) + 1} not shown)`) : "",
    );
  }
}
