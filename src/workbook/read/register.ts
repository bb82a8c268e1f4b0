/** The Register's rows as cards, and the checks across cards: date order, types, stuck cards, people. */
import { Card, Revision, Role, StaffMember } from "../../core/model";
import { formatSerial } from "../../core/calendar";
import { group } from "../../core/group";
import { BASE_ROLES } from "../../core/routes/roles";
import { knownType } from "../../core/routes/routes";
import { STAGE_WORDS, Stage, countersignUnfinished, rank, stageOf } from "../../core/workflow/stages";
import { cellAddress } from "../port";
import { DateKeyOf, KeyOf, REGISTER, RowOf, TableDef, column } from "../schema";
import { Finding, TableInfo, WorkbookModel } from "./model";
import { TableReader } from "./table-reader";
import { extraCells } from "./extra";

type RegisterDate = DateKeyOf<typeof REGISTER>;

/** Date pairs of a card that must be in order: the second not before the first. */
const ORDER: readonly (readonly [RegisterDate, RegisterDate])[] = [
  ["received", "replied"],
  ["received", "assigned"],
  ["assigned", "brief"],
  ["brief", "countersigned"],
  ["assigned", "due"],
  ["assigned", "framework"],
  ["framework", "draft"],
  ["sent", "closed"],
  ["closed", "archived"],
];

/** A row's parsed cells by its index in the table, as the reader gave them (checkPeople reads the names from them). */
export type ParsedRows<D extends TableDef> = readonly { index: number; record: RowOf<D> }[];

/** Reads the Register's rows into the model's cards; returns every row's parsed cells. */
export function readRegister(info: TableInfo, findings: Finding[], model: WorkbookModel): ParsedRows<typeof REGISTER> {
  const parsed: { index: number; record: RowOf<typeof REGISTER> }[] = [];
  const reader = new TableReader(REGISTER, info, findings);
  const seen = new Map<string, number>();
  const colOf = (key: KeyOf<typeof REGISTER>) => column(REGISTER, key);
  let from = findings.length;
  for (const row of reader.rows()) {
    const cardNo = row.get("cardNo");
    const first = cardNo === undefined ? undefined : seen.get(cardNo);
    let ok = row.ok;
    const bad = [...row.bad];
    if (!cardNo) {
      // No column to read it from (missing or twice), or a row with a formula's value missing: reported already, not again per row.
      if (info.cols.has("cardNo") && !row.uncached)
        reader.report("error", "missing-value", row.index, colOf("cardNo"), null, "卡号为空", "Card No. is empty");
      ok = false;
    } else if (first !== undefined) {
      reader.report(
        "error",
        "duplicate-card",
        row.index,
        colOf("cardNo"),
        cardNo,
        `卡号 ${cardNo} 重复使用`,
        `card number ${cardNo} is used twice`,
      );
      ok = false;
      bad.push("cardNo");
      model.badCardRows.add(first);
    } else {
      seen.set(cardNo, row.index);
      model.cardRows.set(cardNo, row.index);
    }
    const record = row.record();
    parsed.push({ index: row.index, record });
    // The row's record becomes the card (it is this read's own object): no copy of thirty cells per card.
    const card: Card = Object.assign(record, { cardNo: cardNo ?? "", key: row.get("key") ?? false });
    const extra = extraCells(info, row.index);
    if (extra) card.extra = extra;
    // Indexed, not `for (const [a, b] of ORDER)`: destructuring a pair goes through the iterator protocol, per pair of every card.
    for (let k = 0; k < ORDER.length; k++) {
      const a = ORDER[k][0];
      const b = ORDER[k][1];
      const x = card[a];
      const y = card[b];
      if (x !== undefined && y !== undefined && y < x) {
        const ca = colOf(a);
        const cb = colOf(b);
        reader.report(
          "error",
          "date-order",
          row.index,
          cb,
          row.raw(b) ?? null,
          `${cb.zh}（${formatSerial(y)}）早于${ca.zh}（${formatSerial(x)}）`,
          `${cb.en} (${formatSerial(y)}) is before ${ca.en} (${formatSerial(x)})`,
        );
        ok = false;
        bad.push(b);
      }
    }
    if (ok) model.cards.push(card);
    else {
      model.badCardRows.add(row.index);
      // The generator's rows are read (and their findings made) before this row's: those after `from` are this row's.
      const own = findings.slice(from).filter((f) => f.severity === "error");
      if (row.uncached) {
        // A formula without its value was reported by `locate`, before the rows were read.
        const t = info.raw;
        const cells = new Set(bad.map((k) => cellAddress(t.sheet, t.top + 1 + row.index, t.left + (info.cols.get(k) ?? 0))));
        own.unshift(
          ...findings.filter(
            (f) => f.code === "uncached-formula" && f.table === REGISTER.name && f.cell !== undefined && cells.has(f.cell),
          ),
        );
        const sheetRow = String(t.top + 2 + row.index);
        own.unshift(
          ...findings.filter(
            (f) =>
              f.code === "unreadable-cell" && f.table === REGISTER.name && f.cell !== undefined && /\d+$/.exec(f.cell)?.[0] === sheetRow,
          ),
        );
      }
      model.partialCards.push({ row: row.index, card, bad: [...new Set(bad)], findings: own });
    }
    from = findings.length;
  }
  return parsed;
}

/** A Staff role as read: one of the six in `role`, any other word (a route's role) in `customRole`. */
export function splitRole(role: string | undefined): Pick<StaffMember, "role" | "customRole"> {
  const base = BASE_ROLES.find((b): b is Role => b === role);
  return { role: base, customRole: role !== undefined && !base ? role : undefined };
}

/** A card whose Type the Routes table does not name: a warning with its cell (no route and no deadline applies to it). */
export function checkTypes(info: TableInfo, model: WorkbookModel, findings: Finding[]): void {
  if (!info.cols.has("type")) return;
  const reader = new TableReader(REGISTER, info, findings);
  const col = column(REGISTER, "type");
  const types = [...new Set(model.routes.map((r) => r.type))];
  for (const card of model.cards) {
    if (card.type === undefined || knownType(card, model.routes)) continue;
    const row = model.cardRows.get(card.cardNo);
    if (row === undefined) continue;
    reader.report(
      "warning",
      "unknown-type",
      row,
      col,
      card.type,
      `类型“${card.type}”不在审批路线表中（已有：${types.join("、")}）：这张卡没有审批路线，也没有时限`,
      `Type "${card.type}" is not in the Routes table (it has: ${types.join(", ")}): this card has no route and no deadlines`,
    );
  }
}

/**
 * Cards typed into a state no step of the add-in can make, where nobody can move them on
 * (问题): past the countersign with the countersign unfinished, or past the order without a
 * lead. Warnings: the card is still read and counted.
 */
export function stuckReason(
  card: Card,
  revisions: readonly Revision[],
  stage: Stage = stageOf(card, revisions),
): "countersign" | "lead" | undefined {
  if (countersignUnfinished(card, stage)) return "countersign";
  if (!card.lead && rank(stage) > rank("order") && rank(stage) < rank("closed")) return "lead";
  return undefined;
}

export function checkStuck(info: TableInfo, model: WorkbookModel, findings: Finding[]): void {
  const reader = new TableReader(REGISTER, info, findings);
  const col = (key: KeyOf<typeof REGISTER>) => column(REGISTER, key);
  // The revisions by card, made when first needed: a card's stage reads its own revisions, not the whole table's.
  let revisionsOf: Map<string, Revision[]> | undefined;
  for (const card of model.cards) {
    // Only a card with an unfinished countersign or without a lead can be stuck: the others cost one look.
    if (!(card.brief !== undefined && card.countersigned === undefined) && card.lead) continue;
    const row = model.cardRows.get(card.cardNo);
    if (row === undefined) continue;
    const revisions = (revisionsOf ??= group(model.revisions, (r) => r.cardNo)).get(card.cardNo) ?? [];
    const stage = stageOf(card, revisions);
    const why = stuckReason(card, revisions, stage);
    if (why === "countersign")
      reader.report(
        "warning",
        "stuck-card",
        row,
        col("countersigned"),
        null,
        `卡 ${card.cardNo} 已到“${STAGE_WORDS[stage].zh}”阶段，但会签未完成（${col("countersigned").zh}为空）：请待签的人会签，或由秘书转交会签`,
        `card ${card.cardNo} is at "${STAGE_WORDS[stage].en}" but its countersign is not finished (${col("countersigned").en} is empty): the pending signer signs, or the secretary hands the signature over`,
      );
    else if (why === "lead")
      reader.report(
        "warning",
        "stuck-card",
        row,
        col("lead"),
        null,
        `卡 ${card.cardNo} 已到“${STAGE_WORDS[stage].zh}”阶段，但没有项目负责人：请填写项目负责人`,
        `card ${card.cardNo} is at "${STAGE_WORDS[stage].en}" but has no lead: fill in the lead`,
      );
  }
}

/** Names in `keys`' cells that the Staff table does not have: warnings (only when it has people). */
export function checkPeople<D extends TableDef>(
  info: TableInfo | undefined,
  def: D,
  keys: readonly KeyOf<D>[],
  staff: Set<string>,
  findings: Finding[],
  /** The table's rows as already parsed (readRegister's), else these columns are parsed again. */
  parsed?: ParsedRows<D>,
): void {
  if (!info || staff.size === 0) return;
  const reader = new TableReader(def, info, findings);
  const check = (index: number, key: KeyOf<D>, name: unknown) => {
    if (typeof name !== "string" || !name || staff.has(name)) return;
    const col = column(def, key);
    reader.report(
      "warning",
      "unknown-person",
      index,
      col,
      name,
      `${col.zh}“${name}”不在人员表中`,
      `${col.en}: "${name}" is not in the Staff table`,
    );
  };
  if (parsed)
    for (let r = 0; r < parsed.length; r++) {
      const { index, record } = parsed[r];
      for (let k = 0; k < keys.length; k++) check(index, keys[k], record[keys[k]]);
    }
  // These columns' values only (problems were reported already): the rest of each row is not parsed again.
  else for (const { index, key, value } of reader.cellsOf(keys)) check(index, key, value);
}
