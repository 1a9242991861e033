/**
 * Synthesizes the app the way `cdktf synth` does (the cdktf.json app command) into an outdir of
 * its own, with only the configuration file given: no WEBHOOK_ or AWS_ settings of the caller.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

export interface SynthesizedStack {
  readonly id: string;
  readonly doc: unknown;
}

/** Every stack the app writes for `configFile` (the default configuration when undefined). */
export function synthesize(configFile: string | undefined, outdir: string): SynthesizedStack[] {
  const [program, ...args] = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string).split(
    " ",
  );
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("WEBHOOK_") && !name.startsWith("AWS_")),
  );
  const result = spawnSync(program === "node" ? process.execPath : program!, args, {
    cwd: ROOT,
    env: { ...env, CDKTF_OUTDIR: outdir, ...(configFile ? { WEBHOOK_CONFIG: configFile } : {}) },
    encoding: "utf8",
  });
  const log = join(outdir, "synth.log");
  writeFileSync(log, `${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (result.error || result.status !== 0) {
    throw new Error(
      `synth failed: ${result.error?.message ?? errorMessage(result.stderr)}\n(full log: ${log})`,
    );
  }
  const stacksDir = join(outdir, "stacks");
  const ids = existsSync(stacksDir) ? readdirSync(stacksDir).sort() : [];
  if (ids.length === 0) throw new Error(`synth wrote no stack under ${stacksDir}`);
  return ids.map((id) => ({
    id,
    doc: JSON.parse(readFileSync(join(stacksDir, id, "cdk.tf.json"), "utf8")),
  }));
}

/**
 * The thrown error's message from Node's report of an uncaught error: the lines from `…Error:` to
 * the stack trace. Node first echoes the failing line of the bundled source, often a page long.
 */
function errorMessage(stderr: string): string {
  const lines = stderr.split("\n");
  const start = lines.findIndex((line) => /^[A-Za-z]*Error\b/.test(line));
  if (start < 0) return lines.slice(-12).join("\n");
  const end = lines.findIndex((line, index) => index > start && /^\s+at /.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}
