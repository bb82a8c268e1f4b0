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
const API_VERSIONS = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11", "1.12", "1.13", "1.14", "1.15", "1.16", "1.17"];

const errorText = (e: unknown): string => {
  const x = e as { code?: string; message?: string };
  return [x.code, x.message].filter(Boolean).join(": ") || String(e);
};

/**
 * Runs every step; never throws. `isSetSupported` is Office.context.requirements.isSetSupported
 * (or the in-memory Excel's); `host` is Office.context.diagnostics' version and platform.
 */
export async function runSelfTest(run: ExcelRun, isSetSupported: (name: string, version: string) => boolean, host: { version: string; platform: string }, waitMs = 3000): Promise<SelfTestReport> {
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
      ws.getRange("A1:C1").values = [["卡号", "项目名称", "得分"]];
      ws.getRange("A2:C3").values = [
        ["SELF-1", "甲", 90],
        ["SELF-2", "乙", 75],
      ];
      const t = ws.tables.add(`'${sheet}'!A1:C3`, true);
      t.name = table;
      await context.sync();
      const header = t.getHeaderRowRange().load("values");
      const body = t.getDataBodyRange().load("values");
      await context.sync();
      expect(JSON.stringify(header.values) === JSON.stringify([["卡号", "项目名称", "得分"]]), `header read back as ${JSON.stringify(header.values)}`);
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
        below.values = [["SELF-3", "丙", 60]];
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
        const texts = ["=HYPERLINK(\"http://x\",\"y\")", "+86 138", "-2", "@SUM(A1)"];
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
        r.values = [["'0012"]];
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

  if (made)
    await step("event", "工作表更改事件", "Worksheet change event", "1.9", async () => {
      let seen = false;
      let handler: OfficeExtension.EventHandlerResult<Excel.WorksheetChangedEventArgs> | undefined;
      await run(async (context) => {
        handler = context.workbook.worksheets.onChanged.add(async (e) => {
          if (String(e.address ?? "").length) seen = true;
        });
        await context.sync();
        context.workbook.worksheets.getItem(sheet).getRange("G1").values = [["change"]];
        await context.sync();
      });
      for (let t = 0; !seen && t < waitMs; t += 50) await new Promise((r) => setTimeout(r, 50));
      if (handler) await run(async (context) => (handler!.remove(), context.sync())).catch(() => undefined);
      expect(seen, `no change event within ${waitMs / 1000} s`);
    });

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
