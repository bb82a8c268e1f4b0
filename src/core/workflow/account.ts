/**
 * Who really acted (issue 18). "I am" in the pane is a choice anyone can make; where Office
 * offers the signed-in account, the add-in records it in every log row it writes (column
 * 账号 / Account, hashed with the row: log.ts `canonical`) and Staff says whose account it is
 * (column 账号 / Account). This module decides, from Staff alone:
 *
 * - whose account an account is (`personOfAccount`): accounts compare trimmed and without case,
 *   as user principal names do;
 * - whether an actor may be chosen with that account (`mayActAs`): the account's own person, or
 *   a person whose backup (Staff 备份人) the account's person is — a backup acting for them;
 * - the refusal of the setting "只允许本人操作 / Only the signed-in person may act"
 *   (`accountPermission`);
 * - the log rows whose account does not belong to their actor (`accountMismatches`), which
 *   `check` and the pane's 问题 list show.
 */
import type { LogEntry, StaffMember } from "../model";
import type { Settings } from "../settings";
import type { Text } from "./words";

const norm = (s: string): string => s.trim().toLowerCase();

/** A value shown in a message: one line, at most 60 characters. */
const shown = (s: string): string => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
};

/** The Staff row whose Account is `account` (active people first), or undefined. */
export function personOfAccount(staff: readonly StaffMember[], account: string | undefined): StaffMember | undefined {
  if (account === undefined || norm(account) === "") return undefined;
  const hits = staff.filter((s) => s.account !== undefined && norm(s.account) === norm(account));
  return hits.find((s) => s.active) ?? hits[0];
}

/** May the person signed in as `account` act as `actor`: it is their own account, or its person is the actor's backup. */
export function mayActAs(staff: readonly StaffMember[], account: string, actor: string): boolean {
  const person = personOfAccount(staff, account);
  if (!person) return false;
  if (person.name === actor) return true;
  return staff.some((s) => s.name === actor && s.backup !== undefined && s.backup.trim() === person.name);
}

/**
 * Why `actor` may not act with `account` signed in, or undefined when they may. Only when the
 * setting "只允许本人操作" is Yes: then an action needs a signed-in account (none available is a
 * refusal: the setting cannot be vouched for), the account must be in Staff, and the actor must
 * be its person or someone that person backs up.
 */
export function accountPermission(
  actor: string,
  account: string | undefined,
  ctx: { staff: readonly StaffMember[]; settings: Pick<Settings, "onlySelf"> },
): Text | undefined {
  if (!ctx.settings.onlySelf) return undefined;
  if (account === undefined || account.trim() === "")
    return {
      zh: "设置“只允许本人操作”为“是”，但这里没有登录的账号（永久版 Office 或本地文件）：无法确认你是谁，未写入",
      en: 'the setting "Only the signed-in person may act" is Yes, but no account is signed in here (perpetual Office or a local file): who you are cannot be confirmed, nothing was written',
    };
  const person = personOfAccount(ctx.staff, account);
  if (!person)
    return {
      zh: `设置“只允许本人操作”为“是”，但登录账号“${shown(account)}”不在人员表的“账号”列中：请先在人员表中填写`,
      en: `the setting "Only the signed-in person may act" is Yes, but the signed-in account "${shown(account)}" is not in the Staff table's Account column: fill it in there first`,
    };
  if (mayActAs(ctx.staff, account, actor)) return undefined;
  return {
    zh: `设置“只允许本人操作”为“是”：登录账号“${shown(account)}”是 ${person.name} 的，不能以“${shown(actor)}”的身份操作（${person.name} 也不是其备份人）`,
    en: `the setting "Only the signed-in person may act" is Yes: the signed-in account "${shown(account)}" is ${person.name}'s, who may not act as "${shown(actor)}" (nor is ${person.name} their backup)`,
  };
}

/** A log row whose account does not belong to its actor. */
export interface AccountMismatch {
  /** Index in the rows given. */
  index: number;
  /** The sheet row (1-based, as Excel shows it). */
  sheetRow: number;
  entry: LogEntry;
  /** The person whose account it is, when Staff says. */
  person?: string;
  zh: string;
  en: string;
}

/**
 * The log rows that carry an account which is not their actor's, nor that of the actor's backup
 * (a backup acting for the person they back up is allowed): someone chose "I am" another person. Rows without an account (written before the column, or where Office offered none)
 * are not listed.
 */
export function accountMismatches(
  rows: readonly { entry: LogEntry; sheetRow: number }[],
  staff: readonly StaffMember[],
): AccountMismatch[] {
  const out: AccountMismatch[] = [];
  rows.forEach(({ entry, sheetRow }, index) => {
    const account = entry.account?.trim() ?? "";
    if (account === "") return;
    const actor = entry.actor?.trim() ?? "";
    if (mayActAs(staff, account, actor)) return;
    const person = personOfAccount(staff, account)?.name;
    const what = [entry.cardNo ?? "", entry.action ?? ""].filter(Boolean).join(" ");
    out.push(
      person
        ? {
            index,
            sheetRow,
            entry,
            person,
            zh: `第 ${sheetRow} 行：操作人是“${shown(actor)}”，但写入时登录的账号“${shown(account)}”是 ${person} 的（${what}）`,
            en: `row ${sheetRow}: the actor is "${shown(actor)}", but the account signed in when it was written, "${shown(account)}", is ${person}'s (${what})`,
          }
        : {
            index,
            sheetRow,
            entry,
            zh: `第 ${sheetRow} 行：操作人是“${shown(actor)}”，但写入时登录的账号“${shown(account)}”不在人员表的“账号”列中（${what}）`,
            en: `row ${sheetRow}: the actor is "${shown(actor)}", but the account signed in when it was written, "${shown(account)}", is not in the Staff table's Account column (${what})`,
          },
    );
  });
  return out;
}
