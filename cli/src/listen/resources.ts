import {
  DeleteRuleCommand,
  type EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
} from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, DeleteQueueCommand, type SQSClient, TagQueueCommand } from "@aws-sdk/client-sqs";
import { describeAwsError } from "../aws";
import { CommandError } from "../command";
import { ListenTag } from "./names";

/** A received event stays hidden this long; one the local URL did not take comes back after it. */
export const VISIBILITY_TIMEOUT_SECONDS = 30;
/** An event the local URL has not taken within an hour is dropped from the temporary queue. */
const RETENTION_SECONDS = 3600;
/** The rule's one target. */
export const TARGET_ID = "listen-queue";

export interface ListenClients {
  readonly events: EventBridgeClient;
  readonly sqs: SQSClient;
}

/** A session's rule and queue as far as they exist: what removal has to remove. */
export interface ListenResources {
  /** Rule and queue name. */
  readonly name: string;
  ruleArn?: string;
  queueUrl?: string;
  /** Target ids on the rule; undefined when not known (a leftover, a failed PutTargets): removal lists them. */
  targetIds?: string[];
}

export interface NewSession {
  readonly id: string;
  readonly name: string;
  readonly busName: string;
  readonly pattern: Record<string, unknown>;
  /** Route id or `--pattern`, for the tags and the rule's description. */
  readonly listensFor: string;
  readonly now: number;
}

/**
 * Creates the session's resources, filling `resources` as each one exists so that removal after a
 * failure or an interrupt removes exactly those:
 * 1. the rule on the bus with the pattern (tagged);
 * 2. the queue: SQS-managed encryption (SSE-SQS), which EventBridge can deliver to without a key
 *    grant; the platform's KMS key admits EventBridge only for the stack's own queues, and widening
 *    its policy would take a deploy. Its policy lets only this rule send (`aws:SourceArn`) and
 *    refuses requests without TLS;
 * 3. the queue as the rule's target.
 */
export async function createSession(
  clients: ListenClients,
  session: NewSession,
  resources: ListenResources,
  abortSignal: AbortSignal,
): Promise<void> {
  const started = new Date(session.now).toISOString();
  const tags: Record<string, string> = {
    [ListenTag.session]: session.id,
    [ListenTag.bus]: session.busName,
    [ListenTag.listensFor]: session.listensFor,
    [ListenTag.started]: started,
    [ListenTag.heartbeat]: started,
  };
  const { RuleArn } = await clients.events.send(
    new PutRuleCommand({
      Name: session.name,
      EventBusName: session.busName,
      EventPattern: JSON.stringify(session.pattern),
      State: "ENABLED",
      Description: `webhooks listen session ${session.id} (${session.listensFor}): temporary, removed when it stops`,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
    { abortSignal },
  );
  if (!RuleArn) throw new CommandError(`PutRule returned no ARN for ${session.name}`);
  resources.ruleArn = RuleArn;
  resources.targetIds = [];
  const queueArn = queueArnBeside(RuleArn, session.name);

  const { QueueUrl } = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: session.name,
      Attributes: {
        SqsManagedSseEnabled: "true",
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
        MessageRetentionPeriod: String(RETENTION_SECONDS),
        Policy: JSON.stringify(queuePolicy(queueArn, RuleArn)),
      },
      tags,
    }),
    { abortSignal },
  );
  if (!QueueUrl) throw new CommandError(`CreateQueue returned no URL for ${session.name}`);
  resources.queueUrl = QueueUrl;

  // Whether a PutTargets that fails in flight added the target is unknown: removal then lists them.
  resources.targetIds = undefined;
  const { FailedEntries = [] } = await clients.events.send(
    new PutTargetsCommand({
      Rule: session.name,
      EventBusName: session.busName,
      Targets: [{ Id: TARGET_ID, Arn: queueArn }],
    }),
    { abortSignal },
  );
  if (FailedEntries.length > 0) {
    const [failure] = FailedEntries;
    throw new CommandError(`PutTargets failed: ${failure?.ErrorCode} ${failure?.ErrorMessage ?? ""}`.trim());
  }
  resources.targetIds = [TARGET_ID];
}

/** `arn:aws:events:us-east-1:123456789012:rule/bus/x` → `arn:aws:sqs:us-east-1:123456789012:<queue>`. */
function queueArnBeside(ruleArn: string, queueName: string): string {
  const [arn, partition, , region, account] = ruleArn.split(":");
  return [arn, partition, "sqs", region, account, queueName].join(":");
}

/** Only the session's rule may send; nobody may use the queue without TLS. */
export function queuePolicy(queueArn: string, ruleArn: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListenRuleSends",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** Renews the heartbeat tag on the rule and the queue, so a later session sees this one is alive. */
export async function heartbeat(
  clients: ListenClients,
  resources: ListenResources,
  now: number,
  abortSignal: AbortSignal,
): Promise<void> {
  const value = new Date(now).toISOString();
  if (resources.ruleArn) {
    await clients.events.send(
      new TagResourceCommand({
        ResourceARN: resources.ruleArn,
        Tags: [{ Key: ListenTag.heartbeat, Value: value }],
      }),
      { abortSignal },
    );
  }
  if (resources.queueUrl) {
    await clients.sqs.send(
      new TagQueueCommand({ QueueUrl: resources.queueUrl, Tags: { [ListenTag.heartbeat]: value } }),
      { abortSignal },
    );
  }
}

/** What removal did: one line per resource removed, and one per resource left behind with the reason. */
export interface Removal {
  readonly removed: string[];
  readonly failed: string[];
}

/**
 * Removes the rule (its targets first: EventBridge refuses to delete a rule that has any) and the
 * queue, independently: one failure does not keep the other. A resource already gone counts as removed.
 */
export async function removeResources(
  clients: ListenClients,
  busName: string,
  resources: ListenResources,
): Promise<Removal> {
  const removal: Removal = { removed: [], failed: [] };
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      removal.removed.push(what);
    } catch (error) {
      if (isGone(error)) removal.removed.push(what);
      else removal.failed.push(`${what}: ${describeAwsError(error)}`);
    }
  };
  const { name } = resources;
  if (resources.ruleArn) {
    await attempt(`rule ${name}`, async () => {
      const Ids = resources.targetIds ?? (await targetIdsOf(clients.events, name, busName));
      if (Ids.length > 0) {
        const { FailedEntries = [] } = await clients.events.send(
          new RemoveTargetsCommand({ Rule: name, EventBusName: busName, Ids }),
        );
        if (FailedEntries.length > 0) {
          throw new CommandError(`RemoveTargets failed: ${FailedEntries[0]?.ErrorCode ?? "unknown error"}`);
        }
      }
      await clients.events.send(new DeleteRuleCommand({ Name: name, EventBusName: busName }));
    });
  }
  if (resources.queueUrl) {
    const QueueUrl = resources.queueUrl;
    await attempt(`queue ${name}`, () => clients.sqs.send(new DeleteQueueCommand({ QueueUrl })));
  }
  return removal;
}

async function targetIdsOf(events: EventBridgeClient, rule: string, busName: string): Promise<string[]> {
  const { Targets = [] } = await events.send(
    new ListTargetsByRuleCommand({ Rule: rule, EventBusName: busName }),
  );
  return Targets.flatMap((target) => (target.Id ? [target.Id] : []));
}

/** The resource no longer exists (removed by another session's cleanup, or earlier by hand). */
export function isGone(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? "";
  return /ResourceNotFound|QueueDoesNotExist|NonExistentQueue/.test(name);
}
