import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { assertSafeKey, type BlobStore } from "./store.js";

/** How many folders a store remembers having made; most uploads put many files in one series folder. */
const KNOWN_FOLDERS = 256;

// Files under <dataDir>/dicom, written to a temporary name and renamed into place.
export class LocalBlobStore implements BlobStore {
  readonly kind = "local" as const;
  /** Folders made lately, oldest first: a file goes into one of them without making it again. */
  private readonly folders = new Set<string>();

  constructor(private readonly root: string) {}

  private file(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.file(key);
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) await this.made(folder);
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await fs.writeFile(tmp, bytes, { flag: "wx" }).catch(async (err: NodeJS.ErrnoException) => {
        // The folder went away since it was made (removed by hand, say): make it again, once.
        if (err.code !== "ENOENT") throw err;
        await this.made(folder);
        await fs.writeFile(tmp, bytes, { flag: "wx" });
      });
      await fs.rename(tmp, target);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  private async made(folder: string): Promise<void> {
    await fs.mkdir(folder, { recursive: true });
    this.folders.delete(folder);
    this.folders.add(folder);
    if (this.folders.size > KNOWN_FOLDERS) this.folders.delete(this.folders.values().next().value!);
  }

  get(key: string): Promise<Buffer> {
    return fs.readFile(this.file(key));
  }

  async has(key: string): Promise<boolean> {
    return fs.access(this.file(key)).then(
      () => true,
      () => false,
    );
  }

  async delete(key: string): Promise<boolean> {
    await fs.rm(this.file(key), { force: true });
    return true;
  }
}
