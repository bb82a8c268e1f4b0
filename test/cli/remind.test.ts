/**
 * `planning-desk remind` and `planning-desk calendar` on the demo workbook, with the robots and
 * the mail server played by local stand-ins on 127.0.0.1 (node http servers and smtp-server on
 * ephemeral ports) that check each protocol's documented request shape and signature. Nothing
 * leaves this machine. After every run the workbook's bytes are what they were.
 */
import { spawnSync } from "child_process";
import crypto from "crypto";
import fs from "fs";
import http from "http";
import os from "os";
import path from "path";
import { AddressInfo } from "net";
import { SMTPServer } from "smtp-server";
import { run } from "../../src/cli/main";
import { dingtalkSign, feishuSign, normalizeMobile } from "../../src/cli/channels";
import { demoChanges } from "../../src/workbook/demo";
import { STAFF } from "../../src/workbook/schema";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { findTable } from "../../src/workbook/port";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-remind-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MOBILES: Record<string, string> = { 张伟: "13800000001", 周婷: "138 0000 0002", 林静: "+86 13800000003" };
const EMAILS: Record<string, string> = { 张伟: "zhangwei@example.com", 周婷: "zhouting@example.com", 孙悦: "sunyue@example.com" };

/** The demo workbook, with mobiles and e-mails for some of its people. */
async function demoFile(name: string, contacts = true): Promise<string> {
  const changes = demoChanges("zh");
  if (contacts) {
    const staff = changes.newTables.find((t) => t.name === "Staff")!;
    const iName = STAFF.columns.findIndex((c) => c.key === "name");
    const iMobile = STAFF.columns.findIndex((c) => c.key === "mobile");
    const iEmail = STAFF.columns.findIndex((c) => c.key === "email");
    expect(staff.headers[iMobile]).toBe("手机");
    expect(staff.headers[iEmail]).toBe("邮箱");
    for (const row of staff.rows) {
      const n = row[iName] as string;
      row[iMobile] = MOBILES[n] ?? null;
      row[iEmail] = EMAILS[n] ?? null;
    }
  } else {
    // A Staff table from before the optional columns: Name, Role, Backup, Active only.
    const staff = changes.newTables.find((t) => t.name === "Staff")!;
    const keep = STAFF.columns.findIndex((c) => c.key === "mobile");
    staff.headers = staff.headers.slice(0, keep);
    staff.rows = staff.rows.map((r) => r.slice(0, keep));
    staff.textCols = staff.textCols?.filter((i) => i < keep);
    staff.dateCols = staff.dateCols?.filter((i) => i < keep);
  }
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(changes);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, await wb.toBytes());
  return file;
}

/** The rest of stderr after the warning a secret on the command line gets (which must be its first line). */
function afterWarning(err: string, flag: string): string {
  const [first, ...rest] = err.split("\n");
  expect(first).toMatch(
    new RegExp(`^planning-desk: (warning: ${flag} on the command line can be seen by every user|警告：命令行中的 ${flag} 含有密钥)`),
  );
  return rest.join("\n");
}

const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Runs the CLI and checks the workbook was not touched (bytes, and no lock or temporary file beside it). */
async function cliReadOnly(file: string, args: string[]) {
  const before = sha(file);
  const listing = fs.readdirSync(path.dirname(file)).sort();
  const r = await cli(args);
  expect(sha(file)).toBe(before);
  expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(listing);
  return r;
}

interface Hit {
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A robot played on 127.0.0.1: records each request and answers with `answer(hit)`. */
async function standIn(
  answer: (hit: Hit) => { status?: number; body: unknown },
): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (data += d));
    req.on("end", () => {
      const hit: Hit = { url: new URL(req.url!, "http://127.0.0.1"), headers: req.headers, body: JSON.parse(data) };
      hits.push(hit);
      const a = answer(hit);
      res.writeHead(a.status ?? 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

const DING_SECRET = "SECabc123+/=测试";
const FEISHU_SECRET = "feishu-secret-xyz";

/** DingTalk's custom robot as documented: access_token, and with signing timestamp (ms, within an hour) and sign. */
function dingtalkAnswer(secret: string | undefined) {
  return (hit: Hit) => {
    if (hit.url.pathname !== "/robot/send" || hit.url.searchParams.get("access_token") !== "T0KEN")
      return { body: { errcode: 300001, errmsg: "token is not exist" } };
    if (secret) {
      const ts = hit.url.searchParams.get("timestamp");
      const sign = hit.url.searchParams.get("sign");
      if (!ts || !sign || Math.abs(Date.now() - Number(ts)) > 3600000) return { body: { errcode: 310000, errmsg: "sign not match" } };
      const expected = crypto.createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
      if (sign !== expected) return { body: { errcode: 310000, errmsg: "sign not match" } };
    }
    const b = hit.body;
    if (!String(hit.headers["content-type"]).startsWith("application/json")) return { body: { errcode: 40035, errmsg: "content-type" } };
    if (b.msgtype !== "markdown" || typeof b.markdown?.title !== "string" || typeof b.markdown?.text !== "string")
      return { body: { errcode: 40035, errmsg: "缺少参数 json" } };
    if (!Array.isArray(b.at?.atMobiles)) return { body: { errcode: 40035, errmsg: "at" } };
    for (const m of b.at.atMobiles)
      if (!b.markdown.text.includes(`@${m}`)) return { body: { errcode: 40035, errmsg: `@${m} not in text` } };
    return { body: { errcode: 0, errmsg: "ok" } };
  };
}

function wecomAnswer(hit: Hit) {
  if (hit.url.pathname !== "/cgi-bin/webhook/send" || hit.url.searchParams.get("key") !== "K3Y")
    return { body: { errcode: 93000, errmsg: "invalid webhook url" } };
  const b = hit.body;
  if (b.msgtype === "markdown") {
    if (typeof b.markdown?.content !== "string" || Buffer.byteLength(b.markdown.content) > 4096)
      return { body: { errcode: 40058, errmsg: "markdown.content exceed max length 4096" } };
  } else if (b.msgtype === "text") {
    if (typeof b.text?.content !== "string" || Buffer.byteLength(b.text.content) > 2048)
      return { body: { errcode: 40058, errmsg: "text.content exceed max length 2048" } };
    if (!Array.isArray(b.text.mentioned_mobile_list)) return { body: { errcode: 40008, errmsg: "invalid message type" } };
  } else return { body: { errcode: 40008, errmsg: "invalid message type" } };
  return { body: { errcode: 0, errmsg: "ok" } };
}

function feishuAnswer(secret: string | undefined) {
  return (hit: Hit) => {
    if (!hit.url.pathname.startsWith("/open-apis/bot/v2/hook/"))
      return { status: 404, body: { code: 19001, msg: "param invalid: incoming webhook access token invalid" } };
    const b = hit.body;
    if (secret) {
      const ts = b.timestamp;
      if (typeof ts !== "string" || Math.abs(Date.now() / 1000 - Number(ts)) > 3600)
        return { body: { code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" } };
      const expected = crypto.createHmac("sha256", `${ts}\n${secret}`).update("").digest("base64");
      if (b.sign !== expected)
        return { body: { code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" } };
    }
    if (b.msg_type !== "interactive" || !Array.isArray(b.card?.elements) || b.card.elements[0]?.text?.tag !== "lark_md")
      return { body: { code: 9499, msg: "Bad Request", data: {} } };
    if (Buffer.byteLength(JSON.stringify(b)) > 20 * 1024) return { body: { code: 9499, msg: "Bad Request", data: {} } };
    return { body: { StatusCode: 0, StatusMessage: "success", code: 0, data: {}, msg: "success" } };
  };
}

let demo: string;
let bare: string;
beforeAll(async () => {
  demo = await demoFile("demo.xlsx");
  bare = await demoFile("bare.xlsx", false);
});

describe("the digest on the demo workbook (--at, no channel)", () => {
  test("a working morning (Friday 9 October 2026, 10:00): 张伟's reply and 周婷's framework today", async () => {
    const r = await cliReadOnly(demo, ["remind", demo, "--at", "2026-10-09 10:00"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("2026-10-09 10:00 的提醒");
    const people = r.out.split("\n").filter((l) => /^\S/.test(l) && !l.startsWith("2026") && !l.startsWith("共"));
    expect(people).toEqual(["张伟 13800000001 <zhangwei@example.com>", "周婷 138 0000 0002 <zhouting@example.com>"]);
    expect(r.out).toContain("今天到期  202610-002 海川电器秋季媒介排期 · D1 回复客户项目时间点 · 应于 今天 14:45 · 剩 3.25 工作小时");
    expect(r.out).toContain("今天到期  202610-001 云岭茶业会员日活动 · D4 提交方案框架 · 应于 今天 15:59");
    expect(r.out).toContain("共 2 人，2 项");
  });

  test("a fresh process giving the digest never loads the mail library (requiring it costs every run)", async () => {
    // A real process of the command line from the sources: what it required, once it is done.
    const main = path.join(__dirname, "..", "..", "src", "cli", "main.ts");
    const script = `require(${JSON.stringify(main)}).run(process.argv.slice(1)).then((code) => {
      const mail = Object.keys(require.cache).filter((k) => k.includes(${JSON.stringify(`${path.sep}nodemailer${path.sep}`)}));
      process.stderr.write("\\n" + JSON.stringify({ code, mail: mail.length }));
    });`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script, "remind", demo, "--at", "2026-10-09 10:00"], {
      cwd: path.join(__dirname, "..", ".."),
      encoding: "utf8",
    });
    expect(r.stdout).toContain("共 2 人，2 项");
    expect(JSON.parse(r.stderr.trim().split("\n").pop() ?? "")).toEqual({ code: 0, mail: 0 });
  });

  test("the make-up Saturday (10 October 2026) is a working day: four people, 周婷's framework now overdue", async () => {
    const r = await cliReadOnly(demo, ["remind", demo, "--at", "2026-10-10 09:30", "--lang", "en"]);
    expect(r.code).toBe(0);
    const people = r.out.split("\n").filter((l) => /^\S/.test(l) && !l.startsWith("Reminders") && !/^\d+ (people|person)/.test(l));
    expect(people.map((l) => l.split(" ")[0])).toEqual(["林静", "李娜", "周婷", "孙悦"]);
    expect(r.out).toMatch(/Overdue +202610-001 云岭茶业会员日活动 · D4 提交方案框架 · due 10-09 15:59 · 2 h 31 min late/);
    expect(r.out).toMatch(/Due today +202610-002 海川电器秋季媒介排期 · D3 完成工单会签 · due today 16:19/);
    expect(r.out).toMatch(/Due today +202609-008 安泰保险年终答谢会 · D7 转达客户修改意见 · due today 13:41/);
    expect(r.out).toMatch(/Due today +202610-003 安泰保险门店开业 · D4 提交方案框架 · due today 13:53/);
    expect(r.out).toContain("4 people, 4 items");
  });

  test("National Day (3 October 2026) and a plain Sunday send nothing, exit 0; --force gives the digest of that moment", async () => {
    for (const at of ["2026-10-03 10:00", "2026-10-07 09:00", "2026-10-18 10:00"]) {
      const r = await cliReadOnly(demo, ["remind", demo, "--at", at, "--lang", "en"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        `${at} is not a working day (a holiday, or a weekend that is not a make-up working day): no reminders sent (--force to send anyway)`,
      );
    }
    const forced = await cliReadOnly(demo, ["remind", demo, "--at", "2026-10-03 10:00", "--force", "--lang", "en"]);
    expect(forced.code).toBe(0);
    expect(forced.out).not.toContain("not a working day");
    expect(forced.out).toMatch(/Reminders at 2026-10-03 10:00|nothing due/);
  });

  test("a day off of the center's own (the Calendar table: 23 October) is skipped like a holiday", async () => {
    const r = await cliReadOnly(demo, ["remind", demo, "--at", "2026-10-23 10:00", "--lang", "en"]);
    expect(r.out).toContain("is not a working day");
  });

  test("--within widens what counts as soon; the evening before shows the next morning", async () => {
    const narrow = await cliReadOnly(demo, ["remind", demo, "--at", "2026-10-29 16:00", "--within", "1", "--lang", "en"]);
    const wide = await cliReadOnly(demo, ["remind", demo, "--at", "2026-10-29 16:00", "--lang", "en"]);
    expect(narrow.out).not.toContain("Due soon");
    expect(wide.out).toMatch(/Due soon +202610-025 云岭茶业年终答谢会 · D3 完成工单会签 · due 10-30 10:11 · 3\.18 business hours left/);
  });

  test("nothing due: exit 0, 'nothing due', nothing sent", async () => {
    const robot = await standIn(dingtalkAnswer(undefined));
    try {
      // Before the first card of the demo was received.
      const r = await cliReadOnly(demo, [
        "remind",
        demo,
        "--at",
        "2026-09-01 10:00",
        "--dingtalk",
        `${robot.url}/robot/send?access_token=T0KEN`,
        "--lang",
        "en",
      ]);
      expect(r.code).toBe(0);
      expect(r.out).toBe("2026-09-01 10:00: nothing due");
      expect(robot.hits).toHaveLength(0);
    } finally {
      await robot.close();
    }
  });

  test("bad options and bad files: exit 2, one line", async () => {
    expect((await cli(["remind", demo, "--at", "tomorrow"])).code).toBe(2);
    expect((await cli(["remind", demo, "--within", "-1"])).code).toBe(2);
    expect((await cli(["remind", demo, "--secret", "x"])).code).toBe(2);
    expect((await cli(["remind", demo, "--smtp", "smtp://127.0.0.1:1"])).err).toContain("--smtp needs --from");
    const missing = await cli(["remind", path.join(tmp, "nope.xlsx")]);
    expect(missing.code).toBe(2);
  });
});

describe("robots (stand-ins on 127.0.0.1)", () => {
  const at = ["--at", "2026-10-10 09:30"];

  test("DingTalk, signed: one markdown message per person, signature checked, @mobile in the text and in atMobiles", async () => {
    const robot = await standIn(dingtalkAnswer(DING_SECRET));
    try {
      const r = await cliReadOnly(demo, [
        "remind",
        demo,
        ...at,
        "--dingtalk",
        `${robot.url}/robot/send?access_token=T0KEN`,
        "--secret",
        DING_SECRET,
      ]);
      expect(afterWarning(r.err, "--secret")).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toContain("DingTalk：已发送 4 条");
      expect(robot.hits).toHaveLength(4);
      const byName = (n: string) => robot.hits.find((h) => h.body.markdown.title.includes(n))!;
      expect(byName("林静").body.at).toEqual({ atMobiles: ["13800000003"], isAtAll: false });
      expect(byName("林静").body.markdown.text).toContain("@13800000003");
      expect(byName("周婷").body.at.atMobiles).toEqual(["13800000002"]);
      expect(byName("李娜").body.at.atMobiles).toEqual([]);
      const text = byName("周婷").body.markdown.text as string;
      expect(byName("周婷").body.markdown.title).toBe("策划台提醒 · 周婷：超时 1 项");
      expect(text).toContain("- 202610-001 云岭茶业会员日活动 · D4 提交方案框架 · 应于 10-09 15:59 · 已超时 2 小时 31 分");
      // Only the people with something to say, each once.
      expect(new Set(robot.hits.map((h) => h.body.markdown.title.split(" · ")[1].split("：")[0]))).toEqual(
        new Set(["林静", "李娜", "周婷", "孙悦"]),
      );
    } finally {
      await robot.close();
    }
  });

  test("DingTalk with the wrong secret: exit 1 with the robot's own message and the channel; the sign is URL-encoded", async () => {
    const robot = await standIn(dingtalkAnswer(DING_SECRET));
    try {
      const r = await cliReadOnly(demo, [
        "remind",
        demo,
        ...at,
        "--dingtalk",
        `${robot.url}/robot/send?access_token=T0KEN`,
        "--secret",
        "SECwrong",
        "--lang",
        "en",
      ]);
      expect(r.code).toBe(1);
      expect(afterWarning(r.err, "--secret")).toBe(
        'planning-desk: DingTalk: failed (0 of 4 sent): {"errcode":310000,"errmsg":"sign not match"}',
      );
      // Stops at the first refusal: a robot that refuses one message refuses the next.
      expect(robot.hits).toHaveLength(1);
      expect(robot.hits[0].url.search).toMatch(/&timestamp=\d{13}&sign=[A-Za-z0-9%]+$/);
    } finally {
      await robot.close();
    }
  });

  test("the signatures are the documented ones", () => {
    // DingTalk: urlEncode(base64(HmacSHA256(secret, "timestamp\nsecret"))).
    const ts = 1700000000000;
    const raw = crypto.createHmac("sha256", "this is secret").update(`${ts}\nthis is secret`).digest("base64");
    expect(dingtalkSign(ts, "this is secret")).toBe(encodeURIComponent(raw));
    expect(decodeURIComponent(dingtalkSign(ts, "this is secret"))).toBe(raw);
    // Feishu: base64(HmacSHA256(key = "timestamp\nsecret", message = "")).
    expect(feishuSign("1700000000", "s")).toBe(crypto.createHmac("sha256", "1700000000\ns").update(Buffer.alloc(0)).digest("base64"));
    expect(normalizeMobile("+86 138-0000-0003")).toBe("13800000003");
    expect(normalizeMobile("call me")).toBeUndefined();
  });

  test("WeCom: markdown, or a text message with mentioned_mobile_list for someone with a mobile", async () => {
    const robot = await standIn(wecomAnswer);
    try {
      const r = await cliReadOnly(demo, ["remind", demo, ...at, "--wecom", `${robot.url}/cgi-bin/webhook/send?key=K3Y`]);
      expect(r.code).toBe(0);
      expect(robot.hits).toHaveLength(4);
      const withMobile = robot.hits.filter((h) => h.body.msgtype === "text");
      expect(withMobile.map((h) => h.body.text.mentioned_mobile_list)).toEqual(expect.arrayContaining([["13800000003"], ["13800000002"]]));
      const md = robot.hits.filter((h) => h.body.msgtype === "markdown");
      expect(md).toHaveLength(2);
      expect(md.map((h) => h.body.markdown.content).join("\n")).toContain("**策划台提醒 · 孙悦：今天到期 1 项**");
      for (const h of md) expect(Object.keys(h.body)).toEqual(["msgtype", "markdown"]);
    } finally {
      await robot.close();
    }
  });

  test("Feishu, signed: interactive card with lark_md, timestamp and sign in the body, <at email> for people with an e-mail", async () => {
    const robot = await standIn(feishuAnswer(FEISHU_SECRET));
    try {
      // The secret from the environment (as recommended): signed the same, and no warning.
      process.env.PLANNING_DESK_FEISHU_SECRET = FEISHU_SECRET;
      const r = await cliReadOnly(demo, ["remind", demo, ...at, "--feishu", `${robot.url}/open-apis/bot/v2/hook/abc`]).finally(
        () => delete process.env.PLANNING_DESK_FEISHU_SECRET,
      );
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(robot.hits).toHaveLength(4);
      const sun = robot.hits.find((h) => h.body.card.header.title.content.includes("孙悦"))!;
      expect(sun.body.card.elements[0].text.content).toContain("<at email=sunyue@example.com></at>");
      expect(sun.body.timestamp).toMatch(/^\d{10}$/);
      const li = robot.hits.find((h) => h.body.card.header.title.content.includes("李娜"))!;
      expect(li.body.card.elements[0].text.content).not.toContain("<at");
    } finally {
      await robot.close();
    }
  });

  test("Feishu's error code (wrong secret) is reported as Feishu's own message", async () => {
    const robot = await standIn(feishuAnswer(FEISHU_SECRET));
    try {
      const r = await cliReadOnly(demo, [
        "remind",
        demo,
        ...at,
        "--feishu",
        `${robot.url}/open-apis/bot/v2/hook/abc`,
        "--secret",
        "nope",
        "--lang",
        "en",
      ]);
      expect(r.code).toBe(1);
      expect(afterWarning(r.err, "--secret")).toBe(
        'planning-desk: Feishu: failed (0 of 4 sent): {"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
      );
    } finally {
      await robot.close();
    }
  });

  test("partial failure: a robot down (network) and one refusing; the others still go out; exit 1 naming each failed channel", async () => {
    const ding = await standIn(dingtalkAnswer(undefined));
    const wecom = await standIn(() => ({ body: { errcode: 93000, errmsg: "invalid webhook url, hint: [1700000000_abc]" } }));
    const gone = await standIn(() => ({ body: {} }));
    const goneUrl = gone.url;
    await gone.close(); // nothing listens there any more: connection refused
    try {
      const r = await cliReadOnly(demo, [
        "remind",
        demo,
        ...at,
        "--lang",
        "en",
        "--feishu",
        `${goneUrl}/open-apis/bot/v2/hook/abc`,
        "--wecom",
        `${wecom.url}/cgi-bin/webhook/send?key=K3Y`,
        "--dingtalk",
        `${ding.url}/robot/send?access_token=T0KEN`,
      ]);
      expect(r.code).toBe(1);
      expect(ding.hits).toHaveLength(4);
      expect(r.out).toContain("DingTalk: 4 messages sent");
      const errs = r.err.split("\n");
      expect(errs).toHaveLength(2);
      expect(errs[0]).toMatch(
        /^planning-desk: Feishu: failed \(0 of 4 sent\): cannot reach 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)$/,
      );
      expect(errs[1]).toBe(
        'planning-desk: WeCom: failed (0 of 4 sent): {"errcode":93000,"errmsg":"invalid webhook url, hint: [1700000000_abc]"}',
      );
    } finally {
      await ding.close();
      await wecom.close();
    }
  });

  test("an HTTP error without a robot's JSON is reported with its status", async () => {
    const robot = await standIn(() => ({ status: 502, body: "bad gateway" }));
    try {
      const r = await cliReadOnly(demo, ["remind", demo, ...at, "--lang", "en", "--wecom", `${robot.url}/cgi-bin/webhook/send?key=K3Y`]);
      expect(r.code).toBe(1);
      expect(r.err).toBe('planning-desk: WeCom: failed (0 of 4 sent): HTTP 502: "bad gateway"');
    } finally {
      await robot.close();
    }
  });

  test("a workbook without the optional Mobile and Email columns (an older Staff table) works, mentioning nobody", async () => {
    const robot = await standIn(dingtalkAnswer(undefined));
    try {
      const snapshot = await (await XlsxWorkbook.fromBytes(fs.readFileSync(bare))).read();
      expect(findTable(snapshot, "Staff")!.headers).toEqual(["姓名", "角色", "备份人", "在职"]);
      const r = await cliReadOnly(bare, ["remind", bare, ...at, "--dingtalk", `${robot.url}/robot/send?access_token=T0KEN`]);
      expect(r.code).toBe(0);
      expect(robot.hits).toHaveLength(4);
      expect(robot.hits.every((h) => h.body.at.atMobiles.length === 0)).toBe(true);
    } finally {
      await robot.close();
    }
  });
});

describe("e-mail through a real SMTP server (smtp-server on 127.0.0.1)", () => {
  interface Mail {
    from: string;
    to: string[];
    data: string;
    user?: string;
  }
  async function smtp(opts: { rejectRcpt?: string; password?: string } = {}) {
    const mails: Mail[] = [];
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === "desk" && auth.password === (opts.password ?? "pa ss")) cb(null, { user: auth.username });
        else cb(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
      },
      onRcptTo(address, _session, cb) {
        if (address.address === opts.rejectRcpt) cb(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
        else cb();
      },
      onData(stream, session, cb) {
        let data = "";
        stream.setEncoding("utf8");
        stream.on("data", (d) => (data += d));
        stream.on("end", () => {
          mails.push({
            from: (session.envelope.mailFrom as { address: string }).address,
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
            user: session.user as string,
          });
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.server.address() as AddressInfo).port;
    return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  test("one e-mail per person who has an address; people without one named; subject and lines in the workbook's language", async () => {
    const s = await smtp();
    try {
      const r = await cliReadOnly(demo, [
        "remind",
        demo,
        "--at",
        "2026-10-10 09:30",
        "--smtp",
        `smtp://desk:pa%20ss@127.0.0.1:${s.port}`,
        "--from",
        "desk@example.com",
      ]);
      expect(afterWarning(r.err, "--smtp")).toBe("");
      expect(r.code).toBe(0);
      // 周婷 and 孙悦 have addresses; 林静 and 李娜 do not.
      expect(s.mails.map((m) => m.to)).toEqual([["zhouting@example.com"], ["sunyue@example.com"]]);
      expect(s.mails.every((m) => m.from === "desk@example.com" && m.user === "desk")).toBe(true);
      expect(r.out).toContain("e-mail：已发送 2 条；人员表中没有邮箱：林静、李娜");
      const zhou = s.mails[0].data;
      expect(zhou).toMatch(/^Subject: =\?UTF-8\?/m);
      expect(zhou).toMatch(/^To: =\?UTF-8\?[BQ]\?.+\?= <zhouting@example.com>/m);
      const body = zhou
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join("\n\n");
      const decoded = /Content-Transfer-Encoding: base64/i.test(zhou)
        ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
        : decodeQP(body);
      expect(decoded).toContain("202610-001 云岭茶业会员日活动 · D4 提交方案框架 · 应于 10-09 15:59 · 已超时 2 小时 31 分");
    } finally {
      await s.close();
    }
  });

  test("a recipient refused: the others still get theirs, exit 1 with the server's answer; a wrong password: exit 1", async () => {
    const s = await smtp({ rejectRcpt: "zhouting@example.com" });
    try {
      const r = await cliReadOnly(demo, [
        "remind",
        demo,
        "--at",
        "2026-10-10 09:30",
        "--lang",
        "en",
        "--smtp",
        `smtp://desk:pa%20ss@127.0.0.1:${s.port}`,
        "--from",
        "desk@example.com",
      ]);
      expect(r.code).toBe(1);
      expect(s.mails.map((m) => m.to)).toEqual([["sunyue@example.com"]]);
      expect(afterWarning(r.err, "--smtp")).toMatch(/^planning-desk: e-mail: failed \(1 of 2 sent\): 周婷: 550 Mailbox unavailable/);
      const bad = await cliReadOnly(demo, [
        "remind",
        demo,
        "--at",
        "2026-10-10 09:30",
        "--lang",
        "en",
        "--smtp",
        `smtp://desk:wrong@127.0.0.1:${s.port}`,
        "--from",
        "desk@example.com",
      ]);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/e-mail: failed \(0 of 2 sent\): 周婷: 535 Invalid username or password/);
    } finally {
      await s.close();
    }
  });
});

function decodeQP(s: string): string {
  const bytes: number[] = [];
  const t = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < t.length; i++) {
    if (t[i] === "=" && /^[0-9A-F]{2}$/i.test(t.slice(i + 1, i + 3))) {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(t[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

describe("planning-desk calendar", () => {
  test("-o writes an RFC 5545 file: VTIMEZONE for Asia/Shanghai, stable UIDs, CRLF, folded lines; the workbook untouched", async () => {
    fs.mkdirSync(path.join(tmp, "ics"), { recursive: true });
    const out = path.join(tmp, "ics", "due.ics");
    const r = await cliReadOnly(demo, ["calendar", demo, "-o", out, "--lang", "en"]);
    expect(r.code).toBe(0);
    const ics = fs.readFileSync(out, "utf8");
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/\n|\r/);
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics).toContain("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n");
    const uids = [...ics.matchAll(/^UID:(.*)$/gm)].map((m) => m[1].trim());
    expect(new Set(uids).size).toBe(uids.length);
    expect(r.out).toBe(`written to ${out}: ${uids.length} deadlines`);
    // The same workbook exported again: the same UIDs.
    const again = await cli(["calendar", demo]);
    expect([...again.out.matchAll(/^UID:(.*)$/gm)].map((m) => m[1].trim())).toEqual(uids);
  });

  test("a workbook of broken structure: calendar says no calendar file was written, remind that no reminder was sent", async () => {
    // The Register's Card No. header renamed: a required column missing.
    const changes = demoChanges("zh");
    const register = changes.newTables.find((t) => t.name === "Register")!;
    register.headers = register.headers.map((h) => (h === "卡号" ? "编号（旧）" : h));
    expect(register.headers).toContain("编号（旧）");
    const wb = XlsxWorkbook.create();
    await wb.read();
    await wb.write(changes);
    const file = path.join(tmp, "broken-structure.xlsx");
    fs.writeFileSync(file, await wb.toBytes());
    const out = path.join(tmp, "ics", "broken.ics");
    const cal = await cliReadOnly(file, ["calendar", file, "-o", out, "--lang", "en"]);
    expect(cal.code).toBe(1);
    expect(cal.err).toMatch(/^planning-desk: the workbook's structure is broken, no calendar file was written \(fix these first\):\n/);
    expect(fs.existsSync(out)).toBe(false);
    const calZh = await cliReadOnly(file, ["calendar", file, "--lang", "zh"]);
    expect(calZh.err).toMatch(/工作簿结构有问题，未写出日历文件（请先修正以下各项）/);
    const remind = await cliReadOnly(file, ["remind", file, "--lang", "en"]);
    expect(remind.code).toBe(1);
    expect(remind.err).toMatch(/the workbook's structure is broken, no reminder was sent \(fix these first\)/);
  });

  test("--person keeps that person's deadlines; an unknown name is refused", async () => {
    const all = await cli(["calendar", demo]);
    const zhou = await cli(["calendar", demo, "--person", "周婷"]);
    expect(zhou.code).toBe(0);
    const count = (s: string) => (s.match(/BEGIN:VEVENT/g) ?? []).length;
    expect(count(zhou.out)).toBeLessThanOrEqual(count(all.out));
    expect(zhou.out.replace(/\r\n /g, "")).not.toMatch(/负责人：(?!周婷)/);
    const nobody = await cli(["calendar", demo, "--person", "无名氏", "--lang", "en"]);
    expect(nobody.code).toBe(2);
    expect(nobody.err).toBe('planning-desk: "无名氏" is not in the Staff table');
  });
});
