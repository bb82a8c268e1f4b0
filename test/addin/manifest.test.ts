/**
 * The manifest, checked offline: well-formed, every resid resolves, every URL https, the
 * shared runtime and the PLAN namespace, and the ADDIN_URL rewrite. (Microsoft's online
 * `office-addin-manifest validate` is not part of the tests.)
 */
import fs from "fs";
import path from "path";
import { parseStringPromise } from "xml2js";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { addinUrl, rewriteManifest, DEV_URL } = require("../../scripts/manifest-urls");

const root = path.join(__dirname, "..", "..");
const xml = fs.readFileSync(path.join(root, "manifest.xml"), "utf8");

/* eslint-disable @typescript-eslint/no-explicit-any */
function walk(node: any, visit: (key: string, value: any) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      visit(k, v);
      walk(v, visit);
    }
  }
}

describe("manifest.xml", () => {
  let doc: any;
  beforeAll(async () => {
    doc = await parseStringPromise(xml);
  });

  test("is a well-formed task-pane add-in for Excel", () => {
    expect(doc.OfficeApp.$["xsi:type"]).toBe("TaskPaneApp");
    expect(doc.OfficeApp.Hosts[0].Host[0].$.Name).toBe("Workbook");
    expect(doc.OfficeApp.Id[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(doc.OfficeApp.Permissions[0]).toBe("ReadWriteDocument");
  });

  test("every resid resolves to a resource", () => {
    const ids = new Set<string>();
    const used: string[] = [];
    walk(doc, (key, value) => {
      if ((key === "bt:Image" || key === "bt:Url" || key === "bt:String") && Array.isArray(value)) {
        for (const r of value) if (r.$?.id) ids.add(r.$.id);
      }
      if (key === "$" && value.resid) used.push(value.resid);
    });
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((id) => !ids.has(id))).toEqual([]);
  });

  test("every URL is https", () => {
    const urls = [...xml.matchAll(/(?:DefaultValue|Value)="([a-z]+:\/\/[^"]*)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter((u) => !u.startsWith("https://"))).toEqual([]);
  });

  test("shared runtime with a long lifetime, custom functions in namespace PLAN", () => {
    const sets = doc.OfficeApp.Requirements[0].Sets[0].Set.map((s: any) => `${s.$.Name} ${s.$.MinVersion}`);
    expect(sets).toContain("SharedRuntime 1.1");
    const host = doc.OfficeApp.VersionOverrides[0].Hosts[0].Host[0];
    const runtime = host.Runtimes[0].Runtime[0].$;
    expect(runtime.lifetime).toBe("long");
    const cf = host.AllFormFactors[0].ExtensionPoint.find((e: any) => e.$["xsi:type"] === "CustomFunctions");
    expect(cf.Page[0].SourceLocation[0].$.resid).toBe(runtime.resid); // functions share the pane's runtime
    const nsId = cf.Namespace[0].$.resid;
    const strings = doc.OfficeApp.VersionOverrides[0].Resources[0]["bt:ShortStrings"][0]["bt:String"];
    expect(strings.find((s: any) => s.$.id === nsId).$.DefaultValue).toBe("PLAN");
  });

  test("a ribbon button opens the pane", () => {
    const host = doc.OfficeApp.VersionOverrides[0].Hosts[0].Host[0];
    const surface = host.DesktopFormFactor[0].ExtensionPoint.find((e: any) => e.$["xsi:type"] === "PrimaryCommandSurface");
    const control = surface.OfficeTab[0].Group[0].Control[0];
    expect(control.Action[0].$["xsi:type"]).toBe("ShowTaskpane");
  });

  test("one task pane: the shared runtime's page, and no ShowTaskpane action names a TaskpaneId", () => {
    // "A shared runtime only supports the use of one task pane. Note that any task pane without a
    // <TaskpaneID> is considered a different task pane." (Configure your Office Add-in to use a
    // shared runtime, Multiple task panes)
    const host = doc.OfficeApp.VersionOverrides[0].Hosts[0].Host[0];
    const runtime = host.Runtimes[0].Runtime[0].$.resid;
    const actions: any[] = [];
    walk(doc, (key, value) => {
      if (key === "Action") for (const a of value) if (a.$?.["xsi:type"] === "ShowTaskpane") actions.push(a);
    });
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) {
      expect(a.TaskpaneId).toBeUndefined();
      expect(a.SourceLocation[0].$.resid).toBe(runtime);
    }
    expect(host.DesktopFormFactor[0].FunctionFile[0].$.resid).toBe(runtime);
    expect(xml.replace(/<!--[\s\S]*?-->/g, "")).not.toMatch(/<TaskpaneId>/i);
  });

  test("icons referenced by the manifest exist in assets/", () => {
    const files = [...xml.matchAll(/assets\/([\w.-]+\.png)/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.existsSync(path.join(root, "assets", f))).toBe(true);
  });

  test("ADDIN_URL rewrites every URL and leaves no localhost", async () => {
    const target = addinUrl("https://addins.example.cn/planning-desk");
    expect(target).toBe("https://addins.example.cn/planning-desk/");
    const out = rewriteManifest(xml, target);
    expect(out).not.toContain("localhost");
    expect(out).toContain("<AppDomain>https://addins.example.cn</AppDomain>");
    expect(out).toContain('DefaultValue="https://addins.example.cn/planning-desk/functions.json"');
    await expect(parseStringPromise(out)).resolves.toHaveProperty("OfficeApp");
    expect(addinUrl(undefined)).toBe(DEV_URL);
    expect(() => addinUrl("http://addins.example.cn/")).toThrow(/https/);
    expect(() => addinUrl("not a url")).toThrow(/not a URL/);
  });
});

describe("functions.json generated from the JSDoc", () => {
  test("five functions with descriptions, parameter help, ranges, optional args and volatility", async () => {
    const result = await generateCustomFunctionsMetadata(path.join(root, "src", "functions", "functions.ts"), true);
    expect(result.errors).toEqual([]);
    const meta = JSON.parse(result.metadataJson);
    const byId = Object.fromEntries(meta.functions.map((f: any) => [f.id, f]));
    expect(Object.keys(byId).sort()).toEqual(["DUE", "ISWORKDAY", "MILESTONE", "OVERDUE", "WORKDAYS"]);
    for (const f of meta.functions) {
      expect(f.description.length).toBeGreaterThan(20);
      for (const p of f.parameters) {
        expect(p.description.length).toBeGreaterThan(5);
        expect(p.dimensionality).toBe("matrix");
      }
    }
    expect(byId.OVERDUE.options.volatile).toBe(true);
    // No cellValueType (it needs CustomFunctionsRuntime 1.4, not on perpetual Office): what the manifest's 1.1 floor allows.
    for (const f of meta.functions)
      for (const p of f.parameters) expect([f.id, p.name, p.cellValueType, p.type]).toEqual([f.id, p.name, undefined, "any"]);
    expect(/<Set Name="CustomFunctionsRuntime" MinVersion="([\d.]+)"\/>/.exec(xml)?.[1]).toBe("1.1");
    expect(byId.OVERDUE.parameters.map((p: any) => [p.name, !!p.optional])).toEqual([
      ["due", false],
      ["done", true],
      ["as_of", true],
    ]);
    expect(result.associate.map((a: any) => a.functionName).sort()).toEqual(["due", "isworkday", "milestone", "overdue", "workdays"]);
  });
});

/**
 * The manifest's requirement floor, the code's `isSetSupported` checks (and the self-test's steps)
 * and the README's "What works where" table say the same thing: every set the code checks above
 * the floor has its row in the table, every row above the floor is a set the code checks before
 * using it, and a row at or under the floor is never missing.
 */
describe("requirement sets: the manifest, the code's checks and the README agree", () => {
  type Need = { set: string; version: string };
  const SETS = "ExcelApi|CustomFunctionsRuntime|SharedRuntime|NestedAppAuth|DialogApi|IdentityAPI";
  const newer = (a: string, b: string) => {
    const [x, y] = [a, b].map((v) => v.split(".").map(Number));
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
    return false;
  };
  const manifest = new Map([...xml.matchAll(/<Set\s+Name="(\w+)"\s+MinVersion="([\d.]+)"\s*\/>/g)].map((m) => [m[1], m[2]]));
  /** Above the manifest's floor (or a set the manifest does not ask for): may be missing where the add-in runs. */
  const aboveFloor = (n: Need) => {
    const floor = manifest.get(n.set);
    return floor === undefined || newer(n.version, floor);
  };

  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### What works where"));
  const firstTable = section.split("\n\n").find((p) => p.trim().startsWith("|")) ?? "";
  const tableRows = firstTable
    .split("\n")
    .filter((l) => l.startsWith("|") && !/^\|[-| ]+\|$/.test(l))
    .slice(1) // the header row
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const needsOf = (text: string): Need[] =>
    [...text.matchAll(new RegExp(`(${SETS}) (\\d+\\.\\d+)`, "g"))].map((m) => ({ set: m[1], version: m[2] }));

  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "workbench" ? [] : sources(p); // the in-memory Excel's own version, not a check
      return /\.ts$/.test(e.name) ? [p] : [];
    });
  }
  const checks: (Need & { where: string })[] = sources(path.join(root, "src")).flatMap((file) => {
    const text = fs.readFileSync(file, "utf8");
    const where = path.relative(root, file);
    const direct = [...text.matchAll(/isSetSupported\(\s*"(\w+)",\s*"([\d.]+)"\s*\)/g)].map((m) => ({ set: m[1], version: m[2], where }));
    // The self-test's steps: step(id, zh, en, "<ExcelApi version>", …).
    const steps = where.endsWith("selftest.ts")
      ? [...text.matchAll(/step\(\s*"(\w+)",\s*"[^"]*",\s*"[^"]*",\s*"([\d.]+)"/g)].map((m) => ({
          set: "ExcelApi",
          version: m[2],
          where: `${where} (step ${m[1]})`,
        }))
      : [];
    return [...direct, ...steps];
  });

  test("the sources were found: the table, the manifest's sets and the checks", () => {
    expect(tableRows.length).toBeGreaterThanOrEqual(5);
    expect(manifest.get("ExcelApi")).toMatch(/^1\.\d+$/);
    expect(checks.filter((c) => c.where.endsWith("selftest.ts") || c.where.includes("(step")).length).toBeGreaterThan(5);
    expect(checks.some((c) => /office[-\w]*\.ts/.test(c.where))).toBe(true);
  });

  test("the README's sentence and its floor row name the manifest's sets", () => {
    const sentence = /The manifest asks for ([^;]+);/.exec(section)?.[1] ?? "";
    expect(Object.fromEntries(needsOf(sentence).map((n) => [n.set, n.version]))).toEqual(Object.fromEntries(manifest));
    const floorRow = tableRows.find((r) => /\(the floor\)/.test(r[2] ?? ""));
    expect(floorRow && needsOf(floorRow[1])[0]).toEqual({ set: "ExcelApi", version: manifest.get("ExcelApi") });
  });

  test("every set the code checks above the floor has its row in the table", () => {
    const listed = new Set(tableRows.flatMap((r) => needsOf(r[1]).map((n) => `${n.set} ${n.version}`)));
    const missing = checks.filter(aboveFloor).filter((c) => !listed.has(`${c.set} ${c.version}`));
    expect(missing.map((c) => `${c.set} ${c.version} (${c.where})`)).toEqual([]);
  });

  test("every row above the floor is a set the code checks before using it; a row at or under the floor is never missing", () => {
    const checked = new Set(checks.map((c) => `${c.set} ${c.version}`));
    const unchecked = tableRows.flatMap((r) =>
      needsOf(r[1])
        .filter(aboveFloor)
        .filter((n) => !checked.has(`${n.set} ${n.version}`))
        .map((n) => `${n.set} ${n.version}: ${r[0]}`),
    );
    expect(unchecked).toEqual([]);
    const never = tableRows.filter((r) => needsOf(r[1]).length && !needsOf(r[1]).some(aboveFloor) && !(r[2] ?? "").startsWith("—"));
    expect(never.map((r) => `${r[1]}: "${r[2]}"`)).toEqual([]);
  });
});
