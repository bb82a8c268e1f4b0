/**
 * "Check this Excel": every Office.js path the add-in relies on, tried on a scratch sheet of
 * the user's own Excel, so the first person with Excel can verify the add-in in one click and
 * send the result. The same code runs against the in-memory Excel in the tests.
 *
 * Each step makes the calls the adapter (office.ts) and the pane make, the way they make them:
 * a table created with `tables.add`, rows written below it as one range (the table grows over
 * them; `resize` where ExcelApi 1.13), text that starts with `=` written with Excel's text
 * prefix and read back as text, a LAMBDA workbook name (the short names), a data bar, a chart
 * from a numeric column with category names, the worksheets' change event, and the custom XML
 * part that anchors the Countersign Log. Everything it creates is removed at the end, whatever
 * failed. A step needing a requirement set Excel does not have is reported as such, not run.
 *
 * And the paths of Excel's documented limits (issue 18), so the first person with Excel verifies
 * what the in-memory Excel was taught from Microsoft's pages: a custom highlight added, read back
 * from the range it was written on and from the table's range (office-js#5194: relative rules
 * read relative to the range read from), deleted by its id from the collection it was read from
 * (ids are priorities); `columns.add` with formulas and whether Excel fills them into a new row
 * (the person's "Fill formulas in tables" option, office-js#2093); a table row deleted; a
 * recalculation of this workbook only (Range.calculate); a custom XML part deleted by id; the
 * change event with its `source` (Remote needs a co-author: reported as seen); and the table
 * read in slices as the adapter reads big tables under Excel on the web's 5 MB limit. The
 * self-test's own writes go through the same text escaping as data (asCellValue).
 */
import { asCellValue, ExcelRun } from "./office";

export type StepStatus = "pass" | "fail" | "unsupported";

export interface SelfTestStep {
  id: string;
  zh: string;
  en: string;
  /** The requirement set it needs. */
  needs: string;
  status: StepStatus;
  /** What went wrong (Excel's own message), or what was seen. */
  detail?: string;
  ms: number;
}

export interface SelfTestReport {
  host: { version: string; platform: string };
  /** ExcelApi versions Excel says it supports. */
  apiVersions: string[];
  steps: SelfTestStep[];
  passed: number;
  failed: number;
}

const NS = "http://schemas.planning-desk.app/self-test/1";
const API_VERSIONS = [
  "1.1",
  "1.2",
  "1.3",
  "1.4",
  "1.5",
  "1.6",
  "1.7",
  "1.8",
  "1.9",
  "1.10",
  "1.11",
  "1.12",
  "1.13",
  "1.14",
  "1.15",
  "1.16",
  "1.17",
];

const errorText = (e: unknown): string => {
  const x = e as { code?: string; message?: string };
  return [x.code, x.message].filter(Boolean).join(": ") || String(e);
};

/**
 * Runs every step; never throws. `isSetSupported` is Office.context.requirements.isSetSupported
 * (or the in-memory Excel's); `host` is Office.context.diagnostics' version and platform.
 */
export async function runSelfTest(
  run: ExcelRun,
  isSetSupported: (name: string, version: string) => boolean,
  host: { version: string; platform: string },
  waitMs = 3000,
): Promise<SelfTestReport> {
  const stamp = Date.now().toString(36).toUpperCase();
  const sheet = `PD_SelfTest_${stamp}`;
  const table = `PDSelfTest${stamp}`;
  const name = `PDSELFTEST${stamp}`;
  const steps: SelfTestStep[] = [];
  const has = (v: string) => isSetSupported("ExcelApi", v);

  async function step(id: string, zh: string, en: string, needs: string, body: () => Promise<string | void>): Promise<boolean> {
    const t0 = Date.now();
    if (!has(needs)) {
      steps.push({ id, zh, en, needs, status: "unsupported", detail: `ExcelApi ${needs}`, ms: 0 });
      return false;
    }
    try {
      const detail = await body();
      steps.push({ id, zh, en, needs, status: "pass", ...(detail ? { detail } : {}), ms: Date.now() - t0 });
      return true;
    } catch (e) {
      steps.push({ id, zh, en, needs, status: "fail", detail: errorText(e), ms: Date.now() - t0 });
      return false;
    }
  }
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new Error(what);
  };

  const made = await step("table", "新建工作表和表格并读回", "Create a sheet and a table, read it back", "1.1", async () =>
    run(async (context) => {
      const ws = context.workbook.worksheets.add(sheet);
      ws.getRange("A1:C1").values = [["卡号", "项目名称", "得分"].map((h) => asCellValue(h) as string)];
      ws.getRange("A2:C3").values = [
        ["SELF-1", "甲", 90],
        ["SELF-2", "乙", 75],
      ].map((row) => row.map((v) => asCellValue(v) as string | number));
      const t = ws.tables.add(`'${sheet}'!A1:C3`, true);
      t.name = table;
      await context.sync();
      const header = t.getHeaderRowRange().load("values");
      const body = t.getDataBodyRange().load("values");
      await context.sync();
      expect(
        JSON.stringify(header.values) === JSON.stringify([["卡号", "项目名称", "得分"]]),
        `header read back as ${JSON.stringify(header.values)}`,
      );
      expect(body.values.length === 2 && body.values[1][2] === 75, `body read back as ${JSON.stringify(body.values)}`);
    }),
  );

  if (made) {
    await step("append", "在表格下方写入一行，表格随之扩展", "Write a row below the table; the table grows over it", "1.7", async () =>
      run(async (context) => {
        const ws = context.workbook.worksheets.getItem(sheet);
        const t = context.workbook.tables.getItem(table);
        const below = ws.getRangeByIndexes(3, 0, 1, 3);
        below.numberFormat = [["@", "@", "General"]];
        below.values = [["SELF-3", "丙", 60].map((v) => asCellValue(v) as string | number)];
        if (has("1.13")) t.resize(`'${sheet}'!A1:C4`);
        const size = t.getRange().load("rowCount");
        await context.sync();
        expect(size.rowCount === 4, `the table has ${size.rowCount} rows, expected 4`);
        return has("1.13") ? "resize (1.13)" : "the table grew by itself";
      }),
    );

    await step("text", "以 = + - @ 开头的文字仍是文字", "Text starting with = + - @ stays text", "1.1", async () =>
      run(async (context) => {
        const ws = context.workbook.worksheets.getItem(sheet);
        const texts = ['=HYPERLINK("http://x","y")', "+86 138", "-2", "@SUM(A1)"];
        const r = ws.getRange("E1:E4");
        r.values = texts.map((t) => [asCellValue(t) as string]);
        const back = r.load("values,formulas");
        await context.sync();
        back.values.forEach((row, i) => expect(row[0] === texts[i], `${texts[i]} came back as ${JSON.stringify(row[0])}`));
      }),
    );

    await step("prefix", "撇号前缀：'0012 保留为文字 0012", "Apostrophe prefix: '0012 stays the text 0012", "1.1", async () =>
      run(async (context) => {
        const r = context.workbook.worksheets.getItem(sheet).getRange("F1");
        r.values = [["'0012"]]; // the text prefix itself, as asCellValue writes it
        const back = r.load("values");
        await context.sync();
        expect(back.values[0][0] === "0012", `came back as ${JSON.stringify(back.values[0][0])}`);
      }),
    );

    await step("databar", "数据条", "Data bar", "1.6", async () =>
      run(async (context) => {
        // Excel refuses the batch if it cannot add it; nothing more to read back.
        context.workbook.worksheets.getItem(sheet).getRange("C2:C4").conditionalFormats.add("DataBar");
        await context.sync();
      }),
    );

    await step("chart", "图表（数值列为系列，姓名为分类）", "Chart (a numeric series, names as categories)", "1.7", async () =>
      run(async (context) => {
        const ws = context.workbook.worksheets.getItem(sheet);
        const chart = ws.charts.add("BarClustered", ws.getRange("C1:C4"), "Columns");
        chart.axes.categoryAxis.setCategoryNames(ws.getRange("B2:B4"));
        // The series made from the numeric column must exist (setValues on a missing one fails).
        chart.series.getItemAt(0).setValues(ws.getRange("C2:C4"));
        await context.sync();
      }),
    );

    await step(
      "highlight",
      "高亮：添加、按写入的区域读回、按优先级删除",
      "Highlight: added, read back from its own range, deleted by priority",
      "1.6",
      async () =>
        run(async (context) => {
          const ws = context.workbook.worksheets.getItem(sheet);
          const own = ws.getRange("C2:C4");
          const rule = "=AND(ISNUMBER($C2),$C2>0)";
          const cf = own.conditionalFormats.add("Custom" as Excel.ConditionalFormatType.custom);
          cf.custom.rule.formula = rule;
          cf.custom.format.fill.color = "#FFC7CE";
          cf.custom.format.font.color = "#9C0006";
          await context.sync();
          const mine = own.conditionalFormats.load("items/id,items/type,items/customOrNullObject/rule/formula");
          const fromTable = context.workbook.tables
            .getItem(table)
            .getRange()
            .conditionalFormats.load("items/id,items/customOrNullObject/rule/formula");
          await context.sync();
          const at = mine.items.findIndex((c) => c.type === "Custom" && c.customOrNullObject.rule.formula === rule);
          expect(at >= 0, `read back from C2:C4 as ${JSON.stringify(mine.items.map((c) => c.customOrNullObject.rule.formula))}`);
          const id = mine.items[at].id;
          own.conditionalFormats.getItem(id).delete();
          const left = own.conditionalFormats.load("items/customOrNullObject/rule/formula");
          await context.sync();
          expect(!left.items.some((c) => c.customOrNullObject.rule.formula === rule), "still there after the delete");
          // A relative rule (as an earlier version wrote the red one): listed from the table's
          // range it reads relative to that range's top-left cell (office-js#5194), so the add-in
          // reads it again from the range it was written on (ConditionalFormat.getRange), as
          // Microsoft advises there; then it is deleted from that range's collection.
          const relative = "=C2>100";
          const rel = own.conditionalFormats.add("Custom" as Excel.ConditionalFormatType.custom);
          rel.custom.rule.formula = relative;
          rel.custom.format.fill.color = "#FFEB9C";
          await context.sync();
          const listed = context.workbook.tables
            .getItem(table)
            .getRange()
            .conditionalFormats.load(
              "items/id,items/type,items/customOrNullObject/rule/formula,items/customOrNullObject/format/fill/color",
            );
          await context.sync();
          const item = listed.items.find(
            (c) => c.type === "Custom" && String(c.customOrNullObject.format.fill.color).toUpperCase() === "#FFEB9C",
          );
          expect(!!item, "the relative rule is not listed from the table's range");
          const seenAs = item ? item.customOrNullObject.rule.formula : "";
          const place = context.workbook.tables
            .getItem(table)
            .getRange()
            .conditionalFormats.getItem(item ? item.id : "")
            .getRange()
            .load("address");
          const there = place.conditionalFormats.load("items/id,items/type,items/customOrNullObject/rule/formula");
          await context.sync();
          const written = there.items.find((c) => c.type === "Custom" && c.customOrNullObject.rule.formula === relative);
          expect(
            !!written,
            `read again from ${place.address}: ${JSON.stringify(there.items.map((c) => c.customOrNullObject.rule.formula))}`,
          );
          if (written) place.conditionalFormats.getItem(written.id).delete();
          const gone = own.conditionalFormats.load("items/customOrNullObject/rule/formula");
          await context.sync();
          expect(
            !gone.items.some((c) => c.customOrNullObject.rule.formula === relative),
            "the relative rule is still there after the delete",
          );
          const address = place.address.replace(/^.*!/, "").replace(/\$/g, "");
          return `id ${id}; from the table's range: ${fromTable.items.map((c) => `${c.id} ${c.customOrNullObject.rule.formula}`).join(", ")}; relative rule ${relative} on ${address}, read from the table's range as ${seenAs}`;
        }),
    );

    await step(
      "columns",
      "columns.add 带公式；新行是否自动填充（“表中填充公式”选项）",
      "columns.add with formulas; does Excel fill a new row ('Fill formulas in tables')",
      "1.4",
      async () =>
        run(async (context) => {
          const ws = context.workbook.worksheets.getItem(sheet);
          const t = context.workbook.tables.getItem(table);
          const size = t.getRange().load("rowCount");
          await context.sync();
          const body = size.rowCount - 1;
          t.columns.add(null as unknown as number, [["两倍"], ...Array.from({ length: body }, () => ["=[@得分]*2"])]);
          t.columns.getItem("两倍").getDataBodyRange().numberFormat = Array.from({ length: body }, () => ["0.00"]);
          await context.sync();
          const below = ws.getRangeByIndexes(size.rowCount, 0, 1, 3);
          below.values = [["SELF-9", "己", 5].map((v) => asCellValue(v) as string | number)];
          const cell = ws.getRangeByIndexes(size.rowCount, 3, 1, 1);
          const filled = cell.load("formulas,numberFormat");
          const col = t.columns.getItem("两倍").getDataBodyRange().load("formulas");
          await context.sync();
          expect(
            col.formulas.slice(0, body).every((r) => String(r[0]).includes("得分")),
            `the column reads ${JSON.stringify(col.formulas)}`,
          );
          if (String(filled.formulas[0][0]).startsWith("="))
            return `the new row got the formula and the number format ${String(filled.numberFormat[0][0])} (the option is on)`;
          // The option is off: the add-in writes the formula itself, with the column's number format (office.ts, write-plan.ts).
          cell.numberFormat = [["0.00"]];
          cell.formulas = [["=[@得分]*2"]];
          const back = cell.load("formulas,numberFormat");
          await context.sync();
          expect(
            String(back.formulas[0][0]).includes("得分") && back.numberFormat[0][0] === "0.00",
            `the add-in's own fill reads back as ${JSON.stringify([back.formulas, back.numberFormat])}`,
          );
          return "the new row got no formula (the option is off): the add-in wrote the formula with the column's number format 0.00";
        }),
    );

    await step("rowdelete", "删除表格中的一行", "A table row deleted", "1.1", async () =>
      run(async (context) => {
        const t = context.workbook.tables.getItem(table);
        const before = t.getRange().load("rowCount");
        await context.sync();
        t.rows.getItemAt(before.rowCount - 2).delete();
        const after = t.getRange().load("rowCount");
        await context.sync();
        expect(after.rowCount === before.rowCount - 1, `${before.rowCount} rows, then ${after.rowCount}`);
      }),
    );

    await step("recalc", "只重算本工作簿（Range.calculate）", "Recalculate this workbook only (Range.calculate)", "1.6", async () =>
      run(async (context) => {
        context.workbook.worksheets.getItem(sheet).getUsedRange().calculate();
        await context.sync();
      }),
    );

    await step(
      "slices",
      "分段读取表格（网页版 Excel 每次请求不超过 5 MB）",
      "Read the table in slices (Excel on the web: 5 MB per request)",
      "1.1",
      async () =>
        run(async (context) => {
          const t = context.workbook.tables.getItem(table);
          const whole = t.getRange().load("values,rowCount");
          const head = t.getRange().getIntersection(t.getHeaderRowRange().getResizedRange(1, 0)).load("values");
          await context.sync();
          const rest = t
            .getHeaderRowRange()
            .getOffsetRange(2, 0)
            .getResizedRange(whole.rowCount - 3, 0)
            .load("values");
          await context.sync();
          expect(
            JSON.stringify([...head.values, ...rest.values]) === JSON.stringify(whole.values),
            "the slices differ from the whole read",
          );
          return `${whole.rowCount} rows in 2 slices`;
        }),
    );
  }

  await step("lambda", "LAMBDA 工作簿名称（简称）", "A LAMBDA workbook name (the short names)", "1.4", async () =>
    run(async (context) => {
      context.workbook.names.add(name, "=LAMBDA(x,x+1)", "Planning Desk self-test");
      await context.sync();
      const names = context.workbook.names.load("items/name,items/formula");
      await context.sync();
      const back = names.items.find((n) => n.name.toUpperCase() === name);
      expect(!!back, "the name was not kept");
      return back!.formula;
    }),
  );

  await step("xml", "自定义 XML 部件（会签记录的锚点）", "Custom XML part (the Countersign Log's anchor)", "1.5", async () =>
    run(async (context) => {
      const xml = `<selfTest xmlns="${NS}"><stamp>${stamp}</stamp></selfTest>`;
      context.workbook.customXmlParts.add(xml);
      await context.sync();
      const part = context.workbook.customXmlParts.getByNamespace(NS).getOnlyItem();
      const text = part.getXml();
      await context.sync();
      expect(text.value.includes(stamp), "read back something else");
    }),
  );

  await step("xmldelete", "按 id 删除自定义 XML 部件", "A custom XML part deleted by id", "1.5", async () =>
    run(async (context) => {
      const added = context.workbook.customXmlParts
        .add(`<selfTestDelete xmlns="${NS}-delete"><stamp>${stamp}</stamp></selfTestDelete>`)
        .load("id");
      await context.sync();
      context.workbook.customXmlParts.getItem(added.id).delete();
      const count = context.workbook.customXmlParts.getByNamespace(`${NS}-delete`).getCount();
      await context.sync();
      expect(count.value === 0, `${count.value} parts left`);
    }),
  );

  if (made)
    await step(
      "event",
      "工作表更改事件（及其来源 Local/Remote）",
      "Worksheet change event (and its source, Local/Remote)",
      "1.9",
      async () => {
        let source = "";
        // Added, awaited and removed in one Excel.run: a handler is removed through the context
        // that added it ("Remove an event handler", https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-events#remove-an-event-handler).
        await run(async (context) => {
          const handler = context.workbook.worksheets.onChanged.add(async (e) => {
            if (String(e.address ?? "").length) source = String(e.source ?? "?");
          });
          await context.sync();
          try {
            context.workbook.worksheets.getItem(sheet).getRange("G1").values = [[asCellValue("change") as string]];
            await context.sync();
            for (let t = 0; !source && t < waitMs; t += 50) await new Promise((r) => setTimeout(r, 50));
          } finally {
            handler.remove();
            await context.sync();
          }
        });
        expect(!!source, `no change event within ${waitMs / 1000} s`);
        return `source ${source} (a co-author's change arrives as Remote)`;
      },
    );

  // Whatever happened above, the scratch things go (each removal on its own: one failure must not keep the others).
  await step("cleanup", "删除临时工作表、名称和 XML 部件", "Remove the scratch sheet, name and XML part", "1.1", async () => {
    const errors: string[] = [];
    const attempt = async (what: string, f: (context: Excel.RequestContext) => void) => {
      try {
        await run(async (context) => {
          f(context);
          await context.sync();
        });
      } catch (e) {
        // Nothing to remove (a step failed before making it) is not a failure of the clean-up.
        if ((e as { code?: string }).code !== "ItemNotFound") errors.push(`${what}: ${errorText(e)}`);
      }
    };
    await attempt("sheet", (c) => c.workbook.worksheets.getItem(sheet).delete());
    if (has("1.4")) await attempt("name", (c) => c.workbook.names.getItemOrNullObject(name).delete());
    if (has("1.5")) await attempt("xml", (c) => c.workbook.customXmlParts.getByNamespace(NS).getOnlyItemOrNullObject().delete());
    if (has("1.5"))
      await run(async (context) => {
        // What the delete-by-id step left, if it failed: listed, then deleted.
        const parts = context.workbook.customXmlParts.getByNamespace(`${NS}-delete`).load("items/id");
        await context.sync();
        for (const p of parts.items) p.delete();
        await context.sync();
      }).catch((e: unknown) => errors.push(`xml: ${errorText(e)}`));
    expect(!errors.length, errors.join("; "));
  });

  return {
    host,
    apiVersions: API_VERSIONS.filter(has),
    steps,
    passed: steps.filter((s) => s.status === "pass").length,
    failed: steps.filter((s) => s.status === "fail").length,
  };
}

/** The report as text to paste into a message. */
export function selfTestText(r: SelfTestReport, lang: "zh" | "en"): string {
  const mark = { pass: "✓", fail: "✗", unsupported: "–" } as const;
  const head =
    lang === "zh"
      ? `策划台 Excel 自检：Excel ${r.host.version}（${r.host.platform}），ExcelApi ${r.apiVersions[r.apiVersions.length - 1] ?? "?"}；通过 ${r.passed}，失败 ${r.failed}`
      : `Planning Desk Excel self-test: Excel ${r.host.version} (${r.host.platform}), ExcelApi ${r.apiVersions[r.apiVersions.length - 1] ?? "?"}; ${r.passed} passed, ${r.failed} failed`;
  const lines = r.steps.map((s) => `${mark[s.status]} ${s[lang]} [ExcelApi ${s.needs}]${s.detail ? ` — ${s.detail}` : ""}`);
  return [head, ...lines].join("\n");
}
