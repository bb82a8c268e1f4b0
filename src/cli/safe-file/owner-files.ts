/** Owner files of Excel (`~$name`) and LibreOffice (`.~lock.name#`): who has a workbook open elsewhere (node only). */
import fs from "fs";
import path from "path";
import { SafeFileError } from "./common";

/** Someone who has the workbook open in another program, from its owner (lock) file. */
export interface OpenElsewhere {
  app: "excel" | "libreoffice";
  /** The person named in the owner file; null when it names nobody readable. */
  name: string | null;
  host?: string;
  ownerFile: string;
}

const printable = (s: string) => s.length > 0 && !/[\u0000-\u001f\u007f-\u009f\ufffd]/.test(s);

/**
 * The user name in an MS Office owner file (`~$book.xlsx`). Layout (as LibreOffice reads and
 * writes it, svl/source/misc/msodocumentlockfile.cxx): byte 0 the name's length, then the name in
 * the Windows ANSI code page, padded (with 0x20 for Excel, zeros for Word) up to a 2-byte length
 * at offset 55 (Excel, PowerPoint) or 54 (Word), followed by the name in UTF-16LE; 165 bytes
 * (Excel) or 162 (Word) in all. The UTF-16 name is preferred, the ANSI one is the fallback; null
 * when nothing readable is there.
 */
export function parseOwnerFile(bytes: Uint8Array): string | null {
  if (bytes.length < 3) return null;
  const u16At = (at: number): string | null => {
    if (at + 2 > bytes.length) return null;
    const n = bytes[at] | (bytes[at + 1] << 8);
    if (n < 1 || n > 52 || at + 2 + 2 * n > bytes.length) return null;
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[at + 2 + 2 * i] | (bytes[at + 3 + 2 * i] << 8));
    s = s.trim();
    return printable(s) ? s : null;
  };
  const acpLen = bytes[0];
  if (acpLen >= 1 && acpLen <= 52) {
    // Excel and PowerPoint put the length at 55, Word at 54; a Word file has zeros just before it.
    const excelFirst = bytes.length >= 56 && (bytes[53] !== 0 || bytes[52] !== 0);
    for (const at of excelFirst ? [55, 54] : [54, 55]) {
      const s = u16At(at);
      if (s) return s;
    }
  }
  // Fallback: the ANSI name (its code page is not in the file: UTF-8 if valid, else GBK, else Latin-1).
  if (acpLen < 1 || acpLen > 52) return null;
  const raw = bytes.subarray(1, Math.min(bytes.length, 54));
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === 0x20 || raw[end - 1] === 0)) end--;
  if (end === 0) return null;
  for (const enc of ["utf-8", "gbk", "latin1"]) {
    try {
      const s = new TextDecoder(enc, { fatal: true }).decode(raw.subarray(0, end)).trim();
      if (printable(s)) return s;
    } catch {
      // next encoding
    }
  }
  return null;
}

/** LibreOffice's lock file: `name,system user,host,date,config URL;` (UTF-8, `\` escapes `,;\`). */
export function parseLibreOfficeLock(bytes: Uint8Array): { name: string | null; host?: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { name: null };
  }
  const fields: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) cur += text[++i];
    else if (ch === ",") {
      fields.push(cur);
      cur = "";
    } else if (ch === ";") break;
    else cur += ch;
  }
  fields.push(cur);
  const clean = (s: string | undefined) => (s !== undefined && printable(s.trim()) ? s.trim() : null);
  return { name: clean(fields[0]) ?? clean(fields[1]), host: clean(fields[2]) ?? undefined };
}

/** The owner files that would say `file` is open in Excel or LibreOffice, beside the path given and beside its real target. */
export function ownerFileCandidates(file: string): { app: OpenElsewhere["app"]; path: string }[] {
  const places = new Set<string>([path.resolve(file)]);
  try {
    places.add(fs.realpathSync(file));
  } catch {
    // not there (yet)
  }
  const out: { app: OpenElsewhere["app"]; path: string }[] = [];
  for (const p of places) {
    const dir = path.dirname(p);
    const name = path.basename(p);
    out.push({ app: "excel", path: path.join(dir, "~$" + name) });
    if (name.length > 2) out.push({ app: "excel", path: path.join(dir, "~$" + name.slice(2)) });
    out.push({ app: "libreoffice", path: path.join(dir, `.~lock.${name}#`) });
  }
  return out;
}

/** Who has `file` open in Excel or LibreOffice, from an owner file beside it; null when nobody. Never throws. */
export function ownerOf(file: string): OpenElsewhere | null {
  for (const c of ownerFileCandidates(file)) {
    let bytes: Buffer;
    try {
      const st = fs.statSync(c.path);
      if (!st.isFile()) continue;
      const fd = fs.openSync(c.path, "r");
      try {
        const buf = Buffer.alloc(Math.min(st.size, 4096));
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        bytes = buf.subarray(0, n);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      continue;
    }
    try {
      if (c.app === "excel") return { app: "excel", name: parseOwnerFile(bytes), ownerFile: c.path };
      const lo = parseLibreOfficeLock(bytes);
      return { app: "libreoffice", name: lo.name, host: lo.host, ownerFile: c.path };
    } catch {
      return { app: c.app, name: null, ownerFile: c.path };
    }
  }
  return null;
}

/** What the pane offers instead of a command, for the refusal message. */
export interface PaneHint {
  zh: string;
  en: string;
}

/** The refusal for a workbook open in another program. */
export function openElsewhereError(who: OpenElsewhere, hint?: PaneHint): SafeFileError {
  const zhName = who.name ?? "有人";
  const enName = who.name ?? "someone";
  const owner = path.basename(who.ownerFile);
  if (who.app === "excel") {
    return new SafeFileError(
      `${zhName} 正在 Excel 中编辑此工作簿，文件未改动：${hint ? `请${hint.zh}` : "请等其关闭后再运行"}（若无人打开，删除 ${owner} 后重试）`,
      `${enName} has this workbook open in Excel; the file was left as it was: ${hint ? `${hint.en} instead` : "run again once it is closed"} (if nobody has it open, delete ${owner} and run again)`,
      "open-elsewhere",
    );
  }
  const host = who.host ? `（${who.host}）` : "";
  return new SafeFileError(
    `${zhName}${host} 正在 LibreOffice 中编辑此工作簿，文件未改动：请等其关闭后再运行（若无人打开，删除 ${owner} 后重试）`,
    `${enName}${who.host ? ` (${who.host})` : ""} has this workbook open in LibreOffice; the file was left as it was: run again once it is closed (if nobody has it open, delete ${owner} and run again)`,
    "open-elsewhere",
  );
}
