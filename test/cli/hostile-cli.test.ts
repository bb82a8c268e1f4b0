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
import { CellValue, ChangeSet, cellAddress, findTable } from "../../src/workbook/port";
import { toSerial } from "../../src/core/calendar";
import { terminalText } from "../../src/core/text";
import { textTable } from "../../src/cli/table";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { addDeadlineColumns } from "../../src/workbook/deadline-columns-action";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { toFileFormula } from "../../src/workbook/file/formula";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { lockPathOf, ownerKeepable } from "../../src/cli/safe-file";

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
    const p = spawn(process.execPath, ["--import", "tsx", ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LC_MESSAGES: "", ...env },
    });
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
    const code = await run(
      args,
      (s) => out.push(s),
      (s) => err.push(s),
    );
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
    expect(r.stderr.trim()).toBe(
      `planning-desk: ${file} belongs to another user (uid 0); replacing it would make it yours, so it was left as it was: run as its owner`,
    );
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
    expect(b.err).toBe(
      `planning-desk: ${notes} exists and is not an iCalendar (.ics) file; it was not overwritten (--force to replace it)`,
    );
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

  test("calendar -o naming the workbook itself, or a link to it, is refused even with --force: exit 2, the workbook unchanged", async () => {
    const book = demoCopy();
    const link = path.join(path.dirname(book), "book.ics");
    fs.symlinkSync(book, link);
    const before = sha(book);
    for (const target of [book, link]) {
      const r = await cli(["calendar", book, "-o", target, "--force", "--lang", "en"]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `planning-desk: ${target} is the workbook being read (${book}); it was not overwritten, even with --force: choose another output file`,
      );
      expect(sha(book)).toBe(before);
    }
    const zh = await cli(["calendar", book, "-o", book, "--force", "--lang", "zh"]);
    expect(zh.err).toContain("就是正在读取的工作簿");
    expect(fs.readdirSync(path.dirname(book)).sort()).toEqual(["book.ics", "book.xlsx"]);
  });
});

// ---------------------------------------------------------------------------------------------

/** A column of a new table by its header. */
function tableCol(c: ChangeSet, table: string, header: string): { rows: CellValue[][]; col: number } {
  const t = c.newTables.find((x) => x.name === table);
  if (!t) throw new Error(`no ${table}`);
  const col = t.headers.indexOf(header);
  expect(col).toBeGreaterThanOrEqual(0);
  return { rows: t.rows, col };
}

const EVIL_ID = 'D1"),HYPERLINK("http://evil.example/x","click';

/** The demo with its first deadline's id replaced by a formula injection. */
const injected = (c: ChangeSet) => {
  const { rows, col } = tableCol(c, "Deadlines", "时限");
  rows[0][col] = EVIL_ID;
};

async function deadlinesIdCell(bytes: Uint8Array): Promise<string> {
  const t = findTable(await (await XlsxWorkbook.fromBytes(bytes)).read(), "Deadlines");
  if (!t) throw new Error("no Deadlines");
  return cellAddress(t.sheet, t.top + 1, t.left + t.headers.indexOf("时限"));
}

describe("injection", () => {
  test('a " in a Deadlines id never becomes formula text: init --deadline-columns refuses with the cell, exit 1, the file unchanged', async () => {
    const bytes = await demoBytes(injected);
    const file = path.join(dirOf(), "book.xlsx");
    fs.writeFileSync(file, bytes);
    const before = sha(file);
    const r = await cli(["init", file, "--deadline-columns", "--lang", "en"]);
    const cell = await deadlinesIdCell(bytes);
    expect(r.err).toBe(
      `planning-desk: ${cell}: the deadline id ${JSON.stringify(EVIL_ID.toUpperCase())} may hold only letters, digits, _, - or Chinese characters, so it cannot go into a formula; nothing was written`,
    );
    expect(r.code).toBe(1);
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["book.xlsx"]);
  });

  test("the same through Office.js (the pane's Add deadline columns): refused with the cell, nothing written", async () => {
    const excel = new FakeExcel();
    const wb = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (name, v) => excel.isSetSupported(name, v));
    await wb.read();
    const changes = demoChanges("zh");
    injected(changes);
    await wb.write(changes);
    const before = findTable(await wb.read(), "Register")?.headers;
    const r = await addDeadlineColumns(wb, toSerial(2026, 10, 20, 15, 30));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason.en).toMatch(
      /^时限!A2: the deadline id "D1\\"\),HYPERLINK\(\\"HTTP:\/\/EVIL\.EXAMPLE\/X\\",\\"CLICK" may hold only letters/,
    );
    expect(findTable(await wb.read(), "Register")?.headers).toEqual(before);
  });

  test("file formulas: a quote or bracket inside a column name never opens a string, a bracket inside a string never opens a reference", () => {
    expect(toFileFormula('=PLAN.OVERDUE([@[a"),HYPERLINK("x]],[@回复客户])', "Register")).toBe(
      '_xldudf_PLAN_OVERDUE(Register[[#This Row],[a"),HYPERLINK("x]],Register[[#This Row],[回复客户]])',
    );
    expect(toFileFormula("=PLAN.DUE([@[D1 '[x']]],1)", "Register")).toBe("_xldudf_PLAN_DUE(Register[[#This Row],[D1 '[x']]],1)");
    expect(toFileFormula('=IF([@需求接收]="[@x] PLAN.DUE(","",PLAN.DUE([@需求接收],0.5))', "Register")).toBe(
      'IF(Register[[#This Row],[需求接收]]="[@x] PLAN.DUE(","",_xldudf_PLAN_DUE(Register[[#This Row],[需求接收]],0.5))',
    );
  });
});

const CSI = "\u001b[2J\u001b[H";
const OSC = "\u001b]0;pwned\u0007";
const NASTY = `${CSI}${OSC}\u009b31m\u202eevil\u202c\u2066x\u2069\r`;
/** What no terminal output may hold: ESC, BEL, C1, a lone CR, bidi overrides and isolates. */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

describe("terminal", () => {
  test("cell text with escape sequences, C1 controls and bidi overrides reaches no output raw: check, check --json, remind, report", async () => {
    const bytes = await demoBytes((c) => {
      const { rows, col } = tableCol(c, "Register", "项目名称");
      for (const r of rows) if (r[0] === "202610-001") r[col] = `云岭茶业${NASTY}会员日`;
      const recv = tableCol(c, "Register", "需求接收");
      recv.rows[recv.rows.length - 1][recv.col] = `tomorrow${NASTY}`;
    });
    const file = path.join(dirOf(), "book.xlsx");
    fs.writeFileSync(file, bytes);
    const check = await cli(["check", file, "--lang", "en"]);
    expect(check.code).toBe(1);
    expect(check.out).toContain("is not a date");
    expect(check.out).toContain("tomorrow");
    const json = await cli(["check", file, "--json"]);
    const remind = await cli(["remind", file, "--at", "2026-10-10 09:30"]);
    // One line in the digest: the escape sequences gone, the carriage return a space.
    expect(remind.out).toContain("202610-001 云岭茶业evilx 会员日 · D4");
    const report = await cli(["report", file, "--month", "2026-10", "--lang", "en"]);
    expect(report.code).toBe(0);
    for (const r of [check, json, remind, report]) {
      expect(r.out).not.toMatch(UNSAFE);
      expect(r.err).not.toMatch(UNSAFE);
    }
    expect(JSON.parse(json.out).errors).toBeGreaterThan(0);
    // The filter itself keeps tabs, newlines and CRLF (the .ics on stdout), and takes whole sequences.
    expect(terminalText(`a\tb\nc\r\nd${NASTY}e`)).toBe("a\tb\nc\r\ndevilxe");
  });

  test("a newline in a table cell cannot forge a row of report's tables", () => {
    const t = textTable(["Person", "Points"], [["王强\n李娜  10", 2]]);
    expect(t.split("\n")).toEqual(["Person         Points", "-------------  ------", "王强 李娜  10  2"]);
  });
});

// ---------------------------------------------------------------------------------------------

interface Hit {
  url: URL;
  body: {
    markdown?: { title: string; text: string };
    card?: { elements: { text: { content: string } }[] };
    timestamp?: string;
    sign?: string;
  };
}

/** A robot on 127.0.0.1 that checks DingTalk's or Feishu's signature when given a secret, and records each request. */
async function robot(kind: "dingtalk" | "feishu", secret?: string): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (data += d));
    req.on("end", () => {
      const hit: Hit = { url: new URL(req.url ?? "/", "http://127.0.0.1"), body: JSON.parse(data) };
      hits.push(hit);
      let ok = true;
      if (secret && kind === "dingtalk") {
        const ts = hit.url.searchParams.get("timestamp") ?? "";
        ok = hit.url.searchParams.get("sign") === crypto.createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
      }
      if (secret && kind === "feishu")
        ok = hit.body.sign === crypto.createHmac("sha256", `${hit.body.timestamp}\n${secret}`).update("").digest("base64");
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify(
          kind === "dingtalk"
            ? ok
              ? { errcode: 0, errmsg: "ok" }
              : { errcode: 310000, errmsg: "sign not match" }
            : ok
              ? { code: 0, msg: "success" }
              : { code: 19021, msg: "sign match fail" },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

const AT = ["--at", "2026-10-10 09:30"];
const EVIL_PROJECT =
  "[点我](http://evil.example/x) ![t](http://evil.example/p.png) **粗** _斜_ `码` <at id=all></at> # 标题 > 引 | 表 ~删~ www.evil.example";

describe("messages and calendars", () => {
  test("markdown links, images, emphasis and robot tags in a name are neutralised for DingTalk and Feishu; the words stay readable", async () => {
    const file = path.join(dirOf(), "book.xlsx");
    fs.writeFileSync(
      file,
      await demoBytes((c) => {
        const { rows, col } = tableCol(c, "Register", "项目名称");
        for (const r of rows) if (r[0] === "202610-001") r[col] = EVIL_PROJECT;
      }),
    );
    const ding = await robot("dingtalk");
    const feishu = await robot("feishu");
    try {
      const r = await cli([
        "remind",
        file,
        ...AT,
        "--dingtalk",
        `${ding.url}/robot/send?access_token=T`,
        "--feishu",
        `${feishu.url}/open-apis/bot/v2/hook/x`,
      ]);
      expect(r.code).toBe(0);
      const texts = [
        ...ding.hits.map((h) => h.body.markdown?.text ?? ""),
        ...feishu.hits.map((h) => h.body.card?.elements[0].text.content ?? ""),
      ];
      const lines = texts.flatMap((t) => t.split("\n")).filter((l) => l.includes("202610-001"));
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        for (const bad of ["](", "![", "http://", "<at", "**", "_斜_", "`", "# ", "> ", " | ", "~删~", "www.evil"])
          expect(line).not.toContain(bad);
        expect(line).toContain("点我");
        expect(line).toContain("evil.example");
      }
    } finally {
      await ding.close();
      await feishu.close();
    }
  });

  test("control characters in cells never reach the .ics (only CRLF line ends); ; , \\ and newlines stay escaped", async () => {
    const dir = dirOf();
    const file = path.join(dir, "book.xlsx");
    fs.writeFileSync(
      file,
      await demoBytes((c) => {
        const { rows, col } = tableCol(c, "Register", "项目名称");
        for (const r of rows) if (r[0] === "202610-025") r[col] = `A\u0007B\u001b[31mC\u0085D\u202eE\u0000F;G,H\\I\nJ`;
      }),
    );
    const out = path.join(dir, "due.ics");
    const r = await cli(["calendar", file, "-o", out]);
    expect(r.code).toBe(0);
    const ics = fs.readFileSync(out, "utf8");
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(ics.replace(/\r\n /g, "")).toContain("SUMMARY:D4 提交方案框架 · 202610-025 ABCDEF\\;G\\,H\\\\I\\nJ\r\n");
  });
});

const SECRET = "SEC-hostile-7f3a9c1d";

/** Every file under `dir`, read as text, that holds `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) out.push(...filesHolding(p, needle));
    else if (st.isFile() && fs.readFileSync(p).includes(needle)) out.push(p);
  }
  return out;
}

describe("secrets", () => {
  test("the lock file holds only pid, host, start time, command; remind with a secret on argv while a lock exists leaves it in no file and no output", async () => {
    const file = demoCopy();
    const dir = path.dirname(file);
    const ding = await robot("dingtalk", SECRET);
    try {
      // A report that holds the workbook's lock, started with a secret among its arguments.
      const holder = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          ENTRY,
          "report",
          file,
          "--month",
          "2026-10",
          "--dingtalk",
          `${ding.url}/robot/send?access_token=T`,
          "--secret",
          SECRET,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, LANG: "en_US.UTF-8", PLANNING_DESK_TEST_PAUSE_BEFORE_REPLACE: "4000" },
        },
      );
      let holderErr = "";
      const holderDone = new Promise<number | null>((resolve) => holder.on("exit", (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        holder.stderr.on("data", (d) => {
          holderErr += d;
          if (holderErr.includes("test pause")) resolve();
        });
        void holderDone.then(() => reject(new Error(`report ended before its pause: ${holderErr}`)));
      });
      const lock = JSON.parse(fs.readFileSync(lockPathOf(file), "utf8"));
      expect(Object.keys(lock).sort()).toEqual(["command", "host", "pid", "started", "token"]);
      expect(lock.command).toBe("report");
      const r = await proc([
        "remind",
        file,
        ...AT,
        "--lang",
        "en",
        "--dingtalk",
        `${ding.url}/robot/send?access_token=T`,
        "--secret",
        SECRET,
      ]);
      expect(r.code).toBe(0);
      expect(ding.hits.length).toBe(4); // signed with the secret: the stand-in checked each signature
      expect(r.stderr).toMatch(
        /^planning-desk: warning: --secret on the command line can be seen by every user of this machine in process listings/,
      );
      expect(await holderDone).toBe(0);
      for (const text of [r.stdout, r.stderr, holderErr]) expect(text).not.toContain(SECRET);
      expect(filesHolding(dir, SECRET)).toEqual([]);
    } finally {
      await ding.close();
    }
  });

  test("secrets from the environment or a --config file of mode 0600 (JSON or INI), without a warning; a config others may read is refused", async () => {
    const book = demoCopy();
    const dir = path.dirname(book);
    const ding = await robot("dingtalk", SECRET);
    const feishu = await robot("feishu", SECRET);
    try {
      const env = await cli(["remind", book, ...AT, "--lang", "en"], {
        PLANNING_DESK_DINGTALK_URL: `${ding.url}/robot/send?access_token=T`,
        PLANNING_DESK_DINGTALK_SECRET: SECRET,
      });
      expect(env.err).toBe("");
      expect(env.code).toBe(0);
      expect(env.out).toContain("DingTalk: 4 messages sent");

      const json = path.join(dir, "desk.json");
      fs.writeFileSync(json, JSON.stringify({ dingtalk: { url: `${ding.url}/robot/send?access_token=T`, secret: SECRET } }), {
        mode: 0o600,
      });
      const a = await cli(["remind", book, ...AT, "--lang", "en", "--config", json]);
      expect(a.err).toBe("");
      expect(a.out).toContain("DingTalk: 4 messages sent");

      const ini = path.join(dir, "desk.ini");
      fs.writeFileSync(ini, `# Planning Desk\n[feishu]\nurl = ${feishu.url}/open-apis/bot/v2/hook/x\nsecret = "${SECRET}"\n`, {
        mode: 0o600,
      });
      const b = await cli(["remind", book, ...AT, "--lang", "en", "--config", ini]);
      expect(b.err).toBe("");
      expect(b.out).toContain("Feishu: 4 messages sent");
      expect(feishu.hits).toHaveLength(4);

      fs.chmodSync(ini, 0o644);
      const c = await cli(["remind", book, ...AT, "--lang", "en", "--config", ini]);
      expect(c.code).toBe(2);
      expect(c.err).toBe(
        `planning-desk: the configuration file ${ini} has mode 644, so other users can read its secrets: run chmod 600 ${ini} first`,
      );
      expect(ding.hits).toHaveLength(8);
      expect(feishu.hits).toHaveLength(4);
    } finally {
      await ding.close();
      await feishu.close();
    }
  });

  test("an SMTP password is never echoed: not in a usage error, not in a connection failure", async () => {
    const book = path.join(dirOf(), "book.xlsx");
    fs.writeFileSync(
      book,
      await demoBytes((c) => {
        const { rows, col } = tableCol(c, "Staff", "邮箱");
        for (const r of rows) if (r[0] === "周婷" || r[0] === "孙悦") r[col] = `${r[0] === "周婷" ? "zhou" : "sun"}@example.com`;
      }),
    );
    const pass = "hunter2-Pa55word";
    const usage = await cli(["remind", book, ...AT, "--smtp", `smtx://desk:${pass}@127.0.0.1:1`, "--from", "desk@example.com"]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("--smtp takes smtp://user:pass@host:port");
    expect(usage.err).not.toContain(pass);
    const refused = await cli([
      "remind",
      book,
      ...AT,
      "--lang",
      "en",
      "--smtp",
      `smtp://desk:${pass}@127.0.0.1:1`,
      "--from",
      "desk@example.com",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("e-mail: failed (0 of 2 sent)");
    expect(refused.err + refused.out).not.toContain(pass);
  });
});

describe("network failures", () => {
  test("a robot that drops the connection, and a URL that cannot be read: one sentence naming the channel, no JavaScript words, no token", async () => {
    const book = demoCopy();
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await cli([
        "remind",
        book,
        ...AT,
        "--lang",
        "en",
        "--dingtalk",
        `http://127.0.0.1:${port}/robot/send?access_token=TOKEN-0123456789`,
        "--wecom",
        "http://[::1/cgi-bin/webhook/send?key=KEY-0123456789",
      ]);
      expect(r.code).toBe(1);
      const lines = r.err.split("\n");
      expect(lines).toEqual([
        `planning-desk: DingTalk: failed (0 of 4 sent): cannot reach 127.0.0.1:${port}: the connection was closed by the other side (UND_ERR_SOCKET)`,
        "planning-desk: WeCom: failed (0 of 4 sent): the webhook URL cannot be read: check it",
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
