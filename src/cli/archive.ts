/**
 * `planning-desk archive FILE --year YYYY`: the yearly archive (归档年度, issue 18). What moves
 * is decided in core (core/workflow/archive.ts), both change sets are built in
 * src/workbook/archive.ts. The archive is a new file beside the shared one,
 * `<name>-archive-<year>.xlsx`, never an existing one; the shared workbook is replaced through
 * ./safe-file (its lock, never over a co-author's save, never while open in Excel).
 *
 * Order: the archive file is created first, under the shared workbook's lock, then the shared
 * workbook is replaced. If the replacement does not happen (refused, or the file changed), the
 * archive just created is removed: the shared workbook still holds everything. A run that finds
 * nothing to move writes nothing and says so.
 */
import fs from "fs";
import path from "path";
import { wallClockSerial } from "../core/calendar";
import { ArchiveRefused } from "../core/workflow/archive";
import { archiveChanges, archiveSummary } from "../workbook/archive";
import { readWorkbook } from "../workbook/read";
import { WorkbookFileError, XlsxWorkbook, checkExtension, strictRefusal } from "../workbook/xlsx";
import { SafeFileError, createWorkbookFile, updateWorkbookFile } from "./safe-file";

type Lang = "zh" | "en";
type Text = { zh: string; en: string };

/** `register.xlsx` → `register-archive-2025.xlsx`, beside it. */
export function archivePathOf(file: string, year: number): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}-archive-${year}${ext || ".xlsx"}`);
}

export async function archiveYear(
  file: string,
  yearText: string | undefined,
  lang: Lang | undefined,
  out: (s: string) => void,
  defaultLang: Lang,
): Promise<number> {
  const year = Number(yearText);
  if (yearText === undefined || !/^\d{4}$/.test(yearText.trim()) || !Number.isInteger(year))
    throw new WorkbookFileError(
      `archive 需要 --year YYYY（要归档的年份），而不是 ${yearText ?? "空"}`,
      `archive takes --year YYYY (the year to archive), not ${yearText ?? "nothing"}`,
      2,
    );
  checkExtension(file);
  const target = archivePathOf(file, year);
  const exists = () =>
    new SafeFileError(
      `${target} 已存在，未覆盖：${year} 年已归档过，或该文件另有用途；未写入任何内容`,
      `${target} already exists; it was not overwritten: ${year} was archived before, or the file is something else; nothing was written`,
      "exists",
    );
  let created = false;
  const removeCreated = () => {
    if (created) fs.rmSync(target, { force: true });
    created = false;
  };
  let l: Lang = lang ?? defaultLang;
  try {
    const { result } = await updateWorkbookFile<Text>(
      file,
      async (bytes) => {
        const wb = await XlsxWorkbook.fromBytes(bytes, file);
        if (wb.strictOpenXml) throw strictRefusal(file);
        const snapshot = await wb.read();
        const settings = readWorkbook(snapshot).model.settings;
        l = lang ?? (settings.lang === "auto" ? defaultLang : settings.lang);
        let c;
        try {
          c = archiveChanges(snapshot, year, wallClockSerial(settings.timeZone));
        } catch (e) {
          if (e instanceof ArchiveRefused) throw new WorkbookFileError(e.reason.zh, e.reason.en, 1);
          throw e;
        }
        if (!c.plan.cards.size) {
          const open = c.plan.staying.length;
          return {
            bytes: null,
            result: {
              zh: `${year} 年没有可归档的卡片（已结案且已归档的卡片都已移走${open ? `；${open} 张卡片尚未结案归档，留在共享工作簿` : ""}），未写入任何内容`,
              en: `nothing to archive for ${year} (no card of that year is closed and archived here${open ? `; ${open} cards not closed and archived stay in the shared workbook` : ""}); nothing was written`,
            },
          };
        }
        if (fs.existsSync(target)) throw exists();
        await wb.write(c.shared);
        const archive = XlsxWorkbook.create();
        await archive.read();
        await archive.write(c.archive);
        const archiveBytes = await archive.toBytes();
        // A retry (someone saved the shared workbook meanwhile) rebuilds the archive from their version.
        removeCreated();
        try {
          await createWorkbookFile(target, archiveBytes, { command: "archive", checkName: checkExtension });
        } catch (e) {
          if (e instanceof SafeFileError && e.kind === "exists") throw exists();
          throw e;
        }
        created = true;
        const s = archiveSummary(c, target);
        const staying = c.plan.staying.length;
        return {
          bytes: await wb.toBytes(),
          result: {
            zh: `${s.zh}${staying ? `；${staying} 张 ${year} 年的卡片留在共享工作簿（尚未结案归档，或有之后的修改/事件）` : ""}`,
            en: `${s.en}${staying ? `; ${staying} cards of ${year} stay in the shared workbook (not closed and archived, or with a later revision or incident)` : ""}`,
          },
        };
      },
      { command: "archive", checkName: checkExtension },
    );
    out(result[l]);
    return 0;
  } catch (e) {
    // The shared workbook was not replaced: the archive just made is only a copy, removed.
    removeCreated();
    throw e;
  }
}
