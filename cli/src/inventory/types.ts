/**
 * The inventory of one synthesized stack: what a reviewer reads beside `terraform plan`. Plain data
 * (JSON round-trips), built by {@link buildInventory} from a parsed `cdk.tf.json`.
 */
export interface Inventory {
  /** `//.metadata.stackName`, e.g. `webhooks-dev`. @default "" when the document has no metadata */
  readonly stack: string;
  /** The AWS provider's region. @default - absent when no provider sets one */
  readonly region?: string;
  /** Every resource and data source, in construct order. */
  readonly resources: readonly ResourceEntry[];
  readonly iam: IamInventory;
  readonly exposure: Exposure;
  /** Everything that deserves a reviewer's eye, warnings first. */
  readonly findings: readonly Finding[];
}

export interface ResourceEntry {
  /** Terraform address: `aws_sqs_queue.ingest_queue_D9C6414A`, `data.archive_file.layer_package_zip_3865D29A`. */
  readonly address: string;
  readonly mode: "resource" | "data";
  readonly type: string;
  /**
   * Construct path without the stack, e.g. `ingress/api/method-acme`, from the `//` metadata; derived
   * from the logical id when the document has none (`Testing.synth` strips it).
   */
  readonly path: string;
  /** Top-level construct the resource belongs to, readable: `platform key`, `ingress`, `delivery`. */
  readonly group: string;
  /** The physical name, or what identifies a resource that has none (`POST /webhooks/acme`). */
  readonly name: string;
  /** The attribute holding the name (`bucket`, `function_name`), or `derived` when identified otherwise. */
  readonly nameSource: string;
  /** One line: what the resource is for. */
  readonly purpose: string;
  /** False when the type has no entry in the purpose table (the purpose is a generic fallback). */
  readonly known: boolean;
}

/** One IAM statement with Terraform references made readable. */
export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** `Service:events.amazonaws.com`, `AWS:account root`, `*`; empty for identity policies. */
  readonly principals: readonly string[];
  readonly actions: readonly string[];
  /** True when the statement lists NotAction (the actions are the exceptions). */
  readonly notActions?: boolean;
  readonly resources: readonly string[];
  /** True when the statement lists NotResource. */
  readonly notResources?: boolean;
  readonly conditions: readonly Condition[];
}

export interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface PolicySource {
  /** Address of the policy resource (`aws_iam_role_policy.x`), or the role's for `inline_policy` / managed ARNs. */
  readonly address: string;
  readonly kind: "inline" | "inline_policy block" | "customer managed" | "AWS managed";
  /** Policy name, or the managed policy ARN. */
  readonly name: string;
  readonly statements: readonly Statement[];
  /** Why the statements could not be read (unparsed expression, managed policy outside the document). */
  readonly unreadable?: string;
}

export interface RoleEntry {
  readonly address: string;
  readonly name: string;
  /** The trust policy: who may assume the role and under which conditions. */
  readonly trust: readonly Statement[];
  /** Resources that run as (or pass) the role: functions, event targets, delivery streams. */
  readonly usedBy: readonly string[];
  readonly policies: readonly PolicySource[];
}

export interface ResourcePolicyEntry {
  readonly address: string;
  readonly type: string;
  /** The resource the policy guards, readable. */
  readonly target: string;
  /** Address of the guarded resource when it is in the document. */
  readonly targetAddress?: string;
  readonly statements: readonly Statement[];
  readonly unreadable?: string;
}

export interface InvokeGrant {
  readonly address: string;
  readonly statementId: string;
  readonly principal: string;
  readonly action: string;
  /** Readable source ARN (`... execution_arn/POST/webhooks/acme`). @default - any source */
  readonly sourceArn?: string;
  readonly sourceAccount?: string;
  readonly functionUrlAuthType?: string;
}

export interface FunctionInvokers {
  /** Readable function (`aws_lambda_function.x (whk-dev-validator)`). */
  readonly function: string;
  readonly functionAddress?: string;
  readonly grants: readonly InvokeGrant[];
  /** Event source mappings that poll a source and invoke the function with its role (`source → function`). */
  readonly eventSources: readonly string[];
}

export interface IamInventory {
  readonly roles: readonly RoleEntry[];
  /** Key, queue, topic, secret, bucket, bus and API policies. */
  readonly resourcePolicies: readonly ResourcePolicyEntry[];
  /** Lambda permissions: who may invoke each function. */
  readonly invokers: readonly FunctionInvokers[];
}

export interface ApiRoute {
  readonly method: string;
  readonly path: string;
  readonly address: string;
  /** `NONE`, `AWS_IAM`, `CUSTOM (authorizer)`, `COGNITO_USER_POOLS (authorizer)`. */
  readonly authorization: string;
  readonly apiKeyRequired: boolean;
  /** Request validator name and what it validates, e.g. `whk-dev-headers-and-body (headers, body)`. */
  readonly requestValidator?: string;
  readonly requiredHeaders: readonly string[];
  readonly requiredQueryStrings: readonly string[];
  /** Content types with a request model (validated bodies). */
  readonly bodyModels: readonly string[];
  /** `AWS_PROXY → aws_lambda_function.x (whk-dev-validator)`. @default - no integration */
  readonly integration?: string;
  /** Statement id of the Lambda permission that lets API Gateway call the integration for this route. */
  readonly invokePermission?: string;
}

export interface WafRule {
  readonly priority: number;
  readonly name: string;
  /** `block 429 (too_many_requests)`, `allow`, `count`, `rule group actions`, `rule group actions, 5 rules → count`. */
  readonly action: string;
  /** What the rule matches, one line. */
  readonly statement: string;
}

export interface WebAclSummary {
  readonly address: string;
  readonly name: string;
  readonly scope: string;
  readonly defaultAction: string;
  readonly rules: readonly WafRule[];
  /** Association resource that attaches the ACL. */
  readonly association: string;
  /** Log destination, when WAF logging is configured. */
  readonly logging?: string;
}

export interface Throttle {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

export interface ApiStage {
  readonly address: string;
  readonly name: string;
  readonly xrayTracing: boolean;
  /** Readable access log destination. @default - no access logs */
  readonly accessLogs?: string;
  /** Stage-wide (`*\/*`) method throttling. @default - account defaults */
  readonly throttle?: Throttle;
  /** Per-method overrides: method path → throttle. */
  readonly methodThrottles: Readonly<Record<string, Throttle>>;
  readonly usagePlans: readonly UsagePlanSummary[];
  readonly webAcl?: WebAclSummary;
}

export interface UsagePlanSummary {
  readonly address: string;
  readonly name: string;
  readonly throttle?: Throttle;
  /** `100000 per DAY`. */
  readonly quota?: string;
  readonly apiKeys: readonly string[];
}

export interface RestApiExposure {
  readonly address: string;
  readonly name: string;
  /** `REGIONAL`, `EDGE` (internet-facing) or `PRIVATE` (VPC endpoints only). */
  readonly endpointTypes: readonly string[];
  readonly internetFacing: boolean;
  readonly apiKeySource?: string;
  readonly binaryMediaTypes: readonly string[];
  readonly disableExecuteApiEndpoint: boolean;
  /** Has a resource policy (statements are listed under resource policies). */
  readonly resourcePolicy: boolean;
  readonly stages: readonly ApiStage[];
  readonly routes: readonly ApiRoute[];
}

export interface FunctionUrlExposure {
  readonly address: string;
  readonly function: string;
  readonly authorizationType: string;
}

export interface BucketExposure {
  readonly address: string;
  readonly name: string;
  /** Address of the bucket's public access block. @default - none: flagged */
  readonly publicAccessBlock?: string;
  /** The four settings; all true when fully blocked. */
  readonly blocks: {
    readonly blockPublicAcls: boolean;
    readonly blockPublicPolicy: boolean;
    readonly ignorePublicAcls: boolean;
    readonly restrictPublicBuckets: boolean;
  };
  readonly objectOwnership?: string;
  /** Canned ACL from `aws_s3_bucket_acl`, when one is set. */
  readonly acl?: string;
  readonly website: boolean;
}

/** A resource-policy statement whose principal is everyone. */
export interface PublicStatement {
  readonly policy: string;
  readonly target: string;
  readonly statement: Statement;
  /** Allow to `*`: exposure. Deny to `*`: a guard (e.g. TLS only), listed but not exposure. */
  readonly exposure: boolean;
}

export interface OtherExposure {
  readonly address: string;
  readonly type: string;
  readonly detail: string;
}

export interface Exposure {
  readonly restApis: readonly RestApiExposure[];
  readonly functionUrls: readonly FunctionUrlExposure[];
  readonly buckets: readonly BucketExposure[];
  readonly publicStatements: readonly PublicStatement[];
  /** Other internet-facing resources (HTTP APIs, load balancers, distributions, open security groups). */
  readonly other: readonly OtherExposure[];
}

export interface Finding {
  readonly severity: "warning" | "note";
  readonly section: "resources" | "iam" | "exposure";
  /** Address (or readable subject) the finding is about. */
  readonly subject: string;
  readonly message: string;
}
