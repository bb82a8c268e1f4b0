/**
 * Excel's documented limits at real size (issue 18), on the strict in-memory Excel with Excel on
 * the web's 5 MB payload limit on: the pane's first read and derive (no drawing: the workbench
 * figures in pane.ts cover the DOM), one action (validate, read, write) and the first PLAN result
 * after opening (Calendar and Settings only), at 5,000 cards + 50,000 log rows and at 20,000 +
 * 200,000. Each figure says how many round trips it took and the largest request and response.
 */
import { performance } from "perf_hooks";
import { toSerial } from "../src/core/calendar";
import { configureFunctions } from "../src/functions/config";
import { due } from "../src/functions/functions";
import { Derived } from "../src/taskpane/derive";
import { WorkbookFunctions } from "../src/taskpane/runtime";
import { bigLog, bigRegister } from "../src/workbench/big";
import { FakeExcel, WEB_PAYLOAD_LIMIT } from "../src/workbench/fake-excel/api";
import { performAction } from "../src/workbook/actions";
import { demoChanges } from "../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../src/workbook/office";
import { emptyChangeSet } from "../src/workbook/port";
import { readWorkbook } from "../src/workbook/read";
import { record } from "./util";

const MB = 1024 * 1024;
const NOW = toSerial(2026, 11, 2, 10, 0);
const mb = (bytes: number) => `${(bytes / MB).toFixed(2)} MB`;

async function workbook(cards: number, log: number): Promise<FakeExcel> {
  const excel = new FakeExcel();
  excel.payloadLimit = undefined; // the bulk set-up is not what is measured
  const port = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  await port.read();
  await port.write(demoChanges("zh"));
  await port.read();
  await port.write(bigRegister(cards));
  const more = emptyChangeSet();
  more.appends.push({ table: "CountersignLog", rows: bigLog(log, cards), dateCols: [0] });
  await port.read();
  await port.write(more);
  excel.payloadLimit = WEB_PAYLOAD_LIMIT;
  return excel;
}

async function atSize(cards: number, log: number, targets: { render?: number; action?: number }): Promise<void> {
  const excel = await workbook(cards, log);
  const size = `${cards.toLocaleString("en")} cards + ${log.toLocaleString("en")} log rows`;
  const run = excel.run.bind(excel) as unknown as ExcelRun;
  const isSet = (n: string, v: string) => excel.isSetSupported(n, v);

  // The pane's first render without drawing: read (in slices) and derive.
  excel.counter.largest = { request: 0, response: 0 };
  let syncs = excel.syncs;
  const port = new OfficeWorkbook(run, isSet);
  const t0 = performance.now();
  const snapshot = await port.read();
  const tRead = performance.now();
  const derived = new Derived(readWorkbook(snapshot), NOW);
  const render = performance.now() - t0;
  const readSyncs = excel.syncs - syncs;
  record(
    `first read + derive, ${size} (${readSyncs} round trips)`,
    `${render.toFixed(0)} ms`,
    targets.render ? `< ${targets.render} ms` : undefined,
    targets.render ? render < targets.render : undefined,
  );
  record(`  of which the read (in-memory Excel, payload counted)`, `${(tRead - t0).toFixed(0)} ms`);
  record(`  largest response of that read`, mb(excel.counter.largest.response), "< 4 MB", excel.counter.largest.response < 4 * MB);
  void derived;

  // One action: a new card issued (validate, one read, one write).
  excel.counter.largest = { request: 0, response: 0 };
  syncs = excel.syncs;
  const request = {
    project: "基准项目",
    client: "青禾乳业",
    key: false,
    intake: "AE" as const,
    initiator: "张伟",
    ae: "张伟",
    received: toSerial(2026, 11, 2, 9, 30),
  };
  const t1 = performance.now();
  const done = await performAction(port, { action: "issue", actor: "林静", input: { request } }, NOW);
  const action = performance.now() - t1;
  if (!done.ok) throw new Error(`the bench action failed: ${JSON.stringify(done).slice(0, 300)}`);
  record(
    `an action (issue a card), ${size} (${excel.syncs - syncs} round trips)`,
    `${action.toFixed(0)} ms`,
    targets.action ? `< ${targets.action} ms` : undefined,
    targets.action ? action < targets.action : undefined,
  );
  record(
    `  largest request / response of the action`,
    `${mb(excel.counter.largest.request)} / ${mb(excel.counter.largest.response)}`,
    "< 4 MB",
    Math.max(excel.counter.largest.request, excel.counter.largest.response) < 4 * MB,
  );

  // What of the action is the read: a later read of the same session (the log from its last known row).
  syncs = excel.syncs;
  const t3 = performance.now();
  await port.read();
  record(`  a later read alone (incremental), ${excel.syncs - syncs} round trip(s)`, `${(performance.now() - t3).toFixed(0)} ms`);

  // The first PLAN result after opening: Calendar and Settings only.
  excel.counter.largest = { request: 0, response: 0 };
  const runtime = new WorkbookFunctions({ run, isSetSupported: isSet, displayLang: () => "zh" });
  await runtime.start();
  syncs = excel.syncs;
  const t2 = performance.now();
  await (due as unknown as (s: number, d: number) => Promise<unknown>)(toSerial(2026, 9, 30, 16), 1);
  const plan = performance.now() - t2;
  record(`first PLAN result after opening, ${size} (${excel.syncs - syncs} round trip)`, `${plan.toFixed(0)} ms`);
  record(
    `  its response (Calendar and Settings only)`,
    `${(excel.counter.largest.response / 1024).toFixed(1)} KB`,
    "< 4 MB",
    excel.counter.largest.response < 4 * MB,
  );
  configureFunctions({}); // back to pinned for the other benches
}

export async function benchLimits(): Promise<void> {
  await atSize(5_000, 50_000, { render: 1000, action: 600 });
  await atSize(20_000, 200_000, {});
}

if (require.main === module) {
  benchLimits().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
