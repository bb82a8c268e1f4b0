/**
 * The command line from the sources, for tests that need a real process:
 * `node --import tsx test/cli/cli-entry.ts <command> ...` (what bin/planning-desk.js does with lib/).
 */
import { run } from "../../src/cli/main";

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
