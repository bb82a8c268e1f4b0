/**
 * `planning-desk init` on a workbook set up before the Staff table had its optional Account
 * (账号) column (issue 18, "who really acted"): the column is added at the table's end, with the
 * header in the table's own language and empty cells, and no typed cell changes. On a real file.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { run } from "../../src/cli/main";
import { CellValue, RawTable, findTable } from "../../src/workbook/port";
import { STAFF } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { openXlsx, saveXlsx } from "../helpers/xlsx-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-init-account-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TYPED: Record<"zh" | "en", CellValue[][]> = {
  zh: [
    ["林静", "秘书", null, "是", "13800000001", "lin.jing@example.com"],
    ["=1+1", "策划", "林静", "否", null, null],
  ],
  en: [
    ["Lin Jing", "Secretary", null, "Yes", "13800000001", "lin.jing@example.com"],
    ["=1+1", "Planner", "Lin Jing", "No", null, null],
  ],
};

/** A workbook as set-up wrote it before the Account column: Staff has Name … Email, and typed rows. */
async function writtenBefore(file: string, lang: "zh" | "en"): Promise<void> {
  const wb = XlsxWorkbook.create();
  const changes = setupChanges(await wb.read(), lang);
  const account = STAFF.columns.findIndex((c) => c.key === "account");
  for (const nt of changes.newTables)
    if (nt.name === "Staff") {
      nt.headers = nt.headers.filter((_, i) => i !== account);
      nt.rows = TYPED[lang];
    }
  await wb.write(changes);
  await saveXlsx(wb, file);
}

const tables = async (file: string): Promise<Map<string, RawTable>> => (await (await openXlsx(file)).read()).tables;

describe.each(["zh", "en"] as const)("init on a workbook without Staff's Account column (%s)", (lang) => {
  test("adds the Account column, header in the table's language, cells empty; no typed cell changes", async () => {
    const file = path.join(dir, `before-${lang}.xlsx`);
    await writtenBefore(file, lang);
    const before = await tables(file);
    const staffBefore = findTable({ tables: before, sheetNames: [] }, "Staff");
    expect(staffBefore?.headers).not.toContain(lang === "zh" ? "账号" : "Account");
    expect(staffBefore?.rows).toEqual(TYPED[lang]);

    const out: string[] = [];
    const err: string[] = [];
    // The workbook's language is the Staff table's own: the command asks for the other one.
    const code = await run(
      ["init", file, "--lang", lang === "zh" ? "en" : "zh"],
      (s) => out.push(s),
      (s) => err.push(s),
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);

    const after = await tables(file);
    const staff = findTable({ tables: after, sheetNames: [] }, "Staff");
    expect(staff?.headers).toEqual([...(staffBefore?.headers ?? []), lang === "zh" ? "账号" : "Account"]);
    expect(staff?.rows).toEqual(TYPED[lang].map((r) => [...r, null]));
    // Every other table reads as it did.
    for (const [name, t] of before) if (name !== "Staff") expect(after.get(name)).toEqual(t);

    // A second run has nothing to add.
    const again = await fs.promises.readFile(file);
    expect(
      await run(
        ["init", file],
        () => undefined,
        (s) => err.push(s),
      ),
    ).toBe(0);
    expect(Buffer.compare(again, await fs.promises.readFile(file))).toBe(0);
  });
});
