import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { headersFrom, presetById } from "@webhooks/shared";
import { PROVIDERS_OUTPUT } from "../../stacks/stack-outputs";
import { headerPairs } from "./support/cases";
import { runCli, tempDir } from "./support/cli-io";
import { DISCORD_PUBLIC, KEYS, TIMESTAMP } from "./support/preset-cases";
import { checkoutWith, platformStackDocument } from "./support/stacks";

const NOW = String(TIMESTAMP + 5);
const BILLING = {
  signatureHeader: "X-Billing-Signature",
  signatureField: "v1",
  timestampField: "t",
  signedContent: "{timestamp}.{body}",
  deliveryIdHeader: "X-Billing-Delivery",
  eventTypeBodyField: "kind",
  retryHorizonHours: 48,
};
const config = tempDir({
  "billing.json": JSON.stringify({
    providers: [{ id: "billing", scheme: "custom:billing" }],
    customSchemes: { billing: BILLING },
  }),
});
const withConfig = { env: { WEBHOOK_CONFIG: "billing.json" }, cwd: config };

/** `--header` options for every header line `webhooks sign` printed. */
const headerArgs = (printed: string) =>
  headerPairs(printed).flatMap(([name, value]) => ["--header", `${name}: ${value}`]);

describe("senders that sign inside the body", () => {
  const mailgun = ["--scheme", "mailgun", "--secret", "key-mailgun", "--timestamp", String(TIMESTAMP)];
  const payload = '{"event-data":{"id":"ev-1","event":"delivered"}}';

  test("sign prints the headers, a blank line, then the signed body", async () => {
    const { code, stdout } = await runCli(["sign", ...mailgun, "--data", payload]);

    expect(code).toBe(0);
    const [headers, body] = stdout.split("\n\n");
    expect(headers).toBe("Content-Type: application/json");
    expect(JSON.parse(body!)).toMatchObject({
      "event-data": { id: "ev-1" },
      signature: { timestamp: String(TIMESTAMP), signature: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  test("--out writes the signed body, which verify accepts with the printed headers", async () => {
    const dir = tempDir();

    const signed = await runCli(["sign", ...mailgun, "--data", payload, "--out", "signed.json"], {
      cwd: dir,
    });
    const verified = await runCli(
      [
        "verify",
        "--scheme",
        "mailgun",
        "--secret",
        "key-mailgun",
        ...headerArgs(signed.stdout),
        "--body",
        "signed.json",
        "--now",
        NOW,
      ],
      { cwd: dir },
    );

    expect(signed.stdout).toBe("Content-Type: application/json\n");
    expect(readFileSync(join(dir, "signed.json"), "utf8")).toContain('"signature":{');
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining("event type: delivered\n") });
  });
});

test("an asymmetric sender signs with --private-key and names the public key the secret document holds", async () => {
  const { code, stderr } = await runCli([
    "sign",
    "--scheme",
    "discord",
    "--private-key",
    join(KEYS, "discord.pem"),
    "--data",
    '{"id":"1","type":2}',
  ]);

  expect({ code, stderr }).toEqual({
    code: 0,
    stderr: `note: the secret document holds this key's public half: ${DISCORD_PUBLIC}\n`,
  });
});

describe("custom schemes", () => {
  test("custom:<name> takes its definition from WEBHOOK_CONFIG's customSchemes; sign → verify", async () => {
    const signed = await runCli(
      [
        "sign",
        "--scheme",
        "custom:billing",
        "--secret",
        "billing-secret",
        "--id",
        "del-1",
        "--data",
        '{"kind":"invoice.paid"}',
        "--timestamp",
        String(TIMESTAMP),
      ],
      withConfig,
    );
    const verified = await runCli(
      [
        "verify",
        "--scheme",
        "custom:billing",
        "--secret",
        "billing-secret",
        ...headerArgs(signed.stdout),
        "--data",
        '{"kind":"invoice.paid"}',
        "--now",
        NOW,
      ],
      withConfig,
    );

    expect(signed.stdout).toMatch(
      /^X-Billing-Signature: t=1738324800,v1=[0-9a-f]{64}\nX-Billing-Delivery: del-1\n/,
    );
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("delivery id: del-1\nevent type: invoice.paid\n");
  });

  test("--provider naming a custom scheme takes the definition the stack's providers output carries", async () => {
    const doc = platformStackDocument({ environment: "dev" });
    const providers = [
      {
        id: "billing",
        scheme: "custom:billing",
        secretId: "whk-dev/billing/signing",
        toleranceSeconds: 300,
        custom: BILLING,
      },
    ];
    const checkout = checkoutWith({
      "webhooks-dev": { ...doc, output: { [PROVIDERS_OUTPUT]: { value: JSON.stringify(providers) } } },
    });
    const sign = ["--provider", "billing", "--secret", "billing-secret", "--data", '{"kind":"invoice.paid"}'];

    const signed = await runCli(["sign", ...sign, "--timestamp", String(TIMESTAMP)], { cwd: checkout });
    const verified = await runCli(["verify", ...sign, ...headerArgs(signed.stdout), "--now", NOW], {
      cwd: checkout,
    });

    expect(signed.code).toBe(0);
    expect(verified.stdout).toContain("verified: custom:billing signature matches secret #1 of 1\n");
  });
});

describe("verify: handshakes answered like the validator", () => {
  test("an unsigned ping (WooCommerce) is answered before any signature check", async () => {
    const { code, stdout } = await runCli([
      "verify",
      "--scheme",
      "woocommerce",
      "--secret",
      "s",
      "--header",
      "Content-Type: application/x-www-form-urlencoded",
      "--data",
      "webhook_id=12",
    ]);

    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: "handshake (unsigned status-only): the validator answers 200 (empty body) and stores nothing\n",
    });
  });

  test("a stateful handshake (Asana's X-Hook-Secret) is stored before it is answered", async () => {
    const { code, stdout } = await runCli([
      "verify",
      "--scheme",
      "asana",
      "--secret",
      "s",
      "--header",
      "X-Hook-Secret: 8a1b2c3d",
      "--data",
      "",
    ]);

    expect({ code, stdout }).toEqual({
      code: 0,
      stdout:
        "handshake (unsigned echo-header): the validator stores the value the sender handed over, then answers 200 (empty body)\n",
    });
  });
});

describe("send", () => {
  let server: Server;
  let base: string;
  const received: Array<{ url: string | undefined; headers: IncomingHttpHeaders; body: Buffer }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });
  const realFetch = { fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init) };

  test("a sender that signs inside the body posts the signed body", async () => {
    const { code } = await runCli(
      [
        "send",
        "--url",
        `${base}/webhooks/figma`,
        "--scheme",
        "figma",
        "--secret",
        "figma-passcode",
        "--data",
        '{"webhook_id":"22","event_type":"PING","timestamp":"2025-01-31T12:00:00Z"}',
      ],
      realFetch,
    );

    expect(code).toBe(0);
    expect(JSON.parse(received[0]!.body.toString())).toMatchObject({ passcode: "figma-passcode" });
  });

  test("a sender that signs the URL it calls signs --url unless --public-url says otherwise", async () => {
    const url = `${base}/webhooks/twilio`;

    const { code } = await runCli(
      [
        "send",
        "--url",
        url,
        "--scheme",
        "twilio",
        "--secret",
        "twilio-token",
        "--data",
        "CallSid=CA1&CallStatus=ringing",
      ],
      realFetch,
    );

    expect(code).toBe(0);
    const [request] = received;
    const headers = headersFrom(request!.headers as Record<string, string>);
    expect(headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    const verified = presetById("twilio").verify(
      { headers, body: request!.body },
      ["twilio-token"],
      TIMESTAMP,
      {
        publicUrl: url,
      },
    );
    expect(verified).toMatchObject({ ok: true });
  });
});

describe("bad input: exit 2 with one line naming the option", () => {
  const key = (name: string) => join(KEYS, name);
  test.each([
    [
      ["sign", "--scheme", "discord", "--secret", "s", "--data", "{}"],
      "webhooks sign: --secret: discord signs with a private key: give --private-key <pem file> (verify takes its public key as --secret)",
    ],
    [
      ["sign", "--scheme", "discord", "--data", "{}"],
      "webhooks sign: --private-key <pem file> is required: discord signs with a private key",
    ],
    [
      ["sign", "--scheme", "discord", "--private-key", key("sendgrid.pem"), "--data", "{}"],
      `webhooks sign: --private-key: discord signs with an ed25519 key, ${key("sendgrid.pem")} holds an ec prime256v1 key`,
    ],
    [
      ["sign", "--scheme", "stripe", "--secret", "s", "--private-key", key("discord.pem"), "--data", "{}"],
      "webhooks sign: --private-key applies to discord, sendgrid, paypal, plaid; stripe signs with --secret",
    ],
    [
      ["sign", "--scheme", "plaid", "--private-key", key("plaid.pem"), "--data", "{}"],
      "webhooks sign: --key-id is required: the kid (1-128 printable characters) Plaid's key is fetched by",
    ],
    [
      ["sign", "--scheme", "hubspot", "--secret", "s", "--data", "[]"],
      "webhooks sign: --public-url is required: hubspot signs the URL it calls (give it exactly as configured at the sender)",
    ],
    [
      ["sign", "--scheme", "stripe", "--secret", "s", "--public-url", "https://a.example/x", "--data", "{}"],
      "webhooks sign: --public-url: stripe does not sign the URL it calls",
    ],
    [
      ["sign", "--scheme", "square", "--secret", "s", "--public-url", "/webhooks/square", "--data", "{}"],
      "webhooks sign: --public-url: '/webhooks/square' is not an absolute URL",
    ],
    [
      ["sign", "--scheme", "okta", "--secret", "s", "--setting", "heder=X-Okta", "--data", "{}"],
      "webhooks sign: --setting heder: okta has settings header; did you mean header?",
    ],
    [
      ["sign", "--scheme", "okta", "--secret", "s", "--setting", "header=X Okta", "--data", "{}"],
      "webhooks sign: --setting header: 'X Okta' does not match ^[A-Za-z0-9-]{1,64}$ (the header Okta sends the secret in)",
    ],
    [
      ["sign", "--scheme", "stripe", "--secret", "s", "--setting", "a=b", "--data", "{}"],
      "webhooks sign: --setting a: stripe has no settings",
    ],
    [
      ["sign", "--scheme", "stripe", "--secret", "s", "--event", "x", "--data", "{}"],
      "webhooks sign: --event: stripe has no event type header (it reads body id → body type)",
    ],
    [
      ["sign", "--scheme", "custom:billing", "--secret", "s", "--data", "{}"],
      "webhooks sign: --scheme custom:billing: its definition is in the configuration: set WEBHOOK_CONFIG",
    ],
    [
      [
        "verify",
        "--scheme",
        "paypal",
        "--secret",
        "8PT597110X687430LKGECATA",
        "--header",
        "PAYPAL-TRANSMISSION-ID: 1",
        "--header",
        `PAYPAL-TRANSMISSION-TIME: ${new Date(TIMESTAMP * 1000).toISOString()}`,
        "--header",
        "PAYPAL-CERT-URL: https://api.paypal.com/v1/notifications/certs/CERT-1",
        "--header",
        "PAYPAL-AUTH-ALGO: SHA256withRSA",
        "--header",
        `PAYPAL-TRANSMISSION-SIG: ${Buffer.alloc(256, 1).toString("base64")}`,
        "--data",
        "{}",
        "--now",
        NOW,
      ],
      "webhooks verify: --key-file is required: the signature is checked with PayPal's certificate chain at https://api.paypal.com/v1/notifications/certs/CERT-1: save it and pass the file",
    ],
    [
      [
        "verify",
        "--scheme",
        "stripe",
        "--secret",
        "s",
        "--header",
        "a: b",
        "--data",
        "{}",
        "--key-file",
        key("plaid.jwk"),
      ],
      "webhooks verify: --key-file: stripe checks no published key (paypal and plaid do)",
    ],
  ])("%j", async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr.split("\n")).toHaveLength(2);
  });

  test("a custom scheme the configuration does not declare names the closest one", async () => {
    const { code, stderr } = await runCli(
      ["sign", "--scheme", "custom:biling", "--secret", "s", "--data", "{}"],
      withConfig,
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      "webhooks sign: --scheme: billing.json declares no custom scheme biling (billing); did you mean custom:billing? (see webhooks sign --help)\n",
    );
  });
});
