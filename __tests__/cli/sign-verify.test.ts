import { join } from "node:path";
import { headersFrom, verifyRequest } from "@webhooks/shared";
import {
  headerPairs,
  SCHEME_CASES,
  type SchemeCase,
  signArgs,
  TIMESTAMP,
  tamperSignature,
} from "./support/cases";
import { runCli, tempDir } from "./support/cli-io";

/** `webhooks verify` of a case's body with the given header lines. */
function verifyArgs(
  c: SchemeCase,
  headers: ReadonlyArray<readonly [string, string]>,
  ...more: string[]
): string[] {
  return [
    "verify",
    "--scheme",
    c.scheme,
    "--secret",
    c.secret,
    ...headers.flatMap(([name, value]) => ["--header", `${name}: ${value}`]),
    "--data",
    c.body,
    "--now",
    String(TIMESTAMP + 5),
    ...c.verifyArgs,
    ...more,
  ];
}

async function signed(c: SchemeCase, ...more: string[]): Promise<Array<[string, string]>> {
  const { code, stdout, stderr } = await runCli(signArgs(c, ...more));
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  return headerPairs(stdout);
}

describe.each(SCHEME_CASES)("$name", (c) => {
  test("sign prints the headers the validator's own verifyRequest accepts", async () => {
    // Prepare / Act
    const headers = await signed(c);

    // Assess
    expect(headers.map(([name]) => name)).toContain(c.signatureHeader.replace(/^./, (ch) => ch));
    const result = verifyRequest(
      c.scheme as Parameters<typeof verifyRequest>[0],
      { headers: headersFrom(Object.fromEntries(headers)), body: Buffer.from(c.body) },
      [c.secret],
      TIMESTAMP,
      c.verifyArgs.includes("svix") ? { headerFamily: "svix" } : {},
    );
    expect(result).toMatchObject({ ok: true, secretIndex: 0 });
  });

  test("sign → verify: exit 0 with the delivery id, event type and matching secret", async () => {
    const headers = await signed(c);

    const { code, stdout } = await runCli(verifyArgs(c, headers));

    expect(code).toBe(0);
    expect(stdout).toContain(`verified: ${c.scheme} signature matches secret #1 of 1`);
    expect(stdout).toContain(`delivery id: ${c.deliveryId}\n`);
    expect(stdout).toContain(`event type: ${c.eventType}\n`);
    if (c.timestampLabel) expect(stdout).toContain(`timestamp: ${TIMESTAMP} (2025-01-31T12:00:00.000Z)`);
  });

  describe("tampered input fails with exit 1 and names the header and the check", () => {
    test("body", async () => {
      const headers = await signed(c);
      const args = verifyArgs(c, headers);
      args[args.indexOf("--data") + 1] = c.body.replace("}", ',"x":1}');

      const { code, stdout } = await runCli(args);

      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^rejected \\(401 signature_mismatch\\): ${c.signatureHeader}: `));
    });

    test("signature header value", async () => {
      const headers = (await signed(c)).map(([name, value]): [string, string] =>
        name.toLowerCase() === c.signatureHeader.toLowerCase()
          ? [name, tamperSignature(value)]
          : [name, value],
      );

      const { code, stdout } = await runCli(verifyArgs(c, headers));

      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^rejected \\(401 signature_mismatch\\): ${c.signatureHeader}: `));
    });

    test("secret", async () => {
      const headers = await signed(c);
      const args = verifyArgs(c, headers);
      args[args.indexOf("--secret") + 1] =
        c.scheme === "standard-webhooks" ? "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD" : `${c.secret}-other`;

      const { code, stdout } = await runCli(args);

      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^rejected \\(401 signature_mismatch\\): ${c.signatureHeader}: `));
    });

    test("missing signature header", async () => {
      const headers = (await signed(c)).filter(
        ([name]) => name.toLowerCase() !== c.signatureHeader.toLowerCase(),
      );

      const { code, stdout } = await runCli(verifyArgs(c, headers));

      expect(code).toBe(1);
      expect(stdout).toBe(`rejected (401 missing_header): ${c.signatureHeader} is missing\n`);
    });

    if (c.timestampLabel) {
      const label = c.timestampLabel;
      test("timestamp older than the tolerance", async () => {
        const headers = await signed(c);
        const args = verifyArgs(c, headers);
        args[args.indexOf("--now") + 1] = String(TIMESTAMP + 301);

        const { code, stdout } = await runCli(args);

        expect(code).toBe(1);
        expect(stdout).toBe(
          `rejected (401 timestamp_out_of_tolerance): ${label} ${TIMESTAMP} is 301 s old (tolerance 300 s)\n`,
        );
      });

      test("timestamp in the future, with --tolerance", async () => {
        const headers = await signed(c);
        const args = verifyArgs(c, headers, "--tolerance", "10");
        args[args.indexOf("--now") + 1] = String(TIMESTAMP - 11);

        const { code, stdout } = await runCli(args);

        expect(code).toBe(1);
        expect(stdout).toContain(`${label} ${TIMESTAMP} is 11 s in the future (tolerance 10 s)`);
      });

      test("timestamp changed after signing", async () => {
        const moved = String(TIMESTAMP + 1);
        const headers = (await signed(c)).map(([name, value]): [string, string] => [
          name,
          value.replace(String(TIMESTAMP), moved),
        ]);

        const { code, stdout } = await runCli(verifyArgs(c, headers));

        expect(code).toBe(1);
        expect(stdout).toMatch(new RegExp(`^rejected \\(401 signature_mismatch\\): ${c.signatureHeader}: `));
      });
    }
  });
});

describe("verify", () => {
  const stripe = SCHEME_CASES.find((c) => c.name === "stripe")!;
  const github = SCHEME_CASES.find((c) => c.name === "github")!;

  test("rotation: two signatures, two secrets; reports which secret matched", async () => {
    const headers = await signed(stripe, "--secret", "whsec_new");

    const { code, stdout } = await runCli([
      ...verifyArgs(stripe, headers).map((arg) => (arg === stripe.secret ? "whsec_retired" : arg)),
      "--secret",
      "whsec_new",
    ]);

    expect(code).toBe(0);
    expect(stdout).toContain("matches secret #2 of 2");
  });

  test("reads --headers as 'webhooks sign' prints them, as curl -D saves them, and as JSON", async () => {
    const { stdout: printed } = await runCli(signArgs(github));
    const curl = `HTTP/2 200\r\n${printed.replaceAll("\n", "\r\n")}\r\n`;
    const json = JSON.stringify(Object.fromEntries(headerPairs(printed)));
    const dir = tempDir({
      "printed.txt": printed,
      "curl.txt": curl,
      "headers.json": json,
      "body.json": github.body,
    });

    for (const file of ["printed.txt", "curl.txt", "headers.json"]) {
      const { code, stdout } = await runCli(
        ["verify", "--scheme", "github", "--secret", github.secret, "--headers", file, "--body", "body.json"],
        { cwd: dir },
      );
      expect({ file, code, stdout }).toMatchObject({
        file,
        code: 0,
        stdout: expect.stringContaining("event type: pull_request"),
      });
    }
  });

  test("reads the body from standard input with --body -", async () => {
    const headers = await signed(github);
    const args = verifyArgs(github, headers);
    args.splice(args.indexOf("--data"), 2, "--body", "-");

    const { code } = await runCli(args, { stdin: github.body });

    expect(code).toBe(0);
  });

  test.each([
    {
      what: "a repeated signature header (400 like the validator)",
      edit: (h: Array<[string, string]>) => [...h, h[0]!],
      expected: "rejected (400 invalid_header): x-hub-signature-256 appears 2 times\n",
    },
    {
      what: "a malformed signature (shape checked before any MAC)",
      edit: (h: Array<[string, string]>) =>
        h.map(([n, v]): [string, string] => (n === "X-Hub-Signature-256" ? [n, "sha256=abc"] : [n, v])),
      expected:
        "rejected (401 malformed_header): X-Hub-Signature-256 after sha256= is not 64 lowercase hex characters\n",
    },
    {
      what: "no delivery header (identify, 400)",
      edit: (h: Array<[string, string]>) => h.filter(([n]) => n !== "X-GitHub-Delivery"),
      expected: "rejected (400 invalid_event): X-GitHub-Delivery is missing\n",
    },
    {
      what: "an unsupported content type (415)",
      edit: (h: Array<[string, string]>) =>
        h.map(([n, v]): [string, string] => (n === "Content-Type" ? [n, "text/plain"] : [n, v])),
      expected: "rejected (415 unsupported_media_type): unsupported content type text/plain\n",
    },
  ])("refuses $what", async ({ edit, expected }) => {
    const headers = edit(await signed(github));

    const { code, stdout } = await runCli(verifyArgs(github, headers));

    expect({ code, stdout }).toEqual({ code: 1, stdout: expected });
  });

  test("a validly signed body that is not JSON is refused like the validator does (400)", async () => {
    const broken = { ...github, body: "{not json" };
    const headers = await signed(broken);

    const { code, stdout } = await runCli(verifyArgs(broken, headers));

    expect({ code, stdout }).toEqual({
      code: 1,
      stdout: "rejected (400 malformed_payload): body is not valid JSON\n",
    });
  });

  test("a form body (GitHub payload=…) verifies over the raw form bytes", async () => {
    const form = { ...github, body: `payload=${encodeURIComponent('{"zen":"Keep it logically awesome."}')}` };
    const headers = await signed(form, "--content-type", "application/x-www-form-urlencoded");

    const { code, stdout } = await runCli(verifyArgs(form, headers));

    expect(code).toBe(0);
    expect(stdout).toContain("event type: pull_request");
  });

  test("Slack url_verification: verified handshake, nothing stored", async () => {
    const slack = SCHEME_CASES.find((c) => c.name === "slack")!;
    const handshake = {
      ...slack,
      body: '{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}',
    };
    const headers = await signed(handshake);

    const { code, stdout } = await runCli(verifyArgs(handshake, headers));

    expect(code).toBe(0);
    expect(stdout).toContain(
      'handshake (echo-body-field): the validator answers 200 {"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"} and stores nothing',
    );
  });

  test("generic without --id: no delivery id, so no dedupe", async () => {
    const generic = SCHEME_CASES.find((c) => c.name === "generic")!;
    const headers = await signed({ ...generic, signArgs: [] });

    const { code, stdout } = await runCli(verifyArgs(generic, headers));

    expect(code).toBe(0);
    expect(stdout).toContain("delivery id: none (not deduplicated: the validator assigns a random one)");
  });

  test.each([
    { verifyAs: ["--scheme", "standard-webhooks"], hint: "verify with --header-family svix" },
    {
      verifyAs: ["--scheme", "generic"],
      hint: "verify with --scheme svix (or the sender's own preset: clerk, resend, stytch)",
    },
  ])(
    "svix-* headers verified as $verifyAs: exit 1, and a hint at the svix header family",
    async ({ verifyAs, hint }) => {
      const svix = SCHEME_CASES.find((c) => c.signArgs.includes("svix"))!;
      const headers = await signed(svix);

      const { code, stdout, stderr } = await runCli([
        "verify",
        ...verifyAs,
        "--secret",
        svix.secret,
        ...headers.flatMap(([name, value]) => ["--header", `${name}: ${value}`]),
        "--data",
        svix.body,
        "--now",
        String(TIMESTAMP),
      ]);

      expect(code).toBe(1);
      expect(stdout).toMatch(/^rejected \(/);
      expect(stderr).toBe(`hint: the request has svix-* headers: ${hint}\n`);
    },
  );

  test("--json prints the outcome for scripts", async () => {
    const headers = await signed(stripe);

    const ok = await runCli(verifyArgs(stripe, headers, "--json"));
    const bad = await runCli(verifyArgs(stripe, headers, "--json", "--now", String(TIMESTAMP + 1000)));

    expect(JSON.parse(ok.stdout)).toEqual({
      ok: true,
      scheme: "stripe",
      deliveryId: stripe.deliveryId,
      eventType: stripe.eventType,
      secretIndex: 0,
      timestamp: TIMESTAMP,
    });
    expect(JSON.parse(bad.stdout)).toEqual({
      ok: false,
      status: 401,
      code: "timestamp_out_of_tolerance",
      reason: `Stripe-Signature: t= ${TIMESTAMP} is 1000 s old (tolerance 300 s)`,
    });
    expect(bad.code).toBe(1);
  });
});

describe("sign", () => {
  test("--json prints one object; --header adds or replaces a header", async () => {
    const github = SCHEME_CASES.find((c) => c.name === "github")!;

    const { code, stdout } = await runCli(
      signArgs(
        github,
        "--json",
        "--header",
        "User-Agent: GitHub-Hookshot/044aadd",
        "--header",
        "content-type: application/json; charset=utf-8",
      ),
    );

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      "X-Hub-Signature-256": expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
      "X-GitHub-Delivery": github.deliveryId,
      "X-GitHub-Event": "pull_request",
      "content-type": "application/json; charset=utf-8",
      "User-Agent": "GitHub-Hookshot/044aadd",
    });
  });

  test("signs the exact bytes of a file, and standard input", async () => {
    const bytes = Buffer.from([0x7b, 0x7d, 0x0a]); // "{}\n": the newline is part of what is signed
    const dir = tempDir({ "body.json": bytes });
    const args = [
      "sign",
      "--scheme",
      "shopify",
      "--secret",
      "s",
      "--timestamp",
      "0",
      "--id",
      "1",
      "--event",
      "a/b",
    ];

    const fromFile = await runCli([...args, "--body", "body.json"], { cwd: dir });
    const fromStdin = await runCli([...args, "--body", "-"], { stdin: bytes });
    const withoutNewline = await runCli([...args, "--data", "{}"]);

    expect(fromFile.stdout).toBe(fromStdin.stdout);
    expect(fromFile.stdout).not.toBe(withoutNewline.stdout);
  });

  test("github without --event warns that the validator will refuse it", async () => {
    const { code, stderr } = await runCli(["sign", "--scheme", "github", "--secret", "s", "--data", "{}"]);

    expect(code).toBe(0);
    expect(stderr).toBe("note: no --event: the validator refuses a github delivery without X-GitHub-Event\n");
  });
});

describe("bad input: exit 2 with one line naming the option", () => {
  const files = tempDir({ "empty.txt": "", "status-only.txt": "HTTP/1.1 200 OK\r\n\r\n" });
  test.each([
    [["sign", "--secret", "s", "--data", "{}"], "webhooks sign: --scheme is required (or --provider)"],
    [
      ["sign", "--scheme", "strpe", "--secret", "s", "--data", "{}"],
      "webhooks sign: --scheme: strpe is not a preset; did you mean stripe? ('webhooks providers' lists them; custom:<name> names a custom scheme)",
    ],
    [
      ["sign", "--scheme", "github", "--data", "{}"],
      "webhooks sign: --secret is required (or --secret-file)",
    ],
    [["sign", "--scheme", "github", "--secret", "s"], "webhooks sign: --body is required"],
    [
      ["sign", "--scheme", "github", "--secret", "s", "--body", "nope.json"],
      "webhooks sign: --body: cannot read nope.json: no such file",
    ],
    [
      ["sign", "--scheme", "github", "--secret", "a", "--secret", "b", "--data", "{}"],
      "webhooks sign: --secret: X-Hub-Signature-256 carries one signature: sign with exactly one secret",
    ],
    [
      ["sign", "--scheme", "standard-webhooks", "--secret", "not base64!", "--data", "{}"],
      "webhooks sign: --secret: unusable secret: ",
    ],
    [
      ["sign", "--scheme", "stripe", "--secret", "s", "--data", "{}", "--id", "evt_1"],
      "webhooks sign: --id: stripe sends no delivery id of its own (it reads body id → body type)",
    ],
    [
      ["sign", "--scheme", "stripe", "--secret", "s", "--data", "{}", "--timestamp", "1.5"],
      "webhooks sign: --timestamp must be an integer in 0..9999999999, got '1.5'",
    ],
    [
      ["sign", "--scheme", "github", "--secret", "s", "--data", "{}", "--header-family", "svix"],
      "webhooks sign: --header-family applies to standard-webhooks only",
    ],
    [
      ["sign", "--scheme", "github", "--secret", "s", "--data", "{}", "--body", "x"],
      "webhooks sign: --body and --data are exclusive",
    ],
    [
      ["sign", "--scheme", "github", "--secret", "s", "--data", "{}", "--header", "no colon"],
      "webhooks sign: --header: 'no colon' is not a 'Name: value' header line",
    ],
    [["sign", "--scheme", "github", "--secret", "--data", "{}"], "webhooks sign: --secret needs a value"],
    [["sign", "--scheme", "github", "--sekret", "s"], "webhooks sign: unknown option --sekret"],
    [["sign", "extra"], "webhooks sign: unexpected argument 'extra'"],
    [
      ["verify", "--scheme", "github", "--secret", "s", "--data", "{}"],
      "webhooks verify: --header or --headers is required",
    ],
    [
      ["verify", "--scheme", "github", "--secret", "s", "--headers", "-", "--body", "-"],
      "webhooks verify: --headers and --body cannot both read standard input",
    ],
    [
      [
        "verify",
        "--scheme",
        "github",
        "--secret",
        "s",
        "--headers",
        join(files, "empty.txt"),
        "--data",
        "{}",
      ],
      `webhooks verify: --headers: ${join(files, "empty.txt")} is empty (expected 'Name: value' lines or a JSON object)`,
    ],
    [
      [
        "verify",
        "--scheme",
        "github",
        "--secret",
        "s",
        "--headers",
        join(files, "status-only.txt"),
        "--data",
        "{}",
      ],
      `webhooks verify: --headers: ${join(files, "status-only.txt")} holds no headers`,
    ],
    [
      [
        "verify",
        "--scheme",
        "github",
        "--secret",
        "s",
        "--header",
        "a: b",
        "--data",
        "{}",
        "--tolerance",
        "-5",
      ],
      "webhooks verify: --tolerance must be an integer in 1..86400, got '-5'",
    ],
    [
      ["sign", "--scheme", "github", "--secret", "-s3cr3t", "--data", "{}"],
      "webhooks sign: --secret needs a value (one starting with '-' goes as --secret=-…)",
    ],
    [
      ["verify", "--scheme", "github", "--secret", "s", "--header", "a: b", "--data", "{}", "--now", "soon"],
      "webhooks verify: --now must be an integer",
    ],
    [["send", "--scheme", "github", "--secret", "s", "--data", "{}"], "webhooks send: --url is required"],
    [
      ["send", "--url", "ftp://example.com", "--scheme", "github", "--secret", "s", "--data", "{}"],
      "webhooks send: --url must be http or https, got ftp:",
    ],
  ])("%j", async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);

    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toMatch(new RegExp(`\\(see webhooks ${argv[0]} --help\\)\\n$`));
    expect(stderr.split("\n")).toHaveLength(2);
  });

  test("an unknown command", async () => {
    const { code, stderr } = await runCli(["sing"]);

    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: "webhooks: unknown command 'sing' (see webhooks --help)\n",
    });
  });
});
