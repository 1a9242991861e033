import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { nameOffenders } from "../support/names";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const SUFFIX_40 = "feature-branch-with-a-very-long-name-042";

/** Runs the cdktf.json app command the way `cdktf synth` does, without AWS credentials. */
async function synthApp(env: Record<string, string> = {}): Promise<{ outdir: string; stackJson: string }> {
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
  const [program, ...args] = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string).split(
    " ",
  );
  await run(program === "node" ? process.execPath : program!, args, {
    cwd: ROOT,
    env: { ...clean, CDKTF_OUTDIR: outdir, ...env },
  });
  const stack = env.WEBHOOK_ENVIRONMENT_SUFFIX
    ? `webhooks-dev-${env.WEBHOOK_ENVIRONMENT_SUFFIX}`
    : "webhooks-dev";
  return { outdir, stackJson: readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8") };
}

let first: Awaited<ReturnType<typeof synthApp>>;
let second: Awaited<ReturnType<typeof synthApp>>;
let suffixed: Awaited<ReturnType<typeof synthApp>>;

beforeAll(async () => {
  [first, second, suffixed] = await Promise.all([
    synthApp(),
    synthApp(),
    synthApp({ WEBHOOK_ENVIRONMENT_SUFFIX: SUFFIX_40 }),
  ]);
}, 60_000);

test("the app synthesizes cdk.tf.json with no AWS credentials", () => {
  expect(JSON.parse(first.stackJson).resource).toBeDefined();
});

test("two synths of unchanged code are byte-identical", () => {
  expect(second.stackJson).toBe(first.stackJson);
});

test("every physical name in the default stack is inside its limit", () => {
  expect(nameOffenders(JSON.parse(first.stackJson))).toEqual([]);
});

test("a 40-character environment suffix still synthesizes with every name inside its limit", () => {
  const doc = JSON.parse(suffixed.stackJson);
  expect(nameOffenders(doc)).toEqual([]);
  expect(suffixed.stackJson).toContain(SUFFIX_40.slice(0, 20));
});
