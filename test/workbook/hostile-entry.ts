/**
 * The command line from the sources for the hostile-file tests: runs it, then prints its peak
 * memory (`maxRSS`, kilobytes) and CPU time (ms) on stderr's last line so the test can hold it to its bound.
 */
import { run } from "../../src/cli/main";

void run(process.argv.slice(2)).then((code) => {
  const u = process.resourceUsage();
  process.stderr.write(`\nmaxRSS=${u.maxRSS} cpu=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
  process.exitCode = code;
});
