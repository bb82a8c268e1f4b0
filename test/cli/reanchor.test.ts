/**
 * After an undo of the add-in's last writes (simulated: the log's last rows deleted, the anchor
 * part and the hidden name kept, as Ctrl+Z leaves them), `planning-desk check` names a probable
 * undo; the secretary re-anchors (reanchorLog, here on the .xlsx adapter) and `check` is clean,
 * the log ending with the re-anchor row.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { toSerial } from "../../src/core/calendar";
import { run } from "../../src/cli/main";
import { demoChanges } from "../../src/workbook/demo";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { reanchorLog } from "../../src/workbook/reanchor";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { openXlsx } from "../helpers/xlsx-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-reanchor-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function check(f: string): Promise<{ code: number; findings: { code: string; en: string }[] }> {
  const out: string[] = [];
  const code = await run(
    ["check", f, "--json"],
    (s) => out.push(s),
    () => undefined,
  );
  return { code, findings: (JSON.parse(out.join("\n")) as { findings: { code: string; en: string }[] }).findings };
}

test("check names the undo; the secretary re-anchors; check is clean and the log shows it", async () => {
  const wb0 = XlsxWorkbook.create();
  await wb0.read();
  await wb0.write(demoChanges("zh"));
  const f = path.join(dir, "undo.xlsx");
  fs.writeFileSync(f, await wb0.toBytes());
  const wb = await openXlsx(f);
  const log = findTable(await wb.read(), "CountersignLog");
  if (!log) throw new Error("no log");
  const c = emptyChangeSet();
  c.deleteRows.push({ table: "CountersignLog", rows: [log.rows.length - 1, log.rows.length - 2] });
  await wb.write(c);
  fs.writeFileSync(f, await wb.toBytes());

  const before = await check(f);
  expect(before.code).toBe(1);
  expect(before.findings.filter((x) => x.code === "log-break").map((x) => x.en)).toEqual([
    expect.stringMatching(/2 rows fewer than its anchor records .*probably an undo \(Ctrl\+Z\)/),
  ]);

  const port = await openXlsx(f);
  expect(await reanchorLog(port, "张伟", toSerial(2026, 10, 30, 18, 0))).toMatchObject({ ok: false });
  expect(await reanchorLog(port, "陈刚", toSerial(2026, 10, 30, 18, 0))).toMatchObject({ ok: true, givenUp: 2 });
  fs.writeFileSync(f, await port.toBytes());

  const after = await check(f);
  expect(after.findings.filter((x) => x.code === "log-break")).toEqual([]);
  expect(after.code).toBe(0);
  const model = readWorkbook(await (await openXlsx(f)).read()).model;
  expect(model.log[model.log.length - 1]).toMatchObject({ action: "重新锚定", actor: "陈刚", role: "总监" });
});
