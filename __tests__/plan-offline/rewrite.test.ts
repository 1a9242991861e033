import { createHash } from "node:crypto";
import { RewriteError, rewriteForOfflinePlan } from "../../scripts/plan-offline/rewrite";
import { SUBSTITUTIONS, substitutionLabel } from "../../scripts/plan-offline/substitutions";

const MIRROR = { awsProviderVersion: "5.100.0" };
const EMPTY_SHA256_BASE64 = createHash("sha256").update("").digest("base64");

/** The parts of a synthesized document the rewrite reads, as cdktf writes them. */
function synthesized(resource: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    "//": { metadata: { stackName: "webhooks-test", version: "0.21.0" } },
    terraform: {
      backend: { s3: { bucket: "state", key: "test.tfstate", region: "eu-central-1", encrypt: true } },
      required_providers: {
        archive: { source: "hashicorp/archive", version: "2.7.1" },
        aws: { source: "aws", version: "6.25.0" },
      },
    },
    provider: {
      archive: [{}],
      aws: [{ region: "eu-central-1", default_tags: [{ tags: { Service: "webhooks" } }] }],
    },
    data: {
      archive_file: {
        validator_zip: { output_path: "dist/validator-ABC.zip", source_dir: "assets/validator", type: "zip" },
      },
      aws_caller_identity: { account: {} },
      aws_partition: { partition: {} },
    },
    resource,
    ...extra,
  };
}

const ACCOUNT = `\${data.aws_caller_identity.account.account_id}`;
const PARTITION = `\${data.aws_partition.partition.partition}`;

describe("each substitution row rewrites what the 5.x provider rejects and is reported", () => {
  const cases: Record<string, { type: string; attribute: string; before: unknown; after: unknown }> = {
    "aws_lambda_function.runtime nodejs24.x→nodejs22.x": {
      type: "aws_lambda_function",
      attribute: "runtime",
      before: "nodejs24.x",
      after: "nodejs22.x",
    },
    "aws_lambda_layer_version.compatible_runtimes nodejs24.x→nodejs22.x": {
      type: "aws_lambda_layer_version",
      attribute: "compatible_runtimes",
      before: ["nodejs20.x", "nodejs24.x"],
      after: ["nodejs20.x", "nodejs22.x"],
    },
    "aws_sqs_queue.max_message_size >262144→262144": {
      type: "aws_sqs_queue",
      attribute: "max_message_size",
      before: 1_048_576,
      after: 262_144,
    },
    "aws_cloudwatch_event_archive.kms_key_identifier removed": {
      type: "aws_cloudwatch_event_archive",
      attribute: "kms_key_identifier",
      before: `\${aws_kms_key.key.arn}`,
      after: undefined,
    },
  };

  test("every row of the table has a case here", () => {
    expect(SUBSTITUTIONS.map(substitutionLabel).sort()).toEqual(Object.keys(cases).sort());
  });

  test.each(Object.entries(cases))("%s", (label, { type, attribute, before, after }) => {
    const doc = synthesized({
      [type]: { first: { name: "a", [attribute]: before }, second: { name: "b", [attribute]: before } },
    });
    const { doc: rewritten, substitutions } = rewriteForOfflinePlan(doc, MIRROR);
    const resources = (rewritten.resource as Record<string, Record<string, Record<string, unknown>>>)[type]!;
    for (const id of ["first", "second"]) {
      expect(resources[id]![attribute]).toEqual(after);
      expect(resources[id]!.name).toBe(id === "first" ? "a" : "b");
    }
    expect(substitutions).toEqual([{ label, count: 2, why: expect.stringContaining("5.x") }]);
  });
});

test("values the 5.x provider accepts are left and no substitution is reported", () => {
  const resource = {
    aws_lambda_function: { fn: { runtime: "nodejs22.x" } },
    aws_lambda_layer_version: { layer: { compatible_runtimes: ["nodejs22.x"] } },
    aws_sqs_queue: { queue: { max_message_size: 262_144 } },
  };
  const { doc, substitutions } = rewriteForOfflinePlan(synthesized(resource), MIRROR);
  expect(doc.resource).toEqual(resource);
  expect(substitutions).toEqual([]);
});

test("a mirror at the synthesized provider version gets no substitution", () => {
  const resource = { aws_lambda_function: { fn: { runtime: "nodejs24.x" } } };
  const { doc, substitutions } = rewriteForOfflinePlan(synthesized(resource), {
    awsProviderVersion: "6.25.0",
  });
  expect(doc.resource).toEqual(resource);
  expect(substitutions).toEqual([]);
});

test("only aws stays a required provider, pinned to the mirror's version", () => {
  const { doc } = rewriteForOfflinePlan(synthesized(), MIRROR);
  expect(doc.terraform).toEqual({
    required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } },
    backend: { local: { path: "terraform.tfstate" } },
  });
});

test("the archive provider block is dropped and the aws blocks get fake credentials that are never checked", () => {
  const { doc } = rewriteForOfflinePlan(synthesized(), MIRROR);
  expect(doc.provider).toEqual({
    aws: [
      {
        region: "eu-central-1",
        default_tags: [{ tags: { Service: "webhooks" } }],
        access_key: expect.any(String),
        secret_key: expect.any(String),
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      },
    ],
  });
});

test("every aws provider block, aliases included, loses the settings that would look for real credentials", () => {
  const doc = synthesized();
  doc.provider.aws.push({
    alias: "use1",
    region: "us-east-1",
    profile: "deploy",
    assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/deploy" }],
  } as never);
  const aws = rewriteForOfflinePlan(doc, MIRROR).doc.provider as { aws: Array<Record<string, unknown>> };
  expect(aws.aws[1]).toMatchObject({ alias: "use1", region: "us-east-1", skip_requesting_account_id: true });
  expect(aws.aws[1]).not.toHaveProperty("profile");
  expect(aws.aws[1]).not.toHaveProperty("assume_role");
});

test("a local backend is also replaced by one in the work directory", () => {
  const doc = synthesized();
  (doc.terraform as Record<string, unknown>).backend = { local: { path: "terraform.webhooks-dev.tfstate" } };
  expect(rewriteForOfflinePlan(doc, MIRROR).doc.terraform).toMatchObject({
    backend: { local: { path: "terraform.tfstate" } },
  });
});

test("archive, caller identity and partition data sources are removed and their whole references become literals", () => {
  const { doc } = rewriteForOfflinePlan(
    synthesized({
      aws_lambda_function: {
        fn: {
          filename: `\${data.archive_file.validator_zip.output_path}`,
          source_code_hash: `\${data.archive_file.validator_zip.output_base64sha256}`,
          description: ACCOUNT,
          tags: { Partition: PARTITION },
        },
      },
    }),
    MIRROR,
  );
  expect(doc).not.toHaveProperty("data");
  expect(doc.resource).toEqual({
    aws_lambda_function: {
      fn: {
        filename: "dist/validator-ABC.zip",
        source_code_hash: EMPTY_SHA256_BASE64,
        description: "123456789012",
        tags: { Partition: "aws" },
      },
    },
  });
});

test("references embedded in longer strings and in expressions are replaced, other references kept", () => {
  const { doc } = rewriteForOfflinePlan(
    synthesized(
      {
        aws_sns_topic_policy: {
          policy: {
            arn: `arn:${PARTITION}:sns:eu-central-1:${ACCOUNT}:alarms`,
            policy: `\${jsonencode({ Resource = "arn:\${data.aws_partition.partition.partition}:s3:::\${aws_s3_bucket.b.bucket}/*", Account = data.aws_caller_identity.account.account_id })}`,
            topic: `\${aws_sns_topic.alarms.arn}`,
          },
        },
      },
      { output: { topic: { value: `arn:${PARTITION}:sns:eu-central-1:${ACCOUNT}:alarms` } } },
    ),
    MIRROR,
  );
  expect(doc.resource).toEqual({
    aws_sns_topic_policy: {
      policy: {
        arn: "arn:aws:sns:eu-central-1:123456789012:alarms",
        policy: `\${jsonencode({ Resource = "arn:\${"aws"}:s3:::\${aws_s3_bucket.b.bucket}/*", Account = "123456789012" })}`,
        topic: `\${aws_sns_topic.alarms.arn}`,
      },
    },
  });
  expect(doc.output).toEqual({ topic: { value: "arn:aws:sns:eu-central-1:123456789012:alarms" } });
});

test("depends_on entries naming a removed data source are dropped, the others kept", () => {
  const { doc } = rewriteForOfflinePlan(
    synthesized({
      aws_lambda_function: {
        fn: { depends_on: ["data.archive_file.validator_zip", "aws_iam_role_policy.policy"] },
      },
    }),
    MIRROR,
  );
  expect(doc.resource).toEqual({
    aws_lambda_function: { fn: { depends_on: ["aws_iam_role_policy.policy"] } },
  });
});

test("data sources without a stand-in stay in the document and are reported", () => {
  const doc = synthesized();
  (doc.data as Record<string, unknown>).aws_iam_policy_document = {
    trust: { statement: [{ actions: ["sts:*"] }] },
  };
  const rewrite = rewriteForOfflinePlan(doc, MIRROR);
  expect(rewrite.doc.data).toEqual({
    aws_iam_policy_document: { trust: { statement: [{ actions: ["sts:*"] }] } },
  });
  expect(rewrite.keptDataSources).toEqual(["data.aws_iam_policy_document.trust"]);
});

test("an attribute of a removed data source without a stand-in literal is an error naming it", () => {
  const doc = synthesized({
    aws_s3_bucket: { b: { bucket: `\${data.aws_caller_identity.account.principal}` } },
  });
  expect(() => rewriteForOfflinePlan(doc, MIRROR)).toThrow(
    new RewriteError(
      "data.aws_caller_identity.account.principal has no offline stand-in; add the attribute to STAND_INS in scripts/plan-offline/stand-ins.ts",
    ),
  );
});

test("a required provider that is neither mirrored nor stood in is an error naming it", () => {
  const doc = synthesized();
  (doc.terraform.required_providers as Record<string, unknown>).random = { source: "hashicorp/random" };
  expect(() => rewriteForOfflinePlan(doc, MIRROR)).toThrow(/required provider "random" is neither mirrored/);
});

test("nothing outside the provider, backend and data parts changes in a document without 6.x-only values", () => {
  const resource = {
    aws_sqs_queue: { queue: { name: "whk-dev-ingest", max_message_size: 262_144, tags: { a: "b" } } },
    aws_cloudwatch_event_archive: { archive: { name: "whk-dev-archive", retention_days: 30 } },
    aws_sqs_queue_policy: { policy: { queue_url: `\${aws_sqs_queue.queue.url}`, policy: "{}" } },
  };
  const output = { queue_url: { value: `\${aws_sqs_queue.queue.url}`, description: "ingest queue" } };
  const doc = synthesized(resource, { output });
  const { doc: rewritten } = rewriteForOfflinePlan(doc, MIRROR);
  expect(Object.keys(rewritten).sort()).toEqual(["//", "output", "provider", "resource", "terraform"]);
  expect(rewritten["//"]).toEqual(doc["//"]);
  expect(rewritten.resource).toEqual(resource);
  expect(rewritten.output).toEqual(output);
});

test("the synthesized document itself is not modified", () => {
  const doc = synthesized({
    aws_lambda_function: {
      fn: { runtime: "nodejs24.x", filename: `\${data.archive_file.validator_zip.output_path}` },
    },
  });
  const before = structuredClone(doc);
  rewriteForOfflinePlan(doc, MIRROR);
  expect(doc).toEqual(before);
});
