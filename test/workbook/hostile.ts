/**
 * Hostile and broken .xlsx files, generated from the demo workbook with the project's own zip
 * writer and node's zlib (nothing downloaded, nothing committed). Each is a few KB to a few MB.
 */
import * as zlib from "zlib";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { demoChanges } from "../../src/workbook/demo";
import { Package } from "../../src/workbook/file/package";
import { OutEntry, ZipEntry, readZip, writeZip } from "../../src/workbook/file/zip";

export async function demoBytes(): Promise<Uint8Array> {
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(demoChanges("en"));
  return wb.toBytes();
}

const REGISTER = "xl/worksheets/sheet1.xml";
const SST = "xl/sharedStrings.xml";
const WORKBOOK = "xl/workbook.xml";

/**
 * The package with some parts' text changed, zipped by hand: these files break the rules on
 * purpose, so they do not go through Package.toBytes (which the tests check for sound output).
 */
function edit(base: Uint8Array, parts: Record<string, (xml: string) => string>): Uint8Array {
  const p = Package.fromBytes(base);
  const changed = new Map(Object.entries(parts).map(([name, f]) => [name, new TextEncoder().encode(f(p.text(name) ?? ""))]));
  return rezip(base, (es) => es.map((e) => (changed.has(e.name) ? { name: e.name, data: changed.get(e.name) as Uint8Array } : e)));
}

/** The package's entries, with entries replaced or added, written with the project's zip writer. */
function rezip(base: Uint8Array, change: (entries: OutEntry[]) => OutEntry[]): Uint8Array {
  return writeZip(change(readZip(base).map((e) => ({ name: e.name, copy: e }))));
}

/** A raw deflate stream of `total` zero bytes, built from one 16 MB block repeated (a zip bomb). */
function zeroBomb(total: number): Uint8Array {
  const block = 16 * 1024 * 1024;
  const one = zlib.deflateRawSync(Buffer.alloc(block), { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const n = Math.ceil(total / block);
  const end = zlib.deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: n }, () => one), end]);
}

/** An entry that claims `size` bytes and holds `raw` (a deflate stream). */
function lyingEntry(name: string, raw: Uint8Array, size: number, like: ZipEntry): OutEntry {
  return { name, copy: { ...like, name, method: 8, raw, compressedSize: raw.length, size, crc: 0 } };
}

export interface Hostile {
  name: string;
  /** What the command must do: refuse the file (exit 2), or report a finding on these cells (exit 1). */
  expect: { exit: 2; part: RegExp } | { exit: 1; cells: string[] };
  build(base: Uint8Array): Uint8Array;
}

export const HOSTILE: Hostile[] = [
  {
    name: "two entries with the same name",
    expect: { exit: 2, part: /xl\/worksheets\/sheet1\.xml/ },
    build: (base) =>
      rezip(base, (es) => {
        const other = edit(base, { [REGISTER]: (x) => x.replace(/Card No\./, "Karte") });
        const copy = readZip(other).find((e) => e.name === REGISTER)!;
        return [...es, { name: REGISTER, copy }];
      }),
  },
  {
    name: "table ref A1:XFD1048576",
    expect: { exit: 2, part: /xl\/tables\/table1\.xml/ },
    build: (base) => edit(base, { "xl/tables/table1.xml": (x) => x.replace(/ref="A1:[A-Z]+\d+"/g, 'ref="A1:XFD1048576"') }),
  },
  {
    name: "the last </row> missing",
    expect: { exit: 2, part: /xl\/worksheets\/sheet1\.xml/ },
    build: (base) => edit(base, { [REGISTER]: (x) => x.replace(/<\/row>(?![\s\S]*<\/row>)/, "") }),
  },
  {
    name: "the last </si> missing",
    expect: { exit: 2, part: /xl\/sharedStrings\.xml/ },
    build: (base) => edit(base, { [SST]: (x) => x.replace(/<\/si>(?![\s\S]*<\/si>)/, "") }),
  },
  {
    name: "the last </t> missing",
    expect: { exit: 2, part: /xl\/sharedStrings\.xml/ },
    build: (base) => edit(base, { [SST]: (x) => x.replace(/<\/t>(?![\s\S]*<\/t>)/, "") }),
  },
  {
    name: "300,000 nested elements in a relationships part",
    expect: { exit: 2, part: /xl\/worksheets\/_rels\/sheet1\.xml\.rels/ },
    build: (base) =>
      edit(base, {
        "xl/worksheets/_rels/sheet1.xml.rels": (x) =>
          x.replace("<Relationship ", `${"<Relationship>".repeat(300000)}${"</Relationship>".repeat(300000)}<Relationship `),
      }),
  },
  {
    name: "a 4 MB entry that inflates to 4.2 GB (declared)",
    expect: { exit: 2, part: /xl\/sharedStrings\.xml/ },
    build: (base) =>
      rezip(base, (es) => es.map((e) => ("copy" in e && e.name === SST ? lyingEntry(SST, zeroBomb(4.2e9), 4.2e9, e.copy) : e))),
  },
  {
    name: "an entry declared 1,000 bytes that inflates to 1 GB",
    expect: { exit: 2, part: /xl\/sharedStrings\.xml/ },
    build: (base) =>
      rezip(base, (es) => es.map((e) => ("copy" in e && e.name === SST ? lyingEntry(SST, zeroBomb(1 << 30), 1000, e.copy) : e))),
  },
  {
    name: "20 million shared strings",
    expect: { exit: 2, part: /xl\/sharedStrings\.xml/ },
    build: (base) => edit(base, { [SST]: (x) => x.replace(/<\/sst>/, `${"<si/>".repeat(20_000_000)}</sst>`) }),
  },
  {
    name: "a 10 MB sheet name",
    expect: { exit: 2, part: /xl\/workbook\.xml/ },
    build: (base) => edit(base, { "xl/workbook.xml": (x) => x.replace('name="Register"', `name="${"R".repeat(10 * 1024 * 1024)}"`) }),
  },
  // An end tag or processing instruction that never reaches its ">" after the root element:
  // the element scanner went back to the part's start and read it again, for ever.
  {
    name: "a </ with no > after the workbook's root",
    expect: { exit: 2, part: /xl\/workbook\.xml/ },
    build: (base) => edit(base, { "xl/workbook.xml": (x) => `${x}</x` }),
  },
  {
    name: "a <? with no > after a table's root",
    expect: { exit: 2, part: /xl\/tables\/table1\.xml/ },
    build: (base) => edit(base, { "xl/tables/table1.xml": (x) => `${x}<?x` }),
  },
  {
    name: "a </ with no > after the styles' root",
    expect: { exit: 2, part: /xl\/styles\.xml/ },
    build: (base) => edit(base, { "xl/styles.xml": (x) => `${x}</x` }),
  },
  {
    name: "a </ with no > after the workbook relationships' root",
    expect: { exit: 2, part: /xl\/_rels\/workbook\.xml\.rels/ },
    build: (base) => edit(base, { "xl/_rels/workbook.xml.rels": (x) => `${x}</x` }),
  },
  {
    name: "a Register row out of order",
    expect: { exit: 1, cells: ["Register!A5"] },
    // Row 5 is written after row 6: a reader that assumes order loses the card.
    build: (base) =>
      edit(base, {
        [REGISTER]: (x) => {
          const m = /<row r="5"[\s\S]*?<\/row>/.exec(x)!;
          const y = x.replace(m[0], "");
          return y.replace(/(<row r="6"[\s\S]*?<\/row>)/, `$1${m[0]}`);
        },
      }),
  },
  {
    name: "a Register cell out of order",
    expect: { exit: 1, cells: ["Register!A7"] },
    build: (base) => edit(base, { [REGISTER]: (x) => x.replace(/(<c r="A7"[^>]*>.*?<\/c>)(<c r="B7"[^>]*>.*?<\/c>)/, "$2$1") }),
  },
  {
    name: "a Register row out of range",
    expect: { exit: 1, cells: ["Register!A99999999"] },
    build: (base) => edit(base, { [REGISTER]: (x) => x.replace(/<row r="8"/, '<row r="99999999"') }),
  },
  {
    name: "a shared-string index that points nowhere",
    expect: { exit: 1, cells: ["Register!B9"] },
    build: (base) => edit(base, { [REGISTER]: (x) => x.replace(/(<c r="B9"[^>]*t="s"[^>]*><v>)\d+(<\/v>)/, "$1999999$2") }),
  },
  {
    name: 'a t="d" cell of 2026-99-99T99:99:99',
    expect: { exit: 1, cells: ["Register!L10"] },
    build: (base) =>
      edit(base, {
        [REGISTER]: (x) =>
          x.replace(
            /<c r="L10"([^>]*)><v>[^<]*<\/v><\/c>/,
            (_, a: string) => `<c r="L10"${a.replace(/\st="\w+"/, "")} t="d"><v>2026-99-99T99:99:99</v></c>`,
          ),
      }),
  },
  {
    name: "invalid UTF-8 in a shared string",
    expect: { exit: 1, cells: ["Register!B11"] },
    build: (base) => {
      // The project name of row 11 becomes a string of its own, with a byte that is not UTF-8.
      const marked = edit(base, {
        [SST]: (x) =>
          x
            .replace(/<\/sst>/, "<si><t>BAD@@</t></si></sst>")
            .replace(/uniqueCount="(\d+)"/, (_, n: string) => `uniqueCount="${Number(n) + 1}"`),
        [REGISTER]: (x) =>
          x.replace(
            /(<c r="B11"[^>]*t="s"[^>]*><v>)\d+(<\/v>)/,
            (_, a: string, b: string) => `${a}${countItems(Package.fromBytes(base).text(SST) ?? "")}${b}`,
          ),
      });
      const es = readZip(marked);
      const sst = es.find((e) => e.name === SST)!;
      const text = Buffer.from(zlib.inflateRawSync(sst.raw)).toString("latin1").replace("BAD@@", "BAD\xff\xfe");
      const data = Buffer.from(text, "latin1");
      return writeZip(es.map((e) => (e.name === SST ? { name: SST, data } : { name: e.name, copy: e })));
    },
  },
  // Workbooks Excel will not open as they are (MS-OI29500 2.1.578 on §18.2.19; ISO/IEC 29500-1
  // §18.5.1.2): refused when read, so that no command writes over them and leaves a file that
  // opens only after Excel's "repair" has dropped a sheet or a table.
  {
    name: "two sheets pointing to one worksheet part",
    expect: {
      exit: 2,
      part: /xl\/workbook\.xml holds two sheets, "Register" and "Register 2", that point to one part xl\/worksheets\/sheet1\.xml/,
    },
    build: (base) =>
      edit(base, { [WORKBOOK]: (x) => x.replace("</sheets>", '<sheet name="Register 2" sheetId="99" r:id="rId2"/></sheets>') }),
  },
  {
    name: "two sheets whose names differ only in case",
    expect: { exit: 2, part: /xl\/workbook\.xml holds two sheets of one name, "Register" and "REGISTER"/ },
    build: (base) => edit(base, { [WORKBOOK]: (x) => x.replace('name="Revisions"', 'name="REGISTER"') }),
  },
  {
    name: "a sheet name of 32 characters",
    expect: { exit: 2, part: /xl\/workbook\.xml holds the sheet name "P{32}", which has 32 characters, more than Excel's 31/ },
    build: (base) => edit(base, { [WORKBOOK]: (x) => x.replace('name="Penalties"', `name="${"P".repeat(32)}"`) }),
  },
  {
    name: "a sheet name holding a bracket",
    expect: { exit: 2, part: /xl\/workbook\.xml holds the sheet name "Rules\[1\]", which holds the character \[/ },
    build: (base) => edit(base, { [WORKBOOK]: (x) => x.replace('name="Rules"', 'name="Rules[1]"') }),
  },
  {
    name: "two tables whose names differ only in case",
    expect: { exit: 2, part: /xl\/tables\/table2\.xml holds the table name register, which xl\/tables\/table1\.xml already uses/ },
    build: (base) =>
      edit(base, {
        "xl/tables/table2.xml": (x) => x.replace('name="Revisions" displayName="Revisions"', 'name="register" displayName="register"'),
      }),
  },
  {
    name: "two tables overlapping on one sheet",
    expect: { exit: 2, part: /xl\/tables\/table99\.xml has table Overlap over B2:C3, which overlaps table Register over A1:AD43/ },
    build: (base) => {
      const table =
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="99" ` +
        `name="Overlap" displayName="Overlap" ref="B2:C3"><tableColumns count="2"><tableColumn id="1" name="a"/><tableColumn id="2" name="b"/></tableColumns></table>`;
      const withRel = edit(base, {
        "xl/worksheets/_rels/sheet1.xml.rels": (x) =>
          x.replace(
            "</Relationships>",
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table99.xml"/></Relationships>',
          ),
        "[Content_Types].xml": (x) =>
          x.replace(
            "</Types>",
            '<Override PartName="/xl/tables/table99.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/></Types>',
          ),
      });
      return rezip(withRel, (es) => [...es, { name: "xl/tables/table99.xml", data: new TextEncoder().encode(table) }]);
    },
  },
  {
    name: "a table whose range is one column narrower than its columns",
    expect: { exit: 2, part: /xl\/tables\/table1\.xml has the range A1:AC43 of 29 columns, but defines 30 columns/ },
    build: (base) => edit(base, { "xl/tables/table1.xml": (x) => x.replace(/A1:AD43/g, "A1:AC43") }),
  },
  // The shared strings gone, their cells left: refused in one line, not 3,750 findings and a broken structure.
  {
    name: "xl/sharedStrings.xml missing, still named by the workbook",
    expect: {
      exit: 2,
      part: /part xl\/worksheets\/sheet1\.xml holds cell A1 of type s \(shared string\), but the shared string part xl\/sharedStrings\.xml the workbook names is not in the file\./,
    },
    build: (base) => rezip(base, (es) => es.filter((e) => e.name !== SST)),
  },
  {
    name: "xl/sharedStrings.xml missing and not named",
    expect: {
      exit: 2,
      part: /part xl\/worksheets\/sheet1\.xml holds cell A1 of type s \(shared string\), but the workbook has no shared string part \(xl\/sharedStrings\.xml\)\./,
    },
    build: (base) =>
      rezip(edit(base, { "xl/_rels/workbook.xml.rels": (x) => x.replace(/<Relationship [^>]*sharedStrings[^>]*\/>/, "") }), (es) =>
        es.filter((e) => e.name !== SST),
      ),
  },
];

function countItems(sst: string): number {
  return (sst.match(/<si[\s>/]/g) ?? []).length;
}
