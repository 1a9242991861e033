import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { runOctokit } from "../functions/shared/support/octokit";
import { headerPairs, SCHEME_CASES, type SchemeCase, signArgs, TIMESTAMP } from "./support/cases";
import { runCli } from "./support/cli-io";

const stripe = new Stripe("sk_test_oracle");
const byName = (name: string) => SCHEME_CASES.find((c) => c.name === name)!;

async function cliSigned(c: SchemeCase, ...more: string[]): Promise<Record<string, string>> {
  const { code, stdout } = await runCli(signArgs(c, ...more));
  expect(code).toBe(0);
  return Object.fromEntries(headerPairs(stdout));
}

async function cliVerify(c: SchemeCase, headers: Record<string, string>, now = TIMESTAMP): Promise<string> {
  const { code, stdout } = await runCli([
    "verify",
    "--scheme",
    c.scheme,
    "--secret",
    c.secret,
    ...Object.entries(headers).flatMap(([name, value]) => ["--header", `${name}: ${value}`]),
    "--data",
    c.body,
    "--now",
    String(now),
    ...c.verifyArgs,
  ]);
  expect({ code, stdout }).toMatchObject({ code: 0 });
  return stdout;
}

describe("webhooks sign output verifies with the providers' own libraries", () => {
  test("stripe: stripe-node constructEvent", async () => {
    const c = byName("stripe");
    const headers = await cliSigned(c);

    const event = stripe.webhooks.constructEvent(
      c.body,
      headers["Stripe-Signature"]!,
      c.secret,
      300,
      undefined,
      TIMESTAMP,
    );

    expect(event).toMatchObject({ id: c.deliveryId, type: c.eventType });
  });

  test("stripe rotation: constructEvent accepts either secret's v1=", async () => {
    const c = byName("stripe");
    const headers = await cliSigned(c, "--secret", "whsec_next");

    for (const secret of [c.secret, "whsec_next"]) {
      expect(
        stripe.webhooks.constructEvent(
          c.body,
          headers["Stripe-Signature"]!,
          secret,
          300,
          undefined,
          TIMESTAMP,
        ),
      ).toMatchObject({ id: c.deliveryId });
    }
  });

  test("generic: the same t=,v1= construction, so stripe-node verifies it too", async () => {
    const c = byName("generic");
    const headers = await cliSigned(c);

    expect(() =>
      stripe.webhooks.constructEvent(
        c.body,
        headers["X-Webhook-Signature"]!,
        c.secret,
        300,
        undefined,
        TIMESTAMP,
      ),
    ).not.toThrow();
  });

  test("github: @octokit/webhooks-methods verify", async () => {
    const c = byName("github");
    const headers = await cliSigned(c);

    const { verify } = runOctokit({
      verify: [
        { secret: c.secret, payload: c.body, signature: headers["X-Hub-Signature-256"]! },
        { secret: "another secret", payload: c.body, signature: headers["X-Hub-Signature-256"]! },
      ],
    });

    expect(verify).toEqual([true, false]);
  });

  test.each(["standard-webhooks", "standard-webhooks (svix headers)"])(
    "%s: standardwebhooks Webhook.verify",
    async (name) => {
      const c = byName(name);
      // The library checks the timestamp against the real clock: sign now (no --timestamp: the default).
      const withoutTimestamp = signArgs(c).filter(
        (_, i, all) => all[i] !== "--timestamp" && all[i - 1] !== "--timestamp",
      );
      const { code, stdout } = await runCli(withoutTimestamp, { now: Date.now() });
      expect(code).toBe(0);
      const headers = Object.fromEntries(
        headerPairs(stdout).map(([header, value]) => [header.replace(/^svix-/, "webhook-"), value]),
      );

      expect(new Webhook(c.secret).verify(c.body, headers)).toEqual(JSON.parse(c.body));
    },
  );

  test("shopify: base64 HMAC-SHA256 of the raw body, as Shopify documents it", async () => {
    const c = byName("shopify");
    const headers = await cliSigned(c);

    expect(headers["X-Shopify-Hmac-Sha256"]).toBe(
      createHmac("sha256", c.secret).update(c.body).digest("base64"),
    );
  });

  test("slack: v0= hex HMAC-SHA256 of v0:<ts>:<body>, as Slack documents it", async () => {
    const c = byName("slack");
    const headers = await cliSigned(c);

    const expected = createHmac("sha256", c.secret).update(`v0:${TIMESTAMP}:${c.body}`).digest("hex");
    expect(headers).toMatchObject({
      "X-Slack-Signature": `v0=${expected}`,
      "X-Slack-Request-Timestamp": String(TIMESTAMP),
    });
  });
});

describe("the providers' libraries' signatures verify with webhooks verify", () => {
  test("stripe-node generateTestHeaderString", async () => {
    const c = byName("stripe");
    const header = stripe.webhooks.generateTestHeaderString({
      payload: c.body,
      secret: c.secret,
      timestamp: TIMESTAMP,
    });

    expect(await cliVerify(c, { "Stripe-Signature": header })).toContain(`delivery id: ${c.deliveryId}`);
  });

  test("@octokit/webhooks-methods sign", async () => {
    const c = byName("github");
    const [signature] = runOctokit({ sign: [{ secret: c.secret, payload: c.body }] }).sign;

    const stdout = await cliVerify(c, {
      "X-Hub-Signature-256": signature!,
      "X-GitHub-Delivery": c.deliveryId,
      "X-GitHub-Event": c.eventType,
    });

    expect(stdout).toContain(`event type: ${c.eventType}`);
  });

  test("standardwebhooks Webhook.sign", async () => {
    const c = byName("standard-webhooks");
    const signature = new Webhook(c.secret).sign(c.deliveryId, new Date(TIMESTAMP * 1000), c.body);

    const stdout = await cliVerify(c, {
      "webhook-id": c.deliveryId,
      "webhook-timestamp": String(TIMESTAMP),
      "webhook-signature": signature,
    });

    expect(stdout).toContain(`delivery id: ${c.deliveryId}`);
  });
});
