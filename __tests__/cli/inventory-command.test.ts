import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Io } from "../../cli/src/command";
import { main } from "../../cli/src/main";
import { synthStack } from "../support/synth";
import { fakeAwsClients, NOW_MS, REPO_ROOT, runCli, tempDir } from "./support/cli-io";
import { editPolicy } from "./support/inventory-fixtures";

/**
 * `webhooks inventory` options: the view (compact text fitted to the terminal, --full, --markdown,
 * --json), --width, and --diff with its exit codes. GIVEN the default stack synthesized once into a
 * stack directory, and a copy whose validator role also gets `kms:*` (a widening).
 */
const { doc } = synthStack();
const widenedDoc = structuredClone(doc);
editPolicy(widenedDoc, "aws_iam_role_policy", "ingress_validator_role_policy", (statements) =>
  statements.push({ Effect: "Allow", Action: "kms:*", Resource: "*" }),
);
const stackDir = tempDir({ "cdk.tf.json": JSON.stringify(doc) });
const widenedDir = tempDir({ "cdk.tf.json": JSON.stringify(widenedDoc) });
const oldFile = join(tempDir(), "old.json");
writeFileSync(oldFile, JSON.stringify(doc));

const inventory = (...args: string[]) => runCli(["inventory", "--stack-dir", stackDir, ...args]);
const widest = (text: string) =>
  Math.max(
    ...text
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => [...line].length),
  );

/** Runs the CLI with standard output on a terminal of `columns` columns. */
async function inTerminal(
  columns: number,
  args: readonly string[],
): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const io: Io = {
    // A terminal's stream carries its width, as Node's tty.WriteStream does.
    stdout: Object.assign(
      {
        write: (text: string) => {
          stdout += text;
        },
      },
      { columns },
    ),
    stderr: { write: () => undefined },
    readStdin: async () => Buffer.alloc(0),
    interactive: true,
    confirm: async () => false,
    env: {},
    cwd: REPO_ROOT,
    now: () => NOW_MS,
    sleep: async () => undefined,
    fetch: () => Promise.reject(new Error("no network in this test")),
    aws: fakeAwsClients,
    onInterrupt: () => () => undefined,
  };
  const code = await main(["inventory", "--stack-dir", stackDir, ...args], io);
  return { code, stdout };
}

describe("the view", () => {
  test("by default, compact text within 100 columns when standard output is not a terminal", async () => {
    const { code, stdout, stderr } = await inventory();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^Inventory of stack /);
    expect(widest(stdout)).toBeLessThanOrEqual(100);
    expect(widest(stdout)).toBeGreaterThan(90);
  });

  test("on a terminal, the terminal's width", async () => {
    const { code, stdout } = await inTerminal(72, []);
    expect(code).toBe(0);
    expect(widest(stdout)).toBeLessThanOrEqual(72);
    expect(widest(stdout)).toBeGreaterThan(65);
  });

  test("--width wins over the terminal", async () => {
    const { stdout } = await inTerminal(200, ["--width", "64"]);
    expect(widest(stdout)).toBeLessThanOrEqual(64);
  });

  test.each([
    ["--full", /^Inventory of stack /, (text: string) => expect(widest(text)).toBeGreaterThan(120)],
    ["--markdown", /^## Inventory of stack /, (text: string) => expect(text).toContain("<details>")],
    [
      "--json",
      /^\{\n {2}"stack": /,
      (text: string) => expect(JSON.parse(text).alarms.length).toBeGreaterThan(0),
    ],
  ])("%s", async (option, start, check) => {
    const { code, stdout } = await inventory(option);
    expect(code).toBe(0);
    expect(stdout).toMatch(start);
    check(stdout);
  });

  test.each([
    [["--width", "20"], /--width must be an integer in 60\.\.1000, got '20'/],
    [["--width", "wide"], /--width must be an integer/],
    [["--json", "--width", "80"], /--width sets the text view's columns; --json has none/],
    [["--full", "--markdown"], /--full and --markdown are exclusive/],
    [["--fail-on-widen"], /--fail-on-widen needs --diff/],
  ])("%j is bad input (exit 2)", async (args, message) => {
    const { code, stdout, stderr } = await inventory(...args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(message);
  });
});

describe("--diff <old cdk.tf.json>", () => {
  const diff = (dir: string, ...args: string[]) =>
    runCli(["inventory", "--stack-dir", dir, "--diff", ...args]);

  test("reports a widening and exits 0: a report is not a failure", async () => {
    const { code, stdout } = await diff(widenedDir, oldFile);
    expect(code).toBe(0);
    expect(stdout).toMatch(/: 1 widened · /);
    expect(stdout).toMatch(/^ {2}! allow kms:\* on \*$/m);
    expect(widest(stdout)).toBeLessThanOrEqual(100);
  });

  test("--fail-on-widen exits 1 when something widened", async () => {
    const { code, stdout } = await diff(widenedDir, oldFile, "--fail-on-widen");
    expect(code).toBe(1);
    expect(stdout).toContain("WIDENED (1)");
  });

  test("--fail-on-widen exits 0 when the change only narrows", async () => {
    const narrowing = await diff(stackDir, join(widenedDir, "cdk.tf.json"), "--fail-on-widen");
    expect(narrowing.code).toBe(0);
    expect(narrowing.stdout).toMatch(/: 0 widened · /);
    expect(narrowing.stdout).toMatch(/^ {2}- allow kms:\* on \*$/m);
  });

  test("the old document may be a stack directory, or standard input", async () => {
    expect((await diff(widenedDir, stackDir)).stdout).toMatch(/: 1 widened/);
    const piped = await runCli(["inventory", "--stack-dir", widenedDir, "--diff", "-"], {
      stdin: JSON.stringify(doc),
    });
    expect(piped.stdout).toMatch(/: 1 widened/);
  });

  test("--markdown and --json", async () => {
    expect((await diff(widenedDir, oldFile, "--markdown")).stdout).toMatch(
      /^## Inventory changes to `.*`\n\n\*\*1 widened\*\*/,
    );
    const json = JSON.parse((await diff(widenedDir, oldFile, "--json")).stdout);
    expect(json).toMatchObject({ widened: true, counts: { widened: 1 } });
  });

  test.each([
    [
      "a missing file",
      () => [join(stackDir, "missing.json")],
      /--diff: cannot read .*missing\.json: no such file/,
    ],
    ["a file that is not JSON", () => [writeTemp("not json")], /--diff: .* is not JSON/],
    ["JSON that is not a document", () => [writeTemp("[1, 2]")], /is not a synthesized cdk\.tf\.json/],
    ["--full", () => [oldFile, "--full"], /--full lists one stack/],
  ])("%s is bad input (exit 2)", async (_name, args, message) => {
    const { code, stderr } = await diff(stackDir, ...args());
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

function writeTemp(content: string): string {
  const path = join(tempDir(), "old.json");
  writeFileSync(path, content);
  return path;
}
