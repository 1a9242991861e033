/**
 * App synth (the cdktf.json app command) against the cost of requiring the provider's package
 * root, measured in the same run: medians of `runs` runs after one cold run of each.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { measureNode, median, type RunFigures } from "../support/measure";

const ROOT = join(__dirname, "..", "..");

function appArgs(): string[] {
  const command = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string;
  const [program, ...args] = command.split(" ");
  if (program !== "node") throw new Error(`bench expects a "node …" app command, found "${command}"`);
  return args;
}

function series(label: string, runs: number, run: () => RunFigures) {
  const cold = run();
  const figures = Array.from({ length: runs }, run);
  return {
    label,
    cold,
    wallMs: median(figures.map((r) => r.wallMs)),
    peakRssMiB: median(figures.map((r) => r.peakRssMiB)),
  };
}

/** Prints synth against the root-import baseline; the last synth's output stays in `outdir`. */
export function benchSynth(runs: number, outdir: string): void {
  const app = series("app synth", runs, () => measureNode(appArgs(), ROOT, { CDKTF_OUTDIR: outdir }));
  const baseline = series("require('@cdktf/provider-aws')", runs, () =>
    measureNode(["-e", "require('@cdktf/provider-aws')"], ROOT),
  );
  console.log(`\n## Synth (median of ${runs} after one cold run each)`);
  for (const s of [app, baseline]) {
    console.log(
      `${s.label.padEnd(34)} median ${s.wallMs.toFixed(0).padStart(5)} ms  peak RSS ${s.peakRssMiB.toFixed(0).padStart(4)} MiB  (first run ${s.cold.wallMs.toFixed(0)} ms, ${s.cold.peakRssMiB.toFixed(0)} MiB)`,
    );
  }
  console.log(`synth/baseline wall ratio ${(app.wallMs / baseline.wallMs).toFixed(2)} (goal ≤ 0.25)`);
  console.log(`synth/baseline RSS ratio  ${(app.peakRssMiB / baseline.peakRssMiB).toFixed(2)}`);
}
