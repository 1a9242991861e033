import { randomUUID } from "node:crypto";
import type { PresetDefinition, SignInput } from "@webhooks/shared";
import { integerOption, parseHeaderLine } from "./args";
import { type Io, UsageError } from "./command";
import { identity, plain } from "./presets/describe";
import { SCHEME_OPTIONS, type SchemeChoice } from "./scheme-choice";
import type { SigningKeys } from "./signing-keys";

/** Options of sign and send: what to sign, with what, and which extra headers to send. */
export const SIGN_OPTIONS = {
  ...SCHEME_OPTIONS,
  secret: { type: "string", multiple: true },
  "secret-file": { type: "string" },
  "private-key": { type: "string" },
  "key-id": { type: "string" },
  body: { type: "string" },
  data: { type: "string" },
  timestamp: { type: "string" },
  id: { type: "string" },
  event: { type: "string" },
  "content-type": { type: "string" },
  header: { type: "string", multiple: true },
} as const;

export const SIGN_HELP = `What to sign:
  --secret <s>           signing secret; repeat to sign with several (rotation: one signature per
                         secret, for schemes whose header carries several); token senders send it
  --secret-file <file>   secrets, one per line (keeps them out of shell history)
  --private-key <file>   a PEM private key, for senders that sign with one: discord (Ed25519) and
                         sendgrid (ECDSA P-256), whose public half verify takes as --secret
                         (printed on stderr); paypal (RSA: the certificate's key; --secret is the
                         webhook id); plaid (ECDSA P-256; no --secret)
  --key-id <id>          paypal: the certificate's URL (PAYPAL-CERT-URL, on PayPal's API hosts);
                         plaid: the key's kid
  --body <file|->        the exact body bytes to sign ('-' reads standard input); senders that sign
                         inside the body (mailgun, figma, adyen, braintree) take the payload and
                         send it signed
  --data <text>          the body as text instead of --body
  --timestamp <unix>     signing time in unix seconds (default: now)
  --id <id>              delivery id, where the sender sends one in a header (X-GitHub-Delivery,
                         webhook-id, …) or signs one (PayPal's transmission id, Mailgun's token);
                         default: a random one (none for generic: no X-Webhook-Id)
  --event <type>         event type, where the sender sends it in a header (X-GitHub-Event, …)
  --content-type <t>     Content-Type header (default: application/json, or
                         application/x-www-form-urlencoded for a body of name=value pairs)
  --header 'Name: v'     one more header to send (repeatable; replaces a generated one of that name)`;

export interface SignValues {
  readonly timestamp?: string | undefined;
  readonly id?: string | undefined;
  readonly event?: string | undefined;
  readonly "content-type"?: string | undefined;
  readonly header?: string[] | undefined;
}

/** A request as the sender sends it: headers in sending order, and the body (signed, for senders that sign inside it). */
export interface SenderRequest {
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/**
 * The request a sender of the chosen scheme sends with this payload: the scheme's own headers (from
 * its `sign`, or the body and headers of its `signBody`: the validator's code), the delivery id
 * and event type headers, Content-Type, then `--header`s.
 */
export function senderRequest(
  choice: SchemeChoice,
  payload: Uint8Array,
  keys: SigningKeys,
  values: SignValues,
  io: Io,
): SenderRequest {
  const { ref, preset, scheme } = choice;
  const timestamp =
    integerOption(values.timestamp, "timestamp", 0, 9_999_999_999) ?? Math.floor(io.now() / 1000);
  const ids = idUse(preset);
  if (values.id !== undefined && ids === "unused")
    throw new UsageError(
      `--id: ${ref} sends no delivery id of its own (it reads ${identity(preset, plain)})`,
    );
  const eventHeader = preset.identity.eventType.find((source) => source.header !== undefined)?.header;
  if (values.event !== undefined && eventHeader === undefined)
    throw new UsageError(`--event: ${ref} has no event type header (it reads ${identity(preset, plain)})`);
  const id = values.id ?? (ids === "default" ? defaultId(preset) : undefined);
  const input: SignInput = {
    body: payload,
    secrets: keys.secrets,
    timestamp,
    ...(id === undefined ? {} : { id }),
    ...(keys.privateKey === undefined ? {} : { privateKey: keys.privateKey }),
    ...(keys.keyId === undefined ? {} : { keyId: keys.keyId }),
  };
  let body = Buffer.from(payload);
  let own: Record<string, string>;
  try {
    if (scheme.signBody) {
      const signed = scheme.signBody(input, choice.options);
      body = Buffer.from(signed.body, "utf8");
      own = signed.headers;
    } else {
      own = scheme.sign(input, choice.options);
    }
  } catch (error) {
    // Asymmetric senders sign with the key alone, PayPal with the key and the webhook id (--secret).
    const option =
      (keys.key && keys.privateKey === undefined) || keys.secrets.length === 0 ? "--private-key" : "--secret";
    throw new UsageError(`${option}: ${(error as Error).message}`);
  }
  const headers: Array<[string, string]> = Object.entries(own);
  const set = (name: string, value: string) => {
    const at = headers.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
    if (at === -1) headers.push([name, value]);
    else headers[at] = [name, value];
  };
  if (eventHeader !== undefined && values.event !== undefined) set(eventHeader, values.event);
  if (ref === "generic" && choice.provider !== undefined) set("X-Provider-ID", choice.provider.id);
  const contentType =
    values["content-type"] ?? (hasHeader(headers, "content-type") ? undefined : mediaTypeFor(body));
  if (contentType !== undefined) set("Content-Type", contentType);
  for (const line of values.header ?? []) set(...parseHeaderLine(line, "--header"));
  if (eventHeader !== undefined && values.event === undefined && requiresEventHeader(preset))
    io.stderr.write(`note: no --event: the validator refuses a ${ref} delivery without ${eventHeader}\n`);
  return { headers, body };
}

/**
 * Whether the sender sends a delivery id the CLI makes up: in its first delivery-id header (where
 * the engine's `sign` puts `input.id`), or signed (a `{header:…}` or `{json:…}` of the signed
 * content, PayPal's transmission id). `optional`: only when given (generic's `X-Webhook-Id`,
 * whose absence means no dedupe).
 */
function idUse(preset: PresetDefinition): "default" | "optional" | "unused" {
  const signsId =
    ((preset.family === "hmac" || preset.family === "asymmetric") &&
      /\{(header|json):/.test(preset.signedContent)) ||
    (preset.family === "code" && preset.module === "paypal");
  if (signsId) return "default";
  if (preset.identity.deliveryId[0]?.header === undefined) return "unused";
  return preset.identity.deliveryIdFallback === "none" ? "optional" : "default";
}

/** A random id, shaped like the sender's (`msg_…` for Standard Webhooks and Svix). */
function defaultId(preset: PresetDefinition): string {
  const header = preset.identity.deliveryId[0]?.header ?? "";
  return /^(webhook|svix)-id$/i.test(header) ? `msg_${randomUUID().replaceAll("-", "")}` : randomUUID();
}

/** The validator refuses a delivery without its event type header when nothing else names the type. */
function requiresEventHeader(preset: PresetDefinition): boolean {
  const { eventType, eventTypeFallback, batch } = preset.identity;
  return eventTypeFallback === undefined && batch === undefined && eventType.every((source) => source.header);
}

function hasHeader(headers: ReadonlyArray<readonly [string, string]>, name: string): boolean {
  return headers.some(([existing]) => existing.toLowerCase() === name);
}

const FORM = /^[A-Za-z0-9_.~%+*-]+=[^&]*(&[A-Za-z0-9_.~%+*-]+=[^&]*)*$/;

/** JSON unless the body is a form's `name=value&…` pairs (Twilio, Slack commands, GitHub's `payload=`). */
function mediaTypeFor(body: Buffer): string {
  return FORM.test(body.toString("latin1").trim()) ? "application/x-www-form-urlencoded" : "application/json";
}
