import { contentDigest, sha256Hex } from "@webhooks/shared";

const bytes = (text: string) => Buffer.from(text, "utf8");

test("by default it is the SHA-256 of the raw body, the same value a claim check records", () => {
  const body = bytes('{"id":"evt_1","type":"invoice.paid"}');
  expect(contentDigest(body)).toBe(sha256Hex(body));
});

test("by default a byte of difference is another digest, even with the same parsed content", () => {
  expect(contentDigest(bytes('{"a":1}'))).not.toBe(contentDigest(bytes('{ "a": 1 }')));
});

describe("a sender whose retries change part of the body names that part", () => {
  // Intercom: the notification carries its attempt count and first send time.
  const intercom = (attempts: number, topic = "conversation.user.created") => {
    const data = { id: "notif_1", topic, delivery_attempts: attempts, first_sent_at: 1700000000 + attempts };
    return [bytes(JSON.stringify(data)), data] as const;
  };
  const intercomVolatile = [["delivery_attempts"], ["first_sent_at"]];

  test("attempts that differ only there have one digest", () => {
    const [firstBody, first] = intercom(1);
    const [retryBody, retry] = intercom(2);
    expect(contentDigest(retryBody, { data: retry, ignore: intercomVolatile })).toBe(
      contentDigest(firstBody, { data: first, ignore: intercomVolatile }),
    );
  });

  test("a change anywhere else is another digest", () => {
    const [firstBody, first] = intercom(1);
    const [otherBody, other] = intercom(2, "conversation.user.replied");
    expect(contentDigest(otherBody, { data: other, ignore: intercomVolatile })).not.toBe(
      contentDigest(firstBody, { data: first, ignore: intercomVolatile }),
    );
  });

  test("`*` reaches into every element: HubSpot's per-event attemptNumber in a batch", () => {
    const batch = (attempt: number) => [
      { eventId: 1, subscriptionType: "contact.creation", attemptNumber: attempt },
      { eventId: 2, subscriptionType: "contact.deletion", attemptNumber: attempt },
    ];
    const digest = (attempt: number) =>
      contentDigest(bytes(JSON.stringify(batch(attempt))), {
        data: batch(attempt),
        ignore: [["*", "attemptNumber"]],
      });
    expect(digest(3)).toBe(digest(0));
  });

  test("the parsed body is left as it was", () => {
    const [body, data] = intercom(1);
    contentDigest(body, { data, ignore: intercomVolatile });
    expect(data.delivery_attempts).toBe(1);
  });

  test("a body too deep to serialize falls back to its raw bytes", () => {
    const text = `{"delivery_attempts":1,"deep":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(contentDigest(bytes(text), { data: JSON.parse(text), ignore: intercomVolatile })).toBe(
      sha256Hex(bytes(text)),
    );
  });
});
