/** Edits of the workbook part and the custom XML parts: recalculation on open, the add-in's own XML. */
import { LOG_ANCHOR_NS } from "../../core/workflow/log";
import { escapeAttr, findElement, rootPrefix, setAttr } from "./xml";
import { PartRegistry, REL, rootNamespace } from "./registry";
import { AFTER_NAMES } from "./names";

/** `fullCalcOnLoad` in workbook.xml's calcPr: Excel recalculates every formula when it opens the file. */
export function calculateOnLoad(reg: PartRegistry): void {
  const wb = reg.pkg.text(reg.workbookPart)!;
  const calc = findElement(wb, "calcPr");
  if (calc) {
    reg.pkg.setText(reg.workbookPart, wb.slice(0, calc.start) + setAttr(calc.text, "fullCalcOnLoad", "1") + wb.slice(calc.openEnd));
    return;
  }
  const root = findElement(wb, "workbook")!;
  let at = root.end - `</${root.qname}>`.length;
  // The elements CT_Workbook puts after calcPr (those after definedNames, but calcPr itself).
  for (const later of AFTER_NAMES.filter((n) => n !== "calcPr")) {
    const t = findElement(wb, later, root.openEnd);
    if (t && t.start < at) at = t.start;
  }
  reg.pkg.setText(reg.workbookPart, `${wb.slice(0, at)}<${rootPrefix(wb)}calcPr fullCalcOnLoad="1"/>${wb.slice(at)}`);
}

/** Replaces the custom XML part of that namespace, or adds one (item, its properties, relationships). */
export function setCustomXml(reg: PartRegistry, namespace: string, xml: string): void {
  if (rootNamespace(xml) !== namespace) throw new Error(`custom XML part's root is not in namespace ${namespace}`);
  const existing = reg.custom.get(namespace);
  if (existing) {
    reg.pkg.setText(existing, xml);
    return;
  }
  const item = reg.pkg.freeName("customXml/item", ".xml");
  const props = item.replace("/item", "/itemProps");
  const b = crypto.getRandomValues(new Uint8Array(16));
  const hex = [...b]
    .map((x) => x.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
  const guid = `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}}`;
  reg.pkg.setText(item, xml);
  // The item relies on no Default for ".xml": some writers give every part an Override.
  reg.pkg.ensureContentType(item, "application/xml");
  reg.pkg.setText(
    props,
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="${guid}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="${escapeAttr(namespace)}"/></ds:schemaRefs></ds:datastoreItem>`,
  );
  reg.pkg.setOverride(props, "application/vnd.openxmlformats-officedocument.customXmlProperties+xml");
  reg.pkg.addRel(item, `${REL}/customXmlProps`, props);
  reg.pkg.addRel(reg.workbookPart, `${REL}/customXml`, item);
  reg.custom.set(namespace, item);
  if (namespace === LOG_ANCHOR_NS) reg.anchorParts.anchors.push(item);
}
