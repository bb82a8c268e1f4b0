#!/usr/bin/env node
/*
 * `npm start`: where desktop Excel can exist (Windows, macOS), sideload the add-in into it
 * with office-addin-debugging, which starts the dev server over https with Office's dev
 * certificate. Elsewhere (Linux, CI, `--workbench`), serve the workbench: the real pane over
 * an in-memory Excel, over https with the dev server's own certificate. Neither path needs
 * sudo or Microsoft's online services.
 */
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.join(__dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
const forceWorkbench = process.argv.includes("--workbench") || process.env.PLANNING_DESK_WORKBENCH === "1";
const excelPossible = process.platform === "win32" || process.platform === "darwin";

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  child.on("exit", (code) => process.exit(code ?? 0));
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  return child;
}

if (excelPossible && !forceWorkbench) {
  console.log("Sideloading Planning Desk into Excel (stop with `npm run stop-sideload`)…");
  run(bin("office-addin-debugging"), [
    "start",
    "manifest.xml",
    "desktop",
    "--dev-server",
    "npm run dev-server",
    "--dev-server-port",
    "3000",
  ]);
} else {
  console.log(
    excelPossible ? "Serving the workbench…" : "No Excel on this system: serving the workbench (the pane over an in-memory workbook)…",
  );
  run(bin("webpack"), ["serve", "--mode", "development"]);
}
