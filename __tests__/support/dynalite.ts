import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { recordsTableDefinition } from "../../cli/src/dev/records-table";

// dynalite ships no types; it is a real DynamoDB implementation (conditional writes, GSIs, validation).
// biome-ignore lint/suspicious/noExplicitAny: untyped module
const dynalite: (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => any =
  require("dynalite");

export interface LocalTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite in-process on a free loopback port and creates the webhooks table with the same
 * key schema as the synthesized one (both derive from functions/shared/record.ts): `webhookId`, no
 * index.
 * Call once per test file (beforeAll) and close it in afterAll.
 */
export async function startLocalTable(tableName = "webhooks-test"): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  await client.send(new CreateTableCommand(recordsTableDefinition(tableName)));
  return {
    client,
    tableName,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error?: Error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
