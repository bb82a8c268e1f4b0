/**
 * Every command over the whole hostile corpus (test/workbook/hostile.ts), as a real process with
 * `--max-old-space-size=1024`: init, check, report, remind, calendar, archive and demo (all that
 * `--help` lists). A file the engine refuses is refused by each command in one line naming the
 * part, exit 2, the file byte-identical; a file with unreadable cells never crashes a command,
 * and a command that fails or only reads leaves the file as it was. No stack trace, no hang
 * (60 s for the seven commands of one file), at most 10 s of CPU per command and 1 GB in all.
 *
 * The seven commands of one file run in one process (test/cli/hostile-commands-entry.ts), the file
 * put back before each: one process per command would be ~250 starts of tsx, several minutes.
 */
import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { HOSTILE, demoBytes } from "../workbook/hostile";
import { ownMemoryChild } from "../helpers/own-memory-child";

const ROOT = path.join(__dirname, "..", "..");
const ENTRY = path.join(__dirname, "hostile-commands-entry.ts");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-hostile-all-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Result {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  cpuMs: number;
  changed: boolean;
}

/** The commands as one child process, killed (null) after 60 s. */
function runAll(plan: { source: string; target: string; commands: string[][] }): Promise<{ results: Result[]; maxRSS: number } | string> {
  const planFile = `${plan.source}.json`;
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const [cmd, argv] = ownMemoryChild(["--max-old-space-size=1024", "--import", "tsx", ENTRY, planFile]);
  const proc = spawn(cmd, argv, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LC_MESSAGES: "", HOME: tmp },
  });
  let stdout = "";
  let stderr = "";
  let killed = false;
  proc.stdout.on("data", (d) => (stdout += d));
  proc.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => {
    killed = true;
    if (proc.pid !== undefined) process.kill(-proc.pid, "SIGKILL");
  }, 60_000);
  return new Promise((resolve) =>
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").pop() ?? "";
      if (killed || code !== 0 || !last.startsWith("{"))
        resolve(`exit ${code ?? signal}${killed ? " (killed after 60 s)" : ""}\n${stderr.slice(0, 3000)}`);
      else resolve(JSON.parse(last));
    }),
  );
}

const STACK = /\n\s+at |TypeError|RangeError|ReferenceError|Cannot read properties|Invalid array length|is not a function|undefined/;

let base: Uint8Array;
beforeAll(async () => {
  base = await demoBytes();
});

describe.each(HOSTILE.map((h) => [h.name, h] as const))("%s", (_name, h) => {
  test("every command: no crash, no hang, bounded; a refusal in one line, the file byte-identical", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "f-"));
    const source = path.join(dir, "source.xlsx");
    fs.writeFileSync(source, h.build(base));
    const target = path.join(dir, "book.xlsx");
    const commands = [
      ["check", target],
      ["report", target, "--month", "2026-10"],
      ["init", target],
      ["remind", target, "--at", "2026-10-10 09:30"],
      ["calendar", target, "-o", path.join(dir, "due.ics")],
      ["archive", target, "--year", "2025"],
      ["demo", target],
    ].map((c) => [...c, "--lang", "en"]);
    const ran = await runAll({ source, target, commands });
    if (typeof ran === "string") throw new Error(ran);
    expect(ran.maxRSS * 1024).toBeLessThan(1024 * 1024 * 1024);
    for (const r of ran.results) {
      const what = `${r.args[0]}: exit ${r.code}, ${r.cpuMs} ms CPU, changed ${r.changed}\n${r.stdout.slice(-500)}\n${r.stderr.slice(0, 1000)}`;
      expect({ what, stack: STACK.test(r.stderr) }).toEqual({ what, stack: false });
      expect({ what, cpu: r.cpuMs < 10_000 }).toEqual({ what, cpu: true });
      if (r.args[0] === "demo") {
        // demo FILE never writes over an existing file without --force.
        expect({ what, code: r.code, changed: r.changed }).toEqual({ what, code: 2, changed: false });
        expect(r.stderr).toContain("already exists; it was not overwritten");
      } else if (h.expect.exit === 2) {
        expect({ what, code: r.code, changed: r.changed, lines: r.stderr.trim().split("\n").length }).toEqual({
          what,
          code: 2,
          changed: false,
          lines: 1,
        });
        expect(r.stderr).toMatch(h.expect.part);
      } else {
        expect({ what, ok: [0, 1].includes(r.code) }).toEqual({ what, ok: true });
        // Only a writing command that succeeded may change the file.
        if (r.code !== 0 || ["check", "remind", "calendar", "archive"].includes(r.args[0]))
          expect({ what, changed: r.changed }).toEqual({ what, changed: false });
      }
    }
  }, 90_000);
});
