/**
 * Names of the stack outputs the CLI reads from a synthesized `cdk.tf.json` (its own module: the
 * CLI reads it without loading cdktf).
 */

/**
 * The validator's providers: the JSON text of its package's `providers.json` (id, scheme, secret
 * name, …), which is not in the function's environment and so nowhere else in the document.
 */
export const PROVIDERS_OUTPUT = "validator_providers";
