/**
 * Why a file cannot be used as a workbook, or why a write was refused: one line in Chinese and
 * English naming the file and the part, and the command line's exit code.
 */
import { MAX_NAME_CHARS, PackageError, fmt } from "./limits";

/** A file that cannot be used as a workbook, or a write that was refused; the file is unchanged. */
export class WorkbookFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    /** The command line's exit code: 2 = not a usable workbook, 1 = refused (protection, structure). */
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(en);
  }
}

export const refused = (zh: string, en: string) => new WorkbookFileError(zh, en, 1);

/** Nothing is written into a Strict Open XML file: the command cannot work on it at all (exit 2). */
export const strictRefusal = (fileName: string): WorkbookFileError =>
  new WorkbookFileError(
    `${fileName} 是“严格 Open XML”格式，无法写入，未改动任何内容：请在 Excel 中另存为普通的 Excel 工作簿 (.xlsx) 再运行`,
    `${fileName} is in Strict Open XML format, which cannot be written; nothing was changed: save it as an ordinary Excel Workbook (.xlsx) in Excel, then run again`,
    2,
  );

/** A package the engine refuses (damaged or hostile): one line naming the file and the part. */
export const unreadable = (file: string, e: PackageError, exitCode: 1 | 2 = 2) =>
  new WorkbookFileError(
    `${file} 无法读取，未作任何更改：部件 ${e.part} ${e.zh}。请在 Excel 中打开并另存一份`,
    `${file} cannot be read, nothing was changed: part ${e.part} ${e.en}. Open it in Excel and save a copy`,
    exitCode,
  );

/** A name longer than any program should write (a 10 MB sheet name would be printed with every finding). */
export function checkName(part: string, what: [string, string], name: string): void {
  if (name.length > MAX_NAME_CHARS)
    throw new PackageError(
      part,
      `中的${what[0]}有 ${fmt(name.length)} 个字符，超过上限 ${MAX_NAME_CHARS}`,
      `holds a ${what[1]} of ${fmt(name.length)} characters, more than the limit of ${MAX_NAME_CHARS}`,
    );
}

/** Excel workbooks the engine reads and writes: .xlsx and .xlsm (macros kept), and their templates. */
export const WORKBOOK_EXTENSIONS = [".xlsx", ".xlsm", ".xltx", ".xltm"];

export function checkExtension(file: string): void {
  const dot = file.lastIndexOf(".");
  const ext = dot < 0 ? "" : file.slice(dot).toLowerCase();
  if (!WORKBOOK_EXTENSIONS.includes(ext))
    throw new WorkbookFileError(`只支持 .xlsx 和 .xlsm 文件：${file}`, `only .xlsx and .xlsm files are supported: ${file}`);
}
