/**
 * `planning-desk check` lists the log rows written while someone else's account was signed in
 * (issue 18): a warning each, naming the log's sheet row, the actor and whose account it was; the
 * log itself still verifies (the account is hashed with the row). On a real .xlsx file.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { run } from "../../src/cli/main";
import { toSerial } from "../../src/core/calendar";
import { stageOf } from "../../src/core/workflow/stages";
import { performAction } from "../../src/workbook/actions";
import { demoChanges } from "../../src/workbook/demo";
import { findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { XlsxWorkbook } from "../../src/workbook/xlsx";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-checkaccount-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a log row whose account is someone else's is a warning with its sheet row; the chain still holds", async () => {
  const wb = XlsxWorkbook.create();
  await wb.write(demoChanges("zh"));
  const { model } = readWorkbook(await wb.read());
  const cards = model.cards.filter((c) => stageOf(c, model.revisions) === "sent" && c.lead);
  const T0 = toSerial(2026, 11, 2, 10, 0);
  const lead = (n: number) => model.staff.find((s) => s.name === cards[n].lead);
  // Own account: no warning. Another person's account (陈刚's): a warning.
  const own = await performAction(
    wb,
    { action: "close", cardNo: cards[0].cardNo, actor: cards[0].lead ?? "", account: lead(0)?.account },
    T0,
  );
  const other = await performAction(
    wb,
    { action: "close", cardNo: cards[1].cardNo, actor: cards[1].lead ?? "", account: "chen.gang@example.com" },
    T0 + 0.01,
  );
  expect([own.ok, other.ok]).toEqual([true, true]);
  const log = findTable(await wb.read(), "CountersignLog");
  const sheetRow = (log?.top ?? 0) + 1 + (log?.rows.length ?? 0);
  const f = path.join(dir, "accounts.xlsx");
  fs.writeFileSync(f, await wb.toBytes());

  const out: string[] = [];
  const code = await run(
    ["check", f, "--json"],
    (s) => out.push(s),
    () => undefined,
  );
  const json: { findings: { severity: string; code: string; cell?: string; zh: string; en: string }[] } = JSON.parse(out.join("\n"));
  expect(json.findings.filter((x) => x.code === "log-break")).toEqual([]);
  const found = json.findings.filter((x) => x.code === "account-mismatch");
  expect(found.map((x) => [x.severity, x.cell])).toEqual([["warning", `${log?.sheet}!A${sheetRow}`]]);
  expect(found[0].en).toBe(
    `${log?.sheet}: row ${sheetRow}: the actor is "${cards[1].lead}", but the account signed in when it was written, "chen.gang@example.com", is 陈刚's (${cards[1].cardNo} 项目结束)`,
  );
  expect(code).toBe(0);

  const text: string[] = [];
  await run(
    ["check", f, "--lang", "zh"],
    (s) => text.push(s),
    () => undefined,
  );
  expect(text).toContain(
    `警告  ${log?.sheet}：第 ${sheetRow} 行：操作人是“${cards[1].lead}”，但写入时登录的账号“chen.gang@example.com”是 陈刚 的（${cards[1].cardNo} 项目结束）`,
  );
});
