#!/usr/bin/env node
/*
 * `npm test`: every test.
 *  1. type-check the whole project (tsc);
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
    process.exit(r.status || 1);
  }
}

step("type-check", bin("tsc"), ["-p", ".", "--noEmit"]);
step("jest, TZ=Asia/Shanghai", bin("jest"), ["--selectProjects", "unit", ...passArgs], { TZ: "Asia/Shanghai" });
step("jest again, TZ=America/Los_Angeles", bin("jest"), ["--selectProjects", "unit", ...passArgs], { TZ: "America/Los_Angeles" });
if (fs.existsSync(path.join(root, "test", "browser"))) {
  step("browser tests (Chromium)", bin("jest"), ["--selectProjects", "browser", ...passArgs], { TZ: "Asia/Shanghai" });
}
