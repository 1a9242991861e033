import { TfDocument } from "./document";
import { buildExposure } from "./exposure";
import { buildModel } from "./model";
import { buildIam } from "./permissions";
import { buildResources } from "./resources";
import type { Finding, Inventory } from "./types";

export { renderInventory } from "./render";
export type { Inventory } from "./types";

/**
 * Builds the inventory of a synthesized stack from its parsed `cdk.tf.json`: every resource with
 * its physical name and purpose, every IAM permission grouped by role plus the resource policies,
 * and everything reachable from the internet. Pure: plain JSON processing, no AWS calls, no cdktf.
 * Throws a TypeError when `doc` is not a JSON object.
 *
 * @example
 * const inventory = buildInventory(JSON.parse(readFileSync("cdktf.out/stacks/webhooks-dev/cdk.tf.json", "utf8")));
 * process.stdout.write(renderInventory(inventory, "text"));
 */
export function buildInventory(doc: unknown): Inventory {
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
  return {
    stack: document.stack,
    ...(document.region !== undefined && { region: document.region }),
    resources,
    iam,
    exposure,
    findings,
  };
}
