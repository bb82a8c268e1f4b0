/** What one run holds (its lock and temporary files) and their cleanup on every way out: return, throw, signals (node only). */
import fs from "fs";
import os from "os";
import path from "path";
import crypto from "crypto";
import { SafeFileError, envMs, errno, ioError, rmQuiet, sleep, statOrNull } from "./common";
import { LockOptions, breakStaleLock, escapeRe, heldTokens, lockIsStale, lockPathOf, processAlive, readLock, tempPathOf } from "./lock";

const ALL_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** What one run holds: its lock and its temporary files, released on every way out. */
export class Session {
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
    const content =
      JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString(), command: o.command, token }) + "\n";
    // The handlers go in first, so that a signal while the lock is being taken still removes it.
    this.install();
    for (;;) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(lockPath, "wx", 0o644);
      } catch (e) {
        if (errno(e) !== "EEXIST")
          throw new SafeFileError(
            `无法在 ${path.dirname(this.real)} 中建立锁文件：${(e as Error).message}`,
            `cannot create the lock file in ${path.dirname(this.real)}: ${(e as Error).message}`,
            "io",
          );
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
        throw new SafeFileError(
          `另一个 planning-desk 正在写入此工作簿（进程 ${pid}${where}）：请稍后重试`,
          `another planning-desk run is writing this workbook (pid ${pid}${where}): try again shortly`,
          "busy",
        );
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
      throw new SafeFileError(
        `无法在 ${path.dirname(this.real)} 中写入临时文件：${(e as Error).message}`,
        `cannot write a temporary file in ${path.dirname(this.real)}: ${(e as Error).message}`,
        "io",
      );
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
            throw new SafeFileError(
              `无法保留 ${path.basename(this.real)} 的所有者（uid ${like.uid}），未改动`,
              `cannot keep the owner of ${path.basename(this.real)} (uid ${like.uid}); it was left as it was`,
              "owner",
            );
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
