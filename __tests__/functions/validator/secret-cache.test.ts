import {
  createSecretCache,
  parseSecretDocument,
  SecretDocumentError,
} from "../../../functions/validator/secret-cache";
import { FakeClock, InMemorySecrets } from "./support/fakes";

function cacheWith(secrets: readonly string[]) {
  const clock = new FakeClock(1_000_000);
  const source = new InMemorySecrets().set("id", secrets);
  const cache = createSecretCache({ source, clock, ttlMs: 300_000, refreshAfterMs: 30_000 });
  return { clock, source, cache };
}

describe("parseSecretDocument", () => {
  test("one or more active secrets", () => {
    expect(parseSecretDocument('{"secrets":["new","old"]}')).toEqual(["new", "old"]);
  });

  test.each([
    ["not JSON", "whsec_plain", "secret document is not JSON"],
    ["null", "null", 'secret document is not {"secrets": [one or more non-empty strings]}'],
    [
      "no secrets field",
      '{"secret":"a"}',
      'secret document is not {"secrets": [one or more non-empty strings]}',
    ],
    [
      "an empty list",
      '{"secrets":[]}',
      'secret document is not {"secrets": [one or more non-empty strings]}',
    ],
    [
      "an empty secret",
      '{"secrets":["a",""]}',
      'secret document is not {"secrets": [one or more non-empty strings]}',
    ],
    ["a number", '{"secrets":[1]}', 'secret document is not {"secrets": [one or more non-empty strings]}'],
  ])("%s is refused", (_case, document, message) => {
    expect(() => parseSecretDocument(document)).toThrow(new SecretDocumentError(message));
  });
});

describe("secret cache", () => {
  test("reuses a document for the TTL, then fetches again", async () => {
    const { clock, source, cache } = cacheWith(["a"]);
    await cache.get("id");
    clock.advance(299_999);
    await cache.get("id");
    clock.advance(1);
    await cache.get("id");
    expect(source.fetches).toHaveLength(2);
  });

  test("a forgotten document is fetched on the next get, however young it was", async () => {
    const { source, cache } = cacheWith(["a"]);
    await cache.get("id");
    source.set("id", ["b", "a"]);
    cache.forget("id");
    expect((await cache.get("id")).secrets).toEqual(["b", "a"]);
    expect(source.fetches).toHaveLength(2);
  });

  test("refresh fetches only when the seen copy is older than refreshAfterMs", async () => {
    const { clock, source, cache } = cacheWith(["a"]);
    const seen = await cache.get("id");
    clock.advance(29_999);
    expect(await cache.refresh("id", seen)).toBeUndefined();
    source.set("id", ["b", "a"]);
    clock.advance(1);
    expect((await cache.refresh("id", seen))?.secrets).toEqual(["b", "a"]);
    expect(source.fetches).toHaveLength(2);
  });

  test("refresh returns a copy newer than the one seen without fetching", async () => {
    const { clock, source, cache } = cacheWith(["a"]);
    const seen = await cache.get("id");
    clock.advance(31_000);
    const newer = await cache.refresh("id", seen);
    expect(await cache.refresh("id", seen)).toBe(newer);
    expect(source.fetches).toHaveLength(2);
  });

  test("a failed fetch is not cached", async () => {
    const { source, cache } = cacheWith(["a"]);
    source.failNext();
    await expect(cache.get("id")).rejects.toThrow("ThrottlingException");
    expect((await cache.get("id")).secrets).toEqual(["a"]);
  });

  test("concurrent misses share one fetch", async () => {
    const { source, cache } = cacheWith(["a"]);
    await Promise.all([cache.get("id"), cache.get("id"), cache.get("id")]);
    expect(source.fetches).toHaveLength(1);
  });
});
