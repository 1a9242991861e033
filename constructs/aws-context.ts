import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { Construct } from "constructs";

export interface AwsContextProps {
  /** The region the stack deploys to (from config; known at synth). */
  readonly region: string;
}

/**
 * Account, partition and region for ARNs built from known names. Building ARNs from names (rather
 * than referencing the resources) keeps the key policy free of cycles with what the key encrypts.
 */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  constructor(scope: Construct, id: string, props: AwsContextProps) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, "account").accountId;
    this.partition = new DataAwsPartition(this, "partition").partition;
    this.region = props.region;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass region "" for global services. */
  arn(service: string, resource: string, region: string = this.region): string {
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}
