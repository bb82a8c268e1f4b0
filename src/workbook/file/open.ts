/** Opening a workbook package: from a file's bytes (with the reason when it is not one), or a new one. */
import { Package } from "./package";
import { MINIMAL_STYLES } from "./styles";
import { ZipFormatError } from "./zip";
import { PackageError } from "./limits";
import { CT, NS_MAIN, PartRegistry, REL } from "./registry";
import { WorkbookFileError, unreadable } from "./workbook-error";

/** The bytes of an OLE compound file (what Office writes for an encrypted workbook, and for .xls). */
function isCompoundFile(b: Uint8Array): boolean {
  return (
    b.length > 8 &&
    b[0] === 0xd0 &&
    b[1] === 0xcf &&
    b[2] === 0x11 &&
    b[3] === 0xe0 &&
    b[4] === 0xa1 &&
    b[5] === 0xb1 &&
    b[6] === 0x1a &&
    b[7] === 0xe1
  );
}

function containsUtf16(b: Uint8Array, text: string): boolean {
  const needle = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) needle[i * 2] = text.charCodeAt(i);
  outer: for (let i = 0; i + needle.length <= b.length; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** A new, empty workbook package: the parts every workbook has, and no sheet yet (a change set adds them). */
export function emptyRegistry(): PartRegistry {
  const pkg = Package.empty();
  pkg.setText(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT.workbook}"/><Override PartName="/xl/styles.xml" ContentType="${CT.styles}"/></Types>`,
  );
  pkg.setText(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  pkg.setText(
    "xl/workbook.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS_MAIN}" xmlns:r="${REL}"><workbookPr/><bookViews><workbookView/></bookViews><sheets></sheets><calcPr calcId="191029"/></workbook>`,
  );
  pkg.setText(
    "xl/_rels/workbook.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  );
  pkg.setText("xl/styles.xml", MINIMAL_STYLES);
  return new PartRegistry(pkg, "workbook.xlsx");
}

/** A workbook package from a file's bytes. Throws WorkbookFileError, in both languages, when it is not one. */
export function openRegistry(data: Uint8Array, name: string): PartRegistry {
  if (isCompoundFile(data)) {
    if (containsUtf16(data, "EncryptedPackage"))
      throw new WorkbookFileError(
        `${name} 受密码保护，请先在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）`,
        `${name} is password-protected: remove the password in Excel first (File → Info → Protect Workbook → Encrypt with Password, clear it)`,
      );
    throw new WorkbookFileError(
      `${name} 不是 .xlsx 工作簿（可能是旧的 .xls 格式）：请在 Excel 中另存为 .xlsx`,
      `${name} is not an .xlsx workbook (perhaps the old .xls format): save it as .xlsx in Excel`,
    );
  }
  let pkg: Package;
  try {
    pkg = Package.fromBytes(data);
  } catch (e) {
    if (e instanceof PackageError) throw unreadable(name, e);
    if (e instanceof ZipFormatError)
      throw new WorkbookFileError(
        `${name} 不是 Excel 工作簿（文件已损坏或不是 .xlsx）`,
        `${name} is not an Excel workbook (damaged, or not .xlsx)`,
      );
    throw e;
  }
  if (pkg.anyEncrypted)
    throw new WorkbookFileError(
      `${name} 受密码保护，请先在 Excel 中取消密码`,
      `${name} is password-protected: remove the password in Excel first`,
    );
  try {
    return new PartRegistry(pkg, name);
  } catch (e) {
    if (e instanceof WorkbookFileError) throw e;
    if (e instanceof PackageError) throw unreadable(name, e);
    if (e instanceof ZipFormatError)
      throw new WorkbookFileError(
        `${name} 已损坏（${e.message}）：请在 Excel 中打开并另存一份`,
        `${name} is damaged (${e.message}): open it in Excel and save a copy`,
      );
    throw new WorkbookFileError(
      `${name} 不是 Excel 工作簿（${(e as Error).message}）`,
      `${name} is not an Excel workbook (${(e as Error).message})`,
    );
  }
}
