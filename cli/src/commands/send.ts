import { integerOption, parseCommandLine, readBody, required } from "../args";
import { type Command, CommandError, ExitCode, UsageError } from "../command";
import { chooseScheme, SCHEME_HELP } from "../scheme-choice";
import { SIGN_HELP, SIGN_OPTIONS, senderRequest } from "../signing";
import { readSigningKeys } from "../signing-keys";

export const sendCommand: Command = {
  name: "send",
  summary: "sign a body and POST it to a webhook endpoint; print the answer's status and body",
  help: `Usage: webhooks send --url <endpoint> --scheme <id> --secret <s> --body <file|-> [options]

Signs the body like 'webhooks sign' and POSTs it with those headers (senders that sign inside
the body: the signed body), then prints the answer's status line and body. Exit 0 for a 2xx
answer, 1 for any other answer or a network failure.

  --url <url>            the endpoint, e.g. the stack output endpoint_stripe
                         (https://…/webhooks/stripe); the generic route /webhook needs
                         X-Provider-ID: use --provider or --header. Senders that sign the URL
                         they call sign this one unless --public-url (or the provider's) says
                         otherwise
  --dry-run              print the request instead of sending it
  --timeout <s>          give up after this many seconds (default: 30)

${SCHEME_HELP}

${SIGN_HELP}

Examples:
  webhooks send --url "$(cdktf output -raw endpoint_stripe)" --scheme stripe --secret whsec_test --body event.json
  webhooks send --url https://abc.execute-api.us-east-1.amazonaws.com/v1/webhook --provider acme \\
    --secret s3cr3t --id order-42 --data '{"type":"order.created"}' --header "x-api-key: …" --dry-run`,

  async run(args, io) {
    const { values } = parseCommandLine(args, {
      ...SIGN_OPTIONS,
      url: { type: "string" },
      "dry-run": { type: "boolean" },
      timeout: { type: "string" },
    });
    const url = parseUrl(required(values.url, "url"));
    const timeoutSeconds = integerOption(values.timeout, "timeout", 1, 900) ?? 30;
    const choice = chooseScheme(values, io, values.url);
    const keys = await readSigningKeys(choice, values, io);
    const payload = await readBody(values, io);
    const { headers, body } = senderRequest(choice, payload, keys, values, io);

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
