/**
 * App synth (the cdktf.json app command) against the cost of requiring the provider's package
 * root, measured in the same run. Prints medians of RUNS runs after one cold run of each.
 *
 *   node --import tsx bench/synth.ts [runs]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureNode, median, type RunFigures } from "./support/measure";

const ROOT = join(__dirname, "..");
const RUNS = Number(process.argv[2] ?? 5);

function appArgs(): string[] {
  const command = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string;
  const [program, ...args] = command.split(" ");
  if (program !== "node") throw new Error(`bench/synth expects a "node …" app command, found "${command}"`);
  return args;
}

function series(
  label: string,
  run: () => RunFigures,
): { label: string; cold: RunFigures; wallMs: number; peakRssMiB: number } {
  const cold = run();
  const runs = Array.from({ length: RUNS }, run);
  return {
    label,
    cold,
    wallMs: median(runs.map((r) => r.wallMs)),
    peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
  };
}

const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
const app = series("app synth", () => measureNode(appArgs(), ROOT, { CDKTF_OUTDIR: outdir }));
const baseline = series("require('@cdktf/provider-aws')", () =>
  measureNode(["-e", "require('@cdktf/provider-aws')"], ROOT),
);
rmSync(outdir, { recursive: true, force: true });

for (const s of [app, baseline]) {
  console.log(
    `${s.label.padEnd(34)} median ${s.wallMs.toFixed(0).padStart(5)} ms  peak RSS ${s.peakRssMiB.toFixed(0).padStart(4)} MiB  (first run ${s.cold.wallMs.toFixed(0)} ms, ${s.cold.peakRssMiB.toFixed(0)} MiB)`,
  );
}
console.log(`synth/baseline wall ratio ${(app.wallMs / baseline.wallMs).toFixed(2)} (goal ≤ 0.35)`);
console.log(`synth/baseline RSS ratio  ${(app.peakRssMiB / baseline.peakRssMiB).toFixed(2)}`);
