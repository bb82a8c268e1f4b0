/**
 * A log cut by a yearly archive (issue 18) starts where the archive ends: both records keep the
 * start (the rows archived and the last hash), under their seal, and the remainder's first row
 * chains from it. Rows deleted at the top, or the start rewritten or dropped, are found.
 */
import { toSerial } from "../../src/core/calendar";
import type { LogEntry } from "../../src/core/model";
import { LogRow, carriedDigest, chainAppend, logStartOf, parseAnchor, parseHead, recordsOf, verifyLog } from "../../src/core/workflow/log";

const entry = (i: number): LogEntry => ({
  time: toSerial(2026, 10, 1, 9, i),
  cardNo: `202610-00${i}`,
  action: "issue",
  actor: "林静",
  role: "Secretary",
  note: "",
});
const log = chainAppend(
  [],
  Array.from({ length: 6 }, (_, i) => entry(i + 1)),
);
const rows = (l: LogEntry[], first = 2): LogRow[] => l.map((e, i) => ({ entry: e, sheetRow: first + i }));
const SALT = "0123456789abcdef0123456789abcdef";
const start = { rows: 3, hash: log[2].hash ?? "" };
const rest = log.slice(3);

test("the remainder of a cut log verifies from the recorded start, which both records keep", () => {
  const rec = recordsOf(rest, SALT, start);
  expect(verifyLog(rows(rest), rec)).toEqual([]);
  expect(logStartOf(rec)).toEqual(start);
  expect(parseAnchor(rec.anchors[0].xml)?.start).toEqual(start);
  expect(parseHead(rec.head)?.start).toEqual(start);
  // The archive's part verifies from GENESIS as any log.
  expect(verifyLog(rows(log.slice(0, 3)), recordsOf(log.slice(0, 3), SALT))).toEqual([]);
});

test("the start dropped, or rewritten to hide a row deleted at the top, or the top row deleted: found", () => {
  // Records without the start: the first row does not chain.
  expect(verifyLog(rows(rest), recordsOf(rest, SALT)).map((b) => [b.kind, b.sheetRow])).toEqual([["broken", 2]]);
  // The top row deleted, the records intact: the new first row does not follow from the start.
  const rec = recordsOf(rest, SALT, start);
  expect(verifyLog(rows(rest.slice(1)), rec).map((b) => b.kind)).toEqual(["broken", "deleted-tail"]);
  // ... and the start rewritten in both records to the deleted row's hash: the seals no longer match.
  const forged = { rows: 4, hash: rest[0].hash ?? "" };
  const head = (rec.head ?? "").replace(/ from \d+ \w+$/, ` from ${forged.rows} ${forged.hash}`);
  const anchor = rec.anchors[0].xml.replace(
    /<startRows>\d+<\/startRows><startHash>\w+<\/startHash>/,
    `<startRows>${forged.rows}</startRows><startHash>${forged.hash}</startHash>`,
  );
  expect(head).not.toEqual(rec.head);
  expect(verifyLog(rows(rest.slice(1)), { anchors: [{ where: "customXml", xml: anchor }], head }).map((b) => b.kind)).toEqual(
    expect.arrayContaining(["head-damaged"]),
  );
});

test("rows carried over the cut (cards that stayed) are checked as a sealed block: an edit or a deletion there is found", () => {
  // The cut after row 4; rows 2 and 4 (0-based 1 and 3) belong to cards that stayed and are kept at the top.
  const kept = [log[1], log[3]];
  const cut = { rows: 4, hash: log[3].hash ?? "", carried: { rows: 2, digest: carriedDigest(kept) } };
  const shared = [...kept, ...log.slice(4)];
  const rec = recordsOf(shared, SALT, cut);
  expect(verifyLog(rows(shared), rec)).toEqual([]);
  expect(logStartOf(rec)).toEqual(cut);
  const edited = [{ ...kept[0], actor: "某人" }, kept[1], ...log.slice(4)];
  expect(verifyLog(rows(edited), rec).map((b) => [b.kind, b.sheetRow])).toEqual([["carried-changed", 2]]);
  expect(verifyLog(rows(edited), rec)[0].en).toMatch(
    /the 2 log rows kept from before the yearly archive .*\(rows 2–3\) were edited, deleted or added to/,
  );
  expect(verifyLog(rows([kept[1], ...log.slice(4)]), rec).map((b) => b.kind)).toEqual(expect.arrayContaining(["carried-changed"]));
});
