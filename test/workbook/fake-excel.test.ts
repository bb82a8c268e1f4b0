/** The in-memory Excel behaves as Excel does for the subset Planning Desk uses, strictly. */
/* eslint-disable @typescript-eslint/no-explicit-any -- the fake is driven through Office.js-shaped objects the tests build by hand */
import fc from "fast-check";
import { FakeExcel, WEB_PAYLOAD_LIMIT, payloadBytes } from "../../src/workbench/fake-excel/api";

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

describe("co-authors' structural edits move cells and tables as Excel does", () => {
  const values = (excel: FakeExcel, name: string) => {
    const t = excel.state.table(name)!;
    return Array.from({ length: t.bottom - t.top + 1 }, (_, r) =>
      Array.from({ length: t.right - t.left + 1 }, (_, c) => t.sheet.get(t.top + r, t.left + c)?.value ?? null),
    );
  };

  test("rows inserted above a table move it; rows inserted inside grow it; a range taken from the table follows it", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("Data");
      ws.getRange("A1:A2").getEntireRow().insert("Down");
      const r = ctx.workbook.tables.getItem("T").getRange().load("address");
      await ctx.sync();
      expect(r.address).toBe("Data!A3:B5");
      ws.getRange("A5").getEntireRow().insert("Down"); // between a and b
      const r2 = ctx.workbook.tables.getItem("T").getRange().load("address");
      const cell = ctx.workbook.tables.getItem("T").getHeaderRowRange().getCell(0, 1).getOffsetRange(3, 0).load("values");
      await ctx.sync();
      expect(r2.address).toBe("Data!A3:B6");
      expect(cell.values).toEqual([[2]]);
    });
    expect(values(excel, "T")).toEqual([
      ["Name", "Value"],
      ["a", 1],
      [null, null],
      ["b", 2],
    ]);
  });

  test("rows deleted above or inside a table; the header row or every data row is refused", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    const s = excel.state;
    const sheet = s.sheet("Data")!;
    s.insertRows(sheet, 0, 1);
    s.deleteRows(sheet, 0, 1);
    expect(s.table("T")).toMatchObject({ top: 0, bottom: 2 });
    s.deleteRows(sheet, 1, 1);
    expect(values(excel, "T")).toEqual([
      ["Name", "Value"],
      ["b", 2],
    ]);
    expect(() => s.deleteRows(sheet, 0, 1)).toThrow(expect.objectContaining({ code: "InvalidOperation" }));
    expect(() => s.deleteRows(sheet, 1, 1)).toThrow(expect.objectContaining({ code: "InvalidOperation" }));
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem("Data").getRange("B1").delete("Up");
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "NotImplemented" });
  });

  test("sort and swap move only the table's cells; a renamed sheet keeps its tables", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("C2:C3").values = [["x"], ["y"]];
      ctx.workbook.tables.getItem("T").sort.apply([{ key: 1, ascending: false }]);
      ctx.workbook.worksheets.getItem("Data").name = "数据";
      await ctx.sync();
    });
    expect(values(excel, "T")).toEqual([
      ["Name", "Value"],
      ["b", 2],
      ["a", 1],
    ]);
    expect(excel.state.sheet("数据")!.get(1, 2)!.value).toBe("x"); // outside the table: not moved
    excel.state.swapRows(excel.state.table("T")!, 0, 1);
    expect(values(excel, "T")).toEqual([
      ["Name", "Value"],
      ["a", 1],
      ["b", 2],
    ]);
    expect(excel.state.table("T")!.sheet.name).toBe("数据");
  });
});

describe("custom XML parts as Office.js has them (ExcelApi 1.5)", () => {
  const NS = "http://example.com/anchor";
  test("add, getByNamespace → scoped collection, getXml → ClientResult after the sync, setXml, delete", async () => {
    const excel = new FakeExcel();
    await excel.run(async (ctx) => {
      const part = ctx.workbook.customXmlParts.add(`<a xmlns="${NS}"><n>1</n></a>`);
      part.load("id");
      await ctx.sync();
      const scoped = ctx.workbook.customXmlParts.getByNamespace(NS);
      const count = scoped.getCount();
      const xml = scoped.getOnlyItem().getXml();
      expect(() => xml.value).toThrow(/sync/);
      expect(() => scoped.items).toThrow(/load/);
      scoped.load("items/id");
      await ctx.sync();
      expect(count.value).toBe(1);
      expect(xml.value).toBe(`<a xmlns="${NS}"><n>1</n></a>`);
      expect(scoped.items.map((p) => p.id)).toEqual([part.id]);
      ctx.workbook.customXmlParts.getItem(part.id).setXml(`<a xmlns="${NS}"><n>2</n></a>`);
      await ctx.sync();
      expect(excel.state.customXml[0].xml).toContain("<n>2</n>");
      ctx.workbook.customXmlParts.getItem(part.id).delete();
      await ctx.sync();
      expect(excel.state.customXml).toEqual([]);
    });
  });

  test("getOnlyItem fails unless exactly one part; a deleted part's id fails; methods on a null object fail; malformed XML is refused", async () => {
    const excel = new FakeExcel();
    const fails = (batch: (ctx: Parameters<Parameters<FakeExcel["run"]>[0]>[0]) => void) =>
      excel.run(async (ctx) => {
        batch(ctx);
        await ctx.sync();
      });
    await expect(fails((ctx) => ctx.workbook.customXmlParts.getByNamespace(NS).getOnlyItem().getXml())).rejects.toMatchObject({
      code: "ItemNotFound",
    });
    await expect(fails((ctx) => ctx.workbook.customXmlParts.getItem("{nope}").delete())).rejects.toMatchObject({ code: "ItemNotFound" });
    await expect(fails((ctx) => ctx.workbook.customXmlParts.getByNamespace(NS).getOnlyItemOrNullObject().getXml())).rejects.toMatchObject({
      code: "InvalidOperation",
    });
    await expect(fails((ctx) => ctx.workbook.customXmlParts.add("<a><b></a>"))).rejects.toMatchObject({ code: "InvalidArgument" });
    await excel.run(async (ctx) => {
      ctx.workbook.customXmlParts.add(`<a xmlns="${NS}"/>`);
      ctx.workbook.customXmlParts.add(`<x:a xmlns:x="${NS}"></x:a>`);
      const none = ctx.workbook.customXmlParts.getByNamespace(NS).getOnlyItemOrNullObject();
      await ctx.sync();
      expect(none.isNullObject).toBe(true);
    });
    await expect(fails((ctx) => ctx.workbook.customXmlParts.getByNamespace(NS).getOnlyItem().getXml())).rejects.toMatchObject({
      code: "InvalidOperation",
    });
  });
});

describe("requirement sets: an API above the claimed ExcelApi version throws ApiNotFound", () => {
  test.each([
    ["1.4", (ctx: any) => ctx.workbook.customXmlParts, "customXmlParts needs 1.5"],
    [
      "1.5",
      (ctx: any) => ctx.workbook.worksheets.getItem("Data").getRange("B2").conditionalFormats.add("DataBar"),
      "conditional formats need 1.6",
    ],
    [
      "1.5",
      (ctx: any) => ctx.workbook.worksheets.getItem("Data").getRange("B2").conditionalFormats.add("Custom"),
      "custom conditional formats need 1.6",
    ],
    [
      "1.5",
      (ctx: any) => ctx.workbook.worksheets.getItem("Data").getRange("B2").conditionalFormats.load("items/id"),
      "listing conditional formats needs 1.6",
    ],
    [
      "1.3",
      (ctx: any) => ctx.workbook.tables.getItem("T").columns.add(null, undefined, "X"),
      "a column added at the end with a name needs 1.4",
    ],
    ["1.6", (ctx: any) => ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(0, 0, 1, 1), "getRangeByIndexes needs 1.7"],
    ["1.8", (ctx: any) => ctx.workbook.worksheets.onChanged, "worksheets.onChanged needs 1.9"],
    ["1.12", (ctx: any) => ctx.workbook.tables.getItem("T").resize("A1:B4"), "resize needs 1.13"],
    ["1.3", (ctx: any) => ctx.workbook.names.add("X", "=1"), "names.add needs 1.4"],
  ])("at ExcelApi %s", async (version, call, why) => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    excel.apiVersion = version;
    await expect(excel.run(async (ctx) => void call(ctx))).rejects.toMatchObject({ code: "ApiNotFound" });
    excel.apiVersion = "1.13";
    await excel.run(async (ctx) => void call(ctx));
    void why;
  });
});

test("a chart made from a text-only range has no series; one made from a numeric column has one, named by its header", async () => {
  const excel = new FakeExcel();
  await sheetWithTable(excel);
  await expect(
    excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("Data");
      ws.charts.add("BarClustered", ws.getRange("A1:A3"), "Columns").series.getItemAt(0).setValues(ws.getRange("B1:B3"));
      await ctx.sync();
    }),
  ).rejects.toMatchObject({ code: "ItemNotFound" });
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem("Data");
    ws.charts.add("BarClustered", ws.getRange("B1:B3"), "Columns").axes.categoryAxis.setCategoryNames(ws.getRange("A2:A3"));
    await ctx.sync();
  });
  expect(excel.state.sheet("Data")!.charts.at(-1)).toMatchObject({
    series: [{ name: "Value", values: "Data!B2:B3" }],
    categories: "Data!A2:A3",
  });
});

describe("calculated columns as Excel has them", () => {
  const cells = (excel: FakeExcel, col: number) => {
    const t = excel.state.table("T")!;
    return Array.from({ length: t.bottom - t.top }, (_, r) => t.sheet.get(t.top + 1 + r, t.left + col));
  };

  test("the same formula in every data row makes a calculated column; a row written below the table gets it by itself", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      const t = ctx.workbook.tables.getItem("T");
      t.columns.add(null as unknown as number, undefined, "Twice");
      t.columns.getItem("Twice").getDataBodyRange().formulas = [["=[@Value]*2"], ["=[@Value]*2"]];
      await ctx.sync();
    });
    expect(excel.state.table("T")!.calculated).toEqual(new Map([[2, "=[@Value]*2"]]));
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A4:B4").values = [["c", 3]];
      await ctx.sync();
    });
    expect(cells(excel, 2).map((c) => c?.formula)).toEqual(["=[@Value]*2", "=[@Value]*2", "=[@Value]*2"]);
    // The fake computes no formula: a formula cell's value is never a number or a date.
    expect(cells(excel, 2).map((c) => c?.value)).toEqual(["#FORMULA", "#FORMULA", "#FORMULA"]);
  });

  test("a value written into a calculated column's new row stays, and the column stops being calculated (stricter than Excel)", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      ctx.workbook.tables.getItem("T").columns.add(null as unknown as number, [["Twice"], ["=[@Value]*2"], ["=[@Value]*2"]]);
      await ctx.sync();
    });
    expect(excel.state.table("T")!.calculated?.get(2)).toBe("=[@Value]*2");
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A4:C4").values = [["c", 3, ""]];
      await ctx.sync();
    });
    expect(cells(excel, 2).map((c) => c?.formula ?? null)).toEqual(["=[@Value]*2", "=[@Value]*2", null]);
    expect(excel.state.table("T")!.calculated?.has(2)).toBe(false);
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A5:B5").values = [["d", 4]];
      await ctx.sync();
    });
    expect(cells(excel, 2).at(-1)).toBeUndefined();
  });

  test("different formulas in a column make no calculated column; values of the wrong height for columns.add fail", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      ctx.workbook.tables.getItem("T").columns.add(null as unknown as number, [["F"], ["=1"], ["=2"]]);
      await ctx.sync();
    });
    expect(excel.state.table("T")!.calculated?.size ?? 0).toBe(0);
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("T").columns.add(null as unknown as number, [["G"], ["=1"]]);
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    expect(excel.state.table("T")!.right).toBe(2);
  });

  test("a column found by name, deleted; a missing name fails with ItemNotFound", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      const col = ctx.workbook.tables.getItem("T").columns.getItem("value").load("name,index");
      await ctx.sync();
      expect([col.name, col.index]).toEqual(["Value", 1]);
      ctx.workbook.tables.getItem("T").columns.getItem("Value").delete();
      await ctx.sync();
    });
    expect(excel.state.table("T")!.right).toBe(0);
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("T").columns.getItem("Nope").getDataBodyRange().load("values");
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "ItemNotFound" });
  });
});

describe("conditional formats of type custom (ExcelApi 1.6)", () => {
  test("a formula and a fill on a range; listed by the ranges they touch; deleted by id; they grow with their table column", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    let id = "";
    await excel.run(async (ctx) => {
      const cf = ctx.workbook.tables.getItem("T").columns.getItem("Value").getDataBodyRange().conditionalFormats.add("Custom");
      cf.custom.rule.formula = "=B2>1";
      cf.custom.format.fill.color = "#ffc7ce";
      cf.custom.format.font.color = "#9C0006";
      cf.load("id");
      await ctx.sync();
      id = cf.id;
      const listed = ctx.workbook.tables
        .getItem("T")
        .getRange()
        .conditionalFormats.load("items/id,items/type,items/customOrNullObject/rule/formula,items/customOrNullObject/format/fill/color");
      const none = ctx.workbook.worksheets.getItem("Data").getRange("A1:A3").conditionalFormats.load("items/id");
      await ctx.sync();
      // Read from the table's range (top-left A1), the rule written on B2:B3 reads relative to A1 (office-js#5194).
      expect(listed.items.map((c) => [c.id, c.type, c.customOrNullObject.rule.formula, c.customOrNullObject.format.fill.color])).toEqual([
        [id, "Custom", "=A1>1", "#FFC7CE"],
      ]);
      expect(none.items).toEqual([]);
    });
    expect(excel.state.sheet("Data")!.conditionalFormats[0]).toMatchObject({ top: 1, left: 1, rows: 2, cols: 1 });
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A4:B4").values = [["c", 3]];
      await ctx.sync();
    });
    expect(excel.state.sheet("Data")!.conditionalFormats[0]).toMatchObject({ top: 1, rows: 3 });
    await excel.run(async (ctx) => {
      ctx.workbook.tables.getItem("T").getRange().conditionalFormats.getItem(id).delete();
      await ctx.sync();
    });
    expect(excel.state.sheet("Data")!.conditionalFormats).toEqual([]);
  });

  test("a rule's formula must start with = and may not use table references, as Excel refuses them; a bad colour fails", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    const fails = (f: (cf: any) => void) =>
      excel.run(async (ctx) => {
        f(ctx.workbook.worksheets.getItem("Data").getRange("B2:B3").conditionalFormats.add("Custom"));
        await ctx.sync();
      });
    await expect(fails((cf) => (cf.custom.rule.formula = "B2>1"))).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(fails((cf) => (cf.custom.rule.formula = "=[@Value]>1"))).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(fails((cf) => (cf.custom.format.fill.color = "reddish"))).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  test("ids are priorities within the collection read: renumbered after each add and delete, and another range's collection numbers differently", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    const add = (ctx: any, address: string, formula: string) => {
      const cf = ctx.workbook.worksheets.getItem("Data").getRange(address).conditionalFormats.add("Custom");
      cf.custom.rule.formula = formula;
      cf.custom.format.fill.color = "#FFC7CE";
    };
    await excel.run(async (ctx) => {
      add(ctx, "A2:A3", "=A2=1"); // a person's own, on column A
      add(ctx, "B2:B3", "=B2>1"); // the add-in's, on column B (top priority now)
      await ctx.sync();
      const fromTable = ctx.workbook.tables.getItem("T").getRange().conditionalFormats.load("items/id");
      const fromB = ctx.workbook.worksheets.getItem("Data").getRange("B2:B3").conditionalFormats.load("items/id");
      await ctx.sync();
      expect(fromTable.items.map((c) => c.id)).toEqual(["0", "1"]);
      expect(fromB.items.map((c) => c.id)).toEqual(["0"]);
    });
    // Deleting "0" twice in one batch: the second one is the format that moved up to priority 0.
    await excel.run(async (ctx) => {
      const coll = ctx.workbook.tables.getItem("T").getRange().conditionalFormats;
      coll.getItem("0").delete();
      coll.getItem("0").delete();
      await ctx.sync();
    });
    expect(excel.state.sheet("Data")!.conditionalFormats).toEqual([]);
  });

  test("with the priority switch off, ids last (the old model): deleting by id hits the same format", async () => {
    const excel = new FakeExcel();
    excel.state.cfIdIsPriority = false;
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A2:A3").conditionalFormats.add("DataBar");
      const cf = ctx.workbook.worksheets.getItem("Data").getRange("B2:B3").conditionalFormats.add("DataBar").load("id");
      await ctx.sync();
      expect(cf.id).toMatch(/^\{CF/);
    });
  });

  test("a rule reads relative to the range it is read from; from its own range as written", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await excel.run(async (ctx) => {
      const cf = ctx.workbook.worksheets.getItem("Data").getRange("B2:B3").conditionalFormats.add("Custom");
      cf.custom.rule.formula = '=AND(ISNUMBER(B2),$A2="x",B$2>0,LOG10(B2)>0,"B2"<>"")';
      cf.custom.format.fill.color = "#FFC7CE";
      await ctx.sync();
      const own = ctx.workbook.worksheets
        .getItem("Data")
        .getRange("B2:B3")
        .conditionalFormats.load("items/customOrNullObject/rule/formula");
      const table = ctx.workbook.tables.getItem("T").getRange().conditionalFormats.load("items/customOrNullObject/rule/formula");
      await ctx.sync();
      expect(own.items[0].customOrNullObject.rule.formula).toBe('=AND(ISNUMBER(B2),$A2="x",B$2>0,LOG10(B2)>0,"B2"<>"")');
      expect(table.items[0].customOrNullObject.rule.formula).toBe('=AND(ISNUMBER(A1),$A1="x",A$2>0,LOG10(A1)>0,"B2"<>"")');
    });
  });
});

describe("workbook names as Office.js has them (NamedItem)", () => {
  test("add returns the item (visible settable), getItemOrNullObject loads value and isNullObject; a missing name, a null object, a duplicate and formula below 1.7 fail", async () => {
    const excel = new FakeExcel();
    await excel.run(async (ctx) => {
      ctx.workbook.names.add("_Head", '="a ""b"" 1"').visible = false;
      const head = ctx.workbook.names.getItemOrNullObject("_head").load("value,visible,type");
      const none = ctx.workbook.names.getItemOrNullObject("nothing").load("value");
      await ctx.sync();
      expect([head.isNullObject, head.value, head.visible]).toEqual([false, 'a "b" 1', false]);
      expect(none.isNullObject).toBe(true);
      expect(excel.state.hiddenNames.has("_head")).toBe(true);
    });
    const fails = (batch: (ctx: Parameters<Parameters<FakeExcel["run"]>[0]>[0]) => void) =>
      excel.run(async (ctx) => {
        batch(ctx);
        await ctx.sync();
      });
    await expect(fails((ctx) => ctx.workbook.names.getItem("nothing").delete())).rejects.toMatchObject({ code: "ItemNotFound" });
    await expect(fails((ctx) => ctx.workbook.names.getItemOrNullObject("nothing").delete())).rejects.toMatchObject({
      code: "InvalidOperation",
    });
    await expect(fails((ctx) => void ctx.workbook.names.add("_HEAD", "=1"))).rejects.toMatchObject({ code: "ItemAlreadyExists" });
    await fails((ctx) => ctx.workbook.names.getItem("_Head").delete());
    expect([excel.state.names.size, excel.state.hiddenNames.size]).toEqual([0, 0]);
    const old = new FakeExcel();
    old.apiVersion = "1.6";
    await expect(old.run(async (ctx) => void ctx.workbook.names.getItemOrNullObject("x").load("formula"))).rejects.toMatchObject({
      code: "ApiNotFound",
    });
  });
});

describe("payload limit of Excel on the web (5 MB per request and per response)", () => {
  const big = (rows: number) => Array.from({ length: rows }, (_, i) => [`row ${i} `.padEnd(60, "x"), i]);

  test("a request over 5 MB is refused before anything runs; a response over 5 MB fails the sync", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem("Data").getRange("D1").values = [["first"]];
        ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(10, 0, 90_000, 2).values = big(90_000);
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
    expect(excel.state.sheet("Data")!.get(0, 3)).toBeUndefined();
    // Two writes under the limit each, then one read of both.
    for (const at of [10, 50_010])
      await excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(at, 0, 50_000, 2).values = big(50_000);
        await ctx.sync();
      });
    expect(excel.counter.largest!.request).toBeGreaterThan(3_000_000);
    expect(excel.counter.largest!.request).toBeLessThan(5 * 1024 * 1024);
    await expect(
      excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(10, 0, 100_000, 2).load("values");
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
    excel.payloadLimit = undefined; // desktop Excel
    await excel.run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(10, 0, 100_000, 2).load("values");
      await ctx.sync();
      expect(r.values.length).toBe(100_000);
    });
  });
});

describe('the per-person option "Fill formulas in tables to create calculated columns"', () => {
  test("off: a column of formulas is not calculated and rows written below get no formula", async () => {
    for (const on of [true, false]) {
      const excel = new FakeExcel();
      excel.state.fillFormulas = on;
      await sheetWithTable(excel);
      await excel.run(async (ctx) => {
        ctx.workbook.tables.getItem("T").columns.add(null as any, [["Twice"], ["=[@Value]*2"], ["=[@Value]*2"]]);
        await ctx.sync();
        ctx.workbook.worksheets.getItem("Data").getRange("A4:B4").values = [["c", 3]];
        await ctx.sync();
      });
      expect(excel.state.sheet("Data")!.get(3, 2)?.formula).toBe(on ? "=[@Value]*2" : undefined);
    }
  });
});

describe("undo (add-in writes are undoable since ExcelApi 1.20)", () => {
  test("takes back the last batch's cells, rows and table size, not its custom XML parts", async () => {
    const excel = new FakeExcel();
    await sheetWithTable(excel);
    excel.undoable = true;
    const seen: string[] = [];
    excel.state.listeners.add((e) => seen.push(`${e.worksheetName} ${e.source}`));
    await excel.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A4:B4").values = [["c", 3]];
      ctx.workbook.customXmlParts.add('<a xmlns="urn:x"><n>1</n></a>');
      await ctx.sync();
      ctx.workbook.tables.getItem("T").getRange().load("address"); // a read only: nothing to undo
      await ctx.sync();
    });
    expect(excel.state.table("T")!.bottom).toBe(3);
    seen.length = 0;
    excel.undo();
    expect(excel.state.table("T")!.bottom).toBe(2);
    expect(excel.state.sheet("Data")!.get(3, 0)).toBeUndefined();
    expect(excel.state.customXml.map((p) => p.xml)).toEqual(['<a xmlns="urn:x"><n>1</n></a>']);
    expect(seen).toEqual(["Data Local"]);
    expect(() => excel.undo()).toThrow(/nothing to undo/);
  });
});

describe("payloadBytes (the adapter's jsonBytes): the UTF-8 length of the JSON Office.js sends, counted without building it", () => {
  const reference = (v: unknown) => new TextEncoder().encode(JSON.stringify(v) ?? "").length;
  // Strings with what JSON escapes (quotes, backslashes, control characters), Chinese, emoji (surrogate pairs) and lone surrogates.
  const text = fc
    .array(
      fc.oneof(
        fc.constantFrom('"', "\\", "\n", "\u0001", "\u001f", "\u007f", "é", "项", "😀", "\ud800", "\udfff"),
        fc.string({ unit: "binary" }),
      ),
    )
    .map((parts) => parts.join(""));
  const cell = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));

  test("equals TextEncoder(JSON.stringify(v)) on grids, objects and odd values", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.array(cell)),
          fc.dictionary(text, cell),
          fc.anything({ withDate: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }),
          cell,
          fc.constant(() => 1),
        ),
        (v) => expect(payloadBytes(v)).toBe(reference(v)),
      ),
      { numRuns: 2000 },
    );
    for (const v of [[[Infinity, -0, NaN, 1e21, 5e-7]], { a: undefined, b: () => 1, c: [undefined, () => 1] }, new Date(0), [], {}, [[]]])
      expect(payloadBytes(v)).toBe(reference(v));
  });

  test("a grid of cells is counted without JSON.stringify (a megabyte is not built to be measured)", () => {
    const grid = Array.from({ length: 100 }, (_, i) => [`项目 ${i}`, i, true, null]);
    const stringify = jest.spyOn(JSON, "stringify");
    try {
      expect(payloadBytes(grid)).toBe(new TextEncoder().encode(JSON.stringify(grid)).length);
      expect(stringify).toHaveBeenCalledTimes(1); // the reference above, not payloadBytes
    } finally {
      stringify.mockRestore();
    }
  });

  test("the 5 MB limit is exact: a response of exactly 5 MB of Chinese text is delivered, one byte more fails", async () => {
    for (const extra of [0, 1]) {
      const excel = new FakeExcel();
      await sheetWithTable(excel);
      // 174 cells of 10,000 项 (3 bytes of UTF-8 each), the last cell filling up to the limit (+ extra).
      const grid = Array.from({ length: 175 }, () => ["项".repeat(10_000)]);
      grid[174] = [""];
      const rest = WEB_PAYLOAD_LIMIT + extra - reference(grid);
      grid[174] = ["项".repeat(Math.floor(rest / 3)) + "x".repeat(rest % 3)];
      excel.payloadLimit = undefined;
      await excel.run(async (ctx) => {
        ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(0, 5, 175, 1).values = grid;
        await ctx.sync();
      });
      excel.payloadLimit = WEB_PAYLOAD_LIMIT;
      const read = excel.run(async (ctx) => {
        const r = ctx.workbook.worksheets.getItem("Data").getRangeByIndexes(0, 5, 175, 1).load("values");
        await ctx.sync();
        return r.values;
      });
      if (extra) await expect(read).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
      else await expect(read).resolves.toEqual(grid);
      expect(excel.counter.largest?.response).toBe(WEB_PAYLOAD_LIMIT + extra);
    }
  });
});

test("a workbook posted from a worker (image, structured clone, takeImage) reads back as the one written", async () => {
  // The workbench writes its big Register in a worker and posts the workbook's contents (src/workbench/setup-worker.ts).
  const { OfficeWorkbook } = await import("../../src/workbook/office");
  const { demoChanges } = await import("../../src/workbook/demo");
  const { bigRegister } = await import("../../src/workbench/big");
  type Run = ConstructorParameters<typeof OfficeWorkbook>[0];
  const adapter = (x: FakeExcel) => new OfficeWorkbook(x.run.bind(x) as unknown as Run, (n, v) => x.isSetSupported(n, v));
  const written = new FakeExcel();
  const office = adapter(written);
  await office.read();
  await office.write(demoChanges("zh"));
  await office.read();
  await office.write(bigRegister(30));
  const taken = new FakeExcel();
  taken.state.takeImage(structuredClone(written.state.image()));
  const takenOffice = adapter(taken);
  const [a, b] = [await adapter(written).read(), await takenOffice.read()];
  expect(b).toEqual(a);
  expect(b.tables.get("Register")?.rows.length).toBeGreaterThan(30);
  // Names, calculated columns and conditional formats came across, and a write through it still works.
  expect([...taken.state.names.keys()].sort()).toEqual([...written.state.names.keys()].sort());
  expect(taken.state.tables.map((t) => [t.name, t.sheet.name, t.calculated && [...t.calculated]])).toEqual(
    written.state.tables.map((t) => [t.name, t.sheet.name, t.calculated && [...t.calculated]]),
  );
  expect(taken.state.sheets.map((s) => s.conditionalFormats.length)).toEqual(written.state.sheets.map((s) => s.conditionalFormats.length));
  await takenOffice.write(bigRegister(2));
  expect((await takenOffice.read()).tables.get("Register")?.rows.length).toBe((b.tables.get("Register")?.rows.length ?? 0) + 2);
});

test('null in a 2-D array leaves that cell as it is, for values, formulas and numberFormat; null for the whole property is refused; "" clears', async () => {
  // https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-blank-null-values
  const excel = new FakeExcel();
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.add("S");
    const r = ws.getRange("A1:C1");
    r.values = [["a", 2, "c"]];
    r.numberFormat = [["@", "0.00", "General"]];
    await ctx.sync();
    r.values = [[null, 5, null]] as unknown as (string | number)[][];
    r.numberFormat = [[null, null, "0%"]] as unknown as string[][];
    ws.getRange("A2:B2").formulas = [["=1+1", null]] as unknown as string[][];
    await ctx.sync();
    r.load("values,numberFormat");
    await ctx.sync();
    expect(r.values).toEqual([["a", 5, "c"]]);
    expect(r.numberFormat).toEqual([["@", "0.00", "0%"]]);
    ws.getRange("A1").values = [[""]];
    ws.getRange("B1").numberFormat = [[""]];
    const after = ws.getRange("A1:B1").load("values,numberFormat");
    await ctx.sync();
    expect(after.values).toEqual([["", 5]]);
    // The cleared cell is empty, as one never written (not a cell holding "").
    expect(excel.state.sheet("S")?.get(0, 0)?.value).toBeNull();
    expect(after.numberFormat).toEqual([["@", "General"]]);
  });
  for (const set of [(r: { values: unknown }) => (r.values = null), (r: { numberFormat: unknown }) => (r.numberFormat = null)])
    await expect(
      excel.run(async (ctx) => {
        set(ctx.workbook.worksheets.getItem("S").getRange("A1"));
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
});
