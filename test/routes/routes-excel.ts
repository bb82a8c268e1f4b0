/**
 * The routes tests' one set-up (wire.test.ts, process-wire.test.ts): the demo workbook on the
 * strict in-memory Excel with the people the routes of seeds 002–003 name, and the actions that
 * bring a card of a type to its countersign.
 */
import { toSerial } from "../../src/core/calendar";
import type { Card } from "../../src/core/model";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { ActionRequest, performAction } from "../../src/workbook/actions";
import { rowFor } from "../../src/workbook/cells";
import { demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import type { CellValue } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { STAFF } from "../../src/workbook/schema";

export const T0 = toSerial(2026, 11, 2, 10, 0);

/** The demo workbook with the people the routes of seeds 002–003 name, each in the role a route uses. */
export async function routesExcel(): Promise<{ excel: FakeExcel; port: OfficeWorkbook }> {
  const excel = new FakeExcel();
  const port = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  await port.read();
  const changes = demoChanges("zh");
  const staff = changes.newTables.find((t) => t.name === STAFF.name);
  if (!staff) throw new Error("no Staff table in the demo");
  for (const [name, role] of [
    ["钱进", "客户总监"],
    ["孔丽", "客户主管"],
    ["冯涛", "集团审核"],
    ["何伟", "营销副总裁"],
    ["沈青", "总部"],
  ])
    staff.rows.push(rowFor(STAFF, { name, role, active: true }, "zh") as CellValue[]);
  await port.write(changes);
  await port.read();
  return { excel, port };
}

export async function run(port: OfficeWorkbook, req: ActionRequest, minutes: number) {
  const r = await performAction(port, req, T0 + minutes / 1440);
  return r;
}

export async function ok(port: OfficeWorkbook, req: ActionRequest, minutes: number) {
  const r = await run(port, req, minutes);
  if (!r.ok) throw new Error(`${req.action} by ${req.actor}: ${r.reason.zh}`);
  return r;
}

export async function state(port: OfficeWorkbook, cardNo: string) {
  const { model } = readWorkbook(await port.read());
  const card = model.cards.find((c) => c.cardNo === cardNo);
  if (!card) throw new Error(`no card ${cardNo}`);
  return { card, log: model.log.filter((e) => e.cardNo === cardNo) };
}

/** Issues a card of the type and brings it to its countersign (assign, brief). */
export async function toCountersign(port: OfficeWorkbook, request: Partial<Card>): Promise<string> {
  const issued = await ok(
    port,
    {
      action: "issue",
      actor: "林静",
      input: {
        request: {
          project: "路线测试",
          client: "青禾乳业",
          key: false,
          intake: "AE",
          initiator: "张伟",
          ae: "张伟",
          received: T0,
          ...request,
        },
      },
    },
    0,
  );
  const cardNo = issued.effect.cardNo;
  await ok(port, { action: "assign", cardNo, actor: "王磊", input: { lead: "刘洋", reviewer: "王磊" } }, 10);
  await ok(port, { action: "brief", cardNo, actor: "刘洋" }, 20);
  return cardNo;
}
