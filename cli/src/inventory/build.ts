import { compareText, TfDocument } from "./document";
import { buildExposure } from "./exposure";
import { buildModel, type Model } from "./model";
import { buildAlarms, buildEventRules } from "./monitoring";
import { buildIam } from "./permissions";
import { buildResources } from "./resources";
import type { Finding, Inventory } from "./types";

/** A document read once: its model (names, references) and the inventory built from it. */
export interface Analysis {
  readonly model: Model;
  readonly inventory: Inventory;
}

/** Builds the model and inventory of a parsed `cdk.tf.json`; throws a TypeError for a non-object. */
export function analyze(doc: unknown): Analysis {
  const document = new TfDocument(doc);
  const model = buildModel(document);
  const found: Finding[] = [];
  const iam = buildIam(model, found);
  const exposure = buildExposure(model, iam.resourcePolicies, found);
  const resources = buildResources(model, iam, found);
  const severity = { warning: 0, note: 1 } as const;
  const findings = found
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => severity[a.finding.severity] - severity[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
  const inventory: Inventory = {
    stack: document.stack,
    ...(document.region !== undefined && { region: document.region }),
    resources,
    iam: {
      roles: sorted(iam.roles, (role) => role.name),
      resourcePolicies: sorted(iam.resourcePolicies, (policy) => `${policy.type} ${policy.target}`),
      invokers: sorted(iam.invokers, (fn) => fn.function),
    },
    exposure: {
      restApis: sorted(exposure.restApis, (api) => api.name),
      functionUrls: sorted(exposure.functionUrls, (url) => url.function),
      buckets: sorted(exposure.buckets, (bucket) => bucket.name),
      publicStatements: sorted(exposure.publicStatements, (item) => `${item.target} ${item.policy}`),
      other: sorted(exposure.other, (item) => item.address),
    },
    alarms: sorted(buildAlarms(model), (alarm) => alarm.name),
    eventRules: sorted(buildEventRules(model), (rule) => rule.name),
    findings,
  };
  return { model, inventory };
}

/**
 * The items ordered by a name, so the same stack always lists the same way: renderings and diffs
 * stay stable.
 */
function sorted<T>(items: readonly T[], name: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareText(name(a), name(b)));
}
