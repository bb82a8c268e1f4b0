/**
 * A route step past its limit, through the real `planning-desk remind` on an .xlsx file, with
 * DingTalk played by a stand-in on 127.0.0.1: the people the step waits for hear about it on
 * every run, and after the limit so does the escalation role. Nothing leaves this machine, and
 * the workbook is only read.
 */
import crypto from "crypto";
import fs from "fs";
import http from "http";
import os from "os";
import path from "path";
import { AddressInfo } from "net";
import { toSerial } from "../../src/core/calendar";
import { run } from "../../src/cli/main";
import { CellValue } from "../../src/workbook/port";
import { COUNTERSIGN_LOG, STAFF } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { registerRow } from "../workbook/helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-routes-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const staffRow = (name: string, role: string, mobile: string): CellValue[] => {
  const v: Record<string, CellValue> = { name, role, active: "是", mobile };
  return STAFF.columns.map((c) => v[c.key] ?? null);
};
const logRow = (v: Record<string, CellValue>): CellValue[] => COUNTERSIGN_LOG.columns.map((c) => v[c.key] ?? null);

/** A work order (客户总监 and 客户主管 must both sign within one business day, else 总监 is told) and a proposal. */
async function workbook(signedByDirector: boolean): Promise<string> {
  const wb = XlsxWorkbook.create();
  const changes = setupChanges(await wb.read(), "zh");
  const t = (name: string) => {
    const found = changes.newTables.find((x) => x.name === name);
    if (!found) throw new Error(name);
    return found;
  };
  t("Staff").rows = [
    staffRow("赵敏", "客户总监", "13800000011"),
    staffRow("孙立", "客户主管", "13800000012"),
    staffRow("陈刚", "总监", "13800000013"),
    staffRow("刘洋", "策划", "13800000014"),
    staffRow("林静", "秘书", "13800000015"),
  ];
  const received = toSerial(2026, 11, 2, 9, 0);
  t("Register").rows = [
    registerRow({
      cardNo: "202611-001",
      project: "双十一门店物料工单",
      type: "工单",
      key: "否",
      intake: "AE",
      initiator: "赵敏",
      received,
      brief: toSerial(2026, 11, 2, 10, 0),
    }),
    registerRow({
      cardNo: "202611-002",
      project: "新品发布",
      key: "否",
      intake: "AE",
      initiator: "刘洋",
      lead: "刘洋",
      received,
      replied: received + 0.05,
      assigned: received + 0.05,
      brief: toSerial(2026, 11, 2, 10, 0),
    }),
  ];
  if (signedByDirector)
    t("CountersignLog").rows = [
      logRow({
        time: toSerial(2026, 11, 2, 15, 0),
        cardNo: "202611-001",
        action: "会签",
        actor: "赵敏",
        role: "客户总监",
        hash: "0000000000000000",
      }),
    ];
  await wb.write(changes);
  const file = path.join(tmp, `wo-${signedByDirector ? "one" : "none"}.xlsx`);
  fs.writeFileSync(file, await wb.toBytes());
  return file;
}

async function dingtalk(): Promise<{ url: string; texts: { mobiles: string[]; text: string }[]; close: () => Promise<void> }> {
  const texts: { mobiles: string[]; text: string }[] = [];
  const server = http.createServer((req, res) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (data += d));
    req.on("end", () => {
      const body: unknown = JSON.parse(data);
      const ok = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("access_token") === "T0KEN";
      if (ok && typeof body === "object" && body !== null && "markdown" in body && "at" in body) {
        const md: unknown = Reflect.get(body, "markdown");
        const at: unknown = Reflect.get(body, "at");
        const mobiles: unknown = Reflect.get(Object(at), "atMobiles");
        texts.push({ mobiles: Array.isArray(mobiles) ? mobiles.map(String) : [], text: String(Reflect.get(Object(md), "text")) });
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(ok ? { errcode: 0, errmsg: "ok" } : { errcode: 300001, errmsg: "token is not exist" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address: string | AddressInfo | null = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/robot/send?access_token=T0KEN`, texts, close: () => new Promise((r) => server.close(() => r())) };
}

async function remind(file: string, at: string, url: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const before = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  const code = await run(
    ["remind", file, "--at", at, "--dingtalk", url],
    (s) => out.push(s),
    (s) => out.push(s),
  );
  expect(crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(before);
  return { code, out: out.join("\n") };
}

describe("remind: route steps and escalation", () => {
  test("before the limit the signers hear it is due today; the director hears nothing", async () => {
    const robot = await dingtalk();
    try {
      const r = await remind(await workbook(false), "2026-11-03 09:30", robot.url);
      expect(r.code).toBe(0);
      expect(r.out).toContain("202611-001 双十一门店物料工单 · R1 审批：工单 第1步 客户总监+客户主管 · 应于 今天 10:00");
      const to = (mobile: string) => robot.texts.filter((t) => t.mobiles.includes(mobile));
      expect(to("13800000011")).toHaveLength(1);
      expect(to("13800000012")).toHaveLength(1);
      expect(to("13800000013")).toEqual([]);
      // The proposal's countersign has no limit in its rows: nothing about it but its own deadlines.
      expect(r.out).not.toContain("202611-002 新品发布 · R");
    } finally {
      await robot.close();
    }
  });

  test("past the limit, with one of two signatures: the one still missing is told, and the director with whom it waits for", async () => {
    const robot = await dingtalk();
    try {
      const r = await remind(await workbook(true), "2026-11-04 10:00", robot.url);
      expect(r.code).toBe(0);
      const zhao = robot.texts.filter((t) => t.mobiles.includes("13800000011"));
      const sun = robot.texts.filter((t) => t.mobiles.includes("13800000012"));
      const chen = robot.texts.filter((t) => t.mobiles.includes("13800000013"));
      expect(zhao).toEqual([]); // signed: one signature is not the step, but it is hers
      expect(sun).toHaveLength(1);
      expect(sun[0].text).toContain("R1 审批：工单 第1步 客户总监+客户主管 · 应于 11-03 10:00 · 已超时 1 个工作日");
      expect(chen).toHaveLength(1);
      expect(chen[0].text).toContain("R1 上报：工单 第1步 客户总监+客户主管 审批超时（等待 孙立） · 应于 11-03 10:00 · 已超时 1 个工作日");
      // Every run says it again.
      await remind(await workbook(true), "2026-11-05 10:00", robot.url);
      expect(robot.texts.filter((t) => t.mobiles.includes("13800000013"))).toHaveLength(2);
    } finally {
      await robot.close();
    }
  });
});
