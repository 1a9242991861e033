import { EVENT_SOURCE_PREFIX, type ProviderRuntimeConfig } from "@webhooks/shared";
import { runtimeProviders, webhookEndpoints } from "../../../constructs/ingress";
import { Naming } from "../../../constructs/naming";
import { routePattern } from "../../../constructs/route-pattern";
import type { WebhookEndpoint } from "../../../constructs/webhook-api";
import type { PlatformConfig } from "../../../stacks/config";
import { stackIdFor } from "../../../stacks/stack-ids";
import { UsageError } from "../command";
import { type CompiledPattern, compilePattern, describeProblem, patternProblems } from "../event-pattern";
import { LOCAL_ACCOUNT } from "./local-bus";
import { devSecretId } from "./secrets";

/** A configured route as `webhooks dev` runs it. */
export interface DevRoute {
  readonly id: string;
  readonly ruleName: string;
  /** The rule's pattern: the route's, `source` defaulted as the stack defaults it. */
  readonly pattern: Record<string, unknown>;
  readonly compiled: CompiledPattern;
  readonly queueName: string;
  readonly dlqName: string;
}

/** What `webhooks dev` runs for a configuration: the deployed stack's names, routes and API. */
export interface DevPlan {
  readonly config: PlatformConfig;
  /** The stack `npm run synth` would write for this configuration (`webhooks-dev`). */
  readonly stackId: string;
  readonly tableName: string;
  readonly busName: string;
  readonly payloadBucket: string;
  readonly ingestQueueName: string;
  readonly ingestDlqName: string;
  /** The validator's `WEBHOOK_PROVIDERS`, secrets named for the local secrets file. */
  readonly providers: readonly ProviderRuntimeConfig[];
  /** The API's routes, as the WebhookApi construct gets them. */
  readonly endpoints: readonly WebhookEndpoint[];
  readonly routes: readonly DevRoute[];
}

/**
 * The local instance of a configuration, named as the stack names it (the same Naming), with every
 * route's pattern compiled by the local matcher. A route whose pattern the matcher cannot evaluate
 * is bad input, named with what it uses: never a route that silently matches nothing.
 */
export function devPlan(config: PlatformConfig): DevPlan {
  const naming = new Naming({
    prefix: config.prefix,
    environment: config.environment,
    suffix: config.environmentSuffix,
    region: config.region,
    accountId: LOCAL_ACCOUNT,
  });
  const queueName = (purpose: string) => naming.name("aws_sqs_queue.name", purpose);
  const sources = config.providers.map((provider) => `${EVENT_SOURCE_PREFIX}.${provider.id}`);

  const problems: string[] = [];
  const routes = config.routes.flatMap((route): DevRoute[] => {
    const pattern = routePattern(route, sources);
    const found = patternProblems(pattern);
    if (found.length > 0) {
      problems.push(`route ${route.id}: ${found.map(describeProblem).join("; ")}`);
      return [];
    }
    return [
      {
        id: route.id,
        ruleName: naming.name("aws_cloudwatch_event_rule.name", `route-${route.id}`),
        pattern,
        compiled: compilePattern(pattern),
        queueName: queueName(`route-${route.id}`),
        dlqName: queueName(`route-${route.id}-dlq`),
      },
    ];
  });
  if (problems.length > 0) {
    throw new UsageError(
      `the local pattern matcher cannot evaluate ${problems.length === 1 ? "a route's pattern" : "these routes' patterns"}, so webhooks dev does not start: ${problems.join(" | ")}`,
    );
  }

  return {
    config,
    stackId: stackIdFor(config),
    tableName: naming.name("aws_dynamodb_table.name", "records"),
    busName: naming.name("aws_cloudwatch_event_bus.name", "bus"),
    payloadBucket: naming.name("aws_s3_bucket.bucket", "payloads"),
    ingestQueueName: queueName("ingest"),
    ingestDlqName: queueName("ingest-dlq"),
    providers: runtimeProviders(config, devSecretId),
    endpoints: webhookEndpoints(config),
    routes,
  };
}
