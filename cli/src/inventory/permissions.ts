import { blocks, type Entry, str, strings } from "./document";
import type { Model } from "./model";
import { readPolicy } from "./policies";
import { wholeRef } from "./references";
import type {
  Finding,
  FunctionInvokers,
  IamInventory,
  InvokeGrant,
  PolicySource,
  ResourcePolicyEntry,
  RoleEntry,
  Statement,
} from "./types";

/** Resource-policy resources: the attribute holding the document and the one naming the guarded resource. */
const RESOURCE_POLICY_TYPES: Readonly<Record<string, { policy: string; target: string }>> = {
  aws_kms_key_policy: { policy: "policy", target: "key_id" },
  aws_sqs_queue_policy: { policy: "policy", target: "queue_url" },
  aws_sns_topic_policy: { policy: "policy", target: "arn" },
  aws_secretsmanager_secret_policy: { policy: "policy", target: "secret_arn" },
  aws_s3_bucket_policy: { policy: "policy", target: "bucket" },
  aws_cloudwatch_event_bus_policy: { policy: "policy", target: "event_bus_name" },
  aws_api_gateway_rest_api_policy: { policy: "policy", target: "rest_api_id" },
  aws_cloudwatch_log_resource_policy: { policy: "policy_document", target: "policy_name" },
  aws_ecr_repository_policy: { policy: "policy", target: "repository" },
  aws_glacier_vault_lock: { policy: "policy", target: "vault_name" },
  aws_opensearch_domain_policy: { policy: "access_policies", target: "domain_name" },
};

/** Resources that carry their policy inline (`policy` attribute on the resource itself). */
const INLINE_RESOURCE_POLICY_TYPES = new Set([
  "aws_kms_key",
  "aws_sqs_queue",
  "aws_sns_topic",
  "aws_secretsmanager_secret",
  "aws_s3_bucket",
  "aws_api_gateway_rest_api",
]);

/** Types that only attach policies to roles: a reference from them is not a use of the role. */
const ROLE_POLICY_TYPES = new Set([
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_role_policies_exclusive",
  "aws_iam_role_policy_attachments_exclusive",
  "aws_iam_instance_profile",
]);

/** Actions AWS offers no resource-level permission for: `*` resource is the narrowest there is. */
export const RESOURCELESS_ACTIONS = [
  /^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)$/,
  /^dynamodb:ListStreams$/,
  /^cloudwatch:PutMetricData$/,
  /^sts:GetCallerIdentity$/,
  /^ec2:(Create|Describe|Delete)NetworkInterfaces?$/,
];

export function buildIam(m: Model, findings: Finding[]): IamInventory {
  return {
    roles: m.doc.ofType("aws_iam_role").map((role) => roleEntry(role, m, findings)),
    resourcePolicies: resourcePolicies(m, findings),
    invokers: invokers(m, findings),
  };
}

function roleEntry(role: Entry, m: Model, findings: Finding[]): RoleEntry {
  const name = m.name(role.address) ?? role.id;
  const trust = readPolicy(role.attrs.assume_role_policy, m.doc, m.resolver);
  if (trust.unreadable) {
    findings.push(warning(role.address, `trust policy not readable (${trust.unreadable})`));
  }
  const policies: PolicySource[] = [];
  const belongs = (value: unknown): boolean => {
    const ref = wholeRef(value);
    return ref ? ref.address === role.address : value === name;
  };
  for (const inline of blocks(role.attrs.inline_policy)) {
    const read = readPolicy(inline.policy, m.doc, m.resolver);
    policies.push(source(role.address, "inline_policy block", str(inline.name) ?? "(unnamed)", read));
  }
  for (const policy of m.doc.ofType("aws_iam_role_policy").filter((p) => belongs(p.attrs.role))) {
    const read = readPolicy(policy.attrs.policy, m.doc, m.resolver);
    policies.push(source(policy.address, "inline", m.name(policy.address) ?? policy.id, read));
  }
  const attached = [
    ...strings(role.attrs.managed_policy_arns).map((arn) => ({ address: role.address, arn })),
    ...m.doc
      .ofType("aws_iam_role_policy_attachment")
      .filter((a) => belongs(a.attrs.role))
      .map((a) => ({ address: a.address, arn: str(a.attrs.policy_arn) ?? "" })),
    ...m.doc
      .ofType("aws_iam_policy_attachment")
      .filter((a) => strings(a.attrs.roles).some(belongs))
      .map((a) => ({ address: a.address, arn: str(a.attrs.policy_arn) ?? "" })),
  ];
  for (const { address, arn } of attached) {
    const ref = wholeRef(arn);
    const customer = ref ? m.doc.get(ref.address) : undefined;
    if (customer?.type === "aws_iam_policy") {
      const read = readPolicy(customer.attrs.policy, m.doc, m.resolver);
      policies.push(source(address, "customer managed", m.resolver.address(customer.address), read));
    } else {
      policies.push({
        address,
        kind: "AWS managed",
        name: m.resolver.text(arn),
        statements: [],
        unreadable: "managed policy: its statements are not in the document",
      });
      findings.push(
        note(role.address, `role ${name} has managed policy ${m.resolver.text(arn)}; review its actions`),
      );
    }
  }
  for (const policy of policies) {
    if (policy.unreadable && policy.kind !== "AWS managed") {
      findings.push(warning(policy.address, `policy of role ${name} not readable (${policy.unreadable})`));
    }
    for (const statement of policy.statements) checkIdentityStatement(role, name, statement, findings);
  }
  const usedBy = m
    .referrers(role.address)
    .filter((r) => !ROLE_POLICY_TYPES.has(r.entry.type) && !isPolicyAttribute(r.entry, r.attribute))
    .map((r) => m.resolver.address(r.entry.address));
  return {
    address: role.address,
    name,
    trust: trust.statements,
    usedBy: [...new Set(usedBy)],
    policies,
  };
}

function source(
  address: string,
  kind: PolicySource["kind"],
  name: string,
  read: { statements: Statement[]; unreadable?: string },
): PolicySource {
  return {
    address,
    kind,
    name,
    statements: read.statements,
    ...(read.unreadable && { unreadable: read.unreadable }),
  };
}

/** A reference from a policy document (a condition naming the role) is not a use of the role. */
function isPolicyAttribute(entry: Entry, attribute: string): boolean {
  return (
    attribute === RESOURCE_POLICY_TYPES[entry.type]?.policy ||
    (attribute === "policy" && INLINE_RESOURCE_POLICY_TYPES.has(entry.type))
  );
}

function checkIdentityStatement(role: Entry, name: string, statement: Statement, findings: Finding[]): void {
  if (statement.effect !== "Allow") return;
  const where = `role ${name}`;
  const everyResource = statement.resources.includes("*") || statement.notResources;
  if (statement.notActions) {
    // The listed actions are the exceptions: everything else is granted.
    const on = everyResource ? ' on every resource ("*")' : "";
    findings.push(
      warning(role.address, `${where} allows every action except ${statement.actions.join(", ")}${on}`),
    );
    return;
  }
  for (const action of statement.actions) {
    if (action === "*") findings.push(warning(role.address, `${where} allows action "*"`));
    else if (action.endsWith(":*")) {
      findings.push(
        warning(role.address, `${where} allows every ${action.split(":")[0]} action (${action})`),
      );
    }
  }
  if (everyResource) {
    const broad = statement.actions.filter((action) => !RESOURCELESS_ACTIONS.some((p) => p.test(action)));
    if (broad.length > 0) {
      findings.push(warning(role.address, `${where} allows ${broad.join(", ")} on every resource ("*")`));
    }
  }
}

function resourcePolicies(m: Model, findings: Finding[]): ResourcePolicyEntry[] {
  const entries: ResourcePolicyEntry[] = [];
  for (const entry of m.doc.entries) {
    if (entry.mode !== "resource") continue;
    const standalone = RESOURCE_POLICY_TYPES[entry.type];
    const inline = INLINE_RESOURCE_POLICY_TYPES.has(entry.type) && entry.attrs.policy !== undefined;
    if (!standalone && !inline) continue;
    const policyValue = standalone ? entry.attrs[standalone.policy] : entry.attrs.policy;
    const targetValue = standalone ? entry.attrs[standalone.target] : `\${${entry.address}.arn}`;
    const targetEntry = m.resolver.target(targetValue);
    const read = readPolicy(policyValue, m.doc, m.resolver);
    if (read.unreadable) {
      findings.push(warning(entry.address, `resource policy not readable (${read.unreadable})`));
    }
    entries.push({
      address: entry.address,
      type: entry.type,
      target: targetEntry ? m.resolver.address(targetEntry.address) : m.resolver.value(targetValue),
      ...(targetEntry && { targetAddress: targetEntry.address }),
      statements: read.statements,
      ...(read.unreadable && { unreadable: read.unreadable }),
    });
  }
  return entries;
}

function invokers(m: Model, findings: Finding[]): FunctionInvokers[] {
  type Group = { function: string; functionAddress?: string; grants: InvokeGrant[]; eventSources: string[] };
  const byFunction = new Map<string, Group>();
  const functions = m.doc.ofType("aws_lambda_function");
  for (const fn of functions) {
    const eventSources = m
      .referrers(fn.address)
      .filter((r) => r.entry.type === "aws_lambda_event_source_mapping" && r.attribute === "function_name")
      .map(
        (r) => `${m.resolver.address(r.entry.address)}: ${m.resolver.value(r.entry.attrs.event_source_arn)}`,
      );
    byFunction.set(fn.address, {
      function: m.resolver.address(fn.address),
      functionAddress: fn.address,
      grants: [],
      eventSources,
    });
  }
  for (const permission of m.doc.ofType("aws_lambda_permission")) {
    const target = m.resolver.target(permission.attrs.function_name);
    const key = target?.address ?? m.resolver.value(permission.attrs.function_name);
    const group: Group = byFunction.get(key) ?? {
      function: target ? m.resolver.address(target.address) : key,
      ...(target && { functionAddress: target.address }),
      grants: [],
      eventSources: [],
    };
    byFunction.set(key, group);
    const attrs = permission.attrs;
    const principal = str(attrs.principal) ?? "";
    if (
      principal.endsWith(".amazonaws.com") &&
      attrs.source_arn === undefined &&
      attrs.source_account === undefined
    ) {
      findings.push(
        warning(
          permission.address,
          `${principal} may invoke ${group.function} on behalf of any account (no source_arn or source_account)`,
        ),
      );
    }
    group.grants.push({
      address: permission.address,
      statementId: str(attrs.statement_id) ?? "(generated)",
      principal: m.resolver.value(attrs.principal),
      action: str(attrs.action) ?? "lambda:InvokeFunction",
      ...(attrs.source_arn !== undefined && { sourceArn: m.resolver.value(attrs.source_arn) }),
      ...(attrs.source_account !== undefined && { sourceAccount: m.resolver.value(attrs.source_account) }),
      ...(attrs.function_url_auth_type !== undefined && {
        functionUrlAuthType: m.resolver.value(attrs.function_url_auth_type),
      }),
    });
  }
  return [...byFunction.values()];
}

export function warning(subject: string, message: string): Finding {
  return { severity: "warning", section: "iam", subject, message };
}

export function note(subject: string, message: string): Finding {
  return { severity: "note", section: "iam", subject, message };
}
