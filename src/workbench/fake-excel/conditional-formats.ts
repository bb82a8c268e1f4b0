/** Conditional formats (ExcelApi 1.6) and their collection on a range. Part of the in-memory Excel (see api.ts). */
import { ConditionalFormatState, ExcelError, shiftFormula } from "./state";
import { FakeContext } from "./context";
import { FakeClientResult, rangeAddress } from "./proxy";
import { Area, FakeRange } from "./range";

const intersects = (cf: ConditionalFormatState, a: Area) =>
  !(cf.top > a.top + a.rows - 1 || cf.top + cf.rows - 1 < a.top || cf.left > a.left + a.cols - 1 || cf.left + cf.cols - 1 < a.left);
const notLoaded = (prop: string) =>
  new ExcelError(
    "PropertyNotLoaded",
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );

/** How a collection over `area` shows a format: its id (its priority there, see WorkbookState.cfIdIsPriority) and its rule relative to the area's top-left cell (office-js#5194). */
interface CfView {
  id(cf: ConditionalFormatState): string;
  area(): Area;
}

/** What a conditional format's properties load as, by path, seen from a collection. */
function cfProperty(cf: ConditionalFormatState, path: string, view: CfView): unknown {
  const custom = cf.type === "Custom";
  switch (path) {
    case "id":
      return view.id(cf);
    case "type":
      return cf.type;
    case "priority":
      return undefined; // filled by the collection
    case "customOrNullObject/rule/formula": {
      if (!custom || cf.formula === undefined) return null;
      const a = view.area();
      return shiftFormula(cf.formula, a.top - cf.top, a.left - cf.left);
    }
    case "customOrNullObject/format/fill/color":
      return custom ? (cf.fill ?? null) : null;
    case "customOrNullObject/format/font/color":
      return custom ? (cf.font ?? null) : null;
    default:
      throw new ExcelError("InvalidArgument", `The fake does not load ${path} of a conditional format.`);
  }
}

/**
 * Excel.ConditionalFormat (ExcelApi 1.6): `custom.rule.formula` and `custom.format.fill/font.color`
 * to set a custom rule; loaded items read `id`, `type` and `customOrNullObject/…`. Stricter than
 * Excel: a rule's formula must start with "=" and may hold no "[" (Excel refuses table references
 * in conditional formats); colours are "#RRGGBB" only.
 */
export class FakeConditionalFormat {
  private loaded = new Map<string, unknown>();
  readonly dataBar: Record<string, unknown> = {};
  readonly custom: { rule: { formula: string }; format: { fill: { color: string }; font: { color: string } } };
  constructor(
    readonly context: FakeContext,
    private readonly find: () => ConditionalFormatState,
    private readonly view: CfView,
  ) {
    const set = (f: (cf: ConditionalFormatState) => void) =>
      context.enqueue(() => {
        const cf = this.find();
        if (cf.type !== "Custom") throw new ExcelError("InvalidOperation", "This conditional format is not a custom one.");
        f(cf);
      });
    const color = (v: string) => {
      if (!/^#[0-9a-f]{6}$/i.test(String(v))) throw new ExcelError("InvalidArgument", `The colour "${v}" is not #RRGGBB.`);
      return String(v).toUpperCase();
    };
    this.custom = {
      rule: {
        set formula(f: string) {
          set((cf) => {
            if (typeof f !== "string" || !f.startsWith("=") || f.length < 2)
              throw new ExcelError("InvalidArgument", `A conditional format's formula must start with "=": ${f}`);
            if (f.includes("[")) throw new ExcelError("InvalidArgument", `You can't use table references in conditional formats: ${f}`);
            cf.formula = f;
          });
        },
        get formula(): string {
          throw notLoaded("formula");
        },
      },
      format: {
        fill: {
          set color(c: string) {
            set((cf) => void (cf.fill = color(c)));
          },
          get color(): string {
            throw notLoaded("color");
          },
        },
        font: {
          set color(c: string) {
            set((cf) => void (cf.font = color(c)));
          },
          get color(): string {
            throw notLoaded("color");
          },
        },
      },
    };
  }
  /** Properties read with a collection (`items/…`). */
  preload(path: string, v: unknown): void {
    this.loaded.set(path, v);
  }
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      const cf = this.find();
      for (const p of list) {
        const v = cfProperty(cf, p, this.view);
        this.context.responded(v);
        this.loaded.set(p, v);
      }
    });
    return this;
  }
  private get(path: string): unknown {
    if (!this.loaded.has(path)) throw notLoaded(path.split("/").at(-1)!);
    return this.loaded.get(path);
  }
  get id(): string {
    return this.get("id") as string;
  }
  get type(): string {
    return this.get("type") as string;
  }
  get customOrNullObject() {
    const get = (p: string) => this.get(`customOrNullObject/${p}`);
    const isNull = this.loaded.has("type") ? this.loaded.get("type") !== "Custom" : undefined;
    return {
      get isNullObject(): boolean {
        if (isNull === undefined) throw notLoaded("isNullObject");
        return isNull;
      },
      rule: {
        get formula() {
          return get("rule/formula") as string;
        },
      },
      format: {
        fill: {
          get color() {
            return get("format/fill/color") as string;
          },
        },
        font: {
          get color() {
            return get("format/font/color") as string;
          },
        },
      },
    };
  }
  /** ExcelApi 1.6: the range the format applies to. */
  getRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const cf = this.find();
      const sheet = this.context.state.sheets.find((s) => s.conditionalFormats.includes(cf));
      if (!sheet) throw new ExcelError("ItemNotFound", "The requested resource doesn't exist. (conditional format)");
      return { sheet, top: cf.top, left: cf.left, rows: cf.rows, cols: cf.cols };
    });
  }
  delete(): void {
    this.context.enqueue(() => {
      const cf = this.find();
      for (const s of this.context.state.sheets) {
        const i = s.conditionalFormats.indexOf(cf);
        if (i >= 0) s.conditionalFormats.splice(i, 1);
      }
    });
  }
}

/** Excel.ConditionalFormatCollection of a range (ExcelApi 1.6): the sheet's conditional formats that touch the range, highest priority first. */
export class FakeConditionalFormatCollection {
  private list: FakeConditionalFormat[] = [];
  private loadedItems = false;
  constructor(
    readonly context: FakeContext,
    private readonly area: () => Area,
  ) {}
  private scope(): ConditionalFormatState[] {
    const a = this.area();
    return a.sheet.conditionalFormats.filter((cf) => intersects(cf, a));
  }
  private readonly view: CfView = {
    id: (cf) => (this.context.state.cfIdIsPriority ? String(this.scope().indexOf(cf)) : cf.id),
    area: () => this.area(),
  };
  /** The format an id names now: its priority among those touching the range (or its lasting id with the switch off). */
  private byId(id: string): ConditionalFormatState | undefined {
    const all = this.scope();
    if (!this.context.state.cfIdIsPriority) return all.find((x) => x.id === id);
    return /^\d+$/.test(id) ? all[Number(id)] : undefined;
  }
  /** Adds a conditional format at the top priority: "Custom" (a rule and a format) or "DataBar". */
  add(type: string): FakeConditionalFormat {
    this.context.requires("1.6", "ConditionalFormatCollection.add");
    let created: ConditionalFormatState | undefined;
    this.context.enqueue(() => {
      const a = this.area();
      a.sheet.assertWritable();
      if (type !== "DataBar" && type !== "Custom") throw new ExcelError("NotImplemented", `conditional format ${type}`);
      created = this.context.state.addConditionalFormat(a.sheet, a, type);
      if (type === "DataBar") a.sheet.dataBars.push(rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols));
    });
    return new FakeConditionalFormat(
      this.context,
      () => {
        if (!created) throw new ExcelError("GeneralException", "The conditional format was not created.");
        return created;
      },
      this.view,
    );
  }
  load(props?: string | string[]): this {
    this.context.requires("1.6", "ConditionalFormatCollection.load");
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      this.list = this.scope().map((cf, priority) => {
        // An item is addressed by its id, which is its priority: after an add or a delete it names another format.
        const item = new FakeConditionalFormat(
          this.context,
          () => {
            const now = this.context.state.cfIdIsPriority ? this.scope()[priority] : cf;
            if (!now || !this.context.state.sheets.some((s) => s.conditionalFormats.includes(now)))
              throw new ExcelError("ItemNotFound", "The requested resource doesn't exist. (conditional format)");
            return now;
          },
          this.view,
        );
        for (const p of list) {
          if (p === "items") continue;
          if (!p.startsWith("items/")) throw new ExcelError("InvalidArgument", `Unknown property ${p}`);
          const path = p.slice(6);
          const v = cfProperty(cf, path, this.view);
          this.context.responded(v);
          item.preload(path, v);
          if (path.startsWith("customOrNullObject/")) item.preload("type", cf.type);
        }
        return item;
      });
      this.loadedItems = true;
    });
    return this;
  }
  get items(): FakeConditionalFormat[] {
    if (!this.loadedItems) throw notLoaded("items");
    return this.list;
  }
  getCount(): FakeClientResult<number> {
    this.context.requires("1.6", "ConditionalFormatCollection.getCount");
    const r = new FakeClientResult<number>();
    this.context.enqueue(() => r.set(this.scope().length));
    return r;
  }
  /** The conditional format with this id among those touching the range; ItemNotFound otherwise (when the batch runs). */
  getItem(id: string): FakeConditionalFormat {
    this.context.requires("1.6", "ConditionalFormatCollection.getItem");
    return new FakeConditionalFormat(
      this.context,
      () => {
        const cf = this.byId(id);
        if (!cf) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (conditional format ${id})`);
        return cf;
      },
      this.view,
    );
  }
}
