import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import { type IGrantable, policyDocument } from "./policy";

/**
 * What an operator stores in each provider's secret (`put-secret-value --secret-string`): one or
 * more active signing secrets, all accepted, so a rotation adds the new one before removing the old.
 *
 * @example {"secrets": ["whsec_new…", "whsec_old…"]}
 */
export interface ProviderSecretDocument {
  readonly secrets: readonly string[];
}

/** The last segment of every signing secret's name. */
const SIGNING_SECRET_LEAF = "signing";

export interface ProviderSecretsProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  /** Provider ids (`^[a-z0-9][a-z0-9-]{0,31}$`); one secret each. */
  readonly providerIds: readonly string[];
  /**
   * Role ARNs that may read the secret values. When given, each secret gets a resource policy
   * denying `secretsmanager:GetSecretValue` to every other principal (defence in depth on top of
   * IAM; an administrator who must read a value edits the policy first).
   * @default - no resource policy (IAM alone decides)
   */
  readonly readerRoleArns?: readonly string[];
  /**
   * Days a deleted secret can be restored (7–30), or 0: deleted at once, so a stack destroyed and
   * applied again can re-create a secret of the same name (a secret in its recovery window blocks
   * the name). @default 30
   */
  readonly recoveryWindowInDays?: number;
}

/**
 * One Secrets Manager secret per provider, encrypted with the platform CMK, holding a
 * {@link ProviderSecretDocument}. Terraform creates the secret only, never a value (no
 * `aws_secretsmanager_secret_version`), so no signing secret reaches the state; the operator puts
 * the value. Names are `<base>/<provider>/signing`: the constant last segment means no provider id
 * can make a name end in `-` and six characters, which Secrets Manager's ARN suffix would confuse.
 * Rotation is manual (the provider issues the secret): add the new secret, then remove the old.
 */
export class ProviderSecrets extends Construct {
  /** Secret name per provider id, for the validator's `secretId`. */
  readonly names: Readonly<Record<string, string>>;
  /**
   * One ARN pattern matching every secret here, and only names in this deployment's own hierarchy:
   * `<base>/<anything>/signing` and the `-??????` suffix Secrets Manager appends. Built from the
   * names, not the resources, so grants and the key policy stay free of cycles.
   */
  readonly arnPattern: string;
  private readonly key: PlatformKey;

  constructor(scope: Construct, id: string, props: ProviderSecretsProps) {
    super(scope, id);
    const { naming, context, key } = props;
    this.key = key;
    const names: Record<string, string> = {};
    const [head, leaf] = [`${naming.base}/`, `/${SIGNING_SECRET_LEAF}`];
    for (const providerId of props.providerIds) {
      const name = ProviderSecrets.nameFor(naming, providerId);
      if (!name.startsWith(head) || !name.endsWith(leaf)) {
        throw new Error(
          `ProviderSecrets: secret ${name} is not named ${head}…${leaf}, which the read grant covers`,
        );
      }
      const secret = new SecretsmanagerSecret(this, providerId, {
        name,
        description: `Signing secrets of webhook provider ${providerId}: {"secrets": ["<active>", "<previous>"]}`,
        kmsKeyId: key.arn,
        recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
      });
      if (props.readerRoleArns && props.readerRoleArns.length > 0) {
        new SecretsmanagerSecretPolicy(this, `${providerId}-policy`, {
          secretArn: secret.arn,
          blockPublicPolicy: true,
          policy: policyDocument([
            {
              sid: "OnlyTheValidatorReadsTheValue",
              effect: "Deny",
              principals: { type: "*", identifiers: ["*"] },
              actions: ["secretsmanager:GetSecretValue"],
              resources: ["*"],
              conditions: [
                { test: "ArnNotEquals", variable: "aws:PrincipalArn", values: props.readerRoleArns },
              ],
            },
          ]),
        });
      }
      names[providerId] = name;
    }
    this.names = names;
    this.arnPattern = context.arn("secretsmanager", `secret:${head}*${leaf}-??????`);
  }

  /** The secret name of a provider: `<base>/<provider>/signing`. */
  static nameFor(naming: Naming, providerId: string): string {
    return naming.name("aws_secretsmanager_secret.name", `${providerId}/${SIGNING_SECRET_LEAF}`, {
      separator: "/",
    });
  }

  /**
   * Grants `secretsmanager:GetSecretValue` on these secrets and `kms:Decrypt` on the platform key.
   * One ARN pattern ({@link arnPattern}), not one ARN per secret: IAM caps a role's inline
   * policies at 10,240 characters, which about a hundred secret ARNs would fill. The pattern reaches no
   * further than this deployment's names, and each secret's resource policy still refuses every
   * reader but the roles in `readerRoleArns`.
   */
  grantRead(grantee: IGrantable): void {
    grantee.addToPolicy({ actions: ["secretsmanager:GetSecretValue"], resources: [this.arnPattern] });
    this.key.grantDecrypt(grantee);
  }
}
