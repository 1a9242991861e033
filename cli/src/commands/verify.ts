import { type KeyRequest, webhookIdFor } from "@webhooks/shared";
import {
  integerOption,
  parseCommandLine,
  parseHeaderDocument,
  parseHeaderLine,
  readBody,
  readInput,
  readSecrets,
} from "../args";
import { type Command, ExitCode, type Io, UsageError } from "../command";
import { chooseScheme, SCHEME_HELP, SCHEME_OPTIONS } from "../scheme-choice";
import { type Outcome, verifyLikeTheValidator } from "../verifying";

export const verifyCommand: Command = {
  name: "verify",
  summary:
    "check a request's signature like the validator does: delivery id and event type, or the exact reason",
  help: `Usage: webhooks verify --scheme <id> --secret <s>... (--header 'Name: value'... | --headers <file|->)
                       --body <file|-> [options]

Runs the validator's own checks on a request, in its order: repeated security headers, an unsigned
handshake, the signature's shape, the timestamp window, the signature against every secret, the
body (parsePayload), a signed handshake, then the delivery id and event type (identify).
Exit 0: prints the delivery id, event type, which secret matched and the signed timestamp, or the
handshake answer.
Exit 1: prints what the validator would answer and the exact reason (which header, which check).

${SCHEME_HELP}

Request:
  --secret <s>           what the secret document holds (a public key for discord and sendgrid,
                         the webhook id for paypal); repeat for several (rotation: any may match)
  --secret-file <file>   secrets, one per line
  --header 'Name: v'     a received header (repeatable)
  --headers <file|->     headers as 'Name: value' lines (as 'webhooks sign' prints them or
                         'curl -D' saves them) or a JSON object
  --body <file|->        the exact body bytes received ('-' reads standard input)
  --data <text>          the body as text instead of --body
  --key-file <file>      the published key the validator would fetch, saved beforehand: paypal's
                         certificate chain (PEM, from the request's PAYPAL-CERT-URL), plaid's key
                         (the JWK /webhook_verification_key/get returns for the request's kid)

Checks:
  --now <unix>           verify as of this time in unix seconds (default: now)
  --tolerance <s>        allowed clock skew (default: the provider's, else the preset's)

Output:
  --json                 print the outcome as JSON

Examples:
  webhooks sign --scheme github --secret s3cr3t --event push --body push.json > headers.txt
  webhooks verify --scheme github --secret s3cr3t --headers headers.txt --body push.json
  webhooks verify --provider stripe --secret whsec_old --secret whsec_new \\
    --header "Stripe-Signature: t=1700000000,v1=…" --body event.json --now 1700000005
  webhooks verify --scheme paypal --secret "$WEBHOOK_ID" --headers headers.txt --body event.json \\
    --key-file paypal-cert.pem`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...SCHEME_OPTIONS,
      secret: { type: "string", multiple: true },
      "secret-file": { type: "string" },
      header: { type: "string", multiple: true },
      headers: { type: "string" },
      body: { type: "string" },
      data: { type: "string" },
      "key-file": { type: "string" },
      now: { type: "string" },
      tolerance: { type: "string" },
      json: { type: "boolean" },
    });
    if (values.headers === "-" && values.body === "-") {
      throw new UsageError("--headers and --body cannot both read standard input");
    }
    const choice = chooseScheme(values, io);
    const tolerance = integerOption(values.tolerance, "tolerance", 1, 86_400);
    const options =
      tolerance === undefined ? choice.options : { ...choice.options, toleranceSeconds: tolerance };
    const nowSeconds = integerOption(values.now, "now", 0, 9_999_999_999) ?? Math.floor(io.now() / 1000);
    const secrets = await readSecrets(values, io);
    const lines = await readHeaderLines(values, io);
    const body = await readBody(values, io);
    const { preset } = choice;
    if (
      values["key-file"] !== undefined &&
      !(preset.family === "code" && ["paypal", "plaid"].includes(preset.module))
    )
      throw new UsageError(`--key-file: ${choice.ref} checks no published key (paypal and plaid do)`);
    const keyFile =
      values["key-file"] === undefined
        ? undefined
        : (await readInput(values["key-file"], "key-file", io)).toString("utf8");

    const outcome = verifyLikeTheValidator(
      choice.scheme,
      options,
      lines,
      body,
      secrets,
      nowSeconds,
      (request) => {
        if (keyFile === undefined) throw new UsageError(`--key-file is required: ${keyWanted(request)}`);
        return keyFile;
      },
    );
    const providerId = choice.provider?.id;
    const webhookId =
      outcome.ok && providerId !== undefined && outcome.deliveryId !== undefined
        ? webhookIdFor(providerId, outcome.deliveryId)
        : undefined;
    if (values.json) {
      const json = outcome.ok
        ? { ...outcome, scheme: choice.ref, ...(webhookId ? { webhookId } : {}) }
        : outcome;
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.stdout.write(describe(outcome, choice.ref, secrets.length, webhookId));
    }
    const hint = outcome.ok ? undefined : headerFamilyHint(choice.ref, choice.options.headerFamily, lines);
    if (hint) io.stderr.write(`hint: ${hint}\n`);
    return outcome.ok ? ExitCode.ok : ExitCode.failed;
  },
};

/** Where the validator would fetch the key this request names from. */
function keyWanted(request: KeyRequest): string {
  return request.kind === "x509-url"
    ? `the signature is checked with PayPal's certificate chain at ${request.url}: save it and pass the file`
    : `the signature is checked with Plaid's key ${request.keyId} (POST https://${request.host}/webhook_verification_key/get with the API credentials and that key_id): save its JWK and pass the file`;
}

async function readHeaderLines(
  values: { header?: string[] | undefined; headers?: string | undefined },
  io: Io,
): Promise<Array<[string, string]>> {
  const lines: Array<[string, string]> = [];
  if (values.headers !== undefined) {
    const text = (await readInput(values.headers, "headers", io)).toString("utf8");
    const parsed = parseHeaderDocument(text, "--headers");
    if (parsed.length === 0) {
      const source = values.headers === "-" ? "standard input" : values.headers;
      const what = text.trim() === "" ? "is empty" : "holds no headers";
      throw new UsageError(`--headers: ${source} ${what} (expected 'Name: value' lines or a JSON object)`);
    }
    lines.push(...parsed);
  }
  for (const line of values.header ?? []) lines.push(parseHeaderLine(line, "--header"));
  if (lines.length === 0) throw new UsageError("--header or --headers is required");
  return lines;
}

/**
 * When a rejected request carries svix-* headers but was verified as another header family or
 * scheme: Svix sends Standard Webhooks signatures under svix-* names.
 */
function headerFamilyHint(
  ref: string,
  family: string | undefined,
  lines: ReadonlyArray<readonly [string, string]>,
): string | undefined {
  if (family === "svix" || !lines.some(([name]) => /^svix-/i.test(name))) return undefined;
  if (ref === "standard-webhooks") return "the request has svix-* headers: verify with --header-family svix";
  return ["svix", "clerk", "resend", "stytch"].includes(ref)
    ? undefined
    : "the request has svix-* headers: verify with --scheme svix (or the sender's own preset: clerk, resend, stytch)";
}

function describe(outcome: Outcome, ref: string, secretCount: number, webhookId: string | undefined): string {
  if (!outcome.ok) return `rejected (${outcome.status} ${outcome.code}): ${outcome.reason}\n`;
  const lines: string[] = [];
  if (outcome.secretIndex !== undefined) {
    lines.push(`verified: ${ref} signature matches secret #${outcome.secretIndex + 1} of ${secretCount}`);
  }
  if (outcome.timestamp !== undefined) {
    lines.push(`timestamp: ${outcome.timestamp} (${new Date(outcome.timestamp * 1000).toISOString()})`);
  }
  const { handshake } = outcome;
  if (handshake) {
    const answer = `${handshake.status} ${handshake.body === "" ? "(empty body)" : handshake.body}`;
    const kind = `${outcome.secretIndex === undefined ? "unsigned " : ""}${handshake.kind}`;
    lines.push(
      handshake.stores
        ? `handshake (${kind}): the validator stores the value the sender handed over, then answers ${answer}`
        : `handshake (${kind}): the validator answers ${answer} and stores nothing`,
    );
  } else {
    lines.push(
      `delivery id: ${outcome.deliveryId ?? "none (not deduplicated: the validator assigns a random one)"}`,
      `event type: ${outcome.eventType}`,
    );
  }
  if (webhookId) lines.push(`webhook id: ${webhookId}`);
  return `${lines.join("\n")}\n`;
}
