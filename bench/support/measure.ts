import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunFigures {
  readonly wallMs: number;
  readonly peakRssMiB: number;
}

const PROBE = join(__dirname, "report-rss.cjs");

/** Runs `node <args>` once; wall time from spawn to exit, peak RSS of every node process it started. */
export function measureNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunFigures {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const rssFile = join(dir, "rss");
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", PROBE, ...args], {
    cwd,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${result.stderr}`);
  const peakKiB = Math.max(...readFileSync(rssFile, "utf8").trim().split("\n").map(Number));
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, peakRssMiB: peakKiB / 1024 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
