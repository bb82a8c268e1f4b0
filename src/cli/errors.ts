/** Reading what a thrown value says, without trusting its type: a string field of an error, or of its cause. */
export function errorField(e: unknown, key: "code" | "name" | "message"): string | undefined {
  if (typeof e !== "object" || e === null || !(key in e)) return undefined;
  const v: unknown = Reflect.get(e, key);
  return typeof v === "string" ? v : undefined;
}

/** The `cause` of an error (undici puts the network error there), or undefined. */
export function errorCause(e: unknown): unknown {
  return typeof e === "object" && e !== null && "cause" in e ? Reflect.get(e, "cause") : undefined;
}
