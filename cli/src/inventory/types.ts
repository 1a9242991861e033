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
  /** Metric and composite alarms: what they watch and when they fire. */
  readonly alarms: readonly AlarmEntry[];
  /** EventBridge rules: which events each matches and where it delivers them. */
  readonly eventRules: readonly EventRuleEntry[];
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
  /** Request validator name and what it validates, e.g. `whk-dev-headers-and-body (parameters, body)`; required headers are parameters. */
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

export interface AlarmEntry {
  readonly address: string;
  readonly name: string;
  /**
   * What the alarm watches, one line: `AWS/SQS ApproximateNumberOfMessagesVisible Maximum
   * (QueueName=whk-dev-ingest-dlq)`; metric math as its expression followed by its inputs
   * (`m1 = Webhooks routed Sum (service=whk-dev-router)`); a composite alarm's rule as `rule ALARM(…)`.
   */
  readonly metric: string;
  /** `>`, `>=`, `<`, `<=`, or the operator's name for anomaly-detection bands. @default - composite alarms have none */
  readonly comparison?: string;
  /** The static threshold. @default - none: an anomaly band or a composite alarm */
  readonly threshold?: number;
  /** Seconds per evaluated period. @default - from the metric queries, or none for composite alarms */
  readonly periodSeconds?: number;
  readonly evaluationPeriods?: number;
  /** Breaching periods of `evaluationPeriods` that fire the alarm. @default - all of them */
  readonly datapointsToAlarm?: number;
  /** `missing` (AWS's default), `notBreaching`, `breaching` or `ignore`. */
  readonly treatMissingData: string;
  /** Readable alarm actions (topics it notifies). */
  readonly actions: readonly string[];
  readonly actionsEnabled: boolean;
}

export interface EventTargetEntry {
  readonly address: string;
  /** `target_id`. */
  readonly id: string;
  /** Readable destination (queue, stream, function, bus). */
  readonly target: string;
  /** Readable dead-letter queue. @default - none: undeliverable events are dropped */
  readonly deadLetter?: string;
  /** Role EventBridge assumes to deliver. @default - none (resource policy grants delivery) */
  readonly role?: string;
  /** `185 attempts, 86400 s max age`. @default - EventBridge's defaults */
  readonly retry?: string;
}

export interface EventRuleEntry {
  readonly address: string;
  readonly name: string;
  /** Readable bus name; `default` when the rule names none. */
  readonly bus: string;
  /** `ENABLED`, `DISABLED`, `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`. */
  readonly state: string;
  /** The event pattern as compact JSON with readable references. @default - a scheduled rule */
  readonly eventPattern?: string;
  readonly schedule?: string;
  readonly targets: readonly EventTargetEntry[];
}

export interface Finding {
  readonly severity: "warning" | "note";
  readonly section: "resources" | "iam" | "exposure";
  /** Address (or readable subject) the finding is about. */
  readonly subject: string;
  readonly message: string;
}

/** How a change moves the stack: `widened` grants more access or exposes more than before. */
export type ChangeKind = "widened" | "added" | "removed" | "changed";

export type ChangeSection = "resources" | "iam" | "exposure" | "alarms" | "event rules" | "findings";

/** One difference between two synthesized documents, keyed by physical names, not logical ids. */
export interface Change {
  readonly kind: ChangeKind;
  readonly section: ChangeSection;
  /** What changed: `role whk-dev-validator`, `route POST /webhooks/acme`, `sqs_queue whk-dev-ingest`. */
  readonly subject: string;
  /** The change in one line: `allow s3:* on whk-dev-payloads/*`, `threshold 0 → 5`. */
  readonly detail: string;
  /** Why a change widens access or exposure: `wildcard action`, `broader than before: …`. */
  readonly why?: string;
}

/** What a change to the stack adds, removes, changes and widens: what a reviewer reads beside `terraform plan`. */
export interface InventoryDiff {
  /** Stack names of the old and the new document. */
  readonly before: string;
  readonly after: string;
  /** Some change widens IAM access or internet exposure: what `--fail-on-widen` fails on. */
  readonly widened: boolean;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Widened first, then by section, subject and kind. */
  readonly changes: readonly Change[];
}
