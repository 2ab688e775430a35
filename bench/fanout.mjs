#!/usr/bin/env node
// Live collaboration fan-out: editors send Yjs updates (collabUpdate over HTTP) to a case's
// consensus layer while subscribers follow it (collabUpdates over graphql-ws); the same load
// against a bare graphql-ws server with in-process pub/sub as the baseline; and, first, idle
// subscriptions: Concord's memory and CPU. Everything runs here, on loopback, in one run: Concord
// as `concord start` (embedded PostgreSQL, temporary data dir; DATABASE_URL / REDIS_URL if set)
// and the bare server as a child process of this script.
//
//   npm run build && npm run bench:fanout
//
// Knobs (environment): BENCH_SECONDS (60), BENCH_SUBSCRIBERS (200), BENCH_EDITORS (5),
// BENCH_RATE (20 edits per second in total), BENCH_ROIS (20 ROIs per editor, then edits move them;
// 0: every edit adds a ROI), BENCH_IDLE (5000), BENCH_IDLE_SECONDS (10),
// BENCH_WARMUP_SECONDS (3), BENCH_CLIENT_THREADS (2: worker threads holding the subscribers),
// BENCH_CONCORD_NODE_ARGS (unset: more node options for Concord, e.g. "--cpu-prof
// --cpu-prof-dir=/tmp/prof"), BENCH_BARE_NODE_ARGS (the same for the bare server). See bench/README.md for what is measured and how to read it.

import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { EventEmitter, on } from "node:events";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { children, freePort, int, log, num, root, sleep, startConcord, stopAll, stopChild, waitFor } from "./lib.mjs";

const require = createRequire(path.join(root, "server", "package.json"));

const SECONDS = num("BENCH_SECONDS", 60);
const SUBSCRIBERS = int("BENCH_SUBSCRIBERS", 200);
const EDITORS = int("BENCH_EDITORS", 5);
const RATE = num("BENCH_RATE", 20);
const ROIS = int("BENCH_ROIS", 20, 0);
const IDLE = int("BENCH_IDLE", 5000, 0);
const IDLE_SECONDS = num("BENCH_IDLE_SECONDS", 10);
const WARMUP_SECONDS = num("BENCH_WARMUP_SECONDS", 3);
const CLIENT_THREADS = int("BENCH_CLIENT_THREADS", 2);
const CONCORD_NODE_ARGS = (process.env.BENCH_CONCORD_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
const DUMP = process.env.BENCH_DUMP || null;
const BARE_NODE_ARGS = (process.env.BENCH_BARE_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
const SUBSCRIBER_ACCOUNTS = 4;
const BATCH = 200; // connections opened at a time
const DRAIN_MS = 30_000; // after the last ack, how long subscribers may still receive (ends early once all have all)

const { buildSchema, execute, parse, subscribe, validate } = require("graphql");
const { createClient } = require("graphql-ws");
const { useServer } = require("graphql-ws/use/ws");
const { WebSocket, WebSocketServer } = require("ws");
const Y = require("yjs");

// ---------------------------------------------------------------- the bare server (baseline)

/**
 * The baseline: graphql-js with the same three operations Concord has for collaboration
 * (collabSync, collabUpdate, collabUpdates), one EventEmitter as the pub/sub, HTTP for queries and
 * mutations and graphql-ws for subscriptions on the same port. No storage, no access checks.
 */
const BARE_SDL = `
  enum CollabEventKind { UPDATE ACCESS_REVOKED }
  type CollabSync { caseId: ID! layer: String! update: String! stateVector: String! }
  type CollabAck { caseId: ID! layer: String! updateId: ID! }
  type CollabUpdateEvent { kind: CollabEventKind! caseId: ID! layer: String! update: String clientId: String }
  type Query { collabSync(caseId: ID!, layer: String!, stateVector: String): CollabSync! }
  type Mutation { collabUpdate(caseId: ID!, layer: String!, update: String!, clientId: String): CollabAck! }
  type Subscription { collabUpdates(caseId: ID!, layer: String!, exceptClientId: String): CollabUpdateEvent! }
`;

async function bareServerMain() {
  const schema = buildSchema(BARE_SDL);
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let seq = 0;
  const rootValue = {
    collabSync: ({ caseId, layer }) => ({ caseId, layer, update: "AAA=", stateVector: "AA==" }),
    collabUpdate: ({ caseId, layer, update, clientId }) => {
      const updateId = String(++seq);
      bus.emit(`${caseId}/${layer}`, { kind: "UPDATE", caseId, layer, update, clientId: clientId ?? null });
      return { caseId, layer, updateId };
    },
  };
  schema.getSubscriptionType().getFields().collabUpdates.subscribe = async function* (_root, { caseId, layer, exceptClientId }) {
    for await (const [event] of on(bus, `${caseId}/${layer}`)) {
      if (exceptClientId && event.clientId === exceptClientId) continue;
      yield { collabUpdates: event };
    }
  };
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/graphql") return res.writeHead(404).end();
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const document = parse(query);
        const errors = validate(schema, document);
        const result = errors.length ? { errors } : await execute({ schema, document, rootValue, variableValues: variables, operationName });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
      } catch (err) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message: String(err.message) }] }));
      }
    });
  });
  const wss = new WebSocketServer({ server, path: "/graphql", maxPayload: 1024 * 1024 });
  useServer({ schema, execute, subscribe }, wss);
  const port = Number(process.argv[3]);
  server.listen(port, "127.0.0.1");
  process.on("SIGTERM", () => process.exit(0));
}

// ---------------------------------------------------------------- processes

async function startBare() {
  const port = await freePort();
  const child = spawn(process.execPath, [...BARE_NODE_ARGS, fileURLToPath(import.meta.url), "--bare-server", String(port)], { stdio: ["ignore", "inherit", "inherit"] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor("the bare server", child, async () => (await fetch(`${url}/graphql`)).status < 500, 20_000, null);
  return { child, url };
}

// ---------------------------------------------------------------- Concord's API

async function gql(url, auth, query, variables = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors).slice(0, 1000)}`);
  return { data: body.data, setCookie: res.headers.getSetCookie?.() ?? [] };
}

/** Signs up an account and answers its e-mail and a bearer token. */
async function account(url, name) {
  const email = `bench-${name}-${randomBytes(4).toString("hex")}@example.org`;
  const signUp = await gql(url, {}, `mutation($input: SignUpInput!) { signUp(input: $input) { id } }`, {
    input: { email, password: "a long fan-out passphrase 42", name: `Bench ${name}` },
  });
  const cookie = signUp.setCookie.map((c) => c.split(";")[0]).join("; ");
  if (!cookie) throw new Error("signUp set no session cookie");
  const { data } = await gql(url, { cookie }, `mutation { createApiToken(input: { name: "bench" }) { token } }`);
  return { email, authorization: `Bearer ${data.createApiToken.token}` };
}

/** A project without blind reading, one case (a 16×16 CT slice by STOW-RS), editors and subscribers as reviewers. */
async function setUpConcord(url) {
  const owner = await account(url, "owner");
  const auth = { authorization: owner.authorization };
  const projectId = (await gql(url, auth, `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`, { input: { name: "Bench: fan-out", blindReading: false } })).data.createProject.id;
  const body = stowBody(tinyDicom());
  const res = await fetch(`${url}/dicomweb/projects/${projectId}/studies`, {
    method: "POST",
    headers: { ...auth, accept: "application/dicom+json", "content-type": body.contentType },
    body: body.bytes,
  });
  const answer = await res.json().catch(() => ({}));
  if (res.status !== 200) throw new Error(`STOW-RS: HTTP ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  const cases = (await gql(url, auth, `query($p: ID!) { cases(projectId: $p, first: 10) { edges { node { id } } } }`, { p: projectId })).data.cases.edges;
  if (cases.length !== 1) throw new Error(`expected one case, found ${cases.length}`);
  const caseId = cases[0].node.id;
  const grant = async (a) =>
    gql(url, auth, `mutation($p: ID!, $i: GrantRoleInput!) { grantRole(projectId: $p, input: $i) { role } }`, { p: projectId, i: { email: a.email, role: "REVIEWER" } });
  const editors = [];
  for (let i = 0; i < EDITORS; i++) editors.push(await account(url, `editor${i + 1}`));
  const readers = [];
  for (let i = 0; i < SUBSCRIBER_ACCOUNTS; i++) readers.push(await account(url, `subscriber${i + 1}`));
  for (const a of [...editors, ...readers]) await grant(a);
  return { owner, projectId, caseId, editors, readers };
}

const dcmjs = require("dcmjs");
dcmjs.log?.setLevel?.("error");
const uid = () => `2.25.${BigInt(`0x${randomBytes(16).toString("hex")}`).toString()}`;

/** One 16×16 CT slice (explicit VR little endian). */
function tinyDicom() {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const sop = uid();
  const px = new Uint16Array(16 * 16).map((_, i) => 1024 + (i % 64));
  const d = new DicomDict(
    DicomMetaDictionary.denaturalizeDataset({
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
      MediaStorageSOPInstanceUID: sop,
      TransferSyntaxUID: "1.2.840.10008.1.2.1",
      ImplementationClassUID: "2.25.1",
    }),
  );
  d.dict = DicomMetaDictionary.denaturalizeDataset({
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
    SOPInstanceUID: sop,
    StudyDate: "20240102",
    Modality: "CT",
    PatientName: "Bench^Fanout",
    PatientID: "BENCHFANOUT",
    StudyInstanceUID: uid(),
    SeriesInstanceUID: uid(),
    StudyID: "1",
    SeriesNumber: "1",
    InstanceNumber: "1",
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    Rows: 16,
    Columns: 16,
    PixelSpacing: ["1", "1"],
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    RescaleIntercept: "-1024",
    RescaleSlope: "1",
    PixelData: [px.buffer],
    _vrMap: { PixelData: "OW" },
  });
  return Buffer.from(d.write());
}

function stowBody(file) {
  const boundary = `bench-${randomBytes(8).toString("hex")}`;
  const bytes = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Location: fanout.dcm\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { bytes, contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

// ---------------------------------------------------------------- measuring

const TICK_MS = 1000 / 100; // USER_HZ

/** RSS in MB and CPU ms so far of a process (Linux /proc); nulls elsewhere. */
function proc(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1]);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { rssMb: rssKb / 1024, cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return { rssMb: null, cpuMs: null };
  }
}

/** CPU ms so far of the PostgreSQL processes under `pid` (the embedded one), Linux; null when there are none. */
function postgresCpuMs(pid) {
  const procs = new Map(); // pid -> { ppid, comm, ms }
  try {
    for (const p of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let stat;
      try {
        stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      } catch {
        continue;
      }
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      procs.set(Number(p), { ppid: Number(f[1]), comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
    }
  } catch {
    return null;
  }
  const under = (p) => {
    for (let q = procs.get(p)?.ppid, hops = 0; q && hops < 10; q = procs.get(q)?.ppid, hops++) if (q === pid) return true;
    return false;
  };
  let ms = 0;
  let found = false;
  for (const [p, info] of procs) {
    if (info.comm.startsWith("postgres") && under(p)) {
      ms += info.ms;
      found = true;
    }
  }
  return found ? ms : null;
}

const SUBSCRIPTION = `subscription($caseId: ID!, $layer: String!) { collabUpdates(caseId: $caseId, layer: $layer) { kind update clientId } }`;
const UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!, $clientId: String) { collabUpdate(caseId: $caseId, layer: $layer, update: $update, clientId: $clientId) { updateId } }`;

/** One graphql-ws connection; resolves once the socket is acknowledged. */
function connect(url, authorization, onError) {
  return new Promise((resolve, reject) => {
    let opened = false;
    const client = createClient({
      url: url.replace(/^http/, "ws") + "/graphql",
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: authorization ? { authorization } : {},
      on: {
        connected: () => {
          opened = true;
          resolve(client);
        },
        error: (err) => {
          if (!opened) reject(err instanceof Error ? err : new Error(err?.message ?? String(err?.code ?? err)));
          else onError?.(err);
        },
        closed: (ev) => {
          if (!opened) reject(new Error(`socket closed before it was acknowledged (${ev?.code ?? ""} ${ev?.reason ?? ""})`));
        },
      },
    });
  });
}

/** Opens `n` connections, BATCH at a time, each making one subscription with `sink(i)`. */
async function openSubscribers(url, n, authOf, sinkOf) {
  const clients = [];
  const unsubs = [];
  for (let start = 0; start < n; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      batch.push(
        connect(url, authOf(i)).then((client) => {
          clients.push(client);
          const { variables, sink } = sinkOf(i);
          unsubs.push(client.subscribe({ query: SUBSCRIPTION, variables }, sink));
        }),
      );
    }
    try {
      await Promise.all(batch);
    } catch (err) {
      if (/EMFILE|EADDRNOTAVAIL/.test(String(err?.message ?? err))) {
        throw new Error(`out of file descriptors or ports opening ${n} connections (${err.message}): raise \`ulimit -n\` (now ${ulimitN()}) or lower the count`);
      }
      throw err;
    }
  }
  return {
    clients,
    close: async () => {
      for (const u of unsubs) u();
      await Promise.all(clients.map((c) => c.dispose()));
    },
  };
}

function ulimitN() {
  try {
    return spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim();
  } catch {
    return "?";
  }
}

/**
 * Every edit writes `edit:<its id>` as its ROI's `edit` field (a new ROI's, or the one it moves).
 * The values are recognised by their prefix: an update that overwrites a key does not carry the key.
 */
const EDIT = "edit:";

/** The edit ids a Yjs update carries, without applying it. */
function editIdsOf(update) {
  const ids = [];
  for (const s of Y.decodeUpdate(update).structs) {
    if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentAny)) continue;
    for (const v of s.content.arr) if (typeof v === "string" && v.startsWith(EDIT)) ids.push(v.slice(EDIT.length));
  }
  return ids;
}

/** The edit ids a change of the `rois` map applied: new ROIs' `edit` fields and moved ROIs' new ones. */
function editIdsApplied(events, rois) {
  const ids = [];
  for (const event of events) {
    if (event.target === rois) {
      for (const key of event.keysChanged) {
        const edit = rois.get(key)?.get?.("edit");
        if (edit) ids.push(edit.slice(EDIT.length));
      }
    } else if (event.keysChanged.has("edit")) {
      const edit = event.target.get("edit");
      if (edit) ids.push(edit.slice(EDIT.length));
    }
  }
  return ids;
}

const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);

/**
 * Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC through process.hrtime): one
 * clock for this script's main thread and its subscriber threads, so an edit's send time and its
 * apply time in another thread subtract exactly. (performance.now() counts from each thread's own
 * start, and Date.now() can step.)
 */
function clockMs() {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/**
 * The subscribers of one fan-out, in CLIENT_THREADS worker threads (the same split for both
 * servers): each thread holds its share of the connections and their documents, on its own event
 * loop and heap, so one thread's garbage collection or a burst of applies does not delay every
 * subscriber's clock reading. The main thread asks; a thread answers one request at a time.
 */
class SubscriberThreads {
  constructor(threads) {
    this.threads = threads;
  }

  static async open({ url, caseId, subscriberAuth }) {
    const n = Math.min(CLIENT_THREADS, SUBSCRIBERS);
    const threads = [];
    for (let t = 0; t < n; t++) {
      // Subscriber i lives in thread i % n.
      const auths = [];
      for (let i = t; i < SUBSCRIBERS; i += n) auths.push(subscriberAuth(i));
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { role: "subscribers", url, caseId, auths } });
      threads.push({ worker, pending: null });
      worker.on("message", (m) => threads[t].pending?.resolve(m));
      worker.on("error", (err) => threads[t].pending?.reject(err));
      worker.on("exit", (code) => threads[t].pending?.reject(new Error(`subscriber thread ${t + 1} exited (code ${code})`)));
    }
    const all = new SubscriberThreads(threads);
    await all.ask({ op: "open" });
    return all;
  }

  /** Sends one request to every thread; answers their replies, in thread order. */
  ask(request) {
    return Promise.all(
      this.threads.map(
        (t) =>
          new Promise((resolve, reject) => {
            t.pending = { resolve, reject };
            t.worker.postMessage(request);
          }).finally(() => (t.pending = null)),
      ),
    );
  }

  /** (subscriber, edit) pairs not yet received, and subscribers missing at least one, for these edit ids. */
  async missing(ids) {
    const answers = await this.ask({ op: "missing", ids });
    return { pairs: answers.reduce((a, r) => a + r.pairs, 0), subscribers: answers.reduce((a, r) => a + r.subscribers, 0) };
  }

  /** Every subscriber's record: what it received (how often) and when each edit was applied. */
  async report() {
    const answers = await this.ask({ op: "report" });
    return { subscribers: answers.flatMap((r) => r.subscribers), streamErrors: answers.reduce((a, r) => a + r.streamErrors, 0) };
  }

  async close() {
    await this.ask({ op: "close" });
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

/**
 * One subscriber thread: opens its connections (one collabUpdates subscription each, applying what
 * arrives to the subscriber's own Y.Doc) and keeps, per subscriber, how often it received each edit
 * (counted from the update's bytes before applying: applying twice changes nothing in Yjs) and when
 * the edit's key appeared in its document. It knows nothing of what was sent: the main thread
 * judges lost, duplicated and unknown edits from the report.
 */
async function subscriberThreadMain({ url, caseId, auths }) {
  const subs = [];
  let streamErrors = 0;
  let opened = null;
  const handlers = {
    open: async () => {
      opened = await openSubscribers(url, auths.length, (i) => auths[i], () => {
        const doc = new Y.Doc();
        const sub = { doc, received: new Map(), applied: new Map() }; // edit id -> times received; edit id -> apply time
        subs.push(sub);
        const rois = doc.getMap("rois");
        rois.observeDeep((events) => {
          const now = clockMs();
          for (const id of editIdsApplied(events, rois)) if (!sub.applied.has(id)) sub.applied.set(id, now);
        });
        return {
          variables: { caseId, layer: "consensus" },
          sink: {
            next: (result) => {
              const ev = result.data?.collabUpdates;
              if (!ev || ev.kind !== "UPDATE" || !ev.update) {
                streamErrors++;
                return;
              }
              const update = Buffer.from(ev.update, "base64");
              for (const id of editIdsOf(update)) sub.received.set(id, (sub.received.get(id) ?? 0) + 1);
              Y.applyUpdate(doc, update);
            },
            error: () => streamErrors++,
            complete: () => {},
          },
        };
      });
      return {};
    },
    missing: ({ ids }) => {
      let pairs = 0;
      let subscribers = 0;
      for (const s of subs) {
        const m = ids.reduce((a, id) => a + (s.received.has(id) ? 0 : 1), 0);
        pairs += m;
        if (m) subscribers++;
      }
      return { pairs, subscribers };
    },
    report: () => ({ subscribers: subs.map((s) => ({ received: [...s.received], applied: [...s.applied] })), streamErrors }),
    close: async () => {
      await opened?.close();
      for (const s of subs) s.doc.destroy();
      return {};
    },
  };
  parentPort.on("message", async (request) => parentPort.postMessage(await handlers[request.op](request)));
}

/**
 * The fan-out load against one server: SUBSCRIBERS connections subscribe to the consensus layer,
 * each applying what it receives to its own Y.Doc (in CLIENT_THREADS threads); EDITORS editors,
 * each with its own Y.Doc, send RATE edits per second in total (open loop, on a fixed schedule)
 * with collabUpdate over HTTP, from the main thread. An edit adds a ROI (a Y.Map under `rois`,
 * keyed by a fresh edit id) until its editor has ROIS of them, then moves one of them (new points);
 * either way it writes its edit id as the ROI's `edit` field, by which subscribers recognise it. A
 * warm-up of the same load runs first (not counted): it also proves every subscription is live.
 */
async function fanout(target) {
  const { url, pid, caseId, editorAuth } = target;
  const layer = "consensus";
  const sent = new Map(); // edit id -> { at (clockMs), acked, counted }

  const before = proc(pid);
  const subscribers = await SubscriberThreads.open(target);
  await sleep(500);
  const afterOpen = proc(pid);

  const editors = Array.from({ length: EDITORS }, (_, i) => ({ doc: new Y.Doc(), auth: editorAuth(i), clientId: `bench-editor-${i + 1}`, rois: [], moves: 0 }));
  let failures = 0;
  const ackTimes = [];
  const inFlight = new Set();
  const sendOne = (editor, counted) => {
    const id = randomUUID();
    let update;
    const capture = (u) => (update = u);
    editor.doc.on("update", capture);
    const at = clockMs();
    editor.doc.transact(() => {
      const points = [
        [10 + Math.random() * 100, 10 + Math.random() * 100],
        [120 + Math.random() * 100, 120 + Math.random() * 100],
      ];
      // Up to ROIS ROIs per editor: a new one; then the editor moves its ROIs in turn.
      if (ROIS === 0 || editor.rois.length < ROIS) {
        const roi = new Y.Map();
        editor.doc.getMap("rois").set(id, roi);
        roi.set("id", id);
        roi.set("kind", "RECTANGLE");
        roi.set("classId", "00000000-0000-4000-8000-000000000000");
        roi.set("points", points);
        roi.set("edit", EDIT + id);
        if (ROIS) editor.rois.push(roi);
      } else {
        const roi = editor.rois[editor.moves++ % ROIS];
        roi.set("points", points);
        roi.set("edit", EDIT + id);
      }
    });
    editor.doc.off("update", capture);
    const e = { at, acked: false, counted };
    sent.set(id, e);
    const p = fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...editor.auth },
      body: JSON.stringify({ query: UPDATE, variables: { caseId, layer, update: Buffer.from(update).toString("base64"), clientId: editor.clientId } }),
    })
      .then((res) => res.json())
      .then((body) => {
        if (body.errors?.length || !body.data?.collabUpdate?.updateId) throw new Error(JSON.stringify(body.errors ?? body).slice(0, 300));
        e.acked = true;
        e.ackMs = clockMs() - at;
        if (counted) ackTimes.push(e.ackMs);
      })
      .catch((err) => {
        failures++;
        if (failures <= 3) log(`collabUpdate failed: ${err.message}`);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  /** RATE edits per second for `seconds`, editors in turn on a fixed schedule. */
  const load = async (seconds, counted) => {
    const interval = 1000 / RATE;
    const total = Math.round(seconds * RATE);
    const start = clockMs();
    for (let k = 0; k < total; k++) {
      const due = start + k * interval;
      const wait = due - clockMs();
      if (wait > 1) await sleep(wait);
      sendOne(editors[k % EDITORS], counted);
    }
    while (inFlight.size) await Promise.all([...inFlight]);
  };
  const ackedOf = (phase) => [...sent].filter(([, e]) => e.acked && e.counted === phase).map(([id]) => id);
  /** Waits until every subscriber has every acked edit of a phase, or DRAIN_MS passed; answers what is still missing. */
  const drain = async (phase) => {
    const deadline = clockMs() + DRAIN_MS;
    const ids = ackedOf(phase);
    for (;;) {
      const missing = await subscribers.missing(ids);
      if (missing.pairs === 0 || clockMs() > deadline) return missing;
      await sleep(50);
    }
  };

  await load(WARMUP_SECONDS, false);
  const warm = await drain(false);
  if (warm.subscribers) log(`${warm.subscribers} of ${SUBSCRIBERS} subscribers missed warm-up edits (subscription not live yet?)`);
  const cpu0 = proc(pid);
  const pg0 = postgresCpuMs(pid);
  const benchCpu0 = process.cpuUsage(); // the whole process: main thread and subscriber threads
  const t0 = clockMs();
  await load(SECONDS, true);
  const loadSeconds = (clockMs() - t0) / 1000;
  const drained0 = clockMs();
  await drain(true);
  const drainSeconds = (clockMs() - drained0) / 1000;
  const { subscribers: records, streamErrors } = await subscribers.report();
  const cpu1 = proc(pid);
  const pg1 = postgresCpuMs(pid);
  const benchCpu = process.cpuUsage(benchCpu0);
  const afterLoad = proc(pid);
  await subscribers.close();

  const counted = [...sent].filter(([, e]) => e.counted);
  const acked = ackedOf(true);
  let lost = 0;
  let duplicates = 0;
  let unknown = 0;
  const latencies = [];
  for (const r of records) {
    const received = new Map(r.received);
    for (const id of acked) if (!received.has(id)) lost++;
    for (const [id, times] of received) {
      const e = sent.get(id);
      if (!e) unknown += times;
      else if (e.counted) duplicates += times - 1;
    }
    for (const [id, appliedAt] of r.applied) {
      const e = sent.get(id);
      if (e?.counted) latencies.push(appliedAt - e.at);
    }
  }
  if (DUMP) dumpEdits(`${DUMP}-${target.name}.json`, sent, records, t0);
  latencies.sort((a, b) => a - b);
  ackTimes.sort((a, b) => a - b);
  return {
    sent: counted.length,
    acked: acked.length,
    failures,
    expected: acked.length * records.length,
    applied: latencies.length,
    lost,
    duplicates,
    unknown,
    streamErrors,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    loadSeconds,
    drainSeconds,
    rssBefore: before.rssMb,
    rssOpen: afterOpen.rssMb,
    rssAfter: afterLoad.rssMb,
    cpuPerSecond: cpu0.cpuMs != null ? (cpu1.cpuMs - cpu0.cpuMs) / 1000 / loadSeconds : null,
    ackP50: quantile(ackTimes, 0.5),
    ackP99: quantile(ackTimes, 0.99),
    pgCpuPerSecond: pg0 != null && pg1 != null ? (pg1 - pg0) / 1000 / loadSeconds : null,
    benchCpuPerSecond: (benchCpu.user + benchCpu.system) / 1e6 / loadSeconds,
  };
}

/** IDLE connections with one collabUpdates subscription each, then nothing for IDLE_SECONDS. */
/**
 * BENCH_DUMP: one line per counted edit, in send order: when it was sent (ms after the load began),
 * its answer time, and the p50 and max of its edit → applied time over the subscribers. A stall
 * shows as a run of late edits; plot or sort it.
 */
function dumpEdits(file, sent, records, t0) {
  const perEdit = new Map();
  for (const r of records)
    for (const [id, appliedAt] of r.applied) {
      const e = sent.get(id);
      if (!e?.counted) continue;
      let l = perEdit.get(id);
      if (!l) perEdit.set(id, (l = []));
      l.push(appliedAt - e.at);
    }
  const rows = [...sent]
    .filter(([, e]) => e.counted)
    .sort((a, b) => a[1].at - b[1].at)
    .map(([id, e]) => {
      const l = (perEdit.get(id) ?? []).sort((a, b) => a - b);
      return { sentMs: +(e.at - t0).toFixed(1), ackMs: e.ackMs == null ? null : +e.ackMs.toFixed(1), p50: +quantile(l, 0.5).toFixed(1), max: +(l.at(-1) ?? NaN).toFixed(1) };
    });
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  log(`per-edit timings in ${file}`);
}

async function idle(target) {
  const { url, pid, caseId, subscriberAuth } = target;
  const before = proc(pid);
  const t0 = performance.now();
  let errors = 0;
  const opened = await openSubscribers(url, IDLE, subscriberAuth, () => ({
    variables: { caseId, layer: "consensus" },
    sink: { next: () => {}, error: () => errors++, complete: () => {} },
  }));
  const openSeconds = (performance.now() - t0) / 1000;
  await sleep(2000); // subscriptions settle (access checks, joins)
  const settled = proc(pid);
  await sleep(IDLE_SECONDS * 1000);
  const after = proc(pid);
  await opened.close();
  return {
    n: IDLE,
    errors,
    openSeconds,
    rssBefore: before.rssMb,
    rssAfter: after.rssMb,
    idleCpu: settled.cpuMs != null ? (after.cpuMs - settled.cpuMs) / (IDLE_SECONDS * 1000) : null,
  };
}

// ---------------------------------------------------------------- main

const f1 = (x) => (x == null || Number.isNaN(x) ? "–" : x.toFixed(1));
const f0 = (x) => (x == null || Number.isNaN(x) ? "–" : x.toFixed(0));

async function main() {
  if (!fs.existsSync(path.join(root, "server", "dist", "server", "src", "cli.js"))) {
    throw new Error("Concord is not built: run `npm run build` first.");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-bench-fanout-"));
  fs.chmodSync(dir, 0o755); // embedded PostgreSQL may run as another user
  const need = SUBSCRIBERS + IDLE + 50;
  const limit = Number(ulimitN());
  if (Number.isFinite(limit) && limit < need) log(`warning: \`ulimit -n\` is ${limit}; this run opens up to ${need} sockets (EMFILE likely): raise it or lower BENCH_IDLE`);
  try {
    log(`starting Concord and the bare server in ${dir}`);
    const [concord, bare] = await Promise.all([startConcord(dir, { nodeArgs: CONCORD_NODE_ARGS }), startBare()]);
    const setup = await setUpConcord(concord.url);
    log(`Concord up (${concord.database}); ${SUBSCRIBERS} subscribers, ${EDITORS} editors, ${RATE} edits/s for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up`);

    const concordTarget = {
      name: "concord",
      url: concord.url,
      pid: concord.child.pid,
      caseId: setup.caseId,
      editorAuth: (i) => ({ authorization: setup.editors[i].authorization }),
      subscriberAuth: (i) => setup.readers[i % setup.readers.length].authorization,
    };
    const bareTarget = { name: "bare", url: bare.url, pid: bare.child.pid, caseId: setup.caseId, editorAuth: () => ({}), subscriberAuth: () => null };

    // Idle first, on a server that has done little yet: its RSS is not yet moved by the fan-out's garbage.
    let idleResult = null;
    if (IDLE > 0) {
      log(`${IDLE} idle subscriptions on Concord`);
      idleResult = await idle(concordTarget);
      // The fan-out gets a fresh Concord process (same data dir and database), as the bare server
      // is fresh: not one whose heap still holds what 5,000 connections left behind.
      await stopChild(concord.child);
      const again = await startConcord(dir, { nodeArgs: CONCORD_NODE_ARGS });
      Object.assign(concordTarget, { url: again.url, pid: again.child.pid });
      await sleep(2000);
    }
    log("fan-out: Concord");
    const c = await fanout(concordTarget);
    log("fan-out: bare graphql-ws server (baseline)");
    const b = await fanout(bareTarget);

    const row = (name, r) =>
      `| ${name} | ${r.acked}/${r.sent} | ${f1(r.p50)} / ${f1(r.p99)} / ${f1(r.max)} | ${f1(r.ackP50)} / ${f1(r.ackP99)} | ${r.lost} | ${r.duplicates} | ${f0(r.cpuPerSecond * 100)}% | ${r.pgCpuPerSecond == null ? "–" : `${f0(r.pgCpuPerSecond * 100)}%`} | ${f0(r.benchCpuPerSecond * 100)}% | ${f0(r.rssBefore)} → ${f0(r.rssOpen)} → ${f0(r.rssAfter)} | ${f1(((r.rssOpen - r.rssBefore) * 1024) / SUBSCRIBERS)} |`;
    console.log(`\nFan-out: ${EDITORS} editors, ${RATE} edits/s in total, ${SUBSCRIBERS} subscribers in ${Math.min(CLIENT_THREADS, SUBSCRIBERS)} threads, ${SECONDS} s (${concord.database}); node ${process.version}, ${os.cpus().length} CPUs\n`);
    console.log("| server | edits acked/sent | edit → applied p50 / p99 / max ms | edit → ack p50 / p99 ms | lost | duplicated | server CPU | PostgreSQL CPU | bench CPU | server RSS MB: start → subscribed → end | KB per subscriber |");
    console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    console.log(row("Concord", c));
    console.log(row("bare graphql-ws (baseline)", b));
    for (const [name, r] of [["Concord", c], ["bare", b]]) {
      const notes = [];
      if (r.loadSeconds > SECONDS * 1.05) notes.push(`the ${SECONDS} s of edits took ${r.loadSeconds.toFixed(1)} s until the last was acknowledged`);
      if (r.drainSeconds > 0.5) notes.push(`the last edits reached every subscriber ${r.drainSeconds.toFixed(1)} s after the last was acknowledged${r.lost ? ` (gave up after ${DRAIN_MS / 1000} s)` : ""}`);
      if (r.failures) notes.push(`${r.failures} collabUpdate requests failed`);
      if (r.streamErrors) notes.push(`${r.streamErrors} subscription errors or non-update events`);
      if (r.unknown) notes.push(`${r.unknown} edits received that were never sent`);
      if (r.applied !== r.expected - r.lost) notes.push(`${r.applied} applies observed for ${r.expected - r.lost} received edits`);
      if (notes.length) console.log(`${name}: ${notes.join("; ")}`);
    }
    const ratio = c.p99 / b.p99;
    const goals = [
      [`lost and duplicated updates 0 (Concord)`, c.lost === 0 && c.duplicates === 0 && c.failures === 0, `${c.lost} lost, ${c.duplicates} duplicated, ${c.failures} failed`],
      [`p99 ≤ 60 ms`, c.p99 <= 60, `${f1(c.p99)} ms`],
      [`p99 ≤ 1.25 × the bare server's`, ratio <= 1.25, `${ratio.toFixed(2)} × (${f1(c.p99)} / ${f1(b.p99)} ms); p50 ${(c.p50 / b.p50).toFixed(2)} ×`],
    ];
    if (idleResult) {
      const r = idleResult;
      console.log(
        `\nIdle: ${r.n} subscriptions (one connection each, opened in ${r.openSeconds.toFixed(1)} s${r.errors ? `, ${r.errors} errors` : ""}): Concord RSS ${f0(r.rssBefore)} → ${f0(r.rssAfter)} MB ` +
          `(${f1(((r.rssAfter - r.rssBefore) * 1024) / r.n)} KB per subscription), idle CPU ${r.idleCpu == null ? "–" : `${(r.idleCpu * 100).toFixed(1)}% of a core`} over ${IDLE_SECONDS} s`,
      );
      goals.push([`${r.n} idle subscriptions: RSS ≤ 1 GB`, r.rssAfter <= 1024, `${f0(r.rssAfter)} MB`]);
    }
    console.log("");
    for (const [what, met, detail] of goals) console.log(`${met ? "met    " : "NOT met"}  ${what}: ${detail}`);
  } finally {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread && workerData?.role === "subscribers") {
  subscriberThreadMain(workerData).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (process.argv[2] === "--bare-server") {
  bareServerMain().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err.stack ?? err);
      process.exit(1);
    },
  );
}
