/**
 * Plain file reads and writes of an .xlsx for the tests and the bench. The workbook engine does
 * no I/O; the command line reads and writes workbooks only through cli/safe-file (lock, owner
 * files, atomic replace). Tests that make a file to run the command line on use these.
 */
import fs from "fs";
import { WorkbookFileError, XlsxWorkbook, checkExtension } from "../../src/workbook/xlsx";

/** Reads a workbook file (WorkbookFileError, in both languages, when it is not one). */
export async function openXlsx(file: string): Promise<XlsxWorkbook> {
  if (!fs.existsSync(file)) throw new WorkbookFileError(`找不到文件：${file}`, `no such file: ${file}`);
  if (fs.statSync(file).isDirectory())
    throw new WorkbookFileError(`这是一个文件夹，不是 .xlsx 文件：${file}`, `a folder, not an .xlsx file: ${file}`);
  checkExtension(file);
  return XlsxWorkbook.fromBytes(new Uint8Array(fs.readFileSync(file)), file);
}

/** Writes the workbook's bytes to `file`, through a temporary file and a rename. */
export async function saveXlsx(wb: XlsxWorkbook, file: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, await wb.toBytes());
    fs.renameSync(tmp, file);
  } finally {
    if (fs.existsSync(tmp)) fs.unlinkSync(tmp);
  }
}
