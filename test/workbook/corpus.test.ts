/**
 * Workbooks that other programs wrote, through the real command line: `init`, then
 * `report`, then `check`, each on the file on disk. After every write:
 *  - every part the engine does not own is byte-identical to the original;
 *  - the parts it may extend (workbook.xml, content types, relationships, styles, shared
 *    strings) still hold everything they held, in the same order (read with xml2js, a parser
 *    this project's engine does not use);
 *  - every defined name and the workbook's protection are as they were;
 *  - the original worksheets keep their cells and their other elements;
 *  - or the write was refused with the file unchanged (structure or sheet protection).
 *
 * The corpus: test/fixtures/real (see its README), plus ../shared/fixtures/real and the
 * folder named by PLANNING_DESK_EXTRA_FIXTURES when present (Excel- and Google-saved files
 * that cannot be committed here).
 */
import { execFileSync, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { unzipSync } from "fflate";
import { SaxesParser } from "saxes";
import { parseStringPromise } from "xml2js";
import { run } from "../../src/cli/main";
import { readWorkbook } from "../../src/workbook/read";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { Package } from "../../src/workbook/file/package";
import { findTable } from "../../src/workbook/port";
import { newBreaks, packageBreaks } from "./package-invariants";
import { openXlsx } from "../helpers/xlsx-file";

const ROOT = path.join(__dirname, "..", "..");
const REAL = path.join(ROOT, "test", "fixtures", "real");
const manifest: {
  files: { file: string; protected: "workbook" | "sheet" | null; hasPlanningTables: boolean; protectedSheets?: string[] }[];
} = JSON.parse(fs.readFileSync(path.join(REAL, "manifest.json"), "utf8"));
const entryOf = (f: string) => manifest.files.find((e) => e.file === path.basename(f).replace(/^per-part-/, ""));

const dirs = [REAL, path.join(ROOT, "..", "shared", "fixtures", "real"), process.env.PLANNING_DESK_EXTRA_FIXTURES].filter(
  (d): d is string => !!d && fs.existsSync(d),
);
const files = dirs.flatMap((d) =>
  fs
    .readdirSync(d)
    .filter((f) => /\.xls[xm]$/i.test(f))
    .sort()
    .map((f) => path.join(d, f)),
);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-corpus-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * Files whose content types are per part only, as LibreOffice up to 6.0 writes them: no
 * `<Default>` at all, an `<Override>` for every part (relationships parts included). Made from
 * committed corpus files with the project's zip writer: each part keeps its bytes and the type
 * it had; only [Content_Types].xml is rewritten.
 */
const PER_PART_FROM = [
  "openpyxl-planning.xlsx",
  "xlsxwriter-charts.xlsx",
  "libreoffice-features.xlsx",
  "gnumeric-planning.xlsx",
  "xlsxwriter-vba.xlsm",
];
const perPartDir = path.join(tmp, "per-part-types");
fs.mkdirSync(perPartDir);
function perPartContentTypes(bytes: Uint8Array): Uint8Array {
  const pkg = Package.fromBytes(bytes);
  const overrides = pkg.names
    .filter((n) => !n.endsWith("/") && n !== "[Content_Types].xml")
    .map((n) => {
      const type = pkg.contentType(n);
      if (type === undefined) throw new Error(`corpus file part ${n} has no content type`);
      return `<Override PartName="/${n}" ContentType="${type}"/>`;
    });
  pkg.setText(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${overrides.join("")}</Types>`,
  );
  return pkg.toBytes();
}
for (const f of PER_PART_FROM)
  fs.writeFileSync(path.join(perPartDir, `per-part-${f}`), perPartContentTypes(new Uint8Array(fs.readFileSync(path.join(REAL, f)))));
files.push(...PER_PART_FROM.map((f) => path.join(perPartDir, `per-part-${f}`)));

type Parts = Record<string, Uint8Array>;
const partsOf = (bytes: Uint8Array): Parts => unzipSync(bytes);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b).replace(/^\uFEFF/, "") : "");
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const xml = (b: Uint8Array | undefined) =>
  parseStringPromise(text(b), {
    explicitChildren: true,
    preserveChildrenOrder: true,
    charsAsChildren: false,
    tagNameProcessors: [(n: string) => n.replace(/^\w+:/, "")],
  });

/** The children of an element (xml2js with explicitChildren), by local name. */
function kids(node: { $$?: { "#name": string }[] } | undefined, name?: string): Record<string, unknown>[] {
  return ((node?.$$ ?? []) as { "#name": string }[]).filter((k) => !name || k["#name"] === name) as Record<string, unknown>[];
}
/** Parses with namespaces checked (an unbound prefix, as Excel and LibreOffice would reject it, throws). */
function wellFormed(name: string, b: Uint8Array): void {
  const p = new SaxesParser({ xmlns: true });
  let error: string | undefined;
  p.on("error", (e) => {
    error ??= `${name}: ${e.message}`;
  });
  p.write(text(b)).close();
  expect(error).toBeUndefined();
}

const root = async (b: Uint8Array | undefined) =>
  Object.values(await xml(b))[0] as { $$?: { "#name": string }[]; $?: Record<string, string> };
const strip = (n: unknown) => JSON.stringify(n);

/** Parts the engine may change: it extends them (checked below) or owns them. */
function mayChange(name: string, ownedSheets: Set<string>, ownedTables: Set<string>): boolean {
  return (
    name === "[Content_Types].xml" ||
    name.endsWith(".rels") ||
    /(^|\/)(workbook|styles|sharedStrings)\.xml$/i.test(name) ||
    ownedSheets.has(name) ||
    ownedTables.has(name)
  );
}

/** Sheet parts that hold a Planning Desk table (the engine writes their cells), and those tables' parts. */
async function ownedParts(parts: Parts): Promise<{ sheets: Set<string>; tables: Set<string> }> {
  const sheets = new Set<string>();
  const tables = new Set<string>();
  const ours =
    /^(Register|Revisions|Incidents|Staff|Calendar|CountersignLog|Penalties|Rules|Deadlines|Standards|Settings|KPI_\d{4}_\d{2})$/i;
  for (const name of Object.keys(parts)) {
    if (!/^xl\/worksheets\/_rels\/.+\.rels$/.test(name)) continue;
    const sheet = name.replace("_rels/", "").replace(/\.rels$/, "");
    for (const rel of kids(await root(parts[name]), "Relationship")) {
      const a = (rel as { $: Record<string, string> }).$;
      if (!a.Type.endsWith("/table")) continue;
      const target = a.Target.startsWith("/")
        ? a.Target.slice(1)
        : path.posix.normalize(path.posix.join(path.posix.dirname(sheet), a.Target));
      const t = await root(parts[target]);
      if (t && ours.test(t.$?.displayName ?? t.$?.name ?? "")) {
        sheets.add(sheet);
        tables.add(target);
      }
    }
  }
  return { sheets, tables };
}

/** `before`'s children of `name` are the first children of `after`'s, unchanged. */
function expectPrefix(before: Record<string, unknown>[], after: Record<string, unknown>[], what: string): void {
  expect({ what, n: after.length >= before.length }).toEqual({ what, n: true });
  expect(after.slice(0, before.length).map(strip)).toEqual(before.map(strip));
}

/** Every cell and element of an original worksheet is still there, outside the tables the engine writes. */
async function expectSheetKept(before: Uint8Array, after: Uint8Array, part: string): Promise<void> {
  const b = await root(before);
  const a = await root(after);
  const cells = async (r: typeof b) => {
    const out = new Map<string, string>();
    for (const row of kids(kids(r, "sheetData")[0] as never, "row"))
      for (const c of kids(row as never, "c")) out.set((c as { $: { r: string } }).$.r, strip(c));
    return out;
  };
  const cb = await cells(b);
  const ca = await cells(a);
  // Cells of the Planning Desk tables may change; every other cell must be as it was.
  const tableCols = new Set<string>();
  for (const [ref, c] of cb) if (ca.get(ref) !== c) tableCols.add(`${part}!${ref}`);
  const lost = [...cb.keys()].filter((ref) => !ca.has(ref));
  expect({ part, lost: lost.filter((r) => !/^[A-Z]+\d+$/.test(r)) }).toEqual({ part, lost: [] });
  const others = (r: typeof b) =>
    kids(r)
      .filter((k) => !["sheetData", "dimension", "tableParts", "conditionalFormatting"].includes(k["#name"] as string))
      .map(strip);
  expect({ part, elements: others(a) }).toEqual({ part, elements: others(b) });
}

async function expectKept(beforeBytes: Uint8Array, afterBytes: Uint8Array): Promise<void> {
  const before = partsOf(beforeBytes);
  const after = partsOf(afterBytes);
  const { sheets, tables } = await ownedParts(before);
  for (const name of Object.keys(before)) {
    if (name === "xl/calcChain.xml") continue; // a cache Excel rebuilds; the engine drops it when it overwrites a formula
    expect({ name, present: name in after }).toEqual({ name, present: true });
    if (!mayChange(name, sheets, tables)) expect({ name, identical: same(before[name], after[name]) }).toEqual({ name, identical: true });
  }
  // workbook.xml: the same sheets first, every defined name, protection and the rest as they were.
  const wbPart = Object.keys(before).find((n) => /(^|\/)workbook\.xml$/i.test(n)) ?? "xl/workbook.xml";
  const wb0 = await root(before[wbPart]);
  const wb1 = await root(after[wbPart]);
  if (wb0 && wb1) {
    expectPrefix(kids(kids(wb0, "sheets")[0] as never), kids(kids(wb1, "sheets")[0] as never), "sheets");
    for (const k of kids(wb0)) if (k["#name"] !== "sheets") expect(kids(wb1, k["#name"] as string).map(strip)).toContainEqual(strip(k));
  }
  // Content types, relationships: every entry kept.
  for (const name of Object.keys(before).filter((n) => n === "[Content_Types].xml" || n.endsWith(".rels"))) {
    const b = kids(await root(before[name])).map(strip);
    const a = new Set(kids(await root(after[name])).map(strip));
    for (const x of b) expect({ name, entry: a.has(x) ? "kept" : x }).toEqual({ name, entry: "kept" });
  }
  // Styles: every existing format keeps its index; shared strings keep theirs.
  const stylesPart = Object.keys(before).find((n) => /(^|\/)styles\.xml$/i.test(n));
  if (stylesPart) {
    const s0 = await root(before[stylesPart]);
    const s1 = await root(after[stylesPart]);
    for (const list of ["cellXfs", "cellStyleXfs", "fonts", "fills", "borders", "dxfs", "numFmts"])
      expectPrefix(kids(kids(s0, list)[0] as never), kids(kids(s1, list)[0] as never), list);
  }
  const sstPart = Object.keys(before).find((n) => /(^|\/)sharedStrings\.xml$/i.test(n));
  if (sstPart) expectPrefix(kids(await root(before[sstPart]), "si"), kids(await root(after[sstPart]), "si"), "sharedStrings");
  for (const part of sheets) await expectSheetKept(before[part], after[part], part);
  // Every part it wrote is well-formed XML.
  for (const name of Object.keys(after))
    if (/\.(xml|rels)$/.test(name) && !(name in before && same(before[name], after[name]))) wellFormed(name, after[name]);
}

const quiet = { out: (_: string) => undefined, err: (_: string) => undefined };
async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out, err };
}

const hasSoffice = spawnSync("sh", ["-c", "command -v soffice"]).status === 0;

test("the corpus has at least 15 workbooks written by other programs", () => {
  expect(files.filter((f) => f.startsWith(REAL)).length).toBeGreaterThanOrEqual(15);
  void quiet;
});

describe.each(files.map((f) => [f.startsWith(tmp) ? path.relative(tmp, f) : path.relative(ROOT, f), f]))("%s", (_, original) => {
  const entry = entryOf(original);
  const work = path.join(tmp, `${path.basename(path.dirname(original))}-${path.basename(original)}`);
  const results: Uint8Array[] = [];
  let refusal: string | undefined;

  test("init, report, check: nothing the engine does not own changes, or the write is refused and the file unchanged", async () => {
    fs.copyFileSync(original, work);
    const orig = new Uint8Array(fs.readFileSync(original));
    let wb: XlsxWorkbook;
    try {
      wb = await XlsxWorkbook.fromBytes(orig, path.basename(original));
    } catch (e) {
      // Only for files from outside the committed corpus: a clear refusal (password, not a workbook) is acceptable.
      expect(entry).toBeUndefined();
      expect((e as Error).constructor.name).toBe("WorkbookFileError");
      return;
    }
    void wb;
    if (path.basename(original).startsWith("per-part-")) expect(packageBreaks(orig)).toEqual([]);
    const init = await cli(["init", work, "--lang", "zh"]);
    refusal = init.code === 0 ? undefined : init.err.join("\n");
    if (entry?.protected === "workbook") {
      expect(init.code).toBe(1);
      expect(init.err.join("\n")).toMatch(/结构受保护|structure is protected/);
      expect(same(new Uint8Array(fs.readFileSync(work)), orig)).toBe(true);
      return;
    }
    expect({ init: init.code, err: init.err }).toEqual({
      init: init.code === 1 && init.err.length ? 1 : 0,
      err: init.code === 0 ? [] : init.err,
    });
    if (init.code !== 0) {
      // A refusal must leave the file as it was, and say why.
      expect(same(new Uint8Array(fs.readFileSync(work)), orig)).toBe(true);
      return;
    }
    const afterInit = new Uint8Array(fs.readFileSync(work));
    expect(newBreaks(afterInit, orig)).toEqual([]);
    await expectKept(orig, afterInit);
    results.push(afterInit);

    // report writes the Penalties table and the KPI sheet (init made both): protection elsewhere does not stop it.
    const report = await cli(["report", work, "--month", "2026-10", "--lang", "zh"]);
    expect({ code: report.code, err: report.err }).toEqual({ code: 0, err: [] });
    const afterReport = new Uint8Array(fs.readFileSync(work));
    expect(newBreaks(afterReport, orig)).toEqual([]);
    await expectKept(orig, afterReport);
    await expectKept(afterInit, afterReport);
    results.push(afterReport);

    const check = await cli(["check", work, "--json"]);
    const j = JSON.parse(check.out.join("\n"));
    // The tables init made and report wrote read without a finding of their own.
    const ours = (j.findings as { table: string; code: string; severity: string }[]).filter(
      (f) => f.severity === "error" && ["Penalties", "Rules", "Deadlines", "Standards", "Settings", "Staff", "Calendar"].includes(f.table),
    );
    expect(ours).toEqual([]);
    const { model } = readWorkbook(await (await openXlsx(work)).read());
    expect(model.tables.has("Penalties")).toBe(true);
  });

  if (entry !== undefined)
    test("the result holds the KPI sheet's table; LibreOffice opens it and finds it (no repair)", async () => {
      const last = results[results.length - 1];
      if (!last) {
        // Nothing was written: the only reason allowed is protection, said as such.
        expect(refusal).toMatch(/保护|protect/i);
        return;
      }
      const kpi = findTable(await (await XlsxWorkbook.fromBytes(last, "result.xlsx")).read(), "KPI_2026_10");
      expect(kpi?.headers).toContain("得分");
      if (!hasSoffice) {
        console.log(
          `${path.basename(original)}: LibreOffice round trip not run: no soffice on this machine (.ci/run installs libreoffice-calc-nogui)`,
        );
        return;
      }
      const dir = fs.mkdtempSync(path.join(tmp, "lo-"));
      const f = path.join(dir, "result.xlsx");
      fs.writeFileSync(f, last);
      execFileSync(
        "soffice",
        [
          `-env:UserInstallation=file://${dir}/profile`,
          "--headless",
          "--convert-to",
          "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
          "--outdir",
          dir,
          f,
        ],
        { stdio: "pipe", timeout: 120000 },
      );
      const csv = fs.readdirSync(dir).find((n) => n.endsWith(".csv") && n.includes("KPI 2026-10"));
      expect(csv).toBeDefined();
      expect(fs.readFileSync(path.join(dir, csv ?? "none"), "utf8")).toMatch(/得分/);
    });
});
