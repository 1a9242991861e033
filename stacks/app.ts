import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, type TerraformStack } from "cdktf";
import { loadConfig, type PlatformConfig } from "./config";
import { RegionalStack } from "./regional-stack";
import { regionalStackIdFor, stackIdFor } from "./stack-ids";
import { WebhookStack } from "./webhook-stack";

/** The stacks one configuration synthesizes. */
export interface PlatformStacks {
  readonly environment: WebhookStack;
  /** @default - none when `apiGatewayAccount` is `existing` */
  readonly regional?: RegionalStack;
}

/**
 * Adds the configuration's stacks to an app: the environment's, and (unless the account already
 * has its API Gateway CloudWatch role) the regional stack it depends on, so `cdktf deploy` applies
 * the regional stack first and refuses to deploy the environment without it.
 */
export function addPlatformStacks(app: App, config: PlatformConfig): PlatformStacks {
  const environment = new WebhookStack(app, stackIdFor(config), config);
  if (config.apiGatewayAccount === "existing") return { environment };
  const regional = new RegionalStack(app, regionalStackIdFor(config.region), config);
  environment.addDependency(regional);
  return { environment, regional };
}

/** What the construct validations (the naming table's, cdktf's own) found: one line per problem. */
export class SynthValidationError extends Error {
  override readonly name = "SynthValidationError";
  constructor(readonly problems: readonly string[]) {
    super(`Synth validation failed:\n  ${problems.join("\n  ")}`);
  }
}

/** Every construct validation's problems in the app, one line each: `<construct path>: <problem>`. */
export function validationProblems(app: App): string[] {
  return app.node
    .findAll()
    .flatMap((construct) => construct.node.validate().map((problem) => `${construct.node.path}: ${problem}`));
}

/** One stack a synth wrote. */
export interface SynthesizedStack {
  readonly id: string;
  /** Resource blocks in its Terraform JSON. */
  readonly resources: number;
  /** Its `cdk.tf.json`. */
  readonly file: string;
}

/**
 * Synthesizes the configured stacks to `CDKTF_OUTDIR` (default `cdktf.out`), in deploy order.
 * Throws ConfigError for a bad configuration and {@link SynthValidationError} when a construct
 * validation fails; either way before writing any stack.
 */
export function synthesizeApp(env: NodeJS.ProcessEnv = process.env): SynthesizedStack[] {
  const config = loadConfig(env);
  // cdktf validates each stack as it writes it and reports in a paragraph of its own; the same
  // validations run here first, over every stack, so a failing synth writes nothing.
  const app = new App({ outdir: env.CDKTF_OUTDIR ?? "cdktf.out", skipValidation: true });
  const { environment, regional } = addPlatformStacks(app, config);
  const problems = validationProblems(app);
  if (problems.length > 0) throw new SynthValidationError(problems);
  app.synth();
  const written: TerraformStack[] = regional ? [regional, environment] : [environment];
  return written.map((stack) => {
    const file = join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath);
    const doc = JSON.parse(readFileSync(file, "utf8")) as { resource?: Record<string, object> };
    const resources = Object.values(doc.resource ?? {}).reduce(
      (sum, ofType) => sum + Object.keys(ofType).length,
      0,
    );
    return { id: stack.node.id, resources, file };
  });
}
