import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { DEFAULT_CONFIG, type PlatformConfig, validateConfig } from "../../stacks/config";
import { stackIdFor } from "../../stacks/stack-ids";
import { WebhookStack } from "../../stacks/webhook-stack";

Testing.setupJest();

/** A synthesized stack: the construct tree, the JSON string the matchers take, and the parsed document. */
export interface Synthesized {
  readonly stack: WebhookStack;
  readonly json: string;
  // biome-ignore lint/suspicious/noExplicitAny: the Terraform JSON document is untyped by nature
  readonly doc: any;
}

/**
 * Synthesizes a WebhookStack (with validations, as `cdktf synth` does). Call once per test file,
 * at module scope or in beforeAll: synthesis bundles the functions and is the slow part of a test.
 */
export function synthStack(overrides: Partial<PlatformConfig> = {}): Synthesized {
  const config = validateConfig({ ...DEFAULT_CONFIG, ...overrides });
  const stack = new WebhookStack(Testing.app(), stackIdFor(config), config);
  const json = Testing.synth(stack, true);
  return { stack, json, doc: JSON.parse(json) };
}

/** Every resource of a type in a synthesized document, keyed by logical id. */
// biome-ignore lint/suspicious/noExplicitAny: see Synthesized.doc
export function resourcesOf(doc: any, type: string): Array<[string, any]> {
  return Object.entries(doc.resource?.[type] ?? {});
}

/** Every resource in the document as [type, logical id, attributes]. */
// biome-ignore lint/suspicious/noExplicitAny: see Synthesized.doc
export function allResources(doc: any): Array<[string, string, any]> {
  return Object.entries(doc.resource ?? {}).flatMap(([type, byId]) =>
    // biome-ignore lint/suspicious/noExplicitAny: see Synthesized.doc
    Object.entries(byId as Record<string, any>).map(([id, attributes]): [string, string, any] => [
      type,
      id,
      attributes,
    ]),
  );
}
