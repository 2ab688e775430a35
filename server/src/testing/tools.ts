import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Outside tools the tests check our files with (Debian packages: dcmtk, dicom3tools).

/** Whether a program is on the PATH (whatever it answers to --version: dciodvfy exits 1 to it). */
export function hasTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

export const NO_DICOM3TOOLS = "needs dicom3tools (apt-get install dicom3tools): dciodvfy checks a file against its IOD";

/** The errors dicom3tools' dciodvfy finds in a DICOM file against its IOD (it reports them on stderr and exits 0). */
export function iodErrors(bytes: Uint8Array): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-iod-"));
  try {
    const file = path.join(dir, "checked.dcm");
    fs.writeFileSync(file, bytes);
    const report = spawnSync("dciodvfy", [file], { encoding: "utf8" });
    return `${report.stdout}${report.stderr}`.split("\n").filter((l) => l.startsWith("Error"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
