#!/usr/bin/env node
// Ingest throughput: STOW-RS into Concord (parse, de-identify, re-write, store, index), with the
// local store and with an external DICOMweb store (Orthanc), against STOW-RS straight into the
// same Orthanc as the baseline. Everything runs here, on loopback, in one run: Concord as
// `concord start` (embedded PostgreSQL, temporary data dir) and Orthanc with its DICOMweb plugin.
//
//   npm run build && npm run bench:ingest
//
// Knobs (environment): BENCH_INSTANCES (200), BENCH_PARALLEL (4), BENCH_PER_REQUEST (5), BENCH_REPS (3),
// BENCH_PIXELS (64: rows and columns of each slice; 512 is a typical CT slice), BENCH_CPU.
// See bench/README.md for what is measured and how to read the table.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { children, freePort, int, log, root, startConcord, stopAll, waitFor } from "./lib.mjs";

const require = createRequire(path.join(root, "package.json"));

const N = int("BENCH_INSTANCES", 200);
const PARALLEL = int("BENCH_PARALLEL", 4);
const PER_REQUEST = int("BENCH_PER_REQUEST", 5);
const REPS = int("BENCH_REPS", 3);
const PIXELS = int("BENCH_PIXELS", 64);
const WARMUP = int("BENCH_WARMUP", Math.min(N, 40));

/** Always the embedded default here; BENCH_CONCORD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles Concord's process. */
const CONCORD_NODE_ARGS = (process.env.BENCH_CONCORD_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);

const ORTHANC_BIN = "/usr/sbin/Orthanc";
const DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";




// ---------------------------------------------------------------- processes




/** Orthanc with its DICOMweb plugin on loopback, configured as server/src/testing/orthanc.ts does. */
async function startOrthanc(dir) {
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const config = {
    Name: "concord-bench",
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
    DicomModalities: {},
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
  fs.mkdirSync(config.StorageDirectory, { recursive: true });
  fs.mkdirSync(config.IndexDirectory, { recursive: true });
  fs.writeFileSync(path.join(dir, "orthanc.json"), JSON.stringify(config, null, 2));
  const logFile = path.join(dir, "orthanc.log");
  const child = spawn(ORTHANC_BIN, [`--logfile=${logFile}`, path.join(dir, "orthanc.json")], {
    env: { ...process.env, TCP_NODELAY: "1" },
    stdio: "ignore",
  });
  children.push(child);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitFor(
    "Orthanc",
    child,
    async () => {
      const res = await fetch(`${httpUrl}/plugins`);
      if (!res.ok) return false;
      const plugins = await res.json();
      if (!plugins.includes("dicom-web")) throw new Error(`Orthanc started without its DICOMweb plugin (${DICOMWEB_PLUGIN})`);
      return true;
    },
    20_000,
    logFile,
  );
  return { child, httpUrl, dicomWebUrl: `${httpUrl}/dicom-web` };
}


// ---------------------------------------------------------------- Concord's API

async function gql(url, query, variables, auth) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return { data: body.data, cookie: res.headers.get("set-cookie")?.split(";")[0] };
}

async function setUpConcord(url, orthancDicomWebUrl) {
  const email = `bench-${randomBytes(4).toString("hex")}@example.org`;
  const { cookie } = await gql(url, `mutation($input: SignUpInput!) { signUp(input: $input) { id } }`, {
    input: { email, password: "a long ingest passphrase 42", name: "Throughput" },
  });
  const { data } = await gql(url, `mutation { createApiToken(input: { name: "bench" }) { token } }`, {}, { cookie });
  const auth = { authorization: `Bearer ${data.createApiToken.token}` };
  const project = async (name) => (await gql(url, `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, { input: { name } }, auth)).data.createProject.id;
  const local = await project("Bench: local store");
  const external = await project("Bench: Orthanc store");
  await gql(
    url,
    `mutation($projectId: ID!, $input: ExternalStoreInput!) { setExternalStore(projectId: $projectId, input: $input) { baseUrl } }`,
    { projectId: external, input: { baseUrl: orthancDicomWebUrl, auth: "NONE" } },
    auth,
  );
  return { auth, local, external };
}

// ---------------------------------------------------------------- synthetic CT

const dcmjs = require("dcmjs");
dcmjs.log?.setLevel?.("error");
const { DicomDict, DicomMetaDictionary } = dcmjs.data;
const uid = () => `2.25.${BigInt(`0x${randomBytes(16).toString("hex")}`).toString()}`;

/** One series of `n` PIXELS×PIXELS 12-in-16-bit CT slices with fresh UIDs and identifying attributes to remove. */
function syntheticSeries(n, tag) {
  const study = uid();
  const series = uid();
  const files = [];
  for (let i = 0; i < n; i++) {
    const sop = uid();
    const px = new Uint16Array(PIXELS * PIXELS);
    for (let p = 0; p < px.length; p++) px[p] = (1024 + ((p * 7 + i * 13) % 400)) & 0x0fff;
    const meta = DicomMetaDictionary.denaturalizeDataset({
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
      MediaStorageSOPInstanceUID: sop,
      TransferSyntaxUID: "1.2.840.10008.1.2.1",
      ImplementationClassUID: "2.25.1",
    });
    const dict = DicomMetaDictionary.denaturalizeDataset({
      SpecificCharacterSet: "ISO_IR 100",
      ImageType: ["ORIGINAL", "PRIMARY", "AXIAL"],
      SOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
      SOPInstanceUID: sop,
      StudyDate: "20240102",
      StudyTime: "101500",
      AccessionNumber: `ACC${tag}`,
      Modality: "CT",
      Manufacturer: "Bench",
      InstitutionName: "Bench General Hospital",
      ReferringPhysicianName: "Doe^Referrer",
      StudyDescription: "Chest CT",
      SeriesDescription: "Axial 5 mm",
      PatientName: `Bench^Patient${tag}`,
      PatientID: `BENCH${tag}`,
      PatientBirthDate: "19600101",
      PatientSex: "O",
      SliceThickness: "5",
      KVP: "120",
      StudyInstanceUID: study,
      SeriesInstanceUID: series,
      StudyID: "1",
      SeriesNumber: "2",
      InstanceNumber: String(i + 1),
      ImagePositionPatient: ["-160", "-160", String(-5 * i)],
      ImageOrientationPatient: ["1", "0", "0", "0", "1", "0"],
      FrameOfReferenceUID: uid(),
      SliceLocation: String(-5 * i),
      SamplesPerPixel: 1,
      PhotometricInterpretation: "MONOCHROME2",
      Rows: PIXELS,
      Columns: PIXELS,
      PixelSpacing: ["5", "5"],
      BitsAllocated: 16,
      BitsStored: 12,
      HighBit: 11,
      PixelRepresentation: 0,
      WindowCenter: "40",
      WindowWidth: "400",
      RescaleIntercept: "-1024",
      RescaleSlope: "1",
      PixelData: [px.buffer],
      _vrMap: { PixelData: "OW" },
    });
    const d = new DicomDict(meta);
    d.dict = dict;
    files.push({ name: `${tag}-${String(i + 1).padStart(4, "0")}.dcm`, bytes: Buffer.from(d.write()) });
  }
  return files;
}

/** STOW-RS request bodies of PER_REQUEST files each (built before timing; the same bytes for every target). */
function requestBodies(files) {
  const bodies = [];
  for (let i = 0; i < files.length; i += PER_REQUEST) {
    const boundary = `bench-${randomBytes(8).toString("hex")}`;
    const chunks = [];
    const part = files.slice(i, i + PER_REQUEST);
    for (const f of part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Location: ${encodeURIComponent(f.name)}\r\n\r\n`), f.bytes, Buffer.from("\r\n"));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    bodies.push({ count: part.length, body: Buffer.concat(chunks), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` });
  }
  return bodies;
}

// ---------------------------------------------------------------- measuring

/** All CPUs' busy and total time so far (Linux /proc/stat), to tell how loaded the machine was; null elsewhere. */
function cpuTimes() {
  try {
    const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * CPU ms used so far per kind of process (Linux /proc): this script, Concord, PostgreSQL, Orthanc,
 * other. PostgreSQL and Orthanc count only our own (Concord's embedded server, the Orthanc this
 * script started), not those of anything else on the machine.
 */
function cpuByProcess(concordPid) {
  const out = { bench: 0, concord: 0, postgres: 0, orthanc: 0, other: 0 };
  const tick = 1000 / 100; // USER_HZ
  const procs = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    procs.push({ pid: Number(pid), ppid: Number(f[1]), comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ms: (Number(f[11]) + Number(f[12])) * tick });
  }
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const under = (pid, ancestor) => {
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === ancestor) return true;
    return false;
  };
  for (const { pid, comm, ms } of procs) {
    const kind =
      pid === process.pid ? "bench"
      : pid === concordPid ? "concord"
      : comm.startsWith("postgres") && under(pid, concordPid) ? "postgres"
      : comm === "Orthanc" && under(pid, process.pid) ? "orthanc"
      : "other";
    out[kind] += ms;
  }
  // Concord's own time split: its main thread (the event loop) and the rest (ingest worker threads, GC, libuv).
  try {
    const stat = fs.readFileSync(`/proc/${concordPid}/task/${concordPid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.concordMain = (Number(f[11]) + Number(f[12])) * tick;
  } catch {
    out.concordMain = 0;
  }
  return out;
}

/** PARALLEL uploaders take the next request body until none is left; instances/s over the wall time. */
async function stowAll(studiesUrl, headers, bodies) {
  let next = 0;
  let stored = 0;
  const cpu0 = cpuTimes();
  const started = performance.now();
  const uploader = async () => {
    while (next < bodies.length) {
      const b = bodies[next++];
      const res = await fetch(studiesUrl, {
        method: "POST",
        headers: { ...headers, "content-type": b.contentType, accept: "application/dicom+json" },
        body: b.body,
      });
      const text = await res.text();
      const listed = res.status === 200 ? (JSON.parse(text)["00081199"]?.Value?.length ?? 0) : 0;
      if (res.status !== 200 || listed !== b.count) throw new Error(`STOW-RS to ${studiesUrl}: HTTP ${res.status}, ${listed} of ${b.count} stored: ${text.slice(0, 300)}`);
      stored += listed;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, uploader));
  const seconds = (performance.now() - started) / 1000;
  const cpu1 = cpuTimes();
  const busy = cpu0 && cpu1 && cpu1.total > cpu0.total ? (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total) : null;
  return { seconds, stored, rate: stored / seconds, busy };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------------------------------------------------------------- main

async function main() {
  if (!fs.existsSync(path.join(root, "server", "dist", "server", "src", "cli.js"))) {
    throw new Error("Concord is not built: run `npm run build` first.");
  }
  const haveOrthanc = fs.existsSync(ORTHANC_BIN) && fs.existsSync(DICOMWEB_PLUGIN);
  if (!haveOrthanc) {
    throw new Error(`needs Orthanc and its DICOMweb plugin (${ORTHANC_BIN}, ${DICOMWEB_PLUGIN}): apt-get install orthanc orthanc-dicomweb`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-bench-ingest-"));
  // Embedded PostgreSQL may run as another user (when we are root): it must reach its data dir.
  fs.chmodSync(dir, 0o755);
  const t0 = performance.now();
  try {
    log(`starting Orthanc and Concord in ${dir}`);
    fs.mkdirSync(path.join(dir, "orthanc"));
    const [orthanc, concord] = await Promise.all([startOrthanc(path.join(dir, "orthanc")), startConcord(dir, { envServices: false, nodeArgs: CONCORD_NODE_ARGS })]);
    const { auth, local, external } = await setUpConcord(concord.url, orthanc.dicomWebUrl);
    log(`up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const targets = [
      { key: "local", label: "Concord → local store", url: `${concord.url}/dicomweb/projects/${local}/studies`, headers: auth },
      { key: "viaConcord", label: "Concord → Orthanc (external store)", url: `${concord.url}/dicomweb/projects/${external}/studies`, headers: auth },
      { key: "direct", label: "Orthanc directly (baseline)", url: `${orthanc.dicomWebUrl}/studies`, headers: {} },
    ];

    // Warm-up: JIT, worker threads, connection pools, Orthanc's and PostgreSQL's caches.
    const warm = requestBodies(syntheticSeries(WARMUP, "W"));
    for (const t of targets) await stowAll(t.url, t.headers, warm);

    const rates = Object.fromEntries(targets.map((t) => [t.key, []]));
    const busy = Object.fromEntries(targets.map((t) => [t.key, []]));
    // BENCH_CPU: CPU ms per instance of the processes doing the work (this client, Concord, PostgreSQL, Orthanc).
    const cpu = Object.fromEntries(targets.map((t) => [t.key, []]));
    for (let rep = 0; rep < REPS; rep++) {
      const bodies = requestBodies(syntheticSeries(N, `R${rep + 1}`));
      // The order turns each repetition, so no target always runs on the fullest Orthanc index.
      for (let k = 0; k < targets.length; k++) {
        const t = targets[(k + rep) % targets.length];
        const before = process.env.BENCH_CPU ? cpuByProcess(concord.child.pid) : null;
        const r = await stowAll(t.url, t.headers, bodies);
        rates[t.key].push(r.rate);
        if (r.busy !== null) busy[t.key].push(r.busy);
        log(`rep ${rep + 1}: ${t.label.padEnd(36)} ${r.stored} instances in ${r.seconds.toFixed(2)} s = ${r.rate.toFixed(0)}/s${r.busy !== null ? `, CPUs ${(100 * r.busy).toFixed(0)}% busy` : ""}`);
        if (before) {
          const after = cpuByProcess(concord.child.pid);
          const per = (k) => ((after[k] - before[k]) / r.stored).toFixed(1);
          log(`  CPU ms per instance: ${["bench", "concord", "postgres", "orthanc", "other"].map((k) => `${k} ${per(k)}`).join(", ")} (concord main thread ${per("concordMain")})`);
          cpu[t.key].push(["bench", "concord", "postgres", "orthanc"].reduce((sum, k) => sum + (after[k] - before[k]) / r.stored, 0));
        }
      }
    }

    // What was measured really landed: Orthanc holds the direct and the via-Concord copies; Concord indexed both projects.
    const stats = await (await fetch(`${orthanc.httpUrl}/statistics`)).json();
    const expectedInOrthanc = 2 * (WARMUP + REPS * N);
    const countCases = async (projectId) =>
      (await gql(concord.url, `query($projectId: ID!) { cases(projectId: $projectId, first: 1) { totalCount } }`, { projectId }, auth)).data.cases.totalCount;
    const [localCases, externalCases] = await Promise.all([countCases(local), countCases(external)]);
    const checks = [
      [`Orthanc instances = ${expectedInOrthanc}`, Number(stats.CountInstances) === expectedInOrthanc, stats.CountInstances],
      [`Concord cases, local project = ${WARMUP + REPS * N}`, localCases === WARMUP + REPS * N, localCases],
      [`Concord cases, Orthanc project = ${WARMUP + REPS * N}`, externalCases === WARMUP + REPS * N, externalCases],
    ];

    const base = median(rates.direct);
    const row = (t) => {
      const m = median(rates[t.key]);
      const cpu = busy[t.key].length ? `${(100 * median(busy[t.key])).toFixed(0)}%` : "n/a";
      return [t.label, m.toFixed(0), Math.min(...rates[t.key]).toFixed(0), Math.max(...rates[t.key]).toFixed(0), cpu, t.key === "direct" ? "1.00 (baseline)" : (m / base).toFixed(2)];
    };
    const header = ["STOW-RS path", "median inst/s", "min", "max", "CPUs busy", "ratio to baseline"];
    const rows = targets.map(row);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;

    console.log("");
    console.log(`Ingest benchmark: ${N} synthetic CT instances (${PIXELS}×${PIXELS}, 16-bit, ${(warm[0].body.length / warm[0].count / 1024).toFixed(1)} KB each) per repetition,`);
    console.log(`${PARALLEL} parallel uploaders × ${PER_REQUEST} instances per request, ${REPS} repetitions (median), after a ${WARMUP}-instance warm-up.`);
    console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Concord embedded (its own PostgreSQL, temporary data dir), Orthanc on loopback.`);
    console.log("");
    console.log(line(header));
    console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
    for (const r of rows) console.log(line(r));
    console.log("");
    const ratio = median(rates.viaConcord) / base;
    console.log(`Concord → Orthanc vs Orthanc directly: ${ratio.toFixed(2)} (goal ≥ 0.80: ${ratio >= 0.8 ? "met" : "NOT met"})`);
    console.log(`Per repetition (inst/s): ${targets.map((t) => `${t.key} [${rates[t.key].map((r) => r.toFixed(0)).join(", ")}]`).join("; ")}`);
    if (cpu.direct.length) {
      const m = (key) => median(cpu[key]);
      console.log(
        `CPU ms per instance, client + Concord + PostgreSQL + Orthanc (median): ${targets.map((t) => `${t.key} ${m(t.key).toFixed(2)}`).join(", ")}; ` +
          `CPU-cost ratio Orthanc directly / Concord → Orthanc: ${(m("direct") / m("viaConcord")).toFixed(2)} (what the throughput ratio tends to on a saturated machine, whatever else runs on it)`,
      );
    }
    for (const [text, ok, got] of checks) console.log(`check: ${text}: ${ok ? "ok" : `FAILED (got ${got})`}`);
    console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:ingest failed: ${err.message}`);
  process.exitCode = 1;
});
