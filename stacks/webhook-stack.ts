import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsContext } from "../constructs/aws-context";
import { NameValidation } from "../constructs/name-validation";
import { Naming } from "../constructs/naming";
import { PlatformKey } from "../constructs/platform-key";
import { SharedLayer } from "../constructs/shared-layer";
import type { PlatformConfig } from "./config";

/** The stack id (and `cdktf.out/stacks/<id>` folder) for a configuration. */
export function stackIdFor(config: PlatformConfig): string {
  return ["webhooks", config.environment, config.environmentSuffix].filter((part) => part).join("-");
}

/**
 * The whole platform for one environment: providers, backend, the platform key and shared layer,
 * and the ingress and delivery constructs composed from the configuration.
 */
export class WebhookStack extends TerraformStack {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  readonly layer: SharedLayer;

  constructor(
    scope: Construct,
    id: string,
    readonly config: PlatformConfig,
  ) {
    super(scope, id);
    this.naming = new Naming({
      prefix: config.prefix,
      environment: config.environment,
      suffix: config.environmentSuffix,
    });
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [
        { tags: { ...config.tags, Environment: config.environment, Service: config.serviceName } },
      ],
    });
    new ArchiveProvider(this, "archive");
    this.configureBackend(id);

    this.context = new AwsContext(this, "context", { region: config.region });
    this.key = new PlatformKey(this, "key", {
      naming: this.naming,
      context: this.context,
      deletionWindowInDays: config.production ? 30 : 7,
    });
    this.layer = new SharedLayer(this, "layer", { naming: this.naming });

    this.output("kms_key_arn", this.key.arn, "ARN of the platform's customer-managed key");
    this.output("kms_key_alias", this.key.aliasName, "Alias of the platform key");
    this.output("shared_layer_arn", this.layer.arn, "ARN of the shared Lambda layer version");

    this.node.addValidation(new NameValidation(this));
  }

  /** A stack output an operator needs (`cdktf output`, the CLI's inventory). */
  output(name: string, value: string, description: string): void {
    new TerraformOutput(this, name, { value, description });
  }

  private configureBackend(id: string): void {
    const { backend } = this.config;
    if (backend.type === "local") {
      new LocalBackend(this, { path: backend.path ?? `terraform.${id}.tfstate` });
      return;
    }
    const s3 = new S3Backend(this, {
      bucket: backend.bucket,
      key: backend.key,
      region: backend.region,
      encrypt: true,
    });
    // cdktf 0.21's S3Backend has no useLockfile; S3-native locking needs Terraform ≥ 1.10.
    s3.addOverride("use_lockfile", true);
  }
}
