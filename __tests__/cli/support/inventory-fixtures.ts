import { allResources, synthStack } from "../../support/synth";

/**
 * Editing copies of a synthesized document, for the inventory's specifications: find a resource by
 * its logical id's prefix, reference it, add entries, rewrite a JSON policy.
 */

// biome-ignore lint/suspicious/noExplicitAny: Terraform JSON
export type Doc = any;

/** The logical id of the first resource of `type` whose id starts with `prefix`. */
export function logicalId(doc: Doc, type: string, prefix: string): string {
  const found = allResources(doc).find(([t, id]) => t === type && id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} ${prefix}`);
  return found[1];
}

/** `${type.id.attribute}` for that resource. */
export function refTo(doc: Doc, type: string, prefix: string, attribute: string): string {
  return `\${${type}.${logicalId(doc, type, prefix)}.${attribute}}`;
}

/** The resource's attributes (in `doc`, editable). */
export function resourceOf(doc: Doc, type: string, prefix: string): Doc {
  return doc.resource[type][logicalId(doc, type, prefix)];
}

/** Adds a resource (or data source) with construct metadata under `extra/`. */
export function addEntry(
  doc: Doc,
  type: string,
  id: string,
  attributes: Record<string, unknown>,
  mode: "resource" | "data" = "resource",
): void {
  doc[mode] ??= {};
  doc[mode][type] ??= {};
  doc[mode][type][id] = {
    "//": { metadata: { path: `${doc["//"]?.metadata?.stackName ?? "stack"}/extra/${id}`, uniqueId: id } },
    ...attributes,
  };
}

export function policyJson(statements: unknown[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Rewrites the JSON policy in `attribute` of a resource: `edit` gets its statements to change. */
export function editPolicy(
  doc: Doc,
  type: string,
  prefix: string,
  edit: (statements: Doc[]) => void,
  attribute = "policy",
): void {
  const resource = resourceOf(doc, type, prefix);
  const policy = JSON.parse(resource[attribute]);
  edit(policy.Statement);
  resource[attribute] = JSON.stringify(policy);
}

/** A value longer than any line: the compact view must cut it with … marks, not silently. */
export const LONG_ARN =
  "arn:aws:s3:::a-partner-bucket-with-an-extremely-long-name-for-quarterly-finance-reports/exports/*";

/**
 * A stack unlike the default, with something in every section: long provider ids and routes, a
 * FIFO queue, alarm e-mail, a wide event pattern, and edits that make findings (a NotAction and a
 * `*` grant, a long ARN, a function URL, a public bucket, an open security group, a public Lambda
 * permission, an unreadable policy, a composite alarm).
 */
export function richDocument(): Doc {
  const { doc } = synthStack({
    environment: "staging",
    environmentSuffix: "feature-long-branch-name",
    fifoIngestQueue: true,
    alarmEmail: "platform-operations@example.com",
    providers: [
      { id: "billing-platform-production-eu", scheme: "stripe" },
      { id: "internal-events-with-a-long-name", scheme: "generic", apiKeyRequired: true },
      { id: "hooks", scheme: "standard-webhooks" },
    ],
    routes: [
      {
        id: "payments-and-invoices",
        description: "Billing payments and invoices over a thousand, in the three main currencies",
        eventPattern: {
          source: ["webhooks.billing-platform-production-eu"],
          "detail-type": [{ prefix: "invoice." }, { prefix: "payment_intent." }],
          detail: { amount: [{ numeric: [">", 1000] }], currency: ["usd", "eur", "gbp"] },
        },
      },
    ],
  });
  const validatorRole = refTo(doc, "aws_iam_role", "ingress_validator", "id");
  const router = refTo(doc, "aws_lambda_function", "delivery_router", "arn");
  addEntry(doc, "aws_iam_role_policy", "broad", {
    name: "broad-grants",
    role: validatorRole,
    policy: policyJson([
      { Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" },
      { Effect: "Allow", Action: "s3:*", Resource: LONG_ARN },
    ]),
  });
  addEntry(doc, "aws_iam_role_policy", "opaque", {
    name: "opaque",
    role: validatorRole,
    policy: `\${file("policies/a-policy-document-kept-outside-the-stack-for-some-reason.json")}`,
  });
  addEntry(doc, "aws_lambda_function_url", "router_url", {
    function_name: router,
    authorization_type: "NONE",
  });
  addEntry(doc, "aws_lambda_permission", "anyone", {
    statement_id: "anyone-may-invoke-the-router-function-from-anywhere",
    action: "lambda:InvokeFunction",
    function_name: router,
    principal: "*",
  });
  addEntry(doc, "aws_s3_bucket", "exports", {
    bucket: "an-extremely-long-bucket-name-for-exports-and-quarterly-reports-2025",
  });
  addEntry(doc, "aws_security_group", "open", {
    name: "wide-open-security-group-for-debugging",
    ingress: [{ cidr_blocks: ["0.0.0.0/0"], from_port: 0, to_port: 65535 }],
  });
  addEntry(doc, "aws_cloudwatch_composite_alarm", "everything", {
    alarm_name: "every-dead-letter-queue-and-every-function-error-at-once",
    alarm_rule: allResources(doc)
      .filter(([type]) => type === "aws_cloudwatch_metric_alarm")
      .map(([type, id]) => `ALARM(\${${type}.${id}.alarm_name})`)
      .join(" OR "),
  });
  return doc;
}
