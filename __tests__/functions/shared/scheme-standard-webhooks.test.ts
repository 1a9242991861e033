import { randomBytes } from "node:crypto";
import type { HeaderFamily } from "@webhooks/shared";
import { headersFrom, standardWebhooksScheme } from "@webhooks/shared";
import { Webhook } from "standardwebhooks";
import { BODY, conformanceTests, NOW, SIGNED_AT } from "./support/conformance";

const secret = () => `whsec_${randomBytes(32).toString("base64")}`;
const SECRETS = [secret(), secret()] as const;
const MESSAGE_ID = "msg_2ZqYl1yN6Tg0cE";

describe.each<HeaderFamily>(["webhook", "svix"])(
  "standard-webhooks scheme (%s-* headers) against standardwebhooks",
  (family) => {
    const options = { headerFamily: family };
    function librarySigned(body: string, key: string, timestamp: number): Record<string, string> {
      return {
        [`${family}-id`]: MESSAGE_ID,
        [`${family}-timestamp`]: String(timestamp),
        [`${family}-signature`]: new Webhook(key).sign(MESSAGE_ID, new Date(timestamp * 1000), body),
      };
    }

    conformanceTests({
      scheme: standardWebhooksScheme,
      options,
      secrets: SECRETS,
      otherSecret: secret(),
      oracle: librarySigned,
      signedHeaders: [`${family}-signature`, `${family}-timestamp`, `${family}-id`],
      combine: (first, second) => ({
        ...second,
        [`${family}-signature`]: `${first[`${family}-signature`]} ${second[`${family}-signature`]}`,
      }),
    });

    test("the library's verify accepts our signature with two secrets", () => {
      const now = Math.floor(Date.now() / 1000);
      const signed = standardWebhooksScheme.sign(
        { body: BODY, secrets: [...SECRETS], timestamp: now, id: MESSAGE_ID },
        options,
      );
      // The library reads webhook-* names only; Svix's own SDK maps svix-* onto them the same way.
      const unbranded = Object.fromEntries(
        Object.entries(signed).map(([name, value]) => [name.replace(/^svix-/, "webhook-"), value]),
      );
      for (const key of SECRETS)
        expect(new Webhook(key).verify(BODY, unbranded)).toMatchObject({ id: "evt_1" });
    });

    test("skips signature versions other than v1 (v1a is asymmetric)", () => {
      const signed = librarySigned(BODY, SECRETS[0], SIGNED_AT);
      const name = `${family}-signature`;
      const headers = headersFrom({ ...signed, [name]: `v1a,${"A".repeat(86)}== ${signed[name]}` });
      expect(
        standardWebhooksScheme.verify({ headers, body: Buffer.from(BODY) }, [SECRETS[0]], NOW, options).ok,
      ).toBe(true);
    });
  },
);

describe("standard-webhooks keys", () => {
  test.each([
    ["whsec_ followed by base64 of 24 bytes", `whsec_${Buffer.alloc(24, 7).toString("base64")}`, true],
    [
      "base64 without the whsec_ prefix (the library accepts it too)",
      Buffer.alloc(32, 7).toString("base64"),
      true,
    ],
    ["a key of 16 bytes", `whsec_${Buffer.alloc(16, 7).toString("base64")}`, false],
    ["a key that is not base64", "whsec_not base64!", false],
    ["an empty key", "whsec_", false],
  ])("%s → usable: %s", (_case, key, usable) => {
    expect(standardWebhooksScheme.key(key).ok).toBe(usable);
  });

  test("an unusable secret is reported as such, not as a mismatch", () => {
    const signed = standardWebhooksScheme.sign({
      body: BODY,
      secrets: [SECRETS[0]],
      timestamp: SIGNED_AT,
      id: MESSAGE_ID,
    });
    expect(
      standardWebhooksScheme.verify(
        { headers: headersFrom(signed), body: Buffer.from(BODY) },
        ["whsec_!!"],
        NOW,
      ),
    ).toEqual({
      ok: false,
      code: "unusable_secret",
      reason: "secret #1: not whsec_ followed by base64",
    });
  });
});
