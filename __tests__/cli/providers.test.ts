import { PRESET_IDS, PRESETS } from "@webhooks/shared";
import { PROVIDERS_OUTPUT } from "../../stacks/stack-outputs";
import { runCli } from "./support/cli-io";
import { checkoutWith, platformStackDocument } from "./support/stacks";

/** A dev stack whose providers use stripe twice, hubspot, and a custom scheme. */
function stackWithProviders() {
  const provider = (id: string, scheme: string, extra: object = {}) => ({
    id,
    scheme,
    secretId: `whk-dev/${id}/signing`,
    toleranceSeconds: 300,
    ...extra,
  });
  const providers = [
    provider("stripe", "stripe"),
    provider("stripe-eu", "stripe"),
    provider("crm", "hubspot", { publicUrl: "https://hooks.example.com/webhooks/crm" }),
    provider("billing", "custom:billing", {
      custom: { signatureHeader: "X-Billing-Signature", eventTypeBodyField: "kind", retryHorizonHours: 48 },
    }),
  ];
  const doc = platformStackDocument({ environment: "dev" });
  return checkoutWith({
    "webhooks-dev": { ...doc, output: { [PROVIDERS_OUTPUT]: { value: JSON.stringify(providers) } } },
  });
}

describe("the catalogue", () => {
  test.each([60, 100, 160])("lists every preset, every line within %i columns", async (width) => {
    const { code, stdout } = await runCli(["providers", "--width", String(width)]);

    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines.filter((line) => line.length > width)).toEqual([]);
    const ids = lines.map((line) => line.split(" ")[0]);
    expect(PRESET_IDS.filter((id) => !ids.includes(id))).toEqual([]);
  });

  test("each row is followed by what the secret document holds", async () => {
    const { stdout } = await runCli(["providers", "--width", "200"]);

    const lines = stdout.split("\n");
    const stripe = lines.findIndex((line) => line.startsWith("stripe "));
    expect(lines[stripe + 1]!.trim()).toBe(`secret: ${PRESETS.stripe.secretNote}`);
  });

  test("--json: every preset with its signature, timestamp, retry horizon, TTL, handshakes and secret", async () => {
    const { stdout } = await runCli(["providers", "--json"]);

    const { presets } = JSON.parse(stdout);
    expect(presets.map((preset: { id: string }) => preset.id)).toEqual(PRESET_IDS);
    expect(presets.find((preset: { id: string }) => preset.id === "slack")).toEqual({
      id: "slack",
      name: "Slack",
      family: "hmac",
      signature: ["X-Slack-Signature"],
      timestamp: "X-Slack-Request-Timestamp ±300 s",
      horizonHours: 1,
      ttlHours: 25,
      handshakes: ["echo-body-field"],
      secret: PRESETS.slack.secretNote,
      signsUrl: false,
    });
  });

  test("--markdown: one table row per preset", async () => {
    const { stdout } = await runCli(["providers", "--markdown"]);

    for (const id of PRESET_IDS) expect(stdout).toContain(`| \`${id}\` |`);
  });
});

describe("one preset", () => {
  test("its settings, setup steps and how to try it", async () => {
    const { code, stdout } = await runCli(["providers", "okta", "--width", "200"]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^okta: Okta event hooks\n/);
    expect(stdout).toContain(
      "settings     header: the header Okta sends the secret in (default Authorization, ^[A-Za-z0-9-]{1,64}$)\n",
    );
    expect(stdout).toContain(`setup        ${PRESETS.okta.setup}\n`);
    expect(stdout).toContain(
      "try it       webhooks sign --scheme okta --secret <secret> --body event.json\n",
    );
  });

  test("a sender that signs the URL says so, and its configuration example sets publicUrl", async () => {
    const { stdout } = await runCli(["providers", "hubspot", "--json"]);

    expect(JSON.parse(stdout)).toMatchObject({
      signsUrl: true,
      configExample: '{"id":"hubspot","scheme":"hubspot","publicUrl":"https://<api>/webhooks/hubspot"}',
      definition: { family: "hmac", signedContent: "{method}{url}{body}{timestamp}" },
    });
  });

  test("an unknown id: exit 2, naming the closest preset", async () => {
    const { code, stderr } = await runCli(["providers", "hubspt"]);

    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        "webhooks providers: hubspt is not a preset; did you mean hubspot? (see webhooks providers --help)\n",
    });
  });
});

describe("with a synthesized stack", () => {
  const checkout = stackWithProviders();

  test("marks which providers use each preset", async () => {
    const { stdout } = await runCli(["providers", "--json", "--stack", "webhooks-dev"], { cwd: checkout });

    const { presets, stack } = JSON.parse(stdout);
    const usedBy = Object.fromEntries(
      presets
        .filter((preset: { providers: string[] }) => preset.providers.length > 0)
        .map((preset: { id: string; providers: string[] }) => [preset.id, preset.providers]),
    );
    expect({ stack, usedBy }).toEqual({
      stack: "webhooks-dev",
      usedBy: { stripe: ["stripe", "stripe-eu"], hubspot: ["crm"] },
    });
  });

  test("lists its custom schemes after the presets, and shows one by its custom: id", async () => {
    const list = await runCli(["providers", "--stack", "webhooks-dev", "--width", "120"], { cwd: checkout });
    const one = await runCli(["providers", "custom:billing", "--stack", "webhooks-dev", "--width", "120"], {
      cwd: checkout,
    });

    expect(list.stdout).toContain("\ncustom schemes of webhooks-dev (1)\ncustom:billing ");
    expect(one.stdout).toMatch(/^custom:billing: custom:billing\n/);
    expect(one.stdout).toContain("used by      billing\n");
  });

  test("the stack is read only when named, or when the WEBHOOK_* environment names it", async () => {
    const { code, stdout } = await runCli(["providers", "--json"], { cwd: checkout });

    expect(code).toBe(0);
    expect(JSON.parse(stdout).stack).toBeUndefined();
  });
});
