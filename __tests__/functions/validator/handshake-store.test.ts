import {
  GetSecretValueCommand,
  InternalServiceError,
  PutSecretValueCommand,
  type PutSecretValueCommandInput,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { createSecretsManagerHandshakeStore } from "../../../functions/validator/adapters/secrets-manager-handshakes";
import { SecretDocumentError } from "../../../functions/validator/secret-cache";

const SECRET_ID = "whk-dev/asana/signing";
const ASANA = { id: "asana", secretId: SECRET_ID };

/**
 * One secret's versions as Secrets Manager keeps them: PutSecretValue makes the version named by
 * its ClientRequestToken current, succeeds without a change when that version exists with the same
 * value, and refuses another value under an existing id.
 */
class SecretVersions {
  readonly versions = new Map<string, string>();
  current: string | undefined;
  puts = 0;

  constructor(document?: unknown) {
    if (document !== undefined) this.write("operator-version-1", JSON.stringify(document));
  }

  get document(): unknown {
    return this.current === undefined ? undefined : JSON.parse(this.versions.get(this.current)!);
  }

  read() {
    if (this.current === undefined)
      throw new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
        $metadata: {},
      });
    return { VersionId: this.current, SecretString: this.versions.get(this.current)! };
  }

  put(input: PutSecretValueCommandInput) {
    this.puts += 1;
    const id = input.ClientRequestToken!;
    const existing = this.versions.get(id);
    if (existing !== undefined && existing !== input.SecretString)
      throw new ResourceExistsException({ message: `version ${id} already exists`, $metadata: {} });
    if (existing === undefined) this.write(id, input.SecretString!);
    return { VersionId: id };
  }

  write(id: string, value: string) {
    this.versions.set(id, value);
    this.current = id;
  }
}

const secretsManager = mockClient(SecretsManagerClient);
beforeEach(() => secretsManager.reset());

/** The store over a mocked client answering from `versions`; each call yields once, so concurrent stores interleave. */
function storeOver(versions: SecretVersions) {
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  secretsManager.on(GetSecretValueCommand).callsFake(async () => {
    await turn();
    return versions.read();
  });
  secretsManager.on(PutSecretValueCommand).callsFake(async (input: PutSecretValueCommandInput) => {
    await turn();
    return versions.put(input);
  });
  return createSecretsManagerHandshakeStore(new SecretsManagerClient({}));
}

const putInputs = () => secretsManager.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input);

describe("what a handshake may store", () => {
  test("a secret without a value yet takes the first handshake's secret as its document", async () => {
    const versions = new SecretVersions();
    expect(await storeOver(versions).store(ASANA, "hook-secret-1")).toEqual({ stored: true });
    expect(versions.document).toEqual({ secrets: ["hook-secret-1"] });
    expect(putInputs()).toEqual([
      {
        SecretId: SECRET_ID,
        SecretString: '{"secrets":["hook-secret-1"]}',
        ClientRequestToken: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        ),
      },
    ]);
  });

  test("an opened document gets the new secret in front of the ones that keep verifying, and closes", async () => {
    const versions = new SecretVersions({ secrets: ["hook-secret-1"], acceptHandshake: true });
    expect(await storeOver(versions).store(ASANA, "hook-secret-2")).toEqual({ stored: true });
    expect(versions.document).toEqual({ secrets: ["hook-secret-2", "hook-secret-1"] });
  });

  test("a document opened without secrets takes the secret as its only one", async () => {
    const versions = new SecretVersions({ acceptHandshake: true });
    await storeOver(versions).store(ASANA, "hook-secret-1");
    expect(versions.document).toEqual({ secrets: ["hook-secret-1"] });
  });

  test("a document holding a secret and not opened refuses the handshake and is not written", async () => {
    const versions = new SecretVersions({ secrets: ["hook-secret-1"] });
    expect(await storeOver(versions).store(ASANA, "someone-elses-secret")).toEqual({
      stored: false,
      reason:
        'asana\'s signing secret is set and its secret document accepts no handshake; add "acceptHandshake": true to it to accept the next one',
    });
    expect(versions.puts).toBe(0);
  });

  test("a secret already in the document is stored as it is: the sender repeating its handshake", async () => {
    const versions = new SecretVersions({ secrets: ["hook-secret-2", "hook-secret-1"] });
    expect(await storeOver(versions).store(ASANA, "hook-secret-1")).toEqual({ stored: true });
    expect(versions.puts).toBe(0);
  });

  test.each([
    ["a document that is not JSON", "whsec_plain", "secret document is not JSON"],
    ["a JSON list", '["a"]', "secret document is not a JSON object"],
    [
      "an object whose secrets are not strings",
      '{"secrets":[1],"acceptHandshake":true}',
      'secret document\'s "secrets" is not a list of non-empty strings',
    ],
  ])("%s is an error, never overwritten", async (_case, text, message) => {
    const versions = new SecretVersions();
    versions.write("operator-version-1", text);
    await expect(storeOver(versions).store(ASANA, "hook-secret-1")).rejects.toThrow(
      new SecretDocumentError(message),
    );
    expect(versions.puts).toBe(0);
  });
});

describe("races and failures", () => {
  test("two handshakes at once on an opened document: one is stored, the other refused, nothing lost", async () => {
    const versions = new SecretVersions({ secrets: ["hook-secret-1"], acceptHandshake: true });
    const store = storeOver(versions);
    const results = await Promise.all([
      store.store(ASANA, "hook-secret-a"),
      store.store(ASANA, "hook-secret-b"),
    ]);
    expect(results.map((result) => result.stored).sort()).toEqual([false, true]);
    const winner = results[0]!.stored ? "hook-secret-a" : "hook-secret-b";
    expect(versions.document).toEqual({ secrets: [winner, "hook-secret-1"] });
    expect(versions.puts).toBe(2);
  });

  test("two identical handshakes at once (a sender's retry while the first is in flight): both stored, one version", async () => {
    const versions = new SecretVersions();
    const store = storeOver(versions);
    const results = await Promise.all([
      store.store(ASANA, "hook-secret-1"),
      store.store(ASANA, "hook-secret-1"),
    ]);
    expect(results).toEqual([{ stored: true }, { stored: true }]);
    expect(versions.versions.size).toBe(1);
    expect(versions.document).toEqual({ secrets: ["hook-secret-1"] });
  });

  test("a PutSecretValue that fails rejects (the handshake is answered 503) and leaves the document", async () => {
    const versions = new SecretVersions({ secrets: ["hook-secret-1"], acceptHandshake: true });
    const store = storeOver(versions);
    secretsManager
      .on(PutSecretValueCommand)
      .rejects(new InternalServiceError({ message: "injected", $metadata: {} }));
    await expect(store.store(ASANA, "hook-secret-2")).rejects.toThrow("injected");
    expect(versions.document).toEqual({ secrets: ["hook-secret-1"], acceptHandshake: true });
  });

  test("a GetSecretValue that fails (other than no value yet) rejects before anything is written", async () => {
    const store = storeOver(new SecretVersions());
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(new InternalServiceError({ message: "injected", $metadata: {} }));
    await expect(store.store(ASANA, "hook-secret-1")).rejects.toThrow("injected");
    expect(putInputs()).toEqual([]);
  });

  test("a secret rolled back to an earlier version is an error naming the fix, not a loop", async () => {
    const versions = new SecretVersions({ secrets: ["hook-secret-1"], acceptHandshake: true });
    const store = storeOver(versions);
    await store.store(ASANA, "hook-secret-2");
    versions.current = "operator-version-1";
    await expect(store.store(ASANA, "hook-secret-3")).rejects.toThrow(
      /is still current: .*rolled back to an earlier version \(put the document again to make a new one\)$/,
    );
    expect(versions.puts).toBe(2);
  });
});
