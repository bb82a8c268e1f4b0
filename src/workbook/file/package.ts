/**
 * An OPC package (ECMA-376 Part 2): its parts by name, their content types and
 * relationships. Parts are decompressed only when asked for; a part nobody changed is
 * written back as the very bytes it was read from (its compressed stream copied through).
 */
import { OutEntry, ZipEntry, inflateEntry, readZip, writeZip } from "./zip";
import { inPart } from "./limits";
import { attr, elements, escapeAttr, findElement, rootPrefix } from "./xml";

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

const dec = new TextDecoder("utf-8");
const strict = new TextDecoder("utf-8", { fatal: true });
const enc = new TextEncoder();

export const REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
export const OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
export const RELS_CONTENT_TYPE = "application/vnd.openxmlformats-package.relationships+xml";
const CONTENT_TYPES = "[Content_Types].xml";
const EMPTY_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="${RELS_CONTENT_TYPE}"/><Default Extension="xml" ContentType="application/xml"/></Types>`;

type Utf16 = "utf-16le" | "utf-16be";

/** The UTF-16 a part's bytes are written in, told by their byte order mark; undefined for UTF-8. */
function utf16Of(b: Uint8Array): Utf16 | undefined {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return undefined;
}

/** Text as UTF-16 with its byte order mark (TextEncoder writes only UTF-8). */
function encodeUtf16(s: string, kind: Utf16): Uint8Array {
  const out = new Uint8Array(2 * (s.length + 1));
  const [hi, lo] = kind === "utf-16le" ? [1, 0] : [0, 1];
  for (let i = 0; i <= s.length; i++) {
    const c = i === 0 ? 0xfeff : s.charCodeAt(i - 1);
    out[2 * i + hi] = c >> 8;
    out[2 * i + lo] = c & 0xff;
  }
  return out;
}

/** A part name's extension, lower case ("" when it has none). */
const extensionOf = (part: string): string => {
  const name = part.slice(part.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
};

/** Relationship types end the same in transitional and strict documents: compare the end. */
export const relIs = (r: Relationship, kind: string): boolean => r.type.endsWith(`/${kind}`);

/** `xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`. */
export function relsPathOf(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** A relationship target resolved against its source part (targets may be relative or absolute). */
export function resolveTarget(source: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const base = source.includes("/") ? source.slice(0, source.lastIndexOf("/")).split("/") : [];
  for (const seg of target.split("/")) {
    if (seg === "..") base.pop();
    else if (seg !== "." && seg !== "") base.push(seg);
  }
  return base.join("/");
}

/** The target of `to` written relative to the folder of `from`. */
export function relativeTarget(from: string, to: string): string {
  const a = from.split("/").slice(0, -1);
  const b = to.split("/");
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

export class Package {
  /** Entry names in the order they were read (new parts follow). */
  private order: string[] = [];
  private source = new Map<string, ZipEntry>();
  /** Parts changed or added, as text. */
  private changed = new Map<string, string>();
  private textCache = new Map<string, string>();
  private removed = new Set<string>();
  /** Parts whose bytes were not valid UTF-8 (read with U+FFFD in place of the bad bytes). */
  private invalidUtf8 = new Set<string>();
  /** Parts written in UTF-16 (XML allows it, with a byte order mark): written back in it. */
  private utf16 = new Map<string, Utf16>();

  static fromBytes(bytes: Uint8Array): Package {
    const p = new Package();
    for (const e of readZip(bytes)) {
      // Folder entries are not parts, but some writers put them in: they are carried through too.
      // Part names compare case-insensitively (OPC); keep the name as written.
      p.order.push(e.name);
      p.source.set(e.name, e);
    }
    return p;
  }

  static empty(): Package {
    return new Package();
  }

  private key(name: string): string | undefined {
    if (this.changed.has(name) || this.source.has(name)) return name;
    const lower = name.toLowerCase();
    return this.order.find((n) => n.toLowerCase() === lower);
  }

  has(name: string): boolean {
    const k = this.key(name);
    return k !== undefined && !this.removed.has(k);
  }

  get names(): string[] {
    return this.order.filter((n) => !this.removed.has(n));
  }

  /** Whether the zip entry is encrypted (a zip password, not Office's own encryption). */
  get anyEncrypted(): boolean {
    return [...this.source.values()].some((e) => e.encrypted);
  }

  text(name: string): string | undefined {
    const k = this.key(name);
    if (k === undefined || this.removed.has(k)) return undefined;
    const c = this.changed.get(k) ?? this.textCache.get(k);
    if (c !== undefined) return c;
    const bytes = inflateEntry(this.source.get(k)!);
    const wide = utf16Of(bytes);
    if (wide) this.utf16.set(k, wide);
    let s: string;
    try {
      s = (wide ? new TextDecoder(wide, { fatal: true }) : strict).decode(bytes);
    } catch {
      // Kept readable (a cell holding U+FFFD is then reported by the reader, never used).
      s = (wide ? new TextDecoder(wide) : dec).decode(bytes);
      this.invalidUtf8.add(k);
    }
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    return s;
  }

  /** Whether the part's bytes, read with `text`, were not valid UTF-8. */
  hasInvalidUtf8(name: string): boolean {
    const k = this.key(name);
    return k !== undefined && this.invalidUtf8.has(k);
  }

  /** The text of a part read once and kept (small parts read several times). */
  cachedText(name: string): string | undefined {
    const k = this.key(name);
    if (k !== undefined && !this.changed.has(k) && !this.textCache.has(k)) {
      const s = this.text(k);
      if (s !== undefined) this.textCache.set(k, s);
    }
    return this.text(name);
  }

  setText(name: string, xml: string): void {
    const k = this.key(name) ?? name;
    if (!this.order.includes(k)) this.order.push(k);
    this.removed.delete(k);
    this.changed.set(k, xml);
    this.textCache.delete(k);
  }

  remove(name: string): void {
    const k = this.key(name);
    if (k !== undefined) this.removed.add(k);
  }

  /** Whether a part was changed since it was read. */
  isChanged(name: string): boolean {
    const k = this.key(name);
    return k !== undefined && (this.changed.has(k) || this.removed.has(k));
  }

  toBytes(): Uint8Array {
    const out: OutEntry[] = [];
    for (const n of this.order) {
      if (this.removed.has(n)) continue;
      const c = this.changed.get(n);
      // A part read as UTF-16 is written in it again, unless its new text declares another encoding.
      const wide = this.utf16.get(n);
      const keep = wide !== undefined && !/^\s*<\?xml[^>]*encoding\s*=\s*["'](?!utf-16)/i.test(c ?? "");
      if (c !== undefined) out.push({ name: n, data: wide && keep ? encodeUtf16(c, wide) : enc.encode(c) });
      else out.push({ name: n, copy: this.source.get(n)! });
    }
    return writeZip(out);
  }

  // ---- relationships

  rels(source: string): Relationship[] {
    const path = relsPathOf(source);
    const xml = this.cachedText(path);
    if (!xml) return [];
    const out: Relationship[] = [];
    inPart(path, () => {
      for (const t of elements(xml, "Relationship")) {
        out.push({
          id: attr(t.text, "Id") ?? "",
          type: attr(t.text, "Type") ?? "",
          target: attr(t.text, "Target") ?? "",
          external: attr(t.text, "TargetMode") === "External",
        });
      }
    });
    return out;
  }

  /** The parts `source` points to with relationships of `kind`. */
  targets(source: string, kind: string): { rel: Relationship; part: string }[] {
    return this.rels(source)
      .filter((r) => relIs(r, kind) && !r.external)
      .map((rel) => ({ rel, part: resolveTarget(source, rel.target) }));
  }

  /** Adds a relationship from `source` to part `target`; returns its id. */
  addRel(source: string, type: string, target: string): string {
    const path = relsPathOf(source);
    const existing = this.text(path);
    const xml = existing ?? `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${REL_NS}"></Relationships>`;
    // A relationships part this adds needs a content type too: some writers (LibreOffice up
    // to 6.0) give every part an Override and have no Default for "rels".
    if (existing === undefined) this.ensureContentType(path, RELS_CONTENT_TYPE);
    const ids = new Set(this.rels(source).map((r) => r.id));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const p = rootPrefix(xml);
    const close = xml.lastIndexOf(`</${p}Relationships>`);
    const rel = `<${p}Relationship Id="${id}" Type="${escapeAttr(type)}" Target="${escapeAttr(relativeTarget(source, target))}"/>`;
    if (close < 0) {
      // `<Relationships .../>`: an empty, self-closing list.
      const t = findElement(xml, "Relationships")!;
      this.setText(path, `${xml.slice(0, t.start)}${t.text.replace(/\s*\/>$/, ">")}${rel}</${p}Relationships>${xml.slice(t.end)}`);
    } else this.setText(path, `${xml.slice(0, close)}${rel}${xml.slice(close)}`);
    return id;
  }

  /** Removes relationship `id` of `source`. */
  removeRel(source: string, id: string): void {
    const path = relsPathOf(source);
    const xml = this.text(path);
    if (!xml) return;
    for (const t of elements(xml, "Relationship")) {
      if (attr(t.text, "Id") === id) {
        this.setText(path, xml.slice(0, t.start) + xml.slice(t.end));
        return;
      }
    }
  }

  // ---- content types

  contentType(part: string): string | undefined {
    return inPart(CONTENT_TYPES, () => this.contentTypeOf(part));
  }

  private contentTypeOf(part: string): string | undefined {
    const xml = this.cachedText(CONTENT_TYPES) ?? "";
    for (const t of elements(xml, "Override"))
      if ((attr(t.text, "PartName") ?? "").toLowerCase() === `/${part}`.toLowerCase()) return attr(t.text, "ContentType");
    return this.defaultType(xml, extensionOf(part));
  }

  private defaultType(xml: string, ext: string): string | undefined {
    for (const t of elements(xml, "Default"))
      if ((attr(t.text, "Extension") ?? "").toLowerCase() === ext) return attr(t.text, "ContentType");
    return undefined;
  }

  /** Adds `entry` before `</Types>` of the content types part (created when there is none). */
  private addTypeEntry(entry: (prefix: string) => string): void {
    const xml = this.text(CONTENT_TYPES) ?? EMPTY_TYPES;
    const p = rootPrefix(xml);
    const close = xml.lastIndexOf(`</${p}Types>`);
    if (close < 0) {
      // `<Types .../>`: an empty, self-closing list.
      const t = findElement(xml, "Types");
      if (!t) throw new Error(`${CONTENT_TYPES} has no <Types> element`);
      this.setText(CONTENT_TYPES, `${xml.slice(0, t.start)}${t.text.replace(/\s*\/>$/, ">")}${entry(p)}</${p}Types>${xml.slice(t.end)}`);
    } else this.setText(CONTENT_TYPES, `${xml.slice(0, close)}${entry(p)}${xml.slice(close)}`);
  }

  /** Gives `part` its content type as an Override (replacing one it already has). */
  setOverride(part: string, type: string): void {
    this.removeOverride(part);
    this.addTypeEntry((p) => `<${p}Override PartName="/${escapeAttr(part)}" ContentType="${escapeAttr(type)}"/>`);
  }

  /**
   * Makes sure a part this engine adds has content type `type`: nothing when it already
   * resolves to it, a Default when its extension has none, else an Override.
   */
  ensureContentType(part: string, type: string): void {
    if (this.contentType(part) === type) return;
    const ext = extensionOf(part);
    if (ext !== "" && this.defaultType(this.text(CONTENT_TYPES) ?? EMPTY_TYPES, ext) === undefined) {
      this.removeOverride(part);
      this.addTypeEntry((p) => `<${p}Default Extension="${escapeAttr(ext)}" ContentType="${escapeAttr(type)}"/>`);
    } else this.setOverride(part, type);
  }

  removeOverride(part: string): void {
    const name = CONTENT_TYPES;
    const xml = this.text(name);
    if (!xml) return;
    for (const t of elements(xml, "Override")) {
      if ((attr(t.text, "PartName") ?? "").toLowerCase() === `/${part}`.toLowerCase()) {
        this.setText(name, xml.slice(0, t.start) + xml.slice(t.end));
        return;
      }
    }
  }

  /** The first part name `prefix{n}{suffix}` not in use, n from 1. */
  freeName(prefix: string, suffix: string): string {
    for (let n = 1; ; n++) if (!this.has(`${prefix}${n}${suffix}`)) return `${prefix}${n}${suffix}`;
  }
}
