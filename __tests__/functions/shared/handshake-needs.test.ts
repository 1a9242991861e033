import {
  type HandshakeKind,
  handshakeMethods,
  headersFrom,
  PRESET_IDS,
  type PresetId,
  presetById,
  storesHandshakeSecret,
} from "@webhooks/shared";

/**
 * What a scheme's handshakes need of the platform, read from the kinds: the API's GET and HEAD
 * methods (and what each requires), and write access to the provider's secret.
 */

const OKTA = { settings: { header: "X-Okta-Secret" } };

describe("the GET and HEAD methods the presets' handshakes need", () => {
  test("exactly Dropbox, Okta, Braintree (GET) and Trello (HEAD) need one", () => {
    const needing = PRESET_IDS.flatMap((id) =>
      handshakeMethods(presetById(id)).map((route) => `${id} ${route.method}`),
    );
    expect(needing.sort()).toEqual(["braintree GET", "dropbox GET", "okta GET", "trello HEAD"]);
  });

  test.each([
    [
      "dropbox",
      { method: "GET", headers: [], query: ["challenge"], secretsBeforeVerification: false, verified: false },
    ],
    [
      "okta",
      {
        method: "GET",
        headers: ["X-Okta-Verification-Challenge", "X-Okta-Secret"],
        query: [],
        secretsBeforeVerification: false,
        verified: true,
      },
    ],
    [
      "braintree",
      {
        method: "GET",
        headers: [],
        query: ["bt_challenge"],
        secretsBeforeVerification: true,
        verified: false,
      },
    ],
    ["trello", { method: "HEAD", headers: [], query: [], secretsBeforeVerification: false, verified: false }],
  ] as const)("%s", (id, route) => {
    expect(handshakeMethods(presetById(id), id === "okta" ? OKTA : undefined)).toEqual([route]);
  });

  test("Okta's GET requires the token header the provider configured, which verifies it", () => {
    expect(handshakeMethods(presetById("okta"))[0]!.headers).toEqual([
      "X-Okta-Verification-Challenge",
      "Authorization",
    ]);
  });

  test("kinds sharing a method require only what all of them carry", () => {
    const kinds: HandshakeKind[] = [
      { kind: "get-echo-query", param: "challenge" },
      { kind: "module", description: "", method: "GET", query: "bt_challenge" },
    ];
    expect(handshakeMethods({ handshakes: kinds, requiredHeader: () => undefined })).toEqual([
      { method: "GET", headers: [], query: [], secretsBeforeVerification: true, verified: false },
    ]);
  });

  test("a scheme whose handshakes are POSTs needs no other method (Slack, Asana, a module on POST)", () => {
    const post: HandshakeKind = { kind: "module", description: "", method: "POST" };
    expect(handshakeMethods(presetById("slack"))).toEqual([]);
    expect(handshakeMethods(presetById("asana"))).toEqual([]);
    expect(handshakeMethods({ handshakes: [post], requiredHeader: () => undefined })).toEqual([]);
  });
});

/**
 * The API requires these parameters and nothing else, so a request carrying exactly them (with
 * values the sender would send) must be one the scheme answers: otherwise the gateway would let
 * through only requests the validator then refuses.
 */
describe("a request carrying exactly what the method requires is answered", () => {
  const VALUES: Record<string, string> = {
    challenge: "dropbox-challenge-1",
    bt_challenge: "20f9f8ed05f77439fe955c977e4c8a53",
    "X-Okta-Verification-Challenge": "okta-challenge-1",
    "X-Okta-Secret": "okta-token",
  };
  const SECRETS: Partial<Record<PresetId, string[]>> = {
    okta: ["okta-token"],
    braintree: ["pub:priv"],
  };

  test.each(["dropbox", "okta", "braintree", "trello"] as const)("%s", (id) => {
    const options = id === "okta" ? OKTA : undefined;
    const [route] = handshakeMethods(presetById(id), options);
    const request = {
      method: route!.method,
      headers: headersFrom(Object.fromEntries(route!.headers.map((name) => [name, VALUES[name]!]))),
      query: new Map(route!.query.map((name) => [name, VALUES[name]!])),
      body: new Uint8Array(),
    };
    const phase = route!.verified ? "after-verification" : "before-verification";
    const answer = presetById(id).answerHandshake(
      phase,
      { request, secrets: SECRETS[id], ...(route!.verified ? { secretIndex: 0 } : {}) },
      options,
    );
    expect(answer?.status).toBe(200);
  });
});

describe("stateful handshakes: the validator writes the provider's secret", () => {
  test("exactly Asana (X-Hook-Secret) and Notion (verification_token) hand over a secret", () => {
    expect(PRESET_IDS.filter((id) => storesHandshakeSecret(presetById(id)))).toEqual(["asana", "notion"]);
  });
});
