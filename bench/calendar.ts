/** Issue 2's figures: the custom functions against chinese-days and date-fns, the calendar build, the bundle. */
import { execFileSync } from "child_process";
import fs from "fs";
import path from "path";
import zlib from "zlib";
import { addBusinessDays } from "date-fns";
import { findWorkday, isWorkday } from "chinese-days";
import { BusinessCalendar, formatDay, serialDay } from "../src/core/calendar";
import { due, isworkday, overdue, workdays } from "../src/functions/functions";
import { bestOf, ns, record, rng } from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */
const DUE = due as (...a: any[]) => any;
const WORKDAYS = workdays as (...a: any[]) => any;
const OVERDUE = overdue as (...a: any[]) => any;
const ISWORKDAY = isworkday as (...a: any[]) => any;

export function benchCalendar(): void {
  const N = 1_000_000;
  const rand = rng(2);
  const first = serialDay(2024, 1, 1);
  const span = serialDay(2026, 12, 31) - first;
  const starts = new Float64Array(N);
  const ends = new Float64Array(N);
  const counts = new Float64Array(N);
  const isoDays: string[] = new Array(N);
  const jsDates: Date[] = new Array(N);
  for (let i = 0; i < N; i++) {
    starts[i] = first + Math.floor(rand() * span * 1440) / 1440;
    ends[i] = first + Math.floor(rand() * span * 1440) / 1440;
    counts[i] = Math.round(rand() * 40) / 2 - 5; // -5 … 15 in halves
    isoDays[i] = formatDay(Math.floor(starts[i]));
    jsDates[i] = new Date(isoDays[i] + "T00:00:00");
  }
  const buildMs = bestOf(20, () => new BusinessCalendar());
  record("calendar built (1900–2199 table, official days)", `${buildMs.toFixed(2)} ms`, "< 5 ms", buildMs < 5);

  let sink = 0;
  const dueMs = bestOf(3, () => {
    for (let i = 0; i < N; i++) sink += DUE(starts[i], counts[i]);
  });
  const wdMs = bestOf(3, () => {
    for (let i = 0; i < N; i++) sink += WORKDAYS(starts[i], ends[i]);
  });
  const isMs = bestOf(3, () => {
    for (let i = 0; i < N; i++) sink += ISWORKDAY(starts[i]) ? 1 : 0;
  });
  const odMs = bestOf(3, () => {
    for (let i = 0; i < N; i++) sink += OVERDUE(starts[i], ends[i]);
  });
  const M = 100_000; // the libraries are slower: a tenth of the inputs, reported per call
  const cdIsMs = bestOf(1, () => {
    for (let i = 0; i < M; i++) sink += isWorkday(isoDays[i]) ? 1 : 0;
  });
  const cdFindMs = bestOf(1, () => {
    for (let i = 0; i < M; i++) sink += findWorkday(Math.round(counts[i]), isoDays[i]).length;
  });
  const dfMs = bestOf(1, () => {
    for (let i = 0; i < M; i++) sink += addBusinessDays(jsDates[i], Math.round(counts[i])).getTime();
  });
  const perDue = (dueMs * 1e6) / N;
  const perIs = (isMs * 1e6) / N;
  const perFind = (cdFindMs * 1e6) / M;
  const perCdIs = (cdIsMs * 1e6) / M;
  record("PLAN.DUE (working hours) per call, 1M inputs", ns(dueMs, N));
  record("PLAN.WORKDAYS per call, 1M inputs", ns(wdMs, N));
  record("PLAN.ISWORKDAY per call, 1M inputs", ns(isMs, N));
  record("PLAN.OVERDUE per call, 1M inputs", ns(odMs, N));
  record("chinese-days isWorkday per call", ns(cdIsMs, M));
  record("chinese-days findWorkday per call (whole days)", ns(cdFindMs, M));
  record("date-fns addBusinessDays per call (weekends only)", ns(dfMs, M));
  record("PLAN.DUE speed-up over findWorkday", `${(perFind / perDue).toFixed(0)}×`, "≥ 20×", perFind / perDue >= 20);
  record("PLAN.ISWORKDAY speed-up over isWorkday", `${(perCdIs / perIs).toFixed(0)}×`, "≥ 5×", perCdIs / perIs >= 5);

  const column = Array.from({ length: 100_000 }, (_, i) => [starts[i]]);
  const rangeMs = bestOf(5, () => {
    sink += DUE(column, [[1]]).length;
  });
  record("PLAN.DUE over a 100,000-cell range, one call", `${rangeMs.toFixed(1)} ms`, "< 50 ms", rangeMs < 50);

  const root = path.join(__dirname, "..");
  execFileSync(process.execPath, [path.join(root, "node_modules", "webpack", "bin", "webpack.js"), "--mode", "production"], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, ADDIN_URL: "" },
  });
  const gz = (f: string) => zlib.gzipSync(fs.readFileSync(path.join(root, "dist", f)), { level: 9 }).length;
  const fnKb = gz("functions.js") / 1024;
  record("functions bundle (code + calendar data), gzipped", `${fnKb.toFixed(1)} KB`, "< 40 KB", fnKb < 40);
  if (sink === 42) console.log(""); // keep the results alive
}
