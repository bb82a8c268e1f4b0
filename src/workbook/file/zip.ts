/**
 * The zip container of an .xlsx package, read and written entry by entry.
 *
 * Why by hand: the file engine must carry every part it does not change through exactly as
 * it was, and fast. fflate (used here for the deflate streams themselves) only offers
 * "unzip everything, zip everything again", which would inflate and re-deflate a 100 MB log
 * sheet the command did not touch. Reading the central directory and copying an untouched
 * entry's compressed bytes, CRC and sizes as they are is a few dozen lines of the zip
 * specification (APPNOTE 4.3/4.4), so that part is written here.
 */
import type * as Fflate from "fflate";
import * as zlib from "zlib";
import { MAX_ENTRIES, MAX_PART_BYTES, PackageError, fmt } from "./limits";

/**
 * Node's own zlib (native code) where there is one: it inflates a 100 MB sheet several times
 * faster than JavaScript can. In the browser (the workbench) this import is an empty module
 * (webpack's `resolve.fallback`), and fflate does the work.
 */
const native = typeof zlib.inflateRawSync === "function" ? zlib : undefined;
const nativeCrc = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

let fflateModule: typeof Fflate | undefined;
/**
 * fflate, loaded the first time it is needed: only where there is no native zlib. Loading it
 * costs a command-line read about 30 ms that native zlib never pays back (test/cli/lazy-load.test.ts).
 */
function fflate(): typeof Fflate {
  if (!fflateModule) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m: typeof Fflate = require("fflate");
    fflateModule = m;
  }
  return fflateModule;
}

export class ZipFormatError extends Error {}

/** An entry of a zip read from bytes: its compressed data is a view into those bytes. */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** MS-DOS time and date words, kept for entries copied through. */
  time: number;
  date: number;
  encrypted: boolean;
  raw: Uint8Array;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x100000000;

const utf8 = new TextDecoder("utf-8");

/** The zip's entries in central-directory order. Throws ZipFormatError when it is not a zip. */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  // The end record is one that fits: its comment reaches the end of the file, and the central
  // directory it names ends where it starts (or a zip64 locator precedes it). A comment may hold
  // the signature, and even a forged record that fits as well: of those that fit, the one whose
  // central directory agrees with the local headers and accounts for the file's entries from
  // its first byte to the directory is the real one (APPNOTE 4.3.6: [local header, data]… then
  // the central directory). None that fits: the first found from the end, as before.
  const fits: number[] = [];
  let first = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      if (first < 0) first = i;
      const reachesEnd = i + 22 + u16(bytes, i + 20) === bytes.length;
      const cdEndsHere = u32(bytes, i + 16) + u32(bytes, i + 12) === i || (i >= 20 && u32(bytes, i - 20) === 0x07064b50);
      if (reachesEnd && cdEndsHere) fits.push(i);
    }
  }
  if (first < 0) throw new ZipFormatError("no end of central directory");
  if (fits.length <= 1) return entriesOf(bytes, fits[0] ?? first).entries;
  let fallback: ZipEntry[] | undefined;
  let error: unknown;
  for (const at of fits) {
    try {
      const read = entriesOf(bytes, at);
      if (read.whole) return read.entries;
      fallback ??= read.entries;
    } catch (e) {
      error ??= e;
    }
  }
  if (fallback) return fallback;
  throw error;
}

/**
 * The entries the end record at `eocd` names, and whether they are the whole file: every local
 * header holds its entry's name, and the entries, in the order they lie, run from the file's
 * first byte to the central directory with nothing between them but data descriptors.
 */
function entriesOf(bytes: Uint8Array, eocd: number): { entries: ZipEntry[]; whole: boolean } {
  let count = u16(bytes, eocd + 10);
  let cdOffset = u32(bytes, eocd + 16);
  // A writer that stored only the low 16 bits of a larger count (no zip64 record): the central
  // directory itself says where it ends, so every entry is read, not the first count % 65,536.
  let open = true;
  if (cdOffset === 0xffffffff || count === 0xffff) {
    // Zip64: the locator sits right before the end record.
    const loc = eocd - 20;
    if (loc >= 0 && u32(bytes, loc) === 0x07064b50) {
      open = false;
      const rec = u64(bytes, loc + 8);
      if (rec + 56 > bytes.length || u32(bytes, rec) !== 0x06064b50) throw new ZipFormatError("bad zip64 end record");
      count = u64(bytes, rec + 32);
      cdOffset = u64(bytes, rec + 48);
    } else if (cdOffset === 0xffffffff) throw new ZipFormatError("bad zip64 locator");
  }
  if (count > MAX_ENTRIES)
    throw new PackageError(
      "zip",
      `压缩包声明有 ${fmt(count)} 个条目，超过上限 ${fmt(MAX_ENTRIES)}`,
      `the zip declares ${fmt(count)} entries, more than the limit of ${fmt(MAX_ENTRIES)}`,
    );
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  const spans: { from: number; to: number; slack: number }[] = [];
  let whole = true;
  let p = cdOffset;
  for (let n = 0; n < count || (open && p + 4 <= eocd && u32(bytes, p) === 0x02014b50); n++) {
    if (n >= MAX_ENTRIES)
      throw new PackageError(
        "zip",
        `压缩包的条目超过上限 ${fmt(MAX_ENTRIES)}`,
        `the zip holds more than the limit of ${fmt(MAX_ENTRIES)} entries`,
      );
    if (p + 46 > bytes.length || u32(bytes, p) !== 0x02014b50) throw new ZipFormatError("bad central directory");
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    const time = u16(bytes, p + 12);
    const date = u16(bytes, p + 14);
    const crc = u32(bytes, p + 16);
    let compressedSize = u32(bytes, p + 20);
    let size = u32(bytes, p + 24);
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    let local = u32(bytes, p + 42);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = flags & 0x800 ? utf8.decode(nameBytes) : String.fromCharCode(...nameBytes);
    // Zip64 extended information: only the fields that overflowed are present, in this order.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen;) {
      const id = u16(bytes, e);
      const len = u16(bytes, e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = u64(bytes, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(bytes, q);
          q += 8;
        }
        if (local === 0xffffffff) local = u64(bytes, q);
      }
      e += 4 + len;
    }
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50) throw new ZipFormatError(`bad local header for ${name}`);
    const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (start + compressedSize > bytes.length) throw new ZipFormatError(`truncated entry ${name}`);
    const localName = bytes.subarray(local + 30, local + 30 + u16(bytes, local + 26));
    if (localName.length !== nameBytes.length || localName.some((b, i) => b !== nameBytes[i])) whole = false;
    // A data descriptor (flag 3) follows the data: at most 24 bytes (signature, CRC, zip64 sizes).
    spans.push({ from: local, to: start + compressedSize, slack: flags & 8 ? 24 : 0 });
    // Two entries of one name (part names compare case-insensitively): which one is the part is
    // anyone's guess, and a copy written back would hold the other's bytes. Refused.
    const key = name.toLowerCase();
    if (seen.has(key)) throw new PackageError(name, `压缩包中有两个同名条目 ${name}`, `the zip holds two entries named ${name}`);
    seen.add(key);
    entries.push({
      name,
      method,
      crc,
      compressedSize,
      size,
      time,
      date,
      encrypted: (flags & 1) !== 0,
      raw: bytes.subarray(start, start + compressedSize),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  spans.sort((a, b) => a.from - b.from);
  let at = 0;
  let slack = 0;
  for (const s of spans) {
    if (s.from < at || s.from > at + slack) whole = false;
    at = s.to;
    slack = s.slack;
  }
  if (cdOffset < at || cdOffset > at + slack) whole = false;
  return { entries, whole };
}

/**
 * The uncompressed bytes of an entry, never more than it declares nor than MAX_PART_BYTES: the
 * bound is checked while inflating (zlib's maxOutputLength; fflate writes into a buffer of the
 * declared size), so a zip bomb stops at its declared size instead of filling memory.
 */
export function inflateEntry(e: ZipEntry): Uint8Array {
  if (e.size > MAX_PART_BYTES)
    throw new PackageError(
      e.name,
      `声明解压后有 ${fmt(e.size)} 字节，超过单个部件上限 ${fmt(MAX_PART_BYTES)} 字节`,
      `declares ${fmt(e.size)} bytes uncompressed, more than the limit of ${fmt(MAX_PART_BYTES)} bytes for one part`,
    );
  let data: Uint8Array;
  if (e.method === 0) data = e.raw;
  else if (e.method === 8) {
    try {
      // One output chunk one byte larger than the declared size: a well-formed entry inflates into
      // it with no copying of 16 KB chunks into one buffer; a longer stream fills the extra byte and
      // goes past maxOutputLength, which zlib checks as it writes.
      data = native
        ? native.inflateRawSync(e.raw, { maxOutputLength: Math.max(1, e.size), chunkSize: Math.max(64, e.size + 1) })
        : fflate().inflateSync(e.raw, { out: new Uint8Array(e.size) });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
        throw new PackageError(
          e.name,
          `解压后超过其声明的 ${fmt(e.size)} 字节（文件已损坏或是恶意文件）`,
          `inflates to more than the ${fmt(e.size)} bytes it declares (damaged or hostile)`,
        );
      throw new PackageError(e.name, "的压缩数据已损坏", "holds damaged compressed data");
    }
  } else
    throw new PackageError(
      e.name,
      `使用了不支持的压缩方式 ${e.method}（只支持 0 存储和 8 deflate）`,
      `is compressed with method ${e.method}, which is not supported (only 0, stored, and 8, deflate)`,
    );
  // A damaged file must be refused, never read as whatever garbage it inflates to. Parts are
  // inflated when first read, long after the file was opened: the error names the part itself.
  if (data.length !== e.size || crc32(data) !== e.crc)
    throw new PackageError(
      e.name,
      `已损坏：解压后的长度或校验和 (CRC-32) 与压缩包中声明的不符`,
      `is damaged: its length or checksum (CRC-32) after inflating is not what the zip declares`,
    );
  return data;
}

let CRC_TABLE: Uint32Array | undefined;
/** CRC-32 (IEEE), as the zip format stores it. */
export function crc32(data: Uint8Array): number {
  if (typeof nativeCrc === "function") return nativeCrc(data) >>> 0;
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** An entry to write: copied through as it was, or new data to deflate. */
export type OutEntry = { name: string; copy: ZipEntry } | { name: string; data: Uint8Array };

function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: (Math.max(0, d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const utf8enc = new TextEncoder();

/** A zip of these entries, in this order. */
export function writeZip(entries: OutEntry[], now = new Date()): Uint8Array {
  const stamp = dosDateTime(now);
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = utf8enc.encode(e.name);
    const ascii = name.every((b) => b < 0x80);
    let method: number, crc: number, size: number, raw: Uint8Array, time: number, date: number;
    if ("copy" in e) {
      ({ method, crc, size, raw, time, date } = e.copy);
    } else {
      crc = crc32(e.data);
      size = e.data.length;
      const deflated = native ? native.deflateRawSync(e.data, { level: 6 }) : fflate().deflateSync(e.data, { level: 6 });
      // Tiny parts can grow when deflated: store them.
      [method, raw] = deflated.length < e.data.length ? [8, deflated] : [0, e.data];
      ({ time, date } = stamp);
    }
    if (offset > 0xfffffffe || raw.length > 0xfffffffe || size > 0xfffffffe)
      throw new ZipFormatError("workbook too large for a zip without zip64");
    const flags = ascii ? 0 : 0x800;
    const head = new Uint8Array(30 + name.length);
    const h = new DataView(head.buffer);
    h.setUint32(0, 0x04034b50, true);
    h.setUint16(4, 20, true);
    h.setUint16(6, flags, true);
    h.setUint16(8, method, true);
    h.setUint16(10, time, true);
    h.setUint16(12, date, true);
    h.setUint32(14, crc, true);
    h.setUint32(18, raw.length, true);
    h.setUint32(22, size, true);
    h.setUint16(26, name.length, true);
    head.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const c = new DataView(cd.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, flags, true);
    c.setUint16(10, method, true);
    c.setUint16(12, time, true);
    c.setUint16(14, date, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, raw.length, true);
    c.setUint32(24, size, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(head, raw);
    central.push(cd);
    offset += head.length + raw.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  // More than 65,535 entries (or offsets past 4 GB): the counts and offsets go in a zip64 end
  // record and its locator (APPNOTE 4.3.14, 4.3.15), the classic record holding 0xFFFF / 0xFFFFFFFF.
  const zip64 = entries.length >= 0xffff || offset >= 0xffffffff || cdSize >= 0xffffffff;
  const tail: Uint8Array[] = [];
  if (zip64) {
    const rec = new Uint8Array(56);
    const r = new DataView(rec.buffer);
    r.setUint32(0, 0x06064b50, true);
    r.setBigUint64(4, 44n, true);
    r.setUint16(12, 45, true);
    r.setUint16(14, 45, true);
    r.setBigUint64(24, BigInt(entries.length), true);
    r.setBigUint64(32, BigInt(entries.length), true);
    r.setBigUint64(40, BigInt(cdSize), true);
    r.setBigUint64(48, BigInt(offset), true);
    const loc = new Uint8Array(20);
    const l = new DataView(loc.buffer);
    l.setUint32(0, 0x07064b50, true);
    l.setBigUint64(8, BigInt(offset + cdSize), true);
    l.setUint32(16, 1, true);
    tail.push(rec, loc);
  }
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, zip64 ? 0xffff : entries.length, true);
  v.setUint16(10, zip64 ? 0xffff : entries.length, true);
  v.setUint32(12, zip64 ? 0xffffffff : cdSize, true);
  v.setUint32(16, zip64 ? 0xffffffff : offset, true);
  tail.push(end);
  const out = new Uint8Array(offset + cdSize + tail.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of [...parts, ...central, ...tail]) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
