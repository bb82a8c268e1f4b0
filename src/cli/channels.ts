/**
 * Where reminders go: group robots of DingTalk, WeCom (企业微信) and Feishu/Lark, and e-mail.
 * Each speaks its documented protocol; one message per person with something to say, the
 * person @-mentioned where Staff gives what the protocol mentions by.
 *
 * DingTalk custom robot (自定义机器人)
 *   https://open.dingtalk.com/document/robots/custom-robot-access (signing: 加签)
 *   https://open.dingtalk.com/document/robots/message-types-and-data-format (markdown, at)
 *   POST {"msgtype":"markdown","markdown":{"title","text"},"at":{"atMobiles":[…],"isAtAll":false}};
 *   an @-mention needs "@mobile" in the text as well. With a secret: query parameters
 *   `timestamp` (ms) and `sign` = urlEncode(base64(HmacSHA256(key = secret, "timestamp\nsecret"))).
 *   Answer {"errcode":0,"errmsg":"ok"}; anything else is the robot's error. At most 20 messages
 *   a minute per robot.
 * WeCom group robot (群机器人)
 *   https://developer.work.weixin.qq.com/document/path/91770
 *   POST {"msgtype":"markdown","markdown":{"content"}} (content ≤ 4096 bytes). Markdown mentions
 *   only by WeCom user id (<@userid>), which Staff does not hold; a mention by mobile number exists
 *   only in text messages ("mentioned_mobile_list", content ≤ 2048 bytes). So: markdown, and for a
 *   person with a mobile number a text message with mentioned_mobile_list, so that the reminder
 *   reaches them (still one message per person). Answer {"errcode":0,"errmsg":"ok"}. 20 a minute.
 * Feishu / Lark custom bot (自定义机器人)
 *   https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 *   (Lark: https://open.larksuite.com/document/client-docs/bot-v3/add-custom-bot)
 *   POST {"msg_type":"interactive","card":{…}} with a markdown (lark_md) element; with a secret the
 *   body also carries "timestamp" (seconds, a string) and "sign" = base64(HmacSHA256(key =
 *   "timestamp\nsecret", message = "")). A mention by e-mail: <at email=…></at> in card markdown
 *   (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-components/content-components/rich-text).
 *   Answer {"code":0,"msg":"success"} (older: {"StatusCode":0}); an error is a non-zero "code"
 *   with "msg" (19021: sign match fail). 100 a minute and 5 a second per bot; body ≤ 20 KB.
 * E-mail: SMTP through nodemailer (https://nodemailer.com/smtp/), `smtp://user:pass@host:port`
 *   (`smtps://` for implicit TLS); one message per person to Staff's e-mail.
 */
import crypto from "crypto";
import type { PersonDigest } from "../core/reminders/digest";
import { Lang, personMessage, personTitle } from "../core/reminders/messages";
import { oneLine } from "../core/text";
import { errorCause, errorField } from "./errors";

export type ChannelKind = "dingtalk" | "wecom" | "feishu" | "email";

export interface RobotChannel {
  kind: "dingtalk" | "wecom" | "feishu";
  url: string;
  secret?: string;
}

export interface EmailChannel {
  kind: "email";
  smtp: string;
  from: string;
}

export type Channel = RobotChannel | EmailChannel;

export interface SendContext {
  lang: Lang;
  at: number;
  withinHours: number;
  /** Injected in tests; default Date.now and setTimeout. */
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Per request, default 15 s. */
  timeoutMs?: number;
}

export interface ChannelResult {
  channel: Channel;
  /** Messages that went out. */
  sent: number;
  /** Messages there were to send. */
  planned: number;
  /** The first failure (the robot's own message, the SMTP server's answer, or the network error). */
  error?: string;
  /** Someone who could not be reached on this channel (no e-mail in Staff). */
  skipped: string[];
}

export const CHANNEL_NAME: Record<ChannelKind, string> = { dingtalk: "DingTalk", wecom: "WeCom", feishu: "Feishu", email: "e-mail" };

/** DingTalk's `sign`: urlEncode(base64(HmacSHA256(secret, `${timestamp}\n${secret}`))). */
export function dingtalkSign(timestamp: number | string, secret: string): string {
  return encodeURIComponent(crypto.createHmac("sha256", secret).update(`${timestamp}\n${secret}`, "utf8").digest("base64"));
}

/** Feishu's `sign`: base64(HmacSHA256(key = `${timestamp}\n${secret}`, message = "")). */
export function feishuSign(timestamp: number | string, secret: string): string {
  return crypto.createHmac("sha256", `${timestamp}\n${secret}`).update("").digest("base64");
}

/** A mobile number as the robots match it: digits only (spaces, dashes, a +86 prefix dropped). */
export function normalizeMobile(m: string | undefined): string | undefined {
  if (!m) return undefined;
  let d = m.replace(/[\s\-()（）]/g, "");
  if (/^\+?86\d{11}$/.test(d)) d = d.replace(/^\+?86/, "");
  d = d.replace(/^\+/, "");
  return /^\d{5,15}$/.test(d) ? d : undefined;
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
export const validEmail = (e: string | undefined): string | undefined => (e && EMAIL.test(e.trim()) ? e.trim() : undefined);

/** Request body and URL of one person's message on a robot (exported for tests). */
export function robotRequest(ch: RobotChannel, p: PersonDigest, ctx: SendContext, nowMs: number): { url: string; body: unknown } {
  const o = { lang: ctx.lang, at: ctx.at, withinHours: ctx.withinHours };
  const mobile = normalizeMobile(p.staff?.mobile);
  const email = validEmail(p.staff?.email);
  switch (ch.kind) {
    case "dingtalk": {
      const text = personMessage(p, { ...o, markdown: true, mention: mobile ? `@${mobile}` : undefined, maxBytes: 18000 });
      let url = ch.url;
      if (ch.secret) {
        const ts = nowMs;
        url += `${url.includes("?") ? "&" : "?"}timestamp=${ts}&sign=${dingtalkSign(ts, ch.secret)}`;
      }
      return {
        url,
        body: {
          msgtype: "markdown",
          markdown: { title: personTitle(p, ctx.lang), text },
          at: { atMobiles: mobile ? [mobile] : [], isAtAll: false },
        },
      };
    }
    case "wecom": {
      if (mobile) {
        const content = personMessage(p, { ...o, markdown: false, maxBytes: 2048 });
        return { url: ch.url, body: { msgtype: "text", text: { content, mentioned_mobile_list: [mobile] } } };
      }
      return {
        url: ch.url,
        body: { msgtype: "markdown", markdown: { content: personMessage(p, { ...o, markdown: true, maxBytes: 4096 }) } },
      };
    }
    case "feishu": {
      const content = personMessage(p, { ...o, markdown: true, mention: email ? `<at email=${email}></at>` : undefined, maxBytes: 18000 });
      const card = {
        config: { wide_screen_mode: true },
        header: {
          template: p.items.some((i) => i.kind === "overdue") ? "red" : "orange",
          title: { tag: "plain_text", content: personTitle(p, ctx.lang) },
        },
        elements: [{ tag: "div", text: { tag: "lark_md", content } }],
      };
      const body: Record<string, unknown> = {};
      if (ch.secret) {
        const ts = String(Math.floor(nowMs / 1000));
        body.timestamp = ts;
        body.sign = feishuSign(ts, ch.secret);
      }
      body.msg_type = "interactive";
      body.card = card;
      return { url: ch.url, body };
    }
  }
}

/** What a robot's answer means: undefined when accepted, else the robot's own words. */
export function robotError(kind: RobotChannel["kind"], status: number, text: string): string | undefined {
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json && typeof json === "object") {
    if (kind === "feishu") {
      const code = json.code ?? json.StatusCode;
      if (code === 0 && status < 400) return undefined;
      if (code !== undefined) return JSON.stringify({ code, msg: json.msg ?? json.StatusMessage });
    } else {
      if (json.errcode === 0 && status < 400) return undefined;
      if (json.errcode !== undefined) return JSON.stringify({ errcode: json.errcode, errmsg: json.errmsg });
    }
  }
  return `HTTP ${status}${text ? `: ${text.slice(0, 300)}` : ""}`;
}

/** Message rate limits per robot: [messages, per milliseconds]. */
const LIMITS: Record<RobotChannel["kind"], [number, number][]> = {
  dingtalk: [[20, 60000]],
  wecom: [[20, 60000]],
  feishu: [
    [100, 60000],
    [5, 1000],
  ],
};

/** What a network error's code means, in one short phrase. */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was closed by the other side",
  UND_ERR_SOCKET: "the connection was closed by the other side",
  EPIPE: "the connection was closed by the other side",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name could not be looked up (DNS)",
  ETIMEDOUT: "no answer (timed out)",
  UND_ERR_CONNECT_TIMEOUT: "no answer (timed out)",
  UND_ERR_HEADERS_TIMEOUT: "no answer (timed out)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate is not trusted",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another host",
};

/** Where a URL points, fit to print: host and port only (the path and query hold the robot's token). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || "the robot";
  } catch {
    return "the robot";
  }
}

/**
 * One sentence for a request that got no answer: where it went and why, never the error's
 * message as JavaScript words it (`fetch failed`, a stack), nor the URL's token or signature.
 */
export function networkMessage(e: unknown, url: string): string {
  const where = hostOf(url);
  const name = errorField(e, "name");
  if (name === "TimeoutError" || name === "AbortError") return `no answer from ${where} (timed out)`;
  const code = errorField(errorCause(e), "code") ?? errorField(e, "code");
  if (code === "ERR_INVALID_URL" || (name === "TypeError" && /parse URL/i.test(errorField(e, "message") ?? "")))
    return "the webhook URL cannot be read: check it";
  if (code) return `cannot reach ${where}: ${NETWORK_CODES[code] ?? "network error"} (${code})`;
  return `cannot reach ${where}: network error`;
}

async function sendRobot(ch: RobotChannel, people: PersonDigest[], ctx: SendContext): Promise<ChannelResult> {
  const now = ctx.nowMs ?? Date.now;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const result: ChannelResult = { channel: ch, sent: 0, planned: people.length, skipped: [] };
  const times: number[] = [];
  for (const p of people) {
    // Stay within the robot's rate limits: a message over them would be refused (and DingTalk mutes the robot for a while).
    for (const [n, ms] of LIMITS[ch.kind]) {
      if (times.length >= n) {
        const wait = times[times.length - n] + ms - now();
        if (wait > 0) await sleep(wait + 50);
      }
    }
    const { url, body } = robotRequest(ch, p, ctx, now());
    times.push(now());
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ctx.timeoutMs ?? 15000),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      result.error = networkMessage(e, url);
      return result;
    }
    const err = robotError(ch.kind, status, text);
    if (err) {
      // A robot that refuses one message (bad signature, wrong key, muted) refuses the next: stop here.
      result.error = err;
      return result;
    }
    result.sent++;
  }
  return result;
}

async function sendEmail(ch: EmailChannel, people: PersonDigest[], ctx: SendContext): Promise<ChannelResult> {
  const reachable = people.filter((p) => validEmail(p.staff?.email));
  const result: ChannelResult = {
    channel: ch,
    sent: 0,
    planned: reachable.length,
    skipped: people.filter((p) => !validEmail(p.staff?.email)).map((p) => p.name),
  };
  if (!reachable.length) return result;
  // Loaded only to send e-mail: requiring nodemailer costs every other command tens of milliseconds at start.
  const { default: nodemailer } = await import("nodemailer");
  const transport = nodemailer.createTransport(ch.smtp, { from: ch.from });
  const errors: string[] = [];
  try {
    for (const p of reachable) {
      try {
        await transport.sendMail({
          from: ch.from,
          to: { name: p.name, address: validEmail(p.staff!.email)! },
          subject: personTitle(p, ctx.lang),
          text: personMessage(p, { lang: ctx.lang, at: ctx.at, withinHours: ctx.withinHours, markdown: false }),
        });
        result.sent++;
      } catch (e) {
        // One address refused does not stop the others; a server that cannot be reached or refuses the login stops the rest.
        const err = e as { code?: string; response?: string; message?: string };
        // The server's own answer (one line), else what kind of failure: never a JavaScript message with the URL in it.
        const why = err.response
          ? oneLine(err.response)
          : err.code && err.code in SMTP_CODES
            ? SMTP_CODES[err.code]
            : "the message could not be sent";
        errors.push(`${oneLine(p.name)}: ${why}`);
        if (
          err.code === "ECONNECTION" ||
          err.code === "EAUTH" ||
          err.code === "ETIMEDOUT" ||
          err.code === "EDNS" ||
          err.code === "ESOCKET" ||
          err.code === "ETLS"
        )
          break;
      }
    }
  } finally {
    transport.close();
  }
  if (errors.length) result.error = errors.join("; ");
  return result;
}

/** What nodemailer's error codes mean when the server gave no answer of its own. */
const SMTP_CODES: Record<string, string> = {
  ECONNECTION: "cannot connect to the mail server",
  ETIMEDOUT: "the mail server did not answer (timed out)",
  EDNS: "the mail server's host name was not found",
  ESOCKET: "the connection to the mail server failed",
  ETLS: "the TLS connection to the mail server failed",
  EAUTH: "the mail server refused the login",
  EENVELOPE: "the mail server refused the addresses",
  EMESSAGE: "the mail server refused the message",
};

/** Sends to one channel; never throws: a failure is in the result, one sentence without the channel's secrets. */
export async function sendTo(ch: Channel, people: PersonDigest[], ctx: SendContext): Promise<ChannelResult> {
  try {
    return ch.kind === "email" ? await sendEmail(ch, people, ctx) : await sendRobot(ch, people, ctx);
  } catch (e) {
    const code = errorField(e, "code");
    const error =
      ch.kind === "email"
        ? code && code in SMTP_CODES
          ? SMTP_CODES[code]
          : "the SMTP settings cannot be used: check --smtp"
        : networkMessage(e, ch.url);
    return { channel: ch, sent: 0, planned: people.length, skipped: [], error };
  }
}
