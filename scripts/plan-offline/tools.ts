/**
 * The tools an offline plan needs: `terraform` on PATH and a filesystem mirror holding a
 * hashicorp/aws provider build for this platform.
 */
import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { compareVersions } from "./substitutions";

/** Overrides where the provider mirror is looked for. */
export const MIRROR_ENV = "WEBHOOK_TF_PROVIDER_MIRROR";

export interface ProviderMirror {
  /** The directory to name as `filesystem_mirror { path }`. */
  readonly path: string;
  readonly version: string;
}

export function findOnPath(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** `$WEBHOOK_TF_PROVIDER_MIRROR` alone when set, else Terraform's implied mirror directories and /opt/tf-plugins. */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env[MIRROR_ENV];
  if (override) return [override];
  const home = env.HOME ?? homedir();
  return [
    "/opt/tf-plugins",
    join(home, ".terraform.d", "plugins"),
    join(home, ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
}

/** The first candidate holding hashicorp/aws for `platform`, with its newest version there. */
export function findAwsProviderMirror(
  candidates: readonly string[],
  platform: string = terraformPlatform(),
): ProviderMirror | undefined {
  for (const path of candidates) {
    const versions = awsVersionsIn(path, platform).sort(compareVersions);
    const newest = versions.at(-1);
    if (newest) return { path, version: newest };
  }
  return undefined;
}

/**
 * Versions of hashicorp/aws in a mirror directory, in either layout Terraform reads: unpacked
 * (`<version>/<platform>/terraform-provider-aws…`) or packed (`terraform-provider-aws_<version>_<platform>.zip`).
 */
function awsVersionsIn(mirror: string, platform: string): string[] {
  const providerDir = join(mirror, "registry.terraform.io", "hashicorp", "aws");
  if (!existsSync(providerDir)) return [];
  const versions: string[] = [];
  for (const entry of readdirSync(providerDir)) {
    const packed = /^terraform-provider-aws_(.+)_([a-z0-9]+_[a-z0-9]+)\.zip$/.exec(entry);
    if (packed) {
      if (packed[2] === platform) versions.push(packed[1]!);
      continue;
    }
    const platformDir = join(providerDir, entry, platform);
    if (
      existsSync(platformDir) &&
      readdirSync(platformDir).some((file) => file.startsWith("terraform-provider-aws"))
    ) {
      versions.push(entry);
    }
  }
  return versions;
}

/** Terraform's name for this machine's platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch =
    { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" }[process.arch as string] ?? process.arch;
  return `${os}_${arch}`;
}

/** A CLI configuration that installs hashicorp/aws from the mirror and never reaches a registry. */
export function cliConfiguration(mirrorPath: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirrorPath)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
`;
}
