/**
 * The command line against hostile use (issue 20, part B), with real files, real processes,
 * FIFOs, symbolic links, read-only files and loopback stand-ins for the robots: nothing it does
 * may lose a file, write through a link to something that is not a workbook, block on a pipe,
 * turn a cell's text into a formula or a terminal escape, or leave a secret anywhere.
 */
import { spawn, execFileSync } from "child_process";
import crypto from "crypto";
import fs from "fs";
import http from "http";
import os from "os";
import path from "path";
import { AddressInfo } from "net";
import { run } from "../../src/cli/main";
import { demoChanges } from "../../src/workbook/demo";
import { ChangeSet, emptyChangeSet, findTable } from "../../src/workbook/port";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { ownerKeepable } from "../../src/cli/safe-file";

const ROOT = path.join(__dirname, "..", "..");
const ENTRY = path.join(__dirname, "cli-entry.ts");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-hostile-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The CLI as a real child process, killed (and reported as timed out) after `limitMs`. */
function proc(args: string[], env: Record<string, string> = {}, limitMs = 20000): Promise<Done> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", ENTRY, ...args], { cwd: ROOT, env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LC_MESSAGES: "", ...env } });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill("SIGKILL");
    }, limitMs);
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await run(args, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

let n = 0;
const dirOf = () => {
  const d = path.join(tmp, `case-${++n}`);
  fs.mkdirSync(d);
  return d;
};

/** The demo workbook's bytes, with `edit` applied to its change set first. */
async function demoBytes(edit?: (c: ChangeSet) => void, lang: "zh" | "en" = "zh"): Promise<Uint8Array> {
  const changes = demoChanges(lang);
  edit?.(changes);
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(changes);
  return wb.toBytes();
}

let demo: Uint8Array;
beforeAll(async () => {
  demo = await demoBytes();
});

function demoCopy(name = "book.xlsx"): string {
  const file = path.join(dirOf(), name);
  fs.writeFileSync(file, demo);
  return file;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

// ---------------------------------------------------------------------------------------------

describe("data loss", () => {
  test("demo FILE where FILE exists: refused naming the file and --force, exit 2, the file unchanged", async () => {
    const dir = dirOf();
    const book = path.join(dir, "mine.xlsx");
    fs.writeFileSync(book, demo);
    fs.appendFileSync(book, ""); // a person's workbook
    const text = path.join(dir, "notes.xlsx");
    fs.writeFileSync(text, "a text file someone named .xlsx\n");
    for (const file of [book, text]) {
      const before = sha(file);
      const r = await cli(["demo", file, "--lang", "en"]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`planning-desk: ${file} already exists; it was not overwritten (--force replaces it with the sample workbook)`);
      expect(sha(file)).toBe(before);
    }
    // --force replaces a regular file this user may write.
    const forced = await cli(["demo", book, "--force", "--lang", "en"]);
    expect(forced.code).toBe(0);
    expect((await (await XlsxWorkbook.fromBytes(fs.readFileSync(book))).read()).sheetNames).toContain("KPI 2026-10");
  });

  test("demo through a .xlsx-named symbolic link to a file that is not a workbook: refused even with --force; the target unchanged", async () => {
    const dir = dirOf();
    const target = path.join(dir, "passwd");
    fs.writeFileSync(target, "root:x:0:0:root:/root:/bin/bash\n", { mode: 0o644 });
    const link = path.join(dir, "report.xlsx");
    fs.symlinkSync(target, link);
    const plain = await cli(["demo", link, "--lang", "en"]);
    expect(plain.code).toBe(2);
    expect(plain.err).toContain("already exists; it was not overwritten");
    const forced = await cli(["demo", link, "--force", "--lang", "en"]);
    expect(forced.code).toBe(2);
    expect(forced.err).toBe(`planning-desk: ${link} is a symbolic link to something that is not a workbook; it was not overwritten`);
    expect(fs.readFileSync(target, "utf8")).toBe("root:x:0:0:root:/root:/bin/bash\n");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(["passwd", "report.xlsx"]);
    // A link to a workbook: --force replaces the target, and the link stays a link.
    const book = demoCopy("real.xlsx");
    const toBook = path.join(dir, "book.xlsx");
    fs.symlinkSync(book, toBook);
    expect((await cli(["demo", toBook, "--lang", "en"])).code).toBe(2);
    const r = await cli(["demo", toBook, "--force", "--lang", "en"]);
    expect(r.code).toBe(0);
    expect(fs.lstatSync(toBook).isSymbolicLink()).toBe(true);
    expect((await (await XlsxWorkbook.fromBytes(fs.readFileSync(book))).read()).sheetNames).toContain("KPI 2026-10");
  });

  test("demo --force over a FIFO: refused, exit 2, nothing blocks", async () => {
    const fifo = path.join(dirOf(), "pipe.xlsx");
    execFileSync("mkfifo", [fifo]);
    const r = await proc(["demo", fifo, "--force", "--lang", "en"], {}, 15000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`planning-desk: ${fifo} is a named pipe (FIFO), not a regular file: it was neither read nor written`);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });

  test.each(["check", "report", "remind", "calendar"])("%s on a FIFO named .xlsx: one line, exit 2, no wait", async (command) => {
    const fifo = path.join(dirOf(), "book.xlsx");
    execFileSync("mkfifo", [fifo]);
    const r = await proc([command, fifo, "--lang", "en"], {}, 15000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`planning-desk: ${fifo} is a named pipe (FIFO), not a regular file: it was neither read nor written`);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("check on a link to a character device (/dev/zero): one line, exit 2", async () => {
    const link = path.join(dirOf(), "zero.xlsx");
    fs.symlinkSync("/dev/zero", link);
    const r = await proc(["check", link, "--lang", "en"], {}, 15000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`planning-desk: ${link} is a device, not a regular file: it was neither read nor written`);
  });

  test("report on a read-only workbook (0444) in a writable folder: refused, exit 2, bytes and mode unchanged", async () => {
    const file = demoCopy();
    fs.chmodSync(file, 0o444);
    const before = sha(file);
    const r = await cli(["report", file, "--month", "2026-10", "--lang", "en"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`planning-desk: ${file} is read-only (mode 444); it was left as it was: its owner must make it writable first`);
    expect(sha(file)).toBe(before);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["book.xlsx"]);
  });

  test("report by another user on someone else's workbook in a shared folder: refused, the owner kept", async () => {
    if (!isRoot) {
      // Without root there is no other user to run as: the rule itself, on the file's own stat with another owner.
      const st = fs.statSync(demoCopy());
      expect(ownerKeepable(Object.assign(Object.create(Object.getPrototypeOf(st)), st, { uid: st.uid + 1 }))).toBe(false);
      return;
    }
    // Run as nobody (uid 65534) over a file of root's, mode 0666, in a folder everyone may write.
    fs.chmodSync(tmp, 0o755);
    const dir = dirOf();
    fs.chmodSync(dir, 0o777);
    const file = path.join(dir, "book.xlsx");
    fs.writeFileSync(file, demo);
    fs.chmodSync(file, 0o666);
    const before = sha(file);
    const r = await new Promise<Done>((resolve) => {
      const p = spawn(process.execPath, ["--import", "tsx", ENTRY, "report", file, "--month", "2026-10", "--lang", "en"], {
        cwd: ROOT,
        uid: 65534,
        gid: 65534,
        env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LC_MESSAGES: "", HOME: dir },
      });
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.stderr.on("data", (d) => (stderr += d));
      p.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr, timedOut: false }));
    });
    expect(r.stderr.trim()).toBe(`planning-desk: ${file} belongs to another user (uid 0); replacing it would make it yours, so it was left as it was: run as its owner`);
    expect(r.code).toBe(2);
    expect(sha(file)).toBe(before);
    expect(fs.statSync(file).uid).toBe(0);
  });

  test("calendar -o over a FIFO or a device: refused, exit 2, the FIFO still a FIFO; never blocks", async () => {
    const book = demoCopy();
    const dir = path.dirname(book);
    const fifo = path.join(dir, "due.ics");
    execFileSync("mkfifo", [fifo]);
    const r = await proc(["calendar", book, "-o", fifo, "--lang", "en"], {}, 15000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`planning-desk: ${fifo} is a named pipe (FIFO), not a regular file: it was neither read nor written`);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    const dev = path.join(dir, "null.ics");
    fs.symlinkSync("/dev/null", dev);
    const d = await cli(["calendar", book, "-o", dev, "--lang", "en"]);
    expect(d.code).toBe(2);
    expect(d.err).toBe(`planning-desk: ${dev} is a device, not a regular file: it was neither read nor written`);
    expect(fs.statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(["book.xlsx", "due.ics", "null.ics"]);
  });

  test("calendar -o: a read-only file and a file that is not an export are refused; a previous export is replaced, its mode kept", async () => {
    const book = demoCopy();
    const dir = path.dirname(book);
    const ro = path.join(dir, "ro.ics");
    fs.writeFileSync(ro, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    fs.chmodSync(ro, 0o444);
    const a = await cli(["calendar", book, "-o", ro, "--lang", "en"]);
    expect(a.code).toBe(2);
    expect(a.err).toBe(`planning-desk: ${ro} is read-only (mode 444); it was left as it was: its owner must make it writable first`);
    expect(fs.readFileSync(ro, "utf8")).toBe("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    const notes = path.join(dir, "notes.txt");
    fs.writeFileSync(notes, "my notes\n");
    const b = await cli(["calendar", book, "-o", notes, "--lang", "en"]);
    expect(b.code).toBe(2);
    expect(b.err).toBe(`planning-desk: ${notes} exists and is not an iCalendar (.ics) file; it was not overwritten (--force to replace it)`);
    expect(fs.readFileSync(notes, "utf8")).toBe("my notes\n");
    const prev = path.join(dir, "due.ics");
    fs.writeFileSync(prev, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", { mode: 0o640 });
    fs.chmodSync(prev, 0o640);
    const c = await cli(["calendar", book, "-o", prev, "--lang", "en"]);
    expect(c.code).toBe(0);
    expect(fs.readFileSync(prev, "utf8")).toContain("BEGIN:VEVENT");
    expect(fs.statSync(prev).mode & 0o777).toBe(0o640);
    const forced = await cli(["calendar", book, "-o", notes, "--force", "--lang", "en"]);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(notes, "utf8")).toContain("BEGIN:VCALENDAR");
    expect(fs.readdirSync(dir).sort()).toEqual(["book.xlsx", "due.ics", "notes.txt", "ro.ics"]);
  });
});
