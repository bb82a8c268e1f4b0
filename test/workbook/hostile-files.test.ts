/**
 * Hostile and broken files (issue 20): each, a few KB to a few MB, made the command line crash,
 * hang or silently lose a card. Now `check` and `report` finish in under 10 s and 1 GB with one
 * clear line naming the part (exit 2, file unchanged), or report the cell as a finding (exit 1).
 * The command line runs as a real process with `--max-old-space-size=1024`.
 */
import { spawn } from "child_process";
import crypto from "crypto";
import fs from "fs";
import os from "os";
import path from "path";
import { HOSTILE, demoBytes } from "./hostile";
import { ownMemoryChild } from "../helpers/own-memory-child";
import { ZipEntry, inflateEntry, readZip, writeZip } from "../../src/workbook/file/zip";
import { Package } from "../../src/workbook/file/package";
import { PackageError } from "../../src/workbook/file/limits";
import { XlsxWorkbook } from "../../src/workbook/xlsx";

const ROOT = path.join(__dirname, "..", "..");
const ENTRY = path.join(__dirname, "hostile-entry.ts");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-hostile-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory in bytes, and CPU time in ms, when the process lived to say. */
  rss?: number;
  cpu?: number;
}

/** The command line as a child process, killed after 20 s. */
function cli(args: string[]): Promise<Ran> {
  const t0 = Date.now();
  // Through a shell, so that the peak memory is the command's own, not this worker's (own-memory-child.ts).
  const [cmd, argv] = ownMemoryChild(["--max-old-space-size=1024", "--import", "tsx", ENTRY, ...args]);
  const proc = spawn(cmd, argv, {
    cwd: ROOT,
    // Its own process group, so that a timeout kills the command and not only the shell.
    detached: true,
    env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LC_MESSAGES: "" },
  });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (d) => (stdout += d));
  proc.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => {
    if (process.platform === "win32" || proc.pid === undefined) proc.kill("SIGKILL");
    else process.kill(-proc.pid, "SIGKILL");
  }, 20_000);
  return new Promise((resolve) =>
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      const m = /\nmaxRSS=(\d+) cpu=(\d+)\n$/.exec(stderr);
      resolve({
        code,
        signal,
        stdout,
        stderr: m ? stderr.slice(0, m.index) : stderr,
        ms: Date.now() - t0,
        rss: m ? Number(m[1]) * 1024 : undefined,
        cpu: m ? Number(m[2]) : undefined,
      });
    }),
  );
}

const sha = (f: string) => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");
const lines = (s: string) => s.split("\n").filter((l) => l.trim() !== "");

let base: Uint8Array;
beforeAll(async () => {
  base = await demoBytes();
});

describe.each(HOSTILE.map((h) => [h.name, h] as const))("%s", (_name, h) => {
  test(
    h.expect.exit === 2
      ? "check and report refuse it in one line naming the part, file unchanged"
      : "check reports the cell, in time and memory",
    async () => {
      const file = path.join(tmp, `${h.name.replace(/\W+/g, "-")}.xlsx`);
      fs.writeFileSync(file, h.build(base));
      const before = sha(file);
      const commands =
        h.expect.exit === 2
          ? [
              ["check", file],
              ["report", file, "--month", "2026-10"],
            ]
          : [["check", file]];
      for (const args of commands) {
        const r = await cli(args);
        const what = `${args[0]}: ${r.code ?? r.signal} in ${r.ms} ms (${r.cpu} ms CPU), ${r.rss} bytes\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`;
        expect({ what, code: r.code }).toEqual({ what, code: h.expect.exit });
        // The work done is bounded by CPU time (this machine is shared; wall time is killed at 20 s).
        expect(r.cpu).toBeLessThan(10_000);
        expect(r.rss).toBeLessThan(1024 * 1024 * 1024);
        if (h.expect.exit === 2) {
          expect(lines(r.stderr)).toHaveLength(1);
          expect(r.stderr).toMatch(h.expect.part);
          expect(r.stderr).not.toMatch(
            /Cannot read properties|Invalid array length|Invalid code point|Cannot create a string|RangeError|TypeError/,
          );
          expect(r.stdout.length).toBeLessThan(10_000);
        } else {
          for (const cell of h.expect.cells) expect(r.stdout).toContain(cell);
          expect(r.stdout.length).toBeLessThan(100_000);
        }
        expect(sha(file)).toBe(before);
      }
    },
    60_000,
  );
});

/** `n` tiny stored entries named p/0.bin … (copied, so nothing is deflated 70,000 times). */
function tinyEntries(n: number, prefix = "p/") {
  const one = readZip(writeZip([{ name: "x", data: new Uint8Array([1]) }]))[0];
  return Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}.bin`, copy: one }));
}

test("a package of more than 65,535 entries is written with a zip64 end record and read back whole", () => {
  const n = 70_000;
  const bytes = writeZip(tinyEntries(n));
  const entries = readZip(bytes);
  expect(entries).toHaveLength(n);
  expect(entries[n - 1].name).toBe(`p/${n - 1}.bin`);
});

test("the engine reads back its own output of a workbook with more than 65,535 parts", async () => {
  const es = readZip(base).map((e) => ({ name: e.name, copy: e }));
  const big = writeZip([...es, ...tinyEntries(66_000, "extra/")]);
  const cards = (await (await XlsxWorkbook.fromBytes(base)).read()).tables.get("Register")?.rows.length;
  expect(cards).toBeGreaterThan(0);
  const wb = await XlsxWorkbook.fromBytes(big);
  expect((await wb.read()).tables.get("Register")?.rows.length).toBe(cards);
  const again = await XlsxWorkbook.fromBytes(await wb.toBytes());
  expect((await again.read()).tables.get("Register")?.rows.length).toBe(cards);
  expect(readZip(await again.toBytes())).toHaveLength(es.length + 66_000);
});

test("a zip with two entries of the same name is refused, naming the entry", () => {
  const es = readZip(base);
  const twice = writeZip([...es.map((e) => ({ name: e.name, copy: e })), { name: es[2].name.toUpperCase(), copy: es[2] }]);
  expect(() => readZip(twice)).toThrow(PackageError);
  expect(() => readZip(twice)).toThrow(es[2].name.toUpperCase());
});

/** `xml` in UTF-16 with its byte order mark and declaration, as some programs write parts. */
function utf16(xml: string, kind: "le" | "be"): Uint8Array {
  const b = Buffer.from(`\ufeff${xml.replace(/encoding="UTF-8"/, 'encoding="UTF-16"')}`, "utf16le");
  return kind === "le" ? b : b.swap16();
}

test("parts in UTF-16 (little- and big-endian) are read; report writes them back in UTF-16, the cards kept", async () => {
  const p = Package.fromBytes(base);
  const wide: Record<string, "le" | "be"> = { "xl/workbook.xml": "le", "xl/sharedStrings.xml": "be", "xl/worksheets/sheet1.xml": "le" };
  const file = path.join(tmp, "utf16.xlsx");
  fs.writeFileSync(
    file,
    writeZip(
      readZip(base).map((e) =>
        e.name in wide ? { name: e.name, data: utf16(p.text(e.name) ?? "", wide[e.name]) } : { name: e.name, copy: e },
      ),
    ),
  );
  const cards = (await (await XlsxWorkbook.fromBytes(base)).read()).tables.get("Register")?.rows;
  for (const args of [
    ["check", file],
    ["report", file, "--month", "2026-10"],
  ]) {
    const r = await cli(args);
    expect({ args, code: r.code, err: r.stderr }).toEqual({ args, code: 0, err: "" });
  }
  const out = new Uint8Array(fs.readFileSync(file));
  expect((await (await XlsxWorkbook.fromBytes(out)).read()).tables.get("Register")?.rows).toEqual(cards);
  const bom = (name: string) => Array.from(inflateEntry(readZip(out).find((e) => e.name === name)!).subarray(0, 2));
  expect(bom("xl/workbook.xml")).toEqual([0xff, 0xfe]);
  expect(bom("xl/sharedStrings.xml")).toEqual([0xfe, 0xff]);
}, 60_000);

describe.each([
  ["compressed with an unknown method (99)", (e: ZipEntry): ZipEntry => ({ ...e, method: 99 }), /method 99/, /压缩方式 99/],
  ["declaring one byte more than it holds", (e: ZipEntry): ZipEntry => ({ ...e, size: e.size + 1 }), /is damaged/, /已损坏/],
  ["holding bytes that are not deflate", (e: ZipEntry): ZipEntry => ({ ...e, raw: new Uint8Array(2000).fill(0xff) }), /damaged/, /损坏/],
])("the Register's sheet part %s, found when the part is read", (_name, change, en, zh) => {
  test("check refuses it in one line naming the file and the part, in either language", async () => {
    const file = path.join(tmp, `lazy-${_name.replace(/\W+/g, "-")}.xlsx`);
    const sheet = "xl/worksheets/sheet1.xml";
    fs.writeFileSync(file, writeZip(readZip(base).map((e) => ({ name: e.name, copy: e.name === sheet ? change(e) : e }))));
    for (const [lang, words] of [
      ["en", en],
      ["zh", zh],
    ] as const) {
      const r = await cli(["check", file, "--lang", lang]);
      expect({ code: r.code, lines: lines(r.stderr).length }).toEqual({ code: 2, lines: 1 });
      expect(r.stderr).toContain(file);
      expect(r.stderr).toContain(lang === "en" ? `part ${sheet}` : `部件 ${sheet}`);
      expect(r.stderr).toMatch(words);
    }
  }, 60_000);
});

test("a zip comment holding the end record's signature does not hide the real end record", () => {
  const zip = writeZip(readZip(base).map((e) => ({ name: e.name, copy: e })));
  const comment = Buffer.concat([Buffer.from("PK\x05\x06", "latin1"), Buffer.alloc(18)]);
  const out = Buffer.concat([zip, comment]);
  out.writeUInt16LE(comment.length, zip.length - 2);
  expect(readZip(out).map((e) => e.name)).toEqual(readZip(base).map((e) => e.name));
});

describe("a forged end record in the zip comment that fits the file exactly", () => {
  /** The zip with its end record's comment set to `comment` (which is appended). */
  function withComment(zip: Uint8Array, comment: Uint8Array): Buffer {
    const out = Buffer.concat([zip, comment]);
    out.writeUInt16LE(comment.length, zip.length - 2);
    return out;
  }
  const zip = () => writeZip(readZip(base).map((e) => ({ name: e.name, copy: e })));
  const names = () => readZip(base).map((e) => e.name);

  test("an empty central directory (no entries) ending where the forged record starts is not taken", () => {
    const z = zip();
    const forged = Buffer.alloc(22);
    forged.writeUInt32LE(0x06054b50, 0);
    forged.writeUInt32LE(z.length, 16); // its (empty) directory starts and ends where it stands
    const out = withComment(z, forged);
    expect(readZip(out).map((e) => e.name)).toEqual(names());
  });

  test("a copy of the central directory whose first entry points at the second's local header is not taken", () => {
    const z = zip();
    const b = Buffer.from(z);
    const eocd = b.length - 22;
    const cdSize = b.readUInt32LE(eocd + 12);
    const cdOffset = b.readUInt32LE(eocd + 16);
    const cd = Buffer.from(b.subarray(cdOffset, cdOffset + cdSize));
    // The second record's local offset, written into the first: "[Content_Types].xml" would read another part's bytes.
    const second = 46 + cd.readUInt16LE(28) + cd.readUInt16LE(30) + cd.readUInt16LE(32);
    cd.writeUInt32LE(cd.readUInt32LE(second + 42), 42);
    const forged = Buffer.alloc(22);
    forged.writeUInt32LE(0x06054b50, 0);
    forged.writeUInt16LE(b.readUInt16LE(eocd + 8), 8);
    forged.writeUInt16LE(b.readUInt16LE(eocd + 10), 10);
    forged.writeUInt32LE(cdSize, 12);
    forged.writeUInt32LE(z.length, 16); // the forged directory is the comment's start
    const out = withComment(z, Buffer.concat([cd, forged]));
    const read = readZip(out);
    expect(read.map((e) => e.name)).toEqual(names());
    const original = readZip(base);
    expect(Buffer.from(inflateEntry(read[0])).equals(Buffer.from(inflateEntry(original[0])))).toBe(true);
  });
});

test("xl/sharedStrings.xml missing: one line in either language, said once, and report writes nothing", async () => {
  const file = path.join(tmp, "no-shared-strings.xlsx");
  fs.writeFileSync(
    file,
    writeZip(
      readZip(base)
        .filter((e) => e.name !== "xl/sharedStrings.xml")
        .map((e) => ({ name: e.name, copy: e })),
    ),
  );
  const before = sha(file);
  const expected = {
    en: `planning-desk: ${file} cannot be read, nothing was changed: part xl/worksheets/sheet1.xml holds cell A1 of type s (shared string), but the shared string part xl/sharedStrings.xml the workbook names is not in the file. Open it in Excel and save a copy`,
    zh: `planning-desk: ${file} 无法读取，未作任何更改：部件 xl/worksheets/sheet1.xml 中的单元格 A1 是共享字符串（t="s"），但工作簿指向的共享字符串部件 xl/sharedStrings.xml 不在文件中。请在 Excel 中打开并另存一份`,
  };
  for (const lang of ["en", "zh"] as const) {
    const r = await cli(["report", file, "--month", "2026-10", "--lang", lang]);
    expect({ code: r.code, err: r.stderr.trim(), out: r.stdout }).toEqual({ code: 2, err: expected[lang], out: "" });
    expect(sha(file)).toBe(before);
  }
}, 60_000);

test("xl/sharedStrings.xml there but empty (0 bytes): the line says it is empty, not missing", async () => {
  const file = path.join(tmp, "empty-shared-strings.xlsx");
  fs.writeFileSync(
    file,
    writeZip(
      readZip(base).map((e) => (e.name === "xl/sharedStrings.xml" ? { name: e.name, data: new Uint8Array(0) } : { name: e.name, copy: e })),
    ),
  );
  const before = sha(file);
  const r = await cli(["check", file, "--lang", "en"]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toMatch(/but the shared string part xl\/sharedStrings\.xml the workbook names is empty\. Open it in Excel/);
  const zh = await cli(["check", file, "--lang", "zh"]);
  expect(zh.stderr.trim()).toMatch(/共享字符串部件 xl\/sharedStrings\.xml 是空的。/);
  expect(sha(file)).toBe(before);
}, 60_000);
