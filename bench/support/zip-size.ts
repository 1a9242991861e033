import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { deflateRawSync } from "node:zlib";

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_OF_DIRECTORY = 22;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

export interface ZipFigures {
  readonly files: number;
  readonly rawBytes: number;
  readonly zipBytes: number;
}

/**
 * The size of a deflate zip of a directory, as archive_file writes it: per file a local header, the
 * deflated bytes (or the stored bytes when deflate does not help) and a central directory entry.
 */
export function zipSize(dir: string): ZipFigures {
  let rawBytes = 0;
  let zipBytes = END_OF_DIRECTORY;
  const files = filesUnder(dir);
  for (const file of files) {
    const bytes = readFileSync(file);
    const name = Buffer.byteLength(relative(dir, file));
    rawBytes += bytes.byteLength;
    zipBytes +=
      LOCAL_HEADER + CENTRAL_HEADER + 2 * name + Math.min(bytes.byteLength, deflateRawSync(bytes).byteLength);
  }
  return { files: files.length, rawBytes, zipBytes };
}
