/** Checks before a file is read or replaced: a workbook's name, a regular file, write permission and owner (node only). */
import fs from "fs";
import path from "path";
import { SafeFileError, errno, ioError } from "./common";

/** The default rule for a workbook's name: .xlsx. The command line passes the engine's own rule (`checkName`). */
export function checkXlsxName(file: string): void {
  if (path.extname(file).toLowerCase() !== ".xlsx")
    throw new SafeFileError(`只支持 .xlsx 文件：${file}`, `only .xlsx files are supported: ${file}`, "not-xlsx");
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
  return new SafeFileError(
    `${file} 是${what.zh}，不是普通文件：未读取也未写入`,
    `${file} is ${what.en}, not a regular file: it was neither read nor written`,
    "not-regular",
  );
}

/** The real file behind `file` (symbolic links followed); refuses a missing file, a folder, and anything that is not a regular file. */
export function resolveExisting(file: string): string {
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(file);
    st = fs.statSync(real);
  } catch (e) {
    if (errno(e) === "ENOENT" || errno(e) === "ENOTDIR") throw new SafeFileError(`找不到文件：${file}`, `no such file: ${file}`, "missing");
    throw ioError(file, e);
  }
  if (st.isDirectory())
    throw new SafeFileError(`这是一个文件夹，不是 .xlsx 文件：${file}`, `a folder, not an .xlsx file: ${file}`, "folder");
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
