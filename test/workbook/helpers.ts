/** Builders for test workbooks: Register rows as a secretary would type them. */
import { CellValue } from "../../src/workbook/port";
import { REGISTER, COUNTERSIGN_LOG } from "../../src/workbook/schema";
import { toSerial } from "../../src/core/calendar";

export type Lang = "zh" | "en";

/** A Register row in table column order from a partial record keyed like the schema. */
export function registerRow(values: Record<string, CellValue>): CellValue[] {
  return REGISTER.columns.map((c) => values[c.key] ?? null);
}

export function sampleCards(n: number): CellValue[][] {
  const rows: CellValue[][] = [];
  for (let i = 0; i < n; i++) {
    const received = toSerial(2026, 9, 1 + (i % 28), 9 + (i % 8), 0);
    rows.push(
      registerRow({
        cardNo: `202609-${String(i + 1).padStart(5, "0")}`,
        project: `Project ${i + 1}`,
        client: "Client",
        key: i % 10 === 0 ? "Yes" : "No",
        intake: "AE",
        initiator: "Li AE",
        ae: "Li AE",
        lead: "Wang Planner",
        received,
        replied: received + 0.1,
        assigned: received + 0.2,
        stage: "writing",
      }),
    );
  }
  return rows;
}

export function sampleLog(n: number): CellValue[][] {
  return Array.from({ length: n }, (_, i) =>
    COUNTERSIGN_LOG.columns.map((c) =>
      c.key === "time"
        ? toSerial(2026, 9, 1) + i / 1000
        : c.key === "cardNo"
          ? `202609-${String((i % 1000) + 1).padStart(5, "0")}`
          : c.key === "hash"
            ? `h${i}`
            : c.key,
    ),
  );
}
