/**
 * Every command of the command line, one after another in one process, over one hostile file
 * (test/cli/hostile-commands.test.ts): before each, the file is put back from `source`; after
 * each, what it printed, its exit code, its CPU time and whether the file changed. One process
 * per file, not per command, so that the whole corpus runs in a minute or two; the last line
 * is JSON, with the process's peak memory (maxRSS, kilobytes).
 */
import crypto from "crypto";
import fs from "fs";
import { run } from "../../src/cli/main";

interface Plan {
  source: string;
  target: string;
  commands: string[][];
}

const sha = (f: string): string => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");

async function main(): Promise<void> {
  const plan: Plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const results = [];
  for (const args of plan.commands) {
    fs.copyFileSync(plan.source, plan.target);
    const before = sha(plan.target);
    const out: string[] = [];
    const err: string[] = [];
    const cpu0 = process.cpuUsage();
    const code = await run(
      args,
      (s) => out.push(s),
      (s) => err.push(s),
    );
    const cpu = process.cpuUsage(cpu0);
    results.push({
      args,
      code,
      stdout: out.join("\n").slice(-2000),
      stderr: err.join("\n").slice(0, 4000),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      changed: sha(plan.target) !== before,
    });
  }
  process.stdout.write(`\n${JSON.stringify({ results, maxRSS: process.resourceUsage().maxRSS })}\n`);
}

void main();
