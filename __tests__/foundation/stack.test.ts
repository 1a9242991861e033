import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaLayerVersion } from "@cdktf/provider-aws/lib/lambda-layer-version";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { resourcesOf, synthStack } from "../support/synth";

const { json, doc } = synthStack({ tags: { CostCenter: "platform" } });

describe("providers", () => {
  test("the AWS provider tags everything with Environment, Service and the configured tags", () => {
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      default_tags: [{ tags: { CostCenter: "platform", Environment: "dev", Service: "webhooks" } }],
    });
  });

  test("the archive provider is configured for the function zips", () => {
    expect(doc.provider.archive).toBeDefined();
  });
});

describe("platform key", () => {
  test("is a rotating, enabled symmetric key", () => {
    expect(json).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      is_enabled: true,
      key_usage: "ENCRYPT_DECRYPT",
      customer_master_key_spec: "SYMMETRIC_DEFAULT",
      deletion_window_in_days: 7,
    });
  });

  test("waits the maximum 30 days before deletion in production", () => {
    expect(synthStack({ environment: "prod", production: true }).json).toHaveResourceWithProperties(KmsKey, {
      deletion_window_in_days: 30,
    });
  });

  test("has an alias from the naming module", () => {
    expect(json).toHaveResourceWithProperties(KmsAlias, { name: "alias/whk-dev-data" });
  });

  test("its policy keeps the account-root administration statement", () => {
    const [[, policy]] = resourcesOf(doc, "aws_kms_key_policy");
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements[0]).toEqual(
      expect.objectContaining({ Sid: "AccountAdministration", Action: "kms:*", Resource: "*" }),
    );
    expect(statements[0].Principal.AWS).toMatch(
      /^arn:\$\{data\.aws_partition\..*\}:iam::\$\{data\.aws_caller_identity\..*\}:root$/,
    );
  });
});

describe("shared layer", () => {
  test("is published for the function runtime and architecture", () => {
    expect(json).toHaveResourceWithProperties(LambdaLayerVersion, {
      layer_name: "whk-dev-shared",
      compatible_runtimes: ["nodejs24.x"],
      compatible_architectures: ["arm64"],
    });
  });

  test("is zipped with fixed file modes so its hash depends on content only", () => {
    expect(json).toHaveDataSourceWithProperties(DataArchiveFile, { type: "zip", output_file_mode: "0644" });
    const [[, layer]] = resourcesOf(doc, "aws_lambda_layer_version");
    expect(layer.source_code_hash).toMatch(/^\$\{data\.archive_file\..*\.output_base64sha256\}$/);
  });
});

test("outputs name the key and layer for operators", () => {
  expect(Object.keys(doc.output)).toEqual(
    expect.arrayContaining(["kms_key_arn", "kms_key_alias", "shared_layer_arn"]),
  );
});

test("fifoIngestQueue makes the ingest queue and its DLQ FIFO", () => {
  const fifo = synthStack({ fifoIngestQueue: true });
  const fifoQueues = resourcesOf(fifo.doc, "aws_sqs_queue").filter(([, queue]) => queue.fifo_queue === true);
  expect(fifoQueues.map(([, queue]) => queue.name).sort()).toEqual([
    "whk-dev-ingest-dlq.fifo",
    "whk-dev-ingest.fifo",
  ]);
});
