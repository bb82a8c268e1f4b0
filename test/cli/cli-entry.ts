/**
 * The command line from the sources, for tests that need a real process:
 * `node --import tsx test/cli/cli-entry.ts <command> ...` (what bin/planning-desk.js does with lib/).
 */
// The package each write produces is checked against the OPC rules, as in the in-process tests.
import "../setup/package-invariants";
import { run } from "../../src/cli/main";

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
