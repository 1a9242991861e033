import { App } from "cdktf";
import { loadConfig } from "./config";
import { stackIdFor, WebhookStack } from "./webhook-stack";

/** Synthesizes the configured environment's stack to `cdktf.out` (or `CDKTF_OUTDIR`). */
export function synthesizeApp(): void {
  const config = loadConfig();
  const app = new App();
  new WebhookStack(app, stackIdFor(config), config);
  app.synth();
}
