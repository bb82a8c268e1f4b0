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
  // One pass that knows both quotings: a string literal ("…", "" inside) and a bracketed group
  // ([…], nested, `'` escaping the next character), so that a quote inside a column name never
  // opens a string and a bracket inside a string never opens a reference (issue 20).
  let out = "";
  let plain = "";
  const flush = () => {
    let p = plain;
    for (const ns of namespaces)
      p = p.replace(
        new RegExp(`(^|[^\\w.])${ns}\\.([A-Za-z_][\\w]*)\\s*\\(`, "g"),
        (_, pre: string, name: string) => `${pre}_xldudf_${ns}_${name.toUpperCase()}(`,
      );
    out += p;
    plain = "";
  };
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === '"') {
      flush();
      let j = i + 1;
      for (; j < body.length; j++) {
        if (body[j] !== '"') continue;
        if (body[j + 1] === '"') j++;
        else break;
      }
      out += body.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "[") {
      flush();
      let depth = 0;
      let j = i;
      for (; j < body.length; j++) {
        const c = body[j];
        if (c === "'") j++;
        else if (c === "[") depth++;
        else if (c === "]" && --depth === 0) break;
      }
      out += thisRow(body.slice(i, j + 1), table);
      i = j + 1;
    } else {
      plain += ch;
      i++;
    }
  }
  flush();
  return out;
}

/** `[@[D1 应完成]]` or `[@需求接收]` in full (`Table[[#This Row],[…]]`); any other bracketed group as it is. */
function thisRow(group: string, table: string): string {
  if (group.startsWith("[@[") && group.endsWith("]]")) return `${table}[[#This Row],${group.slice(2, -1)}]`;
  if (group.startsWith("[@") && group.endsWith("]")) return `${table}[[#This Row],[${group.slice(2, -1)}]]`;
  return group;
}
