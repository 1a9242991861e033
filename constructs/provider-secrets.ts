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
  /**
   * Providers with a stateful handshake (Asana, Notion): the next handshake may add its secret in
   * front of these. The validator writes the document without it, so each opening admits one.
   */
  readonly acceptHandshake?: boolean;
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
  /**
   * The role that stores stateful handshakes' secrets (the validator), and the providers whose
   * handshake hands one over (Asana, Notion): their secrets' resource policies allow that role
   * `secretsmanager:PutSecretValue`, every other secret's denies it. Requires `readerRoleArns`.
   * @default - no secret names a writer
   */
  readonly handshakeWriter?: { readonly roleArn: string; readonly providerIds: readonly string[] };
}

/**
 * One Secrets Manager secret per provider, encrypted with the platform CMK, holding a
 * {@link ProviderSecretDocument}. Terraform creates the secret only, never a value (no
 * `aws_secretsmanager_secret_version`), so no signing secret reaches the state; the operator puts
 * the value. Names are `<base>/<provider>/signing`: the constant last segment means no provider id
 * can make a name end in `-` and six characters, which Secrets Manager's ARN suffix would confuse.
 * Rotation is manual (the provider issues the secret): add the new secret, then remove the old.
 * A provider whose sender hands its secret over in a handshake (Asana, Notion) has it put by the
 * validator instead, while the document accepts one ({@link ProviderSecretDocument.acceptHandshake}).
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
  private readonly secrets = new Map<string, SecretsmanagerSecret>();
  private readonly writable: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: ProviderSecretsProps) {
    super(scope, id);
    const { naming, context, key } = props;
    this.key = key;
    const writer = props.handshakeWriter;
    this.writable = new Set(writer?.providerIds ?? []);
    const unknown = [...this.writable].filter((providerId) => !props.providerIds.includes(providerId));
    if (unknown.length > 0)
      throw new Error(
        `ProviderSecrets: handshakeWriter names ${unknown.join(", ")}, which have no secret here`,
      );
    if (writer && !(props.readerRoleArns && props.readerRoleArns.length > 0))
      throw new Error(
        "ProviderSecrets: handshakeWriter needs readerRoleArns (the secrets' resource policies)",
      );
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
            ...(writer ? [handshakeWriteStatement(writer.roleArn, this.writable.has(providerId))] : []),
          ]),
        });
      }
      this.secrets.set(providerId, secret);
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

  /**
   * Grants `secretsmanager:PutSecretValue` on one provider's secret, by its ARN, and what Secrets
   * Manager needs of the key to encrypt a new version (`kms:GenerateDataKey`, `kms:Decrypt`): what
   * a stateful handshake's store does besides reading (granted by {@link grantRead}). Only for a
   * provider named in `handshakeWriter`, whose resource policy lets the writer role put.
   */
  grantHandshakeWrite(grantee: IGrantable, providerId: string): void {
    const secret = this.secrets.get(providerId);
    if (!secret || !this.writable.has(providerId))
      throw new Error(`ProviderSecrets: ${providerId} is not a provider whose handshake writes its secret`);
    grantee.addToPolicy({ actions: ["secretsmanager:PutSecretValue"], resources: [secret.arn] });
    this.key.grantEncryptDecrypt(grantee);
  }
}

/**
 * The writer role's PutSecretValue on one secret: allowed where a stateful handshake stores the
 * signing secret, denied on every other, so the role cannot write them whatever IAM grants it.
 */
function handshakeWriteStatement(roleArn: string, writable: boolean) {
  return {
    sid: writable ? "TheValidatorStoresHandshakeSecrets" : "TheValidatorNeverWritesThisSecret",
    effect: writable ? ("Allow" as const) : ("Deny" as const),
    principals: { type: "AWS" as const, identifiers: [roleArn] },
    actions: ["secretsmanager:PutSecretValue"],
    resources: ["*"],
  };
}
