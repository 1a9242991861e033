import { createHmac } from "node:crypto";
import { slackScheme } from "@webhooks/shared";
import { BODY, conformanceTests, SIGNED_AT } from "./support/conformance";

/** Slack's documented check: "v0=" + hex HMAC-SHA256 of "v0:<timestamp>:<raw body>". */
function handSigned(body: string, secret: string, timestamp: number): Record<string, string> {
  const hex = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "X-Slack-Signature": `v0=${hex}`, "X-Slack-Request-Timestamp": String(timestamp) };
}

describe("slack scheme against a hand-computed HMAC", () => {
  conformanceTests({
    scheme: slackScheme,
    secrets: ["slack-signing-new", "slack-signing-old"],
    otherSecret: "slack-other",
    oracle: handSigned,
    signedHeaders: ["x-slack-signature", "x-slack-request-timestamp"],
  });

  test("sign produces the hand-computed headers", () => {
    expect(slackScheme.sign({ body: BODY, secrets: ["s"], timestamp: SIGNED_AT })).toEqual(
      handSigned(BODY, "s", SIGNED_AT),
    );
  });
});
