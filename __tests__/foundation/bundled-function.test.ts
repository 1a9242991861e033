import { Testing } from "cdktf";
import { BundledFunction } from "../../constructs/bundled-function";
import { TOKEN_BUDGET } from "../../constructs/quotas";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { WebhookStack } from "../../stacks/webhook-stack";
import { resourcesOf, synthStack } from "../support/synth";

const stack = new WebhookStack(Testing.app(), "webhooks-dev", DEFAULT_CONFIG);
let count = 0;

function functionWith(environment: Record<string, string>): () => BundledFunction {
  count += 1;
  return () =>
    new BundledFunction(stack, `probe-${count}`, {
      naming: stack.naming,
      context: stack.context,
      key: stack.key,
      layer: stack.layer,
      purpose: `probe-${count}`,
      entry: "functions/audit/index.ts",
      description: "environment size probe",
      environment,
    });
}

test("environment variables over Lambda's 4 KB fail synth, naming the function and the total", () => {
  expect(functionWith({ BIG: "x".repeat(4094) })).toThrow(
    /probe-1: environment variables total 4097 bytes, over Lambda's 4096-byte limit/,
  );
});

test("environment variables at exactly 4 KB are accepted", () => {
  expect(functionWith({ BIG: "x".repeat(4093) })).not.toThrow();
});

test("an unresolved token counts as its budget, not as the length of its placeholder", () => {
  const tokenBytes = "TOKEN".length + TOKEN_BUDGET;
  expect(
    functionWith({ TOKEN: stack.queue.url, PAD: "x".repeat(4096 - tokenBytes - "PAD".length + 1) }),
  ).toThrow(/over Lambda's 4096-byte limit/);
});

test("every function logs JSON and keeps Lambda's own per-invocation lines out (system level WARN)", () => {
  const functions = resourcesOf(synthStack().doc, "aws_lambda_function");
  expect(functions.length).toBeGreaterThan(0);
  for (const [, fn] of functions) {
    expect(fn.logging_config).toMatchObject({ log_format: "JSON", system_log_level: "WARN" });
    // No application level: Lambda files lines without a level (EMF metrics) under INFO and would
    // drop them above it.
    expect(fn.logging_config.application_log_level).toBeUndefined();
  }
});
