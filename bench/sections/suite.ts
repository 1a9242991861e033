import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
/** What a fresh clone lacks: the bundles the synth and the CLI reuse, the functions' zips. */
const BUILD_CACHES = [join(ROOT, ".cache"), join(ROOT, "node_modules", ".cache", "webhook-bundles")];
const GOAL_SECONDS = 30;

/**
 * Wall time of `npm test` as CI runs it on a fresh clone: every cache cold (jest's transform
 * cache, the bundle caches), the type check, the lint and jest at once.
 */
export function benchSuite(): void {
  console.log("\n## Test suite (`npm test`, cold caches as on a fresh clone)");
  spawnSync("npx", ["jest", "--clearCache"], { cwd: ROOT, encoding: "utf8" });
  for (const cache of BUILD_CACHES) rmSync(cache, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync("npm", ["test"], {
    cwd: ROOT,
    env: { ...process.env, CI: "true" },
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const output = `${result.stdout}\n${result.stderr}`;
  const jest = /jest: .*/.exec(output)?.[0] ?? "jest: no summary";
  const steps = ["typecheck", "lint"].map(
    (step) => new RegExp(`^${step}: .*`, "m").exec(output)?.[0] ?? `${step}: ?`,
  );
  console.log(
    `npm test ${seconds.toFixed(1).padStart(6)} s (goal ≤ ${GOAL_SECONDS} s)  exit ${result.status}  ${jest}; ${steps.join("; ")}`,
  );
}
