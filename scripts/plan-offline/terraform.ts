/**
 * `terraform init`, `validate` and `plan -refresh=false` of one document in its own work
 * directory, each step's full output kept in `<step>.log` there; and the few facts read from
 * Terraform's output (plan counts, warnings, the first error).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type Step = "init" | "validate" | "plan";

const STEPS: ReadonlyArray<readonly [Step, readonly string[]]> = [
  ["init", ["init", "-input=false", "-no-color"]],
  ["validate", ["validate", "-no-color"]],
  ["plan", ["plan", "-refresh=false", "-lock=false", "-input=false", "-no-color"]],
];

export type CheckResult =
  | { readonly ok: true; readonly plan: string; readonly warnings: number }
  | { readonly ok: false; readonly step: Step; readonly output: string };

export interface TerraformRun {
  readonly terraform: string;
  /** The environment Terraform runs in: its CLI configuration, no AWS or stray TF_ settings. */
  readonly env: NodeJS.ProcessEnv;
}

/** Writes `doc` as `cdk.tf.json` into `dir` and runs the steps until one fails. */
export function checkDocument(run: TerraformRun, dir: string, doc: unknown): CheckResult {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), `${JSON.stringify(doc, null, 2)}\n`);
  let warnings = 0;
  let plan = "";
  for (const [step, args] of STEPS) {
    const started = Date.now();
    const result = spawnSync(run.terraform, args, { cwd: dir, env: run.env, encoding: "utf8" });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    const took = `(${((Date.now() - started) / 1000).toFixed(1)} s, exit ${result.status})`;
    writeFileSync(join(dir, `${step}.log`), `$ terraform ${args.join(" ")}  ${took}\n${output}`);
    if (result.error) return { ok: false, step, output: result.error.message };
    if (result.status !== 0) return { ok: false, step, output: result.stderr || output };
    if (step !== "init") warnings += countWarnings(output);
    if (step === "plan") plan = planSummary(result.stdout);
  }
  return { ok: true, plan, warnings };
}

/** `154 to add, 0 to change, 0 to destroy` from plan's output; `no changes` when there are none. */
export function planSummary(stdout: string): string {
  const counts = /^Plan: (.+)\.$/m.exec(stdout);
  if (counts) return counts[1]!;
  return /^No changes\./m.test(stdout) ? "no changes" : "no plan summary found";
}

export function countWarnings(output: string): number {
  return output.match(/^(?:│ )?Warning: /gm)?.length ?? 0;
}

/** Terraform's first error, `Error: <summary>` and its explanation, on one line. */
export function firstError(output: string): string {
  const lines = output.split("\n").map((line) => line.replace(/^│\s?/, "").trim());
  const start = lines.findIndex((line) => line.startsWith("Error: "));
  if (start < 0) return lines.find((line) => line) ?? "(no output)";
  const rest = lines.slice(start + 1);
  const next = rest.findIndex((line) => /^(Error|Warning): /.test(line));
  // The error's own text is split into paragraphs; those naming the source location start with `with`/`on`.
  const explanation = paragraphs(next < 0 ? rest : rest.slice(0, next)).find(
    (paragraph) => !/^(with|on) /.test(paragraph[0]!),
  );
  return explanation ? `${lines[start]} — ${explanation.join(" ")}` : lines[start]!;
}

function paragraphs(lines: readonly string[]): string[][] {
  const found: string[][] = [[]];
  for (const line of lines) {
    if (line) found.at(-1)!.push(line);
    else if (found.at(-1)!.length > 0) found.push([]);
  }
  return found.filter((paragraph) => paragraph.length > 0);
}

export function terraformVersion(run: TerraformRun): string {
  const result = spawnSync(run.terraform, ["version", "-json"], { env: run.env, encoding: "utf8" });
  try {
    return `terraform ${JSON.parse(result.stdout).terraform_version}`;
  } catch {
    return "terraform (version unknown)";
  }
}

/** The environment for Terraform: the caller's without AWS_ and TF_ variables, plus the given ones. */
export function terraformEnv(settings: Record<string, string>, env = process.env): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([name]) => !name.startsWith("AWS_") && !name.startsWith("TF_"));
  return { ...Object.fromEntries(kept), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", ...settings };
}
