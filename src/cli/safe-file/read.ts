/** Reading a workbook's bytes together with the identity of exactly those bytes (node only). */
import fs from "fs";
import { FileIdentity, SafeFileError, WorkbookFile, errno, ioError, sha256, statOrNull } from "./common";
import { NameOptions, checkXlsxName, notRegularError, resolveExisting } from "./checks";

/** Reads the file at `real` with the identity of exactly those bytes (re-read if it moved under us). */
export function readAt(file: string, real: string): WorkbookFile {
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
      const stable =
        off === before.size &&
        after.size === before.size &&
        after.mtimeMs === before.mtimeMs &&
        pathNow !== null &&
        pathNow.ino === after.ino &&
        pathNow.dev === after.dev;
      if (stable || i >= 4) {
        if (!stable)
          throw new SafeFileError(
            `${file} 正在被其他程序写入：请稍后重试`,
            `${file} is being written by another program: try again shortly`,
            "changed",
          );
        return {
          file,
          realPath: real,
          bytes,
          stat: after,
          identity: { size: after.size, mtimeMs: after.mtimeMs, dev: after.dev, ino: after.ino, sha256: sha256(bytes) },
        };
      }
    } finally {
      fs.closeSync(fd);
    }
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
