/** Named items: the workbook's names and a name's value, formula and visibility. Part of the in-memory Excel (see api.ts). */
import { ExcelError } from "./state";
import { FakeContext } from "./context";
import { Proxy } from "./proxy";

export class FakeNamedItemCollection extends Proxy<Map<string, string>> {
  private names: { name: string; formula: string }[] = [];
  constructor(context: FakeContext) {
    super(context, () => context.state.names);
  }
  protected read(target: Map<string, string>, prop: string): unknown {
    if (prop === "items" || prop.startsWith("items/")) {
      this.names = [...target.entries()].map(([name, formula]) => ({ name, formula }));
      return true;
    }
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get items(): { name: string; formula: string }[] {
    this.loadedValue("items/name");
    return this.names;
  }
  /** ExcelApi 1.4: fails the sync with ItemAlreadyExists when the name exists (names compare case-insensitively). */
  add(name: string, reference: string, comment?: string): FakeNamedItem {
    void comment;
    this.context.requires("1.4", "NamedItemCollection.add");
    this.context.enqueue(() => {
      if (this.context.state.names.has(name.toLowerCase())) throw new ExcelError("ItemAlreadyExists", `The name "${name}" already exists.`);
      this.context.state.names.set(name.toLowerCase(), reference);
    });
    return new FakeNamedItem(this.context, name, false);
  }
  /** ExcelApi 1.1: a method or property of a missing name fails the sync with ItemNotFound. */
  getItem(name: string): FakeNamedItem {
    return new FakeNamedItem(this.context, name, false);
  }
  /** ExcelApi 1.4. */
  getItemOrNullObject(name: string): FakeNamedItem {
    this.context.requires("1.4", "NamedItemCollection.getItemOrNullObject");
    return new FakeNamedItem(this.context, name, true);
  }
}

/**
 * A workbook-level name (Excel.NamedItem). `value` is what its formula computes for a constant
 * (`="abc"` gives abc, `=4.5` gives 4.5) and the formula otherwise (a reference's address);
 * `formula` (ExcelApi 1.7) the formula; `visible` (1.1) can be set; `delete()` is ExcelApi 1.4.
 * Methods and property writes on a null object fail the sync (InvalidOperation).
 */
export class FakeNamedItem {
  private loaded = new Map<string, unknown>();
  constructor(
    readonly context: FakeContext,
    private readonly name: string,
    private readonly orNull: boolean,
  ) {
    if (orNull) context.enqueue(() => void this.loaded.set("isNullObject", !context.state.names.has(name.toLowerCase())));
  }
  private key(): string {
    const k = this.name.toLowerCase();
    if (!this.context.state.names.has(k))
      throw this.orNull
        ? new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).")
        : new ExcelError("ItemNotFound", `The requested resource doesn't exist. (name ${this.name})`);
    return k;
  }
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    for (const k of list) if (k === "formula") this.context.requires("1.7", "NamedItem.formula");
    this.context.enqueue(() => {
      const k = this.orNull && !this.context.state.names.has(this.name.toLowerCase()) ? undefined : this.key();
      const formula = k === undefined ? undefined : (this.context.state.names.get(k) ?? "");
      for (const p of list) {
        if (p === "name") this.loaded.set(p, k === undefined ? null : this.name);
        else if (p === "formula") this.loaded.set(p, formula ?? null);
        else if (p === "value") this.loaded.set(p, formula === undefined ? null : constantOf(formula));
        else if (p === "visible") this.loaded.set(p, k === undefined ? null : !this.context.state.hiddenNames.has(k));
        else if (p === "type")
          this.loaded.set(
            p,
            formula === undefined ? null : typeof constantOf(formula) === "number" ? "Double" : /^=\s*"/.test(formula) ? "String" : "Range",
          );
        else throw new ExcelError("InvalidArgument", `Unknown property ${p}`);
      }
    });
    return this;
  }
  private get(p: string): unknown {
    if (!this.loaded.has(p))
      throw new ExcelError(
        "PropertyNotLoaded",
        `The property '${p}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    return this.loaded.get(p);
  }
  get isNullObject(): boolean {
    return this.orNull ? (this.get("isNullObject") as boolean) : false;
  }
  get value(): unknown {
    return this.get("value");
  }
  get formula(): string {
    return this.get("formula") as string;
  }
  set formula(f: string) {
    this.context.requires("1.7", "NamedItem.formula");
    this.context.enqueue(() => void this.context.state.names.set(this.key(), f));
  }
  get visible(): boolean {
    return this.get("visible") as boolean;
  }
  set visible(v: boolean) {
    this.context.enqueue(() => {
      const k = this.key();
      if (v) this.context.state.hiddenNames.delete(k);
      else this.context.state.hiddenNames.add(k);
    });
  }
  delete(): void {
    this.context.requires("1.4", "NamedItem.delete");
    this.context.enqueue(() => {
      const k = this.key();
      this.context.state.names.delete(k);
      this.context.state.hiddenNames.delete(k);
    });
  }
}

/** What a name's formula computes when it is a constant: a string (quotes undone) or a number; else the formula itself. */
function constantOf(formula: string): string | number {
  const body = formula.replace(/^=\s*/, "");
  const text = /^"((?:[^"]|"")*)"$/.exec(body);
  if (text) return text[1].replace(/""/g, '"');
  return /^-?\d+(\.\d+)?$/.test(body) ? Number(body) : formula;
}
