/**
 * The Routes table's conditions: the hand-written parser over the Register's headers, with
 * Chinese and English keywords, and errors that say what is wrong at which character.
 */
import { toSerial } from "../../src/core/calendar";
import type { Card } from "../../src/core/model";
import { Condition, ConditionError, holds, isConditionError, parseCondition } from "../../src/core/routes/condition";
import { registerField } from "../../src/workbook/read";

const card = (over: Partial<Card> = {}): Card => ({ cardNo: "202611-001", key: false, type: "客户活动", ...over });

function parse(text: string): Condition {
  const c = parseCondition(text, registerField);
  if (isConditionError(c)) throw new Error(`${text}: ${c.en}`);
  return c;
}
function error(text: string): ConditionError {
  const c = parseCondition(text, registerField);
  if (!isConditionError(c)) throw new Error(`${text} parsed, an error was expected`);
  return c;
}

describe("conditions over the card's own columns", () => {
  const big = parse("人数>300 或 预算>100000 或 重点项目=是");

  test("the big-event condition of seed 003: more than 300 people, more than 100,000 yuan, or a key project", () => {
    expect(holds(big, card({ headcount: 350 }))).toBe(true);
    expect(holds(big, card({ headcount: 300 }))).toBe(false);
    expect(holds(big, card({ headcount: 100, budget: 100001 }))).toBe(true);
    expect(holds(big, card({ headcount: 100, budget: 100000 }))).toBe(false);
    expect(holds(big, card({ headcount: 100, key: true }))).toBe(true);
    // Blank numbers meet no comparison: a card without headcount or budget is not big.
    expect(holds(big, card())).toBe(false);
  });

  test("English keywords and headers, AND binding tighter than OR, parentheses of either width", () => {
    const c = parse("Headcount >= 100 AND Planned = No OR Key = Yes");
    expect(holds(c, card({ headcount: 100, planned: false }))).toBe(true);
    expect(holds(c, card({ headcount: 100, planned: true }))).toBe(false);
    expect(holds(c, card({ headcount: 10, planned: true, key: true }))).toBe(true);
    const p = parse("（人数>=100 或 重点项目=是）且 计划内=否");
    expect(holds(p, card({ headcount: 10, key: true, planned: true }))).toBe(false);
    expect(holds(p, card({ headcount: 10, key: true, planned: false }))).toBe(true);
    // 且 binds tighter than 或: a OR (b AND c).
    const q = parse("重点项目=是 或 人数>100 且 计划内=否");
    expect(holds(q, card({ key: true, planned: true }))).toBe(true);
    expect(holds(q, card({ headcount: 200, planned: true }))).toBe(false);
  });

  test("values as people write them: 10万, 100,000, full-width operators, text, dates by day", () => {
    expect(holds(parse("预算＞10万"), card({ budget: 150000 }))).toBe(true);
    expect(holds(parse("预算>=100,000"), card({ budget: 99999 }))).toBe(false);
    expect(holds(parse("客户=青禾乳业"), card({ client: "青禾乳业" }))).toBe(true);
    expect(holds(parse("客户<>青禾乳业"), card({ client: "青禾乳业" }))).toBe(false);
    expect(holds(parse('Client = "Blue River Co"'), card({ client: "blue river co" }))).toBe(true);
    expect(holds(parse("活动日期=2026-10-08"), card({ eventDate: toSerial(2026, 10, 8, 14, 0) }))).toBe(true);
    expect(holds(parse("活动日期<2026-10-08"), card({ eventDate: toSerial(2026, 10, 8, 14, 0) }))).toBe(false);
    // A blank Yes/No reads as No (the workbook's rule): an event with no 计划内 is unplanned.
    expect(holds(parse("计划内=否"), card())).toBe(true);
  });

  test("a typo is an error that says what and where, in Chinese and English", () => {
    const unknown = error("人数>300 或 预箅>100000");
    expect(unknown.at).toBe(9);
    expect(unknown.zh).toContain("“预箅”不是项目登记的列");
    expect(unknown.en).toContain(`"预箅" is not a column of the Register`);
    expect(error("人数>>300").zh).toContain("应为值");
    expect(error("人数》300").zh).toContain("“人数》300”不是项目登记的列");
    expect(error("人数 或 预算>1").zh).toContain("“人数”之后应为比较符");
    expect(error("人数>三百").en).toContain("Headcount holds numbers");
    expect(error("重点项目>是").en).toContain("only = and <> apply");
    expect(error("计划内=也许").zh).toContain("应为 是 或 否");
    expect(error("(人数>300 或 预算>1").en).toContain("closing parenthesis");
    expect(error("人数>300 或").zh).toContain("应为列名");
    expect(error("人数>300 预算>1").en).toContain(`character 8 is "预算": expected OR, AND or the end`);
    expect(error("计划内=否 预算>1").en).toContain("expected OR, AND or the end");
    expect(error("").en).toBe("the condition is empty");
  });
});
