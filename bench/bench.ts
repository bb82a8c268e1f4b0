/**
 * `npm run bench`: every performance target of the issues, measured in one process and one
 * run, printed as a table. Targets are reported, not asserted: a miss prints ✗.
 */
import { benchCalendar } from "./calendar";
import { benchFiles } from "./files";
import { benchLimits } from "./limits";
import { benchInbox } from "./inbox";
import { benchMonth } from "./month";
import { benchPane } from "./pane";
import { figures } from "./util";
import { benchWorkbook } from "./workbook";

async function main(): Promise<void> {
  console.log(
    `Planning Desk benchmarks — node ${process.version}, ${process.platform}/${process.arch}, TZ=${process.env.TZ ?? "(unset)"}\n`,
  );
  benchCalendar();
  await benchWorkbook();
  await benchFiles();
  await (await import("./remind")).benchRemind();
  await benchMonth();
  await benchLimits();
  benchInbox();
  await benchPane();
  const missed = figures.filter((f) => f.ok === false);
  console.log(missed.length ? `\n${missed.length} target(s) missed.` : "\nAll targets met.");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
