import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../platform/database/embedded.js";

// A real Orthanc with its DICOMweb plugin on loopback, on free ports, for interop tests
// (the recipe in shared/docs/ORTHANC.md). Debian's packages: orthanc, orthanc-dicomweb.

export const ORTHANC_BIN = "/usr/sbin/Orthanc";
export const DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
export const hasOrthanc = () => fs.existsSync(ORTHANC_BIN) && fs.existsSync(DICOMWEB_PLUGIN);
export const NO_ORTHANC = "needs Orthanc and its DICOMweb plugin (apt-get install orthanc orthanc-dicomweb; .ci/run installs them)";

export interface OrthancPeer {
  httpUrl: string;
  dicomWebUrl: string;
  dicomPort: number;
  aet: string;
  dir: string;
  stop(): Promise<void>;
}

export interface OrthancOptions {
  /** Peers Orthanc may C-MOVE to or C-ECHO, by name: { AET, Host, Port }. */
  modalities?: Record<string, { AET: string; Host: string; Port: number }>;
}

export async function startOrthanc(opts: OrthancOptions = {}): Promise<OrthancPeer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-orthanc-"));
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const config = {
    Name: "concord-test",
    StorageDirectory: path.join(dir, "storage"),
    IndexDirectory: path.join(dir, "index"),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: "ORTHANC",
    DicomCheckCalledAet: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpDescribeErrors: true,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: "/dicom-web/", EnableWado: true, WadoRoot: "/wado", Ssl: false },
    DicomModalities: opts.modalities ?? {},
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowGet: true,
    DicomAlwaysAllowMove: true,
    OverwriteInstances: true,
    SaveJobs: false,
    StableAge: 2,
    LuaScripts: [],
    ConcurrentJobs: 2,
  };
  fs.mkdirSync(config.StorageDirectory);
  fs.mkdirSync(config.IndexDirectory);
  fs.writeFileSync(path.join(dir, "orthanc.json"), JSON.stringify(config, null, 2));
  // DCMTK-based tools keep Nagle's algorithm on unless told otherwise: every C-STORE would stall.
  const child: ChildProcess = spawn(ORTHANC_BIN, [`--logfile=${path.join(dir, "orthanc.log")}`, path.join(dir, "orthanc.json")], {
    env: { ...process.env, TCP_NODELAY: "1" },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = fs.existsSync(path.join(dir, "orthanc.log")) ? fs.readFileSync(path.join(dir, "orthanc.log"), "utf8").slice(-2000) : "";
      await stop();
      throw new Error(`Orthanc exited at start (code ${child.exitCode}):\n${log}`);
    }
    try {
      const res = await fetch(`${httpUrl}/plugins`);
      if (res.ok) {
        const plugins = (await res.json()) as string[];
        if (!plugins.includes("dicom-web")) {
          await stop();
          throw new Error(`Orthanc started without its DICOMweb plugin (${DICOMWEB_PLUGIN})`);
        }
        break;
      }
    } catch (err) {
      if ((err as Error).message.startsWith("Orthanc started without")) throw err;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error("Orthanc did not answer within 20 s");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { httpUrl, dicomWebUrl: `${httpUrl}/dicom-web`, dicomPort, aet: "ORTHANC", dir, stop };
}
