/**
 * Text from a workbook (names, projects, any cell) on its way to places that interpret
 * characters: a terminal, a robot's markdown, an iCalendar file. One function per place.
 */

/**
 * C0 controls except tab and newline (a lone carriage return too: it rewrites the line it ends),
 * DEL, C1 controls (U+0080–U+009F: CSI, OSC …), and the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that make printed text read differently from what it is.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

/** Whole escape sequences (so that no `[2J` is left behind): CSI and OSC, 7-bit and C1 forms, and two-character escapes. */
const ESCAPE_SEQUENCES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u009d[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]?/g;

/** Text without terminal escape sequences (whole: `ESC [ 2 J` leaves no `[2J`). */
export function withoutEscapes(s: string): string {
  return s.replace(ESCAPE_SEQUENCES, "");
}

/** Text fit for a terminal: escape sequences, control characters and bidi overrides removed; tabs, newlines and CRLF kept. */
export function terminalText(s: string): string {
  return s.replace(ESCAPE_SEQUENCES, "").replace(TERMINAL_UNSAFE, "");
}

/** Every control character (newlines included) and the bidi overrides: for one-line values. */
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text on one line without controls: newlines and tabs become spaces, other controls go. */
export function oneLine(s: string): string {
  return s
    .replace(ESCAPE_SEQUENCES, "")
    .replace(/\r\n|[\t\r\n\u2028\u2029]/g, " ")
    .replace(ANY_CONTROL, "");
}

/**
 * User text inside a robot's markdown (DingTalk, Feishu lark_md, WeCom): every character that
 * markdown or the robots give a meaning to — `[ ] ( ) ! * _ \` # > | ~ < >` and `\` — is
 * replaced by its full-width form, and `://` loses its link, so that a name can neither become a
 * link, an image, emphasis, a heading, a quote, a table, a robot tag (`<at …>`, `<font>`) nor a
 * clickable address. Full-width forms read the same to a person and mean nothing to a renderer
 * (backslash escapes are not honoured by every robot). One line: controls go.
 */
export function markdownText(s: string): string {
  return oneLine(s)
    .replace(/[[\]()!*_`#>|~<\\]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    .replace(/:\/\//g, "：//")
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}．`);
}
