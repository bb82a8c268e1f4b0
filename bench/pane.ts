/**
 * The pane's figures: the task-pane bundle's size; the first render (read, derive, draw) of My
 * work and of the Overview with 5,000 cards in the workbench (real Chromium); and one action on
 * that workbook from the click to the updated view (validate, one read, one write, derive, draw).
 */
import fs from "fs";
import path from "path";
import zlib from "zlib";
import type { Browser } from "playwright-core";
import { buildWorkbench, launch, serve } from "../test/browser/harness";
import { record } from "./util";

type WB = { workbench: { firstRender: number; idle(): Promise<void> } };

async function firstRender(browser: Browser, url: string, me: string, query: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.addInitScript((name) => window.localStorage.setItem("planning-desk.me", name), me);
    await page.goto(`${url}/workbench.html?lang=zh&cards=5000&now=2026-11-02T10:00${query}`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    times.push(await page.evaluate(() => (window as unknown as WB).workbench.firstRender));
    await page.close();
  }
  return Math.min(...times);
}

/** 周婷 countersigns BIG-00002 (her card, in countersign): click → validate → read → write → derive → draw. */
async function actionTime(browser: Browser, url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.addInitScript(() => window.localStorage.setItem("planning-desk.me", "周婷"));
    await page.goto(`${url}/workbench.html?lang=zh&cards=5000&now=2026-11-02T10:00&view=all`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    await page.fill("#pd-filter-text", "BIG-00002");
    await page.press("#pd-filter-text", "Enter");
    await page.click('#pd-all button.pd-card-row[data-card="BIG-00002"]');
    await page.waitForSelector('fluent-button[data-action="sign"]:not([disabled])');
    const ms = await page.evaluate(async () => {
      const t0 = performance.now();
      (document.querySelector('fluent-button[data-action="sign"]') as HTMLElement).click();
      await (window as unknown as WB).workbench.idle();
      return performance.now() - t0;
    });
    const msg = (await page.textContent(".pd-msg")) ?? "";
    if (!msg.includes("已会签")) throw new Error(`the action did not happen: ${msg}`);
    times.push(ms);
    await page.close();
  }
  return Math.min(...times);
}

export async function benchPane(): Promise<void> {
  const dir = await buildWorkbench();
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dir, "taskpane.js"))).length;
  record("task-pane bundle (taskpane.js, gzipped)", `${(gz / 1024).toFixed(1)} KB`, "< 150 KB", gz < 150 * 1024);
  const server = await serve(dir);
  const browser = await launch();
  try {
    // A planner with about 1,260 cards: My work checks every card's actions and deadlines.
    const mine = await firstRender(browser, server.url, "刘洋", "");
    record("first render, 5,040 cards: My work of a planner (workbench)", `${mine.toFixed(0)} ms`, "< 300 ms", mine < 300);
    const overview = await firstRender(browser, server.url, "陈刚", "&view=all");
    record("first render, 5,040 cards: Overview of the director", `${overview.toFixed(0)} ms`, "< 300 ms", overview < 300);
    const action = await actionTime(browser, server.url);
    record("an action on 5,040 cards, click to updated view", `${action.toFixed(0)} ms`, "< 400 ms", action < 400);
  } finally {
    await browser.close();
    await server.close();
  }
}
