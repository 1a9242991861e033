import Stripe from "stripe";
import { COMMANDS as CLI_COMMANDS } from "../../cli/src/main";
import { runOctokit } from "../functions/shared/support/octokit";
import { headerPairs, SCHEME_CASES, signArgs, TIMESTAMP } from "./support/cases";
import { spawnCli } from "./support/cli-io";

/**
 * The installed bin (node_modules/.bin/webhooks → cli/bin/webhooks.cjs), spawned: what `npx webhooks`
 * runs. Each spawn costs a Node start, so every other behaviour is tested in-process.
 */
const COMMANDS = CLI_COMMANDS.map((command) => command.name);

/** Runs the jobs at most `width` at a time (two CPUs here: more only queues). */
async function limited<T>(jobs: ReadonlyArray<() => Promise<T>>, width = 3): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await jobs[index]!();
      }
    }),
  );
  return results;
}

jest.setTimeout(60_000);

test("--help: the command list, and every command's help, exit 0", async () => {
  const [top, ...each] = await limited([
    () => spawnCli(["--help"]),
    ...COMMANDS.map((command) => () => spawnCli([command, "--help"])),
  ]);

  expect(top).toMatchObject({ code: 0, stderr: "" });
  for (const command of COMMANDS) expect(top!.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  each.forEach((result, index) => {
    expect({ command: COMMANDS[index], code: result.code, stderr: result.stderr }).toEqual({
      command: COMMANDS[index],
      code: 0,
      stderr: "",
    });
    expect(result.stdout).toMatch(new RegExp(`^Usage: webhooks ${COMMANDS[index]} `));
  });
});

describe("sign → verify through the bin, every scheme", () => {
  let signed: Array<{
    name: string;
    sign: { code: number; stdout: string };
    verify: { code: number; stdout: string };
  }>;

  beforeAll(async () => {
    signed = await limited(
      SCHEME_CASES.map((c) => async () => {
        const sign = await spawnCli(signArgs(c));
        const verify = await spawnCli(
          [
            "verify",
            "--scheme",
            c.scheme,
            "--secret",
            c.secret,
            "--headers",
            "-",
            "--data",
            c.body,
            "--now",
            String(TIMESTAMP + 1),
            ...c.verifyArgs,
          ],
          { input: sign.stdout },
        );
        return { name: c.name, sign, verify };
      }),
    );
  });

  test.each(SCHEME_CASES.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const { sign, verify } = signed.find((result) => result.name === c.name)!;

    expect(sign.code).toBe(0);
    expect(verify).toMatchObject({ code: 0 });
    expect(verify.stdout).toContain(`delivery id: ${c.deliveryId}\nevent type: ${c.eventType}\n`);
  });

  test("the bin's stripe and github headers verify with stripe-node and @octokit/webhooks-methods", () => {
    const headersOf = (name: string) =>
      Object.fromEntries(headerPairs(signed.find((result) => result.name === name)!.sign.stdout));
    const stripe = SCHEME_CASES.find((c) => c.name === "stripe")!;
    const github = SCHEME_CASES.find((c) => c.name === "github")!;

    const event = new Stripe("sk_test_oracle").webhooks.constructEvent(
      stripe.body,
      headersOf("stripe")["Stripe-Signature"]!,
      stripe.secret,
      300,
      undefined,
      TIMESTAMP,
    );
    const { verify } = runOctokit({
      verify: [
        {
          secret: github.secret,
          payload: github.body,
          signature: headersOf("github")["X-Hub-Signature-256"]!,
        },
      ],
    });

    expect(event.id).toBe(stripe.deliveryId);
    expect(verify).toEqual([true]);
  });
});

test("exit codes: 1 for a tampered body with the reason, 2 for bad input", async () => {
  const github = SCHEME_CASES.find((c) => c.name === "github")!;
  const [signed, none, unknown] = await limited([
    () => spawnCli(signArgs(github)),
    () => spawnCli([]),
    () => spawnCli(["verify", "--scheme", "github", "--secret", "s", "--colour"]),
  ]);
  const tampered = await spawnCli(
    [
      "verify",
      "--scheme",
      "github",
      "--secret",
      github.secret,
      "--headers",
      "-",
      "--data",
      `${github.body} `,
    ],
    { input: signed!.stdout },
  );

  expect(tampered).toMatchObject({ code: 1, stderr: "" });
  expect(tampered.stdout).toMatch(/^rejected \(401 signature_mismatch\): X-Hub-Signature-256: .+\n$/);
  expect(none!.code).toBe(2);
  expect(unknown).toEqual({
    code: 2,
    stdout: "",
    stderr: "webhooks verify: unknown option --colour (see webhooks verify --help)\n",
  });
});
