import { analyze } from "./build";
import type { Inventory } from "./types";

export { diffStacks } from "./diff";
export {
  DEFAULT_WIDTH,
  INVENTORY_FORMATS,
  type InventoryFormat,
  renderInventory,
  terminalWidth,
} from "./render";
export { DIFF_FORMATS, type DiffFormat, renderDiff } from "./render-diff";
export type { Change, Inventory, InventoryDiff } from "./types";

/**
 * Builds the inventory of a synthesized stack from its parsed `cdk.tf.json`: every resource with
 * its physical name and purpose, every IAM permission grouped by role plus the resource policies,
 * everything reachable from the internet, the alarms' thresholds and the event rules' patterns.
 * Pure: plain JSON processing, no AWS calls, no cdktf. Throws a TypeError when `doc` is not a JSON
 * object.
 *
 * @example
 * const inventory = buildInventory(JSON.parse(readFileSync("cdktf.out/stacks/webhooks-dev/cdk.tf.json", "utf8")));
 * process.stdout.write(renderInventory(inventory, "text"));
 */
export function buildInventory(doc: unknown): Inventory {
  return analyze(doc).inventory;
}
