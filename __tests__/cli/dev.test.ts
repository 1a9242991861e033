import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DEV_DIR, STATE_FILE } from "../../cli/src/dev/state";
import { startDev, until } from "../dev/support/dev-server";
import { FakeInterrupts, runCli, tempDir } from "./support/cli-io";

const realTime = {
  get ms() {
    return Date.now();
  },
  set ms(_: number) {},
};

/** A configuration file in a fresh directory; returns the directory. */
function withConfig(config: unknown): string {
  return tempDir({ "webhooks.json": JSON.stringify(config) });
}

describe("webhooks dev refuses bad input before it starts anything", () => {
  test.each([
    [
      ["--forward", "orders=http://localhost:3000/"],
      "--forward: orders is not a configured route (payments)",
    ],
    [
      ["--forward", "payments"],
      "--forward takes <route>=<http(s) url>, e.g. payments=http://localhost:3000/hook, got 'payments'",
    ],
    [["--forward", "payments=ftp://host/"], "--forward takes <route>=<http(s) url>"],
    [
      ["--secret", "paypal=s3cr3t"],
      "--secret: paypal is not a configured provider (acme, stripe, github, shopify, slack, svix)",
    ],
    [["--secret", "stripe"], "--secret takes <provider>=<signing secret>, e.g. stripe=whsec_…"],
    [
      ["--fail", "disk=1"],
      "--fail takes <point>=<rate> with a point of store, enqueue, bus, forward, got 'disk=1'",
    ],
    [["--port", "70000"], "--port must be an integer in 0..65535, got '70000'"],
    [["--visibility-timeout", "-1"], "--visibility-timeout must be an integer in 0..43200, got '-1'"],
  ])("webhooks dev %j", async (args, message) => {
    const cwd = tempDir();
    const { code, stderr } = await runCli(["dev", ...args], { cwd });

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(existsSync(join(cwd, DEV_DIR))).toBe(false);
  });

  test("a route whose pattern the local matcher cannot evaluate is named, and nothing starts", async () => {
    const cwd = withConfig({
      providers: [{ id: "stripe", scheme: "stripe" }],
      routes: [
        { id: "big", eventPattern: { detail: { data: { amount: [{ numeric: [">", 10, "<", 5] }] } } } },
      ],
    });
    const { code, stderr } = await runCli(["dev"], { cwd, env: { WEBHOOK_CONFIG: "webhooks.json" } });

    expect(code).toBe(2);
    expect(stderr).toContain(
      "the local pattern matcher cannot evaluate a route's pattern, so webhooks dev does not start: route big: detail.data.amount: numeric: the lower bound 10 must be below the upper bound 5",
    );
    expect(existsSync(join(cwd, DEV_DIR))).toBe(false);
  });

  test("a configuration with problems is reported as synth reports it", async () => {
    const cwd = withConfig({ providers: [{ id: "stripe", scheme: "stripe", apiKeyRequried: true }] });
    const { code, stderr } = await runCli(["dev"], { cwd, env: { WEBHOOK_CONFIG: "webhooks.json" } });

    expect(code).toBe(2);
    expect(stderr).toContain(`config: WEBHOOK_CONFIG=${join(cwd, "webhooks.json")}: 1 problem`);
    expect(stderr).toContain(
      "config: providers[0].apiKeyRequried: unknown key; did you mean apiKeyRequired?",
    );
  });
});

test("webhooks dev prints where everything is, runs until interrupted, then removes its state file", async () => {
  const cwd = tempDir();
  const interrupts = new FakeInterrupts();
  const running = runCli(["dev", "--port", "0", "--forward", "payments=http://localhost:3999/hook"], {
    cwd,
    clock: realTime,
    interrupts,
  });
  let state: { url: string };
  try {
    await until("the state file", () => existsSync(join(cwd, DEV_DIR, STATE_FILE)));
    state = JSON.parse(readFileSync(join(cwd, DEV_DIR, STATE_FILE), "utf8"));
  } finally {
    interrupts.send();
  }
  const { code, stdout } = await running;

  expect(code).toBe(0);
  expect(stdout).toContain(`  API        ${state.url}  POST /webhooks/acme, /webhooks/stripe`);
  expect(stdout).toContain(
    "  secrets    .webhooks-dev/secrets.json (created now: random secrets and API key)",
  );
  expect(stdout).toContain("→ POST http://localhost:3999/hook");
  expect(stdout).toContain("stopped: no webhooks; the records and queues were in memory and are gone");
  expect(existsSync(join(cwd, DEV_DIR, STATE_FILE))).toBe(false);
  expect(interrupts.registered).toBe(0);
});

test("webhooks dev on a port in use says so and leaves nothing running", async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as AddressInfo).port;
  const cwd = tempDir();
  try {
    const { code, stderr } = await runCli(["dev", "--port", String(port)], { cwd, clock: realTime });

    expect(code).toBe(1);
    expect(stderr).toContain(
      `webhooks dev: a port is in use (127.0.0.1:${port}): is another webhooks dev running? Choose another with --port or --aws-port`,
    );
    expect(existsSync(join(cwd, DEV_DIR, STATE_FILE))).toBe(false);
  } finally {
    taken.close();
  }
});

describe("--dev", () => {
  test.each([
    [["status", "--dev", "--pending"]],
    [["redrive", "--dev", "--yes"]],
    [["send", "--dev", "--provider", "stripe", "--data", "{}"]],
  ])("%j without a running webhooks dev says how to start one", async (argv) => {
    const { code, stderr } = await runCli(argv, { cwd: tempDir() });

    expect(code).toBe(1);
    expect(stderr).toContain(
      "no webhooks dev is running here (no .webhooks-dev/state.json): start it in this directory with `npx webhooks dev`",
    );
  });

  test("a state file left by a process that is gone counts as no instance", async () => {
    const cwd = tempDir();
    const dev = await startDev();
    const state = JSON.parse(readFileSync(dev.server.stateFile, "utf8"));
    await dev.server.stop();
    mkdirSync(join(cwd, DEV_DIR));
    writeFileSync(join(cwd, DEV_DIR, STATE_FILE), JSON.stringify({ ...state, pid: 2 ** 22 + 1 }));

    const { code, stderr } = await runCli(["status", "--dev", "--pending"], { cwd });

    expect(code).toBe(1);
    expect(stderr).toContain(
      `the webhooks dev that wrote .webhooks-dev/state.json (pid ${2 ** 22 + 1}) is not running`,
    );
  });

  describe("against a running instance", () => {
    let dev: Awaited<ReturnType<typeof startDev>>;
    beforeAll(async () => {
      dev = await startDev({
        config: {
          providers: [
            { id: "stripe", scheme: "stripe" },
            { id: "acme", scheme: "generic", apiKeyRequired: true },
          ],
        },
      });
    });
    afterAll(() => dev.server.stop());

    test("send --dev signs with the local secret and sends the API key a route requires", async () => {
      const { code, stdout } = await runCli(
        ["send", "--dev", "--provider", "acme", "--id", "order-1", "--data", '{"type":"order.created"}'],
        { cwd: dev.cwd, clock: realTime, fetch: globalThis.fetch },
      );

      expect(code).toBe(0);
      expect(stdout).toMatch(/^HTTP 202 Accepted\n/);
      expect(dev.output()).toMatch(/acme +order-1 +202 accepted order\.created/);
    });

    test("send --dev --dry-run shows the local route and signature", async () => {
      const { code, stdout } = await runCli(
        ["send", "--dev", "--provider", "stripe", "--data", '{"id":"evt_1","type":"x"}', "--dry-run"],
        { cwd: dev.cwd },
      );

      expect(code).toBe(0);
      expect(stdout).toMatch(
        new RegExp(`^POST ${dev.url}/webhooks/stripe\\nStripe-Signature: t=\\d+,v1=[0-9a-f]{64}\\n`),
      );
    });

    test.each([
      [
        ["send", "--dev", "--data", "{}"],
        "--dev needs --provider: the provider whose local route and secret to use",
      ],
      [
        ["status", "--dev", "--pending", "--region", "eu-west-1"],
        "--region does not apply with --dev: the local instance uses no AWS account",
      ],
      [["status", "--dev", "--stack", "webhooks-dev", "--pending"], "--dev and --stack are exclusive"],
      [
        ["redrive", "--dev", "--queue", "orders", "--yes"],
        "--queue: orders is not a queue with an SQS dead-letter queue (ingest)",
      ],
    ])("%j is bad input", async (argv, message) => {
      const { code, stderr } = await runCli(argv, { cwd: dev.cwd });

      expect(code).toBe(2);
      expect(stderr).toContain(message);
    });
  });
});
