import { ApiGatewayAccount as AccountSetting } from "@cdktf/provider-aws/lib/api-gateway-account";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { Naming } from "./naming";
import { ServiceRole } from "./service-role";

export const API_GATEWAY_SERVICE = "apigateway.amazonaws.com";

export interface ApiGatewayAccountProps {
  readonly naming: Naming;
  readonly context: AwsContext;
}

/**
 * The region's API Gateway account setting and the CloudWatch role it names, which every API's
 * access and execution logging in the region needs. It is one setting per account and region (last
 * writer wins) and the provider resets it when the resource is destroyed, which silently stops the
 * logging of every other API in the region: so it lives in its own long-lived stack, and
 * `prevent_destroy` refuses a `terraform destroy` of it (remove it from the state to retire it).
 */
export class ApiGatewayAccount extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountProps) {
    super(scope, id);
    const { naming, context } = props;
    const role = new ServiceRole(this, "cloudwatch-role", {
      naming,
      context,
      purpose: "apigateway-logs",
      service: API_GATEWAY_SERVICE,
      trustConditions: [],
      unconditionalTrustReason:
        "API Gateway assumes the region's logging role for every API of the account and documents no source condition for it",
    });
    // Account-wide by design (every API's logs in the region); limited to this region's log groups.
    role.addToPolicy({
      actions: [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:DescribeLogGroups",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
      ],
      resources: [context.arn("logs", "log-group:*"), context.arn("logs", "log-group:*:log-stream:*")],
    });
    new AccountSetting(this, "setting", {
      cloudwatchRoleArn: role.arn,
      // API Gateway checks it may assume the role when the setting is made.
      dependsOn: [role.policy],
      lifecycle: { preventDestroy: true },
    });
    this.roleArn = role.arn;
  }
}
