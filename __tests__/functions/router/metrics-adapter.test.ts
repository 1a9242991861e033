import { Metrics } from "@aws-lambda-powertools/metrics";
import { powertoolsCounters } from "../../../functions/router/adapters/metrics";

/** EMF documents written to stdout while `act` runs. */
function emfWrittenBy(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split("\n"))
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

test("undimensioned counts go out together on publish; a count with dimensions goes out at once as its own metric", () => {
  const counters = powertoolsCounters(new Metrics({ namespace: "WebhooksTest", serviceName: "router" }));

  const documents = emfWrittenBy(() => {
    counters.count("routed", 9);
    counters.count("failed", 1);
    counters.count("failed", 1, { reason: "malformedEnvelope" });
    counters.publish();
  });

  expect(documents).toHaveLength(2);
  expect(documents[0]).toMatchObject({ failed: 1, reason: "malformedEnvelope", service: "router" });
  expect(documents[1]).toMatchObject({ routed: 9, failed: 1, service: "router" });
  expect(documents[1]).not.toHaveProperty("reason");
  expect(documents[1]?._aws).toMatchObject({
    CloudWatchMetrics: [
      { Namespace: "WebhooksTest", Metrics: expect.arrayContaining([{ Name: "routed", Unit: "Count" }]) },
    ],
  });
});
