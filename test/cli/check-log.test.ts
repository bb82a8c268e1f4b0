/**
 * `planning-desk check` verifies the Countersign Log against its hash chain and its anchor (a
 * custom XML part the add-in updates with every append): a clean demo passes; rows deleted at the
 * end, a row edited by hand, or the whole log emptied are errors naming sheet rows, exit 1.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { run } from "../../src/cli/main";
import { demoChanges } from "../../src/workbook/demo";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { COUNTERSIGN_LOG } from "../../src/workbook/schema";
import { Package } from "../../src/workbook/file/package";
import { LOG_ANCHOR_NS } from "../../src/core/workflow/log";
import { openXlsx } from "../helpers/xlsx-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-checklog-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function demoFile(name: string): Promise<string> {
  const wb = XlsxWorkbook.create();
  await wb.write(demoChanges("zh"));
  const f = path.join(dir, name);
  fs.writeFileSync(f, await wb.toBytes());
  return f;
}

async function check(f: string): Promise<{ code: number; json: { findings: { code: string; cell?: string; zh: string; en: string }[] } }> {
  const out: string[] = [];
  const code = await run(
    ["check", f, "--json"],
    (s) => out.push(s),
    () => undefined,
  );
  return { code, json: JSON.parse(out.join("\n")) };
}

test("the demo's log is whole and anchored: no break", async () => {
  const f = await demoFile("clean.xlsx");
  const r = await check(f);
  expect(r.json.findings.filter((x) => x.code === "log-break")).toEqual([]);
});

test("rows deleted at the end of the log (as a person would, clearing them) are found", async () => {
  const f = await demoFile("tail.xlsx");
  const wb = await openXlsx(f);
  const log = findTable(await wb.read(), "CountersignLog")!;
  const c = emptyChangeSet();
  c.deleteRows.push({ table: "CountersignLog", rows: [log.rows.length - 1, log.rows.length - 2] });
  await wb.write(c);
  fs.writeFileSync(f, await wb.toBytes());
  const r = await check(f);
  expect(r.code).toBe(1);
  expect(r.json.findings.filter((x) => x.code === "log-break").length).toBeGreaterThan(0);
});

test("a row edited by hand is found at its sheet row", async () => {
  const f = await demoFile("edit.xlsx");
  const wb = await openXlsx(f);
  const log = findTable(await wb.read(), "CountersignLog")!;
  const note = COUNTERSIGN_LOG.columns.findIndex((c) => c.key === "note");
  const c = emptyChangeSet();
  c.cells.push({ table: "CountersignLog", row: 5, col: note, value: "改过了" });
  await wb.write(c);
  fs.writeFileSync(f, await wb.toBytes());
  const r = await check(f);
  expect(r.code).toBe(1);
  const breaks = r.json.findings.filter((x) => x.code === "log-break");
  expect(breaks.map((b) => b.cell)).toContain(`${log.sheet}!A${log.top + 1 + 5 + 1}`);
});

test("the whole log emptied is found", async () => {
  const f = await demoFile("empty.xlsx");
  const wb = await openXlsx(f);
  const log = findTable(await wb.read(), "CountersignLog")!;
  const c = emptyChangeSet();
  c.deleteRows.push({ table: "CountersignLog", rows: log.rows.map((_, i) => i) });
  await wb.write(c);
  fs.writeFileSync(f, await wb.toBytes());
  const r = await check(f);
  expect(r.code).toBe(1);
  expect(r.json.findings.some((x) => x.code === "log-break")).toBe(true);
});

/*
 * Issue 20, part C: the tail deleted AND the anchor tampered with, on real files through
 * `planning-desk check`. The file is built by the engine (the demo, then two rows deleted at
 * the log's end, as a person would), then its zip is edited with the engine's own package code.
 */
describe("a deleted tail stays visible whatever happened to the anchor", () => {
  const ANCHOR = "customXml/item1.xml";
  const WB = "xl/workbook.xml";
  const HEAD_NAME = /<definedName name="_PlanningDesk_LogHead"[^>]*>[^<]*<\/definedName>/;

  /** The demo with its last two log rows deleted, then `edit` applied to its package. */
  async function tampered(name: string, edit: (p: Package) => void, deleteTail = true): Promise<string> {
    const f = await demoFile(name);
    if (deleteTail) {
      const wb = await openXlsx(f);
      const log = findTable(await wb.read(), "CountersignLog")!;
      const c = emptyChangeSet();
      c.deleteRows.push({ table: "CountersignLog", rows: [log.rows.length - 1, log.rows.length - 2] });
      await wb.write(c);
      fs.writeFileSync(f, await wb.toBytes());
    }
    const p = Package.fromBytes(new Uint8Array(fs.readFileSync(f)));
    edit(p);
    fs.writeFileSync(f, p.toBytes());
    return f;
  }
  /** The Hash of the log's last row as the sheet shows it (what a casual forger copies into the anchor). */
  async function visibleHead(f: string): Promise<{ rows: number; hash: string }> {
    const log = findTable(await (await openXlsx(f)).read(), "CountersignLog")!;
    const rows = log.rows.filter((r) => r.some((v) => v !== null && v !== ""));
    return { rows: rows.length, hash: String(rows[rows.length - 1][COUNTERSIGN_LOG.columns.findIndex((c) => c.key === "hash")]) };
  }
  /** What openpyxl does on a save: every custom XML part (and its relationships, content types) is gone; defined names stay. */
  function dropCustomXml(p: Package): void {
    for (const r of p.rels(WB).filter((x) => x.type.endsWith("/customXml"))) p.removeRel(WB, r.id);
    for (const n of p.names.filter((x) => x.startsWith("customXml/"))) {
      p.remove(n);
      p.removeOverride(n);
    }
  }
  const breaks = (r: { json: { findings: { code: string; en: string }[] } }) =>
    r.json.findings.filter((x) => x.code === "log-break").map((x) => x.en);

  test("the demo file holds the anchor and the hidden name, and checks clean", async () => {
    const f = await demoFile("both.xlsx");
    const p = Package.fromBytes(new Uint8Array(fs.readFileSync(f)));
    expect(p.text(ANCHOR)).toMatch(/<seal>[0-9a-f]{32}<\/seal>/);
    expect(p.text(WB)).toMatch(
      /<definedName name="_PlanningDesk_LogHead" hidden="1">"pd-log-head\/1 \d+ [0-9a-f]+ [0-9a-f]{32} [0-9a-f]{32}"<\/definedName>/,
    );
    const r = await check(f);
    expect(breaks(r)).toEqual([]);
  });

  test("anchor part removed: the anchor is reported missing and the tail is found by the hidden name", async () => {
    const f = await tampered("removed.xlsx", (p) => {
      const rel = p.rels(WB).find((x) => x.type.endsWith("/customXml"))!;
      p.removeRel(WB, rel.id);
      p.remove(ANCHOR);
    });
    const r = await check(f);
    expect(r.code).toBe(1);
    expect(breaks(r).some((e) => /anchor is missing/.test(e))).toBe(true);
    expect(breaks(r).some((e) => /2 log rows are missing/.test(e))).toBe(true);
  });

  test("anchor replaced with garbage: named as damaged with its part, and the tail is found", async () => {
    const f = await tampered("garbage.xlsx", (p) => p.setText(ANCHOR, "garbage, not XML"));
    const r = await check(f);
    expect(r.code).toBe(1);
    expect(breaks(r).some((e) => e.includes(`anchor is damaged (${ANCHOR}: "garbage, not XML")`))).toBe(true);
    expect(breaks(r).some((e) => /2 log rows are missing/.test(e))).toBe(true);
  });

  test("anchor put in another namespace: named, and the tail is found", async () => {
    const f = await tampered("namespace.xlsx", (p) =>
      p.setText(
        ANCHOR,
        p
          .text(ANCHOR)!
          .replace(LOG_ANCHOR_NS, "http://example.com/not-ours")
          .replace(/<rows>\d+</, "<rows>1<"),
      ),
    );
    const r = await check(f);
    expect(r.code).toBe(1);
    expect(breaks(r).some((e) => e.includes(`custom XML part ${ANCHOR}`) && /looks like the log's anchor/.test(e))).toBe(true);
    expect(breaks(r).some((e) => /2 log rows are missing/.test(e))).toBe(true);
  });

  test("a second anchor part put before the real one, holding the visible head: both named, and the tail is found", async () => {
    const head = await visibleHead(await tampered("second-probe.xlsx", () => undefined));
    const g = await tampered("second.xlsx", (p) => {
      p.setText(
        "customXml/item9.xml",
        `<?xml version="1.0"?><logAnchor xmlns="${LOG_ANCHOR_NS}"><rows>${head.rows}</rows><hash>${head.hash}</hash></logAnchor>`,
      );
      const rels = p.text("xl/_rels/workbook.xml.rels")!;
      p.setText(
        "xl/_rels/workbook.xml.rels",
        rels.replace(
          /(<Relationships[^>]*>)/,
          `$1<Relationship Id="rIdForged" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item9.xml"/>`,
        ),
      );
    });
    const r = await check(g);
    expect(r.code).toBe(1);
    expect(breaks(r).some((e) => /anchor part is there 2 times \(customXml\/item9\.xml, customXml\/item1\.xml\)/.test(e))).toBe(true);
    expect(breaks(r).some((e) => /2 log rows are missing/.test(e))).toBe(true);
  });

  test("anchor rewritten with the visible hash of the new last row: not accepted, the tail is found", async () => {
    const probe = await tampered("rewrite-probe.xlsx", () => undefined);
    const head = await visibleHead(probe);
    // As a casual forger would: the count and the hash the sheet shows, the seal left as it was.
    const f = await tampered("rewrite.xlsx", (p) =>
      p.setText(
        ANCHOR,
        p
          .text(ANCHOR)!
          .replace(/<rows>\d+<\/rows>/, `<rows>${head.rows}</rows>`)
          .replace(/<hash>\w+<\/hash>/, `<hash>${head.hash}</hash>`),
      ),
    );
    const r = await check(f);
    expect(r.code).toBe(1);
    expect(breaks(r).some((e) => /anchor \(customXml\/item1\.xml\) was not written by the add-in/.test(e))).toBe(true);
    expect(breaks(r).some((e) => /2 log rows are missing/.test(e))).toBe(true);
    // ... or without a seal at all (the old anchor's form), and the hidden name deleted too: still not silently fine.
    const g = await tampered("rewrite2.xlsx", (p) => {
      p.setText(
        ANCHOR,
        `<?xml version="1.0"?><logAnchor xmlns="${LOG_ANCHOR_NS}"><rows>${head.rows}</rows><hash>${head.hash}</hash></logAnchor>`,
      );
      p.setText(WB, p.text(WB)!.replace(HEAD_NAME, ""));
    });
    const r2 = await check(g);
    expect(r2.code).toBe(1);
    expect(breaks(r2).some((e) => /has no seal/.test(e))).toBe(true);
  });

  test("a re-save that drops custom XML parts (openpyxl), then the tail deleted: the hidden name still finds it", async () => {
    const f = await tampered("openpyxl.xlsx", dropCustomXml, false);
    const wb = await openXlsx(f);
    const log = findTable(await wb.read(), "CountersignLog")!;
    const c = emptyChangeSet();
    c.deleteRows.push({ table: "CountersignLog", rows: [log.rows.length - 1, log.rows.length - 2] });
    await wb.write(c);
    fs.writeFileSync(f, await wb.toBytes());
    const r = await check(f);
    expect(r.code).toBe(1);
    expect(breaks(r).some((e) => /anchor is missing \(the workbook was saved by another program/.test(e))).toBe(true);
    expect(breaks(r).some((e) => /2 log rows are missing/.test(e))).toBe(true);
  });

  test("both records gone from a log the add-in wrote: said, not silently fine", async () => {
    const f = await tampered(
      "none.xlsx",
      (p) => {
        dropCustomXml(p);
        p.setText(WB, p.text(WB)!.replace(HEAD_NAME, ""));
      },
      false,
    );
    const r = await check(f);
    expect(r.code).toBe(1);
    expect(breaks(r)).toEqual([expect.stringMatching(/anchor is missing, and so is its hidden record \(name _PlanningDesk_LogHead\)/)]);
  });

  test("the hidden name deleted or altered while the anchor is whole: named", async () => {
    const gone = await check(await tampered("name-gone.xlsx", (p) => p.setText(WB, p.text(WB)!.replace(HEAD_NAME, "")), false));
    expect(breaks(gone)).toEqual([expect.stringMatching(/hidden record \(name _PlanningDesk_LogHead\) is missing/)]);
    const altered = await check(
      await tampered(
        "name-altered.xlsx",
        (p) =>
          p.setText(
            WB,
            p.text(WB)!.replace(/pd-log-head\/1 (\d+)/, (_m, n: string) => `pd-log-head/1 ${Number(n) - 2}`),
          ),
        false,
      ),
    );
    expect(altered.code).toBe(1);
    expect(breaks(altered).some((e) => /hidden record \(name _PlanningDesk_LogHead\) was altered by hand/.test(e))).toBe(true);
  });
});
