/** The in-memory Excel behaves as Excel does for the subset Planning Desk uses, strictly. */
import { FakeExcel } from "../../src/workbench/fake-excel/api";

async function sheetWithTable(excel: FakeExcel) {
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.add("Data");
    ws.getRange("A1:B3").values = [
      ["Name", "Value"],
      ["a", 1],
      ["b", 2],
    ];
    ws.tables.add("A1:B3", true).name = "T";
    await ctx.sync();
  });
}

describe("strict in-memory Excel", () => {
  test("reading a property before load and sync throws PropertyNotLoaded", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      const range = ctx.workbook.tables.getItem("T").getRange();
      expect(() => range.values).toThrow(/not available.*load/);
      range.load("values");
      expect(() => range.values).toThrow(/not available/); // loaded but not synced
      await ctx.sync();
      expect(range.values).toEqual([
        ["Name", "Value"],
        ["a", 1],
        ["b", 2],
      ]);
      expect(() => range.address).toThrow(/'address' is not available/);
    });
  });

  test("values of the wrong shape fail the sync with InvalidArgument", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(0, 0, 2, 2).values = [[1, 2, 3]];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  test("missing items fail with ItemNotFound", async () => {
    const excel = new FakeExcel();
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("Nope").getRange().load("values");
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "ItemNotFound" });
  });

  test("writing just below a table grows it; rows.add is refused", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(3, 0, 2, 2).values = [
        ["c", 3],
        ["d", 4],
      ];
      await ctx.sync();
      const r = ctx.workbook.tables.getItem("T").getRange().load("address");
      await ctx.sync();
      expect(r.address).toBe("Data!A1:B5");
      expect(() => ctx.workbook.tables.getItem("T").rows.add()).toThrow(/range writes/);
    });
  });

  test("a leading = makes a formula; a leading apostrophe keeps text", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("Data");
      ws.getRange("D1:E1").values = [["=1+1", "'=1+1"]];
      const r = ws.getRange("D1:E1").load("values,formulas");
      await ctx.sync();
      expect(r.formulas[0][0]).toBe("=1+1");
      expect(r.values[0][1]).toBe("=1+1");
      expect(r.formulas[0][1]).toBe("=1+1"); // shown as typed, but…
      expect(excel.state.sheet("Data")!.get(0, 4)!.formula).toBeUndefined(); // …it is text
    });
  });

  test("counts round trips", async () => {
    const excel = new FakeExcel();
    const before = excel.syncs;
    await sheetWithTable(excel);
    expect(excel.syncs - before).toBe(1);
  });
});

test("a protected sheet refuses writes with AccessDenied until unprotected", async () => {
  const excel = new FakeExcel();
  await sheetWithTable(excel);
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem("Data");
    ws.protection.protect();
    ws.protection.load("protected");
    await ctx.sync();
    expect(ws.protection.protected).toBe(true);
  });
  await expect(
    excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A2").values = [["x"]];
      await ctx.sync();
    }),
  ).rejects.toMatchObject({ code: "AccessDenied" });
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem("Data");
    ws.protection.unprotect();
    ws.getRange("A2").values = [["x"]];
    const r = ws.getRange("A2").load("values");
    await ctx.sync();
    expect(r.values).toEqual([["x"]]);
  });
});

test("a co-author's write raises a remote change event", async () => {
  const excel = new FakeExcel();
  await sheetWithTable(excel);
  const events: { address: string; source: string }[] = [];
  await excel.run(async (ctx) => {
    ctx.workbook.worksheets.onChanged.add((e) => void events.push({ address: e.address, source: e.source }));
    await ctx.sync();
  });
  await excel.runAsCoauthor(async (ctx) => {
    ctx.workbook.worksheets.getItem("Data").getRange("B2").values = [[9]];
    await ctx.sync();
  });
  expect(events).toEqual([{ address: "Data!B2", source: "Remote" }]);
});

describe("Excel's typing", () => {
  test("like Excel, text that looks like a number or a date becomes one, unless the cell is formatted as text", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("Data");
      ws.getRange("D1:F1").values = [["2026-10", "0012", "202610-001"]];
      const text = ws.getRange("D2:E2");
      text.numberFormat = [["@", "@"]];
      text.values = [["2026-10", "0012"]];
      const back = ws.getRange("D1:F2").load("values");
      await ctx.sync();
      expect(back.values).toEqual([
        [46296, 12, "202610-001"],
        ["2026-10", "0012", ""],
      ]);
    });
  });

  test("requirement sets compare version parts: 1.6 is older than 1.13", () => {
    const excel = new FakeExcel();
    expect(excel.isSetSupported("ExcelApi", "1.6")).toBe(true);
    expect(excel.isSetSupported("ExcelApi", "1.13")).toBe(true);
    expect(excel.isSetSupported("ExcelApi", "1.14")).toBe(false);
    excel.apiVersion = "1.9";
    expect(excel.isSetSupported("ExcelApi", "1.13")).toBe(false);
  });
});
