import { App } from "cdktf";
import { loadConfig } from "./stacks/config";
import { stackIdFor, WebhookStack } from "./stacks/webhook-stack";

const config = loadConfig();
const app = new App();
new WebhookStack(app, stackIdFor(config), config);
app.synth();
