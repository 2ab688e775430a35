// Files as the reader gives them: chosen one by one, as a folder, or dropped (files and folders).
// Each file keeps its path under what was chosen or dropped ("scans/ct1/0001.dcm"): the upload
// names its part by it, so series cases are keyed by their folder and a detached volume header
// finds its data file beside it.

/** Not images and never meant to be: the litter of file managers. */
const LITTER = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$|(^|\/)__MACOSX\//i;

/** The file with its path under the chosen or dropped folder (webkitRelativePath, as a folder picker sets it). */
export function withPath(file: File, path: string): File {
  if (path !== file.name && file.webkitRelativePath !== path) Object.defineProperty(file, "webkitRelativePath", { value: path, configurable: true });
  return file;
}

export const pathOf = (file: File) => (file.webkitRelativePath || file.name).replace(/\\/g, "/");

export const keep = (files: File[]) => files.filter((f) => !LITTER.test(pathOf(f)));

// The parts of the File and Directory Entries API used here (what webkitGetAsEntry answers).
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
}
interface FileEntry extends Entry {
  file(ok: (f: File) => void, fail: (e: unknown) => void): void;
}
interface DirectoryEntry extends Entry {
  createReader(): { readEntries(ok: (entries: Entry[]) => void, fail: (e: unknown) => void): void };
}
export interface DroppedItem {
  kind: string;
  getAsFile(): File | null;
  webkitGetAsEntry?(): Entry | null;
}

/** Every file under an entry, with its path from the dropped item's name down. */
async function filesUnder(entry: Entry, prefix: string): Promise<File[]> {
  const path = `${prefix}${entry.name}`;
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileEntry).file(ok, fail));
    return [withPath(file, path)];
  }
  if (!entry.isDirectory) return [];
  const reader = (entry as DirectoryEntry).createReader();
  const children: Entry[] = [];
  // readEntries answers in batches (100 at a time in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (!batch.length) break;
    children.push(...batch);
  }
  children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const nested = await Promise.all(children.map((c) => filesUnder(c, `${path}/`)));
  return nested.flat();
}

/**
 * The files of a drop, folders walked to their files, in the order dropped. The entries are taken
 * at once: a drop's items are only readable while its event is handled.
 */
export async function droppedFiles(items: ArrayLike<DroppedItem>): Promise<File[]> {
  const taken = Array.from(items)
    .filter((item) => item.kind === "file")
    .map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
  const files = await Promise.all(taken.map(({ entry, file }) => (entry ? filesUnder(entry, "") : Promise.resolve(file ? [file] : []))));
  return keep(files.flat());
}
