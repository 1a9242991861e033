import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ApiGatewayAccount } from "../constructs/api-gateway-account";
import { AwsContext } from "../constructs/aws-context";
import { NameValidation } from "../constructs/name-validation";
import { Naming } from "../constructs/naming";
import { configureBackend } from "./backend";
import { type PlatformConfig, REGIONAL_ENVIRONMENT } from "./config";

/**
 * What exists once per account and region and every environment stack there relies on: the API
 * Gateway account setting and its CloudWatch role (the stage's access and execution logging need
 * it). Deployed first, kept for as long as any environment runs in the region; environment stacks
 * depend on it and never change it, so creating or destroying one never breaks another.
 */
export class RegionalStack extends TerraformStack {
  readonly naming: Naming;
  readonly apiGatewayAccount: ApiGatewayAccount;

  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id);
    const context = new AwsContext(this, "context", { region: config.region });
    this.naming = new Naming({
      prefix: config.prefix,
      environment: REGIONAL_ENVIRONMENT,
      region: config.region,
      accountId: context.accountId,
    });
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { ...config.tags, Service: config.serviceName } }],
    });
    configureBackend(this, config.backend);
    this.apiGatewayAccount = new ApiGatewayAccount(this, "apigateway-account", {
      naming: this.naming,
      context,
    });
    new TerraformOutput(this, "apigateway_cloudwatch_role_arn", {
      value: this.apiGatewayAccount.roleArn,
      description: "The role API Gateway writes every API's logs in this region with",
    });
    this.node.addValidation(new NameValidation(this, this.naming));
  }
}
