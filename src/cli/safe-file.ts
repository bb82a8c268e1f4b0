/**
 * Reading and writing the shared workbook file from the command line without losing anyone's
 * work (node only: fs, crypto, os; the workbook engine itself never touches the file system).
 *
 *  - One run at a time per workbook: a lock file beside it (`.<name>.planning-desk.lock`, created
 *    with O_EXCL, holding pid, host, start time and command). A lock whose process is gone (same
 *    host) or that is older than a generous age is recovered; a live one is waited for, then the
 *    run is refused.
 *  - The file is replaced only if it is still the one that was read (size, mtime, inode and a
 *    sha256 of its bytes); otherwise the whole read→compute→write runs again on the new bytes,
 *    a few times at most, then the run is refused. A co-author's save is never overwritten.
 *  - A workbook open in Excel (its owner file `~$name`) or LibreOffice (`.~lock.name#`) is not
 *    written; the person named in the owner file is reported.
 *  - The new bytes go to a temporary file in the target's own directory
 *    (`.<name>.planning-desk-<pid>.tmp`), with the original's mode and owner, fsynced, then renamed
 *    over the target: the file is always the old or the new workbook, never a part. Symbolic links
 *    are followed, so a link stays a link. A new file is created with link(2), which fails if a
 *    file appeared meanwhile.
 *  - The temporary file and the lock are removed on every way out: return, throw, SIGINT,
 *    SIGTERM, SIGHUP. After kill -9 the next run (under the lock) removes temporary files of dead
 *    processes and recovers their lock.
 */
import fs from "fs";
import os from "os";
import path from "path";
import crypto from "crypto";
import { errorField } from "./errors";

/** A refusal or a file problem, in both languages; the command line prints one line and exits 2. */
export class SafeFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly kind: "missing" | "folder" | "not-regular" | "not-xlsx" | "unreadable" | "busy" | "changed" | "open-elsewhere" | "exists" | "read-only" | "owner" | "io",
  ) {
    super(en);
  }
}

export interface FileIdentity {
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  sha256: string;
}

export interface WorkbookFile {
  /** The path as given (for messages). */
  file: string;
  /** The file actually read and written (symbolic links resolved). */
  realPath: string;
  bytes: Uint8Array;
  identity: FileIdentity;
  stat: fs.Stats;
}

/** Someone who has the workbook open in another program, from its owner (lock) file. */
export interface OpenElsewhere {
  app: "excel" | "libreoffice";
  /** The person named in the owner file; null when it names nobody readable. */
  name: string | null;
  host?: string;
  ownerFile: string;
}

const sha256 = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

const ALL_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

// ---------------------------------------------------------------------------------------------
// Reading

/** The default rule for a workbook's name: .xlsx. The command line passes the engine's own rule (`checkName`). */
export function checkXlsxName(file: string): void {
  if (path.extname(file).toLowerCase() !== ".xlsx") throw new SafeFileError(`只支持 .xlsx 文件：${file}`, `only .xlsx files are supported: ${file}`, "not-xlsx");
}

export interface NameOptions {
  /** Throws when `file`'s name is not one of a workbook the engine handles (default: checkXlsxName). */
  checkName?: (file: string) => void;
}

/** The refusal for a path that is there but is not a regular file (a FIFO, a device, a socket). */
export function notRegularError(file: string, st: fs.Stats): SafeFileError {
  const what = st.isFIFO()
    ? { zh: "命名管道（FIFO）", en: "a named pipe (FIFO)" }
    : st.isCharacterDevice() || st.isBlockDevice()
      ? { zh: "设备文件", en: "a device" }
      : st.isSocket()
        ? { zh: "套接字", en: "a socket" }
        : { zh: "特殊文件", en: "a special file" };
  return new SafeFileError(`${file} 是${what.zh}，不是普通文件：未读取也未写入`, `${file} is ${what.en}, not a regular file: it was neither read nor written`, "not-regular");
}

/** The real file behind `file` (symbolic links followed); refuses a missing file, a folder, and anything that is not a regular file. */
function resolveExisting(file: string): string {
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(file);
    st = fs.statSync(real);
  } catch (e) {
    if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") throw new SafeFileError(`找不到文件：${file}`, `no such file: ${file}`, "missing");
    throw ioError(file, e);
  }
  if (st.isDirectory()) throw new SafeFileError(`这是一个文件夹，不是 .xlsx 文件：${file}`, `a folder, not an .xlsx file: ${file}`, "folder");
  if (!st.isFile()) throw notRegularError(file, st);
  return real;
}

/**
 * Whether this user may replace the file `st` describes: a file without any write permission
 * (0444) is read-only for everyone here, root included (as editors treat it); otherwise the
 * system decides (access(2), ACLs included).
 */
export function userMayWrite(real: string, st: fs.Stats): boolean {
  if ((st.mode & 0o222) === 0) return false;
  try {
    fs.accessSync(real, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether a replacement written by this process can be given `st`'s owner and group (root can; anyone else only for their own file and one of their groups). */
export function ownerKeepable(st: fs.Stats): boolean {
  if (typeof process.getuid !== "function") return true; // Windows: no owners to keep
  const uid = process.getuid();
  if (uid === 0) return true;
  if (st.uid !== uid) return false;
  const groups = typeof process.getgroups === "function" ? process.getgroups() : [];
  return (typeof process.getgid === "function" && process.getgid() === st.gid) || groups.includes(st.gid);
}

/**
 * Refuses to replace a file this user may not write (read-only, 0444), or whose owner a
 * replacement would change (someone else's file in a folder we may write): the rename would
 * otherwise succeed, and the file would silently become ours.
 */
export function checkReplaceable(file: string, real: string, st: fs.Stats): void {
  if (!st.isFile()) throw notRegularError(file, st);
  if (!userMayWrite(real, st))
    throw new SafeFileError(
      `${file} 是只读文件（权限 ${(st.mode & 0o777).toString(8)}），未改动：如需写入，请先由其所有者取消只读`,
      `${file} is read-only (mode ${(st.mode & 0o777).toString(8)}); it was left as it was: its owner must make it writable first`,
      "read-only",
    );
  if (!ownerKeepable(st))
    throw new SafeFileError(
      `${file} 属于另一个用户（uid ${st.uid}），写入会使其所有者变为当前用户，未改动：请以其所有者身份运行`,
      `${file} belongs to another user (uid ${st.uid}); replacing it would make it yours, so it was left as it was: run as its owner`,
      "owner",
    );
}

function ioError(file: string, e: unknown): SafeFileError {
  const m = (e as Error)?.message ?? String(e);
  return new SafeFileError(`无法访问 ${file}：${m}`, `cannot access ${file}: ${m}`, "io");
}

/** Reads the file at `real` with the identity of exactly those bytes (re-read if it moved under us). */
function readAt(file: string, real: string): WorkbookFile {
  for (let i = 0; ; i++) {
    let fd: number;
    try {
      // O_NONBLOCK: a FIFO swapped in after the check must not block the open (it is refused below).
      fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (e) {
      if (errno(e) === "ENOENT") throw new SafeFileError(`找不到文件：${file}`, `no such file: ${file}`, "missing");
      throw ioError(file, e);
    }
    try {
      const before = fs.fstatSync(fd);
      if (!before.isFile()) throw notRegularError(file, before);
      const bytes = new Uint8Array(before.size);
      let off = 0;
      while (off < bytes.length) {
        const n = fs.readSync(fd, bytes, off, bytes.length - off, off);
        if (n === 0) break;
        off += n;
      }
      const after = fs.fstatSync(fd);
      const pathNow = statOrNull(real);
      const stable = off === before.size && after.size === before.size && after.mtimeMs === before.mtimeMs && pathNow !== null && pathNow.ino === after.ino && pathNow.dev === after.dev;
      if (stable || i >= 4) {
        if (!stable) throw new SafeFileError(`${file} 正在被其他程序写入：请稍后重试`, `${file} is being written by another program: try again shortly`, "changed");
        return { file, realPath: real, bytes, stat: after, identity: { size: after.size, mtimeMs: after.mtimeMs, dev: after.dev, ino: after.ino, sha256: sha256(bytes) } };
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** The workbook's bytes and identity; a missing file, a folder or a name not of a workbook is refused. */
export function readWorkbookFile(file: string, opts: NameOptions = {}): WorkbookFile {
  const real = resolveExisting(file);
  (opts.checkName ?? checkXlsxName)(file);
  return readAt(file, real);
}

/** Whether `real` still holds exactly the file that was read. */
export function sameFile(real: string, id: FileIdentity): boolean {
  const st = statOrNull(real);
  if (!st || !st.isFile()) return false;
  if (st.size !== id.size || st.mtimeMs !== id.mtimeMs || st.ino !== id.ino || st.dev !== id.dev) return false;
  try {
    return sha256(fs.readFileSync(real)) === id.sha256;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Owner files of Excel and LibreOffice

const printable = (s: string) => s.length > 0 && !/[\u0000-\u001f\u007f-\u009f\ufffd]/.test(s);

/**
 * The user name in an MS Office owner file (`~$book.xlsx`). Layout (as LibreOffice reads and
 * writes it, svl/source/misc/msodocumentlockfile.cxx): byte 0 the name's length, then the name in
 * the Windows ANSI code page, padded (with 0x20 for Excel, zeros for Word) up to a 2-byte length
 * at offset 55 (Excel, PowerPoint) or 54 (Word), followed by the name in UTF-16LE; 165 bytes
 * (Excel) or 162 (Word) in all. The UTF-16 name is preferred, the ANSI one is the fallback; null
 * when nothing readable is there.
 */
export function parseOwnerFile(bytes: Uint8Array): string | null {
  if (bytes.length < 3) return null;
  const u16At = (at: number): string | null => {
    if (at + 2 > bytes.length) return null;
    const n = bytes[at] | (bytes[at + 1] << 8);
    if (n < 1 || n > 52 || at + 2 + 2 * n > bytes.length) return null;
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[at + 2 + 2 * i] | (bytes[at + 3 + 2 * i] << 8));
    s = s.trim();
    return printable(s) ? s : null;
  };
  const acpLen = bytes[0];
  if (acpLen >= 1 && acpLen <= 52) {
    // Excel and PowerPoint put the length at 55, Word at 54; a Word file has zeros just before it.
    const excelFirst = bytes.length >= 56 && (bytes[53] !== 0 || bytes[52] !== 0);
    for (const at of excelFirst ? [55, 54] : [54, 55]) {
      const s = u16At(at);
      if (s) return s;
    }
  }
  // Fallback: the ANSI name (its code page is not in the file: UTF-8 if valid, else GBK, else Latin-1).
  if (acpLen < 1 || acpLen > 52) return null;
  const raw = bytes.subarray(1, Math.min(bytes.length, 54));
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === 0x20 || raw[end - 1] === 0)) end--;
  if (end === 0) return null;
  for (const enc of ["utf-8", "gbk", "latin1"]) {
    try {
      const s = new TextDecoder(enc, { fatal: true }).decode(raw.subarray(0, end)).trim();
      if (printable(s)) return s;
    } catch {
      // next encoding
    }
  }
  return null;
}

/** LibreOffice's lock file: `name,system user,host,date,config URL;` (UTF-8, `\` escapes `,;\`). */
export function parseLibreOfficeLock(bytes: Uint8Array): { name: string | null; host?: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { name: null };
  }
  const fields: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) cur += text[++i];
    else if (ch === ",") {
      fields.push(cur);
      cur = "";
    } else if (ch === ";") break;
    else cur += ch;
  }
  fields.push(cur);
  const clean = (s: string | undefined) => (s !== undefined && printable(s.trim()) ? s.trim() : null);
  return { name: clean(fields[0]) ?? clean(fields[1]), host: clean(fields[2]) ?? undefined };
}

/** The owner files that would say `file` is open in Excel or LibreOffice, beside the path given and beside its real target. */
export function ownerFileCandidates(file: string): { app: OpenElsewhere["app"]; path: string }[] {
  const places = new Set<string>([path.resolve(file)]);
  try {
    places.add(fs.realpathSync(file));
  } catch {
    // not there (yet)
  }
  const out: { app: OpenElsewhere["app"]; path: string }[] = [];
  for (const p of places) {
    const dir = path.dirname(p);
    const name = path.basename(p);
    out.push({ app: "excel", path: path.join(dir, "~$" + name) });
    if (name.length > 2) out.push({ app: "excel", path: path.join(dir, "~$" + name.slice(2)) });
    out.push({ app: "libreoffice", path: path.join(dir, `.~lock.${name}#`) });
  }
  return out;
}

/** Who has `file` open in Excel or LibreOffice, from an owner file beside it; null when nobody. Never throws. */
export function ownerOf(file: string): OpenElsewhere | null {
  for (const c of ownerFileCandidates(file)) {
    let bytes: Buffer;
    try {
      const st = fs.statSync(c.path);
      if (!st.isFile()) continue;
      const fd = fs.openSync(c.path, "r");
      try {
        const buf = Buffer.alloc(Math.min(st.size, 4096));
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        bytes = buf.subarray(0, n);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      continue;
    }
    try {
      if (c.app === "excel") return { app: "excel", name: parseOwnerFile(bytes), ownerFile: c.path };
      const lo = parseLibreOfficeLock(bytes);
      return { app: "libreoffice", name: lo.name, host: lo.host, ownerFile: c.path };
    } catch {
      return { app: c.app, name: null, ownerFile: c.path };
    }
  }
  return null;
}

/** What the pane offers instead of a command, for the refusal message. */
export interface PaneHint {
  zh: string;
  en: string;
}

/** The refusal for a workbook open in another program. */
export function openElsewhereError(who: OpenElsewhere, hint?: PaneHint): SafeFileError {
  const zhName = who.name ?? "有人";
  const enName = who.name ?? "someone";
  const owner = path.basename(who.ownerFile);
  if (who.app === "excel") {
    return new SafeFileError(
      `${zhName} 正在 Excel 中编辑此工作簿，文件未改动：${hint ? `请${hint.zh}` : "请等其关闭后再运行"}（若无人打开，删除 ${owner} 后重试）`,
      `${enName} has this workbook open in Excel; the file was left as it was: ${hint ? `${hint.en} instead` : "run again once it is closed"} (if nobody has it open, delete ${owner} and run again)`,
      "open-elsewhere",
    );
  }
  const host = who.host ? `（${who.host}）` : "";
  return new SafeFileError(
    `${zhName}${host} 正在 LibreOffice 中编辑此工作簿，文件未改动：请等其关闭后再运行（若无人打开，删除 ${owner} 后重试）`,
    `${enName}${who.host ? ` (${who.host})` : ""} has this workbook open in LibreOffice; the file was left as it was: run again once it is closed (if nobody has it open, delete ${owner} and run again)`,
    "open-elsewhere",
  );
}

// ---------------------------------------------------------------------------------------------
// The run's lock, temporary files, and their cleanup on every way out

export const lockPathOf = (real: string) => path.join(path.dirname(real), `.${path.basename(real)}.planning-desk.lock`);
export const tempPathOf = (real: string, pid = process.pid) => path.join(path.dirname(real), `.${path.basename(real)}.planning-desk-${pid}.tmp`);
const breakerPathOf = (real: string) => lockPathOf(real) + ".break";
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command: string;
  token: string;
}

/** Tokens of the locks this process holds (a lock with this pid but another token is a dead predecessor's). */
const heldTokens = new Set<string>();

/** Whether a process of this host is alive (a zombie is not). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return errno(e) === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
  } catch {
    // no /proc: trust kill(0)
  }
  return true;
}

function readLock(lockPath: string): { raw: string; info: LockInfo | null; mtimeMs: number } | null {
  try {
    const raw = fs.readFileSync(lockPath, "utf8");
    const mtimeMs = fs.statSync(lockPath).mtimeMs;
    let info: LockInfo | null = null;
    try {
      const j = JSON.parse(raw);
      if (j && typeof j.pid === "number") info = { pid: j.pid, host: String(j.host ?? ""), started: String(j.started ?? ""), command: String(j.command ?? ""), token: String(j.token ?? "") };
    } catch {
      info = null;
    }
    return { raw, info, mtimeMs };
  } catch (e) {
    if (errno(e) === "ENOENT") return null;
    throw e;
  }
}

/** A half-written lock (crash between create and write) is given this long before it is recovered. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

function lockIsStale(l: { info: LockInfo | null; mtimeMs: number }, staleMs: number, now = Date.now()): boolean {
  if (!l.info) return now - l.mtimeMs > UNREADABLE_LOCK_GRACE_MS;
  const started = Date.parse(l.info.started);
  const age = now - (Number.isFinite(started) ? Math.min(started, l.mtimeMs) : l.mtimeMs);
  if (age > staleMs) return true;
  if (l.info.host !== os.hostname()) return false; // another machine's process: only its age tells
  if (l.info.pid === process.pid) return !heldTokens.has(l.info.token);
  return !processAlive(l.info.pid);
}

/** Removes a stale lock unless someone else is removing it (a short-lived breaker file serialises recoverers). */
function breakStaleLock(real: string, raw: string): void {
  const breaker = breakerPathOf(real);
  let fd: number;
  try {
    fd = fs.openSync(breaker, "wx");
  } catch (e) {
    if (errno(e) !== "EEXIST") throw e;
    const st = statOrNull(breaker);
    if (st && Date.now() - st.mtimeMs > UNREADABLE_LOCK_GRACE_MS) rmQuiet(breaker);
    return;
  }
  try {
    fs.closeSync(fd);
    const again = readLock(lockPathOf(real));
    if (again && again.raw === raw) rmQuiet(lockPathOf(real));
  } finally {
    rmQuiet(breaker);
  }
}

function rmQuiet(p: string) {
  try {
    fs.unlinkSync(p);
  } catch {
    // already gone
  }
}

export interface LockOptions extends NameOptions {
  /** The command, for the lock's content and the messages. */
  command: string;
  /** How long to wait for a live lock (default 10 s, or PLANNING_DESK_LOCK_WAIT_MS). */
  lockWaitMs?: number;
  /** A lock older than this is recovered whatever its process (default 30 minutes). */
  staleLockMs?: number;
}

const envMs = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** What one run holds: its lock and its temporary files, released on every way out. */
class Session {
  private tmps = new Set<string>();
  private lockPath: string | null = null;
  private token = "";
  private handlers = new Map<string, () => void>();
  private exitHandler = () => this.cleanupSync();

  constructor(readonly real: string) {}

  async acquire(o: LockOptions): Promise<void> {
    const lockPath = lockPathOf(this.real);
    const waitMs = o.lockWaitMs ?? envMs("PLANNING_DESK_LOCK_WAIT_MS") ?? 10_000;
    const staleMs = o.staleLockMs ?? 30 * 60_000;
    const deadline = Date.now() + waitMs;
    const token = crypto.randomBytes(8).toString("hex");
    // Who holds it, and nothing else: never the command's arguments (they may hold secrets).
    const content = JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString(), command: o.command, token }) + "\n";
    // The handlers go in first, so that a signal while the lock is being taken still removes it.
    this.install();
    for (;;) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(lockPath, "wx", 0o644);
      } catch (e) {
        if (errno(e) !== "EEXIST") throw new SafeFileError(`无法在 ${path.dirname(this.real)} 中建立锁文件：${(e as Error).message}`, `cannot create the lock file in ${path.dirname(this.real)}: ${(e as Error).message}`, "io");
      }
      if (fd !== undefined) {
        this.lockPath = lockPath;
        this.token = token;
        heldTokens.add(token);
        try {
          fs.writeSync(fd, content);
          fs.fsyncSync(fd);
        } catch (e) {
          rmQuiet(lockPath);
          this.lockPath = null;
          throw ioError(lockPath, e);
        } finally {
          fs.closeSync(fd);
        }
        return;
      }
      const cur = readLock(lockPath);
      if (!cur) continue; // released just now
      if (lockIsStale(cur, staleMs)) {
        breakStaleLock(this.real, cur.raw);
        await sleep(20);
        continue;
      }
      if (Date.now() >= deadline) {
        const pid = cur.info?.pid ?? "?";
        const where = cur.info && cur.info.host !== os.hostname() ? `@${cur.info.host}` : "";
        throw new SafeFileError(`另一个 planning-desk 正在写入此工作簿（进程 ${pid}${where}）：请稍后重试`, `another planning-desk run is writing this workbook (pid ${pid}${where}): try again shortly`, "busy");
      }
      await sleep(150);
    }
  }

  /** Under the lock: temporary files of this workbook left by processes that are gone (kill -9). */
  removeOrphans(staleMs = 30 * 60_000): void {
    const dir = path.dirname(this.real);
    const re = new RegExp(`^\\.${escapeRe(path.basename(this.real))}\\.planning-desk-(\\d+)\\.tmp$`);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const m = re.exec(n);
      if (!m) continue;
      const p = path.join(dir, n);
      if (this.tmps.has(p)) continue;
      const pid = Number(m[1]);
      const st = statOrNull(p);
      const old = st !== null && Date.now() - st.mtimeMs > staleMs;
      // This process's own name is free (we hold the lock and have not written yet): a predecessor's.
      if (pid === process.pid || !processAlive(pid) || old) rmQuiet(p);
    }
  }

  /** Writes `bytes` to this run's temporary file beside the target, with `like`'s mode and owner, fsynced. */
  writeTemp(bytes: Uint8Array, like: fs.Stats | null): string {
    const tmp = tempPathOf(this.real);
    this.tmps.add(tmp);
    rmQuiet(tmp);
    let fd: number;
    try {
      fd = fs.openSync(tmp, "wx", like ? like.mode & 0o777 : 0o666);
    } catch (e) {
      throw new SafeFileError(`无法在 ${path.dirname(this.real)} 中写入临时文件：${(e as Error).message}`, `cannot write a temporary file in ${path.dirname(this.real)}: ${(e as Error).message}`, "io");
    }
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      if (like) {
        const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
        const gid = typeof process.getgid === "function" ? process.getgid() : undefined;
        if (uid !== undefined && (like.uid !== uid || like.gid !== gid)) {
          try {
            fs.fchownSync(fd, like.uid, like.gid);
          } catch {
            // Checked before (checkReplaceable); should it still fail, the file is not replaced by one that is ours.
            throw new SafeFileError(`无法保留 ${path.basename(this.real)} 的所有者（uid ${like.uid}），未改动`, `cannot keep the owner of ${path.basename(this.real)} (uid ${like.uid}); it was left as it was`, "owner");
          }
        }
        fs.fchmodSync(fd, like.mode & 0o7777);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return tmp;
  }

  dropTemp(tmp: string): void {
    rmQuiet(tmp);
    this.tmps.delete(tmp);
  }

  /** The temporary file became the target. */
  committed(tmp: string): void {
    this.tmps.delete(tmp);
  }

  private install(): void {
    for (const sig of ALL_SIGNALS) {
      const h = () => {
        this.cleanupSync();
        this.uninstall();
        // Die of the same signal (or run whatever handlers were there before us).
        process.kill(process.pid, sig);
        setTimeout(() => process.exit(128 + (os.constants.signals[sig] ?? 15)), 500).unref();
      };
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
    process.on("exit", this.exitHandler);
  }

  private uninstall(): void {
    for (const [sig, h] of this.handlers) process.removeListener(sig, h);
    this.handlers.clear();
    process.removeListener("exit", this.exitHandler);
  }

  /** Removes the temporary files and the lock (if still ours). Synchronous: safe in signal and exit handlers. */
  cleanupSync(): void {
    for (const t of this.tmps) rmQuiet(t);
    this.tmps.clear();
    if (this.lockPath) {
      try {
        const cur = readLock(this.lockPath);
        if (cur && cur.info?.token === this.token) rmQuiet(this.lockPath);
      } catch {
        // leave it: recovered as stale by the next run
      }
      heldTokens.delete(this.token);
      this.lockPath = null;
    }
  }

  release(): void {
    this.cleanupSync();
    this.uninstall();
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not supported here (Windows): the rename itself is atomic
  }
}

/** The test hook: PLANNING_DESK_TEST_PAUSE_BEFORE_REPLACE=ms waits after the temporary file is written, before the target is replaced. */
async function testPause(o: { pauseBeforeReplaceMs?: number }, attempt: number, tmp: string): Promise<void> {
  const ms = o.pauseBeforeReplaceMs ?? envMs("PLANNING_DESK_TEST_PAUSE_BEFORE_REPLACE");
  if (!ms) return;
  process.stderr.write(`planning-desk: test pause ${ms} ms before replacing (attempt ${attempt}, pid ${process.pid}, ${path.basename(tmp)})\n`);
  await sleep(ms);
}

// ---------------------------------------------------------------------------------------------
// Updating and creating

export interface ComputeResult<T> {
  /** The new file, or null to leave the file as it is. */
  bytes: Uint8Array | null;
  result: T;
}

export interface UpdateOptions extends LockOptions {
  /** Read→compute→write attempts when the file keeps changing under the run (default 3). */
  maxAttempts?: number;
  /** How to do the same from the add-in's pane, for the message when the workbook is open in Excel. */
  paneHint?: PaneHint;
  pauseBeforeReplaceMs?: number;
}

export interface UpdateOutcome<T> {
  result: T;
  written: boolean;
  /** 1 when the file did not change during the run; more when the change was recomputed on someone's newer save. */
  attempts: number;
}

/**
 * Replaces the workbook `file` with what `compute` makes of its current bytes, safely (see the
 * module's comment). `compute` may run more than once (attempt 1, 2, ...): each time on the bytes
 * the file holds then. Refuses (SafeFileError) when another run holds the lock, when the workbook
 * is open in Excel or LibreOffice, or when it keeps changing; the file is then left as it was.
 */
export async function updateWorkbookFile<T>(file: string, compute: (bytes: Uint8Array, attempt: number) => Promise<ComputeResult<T>>, opts: UpdateOptions): Promise<UpdateOutcome<T>> {
  const real = resolveExisting(file);
  (opts.checkName ?? checkXlsxName)(file);
  checkReplaceable(file, real, fs.statSync(real));
  const refuseIfOpen = () => {
    const who = ownerOf(file);
    if (who) throw openElsewhereError(who, opts.paneHint);
  };
  refuseIfOpen();
  const session = new Session(real);
  try {
    await session.acquire(opts);
    session.removeOrphans(opts.staleLockMs);
    const attempts = Math.max(1, opts.maxAttempts ?? 3);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const cur = readAt(file, real);
      const out = await compute(cur.bytes, attempt);
      if (!out.bytes) return { result: out.result, written: false, attempts: attempt };
      const tmp = session.writeTemp(out.bytes, cur.stat);
      await testPause(opts, attempt, tmp);
      refuseIfOpen();
      if (!sameFile(real, cur.identity)) {
        session.dropTemp(tmp);
        continue;
      }
      fs.renameSync(tmp, real);
      session.committed(tmp);
      fsyncDir(path.dirname(real));
      return { result: out.result, written: true, attempts: attempt };
    }
    throw new SafeFileError(`文件在 ${opts.command} 运行期间被修改：请重新运行`, `the file changed while ${opts.command} was running: run it again`, "changed");
  } finally {
    session.release();
  }
}

/**
 * Creates `file` with `bytes`; refuses (kind "exists") if it exists, or appeared while the run
 * was computing: the new file is linked in with link(2), which never replaces a file.
 */
export async function createWorkbookFile(file: string, bytes: Uint8Array, opts: LockOptions & { pauseBeforeReplaceMs?: number }): Promise<void> {
  (opts.checkName ?? checkXlsxName)(file);
  const exists = () => new SafeFileError(`${file} 已存在（在 ${opts.command} 运行期间出现），未覆盖`, `${file} already exists (it appeared while ${opts.command} was running); it was not overwritten`, "exists");
  let dir: string;
  try {
    dir = fs.realpathSync(path.dirname(path.resolve(file)));
  } catch {
    throw new SafeFileError(`找不到文件夹：${path.dirname(file)}`, `no such folder: ${path.dirname(file)}`, "missing");
  }
  const real = path.join(dir, path.basename(file));
  if (fs.existsSync(file) || lstatOrNull(real)) throw exists();
  const session = new Session(real);
  try {
    await session.acquire(opts);
    session.removeOrphans(opts.staleLockMs);
    const tmp = session.writeTemp(bytes, null);
    await testPause(opts, 1, tmp);
    try {
      fs.linkSync(tmp, real);
    } catch (e) {
      if (errno(e) === "EEXIST") throw exists();
      // A file system without hard links: under the lock, check then rename.
      if (lstatOrNull(real)) throw exists();
      fs.renameSync(tmp, real);
      session.committed(tmp);
      fsyncDir(dir);
      return;
    }
    session.dropTemp(tmp);
    fsyncDir(dir);
  } finally {
    session.release();
  }
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

export interface PlainFileOptions {
  /** Replace an existing file even when `accept` does not recognise it as one of ours. */
  force?: boolean;
  /** Whether an existing file's first bytes are what this command writes (a previous export): replaced without --force. */
  accept?: (head: Buffer) => boolean;
  /** What the file is, for the refusal ("an iCalendar file"). */
  what?: { zh: string; en: string };
}

/**
 * Writes an output file (not a workbook) safely: symbolic links are followed (the link stays a
 * link); a FIFO, a device, a folder or anything not a regular file is refused; so is a file this
 * user may not write (0444) or whose owner a replacement would change, and a file that is not a
 * previous output of this command unless `force`. The bytes go to a temporary file beside the
 * target, with its mode and owner, fsynced, then renamed over it.
 */
export function writeOutputFile(file: string, data: string | Uint8Array, o: PlainFileOptions = {}): void {
  const resolved = path.resolve(file);
  let real = resolved;
  try {
    real = fs.realpathSync(resolved);
  } catch (e) {
    if (errno(e) !== "ENOENT") throw ioError(file, e);
    // Not there, or a dangling link: write beside it, never through a link to a missing target.
    const l = lstatOrNull(resolved);
    if (l && l.isSymbolicLink()) throw new SafeFileError(`${file} 是指向不存在文件的符号链接，未写入`, `${file} is a symbolic link to a missing file; nothing was written`, "not-regular");
    let dir: string;
    try {
      dir = fs.realpathSync(path.dirname(resolved));
    } catch {
      throw new SafeFileError(`找不到文件夹：${path.dirname(file)}`, `no such folder: ${path.dirname(file)}`, "missing");
    }
    real = path.join(dir, path.basename(resolved));
  }
  const st = statOrNull(real);
  if (st) {
    if (st.isDirectory()) throw new SafeFileError(`${file} 是一个文件夹，未写入`, `${file} is a folder; nothing was written`, "folder");
    checkReplaceable(file, real, st);
    if (!o.force && o.accept && st.size > 0) {
      const head = Buffer.alloc(Math.min(st.size, 256));
      const fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      try {
        const fst = fs.fstatSync(fd);
        if (!fst.isFile()) throw notRegularError(file, fst);
        fs.readSync(fd, head, 0, head.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      if (!o.accept(head)) {
        const what = o.what ?? { zh: "此命令的输出", en: "an output of this command" };
        throw new SafeFileError(`${file} 已存在且不是${what.zh}，未覆盖（确需覆盖请加 --force）`, `${file} exists and is not ${what.en}; it was not overwritten (--force to replace it)`, "exists");
      }
    }
  }
  const tmp = tempPathOf(real);
  rmQuiet(tmp);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const cleanup = () => rmQuiet(tmp);
  process.on("exit", cleanup);
  try {
    let fd: number;
    try {
      fd = fs.openSync(tmp, "wx", st ? st.mode & 0o777 : 0o666);
    } catch (e) {
      const why = errorField(e, "code") ?? "error";
      throw new SafeFileError(`无法在 ${path.dirname(real)} 中写入临时文件：${why}`, `cannot write a temporary file in ${path.dirname(real)}: ${why}`, "io");
    }
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      if (st) {
        if (typeof process.getuid === "function" && (st.uid !== process.getuid() || (typeof process.getgid === "function" && st.gid !== process.getgid()))) fs.fchownSync(fd, st.uid, st.gid);
        fs.fchmodSync(fd, st.mode & 0o7777);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // The target may have been swapped for something else meanwhile: check again, then rename.
    const now = statOrNull(real);
    if (now && !now.isFile()) throw notRegularError(file, now);
    fs.renameSync(tmp, real);
    fsyncDir(path.dirname(real));
  } finally {
    cleanup();
    process.removeListener("exit", cleanup);
  }
}
