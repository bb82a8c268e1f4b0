/**
 * "Check this Excel" against the in-memory Excel: every path passes at the newest requirement
 * set, steps above the manifest's floor are reported as unsupported (never run), a failing step
 * is reported with Excel's message and the rest still runs, and nothing is left behind.
 */
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { ExcelRun } from "../../src/workbook/office";
import { runSelfTest, selfTestText } from "../../src/workbook/selftest";

const host = { version: "16.0.18000", platform: "in-memory" };
const runOf = (excel: FakeExcel) => excel.run.bind(excel) as unknown as ExcelRun;

async function leftovers(excel: FakeExcel): Promise<{ sheets: string[]; names: number; xml: number }> {
  return {
    sheets: excel.state.sheets.map((s) => s.name).filter((n) => n.startsWith("PD_SelfTest")),
    names: [...excel.state.names.keys()].filter((n) => n.startsWith("pdselftest")).length,
    xml: excel.state.customXml.length,
  };
}

test("at ExcelApi 1.13 every path passes and nothing is left behind", async () => {
  const excel = new FakeExcel();
  const r = await runSelfTest(runOf(excel), (n, v) => excel.isSetSupported(n, v), host, 200);
  expect(r.steps.filter((s) => s.status !== "pass").map((s) => `${s.id}: ${s.detail}`)).toEqual([]);
  expect(r.steps.map((s) => s.id)).toEqual([
    "table",
    "append",
    "text",
    "prefix",
    "databar",
    "chart",
    "highlight",
    "columns",
    "rowdelete",
    "recalc",
    "slices",
    "lambda",
    "xml",
    "xmldelete",
    "event",
    "cleanup",
  ]);
  expect(r.steps.find((s) => s.id === "event")!.detail).toContain("source Local");
  expect(r.steps.find((s) => s.id === "columns")!.detail).toContain("the option is on");
  expect(r.apiVersions).toContain("1.13");
  expect(await leftovers(excel)).toEqual({ sheets: [], names: 0, xml: 0 });
  const text = selfTestText(r, "zh");
  expect(text.split("\n")[0]).toContain("Excel 16.0.18000（in-memory）");
  expect(text).toContain("✓ 以 = + - @ 开头的文字仍是文字");
});

test("at the manifest's floor (1.7) the change event is reported as unsupported, not run", async () => {
  const excel = new FakeExcel();
  excel.apiVersion = "1.7";
  const r = await runSelfTest(runOf(excel), (n, v) => excel.isSetSupported(n, v), host, 200);
  const byId = Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
  expect(byId).toMatchObject({
    table: "pass",
    append: "pass",
    text: "pass",
    databar: "pass",
    chart: "pass",
    lambda: "pass",
    xml: "pass",
    event: "unsupported",
    cleanup: "pass",
  });
  expect(await leftovers(excel)).toEqual({ sheets: [], names: 0, xml: 0 });
});

test("a path that fails is reported with Excel's message; the others still run and the scratch sheet goes", async () => {
  const excel = new FakeExcel();
  // An Excel whose custom XML parts refuse (as a locked-down tenant might).
  const run: ExcelRun = (batch) =>
    excel.run(async (context) => {
      const wb = context.workbook as unknown as { customXmlParts: unknown };
      Object.defineProperty(wb, "customXmlParts", {
        get: () => {
          throw Object.assign(new Error("Access denied"), { code: "AccessDenied" });
        },
      });
      return batch(context as never);
    }) as never;
  const r = await runSelfTest(run, (n, v) => excel.isSetSupported(n, v), host, 200);
  const xml = r.steps.find((s) => s.id === "xml")!;
  expect(xml.status).toBe("fail");
  expect(xml.detail).toContain("AccessDenied");
  expect(r.steps.find((s) => s.id === "chart")!.status).toBe("pass");
  expect(r.failed).toBeGreaterThanOrEqual(1);
  expect((await leftovers(excel)).sheets).toEqual([]);
});

test("the change event's handler is removed through the context that added it: nothing is left listening", async () => {
  const excel = new FakeExcel();
  const before = excel.state.listeners.size;
  await runSelfTest(runOf(excel), (n, v) => excel.isSetSupported(n, v), host, 200);
  expect(excel.state.listeners.size).toBe(before);
});

test("with the person's 'Fill formulas in tables' option off, the report says so; the highlight is found on the range it was written on although priorities renumber", async () => {
  const excel = new FakeExcel();
  excel.state.fillFormulas = false;
  const r = await runSelfTest(runOf(excel), (n, v) => excel.isSetSupported(n, v), host, 200);
  expect(r.steps.find((s) => s.id === "columns")).toMatchObject({ status: "pass", detail: expect.stringContaining("the option is off") });
  expect(r.steps.find((s) => s.id === "highlight")!.status).toBe("pass");
  expect(r.failed).toBe(0);
});

test("the paths added for issue 18's leftovers: a relative rule listed from the table's range is read again from the range it was written on; with 'Fill formulas' off the add-in's own fill (formula and the column's number format) is tried", async () => {
  const excel = new FakeExcel();
  excel.state.fillFormulas = false;
  const r = await runSelfTest(runOf(excel), (n, v) => excel.isSetSupported(n, v), host, 200);
  const highlight = r.steps.find((s) => s.id === "highlight");
  expect(highlight).toMatchObject({ status: "pass" });
  // Listed from the table's range (top-left A1) the relative rule reads shifted; from its own range (C2:C4) as written.
  expect(highlight?.detail).toContain("relative rule =C2>100 on C2:C4, read from the table's range as =A1>100");
  const columns = r.steps.find((s) => s.id === "columns");
  expect(columns).toMatchObject({ status: "pass" });
  expect(columns?.detail).toContain("the add-in wrote the formula with the column's number format 0.00");
  expect(await leftovers(excel)).toEqual({ sheets: [], names: 0, xml: 0 });

  const on = new FakeExcel();
  const r2 = await runSelfTest(runOf(on), (n, v) => on.isSetSupported(n, v), host, 200);
  expect(r2.steps.find((s) => s.id === "columns")?.detail).toContain(
    "the new row got the formula and the number format 0.00 (the option is on)",
  );
});
