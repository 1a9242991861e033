import { compareText } from "./document";
import { RESOURCELESS_ACTIONS } from "./permissions";
import { formatCondition } from "./policies";
import { shortRefs } from "./render-common";
import type { Change, Condition, Inventory, Statement } from "./types";

/**
 * IAM changes between two inventories, compared grant by grant: every statement is split into
 * (principal, action, resource) grants under its conditions, so a statement that is merely
 * reorganized shows no change. An added Allow grant is `widened` when it is broad (a whole-service
 * or `*` action, every resource, NotAction/NotResource), public (principal `*`), broader than a
 * grant it replaces (a wildcard that matches the old action or resource, a condition dropped or
 * loosened), or gives an existing resource policy or trust a new principal. A Deny guard that goes
 * away without a broader one in its place is `widened` too.
 */
export function iamChanges(before: Inventory, after: Inventory): Change[] {
  const old = grantsOf(before);
  const now = grantsOf(after);
  const oldKeys = new Set(old.grants.map((grant) => grant.key));
  const nowKeys = new Set(now.grants.map((grant) => grant.key));
  const added = now.grants.filter((grant) => !oldKeys.has(grant.key));
  const removed = old.grants.filter((grant) => !nowKeys.has(grant.key));
  const superseded = new Set<string>();
  const rows: Row[] = [];

  for (const grant of added) {
    if (grant.effect === "Deny") {
      rows.push({ kind: "added", grant });
      continue;
    }
    const replaced = removed.filter(
      (candidate) => candidate.effect === "Allow" && sameScope(candidate, grant) && covers(grant, candidate),
    );
    for (const candidate of replaced) superseded.add(candidate.key);
    const newPrincipal =
      grant.scope !== "identity" &&
      old.containers.has(grant.container) &&
      !old.grants.some(
        (candidate) =>
          sameScope(candidate, grant) &&
          candidate.effect === "Allow" &&
          candidate.principal === grant.principal,
      );
    const why = [
      grant.principal === "*" && "public principal: anyone",
      broadness(grant),
      replaced.length > 0 && `broader than before: ${broaderBy(grant, replaced)}`,
      newPrincipal && `principal added: ${grant.principal}`,
    ].filter((reason): reason is string => Boolean(reason));
    rows.push(
      why.length > 0
        ? { kind: "widened", grant, why: why.join("; "), exposure: grant.principal === "*" }
        : { kind: "added", grant },
    );
  }

  for (const grant of removed) {
    if (superseded.has(grant.key) || !now.containers.has(grant.container)) continue;
    const guarded =
      grant.effect === "Deny" &&
      !now.grants.some(
        (candidate) => candidate.effect === "Deny" && sameScope(candidate, grant) && covers(candidate, grant),
      );
    rows.push(guarded ? { kind: "widened", grant, why: "guard removed" } : { kind: "removed", grant });
  }

  const gone = [...old.containers].filter((container) => !now.containers.has(container));
  return [
    ...group(rows),
    ...gone.map(
      (container): Change => ({
        kind: "removed",
        section: "iam",
        subject: container,
        detail: `removed with its ${old.grants.filter((grant) => grant.container === container).length} grants`,
      }),
    ),
  ];
}

type Scope = "trust" | "identity" | "resource";

interface Grant {
  /** `role whk-dev-validator`, `sqs_queue_policy on whk-dev-ingest`, `invokers of whk-dev-validator`. */
  readonly container: string;
  readonly scope: Scope;
  readonly effect: "Allow" | "Deny";
  /** Empty for identity policies. */
  readonly principal: string;
  readonly action: string;
  /** Empty for trust statements and Lambda permissions. */
  readonly resource: string;
  /** Sorted by operator and key, values sorted. */
  readonly conditions: readonly Condition[];
  readonly key: string;
}

interface Row {
  readonly kind: Change["kind"];
  readonly grant: Grant;
  readonly why?: string;
  /** A public grant: listed under exposure. */
  readonly exposure?: boolean;
}

function grantsOf(inventory: Inventory): { containers: Set<string>; grants: Grant[] } {
  const containers = new Set<string>();
  const grants: Grant[] = [];
  for (const role of inventory.iam.roles) {
    const container = `role ${role.name}`;
    containers.add(container);
    for (const statement of role.trust) grants.push(...explode(container, "trust", statement));
    for (const policy of role.policies) {
      for (const statement of policy.statements) grants.push(...explode(container, "identity", statement));
    }
  }
  for (const policy of inventory.iam.resourcePolicies) {
    const container = `${policy.type.replace(/^aws_/, "")} on ${shortRefs(policy.target)}`;
    containers.add(container);
    for (const statement of policy.statements) grants.push(...explode(container, "resource", statement));
  }
  for (const fn of inventory.iam.invokers) {
    const container = `invokers of ${shortRefs(fn.function)}`;
    containers.add(container);
    for (const grant of fn.grants) {
      const conditions: Condition[] = [
        ...(grant.sourceArn
          ? [{ operator: "ArnLike", key: "aws:SourceArn", values: [grant.sourceArn] }]
          : []),
        ...(grant.sourceAccount
          ? [{ operator: "StringEquals", key: "aws:SourceAccount", values: [grant.sourceAccount] }]
          : []),
        ...(grant.functionUrlAuthType
          ? [
              {
                operator: "StringEquals",
                key: "lambda:FunctionUrlAuthType",
                values: [grant.functionUrlAuthType],
              },
            ]
          : []),
      ];
      grants.push(
        ...explode(container, "resource", {
          effect: "Allow",
          principals: [grant.principal],
          actions: [grant.action],
          resources: [],
          conditions,
        }),
      );
    }
  }
  return { containers, grants };
}

function explode(container: string, scope: Scope, statement: Statement): Grant[] {
  const actions = statement.notActions
    ? [`every action except ${statement.actions.join(", ")}`]
    : statement.actions;
  const resources = statement.notResources
    ? [`everything except ${statement.resources.map(shortRefs).join(", ")}`]
    : statement.resources.length > 0
      ? statement.resources.map(shortRefs)
      : [""];
  const principals = statement.principals.length > 0 ? statement.principals.map(shortRefs) : [""];
  const conditions = statement.conditions
    .map((condition) => ({ ...condition, values: condition.values.map(shortRefs).sort() }))
    .sort((a, b) => compareText(`${a.operator} ${a.key}`, `${b.operator} ${b.key}`));
  return principals.flatMap((principal) =>
    actions.flatMap((action) =>
      resources.map((resource) => {
        const fields = {
          container,
          scope,
          effect: statement.effect,
          principal,
          action,
          resource,
          conditions,
        };
        return { ...fields, key: JSON.stringify(fields) };
      }),
    ),
  );
}

function sameScope(a: Grant, b: Grant): boolean {
  return a.container === b.container && a.scope === b.scope;
}

/** Why an Allow grant is broad on its own (its action, its resource), or undefined. */
function broadness(grant: Grant): string | undefined {
  const action =
    grant.action === "*"
      ? "every action (*)"
      : grant.action.endsWith(":*")
        ? `every ${grant.action.split(":")[0]} action (${grant.action})`
        : grant.action.startsWith("every action except")
          ? "NotAction: every other action"
          : undefined;
  const resource = grant.resource.startsWith("everything except")
    ? "NotResource: every other resource"
    : grant.scope === "identity" &&
        grant.resource === "*" &&
        !RESOURCELESS_ACTIONS.some((pattern) => pattern.test(grant.action))
      ? 'every resource ("*")'
      : undefined;
  return [action, resource].filter(Boolean).join("; ") || undefined;
}

/** `broad` grants at least what `narrow` does: its patterns match narrow's, its conditions are a looser subset. */
function covers(broad: Grant, narrow: Grant): boolean {
  return (
    glob(broad.principal, narrow.principal, false) &&
    glob(broad.action, narrow.action, true) &&
    glob(broad.resource, narrow.resource, false) &&
    broad.conditions.every((condition) => {
      const same = narrow.conditions.find(
        (c) => c.operator === condition.operator && c.key === condition.key,
      );
      return same?.values.every((value) => condition.values.includes(value)) ?? false;
    })
  );
}

/** IAM wildcards: `*` any run of characters, `?` one; actions compare case-insensitively. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === value) return true;
  const source = pattern
    .split("")
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

/** How `grant` is broader than the grants it replaces: `action s3:GetObject, s3:PutObject → s3:*`. */
function broaderBy(grant: Grant, replaced: readonly Grant[]): string {
  const parts: string[] = [];
  for (const field of ["principal", "action", "resource"] as const) {
    const was = [...new Set(replaced.map((old) => old[field]))].filter((value) => value !== grant[field]);
    if (was.length > 0) parts.push(`${field} ${was.join(", ")} → ${grant[field]}`);
  }
  const dropped = new Map<string, Condition>();
  const loosened = new Set<string>();
  for (const old of replaced) {
    for (const condition of old.conditions) {
      const now = grant.conditions.find((c) => c.operator === condition.operator && c.key === condition.key);
      if (!now) dropped.set(formatCondition(condition), condition);
      else if (now.values.length > condition.values.length) loosened.add(formatCondition(now));
    }
  }
  for (const text of dropped.keys()) parts.push(`condition dropped: ${text}`);
  for (const text of loosened) parts.push(`condition allows more: ${text}`);
  return parts.join("; ");
}

/** Rows that differ only in their action become one change listing the actions. */
function group(rows: readonly Row[]): Change[] {
  const groups = new Map<string, { row: Row; actions: string[] }>();
  for (const row of rows) {
    const { action: _action, key: _key, ...rest } = row.grant;
    const id = JSON.stringify([row.kind, row.why, row.exposure, rest]);
    const existing = groups.get(id);
    if (existing) existing.actions.push(row.grant.action);
    else groups.set(id, { row, actions: [row.grant.action] });
  }
  return [...groups.values()].map(({ row, actions }) => {
    const { grant } = row;
    const detail = [
      grant.scope === "trust" ? "trust:" : "",
      grant.effect === "Deny" ? "DENY" : "allow",
      grant.principal,
      actions.join(", "),
      grant.resource && `on ${grant.resource}`,
      grant.conditions.length > 0 ? `if ${grant.conditions.map(formatCondition).join("; ")}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    return {
      kind: row.kind,
      section: row.exposure ? "exposure" : "iam",
      subject: grant.container,
      detail,
      ...(row.why && { why: row.why }),
    };
  });
}
