import { unzip, type Unzipped } from "fflate";

// Zip archives in an upload are opened and their files ingested one by one, as if uploaded
// singly. Limits keep a hostile archive (a zip bomb, a million tiny entries) from exhausting
// memory; a broken archive is refused as one file, the rest of the batch still goes in.

export interface ArchiveLimits {
  maxEntries: number;
  maxTotalBytes: number;
}

/** A file to prepare, or one already decided: refused, or ignored (read, and rightly not stored on its own). */
export type Expanded = { name: string; bytes: Uint8Array } | { name: string; refused: string } | { name: string; ignored: string };

export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

const skipped = (path: string) => path.endsWith("/") || path.startsWith("__MACOSX/") || /(^|\/)\.DS_Store$/.test(path) || /(^|\/)Thumbs\.db$/i.test(path);

export async function expandArchives(files: Array<{ name: string; bytes: Uint8Array }>, limits: ArchiveLimits): Promise<Expanded[]> {
  const out: Expanded[] = [];
  for (const file of files) {
    if (!isZip(file.bytes)) {
      out.push(file);
      continue;
    }
    let entries = 0;
    let total = 0;
    let problem: string | null = null;
    let unzipped: Unzipped;
    try {
      unzipped = await new Promise<Unzipped>((resolve, reject) =>
        unzip(
          file.bytes,
          {
            filter: (entry) => {
              if (skipped(entry.name)) return false;
              entries++;
              total += entry.originalSize;
              if (entries > limits.maxEntries) problem ??= `more than ${limits.maxEntries} files`;
              else if (total > limits.maxTotalBytes) problem ??= `unpacks to more than ${limits.maxTotalBytes} bytes`;
              return problem === null;
            },
          },
          (err, data) => (err ? reject(err) : resolve(data)),
        ),
      );
    } catch (err) {
      out.push({ name: file.name, refused: `${file.name}: not a readable zip archive (${(err as Error).message})` });
      continue;
    }
    if (problem) {
      out.push({ name: file.name, refused: `${file.name}: archive refused: ${problem}` });
      continue;
    }
    for (const [path, bytes] of Object.entries(unzipped).sort(([a], [b]) => a.localeCompare(b))) {
      out.push({ name: `${file.name}/${path}`, bytes });
    }
  }
  return out;
}
