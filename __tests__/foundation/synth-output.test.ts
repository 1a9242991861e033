import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { App } from "cdktf";
import { addPlatformStacks, validationProblems } from "../../stacks/app";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { SYNTH_FAILURE_FILE } from "../../stacks/synth-failure";

const ROOT = join(__dirname, "..", "..");

interface Run {
  readonly outdir: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the cdktf.json app command as `cdktf synth` does: no AWS credentials, no WEBHOOK_ settings but `env`. */
function synth(env: Record<string, string>, outdir = mkdtempSync(join(tmpdir(), "synth-"))): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_") && !name.startsWith("WEBHOOK_")),
  );
  const [program, ...args] = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string).split(
    " ",
  );
  return new Promise((resolve) => {
    execFile(
      program === "node" ? process.execPath : program!,
      args,
      { cwd: ROOT, env: { ...clean, CDKTF_OUTDIR: outdir, ...env } },
      (error, stdout, stderr) => resolve({ outdir, code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const BAD_FILE = join(mkdtempSync(join(tmpdir(), "config-")), "bad.json");
const PROBLEMS = [
  "config: providers[0].apiKeyRequried: unknown key; did you mean apiKeyRequired?",
  'config: backend.type: expected one of local, s3, got "gcs"',
  "config: routes[0].eventPattern.source: names webhooks.paypal, not a platform source (one per provider: webhooks.stripe)",
];

let failed: Run;
let succeeded: Run;

beforeAll(async () => {
  writeFileSync(
    BAD_FILE,
    JSON.stringify({
      providers: [{ id: "stripe", scheme: "stripe", apiKeyRequried: true }],
      routes: [{ id: "payments", eventPattern: { source: ["webhooks.paypal"] } }],
      backend: { type: "gcs" },
    }),
  );
  const staleOutdir = mkdtempSync(join(tmpdir(), "synth-"));
  writeFileSync(join(staleOutdir, SYNTH_FAILURE_FILE), "{}");
  [failed, succeeded] = await Promise.all([synth({ WEBHOOK_CONFIG: BAD_FILE }), synth({}, staleOutdir)]);
}, 60_000);

test("a synth with a bad configuration prints only the problem lines and exits 2", () => {
  expect([failed.code, failed.stdout, failed.stderr]).toEqual([
    2,
    "",
    [`config: WEBHOOK_CONFIG=${BAD_FILE}: 3 problems`, ...PROBLEMS, ""].join("\n"),
  ]);
});

test(`a failed synth records its problems in ${SYNTH_FAILURE_FILE}`, () => {
  const marker = JSON.parse(readFileSync(join(failed.outdir, SYNTH_FAILURE_FILE), "utf8"));
  expect(marker).toEqual({ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), problems: PROBLEMS });
  expect(existsSync(join(failed.outdir, "stacks", "webhooks-dev"))).toBe(false);
});

test("a successful synth prints one line per stack: id, resource count and file", () => {
  const lines = ["webhooks-regional-us-east-1", "webhooks-dev"].map((id) => {
    const file = join(succeeded.outdir, "stacks", id, "cdk.tf.json");
    const doc = JSON.parse(readFileSync(file, "utf8")) as { resource: Record<string, object> };
    const resources = Object.values(doc.resource).reduce(
      (sum, ofType) => sum + Object.keys(ofType).length,
      0,
    );
    return `${id}: ${resources} resources → ${file}`;
  });
  expect([succeeded.code, succeeded.stderr, succeeded.stdout]).toEqual([0, "", `${lines.join("\n")}\n`]);
});

test(`a successful synth deletes ${SYNTH_FAILURE_FILE}`, () => {
  expect(existsSync(join(succeeded.outdir, SYNTH_FAILURE_FILE))).toBe(false);
});

test("construct validation problems are one line each, naming the stack", () => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "synth-")), skipValidation: true });
  const { environment } = addPlatformStacks(app, DEFAULT_CONFIG);
  new IamRole(environment, "raw-role", { name: "r".repeat(65), assumeRolePolicy: "{}" });
  new SqsQueue(environment, "raw-queue", { name: "bad name" });
  expect(validationProblems(app)).toEqual([
    expect.stringMatching(/^webhooks-dev: aws_iam_role raw-role name = "r{65}" \(length 65\/64\): /),
    expect.stringMatching(/^webhooks-dev: aws_sqs_queue raw-queue name = "bad name" \(length 8\/80\): /),
  ]);
});
