/** A big Register for the workbench's first-render figure: `n` cards across every stage, appended to the demo. */
import { toSerial } from "../core/calendar";
import { STAGES } from "../core/workflow/stages";
import { rowFor } from "../workbook/cells";
import { ChangeSet, emptyChangeSet } from "../workbook/port";
import { COUNTERSIGN_LOG, REGISTER } from "../workbook/schema";

export function bigRegister(n: number): ChangeSet {
  const planners = ["刘洋", "周婷", "吴昊", "孙悦"];
  const rows = Array.from({ length: n }, (_, i) => {
    const received = toSerial(2026, 10, 8 + (i % 20), 9 + (i % 8), 0);
    const stage = STAGES[i % 6];
    const at = (k: number) => (STAGES.indexOf(stage) >= k ? received + 0.1 * (k + 1) : undefined);
    return rowFor(
      REGISTER,
      {
        cardNo: `BIG-${String(i + 1).padStart(5, "0")}`,
        project: `批量项目 ${i + 1}`,
        client: "华联超市",
        key: i % 7 === 0,
        intake: "AE",
        initiator: i % 2 ? "张伟" : "李娜",
        ae: i % 2 ? "张伟" : "李娜",
        lead: planners[i % 4],
        received,
        replied: received + 0.05,
        assigned: received + 0.06,
        brief: at(1),
        countersigned: at(2),
        due: received + 10,
        framework: at(3),
        draft: at(4),
        stage,
      },
      "zh",
    );
  });
  const changes = emptyChangeSet();
  changes.appends.push({
    table: "Register",
    rows,
    dateCols: REGISTER.columns.flatMap((c, i) => (c.type === "date" ? [i] : [])),
    textCols: [0],
  });
  return changes;
}

/**
 * Countersign Log rows of a real log's shape, for the bench and the tests of big logs: a card of
 * `bigRegister`, an action, a person, a role, a note, a 64-hex-digit hash (not a valid chain).
 */
export function bigLog(n: number, cards: number): (string | number)[][] {
  return Array.from({ length: n }, (_, i) =>
    COUNTERSIGN_LOG.columns.map((c) => {
      switch (c.key) {
        case "time":
          return toSerial(2026, 10, 8) + i / 10_000;
        case "cardNo":
          return `BIG-${String((i % cards) + 1).padStart(5, "0")}`;
        case "action":
          return "会签";
        case "actor":
          return "周婷";
        case "role":
          return "策划";
        case "note":
          return i % 5 ? "" : "已确认";
        default:
          return (i * 2654435761).toString(16).padStart(64, "0").slice(-64);
      }
    }),
  );
}
