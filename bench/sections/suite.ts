import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** Wall time of each step of `npm test`, run as CI runs it, and jest's own count. */
export function benchSuite(): void {
  console.log("\n## Test suite (`npm test`: each step's wall time)");
  let total = 0;
  for (const step of ["typecheck", "lint", "jest"]) {
    const started = process.hrtime.bigint();
    const result = spawnSync("npm", ["run", "--silent", step], {
      cwd: ROOT,
      env: { ...process.env, CI: "true" },
      encoding: "utf8",
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    total += seconds;
    const output = `${result.stdout}\n${result.stderr}`;
    const summary = /jest: .*/.exec(output)?.[0] ?? (result.status === 0 ? "ok" : `exit ${result.status}`);
    console.log(`${step.padEnd(10)} ${seconds.toFixed(1).padStart(6)} s  ${summary}`);
  }
  console.log(`${"total".padEnd(10)} ${total.toFixed(1).padStart(6)} s`);
}
