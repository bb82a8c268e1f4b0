/** Issue 4's figures: the task-pane bundle's size, and the pane's first render with 5,000 cards in the workbench (real Chromium). */
import fs from "fs";
import path from "path";
import zlib from "zlib";
import { buildWorkbench, launch, serve } from "../test/browser/harness";
import { record } from "./util";

export async function benchPane(): Promise<void> {
  const dir = await buildWorkbench();
  const gz = zlib.gzipSync(fs.readFileSync(path.join(dir, "taskpane.js"))).length;
  record("task-pane bundle (taskpane.js, gzipped)", `${(gz / 1024).toFixed(1)} KB`, "< 150 KB", gz < 150 * 1024);
  const server = await serve(dir);
  const browser = await launch();
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      // A planner with about 1,260 cards: "My work" evaluates every card's permissions and deadlines.
      await page.addInitScript(() => window.localStorage.setItem("planning-desk.me", "刘洋"));
      await page.goto(`${server.url}/workbench.html?lang=zh&cards=5000&now=2026-11-02T10:00`);
      await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
      times.push(await page.evaluate(() => (window as unknown as { workbench: { firstRender: number } }).workbench.firstRender));
      await page.close();
    }
    const best = Math.min(...times);
    record("first render of the pane, 5,040 cards, My work of a planner (workbench)", `${best.toFixed(0)} ms`, "< 1 s", best < 1000);
  } finally {
    await browser.close();
    await server.close();
  }
}
