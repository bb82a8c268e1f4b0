/**
 * A route step's condition (Routes → Condition / 条件) over the card's own columns:
 *
 *     人数>300 或 预算>100000 或 重点项目=是
 *     (Headcount >= 300 AND Planned = No) OR Key = Yes
 *
 * Comparisons (`=`, `<>`, `>`, `>=`, `<`, `<=`; `!=` and `≠` read as `<>`, full-width `＝＞＜` too)
 * joined by `OR`/`或` and `AND`/`且` (AND binds tighter), with parentheses (either width). A
 * field is a Register header in either language, or a column the center added (渠道); a value is a number (`10万` = 100000), Yes/No
 * (是/否), a date, or text (quoted when it holds spaces or operators).
 *
 * Why hand-written and not a library: the language is five tokens and two precedence levels, it
 * must take Chinese keywords and full-width punctuation, resolve fields against the workbook's
 * headers and type-check each value against its column, and every error must say, in Chinese and
 * English, what was expected at which character. An expression library (or `eval`) would accept
 * far more than the center can read back, and would have to be wrapped to do all of this anyway;
 * a recursive-descent parser of ~150 lines is easier to trust.
 */
import { parseDateTextAnyYear } from "../calendar";
import type { Card } from "../model";

export type FieldType = "number" | "bool" | "date" | "text";

/** A column the condition may name: its key on the card, its type, and its headers. */
export interface FieldSpec {
  key: string;
  type: FieldType;
  zh: string;
  en: string;
  /** A column the center added to the Register: `key` is its header, its value is in the card's `extra`. */
  extra?: boolean;
}

export type Op = "=" | "<>" | ">" | ">=" | "<" | "<=";

export type Condition =
  | { kind: "or"; parts: Condition[] }
  | { kind: "and"; parts: Condition[] }
  | { kind: "cmp"; field: FieldSpec; op: Op; value: number | boolean | string };

/** A condition that cannot be read: what is wrong, in both languages, and where (0-based character). */
export interface ConditionError {
  at: number;
  zh: string;
  en: string;
}

type Token =
  { t: "(" | ")" | "or" | "and"; at: number } | { t: "op"; op: Op; at: number } | { t: "word"; text: string; quoted: boolean; at: number };

const OPEN = "(（";
const CLOSE = ")）";
const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’", "「": "」" };
const OPS: [string, Op][] = [
  [">=", ">="],
  ["<=", "<="],
  ["<>", "<>"],
  ["!=", "<>"],
  ["＞＝", ">="],
  ["＜＝", "<="],
  ["＜＞", "<>"],
  ["≥", ">="],
  ["≤", "<="],
  ["≠", "<>"],
  ["=", "="],
  ["＝", "="],
  [">", ">"],
  ["＞", ">"],
  ["<", "<"],
  ["＜", "<"],
];
const isSpace = (ch: string): boolean => /[\s\u3000]/.test(ch);
const isSpecial = (ch: string): boolean =>
  isSpace(ch) || OPEN.includes(ch) || CLOSE.includes(ch) || ch === "或" || ch === "且" || /[=<>!＝＜＞≥≤≠]/.test(ch);

function tokenize(src: string): Token[] | ConditionError {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (OPEN.includes(ch)) out.push({ t: "(", at: i++ });
    else if (CLOSE.includes(ch)) out.push({ t: ")", at: i++ });
    else if (ch === "或") out.push({ t: "or", at: i++ });
    else if (ch === "且") out.push({ t: "and", at: i++ });
    else if (QUOTES[ch]) {
      const end = src.indexOf(QUOTES[ch], i + 1);
      if (end < 0) return { at: i, zh: `第 ${i + 1} 个字符起的引号没有结束`, en: `the quote at character ${i + 1} is not closed` };
      out.push({ t: "word", text: src.slice(i + 1, end), quoted: true, at: i });
      i = end + 1;
    } else {
      const op = OPS.find(([s]) => src.startsWith(s, i));
      if (op) {
        out.push({ t: "op", op: op[1], at: i });
        i += op[0].length;
        continue;
      }
      let j = i;
      while (j < src.length && !isSpecial(src[j])) j++;
      if (j === i) return { at: i, zh: `第 ${i + 1} 个字符“${ch}”无法识别`, en: `character ${i + 1} ("${ch}") is not understood` };
      const text = src.slice(i, j);
      if (/^or$/i.test(text)) out.push({ t: "or", at: i });
      else if (/^and$/i.test(text)) out.push({ t: "and", at: i });
      else out.push({ t: "word", text, quoted: false, at: i });
      i = j;
    }
  }
  return out;
}

const YES = ["是", "yes", "y", "true"];
const NO = ["否", "no", "n", "false"];

/** A number as a person writes it: `100000`, `100,000`, `10万`, `1.5万`. */
function parseNumber(text: string): number | undefined {
  const m = /^([+-]?\d+(?:\.\d+)?)(万)?$/.exec(text.replace(/[,，]/g, ""));
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? 10000 : 1);
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
    private readonly field: (name: string) => FieldSpec | undefined,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private fail(at: number, zh: string, en: string): never {
    throw new ConditionSyntax({ at, zh, en });
  }
  private where(t: Token | undefined): { at: number; zh: string; en: string } {
    if (!t) return { at: this.src.length, zh: "条件在此处结束", en: "the condition ends there" };
    const shown = t.t === "word" ? t.text : t.t === "op" ? t.op : t.t === "or" ? "或/OR" : t.t === "and" ? "且/AND" : t.t;
    return { at: t.at, zh: `第 ${t.at + 1} 个字符处是“${shown}”`, en: `character ${t.at + 1} is "${shown}"` };
  }

  parse(): Condition {
    const c = this.or();
    const rest = this.peek();
    if (rest) {
      const w = this.where(rest);
      this.fail(w.at, `${w.zh}：此处应为 或/且 或条件结束`, `${w.en}: expected OR, AND or the end`);
    }
    return c;
  }

  private or(): Condition {
    const parts = [this.and()];
    while (this.peek()?.t === "or") {
      this.i++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : { kind: "or", parts };
  }

  private and(): Condition {
    const parts = [this.atom()];
    while (this.peek()?.t === "and") {
      this.i++;
      parts.push(this.atom());
    }
    return parts.length === 1 ? parts[0] : { kind: "and", parts };
  }

  private atom(): Condition {
    const t = this.peek();
    if (t?.t === "(") {
      this.i++;
      const c = this.or();
      const close = this.peek();
      if (close?.t !== ")") {
        const w = this.where(close);
        this.fail(w.at, `${w.zh}：缺少右括号`, `${w.en}: a closing parenthesis is missing`);
      }
      this.i++;
      return c;
    }
    return this.comparison();
  }

  /** Consecutive words, joined by one space (headers such as "Event Date", a date and its time); only the first when `single`. */
  private words(single = false): { text: string; at: number; quoted: boolean } | undefined {
    const first = this.peek();
    if (first?.t !== "word") return undefined;
    const parts: string[] = [];
    let quoted = false;
    for (let t = this.peek(); t?.t === "word" && !(single && parts.length); t = this.peek()) {
      parts.push(t.text);
      quoted ||= t.quoted;
      this.i++;
    }
    return { text: parts.join(" "), at: first.at, quoted };
  }

  private comparison(): Condition {
    const name = this.words();
    if (!name) {
      const w = this.where(this.peek());
      this.fail(
        w.at,
        `${w.zh}：此处应为列名（如 人数、预算、重点项目）`,
        `${w.en}: expected a column name (such as Headcount, Budget, Key)`,
      );
    }
    const field = this.field(name.text);
    if (!field) this.fail(name.at, `“${name.text}”不是项目登记的列`, `"${name.text}" is not a column of the Register`);
    const opTok = this.peek();
    if (opTok?.t !== "op") {
      const w = this.where(opTok);
      this.fail(
        w.at,
        `${w.zh}：“${name.text}”之后应为比较符（= <> > >= < <=）`,
        `${w.en}: expected a comparison (= <> > >= < <=) after "${name.text}"`,
      );
    }
    this.i++;
    const op = opTok.op;
    // A number or a Yes/No is one word: what follows it must be OR, AND or the end.
    const v = this.words(field.type === "number" || field.type === "bool");
    if (!v) {
      const w = this.where(this.peek());
      this.fail(w.at, `${w.zh}：“${name.text}${op}”之后应为值`, `${w.en}: expected a value after "${name.text} ${op}"`);
    }
    const label = { zh: field.zh, en: field.en };
    const ordered = op !== "=" && op !== "<>";
    switch (field.type) {
      case "number": {
        const n = parseNumber(v.text);
        if (n === undefined)
          this.fail(v.at, `${label.zh}是数字列，“${v.text}”不是数字`, `${label.en} holds numbers; "${v.text}" is not a number`);
        return { kind: "cmp", field, op, value: n };
      }
      case "date": {
        const d = parseDateTextAnyYear(v.text);
        if (d === undefined)
          this.fail(v.at, `${label.zh}是日期列，“${v.text}”不是日期`, `${label.en} holds dates; "${v.text}" is not a date`);
        return { kind: "cmp", field, op, value: d };
      }
      case "bool": {
        const t = v.text.trim().toLowerCase();
        const b = YES.includes(t) ? true : NO.includes(t) ? false : undefined;
        if (b === undefined)
          this.fail(v.at, `${label.zh}是 是/否 列，“${v.text}”应为 是 或 否`, `${label.en} is Yes/No; "${v.text}" is neither`);
        if (ordered) this.fail(opTok.at, `${label.zh}是 是/否 列，只能用 = 或 <>`, `${label.en} is Yes/No: only = and <> apply`);
        return { kind: "cmp", field, op, value: b };
      }
      case "text":
        if (ordered) this.fail(opTok.at, `${label.zh}是文字列，只能用 = 或 <>`, `${label.en} holds text: only = and <> apply`);
        return { kind: "cmp", field, op, value: v.text.trim() };
    }
  }
}

class ConditionSyntax extends Error {
  constructor(readonly detail: ConditionError) {
    super(detail.en);
  }
}

/**
 * Parses a condition; `field` resolves a header (either language) to the column it names.
 * Gives the condition, or what is wrong and where.
 */
export function parseCondition(text: string, field: (name: string) => FieldSpec | undefined): Condition | ConditionError {
  const src = text.trim();
  if (!src) return { at: 0, zh: "条件为空", en: "the condition is empty" };
  const tokens = tokenize(src);
  if (!Array.isArray(tokens)) return tokens;
  try {
    return new Parser(tokens, src, field).parse();
  } catch (e) {
    if (e instanceof ConditionSyntax) return e.detail;
    throw e;
  }
}

export const isConditionError = (c: Condition | ConditionError): c is ConditionError => "at" in c && !("kind" in c);

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "<>":
      return a !== b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
  }
}

/**
 * Does the card meet the condition? A blank number or date meets no comparison but `<>`; a blank
 * Yes/No reads as No (the workbook's rule for Yes/No cells); text is compared ignoring case and
 * surrounding spaces, a blank cell being "".
 */
export function holds(cond: Condition, card: Card): boolean {
  switch (cond.kind) {
    case "or":
      return cond.parts.some((p) => holds(p, card));
    case "and":
      return cond.parts.every((p) => holds(p, card));
    case "cmp": {
      const v: unknown = cond.field.extra ? card.extra?.[cond.field.key] : Reflect.get(card, cond.field.key);
      switch (cond.field.type) {
        case "bool": {
          const b = v === true;
          return cond.op === "=" ? b === cond.value : b !== cond.value;
        }
        case "text": {
          const s = (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v)).trim().toLowerCase();
          const want = String(cond.value).toLowerCase();
          return cond.op === "=" ? s === want : s !== want;
        }
        case "date":
          // Dates compare by day: 活动日期=2026-10-08 holds for an event at 10:00 that day.
          if (typeof v !== "number" || typeof cond.value !== "number") return cond.op === "<>";
          return compare(Math.floor(v + 1e-9), cond.op, Math.floor(cond.value + 1e-9));
        case "number":
          if (typeof v !== "number" || typeof cond.value !== "number") return cond.op === "<>";
          return compare(v, cond.op, cond.value);
      }
    }
  }
}
