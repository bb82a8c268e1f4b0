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
import path from "path";
import { SafeFileError, errno, fsyncDir, lstatOrNull, sleep, envMs } from "./safe-file/common";
import { checkReplaceable, checkXlsxName, resolveExisting } from "./safe-file/checks";
import { readAt, sameFile } from "./safe-file/read";
import { PaneHint, openElsewhereError, ownerOf } from "./safe-file/owner-files";
import { LockOptions } from "./safe-file/lock";
import { Session } from "./safe-file/session";

// The rooms of this module (what the rest of the command line imports comes from here).
export { SafeFileError } from "./safe-file/common";
export type { FileIdentity, WorkbookFile } from "./safe-file/common";
export { checkReplaceable, checkXlsxName, notRegularError, ownerKeepable, userMayWrite } from "./safe-file/checks";
export type { NameOptions } from "./safe-file/checks";
export { readWorkbookFile, sameFile } from "./safe-file/read";
export { openElsewhereError, ownerFileCandidates, ownerOf, parseLibreOfficeLock, parseOwnerFile } from "./safe-file/owner-files";
export type { OpenElsewhere, PaneHint } from "./safe-file/owner-files";
export { lockPathOf, processAlive, tempPathOf } from "./safe-file/lock";
export type { LockOptions } from "./safe-file/lock";
export { writeOutputFile } from "./safe-file/output";
export type { PlainFileOptions } from "./safe-file/output";

/** The test hook: PLANNING_DESK_TEST_PAUSE_BEFORE_REPLACE=ms waits after the temporary file is written, before the target is replaced. */
async function testPause(o: { pauseBeforeReplaceMs?: number }, attempt: number, tmp: string): Promise<void> {
  const ms = o.pauseBeforeReplaceMs ?? envMs("PLANNING_DESK_TEST_PAUSE_BEFORE_REPLACE");
  if (!ms) return;
  process.stderr.write(
    `planning-desk: test pause ${ms} ms before replacing (attempt ${attempt}, pid ${process.pid}, ${path.basename(tmp)})\n`,
  );
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
export async function updateWorkbookFile<T>(
  file: string,
  compute: (bytes: Uint8Array, attempt: number) => Promise<ComputeResult<T>>,
  opts: UpdateOptions,
): Promise<UpdateOutcome<T>> {
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
    throw new SafeFileError(
      `文件在 ${opts.command} 运行期间被修改：请重新运行`,
      `the file changed while ${opts.command} was running: run it again`,
      "changed",
    );
  } finally {
    session.release();
  }
}

/**
 * Creates `file` with `bytes`; refuses (kind "exists") if it exists, or appeared while the run
 * was computing: the new file is linked in with link(2), which never replaces a file.
 */
export async function createWorkbookFile(
  file: string,
  bytes: Uint8Array,
  opts: LockOptions & { pauseBeforeReplaceMs?: number },
): Promise<void> {
  (opts.checkName ?? checkXlsxName)(file);
  const exists = () =>
    new SafeFileError(
      `${file} 已存在（在 ${opts.command} 运行期间出现），未覆盖`,
      `${file} already exists (it appeared while ${opts.command} was running); it was not overwritten`,
      "exists",
    );
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
