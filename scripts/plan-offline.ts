/**
 * Offline Terraform plan check: synthesizes the default, the production and the 150-provider scale
 * configuration into temporary outdirs, rewrites a copy of every stack for the mirrored
 * hashicorp/aws provider (scripts/plan-offline/rewrite.ts), and runs `terraform init`, `validate`
 * and `plan -refresh=false` on each. Then breaks a copy on purpose to show the check catches it.
 * Skips (exit 0) without terraform or a provider mirror; exits 1 on any failure.
 *
 *   npm run plan:offline          (WEBHOOK_TF_PROVIDER_MIRROR=<dir> to name the mirror)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OfflineRewrite, rewriteForOfflinePlan } from "./plan-offline/rewrite";
import { FAULTS, type Fault, inject } from "./plan-offline/self-check";
import { type SynthesizedStack, synthesize } from "./plan-offline/synth";
import {
  type CheckResult,
  checkDocument,
  firstError,
  type TerraformRun,
  terraformEnv,
  terraformVersion,
} from "./plan-offline/terraform";
import {
  cliConfiguration,
  findAwsProviderMirror,
  findOnPath,
  MIRROR_ENV,
  mirrorCandidates,
} from "./plan-offline/tools";

interface Configuration {
  readonly name: string;
  /** The WEBHOOK_CONFIG file; the app's default configuration when absent. */
  readonly file?: string;
}

const CONFIGURATIONS: readonly Configuration[] = [
  { name: "default" },
  { name: "production", file: join(__dirname, "plan-offline", "production.json") },
  // 150 providers of every scheme: what grows with the providers stays within its AWS quota.
  { name: "scale", file: join(__dirname, "plan-offline", "scale.json") },
];

/** Lines of Terraform's error output shown inline; the log holds the rest. */
const ERROR_LINES = 60;

function main(): number {
  const started = Date.now();
  const terraform = findOnPath("terraform");
  if (!terraform) return skip("terraform not on PATH");
  const candidates = mirrorCandidates();
  const mirror = findAwsProviderMirror(candidates);
  if (!mirror) {
    const hint = process.env[MIRROR_ENV] ? `from ${MIRROR_ENV}` : `set ${MIRROR_ENV} to name one`;
    return skip(`no hashicorp/aws provider mirror found (looked in ${candidates.join(", ")}; ${hint})`);
  }

  const work = mkdtempSync(join(tmpdir(), "plan-offline-"));
  const cliConfig = join(work, "terraform.rc");
  writeFileSync(cliConfig, cliConfiguration(mirror.path));
  const run: TerraformRun = { terraform, env: terraformEnv({ TF_CLI_CONFIG_FILE: cliConfig }) };
  console.log(`plan:offline: ${terraformVersion(run)}, hashicorp/aws ${mirror.version} from ${mirror.path}`);

  const checked = CONFIGURATIONS.map((configuration) =>
    checkConfiguration(run, work, mirror.version, configuration),
  );
  let failed = checked.some((configuration) => !configuration.ok);
  if (!failed)
    failed = !selfCheck(
      run,
      work,
      checked.flatMap((configuration) => configuration.rewrites),
    );

  if (failed) {
    console.log(`plan:offline: FAILED after ${seconds(started)}; full logs in ${work}`);
    return 1;
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`plan:offline: ok in ${seconds(started)}`);
  return 0;
}

interface CheckedConfiguration {
  readonly ok: boolean;
  readonly rewrites: ReadonlyArray<{ readonly stack: string; readonly rewrite: OfflineRewrite }>;
}

/** Synthesizes one configuration under `work` and checks every stack it produced, one line each. */
function checkConfiguration(
  run: TerraformRun,
  work: string,
  awsProviderVersion: string,
  { name, file }: Configuration,
): CheckedConfiguration {
  const dir = join(work, name);
  const outdir = join(dir, "cdktf.out");
  mkdirSync(outdir, { recursive: true });
  const synthStarted = Date.now();
  let stacks: SynthesizedStack[];
  try {
    stacks = synthesize(file, outdir);
  } catch (error) {
    console.log(`${name} configuration: ${(error as Error).message}`);
    return { ok: false, rewrites: [] };
  }
  console.log(`${name} configuration: ${stacks.length} stack(s) synthesized in ${seconds(synthStarted)}`);
  let ok = true;
  const rewrites: Array<{ stack: string; rewrite: OfflineRewrite }> = [];
  for (const stack of stacks) {
    const started = Date.now();
    let rewrite: OfflineRewrite;
    try {
      rewrite = rewriteForOfflinePlan(stack.doc, { awsProviderVersion });
    } catch (error) {
      console.log(`${stack.id}  rewrite FAILED: ${(error as Error).message}`);
      ok = false;
      continue;
    }
    rewrites.push({ stack: stack.id, rewrite });
    const result = checkDocument(run, join(dir, stack.id), rewrite.doc);
    console.log(`${stack.id}  ${describe(result)}  (${rewriteNotes(rewrite)}; ${seconds(started)})`);
    if (!result.ok) {
      console.log(indent(firstLines(result.output.trim(), ERROR_LINES)));
      ok = false;
    }
  }
  return { ok, rewrites };
}

/**
 * Injects each fault into a copy of the first stack that has a place for it; true when Terraform
 * rejected every one, naming the fault.
 */
function selfCheck(run: TerraformRun, work: string, rewrites: CheckedConfiguration["rewrites"]): boolean {
  let detectedAll = true;
  for (const [index, fault] of FAULTS.entries()) {
    const target = injectIntoFirst(fault, rewrites);
    if (!target) {
      console.log(`self-check FAILED: ${fault.name}: no stack has a ${fault.resourceType} to inject it into`);
      detectedAll = false;
      continue;
    }
    const { stack, doc, where } = target;
    const result = checkDocument(run, join(work, "self-check", String(index + 1)), doc);
    const caught = !result.ok && result.output.includes(fault.evidence);
    const outcome = result.ok
      ? "passed"
      : `${result.step} failed${caught ? "" : ` without naming ${fault.evidence}`}: ${firstError(result.output)}`;
    console.log(`self-check ${caught ? "ok" : "FAILED"}: ${fault.name} (${stack}: ${where}) → ${outcome}`);
    if (!caught) {
      console.log(`plan:offline: the plan check cannot detect ${fault.name}`);
      detectedAll = false;
    }
  }
  return detectedAll;
}

function injectIntoFirst(fault: Fault, rewrites: CheckedConfiguration["rewrites"]) {
  for (const { stack, rewrite } of rewrites) {
    const injected = inject(fault, rewrite.doc);
    if (injected) return { stack, ...injected };
  }
  return undefined;
}

function describe(result: CheckResult): string {
  if (!result.ok) return `${result.step} FAILED`;
  const warnings = result.warnings > 0 ? `, ${result.warnings} warning(s)` : "";
  return `validate ok  plan: ${result.plan}${warnings}`;
}

function rewriteNotes(rewrite: OfflineRewrite): string {
  const substitutions = rewrite.substitutions.map(({ label, count }) => `${label} ×${count}`);
  const notes = [`substitutions: ${substitutions.join(", ") || "none"}`];
  if (rewrite.keptDataSources.length > 0)
    notes.push(`data sources read: ${rewrite.keptDataSources.join(", ")}`);
  return notes.join("; ");
}

function skip(reason: string): number {
  console.log(`plan:offline: skipped — ${reason}`);
  return 0;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function firstLines(text: string, count: number): string {
  const lines = text.split("\n");
  return lines.length <= count
    ? text
    : [...lines.slice(0, count), `… (${lines.length - count} more lines)`].join("\n");
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

process.exitCode = main();
