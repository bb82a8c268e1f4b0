/** Plain-text tables for the terminal, with Chinese characters counted two columns wide. */
import { oneLine } from "../core/text";

const wide = (ch: string): boolean =>
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch);

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += wide(ch) ? 2 : 1;
  return w;
}

/** Cuts `s` to `max` display columns, ending with … when cut. */
export function clip(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = "";
  let w = 0;
  for (const ch of s) {
    const cw = wide(ch) ? 2 : 1;
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** A table whose every cell is one line (a newline in a cell cannot forge a row), clipped to `maxWidth` columns. */
export function textTable(headers: string[], rows: (string | number | null)[][], maxWidth = 60): string {
  const cells = [headers, ...rows.map((r) => r.map((v) => (v === null ? "" : String(v))))].map((r) =>
    r.map((c) => clip(oneLine(c), maxWidth)),
  );
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => displayWidth(r[i] ?? ""))));
  const line = (r: string[]) =>
    r
      .map((c, i) => c + " ".repeat(widths[i] - displayWidth(c)))
      .join("  ")
      .trimEnd();
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}
