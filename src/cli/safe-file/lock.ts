/** The run's lock file beside the workbook: its paths, its content, and recovering a stale one (node only). */
import fs from "fs";
import os from "os";
import path from "path";
import { errno, rmQuiet, statOrNull } from "./common";
import { NameOptions } from "./checks";

export const lockPathOf = (real: string) => path.join(path.dirname(real), `.${path.basename(real)}.planning-desk.lock`);
export const tempPathOf = (real: string, pid = process.pid) =>
  path.join(path.dirname(real), `.${path.basename(real)}.planning-desk-${pid}.tmp`);
export const breakerPathOf = (real: string) => lockPathOf(real) + ".break";
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command: string;
  token: string;
}

/** Tokens of the locks this process holds (a lock with this pid but another token is a dead predecessor's). */
export const heldTokens = new Set<string>();

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

export function readLock(lockPath: string): { raw: string; info: LockInfo | null; mtimeMs: number } | null {
  try {
    const raw = fs.readFileSync(lockPath, "utf8");
    const mtimeMs = fs.statSync(lockPath).mtimeMs;
    let info: LockInfo | null = null;
    try {
      const j = JSON.parse(raw);
      if (j && typeof j.pid === "number")
        info = {
          pid: j.pid,
          host: String(j.host ?? ""),
          started: String(j.started ?? ""),
          command: String(j.command ?? ""),
          token: String(j.token ?? ""),
        };
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
export const UNREADABLE_LOCK_GRACE_MS = 10_000;

export function lockIsStale(l: { info: LockInfo | null; mtimeMs: number }, staleMs: number, now = Date.now()): boolean {
  if (!l.info) return now - l.mtimeMs > UNREADABLE_LOCK_GRACE_MS;
  const started = Date.parse(l.info.started);
  const age = now - (Number.isFinite(started) ? Math.min(started, l.mtimeMs) : l.mtimeMs);
  if (age > staleMs) return true;
  if (l.info.host !== os.hostname()) return false; // another machine's process: only its age tells
  if (l.info.pid === process.pid) return !heldTokens.has(l.info.token);
  return !processAlive(l.info.pid);
}

/** Removes a stale lock unless someone else is removing it (a short-lived breaker file serialises recoverers). */
export function breakStaleLock(real: string, raw: string): void {
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

export interface LockOptions extends NameOptions {
  /** The command, for the lock's content and the messages. */
  command: string;
  /** How long to wait for a live lock (default 10 s, or PLANNING_DESK_LOCK_WAIT_MS). */
  lockWaitMs?: number;
  /** A lock older than this is recovered whatever its process (default 30 minutes). */
  staleLockMs?: number;
}
