/**
 * What the file engine accepts, in one place. A file beyond any of these is refused with one
 * line naming its part (PackageError), or, for one cell, reported as a finding: never a crash,
 * a hang or a quiet guess. Each value is Excel's own where Excel has one, else a bound well
 * above any real planning workbook and well below what breaks a 1 GB process.
 */

/** Excel's last row (1,048,576) and column (XFD = 16,384). */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;
/** Excel's most characters in one cell. */
export const MAX_CELL_CHARS = 32_767;
/**
 * Characters in a sheet, table or defined name. Excel's are 31 (sheets) and 255 (tables,
 * names); other programs write longer sheet names, so 255 for all.
 */
export const MAX_NAME_CHARS = 255;
/**
 * Cells a table may span (rows × columns), read into memory at once. 20 million is 50,000
 * cards × 400 columns; the largest workbook of the benchmark has 200,000 log rows × 10.
 */
export const MAX_TABLE_CELLS = 20_000_000;
/** Zip entries in a package (a workbook has dozens; Excel's largest have thousands). */
export const MAX_ENTRIES = 1_000_000;
/**
 * Bytes one part may inflate to: the size its entry declares, and never more than this.
 * A part becomes a JavaScript string (at most 2^29 characters), so 400 MB leaves headroom;
 * the 200,000-row log of the benchmark is about 60 MB.
 */
export const MAX_PART_BYTES = 400 * 1024 * 1024;
/**
 * Items in the shared string table. The benchmark's 50,000 cards and 200,000 log rows (a unique
 * hash each) need well under a million; two million keeps the scan of a hostile table to a
 * second or two and its memory to a few hundred MB.
 */
export const MAX_SHARED_STRINGS = 2_000_000;
/** Elements of the same name nested in one another (real parts nest a handful). */
export const MAX_NESTING = 1_000;

/**
 * A package the engine will not read: damaged, or hostile (too large, too deep, malformed).
 * Carries the sentence in Chinese and English and the part it is about.
 */
export class PackageError extends Error {
  constructor(
    readonly part: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${part}: ${en}`);
  }
}

/** Malformed XML found by a scanner that does not know which part it reads (xml.ts). */
export class XmlError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** Runs `f` on part `part`: malformed XML becomes a PackageError naming the part. */
export function inPart<T>(part: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof XmlError) throw new PackageError(part, e.zh, e.en);
    throw e;
  }
}

export const fmt = (n: number): string => n.toLocaleString("en-US");
