import { LambdaLayerVersion } from "@cdktf/provider-aws/lib/lambda-layer-version";
import { Construct } from "constructs";
import { bundleEntry, PROJECT_ROOT } from "./bundle";
import type { Naming } from "./naming";
import { ZipPackage } from "./zip-package";

/**
 * Packages the layer ships, each bundled to `nodejs/node_modules/<name>/index.js` (the path Lambda
 * resolves layer modules from). Functions mark exactly these external and bundle every other
 * package they import. The SDK clients a function calls on every invocation (DynamoDB, SQS,
 * Secrets Manager, EventBridge) are bundled into the function: each layer bundle carries its own
 * copy of the SDK core, and a function requiring three of them paid for three (~45 ms of cold
 * start each after the first); in one bundle they share it. The layer keeps what several functions
 * share and none needs at cold start: the S3 client (made on the first claim check), Powertools
 * (the logger on the first line) and `@webhooks/shared`. Everything is pinned by package-lock.json
 * rather than taken from the runtime, so code and tests use the same versions.
 */
export const LAYER_PACKAGES = [
  "@webhooks/shared",
  "@aws-sdk/client-s3",
  "@aws-lambda-powertools/logger",
  "@aws-lambda-powertools/metrics",
] as const;

export const LAMBDA_RUNTIME = "nodejs24.x";
export const LAMBDA_ARCHITECTURE = "arm64";

export interface SharedLayerProps {
  readonly naming: Naming;
}

/** The Lambda layer with the shared runtime: pinned AWS SDK v3 clients, Powertools, `functions/shared`. */
export class SharedLayer extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: SharedLayerProps) {
    super(scope, id);
    const files = LAYER_PACKAGES.flatMap((name) => {
      const others = LAYER_PACKAGES.filter((other) => other !== name);
      const bundled = bundleEntry(
        require.resolve(name, { paths: [PROJECT_ROOT] }),
        `nodejs/node_modules/${name}/index.js`,
        others,
      );
      const manifest = JSON.stringify({ name, main: "index.js" });
      return [bundled, { path: `nodejs/node_modules/${name}/package.json`, contents: Buffer.from(manifest) }];
    });
    const zip = new ZipPackage(this, "package", { label: "layer", files });
    const layer = new LambdaLayerVersion(this, "layer", {
      layerName: props.naming.name("aws_lambda_layer_version.layer_name", "shared"),
      description: "Shared runtime: pinned AWS SDK v3 clients, Powertools, @webhooks/shared",
      filename: zip.path,
      sourceCodeHash: zip.base64Sha256,
      compatibleRuntimes: [LAMBDA_RUNTIME],
      compatibleArchitectures: [LAMBDA_ARCHITECTURE],
    });
    this.arn = layer.arn;
  }
}
