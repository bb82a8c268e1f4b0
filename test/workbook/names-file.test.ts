/**
 * The log's hidden record in workbook.xml (src/workbook/file/names.ts): written in place, hidden,
 * where CT_Workbook puts `<definedNames>`; every other name and element kept as written.
 */
import { setTextName, textName } from "../../src/workbook/file/names";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { Package } from "../../src/workbook/file/package";
import { emptyChangeSet } from "../../src/workbook/port";

const HEAD = "pd-log-head/1 3 abc 0123 4567";

test("added before calcPr when the workbook has no names; replaced in place among others (prefixes kept); read back", () => {
  const plain = `<workbook xmlns="m"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="1"/></workbook>`;
  const one = setTextName(plain, "_PlanningDesk_LogHead", HEAD);
  expect(one).toBe(
    `<workbook xmlns="m"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_PlanningDesk_LogHead" hidden="1">"${HEAD}"</definedName></definedNames><calcPr calcId="1"/></workbook>`,
  );
  expect(textName(one, "_planningdesk_loghead")).toBe(HEAD);

  const others = `<x:workbook xmlns:x="m"><x:sheets/><x:definedNames><x:definedName name="DUE">=LAMBDA(x,x+1)</x:definedName><x:definedName name="_PlanningDesk_LogHead" localSheetId="0">"sheet's own"</x:definedName></x:definedNames></x:workbook>`;
  const two = setTextName(others, "_PlanningDesk_LogHead", 'say "hi" & <go>');
  expect(two).toContain(
    `<x:definedName name="DUE">=LAMBDA(x,x+1)</x:definedName><x:definedName name="_PlanningDesk_LogHead" localSheetId="0">"sheet's own"</x:definedName><x:definedName name="_PlanningDesk_LogHead" hidden="1">"say ""hi"" &amp; &lt;go&gt;"</x:definedName></x:definedNames>`,
  );
  expect(textName(two, "_PlanningDesk_LogHead")).toBe('say "hi" & <go>');
  const three = setTextName(two, "_PlanningDesk_LogHead", "again");
  expect(three.match(/hidden="1"/g)).toHaveLength(1);
  expect(textName(three, "_PlanningDesk_LogHead")).toBe("again");
  expect(textName(three, "DUE")).toBe("=LAMBDA(x,x+1)");
  expect(textName(three, "nothing")).toBeUndefined();
});

test("through the file engine: a change set's names land in workbook.xml, are read back as the log's hidden record, and survive another write", async () => {
  const wb = XlsxWorkbook.create();
  const c = emptyChangeSet();
  c.names = [{ name: "_PlanningDesk_LogHead", text: HEAD }];
  await wb.write(c);
  const again = await XlsxWorkbook.fromBytes(await wb.toBytes());
  expect((await again.read()).logRecords?.head).toBe(HEAD);
  await again.write({ ...emptyChangeSet(), customXml: [{ namespace: "urn:x", xml: `<a xmlns="urn:x"/>` }] });
  const p = Package.fromBytes(await again.toBytes());
  expect(textName(p.text("xl/workbook.xml")!, "_PlanningDesk_LogHead")).toBe(HEAD);
});
