/**
 * The OPC rules every package the engine writes must keep (ECMA-376 Part 2), checked on the
 * bytes with a reader of its own (only the zip container is shared with the engine):
 *  - every part has a content type (an Override for its name, or a Default for its extension);
 *  - every internal relationship's target part exists;
 *  - no part name twice (names compare case-insensitively), no content type entry twice, no
 *    relationship id twice in one relationships part.
 * `packageBreaks` lists what breaks them; `newBreaks` what an output breaks that its input did
 * not (a foreign file's own faults are carried through, never added to).
 */
import { readZip } from "../../src/workbook/file/zip";
import { inflateEntry } from "../../src/workbook/file/zip";

const TYPES = "[Content_Types].xml";

/** A part's text: UTF-8, or UTF-16 when a byte order mark says so (XML allows both). */
const decode = (b: Uint8Array): string =>
  new TextDecoder(b[0] === 0xff && b[1] === 0xfe ? "utf-16le" : b[0] === 0xfe && b[1] === 0xff ? "utf-16be" : "utf-8")
    .decode(b)
    .replace(/^\uFEFF/, "");

/** The attributes of every element `local` (any prefix) in `xml`. */
function tags(xml: string, local: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = new RegExp(`<(?:[\\w.-]+:)?${local}\\b([^>]*)>`, "g");
  for (const m of xml.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = unescape(a[2] ?? a[3] ?? "");
    out.push(attrs);
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-f]+|#\d+);/gi, (all: string, e: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
    const low = e.toLowerCase();
    if (low in named) return named[low];
    const code = low.startsWith("#x") ? parseInt(low.slice(2), 16) : parseInt(low.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : all;
  });
}

function resolve(sourceFolder: string[], target: string): string {
  const clean = target.split("#")[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(clean);
  } catch {
    decoded = clean;
  }
  if (decoded.startsWith("/")) return decoded.slice(1);
  const parts = [...sourceFolder];
  for (const seg of decoded.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== "." && seg !== "") parts.push(seg);
  }
  return parts.join("/");
}

/** Every way the package in `bytes` breaks the rules above, one line each. */
export function packageBreaks(bytes: Uint8Array): string[] {
  const breaks: string[] = [];
  const entries = readZip(bytes);
  const seen = new Map<string, string>();
  for (const e of entries) {
    const low = e.name.toLowerCase();
    const before = seen.get(low);
    if (before !== undefined) breaks.push(`part name twice: ${before} and ${e.name}`);
    else seen.set(low, e.name);
  }
  const parts = entries.filter((e) => !e.name.endsWith("/"));
  const textOf = (name: string): string | undefined => {
    const e = parts.find((p) => p.name.toLowerCase() === name.toLowerCase());
    return e ? decode(inflateEntry(e)) : undefined;
  };
  const types = textOf(TYPES);
  if (types === undefined) return [...breaks, `no ${TYPES}`];
  const defaults = new Map<string, number>();
  for (const d of tags(types, "Default")) {
    const ext = (d.Extension ?? "").toLowerCase();
    defaults.set(ext, (defaults.get(ext) ?? 0) + 1);
  }
  const overrides = new Map<string, number>();
  for (const o of tags(types, "Override")) {
    const name = (o.PartName ?? "").replace(/^\//, "").toLowerCase();
    overrides.set(name, (overrides.get(name) ?? 0) + 1);
  }
  for (const [ext, n] of defaults) if (n > 1) breaks.push(`content type Default for "${ext}" ${n} times`);
  for (const [name, n] of overrides) if (n > 1) breaks.push(`content type Override for /${name} ${n} times`);
  for (const p of parts) {
    if (p.name === TYPES) continue;
    const low = p.name.toLowerCase();
    const file = low.slice(low.lastIndexOf("/") + 1);
    const ext = file.includes(".") ? file.slice(file.lastIndexOf(".") + 1) : "";
    if (!overrides.has(low) && !defaults.has(ext)) breaks.push(`part without a content type: ${p.name}`);
  }
  const names = new Set(parts.map((p) => p.name.toLowerCase()));
  for (const p of parts) {
    const m = /^(.*?)_rels\/([^/]+)\.rels$/.exec(p.name);
    if (!m) continue;
    const folder = m[1].split("/").filter((s) => s !== "");
    const rels = tags(textOf(p.name) ?? "", "Relationship");
    const ids = new Set<string>();
    for (const r of rels) {
      const id = r.Id ?? "";
      if (ids.has(id)) breaks.push(`${p.name}: relationship id ${id} twice`);
      ids.add(id);
      if (r.TargetMode === "External") continue;
      const target = resolve(folder, r.Target ?? "");
      if (!names.has(target.toLowerCase())) breaks.push(`${p.name}: ${id} points to ${target}, which is not in the package`);
    }
  }
  return breaks;
}

/** What `after` breaks that `before` (the file it was written from, if any) did not. */
export function newBreaks(after: Uint8Array, before?: Uint8Array): string[] {
  const old = new Set(before ? packageBreaks(before) : []);
  return packageBreaks(after).filter((b) => !old.has(b));
}

/** Throws, naming every break, when `after` breaks a rule `before` kept. */
export function assertSoundPackage(after: Uint8Array, before?: Uint8Array): void {
  const added = newBreaks(after, before);
  if (added.length) throw new Error(`the package written breaks OPC rules:\n  ${added.join("\n  ")}`);
}
