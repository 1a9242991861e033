import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { WAF_RESPONSE_BODIES } from "../../../constructs/web-acl";
import {
  GATEWAY_RESPONSE_TEMPLATE,
  GATEWAY_RESPONSES,
  type WebhookEndpoint,
} from "../../../constructs/webhook-api";
import type { ValidatorHandler } from "../../../functions/validator/handler";
import type { ValidatorEvent } from "../../../functions/validator/request";

/** A REST API's payload limit: API Gateway answers 413 above it without calling the function. */
export const API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** API Gateway's own rejections the local API makes: their default status and message. */
const GATEWAY_REJECTIONS = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: "Missing Authentication Token" },
  INVALID_API_KEY: { status: 403, message: "Forbidden" },
  BAD_REQUEST_PARAMETERS: { status: 400, message: "Missing required request parameters" },
  REQUEST_TOO_LARGE: { status: 413, message: "Request Too Long" },
} as const;

type GatewayRejection = keyof typeof GATEWAY_REJECTIONS;

/** Who answered a request: the WAF, API Gateway itself, or the validator function. */
export type AnsweredBy = "waf" | "gateway" | "validator";

export interface ApiAnswer {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** The route the request matched, if any. */
  readonly endpoint: WebhookEndpoint | undefined;
  /** The provider header of the generic route, when sent. */
  readonly providerHeader: string | undefined;
  readonly status: number;
  readonly body: string;
  readonly answeredBy: AnsweredBy;
}

export interface WebhookApiOptions {
  readonly endpoints: readonly WebhookEndpoint[];
  /** The WAF's body limit (`limits.maxBodyBytes`): a larger declared Content-Length gets its 413. */
  readonly maxBodyBytes: number;
  /** The value `x-api-key` must carry on routes that require a key. */
  readonly apiKey: string;
  readonly validate: ValidatorHandler;
  readonly onAnswer: (answer: ApiAnswer) => void;
}

/**
 * The deployed API in front of the validator, as a request listener: the WAF's size rule, then API
 * Gateway's route match (`POST` on a literal resource, or the `GET` or `HEAD` of a sender's
 * handshake), API key, required headers and query parameters and payload limit,
 * each answering with the stack's gateway response template, then the validator function with the
 * Lambda proxy event API Gateway would send (every body base64: the API treats every media type as binary).
 */
export function webhookApiListener(options: WebhookApiOptions) {
  const byPath = new Map(options.endpoints.map((endpoint) => [`/${endpoint.path.join("/")}`, endpoint]));

  return (request: IncomingMessage, response: ServerResponse): void => {
    void handle(request, response).catch((error: unknown) => {
      // A failure of this server, not of the platform: say so rather than imitate a 5xx of it.
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(`webhooks dev failed: ${(error as Error).message}\n`);
    });
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = request.method ?? "GET";
    const endpoint = byPath.get(url.pathname);
    const headers = headerLines(request);
    const header = (name: string) => headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    const send = (
      status: number,
      body: string,
      answeredBy: AnsweredBy,
      extra: Record<string, string> = {},
    ) => {
      // Header names are case-insensitive: the handler's Content-Type replaces the default one.
      const names = Object.entries({
        "content-type": "application/json",
        "x-amzn-requestid": requestId,
        ...extra,
      });
      response.writeHead(
        status,
        Object.fromEntries(names.map(([name, value]) => [name.toLowerCase(), value])),
      );
      response.end(body);
      options.onAnswer({
        requestId,
        method,
        path: url.pathname,
        endpoint,
        providerHeader: header("x-provider-id"),
        status,
        body,
        answeredBy,
      });
    };
    const reject = (type: GatewayRejection, detail = "") => {
      const { status, message } = GATEWAY_REJECTIONS[type];
      const text = detail ? `${message}: ${detail}` : message;
      request.resume();
      send(GATEWAY_RESPONSES[type] ?? status, gatewayResponseBody(type, text, requestId), "gateway");
    };

    const declared = Number(header("content-length") ?? Number.NaN);
    if (declared > options.maxBodyBytes) {
      const { status, message } = WAF_RESPONSE_BODIES.payloadTooLarge;
      request.resume();
      send(status, JSON.stringify({ message }), "waf");
      return;
    }
    // POST, or the GET or HEAD of a sender's handshake, as the API has them.
    const route =
      method === "POST"
        ? { requiredHeaders: endpoint?.requiredHeaders ?? [], requiredQueryStrings: [] }
        : endpoint?.handshakes?.find((handshake) => handshake.method === method);
    if (!endpoint || !route) return reject("MISSING_AUTHENTICATION_TOKEN");
    if (endpoint.apiKeyRequired && header("x-api-key") !== options.apiKey) return reject("INVALID_API_KEY");
    const missing = [
      ...route.requiredHeaders.filter((name) => header(name) === undefined),
      ...route.requiredQueryStrings.filter((name) => !url.searchParams.has(name)),
    ];
    if (missing.length > 0) return reject("BAD_REQUEST_PARAMETERS", `[${missing.join(", ")}]`);
    const body = await readBody(request, API_GATEWAY_MAX_PAYLOAD_BYTES);
    if (!body) return reject("REQUEST_TOO_LARGE");

    const query = Object.fromEntries(url.searchParams);
    const event: ValidatorEvent & Pick<APIGatewayProxyEvent, "httpMethod" | "path"> = {
      resource: url.pathname,
      path: url.pathname,
      httpMethod: method,
      queryStringParameters: Object.keys(query).length > 0 ? query : null,
      headers: Object.fromEntries(headers),
      multiValueHeaders: multiValue(headers),
      pathParameters: null,
      body: body.toString("base64"),
      isBase64Encoded: true,
      requestContext: { requestId },
    };
    const result = await options.validate(event);
    const text = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString("utf8") : result.body;
    const resultHeaders = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
    );
    send(result.statusCode, text, "validator", resultHeaders);
  }
}

/** The stack's gateway response template rendered for one rejection. */
export function gatewayResponseBody(type: string, message: string, requestId: string): string {
  const values: Record<string, string> = {
    "error.messageString": JSON.stringify(message),
    "error.responseType": type,
    requestId,
  };
  return GATEWAY_RESPONSE_TEMPLATE.replace(/\$context\.([A-Za-z.]+[A-Za-z])/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the gateway response template uses ${whole}, unknown here`);
    return value;
  });
}

/** Header lines as sent: repeated lines kept apart, names in the sender's case. */
function headerLines(request: IncomingMessage): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    lines.push([request.rawHeaders[index]!, request.rawHeaders[index + 1]!]);
  }
  return lines;
}

/** Every value of each header name, as API Gateway's `multiValueHeaders` keeps them. */
function multiValue(headers: ReadonlyArray<readonly [string, string]>): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const [name, value] of headers) values[name] = [...(values[name] ?? []), value];
  return values;
}

/** The body, or undefined when it is over `limit` bytes (the rest is read and dropped). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}
