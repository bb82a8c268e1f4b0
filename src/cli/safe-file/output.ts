/** Writing an output file (not a workbook) safely, replaced atomically beside its target (node only). */
import fs from "fs";
import path from "path";
import { errorField } from "../errors";
import { SafeFileError, errno, fsyncDir, ioError, lstatOrNull, rmQuiet, statOrNull } from "./common";
import { checkReplaceable, notRegularError } from "./checks";
import { tempPathOf } from "./lock";

export interface PlainFileOptions {
  /** Replace an existing file even when `accept` does not recognise it as one of ours. */
  force?: boolean;
  /** Whether an existing file's first bytes are what this command writes (a previous export): replaced without --force. */
  accept?: (head: Buffer) => boolean;
  /** What the file is, for the refusal ("an iCalendar file"). */
  what?: { zh: string; en: string };
  /** The file the output is made from (the workbook): never replaced, by any of its names, even with `force`. */
  source?: string;
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
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch (e) {
    if (errno(e) !== "ENOENT") throw ioError(file, e);
    // Not there, or a dangling link: write beside it, never through a link to a missing target.
    const l = lstatOrNull(resolved);
    if (l && l.isSymbolicLink())
      throw new SafeFileError(
        `${file} 是指向不存在文件的符号链接，未写入`,
        `${file} is a symbolic link to a missing file; nothing was written`,
        "not-regular",
      );
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
    const src = o.source === undefined ? null : statOrNull(o.source);
    if (src && src.dev === st.dev && src.ino === st.ino)
      throw new SafeFileError(
        `${file} 就是正在读取的工作簿 ${o.source}，未覆盖（即使加了 --force）：请换一个输出文件名`,
        `${file} is the workbook being read (${o.source}); it was not overwritten, even with --force: choose another output file`,
        "exists",
      );
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
        throw new SafeFileError(
          `${file} 已存在且不是${what.zh}，未覆盖（确需覆盖请加 --force）`,
          `${file} exists and is not ${what.en}; it was not overwritten (--force to replace it)`,
          "exists",
        );
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
      throw new SafeFileError(
        `无法在 ${path.dirname(real)} 中写入临时文件：${why}`,
        `cannot write a temporary file in ${path.dirname(real)}: ${why}`,
        "io",
      );
    }
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      if (st) {
        if (
          typeof process.getuid === "function" &&
          (st.uid !== process.getuid() || (typeof process.getgid === "function" && st.gid !== process.getgid()))
        )
          fs.fchownSync(fd, st.uid, st.gid);
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
