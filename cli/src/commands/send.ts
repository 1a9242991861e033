import { integerOption, parseCommandLine, readBody, required } from "../args";
import { type Command, CommandError, ExitCode, UsageError } from "../command";
import { devTarget, readDevState } from "../dev/state";
import { chooseScheme, SCHEME_HELP } from "../scheme-choice";
import { SIGN_HELP, SIGN_OPTIONS, senderRequest } from "../signing";
import { readSigningKeys, signingMaterial } from "../signing-keys";
import { DEV_OPTIONS } from "../stack";

export const sendCommand: Command = {
  name: "send",
  summary: "sign a body and POST it to a webhook endpoint; print the answer's status and body",
  help: `Usage: webhooks send --url <endpoint> --scheme <id> --secret <s> --body <file|-> [options]
       webhooks send --dev --provider <id> --body <file|-> [options]

Signs the body like 'webhooks sign' and POSTs it with those headers (senders that sign inside
the body: the signed body), then prints the answer's status line and body. Exit 0 for a 2xx
answer, 1 for any other answer or a network failure.

  --url <url>            the endpoint, e.g. the stack output endpoint_stripe
                         (https://…/webhooks/stripe); the generic route /webhook needs
                         X-Provider-ID: use --provider or --header. Senders that sign the URL
                         they call sign this one unless --public-url (or the provider's) says
                         otherwise
  --dev                  send to the running \`webhooks dev\` (started in this directory): its route
                         for --provider, its signing secret for that provider, its API key where
                         the route needs one (--url, --secret and --header still override;
                         senders that sign with a private key take --private-key)
  --dry-run              print the request instead of sending it
  --timeout <s>          give up after this many seconds (default: 30)

${SCHEME_HELP}

${SIGN_HELP}

Examples:
  webhooks send --url "$(cdktf output -raw endpoint_stripe)" --scheme stripe --secret whsec_test --body event.json
  webhooks send --dev --provider stripe --body examples/stripe-payment_intent.succeeded.json
  webhooks send --url https://abc.execute-api.us-east-1.amazonaws.com/v1/webhook --provider acme \\
    --secret s3cr3t --id order-42 --data '{"type":"order.created"}' --header "x-api-key: …" --dry-run`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...SIGN_OPTIONS,
      ...DEV_OPTIONS,
      url: { type: "string" },
      "dry-run": { type: "boolean" },
      timeout: { type: "string" },
    });
    const local = values.dev ? devTarget(readDevState(io.cwd), values.provider) : undefined;
    const url = parseUrl(values.url ?? local?.url ?? required<string>(values.url, "url"));
    const timeoutSeconds = integerOption(values.timeout, "timeout", 1, 900) ?? 30;
    const choice = chooseScheme(values, io, url.href);
    const givenSecrets = values.secret !== undefined || values["secret-file"] !== undefined;
    const keys =
      local && !givenSecrets && signingMaterial(choice.preset) === "secret"
        ? { secrets: [...local.secrets] }
        : await readSigningKeys(choice, values, io);
    const payload = await readBody(values, io);
    const header = [...(local?.headers ?? []), ...(values.header ?? [])];
    const { headers, body } = senderRequest(choice, payload, keys, { ...values, header }, io);

    if (values["dry-run"]) {
      const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
      io.stdout.write(
        `POST ${url.href}\n${headers.map(([name, value]) => `${name}: ${value}\n`).join("")}\n${text}\n`,
      );
      return ExitCode.ok;
    }

    let response: Response;
    try {
      response = await io.fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
    } catch (error) {
      throw new CommandError(`POST ${url.href} failed: ${networkReason(error, timeoutSeconds)}`);
    }
    const answer = await response.text();
    io.stdout.write(
      `HTTP ${response.status} ${response.statusText}\n${answer}${answer.endsWith("\n") ? "" : "\n"}`,
    );
    return response.ok ? ExitCode.ok : ExitCode.failed;
  },
};

function parseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url: '${value}' is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`--url must be http or https, got ${url.protocol}`);
  }
  return url;
}

function networkReason(error: unknown, timeoutSeconds: number): string {
  const { name, message, cause } = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === "TimeoutError") return `no answer within ${timeoutSeconds} s`;
  return cause?.code ?? cause?.message ?? message ?? String(error);
}
