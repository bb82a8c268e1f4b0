#!/usr/bin/env node
/*
 * `npm test`: every test.
 *  1. type-check the whole project (tsc), lint (ESLint with typescript-eslint's type-aware rules)
 *     and check the formatting (Prettier);
 *  2. all Jest suites with the office's time zone, TZ=Asia/Shanghai;
 *  3. the same suites again under TZ=America/Los_Angeles: results must not depend on the
 *     machine's time zone;
 *  4. the browser tests, when there are any (real Chromium, see test/browser).
 */
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");
const fs = require("fs");

const root = path.join(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const passArgs = process.argv.slice(2);

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n${title}: failed (exit ${r.status ?? r.signal})`);
    process.exitCode = r.status || 1;
    throw new Error(`${title} failed`);
  }
}

step("type-check", bin("tsc"), ["-p", ".", "--noEmit"]);
step("lint", bin("eslint"), ["--max-warnings", "0", "."]);
step("format", bin("prettier"), ["--check", "--log-level", "warn", "."]);
const totals = { passed: 0, failed: 0 };
const outDir = path.join(root, "test-artifacts");
fs.mkdirSync(outDir, { recursive: true });
function jest(title, project, tz) {
  const out = path.join(outDir, `jest-${project}-${tz.replace("/", "_")}.json`);
  try {
    step(title, bin("jest"), ["--selectProjects", project, "--json", `--outputFile=${out}`, ...passArgs], { TZ: tz });
  } finally {
    if (fs.existsSync(out)) {
      const r = JSON.parse(fs.readFileSync(out, "utf8"));
      totals.passed += r.numPassedTests;
      totals.failed += r.numFailedTests;
    }
  }
}

jest("jest, TZ=Asia/Shanghai", "unit", "Asia/Shanghai");
jest("jest again, TZ=America/Los_Angeles", "unit", "America/Los_Angeles");
if (fs.existsSync(path.join(root, "test", "browser"))) {
  jest("browser tests (Chromium)", "browser", "Asia/Shanghai");
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`);
