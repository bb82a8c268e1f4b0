/**
 * The command line from the sources for the hostile-file tests: runs it, then prints its peak
 * memory (`maxRSS`, kilobytes) on stderr's last line so the test can hold it to its bound.
 */
import { run } from "../../src/cli/main";

run(process.argv.slice(2)).then((code) => {
  process.stderr.write(`\nmaxRSS=${process.resourceUsage().maxRSS}\n`);
  process.exitCode = code;
});
