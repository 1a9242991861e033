import { App } from "cdktf";
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

/** Synthesizes the configured stacks to `cdktf.out` (or `CDKTF_OUTDIR`). */
export function synthesizeApp(): void {
  const app = new App();
  addPlatformStacks(app, loadConfig());
  app.synth();
}
