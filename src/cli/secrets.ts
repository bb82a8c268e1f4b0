/**
 * Where the robots' secrets and the SMTP password come from, without putting them where others
 * can read them: environment variables, or a configuration file (`--config FILE`, JSON or INI)
 * that only its owner may read (mode 0600 or stricter on POSIX). The command-line forms
 * (`--secret`, `--smtp smtp://user:pass@…`, webhook URLs with their tokens) still work, with a
 * warning that every user of the machine sees them in process listings. Nothing here is ever
 * written anywhere, and every value is known to `redact`, which the command line applies to all
 * it prints.
 *
 *   PLANNING_DESK_DINGTALK_URL   PLANNING_DESK_DINGTALK_SECRET
 *   PLANNING_DESK_WECOM_URL
 *   PLANNING_DESK_FEISHU_URL     PLANNING_DESK_FEISHU_SECRET
 *   PLANNING_DESK_SMTP_URL       PLANNING_DESK_SMTP_FROM
 *
 * The configuration file holds the same keys in lower case without the prefix (`dingtalk_url`,
 * `dingtalk_secret`, …), flat or by section: INI `[dingtalk]` with `url =` and `secret =`, JSON
 * `{"dingtalk": {"url": …, "secret": …}}`. The command line wins over the environment, the
 * environment over the file.
 */
import fs from "fs";
import { errorField } from "./errors";

export const SECRET_KEYS = [
  "dingtalk_url",
  "dingtalk_secret",
  "wecom_url",
  "feishu_url",
  "feishu_secret",
  "smtp_url",
  "smtp_from",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];
export type SecretValues = Partial<Record<SecretKey, string>>;

/** A configuration file that cannot be used (exit 2, one line; never its content). */
export class ConfigError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const envName = (k: SecretKey) => `PLANNING_DESK_${k.toUpperCase()}`;

/** The values the environment gives. */
export function fromEnvironment(env: NodeJS.ProcessEnv = process.env): SecretValues {
  const out: SecretValues = {};
  for (const k of SECRET_KEYS) {
    const v = env[envName(k)];
    if (v !== undefined && v.trim() !== "") out[k] = v.trim();
  }
  return out;
}

const isKey = (k: string): k is SecretKey => SECRET_KEYS.some((x) => x === k);

function put(out: SecretValues, key: string, value: unknown, file: string, where: string): void {
  const k = key
    .trim()
    .toLowerCase()
    .replace(/[.\-\s]+/g, "_");
  if (!isKey(k))
    throw new ConfigError(
      `${file}：未知的设置项“${where}”（可用：${SECRET_KEYS.join("、")}）`,
      `${file}: unknown setting "${where}" (known: ${SECRET_KEYS.join(", ")})`,
    );
  if (typeof value !== "string" || value.trim() === "")
    throw new ConfigError(`${file}：设置项“${where}”应为非空文本`, `${file}: setting "${where}" must be non-empty text`);
  out[k] = value.trim();
}

/** Parses a configuration file's text: JSON (an object) or INI. Errors name the file and the line or key, never a value. */
export function parseConfig(text: string, file: string): SecretValues {
  const out: SecretValues = {};
  const body = text.replace(/^\ufeff/, "");
  if (body.trimStart().startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ConfigError(`${file}：不是有效的 JSON`, `${file}: not valid JSON`);
    }
    if (!json || typeof json !== "object" || Array.isArray(json))
      throw new ConfigError(`${file}：应为一个 JSON 对象`, `${file}: must be a JSON object`);
    for (const [k, v] of Object.entries(json)) {
      if (v && typeof v === "object" && !Array.isArray(v))
        for (const [k2, v2] of Object.entries(v)) put(out, `${k}_${k2}`, v2, file, `${k}.${k2}`);
      else put(out, k, v, file, k);
    }
    return out;
  }
  let section = "";
  const lines = body.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec) {
      section = sec[1].trim();
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new ConfigError(`${file} 第 ${i + 1} 行：应为“名称 = 值”`, `${file} line ${i + 1}: expected "name = value"`);
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))))
      value = value.slice(1, -1);
    put(out, section ? `${section}_${key}` : key, value, file, section ? `[${section}] ${key}` : key);
  }
  return out;
}

/**
 * Reads `--config FILE`: a regular file that only its owner may read or write (no group or other
 * permission bits, on POSIX), else refused naming the file and its mode.
 */
export function readConfigFile(file: string): SecretValues {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new ConfigError(`找不到配置文件：${file}`, `no such configuration file: ${file}`);
  }
  if (!st.isFile()) throw new ConfigError(`配置文件 ${file} 不是普通文件`, `the configuration file ${file} is not a regular file`);
  if (process.platform !== "win32" && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, "0");
    throw new ConfigError(
      `配置文件 ${file} 的权限为 ${mode}，其他用户可以读取其中的密钥：请先运行 chmod 600 ${file}`,
      `the configuration file ${file} has mode ${mode}, so other users can read its secrets: run chmod 600 ${file} first`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`无法读取配置文件 ${file}`, `cannot read the configuration file ${file}: ${errorField(e, "code") ?? "error"}`);
  }
  return parseConfig(text, file);
}

/** The secret parts of a webhook or SMTP URL: its password, user, query values and the last path segment (Feishu's hook id). */
export function urlSecrets(url: string): string[] {
  const out: string[] = [];
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  if (u.password) out.push(u.password, decodeURIComponentSafe(u.password));
  for (const [, v] of u.searchParams) if (v.length >= 4) out.push(v, encodeURIComponent(v));
  const last = u.pathname.split("/").pop() ?? "";
  if (last.length >= 16) out.push(last);
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A URL fit to print: no password, no query values, no long last path segment. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "(a URL that cannot be read)";
  }
  if (u.password) u.password = "***";
  for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, "***");
  const parts = u.pathname.split("/");
  if ((parts[parts.length - 1] ?? "").length >= 16) parts[parts.length - 1] = "***";
  u.pathname = parts.join("/");
  return u.toString().replace(/%2A%2A%2A/g, "***");
}

/** Replaces every known secret in `text` with `***`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  const list = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join("***");
  return out;
}
