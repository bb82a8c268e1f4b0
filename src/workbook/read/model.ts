/** What reading a workbook gives: the model, and the findings with their cells. */
import { CalendarEntry, Card, Incident, LogEntry, PenaltyRow, Revision, StaffMember } from "../../core/model";
import { DeadlineDef } from "../../core/rules/deadlines";
import { RuleDef } from "../../core/rules/penalties";
import { StandardDef } from "../../core/rules/standards";
import { RouteStep } from "../../core/routes/routes";
import { Settings } from "../../core/settings";
import { CellValue, RawTable } from "../port";

export type Severity = "error" | "warning";

export interface Finding {
  severity: Severity;
  code:
    | "missing-table"
    | "missing-column"
    | "duplicate-column"
    | "bad-date"
    | "date-out-of-range"
    | "uncached-formula"
    | "unreadable-cell"
    | "bad-yesno"
    | "bad-number"
    | "bad-choice"
    | "duplicate-card"
    | "unknown-person"
    | "date-order"
    | "missing-value"
    | "bad-setting"
    | "calendar-coverage"
    | "log-break"
    | "bad-condition"
    | "unknown-type"
    | "stuck-card"
    | "account-mismatch";
  table: string;
  /** The schema key of the column the finding is about, where it is about one (`missing-column`). */
  column?: string;
  sheet?: string;
  /** `Sheet!M26`. */
  cell?: string;
  /** Every cell the finding is about, when there are several (a duplicate column's headers); `cell` is the first. */
  cells?: string[];
  value?: CellValue;
  zh: string;
  en: string;
}

/** Where a table was found, its columns, and the header language it uses. */
export interface TableInfo {
  raw: RawTable;
  cols: Map<string, number>;
  lang: "zh" | "en";
}

export interface WorkbookModel {
  cards: Card[];
  revisions: Revision[];
  incidents: Incident[];
  staff: StaffMember[];
  calendar: CalendarEntry[];
  log: LogEntry[];
  penalties: PenaltyRow[];
  rules: RuleDef[];
  deadlines: DeadlineDef[];
  standards: StandardDef[];
  settings: Settings;
  /** The Routes table's steps (the defaults when there is none): card types and their sign-offs. */
  routes: RouteStep[];
  /** Tables found, by name. */
  tables: Map<string, TableInfo>;
  /** Register row (index in the data body) of each card number, good rows and bad. */
  cardRows: Map<string, number>;
  /** Register rows left out because of an error finding. */
  badCardRows: Set<number>;
  /**
   * A best-effort card for each Register row left out (not for computations: `cards` is what
   * they get): the cells that did parse, which columns did not, and the row's findings. The
   * pane shows such a card, flagged with the cells to fix, instead of hiding it.
   */
  partialCards: PartialCard[];
}

/** A Register row with an error, as far as it could be read. */
export interface PartialCard {
  /** Index of the row in the table's data body. */
  row: number;
  /** The cells that parsed (`cardNo` is "" when the card number itself is missing). */
  card: Card;
  /** Keys of the columns whose cell is wrong (could not be read, or out of order with another date). */
  bad: string[];
  /** The error findings of this row. */
  findings: Finding[];
}

export interface ReadResult {
  model: WorkbookModel;
  findings: Finding[];
}
