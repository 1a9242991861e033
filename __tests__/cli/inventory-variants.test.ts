import { buildInventory } from "../../cli/src/inventory/index";
import { allResources, synthStack } from "../support/synth";

/**
 * A configuration unlike the default (FIFO ingest queue, alarm e-mail, other providers and routes):
 * the inventory still names and explains every resource, and its routes follow the configuration.
 */
const providers = [
  { id: "billing", scheme: "stripe" as const },
  { id: "internal", scheme: "generic" as const, apiKeyRequired: true },
  { id: "hooks", scheme: "standard-webhooks" as const },
];
const routes = [
  { id: "payments", description: "Billing payment events", eventPattern: { source: ["webhooks.billing"] } },
  {
    id: "internal-all",
    description: "Every internal event",
    eventPattern: { source: ["webhooks.internal"] },
  },
];
const { doc } = synthStack({ fifoIngestQueue: true, alarmEmail: "ops@example.com", providers, routes });
const inventory = buildInventory(doc);

test("every resource is listed once with a name and a known purpose", () => {
  expect(inventory.resources).toHaveLength(
    allResources(doc).length +
      Object.values(doc.data ?? {}).reduce(
        (sum: number, byId) => sum + Object.keys(byId as object).length,
        0,
      ),
  );
  expect(inventory.resources.filter((resource) => !resource.known || !resource.name)).toEqual([]);
  expect(inventory.findings).toEqual([]);
});

test("the FIFO ingest queue and the alarm subscription are explained", () => {
  const purposeOf = (name: string) =>
    inventory.resources.find((resource) => resource.type === "aws_sqs_queue" && resource.name === name)
      ?.purpose;
  expect(purposeOf("whk-dev-ingest.fifo")).toBe("SQS FIFO ingest queue (whk-dev-validator → whk-dev-router)");
  expect(purposeOf("whk-dev-ingest-dlq.fifo")).toBe(
    "dead-letter queue of whk-dev-ingest.fifo (after 3 receives)",
  );
  expect(
    inventory.resources.find((resource) => resource.type === "aws_sns_topic_subscription"),
  ).toMatchObject({
    name: "email:ops@example.com → whk-dev-alarms",
    purpose: "email subscription to whk-dev-alarms",
  });
});

test("the exposure lists one route per configured provider plus /webhook, all behind the WAF", () => {
  const [api] = inventory.exposure.restApis;
  expect(api!.routes.map((route) => route.path).sort()).toEqual(
    ["/webhook", ...providers.map((provider) => `/webhooks/${provider.id}`)].sort(),
  );
  expect(api!.routes.find((route) => route.path === "/webhooks/internal")?.apiKeyRequired).toBe(true);
  expect(api!.stages[0]!.webAcl?.name).toBe("whk-dev-ingress");
});

test("each route's consumer queue is fed by its rule", () => {
  const purposeOf = (name: string) =>
    inventory.resources.find((resource) => resource.type === "aws_sqs_queue" && resource.name === name)
      ?.purpose;
  expect(purposeOf("whk-dev-route-internal-all")).toBe(
    "SQS consumer queue (rule whk-dev-route-internal-all → consumer outside this stack)",
  );
});
