import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { headersFrom, verifyRequest } from "@webhooks/shared";
import { SCHEME_CASES, signArgs, TIMESTAMP } from "./support/cases";
import { runCli } from "./support/cli-io";

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

let server: Server;
let base: string;
const received: Received[] = [];
let answer: { status: number; body: string } = { status: 202, body: '{"webhookId":"wh_1"}' };

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received.length = 0;
  answer = { status: 202, body: '{"webhookId":"wh_1"}' };
});

const realFetch = { fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, init) };
const stripe = SCHEME_CASES.find((c) => c.name === "stripe")!;

describe("send", () => {
  test("POSTs the exact body with the signed headers; prints status and body", async () => {
    // Act
    const { code, stdout } = await runCli(
      ["send", "--url", `${base}/webhooks/stripe`, ...signArgs(stripe).slice(1)],
      realFetch,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('HTTP 202 Accepted\n{"webhookId":"wh_1"}\n');
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: "POST", url: "/webhooks/stripe" });
    expect(request!.body.toString()).toBe(stripe.body);
    expect(request!.headers["content-type"]).toBe("application/json");
    const verified = verifyRequest(
      "stripe",
      { headers: headersFrom(request!.headers as Record<string, string>), body: request!.body },
      [stripe.secret],
      TIMESTAMP,
    );
    expect(verified).toMatchObject({ ok: true });
  });

  test("a non-2xx answer exits 1 and still prints it", async () => {
    answer = { status: 401, body: '{"message":"Unauthorized"}' };

    const { code, stdout } = await runCli(
      ["send", "--url", `${base}/webhooks/stripe`, ...signArgs(stripe).slice(1)],
      realFetch,
    );

    expect({ code, stdout }).toEqual({
      code: 1,
      stdout: 'HTTP 401 Unauthorized\n{"message":"Unauthorized"}\n',
    });
  });

  test("--dry-run prints the request and sends nothing", async () => {
    const { code, stdout } = await runCli(
      [
        "send",
        "--url",
        `${base}/webhook`,
        "--dry-run",
        ...signArgs(stripe).slice(1),
        "--header",
        "x-api-key: k",
      ],
      realFetch,
    );

    expect(code).toBe(0);
    expect(received).toHaveLength(0);
    expect(stdout).toMatch(
      new RegExp(
        `^POST ${base}/webhook\\nStripe-Signature: t=${TIMESTAMP},v1=[0-9a-f]{64}\\nContent-Type: application/json\\nx-api-key: k\\n\\n`,
      ),
    );
    expect(stdout.endsWith(`${stripe.body}\n`)).toBe(true);
  });

  test("a connection failure exits 1 with the cause", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/webhook`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const { code, stderr } = await runCli(["send", "--url", url, ...signArgs(stripe).slice(1)], realFetch);

    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `webhooks send: POST ${url} failed: ECONNREFUSED\n`,
    });
  });
});
