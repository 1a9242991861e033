import { githubScheme, headersFrom } from "@webhooks/shared";
import { BODY, conformanceTests, NOW } from "./support/conformance";
import { runOctokit } from "./support/octokit";

const SECRETS = ["gh-secret-new", "gh-secret-old"] as const;
const OTHER = "gh-other";
const FORM_BODY = `payload=${encodeURIComponent('{"zen":"Keep it logically awesome.","hook_id":1}')}`;

// One child process signs every body/secret pair the tests need with @octokit/webhooks-methods.
const signatures = new Map<string, string>();
const key = (secret: string, payload: string) => `${secret}\n${payload}`;
beforeAll(() => {
  const cases = [...SECRETS, OTHER].flatMap((secret) =>
    [BODY, FORM_BODY].map((payload) => ({ secret, payload })),
  );
  const { sign } = runOctokit({ sign: cases });
  cases.forEach((entry, index) => {
    signatures.set(key(entry.secret, entry.payload), sign[index]!);
  });
});

function octokitSigned(body: string, secret: string): Record<string, string> {
  return { "X-Hub-Signature-256": signatures.get(key(secret, body))! };
}

describe("github scheme against @octokit/webhooks-methods", () => {
  conformanceTests({
    scheme: githubScheme,
    secrets: SECRETS,
    otherSecret: OTHER,
    oracle: octokitSigned,
    signedHeaders: ["x-hub-signature-256"],
  });

  test("accepts octokit's signature over a form body (payload=…), computed over the raw form bytes", () => {
    const result = githubScheme.verify(
      { headers: headersFrom(octokitSigned(FORM_BODY, SECRETS[0])), body: Buffer.from(FORM_BODY) },
      [SECRETS[0]],
      NOW,
    );
    expect(result.ok).toBe(true);
  });

  test("octokit's verify accepts our signatures", () => {
    const cases = [BODY, FORM_BODY].map((payload) => ({
      secret: SECRETS[0],
      payload,
      signature: githubScheme.sign({ body: payload, secrets: [SECRETS[0]], timestamp: 0 })[
        "X-Hub-Signature-256"
      ]!,
    }));
    expect(runOctokit({ verify: cases }).verify).toEqual([true, true]);
  });

  test("sign refuses more than one secret: the header carries one signature", () => {
    expect(() => githubScheme.sign({ body: BODY, secrets: [...SECRETS], timestamp: 0 })).toThrow(RangeError);
  });
});
