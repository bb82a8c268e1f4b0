/** What the safe file operations share: their error, the file's identity, and small fs helpers (node only). */
import fs from "fs";
import crypto from "crypto";

/** A refusal or a file problem, in both languages; the command line prints one line and exits 2. */
export class SafeFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly kind:
      | "missing"
      | "folder"
      | "not-regular"
      | "not-xlsx"
      | "unreadable"
      | "busy"
      | "changed"
      | "open-elsewhere"
      | "exists"
      | "read-only"
      | "owner"
      | "io",
  ) {
    super(en);
  }
}

export interface FileIdentity {
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  sha256: string;
}

export interface WorkbookFile {
  /** The path as given (for messages). */
  file: string;
  /** The file actually read and written (symbolic links resolved). */
  realPath: string;
  bytes: Uint8Array;
  identity: FileIdentity;
  stat: fs.Stats;
}

export const sha256 = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

export function ioError(file: string, e: unknown): SafeFileError {
  const m = (e as Error)?.message ?? String(e);
  return new SafeFileError(`无法访问 ${file}：${m}`, `cannot access ${file}: ${m}`, "io");
}

export function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

export function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

export function rmQuiet(p: string) {
  try {
    fs.unlinkSync(p);
  } catch {
    // already gone
  }
}

export const envMs = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not supported here (Windows): the rename itself is atomic
  }
}
