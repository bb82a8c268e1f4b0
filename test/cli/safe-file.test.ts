/**
 * Safe writes of the shared workbook from the command line, with real files and real processes:
 * two month ends at once, a co-author's save during a run, the workbook open in Excel or
 * LibreOffice, mode and symbolic links kept, kill -9 and SIGTERM in the middle of a write, and a
 * file appearing while `demo` creates it. The CLI runs from the sources (`node --import tsx`);
 * PLANNING_DESK_TEST_PAUSE_BEFORE_REPLACE makes it wait, temporary file written, before it
 * replaces the workbook, and say so on stderr.
 */
import { ChildProcess, spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import {
  SafeFileError,
  createWorkbookFile,
  lockPathOf,
  ownerOf,
  parseLibreOfficeLock,
  parseOwnerFile,
  readWorkbookFile,
  tempPathOf,
  updateWorkbookFile,
} from "../../src/cli/safe-file";

const ROOT = path.join(__dirname, "..", "..");
const ENTRY = path.join(__dirname, "cli-entry.ts");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-safe-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Cli {
  proc: ChildProcess;
  done: Promise<Done>;
  /** Resolves at the n-th (1-based) test pause, temporary file written, workbook not yet replaced. */
  pause(n?: number): Promise<void>;
}

/** The CLI as a real child process. */
function cli(args: string[], env: Record<string, string> = {}): Cli {
  const proc = spawn(process.execPath, ["--import", "tsx", ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LC_MESSAGES: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  let pauses = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  proc.stdout!.on("data", (d) => (stdout += d));
  proc.stderr!.on("data", (d) => {
    stderr += d;
    pauses = (stderr.match(/test pause/g) ?? []).length;
    for (const w of waiters.filter((w) => w.n <= pauses)) w.resolve();
  });
  const done = new Promise<Done>((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    proc,
    done,
    pause: (n = 1) =>
      new Promise<void>((resolve, reject) => {
        if (pauses >= n) return resolve();
        waiters.push({ n, resolve });
        void done.then((d) => reject(new Error(`exited (${d.code ?? d.signal}) before pause ${n}:\n${d.stdout}\n${d.stderr}`)));
      }),
  };
}

const pauseEnv = (ms: number) => ({ PLANNING_DESK_TEST_PAUSE_BEFORE_REPLACE: String(ms) });

let demoBytes: Buffer;
let n = 0;
/** A fresh copy of the demo workbook (made once with `planning-desk demo`) in its own folder. */
function demoCopy(name = "book.xlsx"): string {
  const dir = path.join(tmp, `case-${++n}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, demoBytes);
  return file;
}

const sheets = async (bytes: Uint8Array) => (await (await XlsxWorkbook.fromBytes(bytes)).read()).sheetNames;
const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => /\.planning-desk-\d+\.tmp$|\.planning-desk\.lock/.test(f));

const projectCol = (headers: string[]) => {
  const col = headers.findIndex((h) => h === "项目名称" || h === "Project");
  expect(col).toBeGreaterThanOrEqual(0);
  return col;
};

/** The workbook with the first card's project renamed: what a co-author saves. */
async function withNote(bytes: Uint8Array, note: string): Promise<Buffer> {
  const wb = await XlsxWorkbook.fromBytes(bytes);
  const reg = findTable(await wb.read(), "Register")!;
  const changes = emptyChangeSet();
  changes.cells.push({ table: "Register", row: 0, col: projectCol(reg.headers), value: note });
  await wb.write(changes);
  return Buffer.from(await wb.toBytes());
}
async function noteOf(bytes: Uint8Array): Promise<unknown> {
  const reg = findTable(await (await XlsxWorkbook.fromBytes(bytes)).read(), "Register")!;
  return reg.rows[0][projectCol(reg.headers)];
}

/** An owner file as Excel writes it: length, ANSI name padded with spaces to 55, 2-byte length, UTF-16LE name, 165 bytes. */
function excelOwnerFile(name: string, ansi: number[]): Buffer {
  const b = Buffer.alloc(165, 0x20);
  b[0] = name.length;
  Buffer.from(ansi).copy(b, 1);
  b.writeUInt16LE(name.length, 55);
  Buffer.from(name, "utf16le").copy(b, 57);
  for (let i = 57 + 2 * name.length; i < 165; i += 2) b[i + 1] = 0;
  return b;
}
const WANG_QIANG_GBK = [0xcd, 0xf5, 0xc7, 0xbf]; // 王强 in code page 936

beforeAll(async () => {
  const file = path.join(tmp, "demo.xlsx");
  const r = await cli(["demo", file, "--lang", "zh"]).done;
  expect(r.code).toBe(0);
  demoBytes = fs.readFileSync(file);
  expect(await sheets(demoBytes)).toContain("KPI 2026-10");
  expect(leftovers(tmp)).toEqual([]);
});

describe("one run at a time", () => {
  test("two reports of different months at once: both months' KPI sheets are in the file", async () => {
    const file = demoCopy();
    const [a, b] = await Promise.all([cli(["report", file, "--month", "2026-09"]).done, cli(["report", file, "--month", "2026-11"]).done]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const names = await sheets(fs.readFileSync(file));
    expect(names).toEqual(expect.arrayContaining(["KPI 2026-09", "KPI 2026-10", "KPI 2026-11"]));
    expect(leftovers(path.dirname(file))).toEqual([]);
  });

  test("a live lock makes the run wait, then refuse with the holder's pid, exit 2, file untouched", async () => {
    const file = demoCopy();
    const holder = cli(["report", file, "--month", "2026-09"], pauseEnv(8000));
    await holder.pause();
    const r = await cli(["report", file, "--month", "2026-11"], { PLANNING_DESK_LOCK_WAIT_MS: "600" }).done;
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `planning-desk: another planning-desk run is writing this workbook (pid ${holder.proc.pid}): try again shortly`,
    );
    expect(JSON.parse(fs.readFileSync(lockPathOf(file), "utf8"))).toMatchObject({
      pid: holder.proc.pid,
      host: os.hostname(),
      command: "report",
    });
    holder.proc.kill("SIGTERM");
    await holder.done;
    expect(fs.readFileSync(file).equals(demoBytes)).toBe(true);
    expect(leftovers(path.dirname(file))).toEqual([]);
  });

  test("the lock of a process that is gone is recovered", async () => {
    const file = demoCopy();
    const gone = spawn(process.execPath, ["-e", "0"]);
    await new Promise((r) => gone.on("exit", r));
    fs.writeFileSync(
      lockPathOf(file),
      JSON.stringify({ pid: gone.pid, host: os.hostname(), started: new Date().toISOString(), command: "report", token: "x" }),
    );
    const r = await cli(["report", file, "--month", "2026-11"], { PLANNING_DESK_LOCK_WAIT_MS: "0" }).done;
    expect(r.code).toBe(0);
    expect(await sheets(fs.readFileSync(file))).toContain("KPI 2026-11");
    expect(leftovers(path.dirname(file))).toEqual([]);
  });
});

describe("a co-author's save during a run", () => {
  test("is kept: the report is recomputed on their version", async () => {
    const file = demoCopy();
    const theirs = await withNote(demoBytes, "王强 saved this");
    expect(await noteOf(theirs)).toBe("王强 saved this");
    expect(await noteOf(demoBytes)).not.toBe("王强 saved this");
    const run = cli(["report", file, "--month", "2026-11"], pauseEnv(800));
    await run.pause(1);
    fs.writeFileSync(file, theirs); // in place, as some programs save
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("was saved by someone else while report was running; the report was recomputed on their version");
    expect(r.stderr.match(/test pause/g)).toHaveLength(2);
    const now = fs.readFileSync(file);
    expect(await noteOf(now)).toBe("王强 saved this");
    expect(await sheets(now)).toContain("KPI 2026-11");
    expect(leftovers(path.dirname(file))).toEqual([]);
  });

  test("that keeps coming: refused after 3 attempts, exit 2, their last save is the file", async () => {
    const file = demoCopy();
    const versions = await Promise.all([1, 2, 3].map((i) => withNote(demoBytes, `save ${i}`)));
    const run = cli(["report", file, "--month", "2026-11"], pauseEnv(1000));
    for (let i = 1; i <= 3; i++) {
      await run.pause(i);
      // Saved the way Excel saves: a new file renamed over the old one.
      fs.writeFileSync(file + ".excel-tmp", versions[i - 1]);
      fs.renameSync(file + ".excel-tmp", file);
    }
    const r = await run.done;
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("planning-desk: ") && !l.includes("test pause"))).toEqual([
      "planning-desk: the file changed while report was running: run it again",
    ]);
    expect(fs.readFileSync(file).equals(versions[2])).toBe(true);
    expect(leftovers(path.dirname(file))).toEqual([]);
  });
});

describe("open in Excel or LibreOffice", () => {
  test("Excel's owner file: refused, the person named, the file unchanged, the pane suggested", async () => {
    const file = demoCopy("x.xlsx");
    fs.writeFileSync(path.join(path.dirname(file), "~$x.xlsx"), excelOwnerFile("王强", WANG_QIANG_GBK));
    const en = await cli(["report", file, "--month", "2026-11"]).done;
    expect(en.code).toBe(2);
    expect(en.stderr).toContain("王强 has this workbook open in Excel");
    expect(en.stderr).toContain("run Month end from the Planning Desk pane in Excel");
    expect(en.stderr.trim().split("\n")).toHaveLength(1);
    const zh = await cli(["report", file, "--month", "2026-11"], { LANG: "zh_CN.UTF-8" }).done;
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain("王强 正在 Excel 中编辑此工作簿");
    expect(zh.stderr).toContain("在 Excel 的策划台窗格中运行月末");
    expect(fs.readFileSync(file).equals(demoBytes)).toBe(true);
    expect(leftovers(path.dirname(file))).toEqual([]);
  });

  test("check still reads a workbook open in Excel, with a note", async () => {
    const file = demoCopy("x.xlsx");
    fs.writeFileSync(path.join(path.dirname(file), "~$x.xlsx"), excelOwnerFile("王强", WANG_QIANG_GBK));
    const text = await cli(["check", file, "--lang", "en"]).done;
    expect(text.code).not.toBe(2);
    expect(text.stdout.split("\n")[0]).toBe("note: 王强 has this workbook open in Excel; this checks the last saved version");
    const json = await cli(["check", file, "--json"]).done;
    expect(JSON.parse(json.stdout).openElsewhere).toEqual({ app: "excel", name: "王强" });
  });

  test("LibreOffice's lock file: refused the same way, its user named", async () => {
    const file = demoCopy("lo.xlsx");
    fs.writeFileSync(
      path.join(path.dirname(file), ".~lock.lo.xlsx#"),
      ",王强,wq-pc,wq,22.11.2026 10:00,file:///home/wq/.config/libreoffice/4;",
    );
    const r = await cli(["init", file, "--lang", "en"]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("王强 (wq-pc) has this workbook open in LibreOffice");
    expect(fs.readFileSync(file).equals(demoBytes)).toBe(true);
  });

  test("owner files are parsed defensively", () => {
    expect(parseOwnerFile(excelOwnerFile("王强", WANG_QIANG_GBK))).toBe("王强");
    expect(parseOwnerFile(excelOwnerFile("Li Na", [...Buffer.from("Li Na")]))).toBe("Li Na");
    // Word's layout: zeros up to the UTF-16 length at 54.
    const word = Buffer.alloc(162, 0);
    word[0] = 5;
    Buffer.from("Zhang").copy(word, 1);
    word.writeUInt16LE(5, 54);
    Buffer.from("Zhang", "utf16le").copy(word, 56);
    expect(parseOwnerFile(word)).toBe("Zhang");
    // Only the ANSI name readable (a broken UTF-16 part): the GBK name.
    const ansiOnly = excelOwnerFile("王强", WANG_QIANG_GBK);
    ansiOnly.writeUInt16LE(900, 55);
    expect(parseOwnerFile(ansiOnly)).toBe("王强");
    for (const junk of [Buffer.alloc(0), Buffer.from([0xff]), Buffer.from([3, 0, 1, 2]), Buffer.alloc(165, 0), Buffer.alloc(165, 0xff)])
      expect(parseOwnerFile(junk)).toBeNull();
    expect(parseLibreOfficeLock(Buffer.from("Wang\\, Qiang,wq,host,date,url;"))).toEqual({ name: "Wang, Qiang", host: "host" });
    expect(parseLibreOfficeLock(Buffer.from([0xff, 0xfe]))).toEqual({ name: null });
  });

  test("ownerOf: the short form ~$ + name without its first two characters; a malformed owner file is someone", async () => {
    const file = demoCopy("quarterly-register.xlsx");
    const dir = path.dirname(file);
    expect(ownerOf(file)).toBeNull();
    fs.writeFileSync(path.join(dir, "~$arterly-register.xlsx"), Buffer.from([1, 2, 3]));
    expect(ownerOf(file)).toMatchObject({ app: "excel", name: null });
    const r = await cli(["report", file, "--month", "2026-11"]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("someone has this workbook open in Excel");
    expect(fs.readFileSync(file).equals(demoBytes)).toBe(true);
  });
});

describe("the file keeps its identity", () => {
  test("mode 640 is kept", async () => {
    const file = demoCopy();
    fs.chmodSync(file, 0o640);
    const r = await cli(["report", file, "--month", "2026-11"]).done;
    expect(r.code).toBe(0);
    expect(fs.statSync(file).mode & 0o7777).toBe(0o640);
    expect(await sheets(fs.readFileSync(file))).toContain("KPI 2026-11");
  });

  test("a symbolic link stays a link; its target gets the change; the temporary file was beside the target", async () => {
    const target = demoCopy("real.xlsx");
    const linkDir = path.join(tmp, `links-${++n}`);
    fs.mkdirSync(linkDir);
    const link = path.join(linkDir, "book.xlsx");
    fs.symlinkSync(target, link);
    const run = cli(["report", link, "--month", "2026-11"], pauseEnv(600));
    await run.pause();
    expect(leftovers(path.dirname(target)).some((f) => f.startsWith(".real.xlsx.planning-desk-"))).toBe(true);
    expect(leftovers(linkDir)).toEqual([]);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe(target);
    expect(await sheets(fs.readFileSync(target))).toContain("KPI 2026-11");
    expect(leftovers(path.dirname(target))).toEqual([]);
  });
});

describe("killed in the middle of a write", () => {
  test("kill -9: the file is the old one; the next run removes the temporary file and recovers the lock", async () => {
    const file = demoCopy();
    const dir = path.dirname(file);
    const run = cli(["report", file, "--month", "2026-11"], pauseEnv(5000));
    await run.pause();
    const pid = run.proc.pid!;
    expect(fs.existsSync(tempPathOf(file, pid))).toBe(true);
    run.proc.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");
    expect(fs.readFileSync(file).equals(demoBytes)).toBe(true);
    expect(leftovers(dir).sort()).toEqual([path.basename(lockPathOf(file)), path.basename(tempPathOf(file, pid))].sort());
    const next = await cli(["report", file, "--month", "2026-11"], { PLANNING_DESK_LOCK_WAIT_MS: "0" }).done;
    expect(next.code).toBe(0);
    expect(leftovers(dir)).toEqual([]);
    expect(await sheets(fs.readFileSync(file))).toContain("KPI 2026-11");
  });

  test.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)(
    "%s during the write: temporary file and lock removed, the file unchanged",
    async (sig) => {
      const file = demoCopy();
      const run = cli(["report", file, "--month", "2026-11"], pauseEnv(5000));
      await run.pause();
      expect(leftovers(path.dirname(file))).toHaveLength(2);
      run.proc.kill(sig);
      const r = await run.done;
      expect(r.signal).toBe(sig);
      expect(leftovers(path.dirname(file))).toEqual([]);
      expect(fs.readFileSync(file).equals(demoBytes)).toBe(true);
    },
  );
});

describe("creating a file", () => {
  test("demo refuses a file that appeared while it ran, and leaves it", async () => {
    const file = path.join(tmp, `new-${++n}.xlsx`);
    const run = cli(["demo", file, "--lang", "en"], pauseEnv(1000));
    await run.pause();
    fs.writeFileSync(file, "someone else's file");
    const r = await run.done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("already exists (it appeared while demo was running); it was not overwritten");
    expect(fs.readFileSync(file, "utf8")).toBe("someone else's file");
    expect(leftovers(tmp)).toEqual([]);
  });

  test("init creates a new workbook; a second init completes it in place", async () => {
    const file = path.join(tmp, `init-${++n}.xlsx`);
    const first = await cli(["init", file, "--lang", "en"]).done;
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toBe(`created ${file}`);
    const second = await cli(["init", file, "--lang", "en"]).done;
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe(`set up ${file}: 0 tables created, 0 columns added`);
    expect(await sheets(fs.readFileSync(file))).toContain("Register");
  });
});

describe("the module itself", () => {
  test("updateWorkbookFile: compute runs on the current bytes; null leaves the file; errors leave no lock", async () => {
    const file = demoCopy();
    const before = readWorkbookFile(file);
    const out = await updateWorkbookFile(file, async (bytes) => ({ bytes: null, result: bytes.length }), { command: "test" });
    expect(out).toEqual({ result: demoBytes.length, written: false, attempts: 1 });
    expect(readWorkbookFile(file).identity).toEqual(before.identity);
    await expect(updateWorkbookFile(file, async () => Promise.reject(new Error("boom")), { command: "test" })).rejects.toThrow("boom");
    expect(leftovers(path.dirname(file))).toEqual([]);
  });

  test("a lock older than the stale age is recovered even from another host", async () => {
    const file = demoCopy();
    fs.writeFileSync(
      lockPathOf(file),
      JSON.stringify({ pid: 1, host: "elsewhere", started: new Date(Date.now() - 60_000).toISOString(), command: "report", token: "t" }),
    );
    await expect(
      updateWorkbookFile(file, async () => ({ bytes: null, result: 0 }), { command: "test", lockWaitMs: 200 }),
    ).rejects.toMatchObject({ kind: "busy" });
    expect(fs.existsSync(lockPathOf(file))).toBe(true);
    await updateWorkbookFile(file, async () => ({ bytes: null, result: 0 }), { command: "test", lockWaitMs: 200, staleLockMs: 30_000 });
    expect(fs.existsSync(lockPathOf(file))).toBe(false);
  });

  test("createWorkbookFile refuses an existing file; readWorkbookFile refuses what is not a workbook file", async () => {
    const file = demoCopy();
    await expect(createWorkbookFile(file, new Uint8Array([1]), { command: "test" })).rejects.toMatchObject({ kind: "exists" });
    expect(fs.readFileSync(file).equals(demoBytes)).toBe(true);
    expect(() => readWorkbookFile(path.join(tmp, "missing.xlsx"))).toThrow(SafeFileError);
    expect(() => readWorkbookFile(tmp)).toThrow(/a folder/);
    expect(() => readWorkbookFile(__filename)).toThrow(/only .xlsx/);
  });
});
