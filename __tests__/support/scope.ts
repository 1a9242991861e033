import { TerraformStack, Testing } from "cdktf";
import { AwsContext } from "../../constructs/aws-context";
import { Naming } from "../../constructs/naming";
import { PlatformKey } from "../../constructs/platform-key";

/**
 * A bare stack with what most constructs take (naming for `whk-dev` in us-east-1, the AWS
 * context, the platform key): for a construct checked on its own, without a synth.
 */
export function bareScope(id = "unit") {
  const root = new TerraformStack(Testing.app(), id);
  const naming = new Naming({
    prefix: "whk",
    environment: "dev",
    region: "us-east-1",
    accountId: "123456789012",
  });
  const context = new AwsContext(root, "context", { region: "us-east-1" });
  return { root, naming, context, key: new PlatformKey(root, "key", { naming, context }) };
}
