import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { type BundledFile, stageFiles } from "./bundle";

export interface ZipPackageProps {
  /** Names the staging directory and the zip, e.g. `validator`. */
  readonly label: string;
  readonly files: readonly BundledFile[];
}

/**
 * Files as a Lambda deployment zip: a TerraformAsset (copied into the stack's output folder) zipped
 * by the archive provider with a fixed file mode, so the zip and `source_code_hash` depend on the
 * content only (the provider zeroes file times; the mode removes the machine's umask).
 */
export class ZipPackage extends Construct {
  /** The zip's path, for `filename`. */
  readonly path: string;
  /** Base64 SHA-256 of the zip, for `source_code_hash`. */
  readonly base64Sha256: string;
  /** The staged directory the zip is made of, named by its content's hash. */
  readonly dir: string;

  constructor(scope: Construct, id: string, props: ZipPackageProps) {
    super(scope, id);
    const staged = stageFiles(props.label, props.files);
    this.dir = staged.dir;
    const asset = new TerraformAsset(this, "content", {
      path: staged.dir,
      type: AssetType.DIRECTORY,
      assetHash: staged.hash,
    });
    const zip = new DataArchiveFile(this, "zip", {
      type: "zip",
      sourceDir: asset.path,
      outputPath: `dist/${props.label}-${asset.assetHash}.zip`,
      outputFileMode: "0644",
    });
    this.path = zip.outputPath;
    this.base64Sha256 = zip.outputBase64Sha256;
  }
}
