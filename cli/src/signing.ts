import { randomUUID } from "node:crypto";
import {
  type HeaderFamily,
  type ProviderRuntimeConfig,
  SCHEME_IDS,
  type SchemeId,
  type SchemeOptions,
  signRequest,
} from "@webhooks/shared";
import { choiceOption, integerOption, parseHeaderLine } from "./args";
import { type Io, UsageError } from "./command";
import { loadStack, providerOf, STACK_OPTIONS } from "./stack";

/** Options shared by sign, send and verify to pick the scheme. */
export const SCHEME_OPTIONS = {
  scheme: { type: "string" },
  provider: { type: "string" },
  "header-family": { type: "string" },
  ...STACK_OPTIONS,
} as const;

export const SCHEME_HELP = `Scheme:
  --scheme <id>          ${SCHEME_IDS.join(" | ")}
  --provider <id>        take scheme, header family and tolerance from a provider of the
                         synthesized stack (its output validator_providers) instead
  --header-family <f>    standard-webhooks only: webhook (webhook-* headers, default) or svix
  --stack <name>         with --provider: the synthesized stack, a directory of cdktf.out/stacks
                         (default: the one the WEBHOOK_* environment synthesizes, else the only one)
  --stack-dir <dir>      with --provider: a synthesized stack directory anywhere`;

export interface SchemeChoice {
  readonly scheme: SchemeId;
  readonly options: SchemeOptions;
  /** Set when chosen with `--provider`. */
  readonly provider?: ProviderRuntimeConfig;
  /** The provider id, when `--provider` was given. */
  readonly providerId?: string;
}

/** The scheme from `--scheme`, or from `--provider` in the synthesized stack; `--header-family` overrides. */
export function chooseScheme(
  values: {
    scheme?: string | undefined;
    provider?: string | undefined;
    "header-family"?: string | undefined;
    stack?: string | undefined;
    "stack-dir"?: string | undefined;
  },
  io: Io,
): SchemeChoice {
  const family = choiceOption(values["header-family"], "header-family", ["webhook", "svix"] as const);
  let provider: ProviderRuntimeConfig | undefined;
  if (values.provider !== undefined) {
    provider = providerOf(loadStack(values, io), values.provider);
  }
  const scheme = values.scheme ?? provider?.scheme;
  if (scheme === undefined) throw new UsageError("--scheme is required (or --provider)");
  if (!(SCHEME_IDS as readonly string[]).includes(scheme)) {
    throw new UsageError(`--scheme must be one of ${SCHEME_IDS.join(", ")}, got '${scheme}'`);
  }
  if (provider && provider.scheme !== scheme) {
    throw new UsageError(
      `--scheme ${scheme} contradicts --provider ${provider.id}, whose scheme is ${provider.scheme}`,
    );
  }
  if (family !== undefined && scheme !== "standard-webhooks") {
    throw new UsageError("--header-family applies to the standard-webhooks scheme only");
  }
  const headerFamily: HeaderFamily | undefined = family ?? provider?.headerFamily;
  return {
    scheme: scheme as SchemeId,
    options: {
      ...(provider ? { toleranceSeconds: provider.toleranceSeconds } : {}),
      ...(headerFamily ? { headerFamily } : {}),
    },
    ...(provider ? { provider, providerId: provider.id } : {}),
  };
}

/**
 * Headers a sender sends that carry the delivery id and event type, where a scheme reads them from
 * headers (`webhooks sign --id/--event` fill them). Stripe and Slack put both in the body; generic
 * and Standard Webhooks sign the id themselves (`X-Webhook-Id`, `webhook-id`).
 */
const IDENTITY_HEADERS: Record<SchemeId, { readonly id?: string; readonly event?: string }> = {
  generic: { event: "X-Webhook-Event" },
  github: { id: "X-GitHub-Delivery", event: "X-GitHub-Event" },
  shopify: { id: "X-Shopify-Webhook-Id", event: "X-Shopify-Topic" },
  stripe: {},
  slack: {},
  "standard-webhooks": {},
};

const BODY_IDENTITY: Partial<Record<SchemeId, string>> = {
  stripe: "the body's id and type",
  slack: "the body's event_id and event.type",
  "standard-webhooks": "the body's type",
};

/** Options of sign and send: what to sign and which extra headers to send. */
export const SIGN_OPTIONS = {
  ...SCHEME_OPTIONS,
  secret: { type: "string", multiple: true },
  "secret-file": { type: "string" },
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
                         secret, for schemes whose header carries several)
  --secret-file <file>   secrets, one per line (keeps them out of shell history)
  --body <file|->        the exact body bytes to sign ('-' reads standard input)
  --data <text>          the body as text instead of --body
  --timestamp <unix>     signing time in unix seconds (default: now)
  --id <id>              delivery id: X-Webhook-Id (generic), X-GitHub-Delivery, X-Shopify-Webhook-Id,
                         webhook-id / svix-id (standard-webhooks; default: a random msg_ id)
  --event <type>         event type header: X-Webhook-Event, X-GitHub-Event, X-Shopify-Topic
  --content-type <t>     Content-Type header (default: application/json)
  --header 'Name: v'     one more header to send (repeatable; replaces a generated one of that name)`;

export interface SignValues {
  readonly timestamp?: string | undefined;
  readonly id?: string | undefined;
  readonly event?: string | undefined;
  readonly "content-type"?: string | undefined;
  readonly header?: string[] | undefined;
}

/**
 * The headers a sender of the chosen scheme sends with this body, in sending order: the scheme's
 * own (from `signRequest`, the validator's code), the identity headers, Content-Type, then `--header`s.
 */
export function senderHeaders(
  choice: SchemeChoice,
  body: Uint8Array,
  secrets: readonly string[],
  values: SignValues,
  io: Io,
): Array<[string, string]> {
  const { scheme } = choice;
  const timestamp =
    integerOption(values.timestamp, "timestamp", 0, 9_999_999_999) ?? Math.floor(io.now() / 1000);
  const identity = IDENTITY_HEADERS[scheme];
  for (const option of ["id", "event"] as const) {
    if (
      values[option] !== undefined &&
      identity[option] === undefined &&
      !(option === "id" && signsId(scheme))
    ) {
      throw new UsageError(
        `--${option}: the ${scheme} scheme takes it from ${BODY_IDENTITY[scheme] ?? "the body"}`,
      );
    }
  }
  const id =
    values.id ??
    (scheme === "standard-webhooks"
      ? `msg_${randomUUID().replaceAll("-", "")}`
      : identity.id !== undefined
        ? randomUUID()
        : undefined);

  let signed: Record<string, string>;
  try {
    signed = signRequest(
      scheme,
      { body, secrets, timestamp, ...(signsId(scheme) && id !== undefined ? { id } : {}) },
      choice.options,
    );
  } catch (error) {
    throw new UsageError(`--secret: ${(error as Error).message}`);
  }
  const headers: Array<[string, string]> = Object.entries(signed);
  if (identity.id !== undefined && id !== undefined) headers.push([identity.id, id]);
  if (identity.event !== undefined && values.event !== undefined)
    headers.push([identity.event, values.event]);
  if (scheme === "generic" && choice.providerId !== undefined)
    headers.push(["X-Provider-ID", choice.providerId]);
  headers.push(["Content-Type", values["content-type"] ?? "application/json"]);
  for (const line of values.header ?? []) {
    const [name, value] = parseHeaderLine(line, "--header");
    const at = headers.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
    if (at === -1) headers.push([name, value]);
    else headers[at] = [name, value];
  }
  if ((scheme === "github" || scheme === "shopify") && values.event === undefined) {
    io.stderr.write(
      `note: no --event: the validator refuses a ${scheme} delivery without ${identity.event}\n`,
    );
  }
  return headers;
}

function signsId(scheme: SchemeId): boolean {
  return scheme === "generic" || scheme === "standard-webhooks";
}
