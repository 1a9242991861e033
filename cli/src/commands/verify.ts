import { parsePayload, SCHEMES, type SchemeRequest, verifyRequest, webhookIdFor } from "@webhooks/shared";
import { CONTENT_TYPE_HEADER, singleHeaders } from "../../../functions/validator/request";
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
import { chooseScheme, SCHEME_HELP, SCHEME_OPTIONS } from "../signing";

/** What the validator would answer, as `verify` reports it. */
type Outcome =
  | {
      readonly ok: true;
      readonly deliveryId: string | undefined;
      readonly eventType: string | undefined;
      readonly secretIndex: number;
      readonly timestamp?: number;
      readonly handshake?: Record<string, unknown>;
    }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly reason: string };

export const verifyCommand: Command = {
  name: "verify",
  summary:
    "check a request's signature like the validator does: delivery id and event type, or the exact reason",
  help: `Usage: webhooks verify --scheme <id> --secret <s>... (--header 'Name: value'... | --headers <file|->)
                       --body <file|-> [options]

Runs the validator's own checks on a request, in its order: repeated security headers, the
signature header's shape, the timestamp window, the MAC against every secret, the body
(parsePayload), then the delivery id and event type (identify).
Exit 0: prints the delivery id, event type, which secret matched and the signed timestamp.
Exit 1: prints what the validator would answer and the exact reason (which header, which check).

${SCHEME_HELP}

Request:
  --secret <s>           active secret; repeat for several (rotation: any may match)
  --secret-file <file>   secrets, one per line
  --header 'Name: v'     a received header (repeatable)
  --headers <file|->     headers as 'Name: value' lines (as 'webhooks sign' prints them or
                         'curl -D' saves them) or a JSON object
  --body <file|->        the exact body bytes received ('-' reads standard input)
  --data <text>          the body as text instead of --body

Checks:
  --now <unix>           verify as of this time in unix seconds (default: now)
  --tolerance <s>        allowed clock skew both ways (default: the provider's, else 300)

Output:
  --json                 print the outcome as JSON

Examples:
  webhooks sign --scheme github --secret s3cr3t --event push --body push.json > headers.txt
  webhooks verify --scheme github --secret s3cr3t --headers headers.txt --body push.json
  webhooks verify --provider stripe --secret whsec_old --secret whsec_new \\
    --header "Stripe-Signature: t=1700000000,v1=…" --body event.json --now 1700000005`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...SCHEME_OPTIONS,
      secret: { type: "string", multiple: true },
      "secret-file": { type: "string" },
      header: { type: "string", multiple: true },
      headers: { type: "string" },
      body: { type: "string" },
      data: { type: "string" },
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

    const outcome = verifyLikeTheValidator(choice.scheme, options, lines, body, secrets, nowSeconds);
    const webhookId =
      outcome.ok && choice.providerId !== undefined && outcome.deliveryId !== undefined
        ? webhookIdFor(choice.providerId, outcome.deliveryId)
        : undefined;
    if (values.json) {
      const json = outcome.ok
        ? { ...outcome, scheme: choice.scheme, ...(webhookId ? { webhookId } : {}) }
        : outcome;
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.stdout.write(describe(outcome, choice.scheme, secrets.length, webhookId));
    }
    const hint = outcome.ok ? undefined : headerFamilyHint(choice.scheme, choice.options.headerFamily, lines);
    if (hint) io.stderr.write(`hint: ${hint}\n`);
    return outcome.ok ? ExitCode.ok : ExitCode.failed;
  },
};

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
  scheme: keyof typeof SCHEMES,
  family: string | undefined,
  lines: ReadonlyArray<readonly [string, string]>,
): string | undefined {
  if (family === "svix" || !lines.some(([name]) => /^svix-/i.test(name))) return undefined;
  return scheme === "standard-webhooks"
    ? "the request has svix-* headers: verify with --header-family svix"
    : "the request has svix-* headers: verify with --scheme standard-webhooks --header-family svix";
}

/**
 * The validator's pipeline (functions/validator/handler.ts) without its AWS parts: its header check
 * (each header the scheme reads, and Content-Type, at most once and not empty), then parse and MAC
 * (`verifyRequest`), then `parsePayload`, the scheme's handshake, and `identify`.
 */
export function verifyLikeTheValidator(
  schemeId: keyof typeof SCHEMES,
  options: Parameters<typeof verifyRequest>[4],
  lines: ReadonlyArray<readonly [string, string]>,
  body: Uint8Array,
  secrets: readonly string[],
  nowSeconds: number,
): Outcome {
  const scheme = SCHEMES[schemeId];
  const index = new Map<string, string[]>();
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    index.set(key, [...(index.get(key) ?? []), value]);
  }
  const checked = singleHeaders(index, [...scheme.headers(options), CONTENT_TYPE_HEADER]);
  if (!checked.ok) return { ok: false, status: 400, code: "invalid_header", reason: checked.reason };
  const { headers } = checked;
  const request: SchemeRequest = { headers, body };
  const verified = verifyRequest(schemeId, request, secrets, nowSeconds, options);
  if (!verified.ok) {
    const status = verified.code === "unusable_secret" ? 503 : 401;
    return { ok: false, status, code: verified.code, reason: verified.reason };
  }
  const payload = parsePayload(body, headers.get(CONTENT_TYPE_HEADER));
  if (!payload.ok) {
    const code = payload.status === 415 ? "unsupported_media_type" : "malformed_payload";
    return { ok: false, status: payload.status, code, reason: payload.reason };
  }
  const matched = {
    secretIndex: verified.secretIndex,
    ...(verified.timestamp !== undefined ? { timestamp: verified.timestamp } : {}),
  };
  const handshake = scheme.handshake?.(payload.data);
  if (handshake) return { ok: true, deliveryId: undefined, eventType: undefined, handshake, ...matched };
  const identified = scheme.identify(request, payload.data, options);
  if (!identified.ok) return { ok: false, status: 400, code: "invalid_event", reason: identified.reason };
  return { ok: true, deliveryId: identified.deliveryId, eventType: identified.eventType, ...matched };
}

function describe(
  outcome: Outcome,
  scheme: string,
  secretCount: number,
  webhookId: string | undefined,
): string {
  if (!outcome.ok) return `rejected (${outcome.status} ${outcome.code}): ${outcome.reason}\n`;
  const lines = [
    `verified: ${scheme} signature matches secret #${outcome.secretIndex + 1} of ${secretCount}`,
  ];
  if (outcome.timestamp !== undefined) {
    lines.push(`timestamp: ${outcome.timestamp} (${new Date(outcome.timestamp * 1000).toISOString()})`);
  }
  if (outcome.handshake) {
    lines.push(
      `handshake: the validator answers 200 ${JSON.stringify(outcome.handshake)} and stores nothing`,
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
