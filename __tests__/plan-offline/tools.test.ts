import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareVersions } from "../../scripts/plan-offline/substitutions";
import {
  cliConfiguration,
  findAwsProviderMirror,
  findOnPath,
  MIRROR_ENV,
  mirrorCandidates,
} from "../../scripts/plan-offline/tools";

const PLATFORM = "linux_amd64";

function mirrorWith(...layouts: Array<readonly ["unpacked" | "packed", string, string]>): string {
  const mirror = mkdtempSync(join(tmpdir(), "mirror-"));
  const awsDir = join(mirror, "registry.terraform.io", "hashicorp", "aws");
  mkdirSync(awsDir, { recursive: true });
  for (const [layout, version, platform] of layouts) {
    if (layout === "packed") {
      writeFileSync(join(awsDir, `terraform-provider-aws_${version}_${platform}.zip`), "");
    } else {
      mkdirSync(join(awsDir, version, platform), { recursive: true });
      writeFileSync(join(awsDir, version, platform, `terraform-provider-aws_v${version}_x5`), "");
    }
  }
  return mirror;
}

test("an unpacked mirror is found with its version", () => {
  const mirror = mirrorWith(["unpacked", "5.100.0", PLATFORM]);
  expect(findAwsProviderMirror([mirror], PLATFORM)).toEqual({ path: mirror, version: "5.100.0" });
});

test("a packed mirror is found with its version", () => {
  const mirror = mirrorWith(["packed", "5.90.1", PLATFORM]);
  expect(findAwsProviderMirror([mirror], PLATFORM)).toEqual({ path: mirror, version: "5.90.1" });
});

test("the newest version for this platform wins; builds for other platforms are ignored", () => {
  const mirror = mirrorWith(
    ["unpacked", "5.99.0", PLATFORM],
    ["unpacked", "5.100.0", PLATFORM],
    ["unpacked", "6.25.0", "darwin_arm64"],
    ["packed", "6.0.0", "windows_amd64"],
  );
  expect(findAwsProviderMirror([mirror], PLATFORM)?.version).toBe("5.100.0");
});

test("candidates are tried in order and a directory without the provider is passed over", () => {
  const empty = mkdtempSync(join(tmpdir(), "mirror-"));
  const mirror = mirrorWith(["unpacked", "5.100.0", PLATFORM]);
  expect(findAwsProviderMirror(["/does/not/exist", empty, mirror], PLATFORM)?.path).toBe(mirror);
  expect(findAwsProviderMirror(["/does/not/exist", empty], PLATFORM)).toBeUndefined();
});

test(`${MIRROR_ENV} replaces the default mirror locations`, () => {
  expect(mirrorCandidates({ [MIRROR_ENV]: "/srv/mirror", HOME: "/home/me" })).toEqual(["/srv/mirror"]);
  expect(mirrorCandidates({ HOME: "/home/me" })).toContain("/home/me/.terraform.d/plugins");
});

test("release numbers compare numerically", () => {
  expect(compareVersions("5.99.0", "5.100.0")).toBeLessThan(0);
  expect(compareVersions("5.100.0", "6.25.0")).toBeLessThan(0);
  expect(compareVersions("6.25.0", "6.25.0")).toBe(0);
});

test("a program is found on PATH only where it is executable", () => {
  const plain = mkdtempSync(join(tmpdir(), "path-"));
  const executable = mkdtempSync(join(tmpdir(), "path-"));
  writeFileSync(join(plain, "terraform"), "");
  writeFileSync(join(executable, "terraform"), "");
  chmodSync(join(executable, "terraform"), 0o755);
  expect(findOnPath("terraform", { PATH: `${plain}:${executable}` })).toBe(join(executable, "terraform"));
  expect(findOnPath("terraform", { PATH: plain })).toBeUndefined();
});

test("the CLI configuration installs only hashicorp/aws, from the mirror, and no provider from a registry", () => {
  const config = cliConfiguration("/opt/tf-plugins");
  expect(config).toContain('path    = "/opt/tf-plugins"');
  expect(config).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
  expect(config).toContain('exclude = ["registry.terraform.io/*/*"]');
});
