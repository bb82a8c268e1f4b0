/**
 * Formulas as a file stores them. Excel shows `=PLAN.DUE([@需求接收],0.5)`; its file holds
 * `_xldudf_PLAN_DUE(Register[[#This Row],[需求接收]],0.5)`:
 * - no leading `=`;
 * - a structured reference to the same row is written in full, `Table[[#This Row],[Column]]`
 *   (ECMA-376 Part 1, 18.17.6.3; the `@` form is only how Excel displays it);
 * - an Office add-in's JavaScript custom function is saved as `_xldudf_` + its namespace and
 *   name with the dot as an underscore. Excel maps it back to the add-in's function when the
 *   add-in registers its functions ("For Javascript Custom Functions, we by default save out with
 *   a different prefix _xldudf", OfficeDev/Excel-Custom-Functions#108; the prefix stays visible
 *   until the add-in is loaded, OfficeDev/office-js#3558).
 * Text inside string literals is left alone.
 */
export function toFileFormula(formula: string, table: string, namespaces: readonly string[] = ["PLAN"]): string {
  const body = formula.replace(/^\s*=/, "");
  return body
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => {
      if (i % 2) return part; // a string literal
      let out = part.replace(/\[@\[((?:[^\]']|'.)*)\]\]|\[@((?:[^\]'[]|'.)*)\]/g, (_, a: string | undefined, b: string | undefined) => `${table}[[#This Row],[${a ?? b}]]`);
      for (const ns of namespaces) out = out.replace(new RegExp(`(^|[^\\w.])${ns}\\.([A-Za-z_][\\w]*)\\s*\\(`, "g"), (_, pre: string, name: string) => `${pre}_xldudf_${ns}_${name.toUpperCase()}(`);
      return out;
    })
    .join("");
}
