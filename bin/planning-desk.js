#!/usr/bin/env node
// The `planning-desk` command: the compiled CLI (npm install runs `prepare`, which builds lib/).
"use strict";
const path = require("path");
const fs = require("fs");
const main = path.join(__dirname, "..", "lib", "cli", "main.js");
if (!fs.existsSync(main)) {
  console.error("planning-desk is not built yet: run `npm install` (or `npm run prepare`) in the repository first.");
  process.exit(2);
}
require(main)
  .run(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
