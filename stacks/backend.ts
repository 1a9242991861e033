import { posix, relative, resolve } from "node:path";
import { App, LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { BackendConfig } from "./config";

/** The state objects' key prefix in an S3 backend when the configuration names none. */
export const DEFAULT_STATE_KEY_PREFIX = "webhooks";

/**
 * Gives a stack its own state, named after its stack id, so no two stacks (an environment and its
 * PR copies, the regional stack) ever read or write the same state:
 * - local: `<directory>/terraform.<stack id>.tfstate`, with the directory relative to `projectRoot`
 *   and written relative to the stack's working directory (`<outdir>/stacks/<id>`), where Terraform
 *   runs; the file stays outside `cdktf.out`, so a clean build never deletes a deployed stack's state;
 * - s3: `<keyPrefix>/<stack id>.tfstate`, encrypted, with S3-native locking (Terraform ≥ 1.10).
 */
export function configureBackend(
  stack: TerraformStack,
  backend: BackendConfig,
  projectRoot: string = process.cwd(),
): void {
  const id = stack.node.id;
  if (backend.type === "local") {
    const stackDir = resolve(App.of(stack).outdir, "stacks", id);
    const stateFile = resolve(projectRoot, backend.directory ?? ".", `terraform.${id}.tfstate`);
    new LocalBackend(stack, { path: relative(stackDir, stateFile) });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: posix.join(backend.keyPrefix ?? DEFAULT_STATE_KEY_PREFIX, `${id}.tfstate`),
    region: backend.region,
    encrypt: true,
  });
  // cdktf 0.21's S3Backend has no useLockfile; S3-native locking needs Terraform ≥ 1.10.
  s3.addOverride("use_lockfile", true);
}
