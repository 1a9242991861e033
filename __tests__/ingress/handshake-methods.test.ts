import { createHash } from "node:crypto";
import { buildInventory } from "../../cli/src/inventory/index";
import { endpointPaths, restApiResourceCount } from "../../constructs/ingress-layout";
import { DEFAULT_CONFIG, type ProviderConfig } from "../../stacks/config";
import { INGRESS_RULES } from "../policy/ingress-rules";
import { evaluate } from "../policy/rules";
import { resourcesOf, synthStack } from "../support/synth";

/**
 * The API's GET and HEAD methods, built from the handshake kinds of each provider's scheme: on the
 * provider's own resource, only for senders that use them, each requiring what every such request
 * carries, proxied to the validator, covered by one Lambda permission per method.
 */

const PROVIDERS: ProviderConfig[] = [
  ...DEFAULT_CONFIG.providers,
  { id: "dropbox", scheme: "dropbox" },
  { id: "dropbox-team", scheme: "dropbox", apiKeyRequired: true },
  { id: "okta", scheme: "okta" },
  { id: "trello", scheme: "trello", publicUrl: "https://hooks.example.com/webhooks/trello" },
];
const { doc, stack } = synthStack({ providers: PROVIDERS });

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
type Json = any;
const methods = resourcesOf(doc, "aws_api_gateway_method");
const handshakeMethods = methods.filter(([, method]) => method.http_method !== "POST");
const byId = (type: string, prefix: string): [string, Json] =>
  resourcesOf(doc, type).find(([id]) => id.startsWith(`ingress_api_${prefix}_`))!;
const resourceRef = (provider: string) =>
  `\${aws_api_gateway_resource.${byId("aws_api_gateway_resource", `resource-webhooks-${provider}`)[0]}.id}`;
const [[functionId]] = resourcesOf(doc, "aws_lambda_function").filter(([id]) =>
  id.startsWith("ingress_validator"),
);
const stageArn = `\${aws_api_gateway_stage.${byId("aws_api_gateway_stage", "stage")[0]}.execution_arn}`;

describe("methods", () => {
  test.each([
    ["dropbox", "GET", { "method.request.querystring.challenge": true }],
    ["dropbox-team", "GET", { "method.request.querystring.challenge": true }],
    [
      "okta",
      "GET",
      {
        "method.request.header.X-Okta-Verification-Challenge": true,
        "method.request.header.Authorization": true,
      },
    ],
    ["trello", "HEAD", {}],
  ])("%s gets %s on its own resource, requiring %j", (provider, httpMethod, parameters) => {
    const [, method] = byId("aws_api_gateway_method", `method-${httpMethod}-${provider}`);
    expect(method).toMatchObject({
      http_method: httpMethod,
      resource_id: resourceRef(provider),
      authorization: "NONE",
      request_validator_id: expect.stringContaining("aws_api_gateway_request_validator."),
    });
    expect(method.request_parameters ?? {}).toEqual(parameters);
  });

  test("no other provider gets a method besides its POST", () => {
    expect(handshakeMethods.map(([, method]) => method.http_method).sort()).toEqual([
      "GET",
      "GET",
      "GET",
      "HEAD",
    ]);
    expect(methods.filter(([, method]) => method.http_method === "POST")).toHaveLength(PROVIDERS.length + 1);
  });

  test("a handshake method takes an API key only where its provider's POST does", () => {
    const keyed = handshakeMethods.filter(([, method]) => method.api_key_required).map(([id]) => id);
    expect(keyed).toEqual([expect.stringMatching(/^ingress_api_method-GET-dropbox-team_/)]);
  });

  test("each proxies to the validator like the POST routes (AWS_PROXY, a POST to Lambda)", () => {
    for (const [id] of handshakeMethods) {
      const suffix = id.replace(/^ingress_api_method-/, "").replace(/_[0-9A-F]+$/, "");
      expect(byId("aws_api_gateway_integration", `integration-${suffix}`)[1]).toMatchObject({
        type: "AWS_PROXY",
        integration_http_method: "POST",
        http_method: `\${aws_api_gateway_method.${id}.http_method}`,
        uri: `\${aws_lambda_function.${functionId}.invoke_arn}`,
      });
    }
  });

  test("an anonymous handshake method carries the Checkov suppression with its reason", () => {
    const raw = stack.toTerraform() as Json;
    const [, dropbox] = Object.entries(raw.resource.aws_api_gateway_method).find(([id]) =>
      id.startsWith("ingress_api_method-GET-dropbox_"),
    )! as [string, Json];
    expect(dropbox["//"].checkov.skip).toEqual([
      { id: "CKV_AWS_59", comment: expect.stringContaining("endpoint check (GET/HEAD handshake)") },
      { id: "CKV2_AWS_70", comment: expect.stringContaining("endpoint check (GET/HEAD handshake)") },
    ]);
  });

  test("methods add no resource: the API's resources are the paths' (the quota count holds)", () => {
    expect(resourcesOf(doc, "aws_api_gateway_resource").length + 1).toBe(
      restApiResourceCount(endpointPaths(PROVIDERS)),
    );
  });
});

describe("Lambda permissions", () => {
  test("one per method: POST for every route, GET and HEAD only for the paths of the providers using them", () => {
    const permissions = resourcesOf(doc, "aws_lambda_permission").map(([, permission]) => [
      permission.statement_id,
      permission.source_arn,
    ]);
    expect(permissions.sort()).toEqual([
      ["whk-dev-api-get", `${stageArn}/GET/webhooks/*`],
      ["whk-dev-api-head", `${stageArn}/HEAD/webhooks/trello`],
      ["whk-dev-api-post", `${stageArn}/POST/webhook*`],
    ]);
  });
});

describe("deployment", () => {
  const [[, deployment]] = resourcesOf(doc, "aws_api_gateway_deployment");

  test("the configuration it hashes lists each handshake method with what it requires", () => {
    const description = stack.ingress.api.deploymentDescription as { endpoints: unknown[] };
    expect(description.endpoints).toEqual(
      expect.arrayContaining([
        {
          path: "/webhooks/dropbox",
          method: "GET",
          requiredHeaders: [],
          requiredQueryStrings: ["challenge"],
          apiKeyRequired: false,
          integration: "AWS_PROXY",
        },
        {
          path: "/webhooks/trello",
          method: "HEAD",
          requiredHeaders: [],
          apiKeyRequired: false,
          integration: "AWS_PROXY",
        },
      ]),
    );
    expect(deployment.triggers.configuration).toBe(
      createHash("sha256").update(JSON.stringify(description)).digest("hex"),
    );
  });

  test("its resource ids include each handshake method and integration, so one added redeploys", () => {
    const integrations = resourcesOf(doc, "aws_api_gateway_integration").filter(([id]) =>
      /^ingress_api_integration-(GET|HEAD)-/.test(id),
    );
    expect(integrations).toHaveLength(handshakeMethods.length);
    for (const [type, [id]] of [
      ...handshakeMethods.map((entry) => ["aws_api_gateway_method", entry] as const),
      ...integrations.map((entry) => ["aws_api_gateway_integration", entry] as const),
    ]) {
      expect(deployment.triggers.resources).toContain(`${type}.${id}.id`);
    }
  });
});

describe("the ingress rules hold with handshake methods", () => {
  test.each(INGRESS_RULES.map((rule) => [rule.id, rule] as const))("%s", (_id, rule) => {
    expect(evaluate(rule, doc)).toEqual([]);
  });

  test("a handshake beside a POST route that lost its signature header is anonymous too (CKV_AWS_59)", () => {
    const broken = structuredClone(doc);
    byIdIn(broken, "aws_api_gateway_method", "method-dropbox").request_parameters = {};
    const rule = INGRESS_RULES.find((candidate) => candidate.id === "CKV_AWS_59")!;
    expect(evaluate(rule, broken)).toEqual([
      expect.stringMatching(/method-GET-dropbox_.*GET handshake beside a POST route that is itself/),
      expect.stringMatching(/method-dropbox_.*no signature header required/),
    ]);
  });

  test("a GET on a resource without a POST route is anonymous (CKV_AWS_59)", () => {
    const broken = structuredClone(doc);
    byIdIn(broken, "aws_api_gateway_method", "method-GET-dropbox").resource_id = "another-resource";
    const rule = INGRESS_RULES.find((candidate) => candidate.id === "CKV_AWS_59")!;
    expect(evaluate(rule, broken)).toEqual([expect.stringMatching(/on a resource with no POST route/)]);
  });
});

describe("webhooks inventory", () => {
  const [api] = buildInventory(doc).exposure.restApis;
  const route = (method: string, path: string) =>
    api!.routes.find((candidate) => candidate.method === method && candidate.path === path);

  test.each([
    ["GET", "/webhooks/dropbox", [], ["challenge"], "whk-dev-api-get"],
    ["GET", "/webhooks/okta", ["Authorization", "X-Okta-Verification-Challenge"], [], "whk-dev-api-get"],
    ["HEAD", "/webhooks/trello", [], [], "whk-dev-api-head"],
  ])(
    "lists %s %s with what it requires and the permission covering it",
    (method, path, headers, query, permission) => {
      expect(route(method, path)).toMatchObject({
        apiKeyRequired: false,
        requiredHeaders: headers,
        requiredQueryStrings: query,
        invokePermission: permission,
      });
    },
  );
});

function byIdIn(document: Json, type: string, prefix: string): Json {
  return Object.entries(document.resource[type]).find(([id]) => id.startsWith(`ingress_api_${prefix}_`))![1];
}
