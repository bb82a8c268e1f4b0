/**
 * The command line's read loads only what it uses: no hash library (the log's seal and digest are
 * chain-hash.ts's SHA-256) and no JavaScript deflate (Node's zlib inflates and deflates). A real
 * process runs `check` on a workbook with its log and sealed head (the chain and the seal are
 * verified) and lists the packages it loaded.
 */
import { execFileSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { demoChanges } from "../../src/workbook/demo";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { carriedDigest, sealOf } from "../../src/core/workflow/log";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-lazyload-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MAIN = path.join(__dirname, "../../src/cli/main.ts");
const XLSX = path.join(__dirname, "../../src/workbook/xlsx.ts");
const READ = path.join(__dirname, "../../src/workbook/read.ts");

test("check reads and verifies a workbook's log without loading @noble/hashes or fflate", async () => {
  const wb = XlsxWorkbook.create();
  await wb.write(demoChanges("zh"));
  const f = path.join(dir, "demo.xlsx");
  fs.writeFileSync(f, await wb.toBytes());
  const script = `
    const out = [];
    require(${JSON.stringify(MAIN)}).run(["check", ${JSON.stringify(f)}, "--json"], (s) => out.push(s), () => {}).then((code) => {
      const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](fflate|@noble)[\\\\/]/.test(k)).map((k) => k.replace(/.*node_modules[\\\\/]/, ""));
      const findings = JSON.parse(out.join("\\n")).findings.filter((x) => x.code.startsWith("log-"));
      console.log(JSON.stringify({ code, findings, loaded }));
    });`;
  const got = JSON.parse(
    execFileSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", cwd: path.join(__dirname, "../..") }),
  );
  expect(got).toEqual({ code: 0, findings: [], loaded: [] });
});

test("reading a workbook's tables and model loads no package at all (the official calendar is loaded when first asked)", async () => {
  const wb = XlsxWorkbook.create();
  await wb.write(demoChanges("zh"));
  const f = path.join(dir, "read.xlsx");
  fs.writeFileSync(f, await wb.toBytes());
  const script = `
    const { XlsxWorkbook } = require(${JSON.stringify(XLSX)});
    const { readWorkbook } = require(${JSON.stringify(READ)});
    // tsx and esbuild: the loader that runs these sources, not the program.
    XlsxWorkbook.fromBytes(require("fs").readFileSync(${JSON.stringify(f)})).then((w) => w.read()).then((snapshot) => {
      const cards = readWorkbook(snapshot).model.cards.length;
      const loaded = Object.keys(require.cache).filter((k) => /node_modules/.test(k) && !/node_modules[\\\\/](tsx|esbuild)[\\\\/]/.test(k)).map((k) => k.replace(/.*node_modules[\\/]/, ""));
      console.log(JSON.stringify({ cards, loaded }));
    });`;
  const got = JSON.parse(
    execFileSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", cwd: path.join(__dirname, "../..") }),
  );
  expect(got.loaded).toEqual([]);
  expect(got.cards).toBeGreaterThan(0);
});

test("the seal and the carried digest are the SHA-256 digits they were (values from @noble/hashes)", () => {
  const start = { rows: 2, hash: "fedcba9876543210", carried: { rows: 1, digest: "ab" } };
  expect(sealOf(3, "0123456789abcdef", "盐", start)).toBe("799e0332e33e1a1ff5e29810d46b2879");
  const row = { time: 46300.5, cardNo: "202610-001", action: "会签", actor: "王磊", role: "经理", note: "", hash: "0011" };
  expect(carriedDigest([row])).toBe("7946fb5b0964c6a42f201581e5c3ebca");
});
