import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { type BundledFile, bundleEntry } from "./bundle";
import { EncryptedLogGroup } from "./encrypted-log-group";
import type { Naming } from "./naming";
import type { PlatformKey } from "./platform-key";
import { LAMBDA_ENVIRONMENT_BYTES, TOKEN_BUDGET, withoutTokens } from "./quotas";
import { LAMBDA_SERVICE, ServiceRole } from "./service-role";
import { LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, LAYER_PACKAGES, type SharedLayer } from "./shared-layer";
import { ZipPackage } from "./zip-package";

export interface BundledFunctionProps {
  readonly naming: Naming;
  readonly context: AwsContext;
  readonly key: PlatformKey;
  readonly layer: SharedLayer;
  /** Names the function, its role and log group, e.g. `validator`. */
  readonly purpose: string;
  /** Entry file relative to the project root, exporting an async `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Checked against Lambda's 4 KB limit at synth, tokens counted at {@link TOKEN_BUDGET}. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * More files in the package beside `index.js`, e.g. configuration too large for the environment
   * (the validator's `providers.json`). Part of the package's content hash: changing one redeploys
   * the function. @default []
   */
  readonly files?: readonly BundledFile[];
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default - unreserved (an SQS event source's maximum concurrency is the better cap) */
  readonly reservedConcurrency?: number;
  /**
   * X-Ray mode. `Active` traces what an upstream sampled (API Gateway, by the stage's sampling rule)
   * and samples requests that come without a decision at Lambda's fixed rate (1 a second + 5 %),
   * which cannot be configured; `PassThrough` traces only what an upstream sampled. An event source
   * (SQS, a stream) sends no decision, so for functions behind one only `PassThrough` keeps X-Ray
   * within a sampling rule of our own.
   * @default "Active"
   */
  readonly tracing?: "Active" | "PassThrough";
  /**
   * Lambda's own log lines (`platform.*`). At `WARN` the per-invocation start and report lines
   * (duration, memory, init: ~700 bytes an invocation, more than the function's own lines) are not
   * written; the Duration, Errors and Throttles metrics carry the same figures.
   * @default "WARN"
   */
  readonly systemLogLevel?: "DEBUG" | "INFO" | "WARN";
}

/**
 * A Lambda function bundled by esbuild at synth (the layer's packages external), zipped by the
 * archive provider with fixed file modes (byte-stable zips, content-only `source_code_hash`),
 * with its own role, a CMK-encrypted log group with retention, JSON logs (Lambda's own lines at
 * WARN), X-Ray (Active) and its environment encrypted with the platform key.
 */
export class BundledFunction extends Construct {
  readonly functionName: string;
  readonly arn: string;
  readonly invokeArn: string;
  readonly role: ServiceRole;
  readonly logGroup: EncryptedLogGroup;
  /** The package's files as staged for the zip (`index.js` and {@link BundledFunctionProps.files}). */
  readonly packageDir: string;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const { naming, context, key } = props;
    const environment = props.environment ?? {};
    assertEnvironmentFits(props.purpose, environment);

    this.functionName = naming.name("aws_lambda_function.function_name", props.purpose);
    this.role = new ServiceRole(this, "role", {
      naming,
      context,
      purpose: props.purpose,
      service: LAMBDA_SERVICE,
    });
    this.logGroup = new EncryptedLogGroup(this, "logs", {
      name: `/aws/lambda/${this.functionName}`,
      key,
      context,
      retentionInDays: props.logRetentionDays,
    });
    this.role.addToPolicy({
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [`${this.logGroup.arn}:*`],
    });
    // X-Ray offers no narrower resource for these two actions.
    this.role.addToPolicy({
      actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      resources: ["*"],
    });
    key.grantDecrypt(this.role);

    const bundle = bundleEntry(props.entry, "index.js", LAYER_PACKAGES);
    const zip = new ZipPackage(this, "package", {
      label: props.purpose,
      files: [bundle, ...(props.files ?? [])],
    });
    this.packageDir = zip.dir;

    const fn = new LambdaFunction(this, "function", {
      functionName: this.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: "index.handler",
      filename: zip.path,
      sourceCodeHash: zip.base64Sha256,
      layers: [props.layer.arn],
      memorySize: props.memorySize ?? 256,
      timeout: props.timeoutSeconds ?? 10,
      reservedConcurrentExecutions: props.reservedConcurrency,
      kmsKeyArn: key.arn,
      environment: { variables: { ...environment } },
      tracingConfig: { mode: props.tracing ?? "Active" },
      loggingConfig: {
        logFormat: "JSON",
        logGroup: this.logGroup.name,
        systemLogLevel: props.systemLogLevel ?? "WARN",
      },
      dependsOn: [this.logGroup.resource],
    });
    this.arn = fn.arn;
    this.invokeArn = fn.invokeArn;
  }
}

function assertEnvironmentFits(purpose: string, environment: Readonly<Record<string, string>>): void {
  let bytes = 0;
  for (const [name, value] of Object.entries(environment)) {
    if (typeof value !== "string")
      throw new Error(`${purpose}: environment variable ${name} must be a string`);
    const { literal, tokens } = withoutTokens(value);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(literal) + tokens * TOKEN_BUDGET;
  }
  if (bytes > LAMBDA_ENVIRONMENT_BYTES) {
    throw new Error(
      `${purpose}: environment variables total ${bytes} bytes, over Lambda's ${LAMBDA_ENVIRONMENT_BYTES}-byte limit; move configuration out of the environment (a file in the package: BundledFunctionProps.files)`,
    );
  }
}
