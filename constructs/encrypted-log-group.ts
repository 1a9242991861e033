import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { PlatformKey } from "./platform-key";

export interface EncryptedLogGroupProps {
  /** The full log group name, e.g. `/aws/lambda/<function name>`. */
  readonly name: string;
  readonly key: PlatformKey;
  readonly context: AwsContext;
  /** @default 30 */
  readonly retentionInDays?: number;
}

/**
 * A log group created explicitly (so the service never auto-creates one that never expires),
 * encrypted with the platform key, with retention. Registers the key-policy grant Logs needs.
 */
export class EncryptedLogGroup extends Construct {
  readonly name: string;
  readonly arn: string;
  /** For `dependsOn` of resources that write to the group as soon as they exist. */
  readonly resource: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    props.key.allowLogGroup(props.name, props.context);
    this.resource = new CloudwatchLogGroup(this, "group", {
      name: props.name,
      retentionInDays: props.retentionInDays ?? 30,
      kmsKeyId: props.key.arn,
      // Logs checks the key policy when the group is created with the key.
      dependsOn: [props.key.policy],
    });
    this.name = props.name;
    this.arn = this.resource.arn;
  }
}
