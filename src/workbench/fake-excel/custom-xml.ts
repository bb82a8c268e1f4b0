/** Custom XML parts (ExcelApi 1.5): the workbook's collection, a namespace's scoped collection, a part. Part of the in-memory Excel (see api.ts). */
import { CustomXmlState, ExcelError, rootNamespace as rootNamespaceOf } from "./state";
import { FakeContext, payloadBytes } from "./context";
import { FakeClientResult } from "./proxy";

/** A custom XML part, or (from an *OrNullObject method) possibly none. */
export class FakeCustomXmlPart {
  private loaded = new Map<string, unknown>();
  constructor(
    readonly context: FakeContext,
    private readonly find: () => CustomXmlState | undefined,
    private readonly orNull = false,
    private readonly missing: () => ExcelError = () =>
      new ExcelError("ItemNotFound", "The requested resource doesn't exist. (custom XML part)"),
  ) {
    if (orNull) context.enqueue(() => void this.loaded.set("isNullObject", this.find() === undefined));
  }
  /** A property loaded with its collection (`items/id`). */
  preload(k: string, v: unknown): void {
    this.loaded.set(k, v);
  }
  private part(): CustomXmlState {
    const p = this.find();
    if (!p)
      throw this.orNull
        ? new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).")
        : this.missing();
    return p;
  }
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      const p = this.orNull ? this.find() : this.part();
      for (const k of list) {
        if (k !== "id" && k !== "namespaceUri") throw new ExcelError("InvalidArgument", `Unknown property ${k}`);
        this.loaded.set(k, p ? p[k] : null);
      }
    });
    return this;
  }
  private get(k: string): unknown {
    if (!this.loaded.has(k))
      throw new ExcelError(
        "PropertyNotLoaded",
        `The property '${k}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    return this.loaded.get(k);
  }
  get id(): string {
    return this.get("id") as string;
  }
  get namespaceUri(): string {
    return this.get("namespaceUri") as string;
  }
  get isNullObject(): boolean {
    return this.orNull ? (this.get("isNullObject") as boolean) : false;
  }
  getXml(): FakeClientResult<string> {
    const r = new FakeClientResult<string>();
    this.context.enqueue(() => {
      const xml = this.part().xml;
      this.context.responded(xml);
      r.set(xml);
    });
    return r;
  }
  setXml(xml: string): void {
    this.context.enqueue(() => {
      const p = this.part();
      const ns = rootNamespaceOf(xml);
      p.xml = xml;
      p.namespaceUri = ns;
    }, payloadBytes(xml));
  }
  delete(): void {
    this.context.enqueue(() => {
      const p = this.part();
      const all = this.context.state.customXml;
      all.splice(all.indexOf(p), 1);
    });
  }
}

abstract class FakeXmlParts {
  protected list: FakeCustomXmlPart[] = [];
  private loadedItems = false;
  constructor(
    readonly context: FakeContext,
    protected readonly scope: () => CustomXmlState[],
  ) {}
  load(props?: string | string[]): this {
    const list = (typeof props === "string" ? props.split(",") : (props ?? [])).map((x) => x.trim()).filter(Boolean);
    this.context.enqueue(() => {
      this.list = this.scope().map((p) => {
        const proxy = new FakeCustomXmlPart(this.context, () => this.context.state.customXml.find((x) => x === p));
        for (const k of list.filter((x) => x.startsWith("items/")).map((x) => x.slice(6))) {
          if (k !== "id" && k !== "namespaceUri") throw new ExcelError("InvalidArgument", `Unknown property ${k}`);
          proxy.preload(k, p[k]);
        }
        return proxy;
      });
      this.loadedItems = true;
    });
    return this;
  }
  get items(): FakeCustomXmlPart[] {
    if (!this.loadedItems)
      throw new ExcelError(
        "PropertyNotLoaded",
        "The property 'items' is not available. Before reading the property's value, call the load method on the containing object and call \"context.sync()\" on the associated request context.",
      );
    return this.list;
  }
  getCount(): FakeClientResult<number> {
    const r = new FakeClientResult<number>();
    this.context.enqueue(() => r.set(this.scope().length));
    return r;
  }
  getItem(id: string): FakeCustomXmlPart {
    return new FakeCustomXmlPart(this.context, () => this.scope().find((p) => p.id.toLowerCase() === id.toLowerCase()));
  }
  getItemOrNullObject(id: string): FakeCustomXmlPart {
    return new FakeCustomXmlPart(this.context, () => this.scope().find((p) => p.id.toLowerCase() === id.toLowerCase()), true);
  }
}

export class FakeCustomXmlPartCollection extends FakeXmlParts {
  add(xml: string): FakeCustomXmlPart {
    let created: CustomXmlState | undefined;
    this.context.enqueue(() => {
      created = this.context.state.addCustomXml(xml);
    }, payloadBytes(xml));
    return new FakeCustomXmlPart(
      this.context,
      () => (created && this.context.state.customXml.includes(created) ? created : undefined),
      false,
      () => new ExcelError("GeneralException", "The custom XML part was not created."),
    );
  }
  getByNamespace(namespaceUri: string): FakeCustomXmlPartScopedCollection {
    return new FakeCustomXmlPartScopedCollection(this.context, () =>
      this.context.state.customXml.filter((p) => p.namespaceUri === namespaceUri),
    );
  }
}

export class FakeCustomXmlPartScopedCollection extends FakeXmlParts {
  /** The only part in scope; fails the sync when there are none or several. */
  getOnlyItem(): FakeCustomXmlPart {
    return new FakeCustomXmlPart(this.context, () => {
      const all = this.scope();
      if (all.length !== 1)
        throw new ExcelError(all.length ? "InvalidOperation" : "ItemNotFound", `The collection has ${all.length} items, not exactly one.`);
      return all[0];
    });
  }
  getOnlyItemOrNullObject(): FakeCustomXmlPart {
    return new FakeCustomXmlPart(
      this.context,
      () => {
        const all = this.scope();
        return all.length === 1 ? all[0] : undefined;
      },
      true,
    );
  }
}
