import fs from "node:fs";
import path from "node:path";
import {
  Kind,
  buildSchema,
  isNonNullType,
  parse,
  validate,
  type GraphQLField,
  type OperationDefinitionNode,
} from "graphql";
import { afterAll, beforeAll, describe, it } from "vitest";
import * as Y from "yjs";
import { ROIS, putRoi } from "../modules/collab/collab.document.js";
import { verifyConsistency, verifyInclusion } from "../modules/ledger/merkle.js";
import { collabChannel } from "../modules/collab/collab.hub.js";
import { projectChannel, userChannel } from "../modules/projects/projects.service.js";
import { repoRoot } from "../paths.js";
import {
  GRANT_ROLE,
  Subscription,
  buildLabel,
  buildTeam,
  buildTeamProject,
  errorCode,
  trackSubscriptions,
  until,
  type Account,
  type Team,
} from "../testing/fixtures.js";
import { Caller, PASSWORD, buildProject, buildUser, startTestServer, uniqueEmail, type GqlResult } from "../testing/harness.js";
import { chestPng, stow, stowOk } from "../testing/images.js";
import { INPUT, buildPixelSegmenter, SCORES } from "../modules/ai/onnx-build.js";
import { binaryClassifierUpload } from "../testing/ai.js";
import { sharedFakePacs } from "../testing/fake-pacs.js";
import { sharedDicomwebStub } from "../testing/dicomweb-stub.js";
import { ACTIONS, MATRIX, ROLES, type Action, type Role } from "./roles.js";

// Every operation of the committed schema x every kind of caller, over real HTTP and graphql-ws.
// Expectations come from MATRIX wherever an operation maps to an action; the rest are named rules.

const schema = buildSchema(fs.readFileSync(path.join(repoRoot(), "schema", "schema.graphql"), "utf8"));
const ROOTS = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
const OPERATIONS: Array<{ name: string; root: keyof typeof ROOTS; field: GraphQLField<unknown, unknown> }> = Object.entries(ROOTS).flatMap(
  ([root, type]) => Object.values(type?.getFields() ?? {}).map((field) => ({ name: field.name, root: root as keyof typeof ROOTS, field })),
);

const ACTORS = [...ROLES, "STRANGER", "NOBODY"] as const;
type ActorName = (typeof ACTORS)[number];
type Outcome = "ok" | "UNAUTHENTICATED" | "NOT_FOUND" | "FORBIDDEN" | "BAD_USER_INPUT" | "CONFLICT" | "PROJECT_ARCHIVED";

interface Rule {
  text: string;
  expected(actor: ActorName): Outcome;
}

/** Members whose role MATRIX allows; other members and non-members get NOT_FOUND (ids do not leak); no credentials, UNAUTHENTICATED. */
const byAction = (action: Action, overrides: Partial<Record<ActorName, Outcome>> = {}): Rule => ({
  text: `${action}${Object.keys(overrides).length ? `, except ${JSON.stringify(overrides)}` : ""}`,
  expected: (a) =>
    overrides[a] ??
    (a === "NOBODY" ? "UNAUTHENTICATED" : a === "STRANGER" ? "NOT_FOUND" : MATRIX[action].includes(a) ? "ok" : "NOT_FOUND"),
});
/** Any logged-in user, member of the project or not. */
const loggedIn = (asLoggedIn: Outcome = "ok"): Rule => ({
  text: asLoggedIn === "ok" ? "any logged-in user" : `${asLoggedIn} for every logged-in user`,
  expected: (a) => (a === "NOBODY" ? "UNAUTHENTICATED" : asLoggedIn),
});
/** Anyone, with or without credentials. */
const anyone: Rule = { text: "anyone", expected: () => "ok" };

/** What a pair runs against. */
interface State {
  actor: ActorName;
  /** The actor's own account; undefined for NOBODY. */
  account: Account | undefined;
  caller: Caller;
  projectId: string;
  labelIds: string[];
  /** A label group made for the pair (addLabelGroup). */
  labelGroupId: string;
  /** A second project of the team's, every role a member (addSourceProject). */
  otherProjectId: string;
  /** Cases uploaded for the pair, in upload order. */
  caseIds: string[];
  /** Uploads made for the pair, oldest first. */
  batchIds: string[];
  tokenId: string;
  /** The cookie the actor held before the operation (logOut). */
  cookie: string | undefined;
}

interface Scenario {
  title: string;
  rule: Rule;
  /** fresh: a new project with one member per role (the default); shared: one read-only project; none: no project. */
  project?: "fresh" | "shared" | "none";
  prepare?: (s: State) => Promise<void>;
  document: string;
  variables?: (s: State) => Record<string, unknown>;
  /** Runs the operation; the default posts the document over HTTP with the actor's credentials. */
  run?: (s: State) => Promise<Pick<GqlResult, "data" | "errors">>;
  /** Checks the operation's value when the outcome is "ok". */
  check?: (value: any, s: State) => void | Promise<void>;
}

// Each action is also a Permission the API reports; spelled out, not computed, so a rename shows here.
const PERMISSION: Record<Action, string> = {
  "project.view": "PROJECT_VIEW",
  "project.manage": "PROJECT_MANAGE",
  "project.archive": "PROJECT_ARCHIVE",
  "members.view": "MEMBERS_VIEW",
  "members.grant": "MEMBERS_GRANT",
  "labels.edit": "LABELS_EDIT",
  "data.upload": "DATA_UPLOAD",
  "data.export": "DATA_EXPORT",
  "data.delete": "DATA_DELETE",
  "stats.view": "STATS_VIEW",
  "case.annotate": "CASE_ANNOTATE",
  "case.review": "CASE_REVIEW",
  "annotations.viewOthers": "ANNOTATIONS_VIEW_OTHERS",
  "rewards.run": "REWARDS_RUN",
  "ledger.view": "LEDGER_VIEW",
  "ledger.verify": "LEDGER_VERIFY",
  "models.manage": "MODELS_MANAGE",
};
const permissionsOf = (role: Role, blindReading: boolean) =>
  ACTIONS.filter((a) => MATRIX[a].includes(role))
    // In blind reading an annotator sees others' work only on cases it has submitted; a project-level answer says no.
    .filter((a) => !(a === "annotations.viewOthers" && role === "ANNOTATOR" && blindReading))
    .map((a) => PERMISSION[a])
    .sort();

const PROJECT_FIELDS = `id name archived readersPerCase blindReading myRole`;
const PROJECT_EVENTS = `subscription($projectId: ID!) { projectEvents(projectId: $projectId) { kind projectId } }`;
const LABEL_FIELDS = `id name archived position`;
const MY_MEMBERSHIPS = `subscription { myMembershipEvents { kind projectId role } }`;

let server: Awaited<ReturnType<typeof startTestServer>>;
let team: Team;
let stranger: Account;
/** Not an actor: the account that operations act on (a new member, a second owner, someone else's token). */
let target: Account;
let sharedProjectId: string;
let subscriptions: ReturnType<typeof trackSubscriptions>;

const owner = () => team.OWNER.caller;
const ownerDoes = (document: string, variables: Record<string, unknown>) => owner().ok(document, variables);
const makeSecondOwner = async (s: State) => {
  await ownerDoes(GRANT_ROLE, { projectId: s.projectId, input: { email: target.email, role: "OWNER" } });
};
const addLabels = (n: number, archived = false) => async (s: State) => {
  for (let i = 0; i < n; i++) s.labelIds.push(await buildLabel(owner(), s.projectId));
  if (archived) for (const id of s.labelIds) await ownerDoes(`mutation($id: ID!) { archiveLabel(id: $id) { id } }`, { id });
};
const LABEL_GROUP_FIELDS = `id name labelIds ordinal required`;
/** Three classification labels, the first two grouped by the owner. */
const addLabelGroup = async (s: State) => {
  await addLabels(3)(s);
  const data = await ownerDoes(`mutation($projectId: ID!, $input: LabelGroupInput!) { createLabelGroup(projectId: $projectId, input: $input) { id } }`, {
    projectId: s.projectId,
    input: { name: "Side", labelIds: s.labelIds.slice(0, 2) },
  });
  s.labelGroupId = (data.createLabelGroup as { id: string }).id;
};
/** Another team project with a label to copy. */
const addSourceProject = async (s: State) => {
  s.otherProjectId = await buildTeamProject(team);
  await buildLabel(owner(), s.otherProjectId, { name: "Copied" });
};
/** Uploads PNGs named by `keys` (each becomes a case of that key) as the owner, over STOW-RS. */
const uploadCases = (keys: string[]) => async (s: State) => {
  // Each key its own image: a converted file's UIDs come from its content, so the same PNG again would be a duplicate.
  const seed = (key: string) => [...key].reduce((sum, c) => sum * 31 + c.charCodeAt(0), 0) % 251;
  s.batchIds.push(await stowOk(server, s.projectId, owner(), keys.map((key) => ({ name: `${key}.png`, bytes: chestPng(8, 8, seed(key)) }))));
  const { cases } = await ownerDoes(`query($projectId: ID!) { cases(projectId: $projectId, first: 200) { edges { node { id key } } } }`, { projectId: s.projectId });
  s.caseIds = (cases as { edges: Array<{ node: { id: string } }> }).edges.map((e) => e.node.id);
};
const IMPORT_MAPPING = `mutation($projectId: ID!, $csv: String!) { importCaseKeyMapping(projectId: $projectId, csv: $csv) { mapping { identifier entries } problems } }`;
const UPLOAD_PROGRESS = `subscription($projectId: ID!, $uploadId: ID!) { uploadProgress(projectId: $projectId, uploadId: $uploadId) { uploadId total processed stored refused done } }`;
const IMPORT_REPORTS = `mutation($projectId: ID!, $csv: String!) { importReports(projectId: $projectId, csv: $csv) { matched unmatched { line key } problems } }`;
const createToken = async (c: Caller) =>
  (await c.ok<{ createApiToken: { apiToken: { id: string } } }>(`mutation { createApiToken(input: { name: "matrix" }) { apiToken { id } } }`))
    .createApiToken.apiToken.id;

const SET_STORE = `mutation($projectId: ID!, $input: ExternalStoreInput!) { setExternalStore(projectId: $projectId, input: $input) { projectId baseUrl auth hasSecret } }`;
/** The URL of a stub DICOMweb store (answers QIDO-RS with no studies), started in beforeAll. */
let stubUrl = "";
/** The owner points the pair's project at the stub store. */
const setStubStore = async (s: State, input: Record<string, unknown> = {}) => {
  await ownerDoes(SET_STORE, { projectId: s.projectId, input: { baseUrl: (await sharedDicomwebStub()).url, auth: "NONE", ...input } });
};

const ADD_PEER = `mutation($projectId: ID!, $input: DicomPeerInput!) { addDicomPeer(projectId: $projectId, input: $input) { id name aeTitle host port } }`;
const RETRIEVE = `mutation($id: ID!, $uid: String!) { retrieveFromPeer(id: $id, studyInstanceUid: $uid, method: GET) { projectId source total stored } }`;
/** The peer each pair's project got in prepare: the shared in-process fake PACS. */
const peerOf = new WeakMap<State, string>();
let fakePacsStudy = "";
const addFakePeer = async (s: State) => {
  const { pacs, study } = await sharedFakePacs();
  fakePacsStudy = study.studyInstanceUid;
  const { addDicomPeer } = await ownerDoes(ADD_PEER, { projectId: s.projectId, input: { name: "PACS", aeTitle: pacs.aeTitle, host: pacs.host, port: pacs.port } });
  peerOf.set(s, (addDicomPeer as { id: string }).id);
};
const archiveProject = async (s: State) => {
  await ownerDoes(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: s.projectId });
};

// ---- annotations
const ANNOTATE_ROLES: readonly ActorName[] = MATRIX["case.annotate"];
const SAVE_DRAFT = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { id version status labels { labelId value } } }`;
const SUBMIT_ANNOTATION = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id version status readerId } }`;
const ASSIGN_READERS = `mutation($projectId: ID!, $caseIds: [ID!]!, $readerIds: [ID!]!) { assignReaders(projectId: $projectId, caseIds: $caseIds, readerIds: $readerIds) { changed unchanged } }`;
/** Each of the pair's cases' assigned readers, as the owner sees them, in upload order. */
async function assignedReaders(s: State): Promise<string[][]> {
  const { cases } = (await ownerDoes(`query($projectId: ID!) { cases(projectId: $projectId, first: 200) { edges { node { id assignedReaders { readerId } } } } }`, { projectId: s.projectId })) as {
    cases: { edges: Array<{ node: { id: string; assignedReaders: Array<{ readerId: string }> } }> };
  };
  const byId = new Map(cases.edges.map((e) => [e.node.id, e.node.assignedReaders.map((r) => r.readerId)]));
  return s.caseIds.map((id) => byId.get(id) ?? []);
}
const SKIP_CASE = `mutation($caseId: ID!, $reason: SkipReason!, $note: String) { skipCase(caseId: $caseId, reason: $reason, note: $note) { caseId caseKey readerId reason note } }`;
const ANNOTATION_EVENTS = `subscription($projectId: ID!) { annotationEvents(projectId: $projectId) { kind projectId caseId readerId version } }`;
/** One ticked label when the pair has labels, none otherwise. */
const annotationInput = (s: State) => ({ labels: s.labelIds.slice(0, 1).map((labelId) => ({ labelId, value: true, confidence: 80 })), rois: [] });
/** The pair's first case, submitted by `who` (the owner by default). */
const submitFirstCase = (who: (s: State) => Caller = () => owner()) => async (s: State) => {
  await who(s).ok(SUBMIT_ANNOTATION, { caseId: s.caseIds[0], input: annotationInput(s) });
};
const caseWithLabel = async (s: State) => {
  await addLabels(1)(s);
  await uploadCases(["matrix-a"])(s);
};

// ---- ledger
/** A leaf of the pair's project (the owner's role grants make some), once the integrator has placed it. */
const ledgerLeafOf = new WeakMap<State, { seq: number; firstHead: number }>();
const ledgerIntegrated = async (s: State) => {
  const db = server.platform.db.dataSource;
  let seq: { seq: number; firstHead: number } | undefined;
  await until(async () => {
    const rows: Array<{ seq: string | null }> = await db.query(`SELECT seq FROM ledger_leaves WHERE project_id = $1 ORDER BY id`, [s.projectId]);
    const heads: Array<{ size: string | null; first: string | null }> = await db.query(
      `SELECT max(tree_size) AS size, min(tree_size) FILTER (WHERE tree_size > 0) AS first FROM ledger_heads`,
    );
    if (rows.length === 0 || rows.some((r) => r.seq === null)) return false;
    const seqs = rows.map((r) => Number(r.seq));
    if (Number(heads[0]?.size ?? 0) <= Math.max(...seqs)) return false;
    seq = { seq: Math.min(...seqs), firstHead: Number(heads[0]!.first) };
    return true;
  }, 5000, "the project's ledger entries in a signed head");
  ledgerLeafOf.set(s, seq!);
};
const ledgerRoot = async (size: number): Promise<Buffer> => {
  const rows: Array<{ root: Buffer }> = await server.platform.db.dataSource.query(`SELECT root FROM ledger_heads WHERE tree_size = $1`, [size]);
  if (!rows[0]) throw new Error(`no signed head of size ${size}`);
  return rows[0].root;
};

// ---- collaboration documents
const COLLAB_SYNC = `query($caseId: ID!, $layer: String!) { collabSync(caseId: $caseId, layer: $layer) { caseId layer update stateVector } }`;
const COLLAB_UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!, $clientId: String) { collabUpdate(caseId: $caseId, layer: $layer, update: $update, clientId: $clientId) { caseId layer updateId } }`;
const COLLAB_UPDATES = `subscription($caseId: ID!, $layer: String!) { collabUpdates(caseId: $caseId, layer: $layer) { kind caseId layer update clientId } }`;
/** The owner's own reader layer: "another reader's layer" for everyone else. */
const ownerLayer = () => `reader:${team.OWNER.id}`;
/** The actor's own reader layer (a fresh id for NOBODY). */
const ownLayer = (s: State) => `reader:${s.account?.id ?? crypto.randomUUID()}`;
/** A Yjs update (base64) adding one 2x2 region of the pair's ROI class, with this id. */
const roiUpdate = (s: State, id: string) => {
  const doc = new Y.Doc();
  putRoi(doc, { id, classId: s.labelIds[0]!, kind: "RECTANGLE", points: [[1, 1], [3, 3]] });
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64");
};
/** The region ids a synced document holds. */
const roiIds = (update: string) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(Buffer.from(update, "base64")));
  return [...doc.getMap(ROIS).keys()].sort();
};
/** The pair's first case has an ROI class; the owner has drawn region `regionOf(s)` in `layer`. */
const regionOf = new WeakMap<State, string>();
const caseWithRegion = (layer: (s: State) => string) => async (s: State) => {
  s.labelIds.push(await buildLabel(owner(), s.projectId, { kind: "ROI", roiShape: "RECTANGLE" }));
  await uploadCases(["matrix-a"])(s);
  regionOf.set(s, crypto.randomUUID());
  await ownerDoes(COLLAB_UPDATE, { caseId: s.caseIds[0], layer: layer(s), update: roiUpdate(s, regionOf.get(s)!) });
};
const caseWithRoiClass = async (s: State) => {
  s.labelIds.push(await buildLabel(owner(), s.projectId, { kind: "ROI", roiShape: "RECTANGLE" }));
  await uploadCases(["matrix-a"])(s);
};
/** Subscribes to a layer; once the server listens, the owner writes to `writeLayer`; answers the first event (or error). */
const collabSubscription = (layer: (s: State) => string, writeLayer: (s: State) => string) => async (s: State) => {
  const sub = new Subscription(s.caller, COLLAB_UPDATES, { caseId: s.caseIds[0], layer: layer(s) });
  try {
    let first: Awaited<ReturnType<typeof sub.next>> | undefined;
    const answered = sub.next(5000).then((r) => (first = r));
    const channel = collabChannel(s.caseIds[0]!, layer(s).toLowerCase());
    await until(() => first !== undefined || server.services.collab.hub.listeners(channel) > 0, 5000, "an answer or a listener");
    if (first === undefined) {
      await ownerDoes(COLLAB_UPDATE, { caseId: s.caseIds[0], layer: writeLayer(s), update: roiUpdate(s, crypto.randomUUID()), clientId: "matrix-owner" });
    }
    const r = await answered;
    if (r === "timeout") throw new Error("the subscription neither answered nor heard the update");
    if (r.done) throw new Error("the subscription ended without an answer");
    return r.value as Pick<GqlResult, "data" | "errors">;
  } finally {
    await sub.close();
  }
};
// ---- presence
const PRESENCE_BEAT = `mutation($caseId: ID!, $pointer: PointerInput) { presenceBeat(caseId: $caseId, pointer: $pointer) }`;
const PRESENCE_LEAVE = `mutation($caseId: ID!) { presenceLeave(caseId: $caseId) }`;
const CASE_PRESENCE = `subscription($caseId: ID!) { casePresence(caseId: $caseId) { kind caseId users { userId colour pointer { x y } } } }`;
/** Roles that see others' pointers on a case of a blind project they have not submitted (viewOthers, less the annotator). */
const SEES_POINTERS: readonly ActorName[] = MATRIX["annotations.viewOthers"].filter((r) => r !== "ANNOTATOR");

// ---- AI models: validated and run through the service here (with Redis no worker runs in this file)
const AI_MODEL = binaryClassifierUpload("finding", () => 0.01);
const REGISTER_MODEL = `mutation($projectId: ID!, $metadata: String!, $file: String!) { registerModel(projectId: $projectId, name: "matrix", metadata: $metadata, file: $file) { id status } }`;
const AI_JOB_UPDATES = `subscription($projectId: ID!) { aiJobUpdates(projectId: $projectId) { kind modelVersionId } }`;
/** A segmentation model whose one label covers the whole image (a sigmoid of 5 everywhere): one region per case. */
const SEG_MODEL = {
  file: Buffer.from(buildPixelSegmenter({ size: 8, weights: Float32Array.of(0), bias: Float32Array.of(5), activation: "sigmoid" })).toString("base64"),
  metadata: JSON.stringify({
    input: { name: INPUT, shape: [1, 1, 8, 8], normalisation: { kind: "meanStd", mean: 0.5, std: 0.25 } },
    task: "segmentation",
    output: { name: SCORES, labels: ["finding"] },
    segmentation: { background: false },
  }),
};
const segmentedModelOf = new WeakMap<State, string>();
const segmented = async (s: State) => {
  await uploadCases(["matrix-a"])(s);
  const { registerModel } = (await ownerDoes(REGISTER_MODEL, { projectId: s.projectId, ...SEG_MODEL })) as { registerModel: { id: string } };
  await server.services.ai.validateJob(registerModel.id);
  segmentedModelOf.set(s, registerModel.id);
  await server.services.ai.inferJob(s.caseIds[0]!, registerModel.id);
};
const invitationOf = new WeakMap<State, string>();

/** Runs the pair as a fresh account of its own, for operations that change the caller's password, name or sessions. */
async function ownAccount(s: State): Promise<void> {
  if (s.account) s.caller = (await buildUser(server, "own")).caller;
}

/** A password link for a fresh account, made by the operator. */
async function freshPasswordLink(): Promise<string> {
  const { link } = await server.services.admin.createAccount("operator", { email: uniqueEmail("linked"), name: "Linked" });
  return link.url.split("/").pop()!;
}

/** An invitation of a fresh address into the pair's project, by its owner. */
async function addInvitation(s: State): Promise<void> {
  const { invitation, link } = await server.services.invitations.invite({ userId: team.OWNER.id, via: "session" }, s.projectId, uniqueEmail("invited"), "VIEWER");
  invitationOf.set(s, invitation!.id);
  tokenOf.set(s, link!.url.split("/").pop()!);
}
const tokenOf = new WeakMap<State, string>();

const modelOf = new WeakMap<State, string>();
const ownerRegistersModel = async (s: State) => {
  const { registerModel } = (await ownerDoes(REGISTER_MODEL, { projectId: s.projectId, ...AI_MODEL })) as { registerModel: { id: string } };
  await server.services.ai.validateJob(registerModel.id);
  modelOf.set(s, registerModel.id);
};
const modelAndCase = async (s: State) => {
  await uploadCases(["matrix-a"])(s);
  await ownerRegistersModel(s);
};
/** A label named like the classifier's output, a case the owner called positive, and the model run on it. */
const comparedModel = async (s: State) => {
  s.labelIds.push(await buildLabel(owner(), s.projectId, { name: "Finding" }));
  await uploadCases(["matrix-a"])(s);
  await submitFirstCase()(s);
  await ownerRegistersModel(s);
  await server.services.ai.inferJob(s.caseIds[0]!, modelOf.get(s)!);
};
const predicted = async (s: State) => {
  await modelAndCase(s);
  await server.services.ai.inferJob(s.caseIds[0]!, modelOf.get(s)!);
};

// ---- exports (jobs stay queued here: no worker runs in this file)
const START_EXPORT = `mutation($projectId: ID!) { startExport(projectId: $projectId, input: { format: CSV_LABELS, scope: ALL_READERS }) { id format } }`;
const EXPORT_UPDATES = `subscription($projectId: ID!) { exportUpdates(projectId: $projectId) { id format } }`;
const exportOf = new WeakMap<State, string>();
const ownerStartsExport = async (s: State) => {
  exportOf.set(s, (await ownerDoes(START_EXPORT, { projectId: s.projectId }) as { startExport: { id: string } }).startExport.id);
};

// ---- education (a gold label on the pair's first case; the owner made the project an education project)
const IMPORT_GOLD = `mutation($projectId: ID!, $csv: String!) { importGoldLabels(projectId: $projectId, csv: $csv) { imported errors { line message } } }`;
const educationCase = async (s: State) => {
  await ownerDoes(`mutation($id: ID!) { updateProjectSettings(id: $id, input: { mode: EDUCATION }) { id } }`, { id: s.projectId });
  await caseWithLabel(s);
  const { project } = (await ownerDoes(`query($id: ID!) { project(id: $id) { labels { name } } }`, { id: s.projectId })) as { project: { labels: Array<{ name: string }> } };
  await ownerDoes(IMPORT_GOLD, { projectId: s.projectId, csv: `case,label,value\nmatrix-a,${project.labels[0]!.name},1\n` });
};

// ---- review (fresh projects are blind: an annotator who has not submitted the case sees none of it)
const ADJUDICATE = `mutation($caseId: ID!, $labelId: ID!) { adjudicate(caseId: $caseId, labelId: $labelId, value: true, note: "matrix") { caseId labelId value version } }`;
const ADD_COMMENT = `mutation($caseId: ID!) { addCaseComment(caseId: $caseId, body: "matrix comment") { caseId body } }`;
const REVIEW_EVENTS = `subscription($projectId: ID!) { reviewEvents(projectId: $projectId) { kind projectId caseId } }`;
/** A case with one label, both readers' votes from the owner, and (optionally) the owner's adjudication and comment on it. */
const reviewedCase = (opts: { adjudicate?: boolean; comment?: boolean } = {}) => async (s: State) => {
  await caseWithLabel(s);
  await submitFirstCase()(s);
  if (opts.adjudicate) await ownerDoes(ADJUDICATE, { caseId: s.caseIds[0], labelId: s.labelIds[0] });
  if (opts.comment) await ownerDoes(ADD_COMMENT, { caseId: s.caseIds[0] });
};
/** Seeing a case's review (adjudications, comments): reviewers and whoever may see others' work on it. */
const seesCaseReview = byAction("annotations.viewOthers", { ANNOTATOR: "NOT_FOUND" });

const onlyTheReader: Rule = {
  text: "only the reader whose layer it is (here the owner)",
  expected: (a) => (a === "NOBODY" ? "UNAUTHENTICATED" : a === "OWNER" ? "ok" : "NOT_FOUND"),
};

// ---- rewards (issue 8): an input set and an epoch over the project's own labels, made by the owner
const IMPORT_REWARD_INPUTS = `mutation($projectId: ID!) { importRewardInputs(projectId: $projectId, name: "matrix", labels: "case,label,annotator,value\\nc1,L1,A,1\\nc1,L1,B,0\\n") { inputSet { votes readers } problems { field } } }`;
const RUN_REWARD_EPOCH = `mutation($projectId: ID!) { runRewardEpoch(projectId: $projectId, input: { policy: "concord" }) { id policy } }`;
const REWARD_EPOCH_UPDATES = `subscription($projectId: ID!) { rewardEpochUpdates(projectId: $projectId) { id policy } }`;
const rewardEpochOf = new WeakMap<State, string>();
const ownerRunsRewardEpoch = async (s: State) => {
  rewardEpochOf.set(s, ((await ownerDoes(RUN_REWARD_EPOCH, { projectId: s.projectId })) as { runRewardEpoch: { id: string } }).runRewardEpoch.id);
};
const ownerImportsRewardInputs = async (s: State) => {
  await ownerDoes(IMPORT_REWARD_INPUTS, { projectId: s.projectId });
};

const TABLE: Record<string, Scenario[]> = {
  // ---- rewards (issue 8). Shares are for rewards.run; other members see only epochs holding a share of theirs (none here).
  rewardInputSets: [
    {
      title: "lists the project's reward input sets",
      rule: byAction("rewards.run"),
      prepare: ownerImportsRewardInputs,
      document: `query($projectId: ID!) { rewardInputSets(projectId: $projectId) { name votes } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, [{ name: "matrix", votes: 2 }]),
    },
  ],
  rewardEpochs: [
    {
      title: "lists reward epochs: all with rewards.run, only those with a share of yours otherwise",
      rule: byAction("project.view"),
      prepare: ownerRunsRewardEpoch,
      document: `query($projectId: ID!) { rewardEpochs(projectId: $projectId) { id } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => expectEq(v, (MATRIX["rewards.run"] as readonly string[]).includes(s.actor) ? [{ id: rewardEpochOf.get(s) }] : []),
    },
  ],
  rewardEpoch: [
    {
      title: "reads one reward epoch (a member without a share in it: not found)",
      rule: byAction("rewards.run"),
      prepare: ownerRunsRewardEpoch,
      document: `query($id: ID!) { rewardEpoch(id: $id) { id policy } }`,
      variables: (s) => ({ id: rewardEpochOf.get(s) }),
      check: (v, s) => expectEq(v, { id: rewardEpochOf.get(s), policy: "concord" }),
    },
  ],
  importRewardInputs: [
    {
      title: "imports reward inputs from CSV as a named set",
      rule: byAction("rewards.run"),
      document: IMPORT_REWARD_INPUTS,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { inputSet: { votes: 2, readers: 2 }, problems: [] }),
    },
  ],
  runRewardEpoch: [
    {
      title: "queues a reward epoch over the project's own labels",
      rule: byAction("rewards.run"),
      document: RUN_REWARD_EPOCH,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v.policy, "concord"),
    },
  ],
  payRewardEpoch: [
    {
      title: "pays an epoch: the owner only (a manager is FORBIDDEN), refused with CONFLICT while no chain is configured",
      rule: byAction("rewards.run", { OWNER: "CONFLICT", MANAGER: "FORBIDDEN" }),
      prepare: ownerRunsRewardEpoch,
      document: `mutation($epochId: ID!) { payRewardEpoch(epochId: $epochId, addresses: [{ readerId: "A", address: "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu" }]) { id } }`,
      variables: (s) => ({ epochId: rewardEpochOf.get(s) }),
    },
  ],
  setPayoutAddress: [
    {
      title: "stores the caller's own payout address",
      rule: loggedIn(),
      project: "none",
      document: `mutation { setPayoutAddress(address: "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu") }`,
      check: (v) => expectEq(v, "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"),
    },
  ],
  rewardEpochUpdates: [
    {
      title: "subscribes to the project's reward epochs, and hears one being queued",
      rule: byAction("rewards.run"),
      document: REWARD_EPOCH_UPDATES,
      variables: (s) => ({ projectId: s.projectId }),
      run: async (s) => {
        const sub = new Subscription(s.caller, REWARD_EPOCH_UPDATES, { projectId: s.projectId });
        try {
          let first: Awaited<ReturnType<typeof sub.next>> | undefined;
          const answered = sub.next(5000).then((r) => (first = r));
          await until(() => first !== undefined || subscriptions.count(`rewards:${s.projectId}`) > 0, 5000, "an answer or a listener");
          if (first === undefined) await ownerRunsRewardEpoch(s);
          const r = await answered;
          if (r === "timeout") throw new Error("the subscription neither answered nor heard the epoch");
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => expectEq(v, { id: rewardEpochOf.get(s), policy: "concord" }),
    },
  ],
  // ---- Query
  me: [
    {
      title: "the caller's own account, or null",
      rule: anyone,
      project: "none",
      document: `{ me { id email } }`,
      check: (v, s) => (s.account ? expectEq(v.id, s.account.id) : expectEq(v, null)),
    },
  ],
  myProjects: [
    {
      title: "lists the projects the caller is a member of",
      rule: loggedIn(),
      project: "shared",
      document: `{ myProjects { id myRole } }`,
      check: (v: Array<{ id: string; myRole: string }>, s) => {
        const mine = v.find((p) => p.id === s.projectId);
        expectEq(mine?.myRole, s.actor === "STRANGER" ? undefined : s.actor);
      },
    },
  ],
  myPayoutAddress: [
    {
      title: "the caller's own payout address, or null",
      rule: loggedIn(),
      project: "none",
      document: `{ myPayoutAddress }`,
      check: (v) => expectEq(v === null || typeof v === "string", true),
    },
  ],
  rewardPayoutChain: [
    {
      title: "the payout chain, null here where none is configured",
      rule: loggedIn(),
      project: "none",
      document: `{ rewardPayoutChain { chainId denom prefix } }`,
      check: (v) => expectEq(v, null),
    },
  ],
  apiTokens: [
    {
      title: "lists the caller's own tokens",
      rule: loggedIn(),
      project: "none",
      document: `{ apiTokens { id name } }`,
      check: (v) => expectEq(Array.isArray(v), true),
    },
  ],
  project: [
    {
      title: "reads a project with the caller's role and permissions",
      rule: byAction("project.view"),
      project: "shared",
      document: `query($id: ID!) { project(id: $id) { id myRole myPermissions blindReading labels { id } } }`,
      variables: (s) => ({ id: s.projectId }),
      check: (v, s) => {
        expectEq(v.myRole, s.actor);
        expectEq([...v.myPermissions].sort(), permissionsOf(s.actor as Role, v.blindReading));
      },
    },
  ],
  projectMembers: [
    {
      title: "lists members",
      rule: byAction("members.view"),
      project: "shared",
      document: `query($projectId: ID!) { projectMembers(projectId: $projectId) { role user { id email } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v: Array<{ role: string }>) => expectEq(v.map((m) => m.role).sort(), [...ROLES].sort()),
    },
  ],

  // ---- Query: cases and uploads
  cases: [
    {
      title: "pages through a project's cases",
      rule: byAction("project.view"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: `query($projectId: ID!) {
        cases(projectId: $projectId, first: 1) { edges { cursor node { id key readersDone readersNeeded } } pageInfo { endCursor hasNextPage } totalCount }
      }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => {
        expectEq([v.totalCount, v.pageInfo.hasNextPage, v.edges.map((e: { node: { id: string; key: string } }) => [e.node.id, e.node.key])], [2, true, [[s.caseIds[0], "matrix-a"]]]);
        expectEq([v.edges[0].node.readersDone, v.edges[0].node.readersNeeded], [0, 3]);
      },
    },
    {
      title: "reads cases of an archived project",
      rule: byAction("project.view"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await ownerDoes(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: s.projectId });
      },
      document: `query($projectId: ID!) { cases(projectId: $projectId) { edges { node { id } } totalCount } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => expectEq([v.totalCount, v.edges[0].node.id], [1, s.caseIds[0]]),
    },
  ],
  datasetSplitCounts: [
    {
      title: "counts the cases in each dataset split",
      rule: byAction("project.view"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: `query($projectId: ID!) { datasetSplitCounts(projectId: $projectId) { split cases } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => {
        expectEq(v.map((r: { split: string }) => r.split), ["TRAIN", "VALIDATION", "TEST"]);
        expectEq(v.reduce((n: number, r: { cases: number }) => n + r.cases, 0), 2);
      },
    },
  ],
  splitLabelCounts: [
    {
      title: "counts each label's consensus in each dataset split (readers' answers)",
      rule: byAction("stats.view"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await addLabels(1)(s);
      },
      document: `query($projectId: ID!) { splitLabelCounts(projectId: $projectId) { label split cases positive negative } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => {
        expectEq(v.map((r: { split: string }) => r.split), ["TRAIN", "VALIDATION", "TEST"]);
        expectEq(v.reduce((n: number, r: { cases: number; positive: number; negative: number }) => n + r.cases + r.positive + r.negative, 0), 1);
      },
    },
  ],
  case: [
    {
      title: "reads one case",
      rule: byAction("project.view"),
      prepare: uploadCases(["matrix-a"]),
      document: `query($id: ID!) { case(id: $id) { id key hasReport report sopInstanceUid } }`,
      variables: (s) => ({ id: s.caseIds[0] }),
      check: (v, s) => expectEq([v.id, v.key, v.hasReport, v.report, typeof v.sopInstanceUid], [s.caseIds[0], "matrix-a", false, null, "string"]),
    },
  ],
  uploadBatch: [
    {
      title: "reads an upload's result per file",
      rule: byAction("data.upload"),
      prepare: async (s) => {
        s.batchIds.push(await stowOk(server, s.projectId, owner(), [{ bytes: Buffer.from("not an image") }, { bytes: chestPng(8, 8) }]));
      },
      document: `query($id: ID!) { uploadBatch(id: $id) { id status total stored refused results { position fileName status } } }`,
      variables: (s) => ({ id: s.batchIds[0] }),
      check: (v, s) => {
        expectEq([v.id, v.status, v.total, v.stored, v.refused], [s.batchIds[0], "DONE", 2, 1, 1]);
        expectEq(v.results, [
          { position: 0, fileName: "part 1", status: "REFUSED" },
          { position: 1, fileName: "part 2", status: "STORED" },
        ]);
      },
    },
  ],
  caseKeyMapping: [
    {
      title: "reads what the project's case key mapping maps",
      rule: byAction("data.upload"),
      prepare: async (s) => {
        await ownerDoes(IMPORT_MAPPING, { projectId: s.projectId, csv: `patient_id,case_key\nP1,c1\n` });
      },
      document: `query($projectId: ID!) { caseKeyMapping(projectId: $projectId) { identifier entries } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { identifier: "PATIENT_ID", entries: 1 }),
    },
  ],
  uploadBatches: [
    {
      title: "lists a project's uploads, newest first",
      rule: byAction("data.upload"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await uploadCases(["matrix-b"])(s);
      },
      document: `query($projectId: ID!) { uploadBatches(projectId: $projectId) { id results { status } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v: Array<{ id: string; results: Array<{ status: string }> }>, s) => {
        expectEq(v.map((b) => b.id), [...s.batchIds].reverse());
        expectEq(v.map((b) => b.results.map((r) => r.status)), [["STORED"], ["STORED"]]);
      },
    },
  ],

  // ---- Query: external store
  externalStore: [
    {
      title: "reads the project's external store, without its secret",
      rule: byAction("project.manage"),
      prepare: (s) => setStubStore(s, { auth: "BEARER", secret: "matrix-token" }),
      document: `query($projectId: ID!) { externalStore(projectId: $projectId) { projectId baseUrl auth username hasSecret } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: async (v, s) => expectEq(v, { projectId: s.projectId, baseUrl: (await sharedDicomwebStub()).url, auth: "BEARER", username: null, hasSecret: true }),
    },
  ],

  // ---- Mutation: accounts
  signUp: [
    {
      title: "creates an account",
      rule: anyone,
      project: "none",
      document: `mutation($input: SignUpInput!) { signUp(input: $input) { id email } }`,
      variables: () => ({ input: { email: uniqueEmail("matrix"), password: PASSWORD, name: "Matrix" } }),
      check: (v) => expectEq(typeof v.id, "string"),
    },
  ],
  logIn: [
    {
      title: "logs in to an account whose password the caller knows",
      rule: anyone,
      project: "none",
      document: `mutation($input: LogInInput!) { logIn(input: $input) { id } }`,
      variables: () => ({ input: { email: target.email, password: PASSWORD } }),
      check: (v) => expectEq(v.id, target.id),
    },
  ],
  logOut: [
    {
      title: "ends the caller's session",
      rule: anyone,
      project: "none",
      // A session of its own, so the actor's main cookie stays valid for the other pairs.
      prepare: async (s) => {
        if (!s.account) return;
        s.caller = new Caller(server);
        await s.caller.ok(`mutation($input: LogInInput!) { logIn(input: $input) { id } }`, { input: { email: s.account.email, password: PASSWORD } });
        s.cookie = s.caller.cookie;
      },
      document: `mutation { logOut }`,
      check: async (v, s) => {
        expectEq(v, true);
        if (s.cookie) expectEq((await new Caller(server, s.cookie).ok<{ me: unknown }>(`{ me { id } }`)).me, null);
      },
    },
  ],
  createApiToken: [
    {
      title: "creates a token for the caller",
      rule: loggedIn(),
      project: "none",
      document: `mutation { createApiToken(input: { name: "matrix" }) { token apiToken { id } } }`,
      check: (v) => expectEq(typeof v.token, "string"),
    },
  ],
  instance: [
    {
      title: "says how the server is set up",
      rule: anyone,
      project: "none",
      document: `{ instance { signupOpen mailEnabled } }`,
      check: (v) => expectEq(v, { signupOpen: true, mailEnabled: false }),
    },
  ],
  updateProfile: [
    {
      title: "changes the caller's own name",
      rule: loggedIn(),
      project: "none",
      prepare: ownAccount,
      document: `mutation { updateProfile(input: { name: "Renamed" }) { name } }`,
      check: (v) => expectEq(v.name, "Renamed"),
    },
  ],
  changePassword: [
    {
      title: "changes the caller's own password",
      rule: loggedIn(),
      project: "none",
      prepare: ownAccount,
      document: `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`,
      variables: () => ({ input: { currentPassword: PASSWORD, newPassword: "another long passphrase 4" } }),
      check: (v) => expectEq(v, 0),
    },
  ],
  mySessions: [
    {
      title: "lists the caller's sessions",
      rule: loggedIn(),
      project: "none",
      document: `{ mySessions { id current } }`,
      check: (v: Array<{ current: boolean }>) => expectEq(v.filter((x) => x.current).length, 1),
    },
  ],
  revokeSession: [
    {
      title: "ends one of the caller's sessions",
      rule: loggedIn(),
      project: "none",
      prepare: ownAccount,
      document: `mutation($id: ID!) { revokeSession(id: $id) }`,
      // Its own current session: then it is logged out.
      run: async (s) => {
        const listed = await s.caller.gql<{ mySessions: Array<{ id: string }> }>(`{ mySessions { id } }`);
        return s.caller.gql(`mutation($id: ID!) { revokeSession(id: $id) }`, { id: listed.data?.mySessions[0]?.id ?? "00000000-0000-4000-8000-000000000000" });
      },
      check: async (v, s) => {
        expectEq(v, true);
        expectEq((await s.caller.ok<{ me: unknown }>(`{ me { id } }`)).me, null);
      },
    },
  ],
  logOutOtherSessions: [
    {
      title: "ends the caller's other sessions",
      rule: loggedIn(),
      project: "none",
      prepare: ownAccount,
      document: `mutation { logOutOtherSessions }`,
      check: (v) => expectEq(v, 0),
    },
  ],
  requestPasswordLink: [
    {
      title: "e-mails a password link (this server sends no e-mail: refused for everyone)",
      rule: { text: "FORBIDDEN for anyone without a mail server", expected: () => "FORBIDDEN" },
      project: "none",
      document: `mutation($email: String!) { requestPasswordLink(email: $email) }`,
      variables: () => ({ email: target.email }),
    },
  ],
  passwordLink: [
    {
      title: "shows a password link's account and state to whoever holds it",
      rule: anyone,
      project: "none",
      document: `query($token: String!) { passwordLink(token: $token) { state } }`,
      run: async (s) => s.caller.gql(`query($token: String!) { passwordLink(token: $token) { state } }`, { token: await freshPasswordLink() }),
      check: (v) => expectEq(v.state, "VALID"),
    },
  ],
  setPasswordWithLink: [
    {
      title: "sets a password with a link, whoever holds it",
      rule: anyone,
      project: "none",
      document: `mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`,
      run: async (s) => s.caller.gql(`mutation($input: SetPasswordInput!) { setPasswordWithLink(input: $input) { id } }`, { input: { token: await freshPasswordLink(), password: PASSWORD } }),
      check: (v) => expectEq(typeof v.id, "string"),
    },
  ],
  accounts: [
    {
      title: "lists the server's accounts (administrators only)",
      rule: loggedIn("FORBIDDEN"),
      project: "none",
      document: `{ accounts { total } }`,
    },
  ],
  createAccount: [
    {
      title: "makes an account (administrators only)",
      rule: loggedIn("FORBIDDEN"),
      project: "none",
      document: `mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }`,
      variables: () => ({ input: { email: uniqueEmail("made"), name: "Made" } }),
    },
  ],
  setAccountDisabled: [
    {
      title: "disables an account (administrators only)",
      rule: loggedIn("FORBIDDEN"),
      project: "none",
      document: `mutation($userId: ID!) { setAccountDisabled(userId: $userId, disabled: true) { id } }`,
      variables: () => ({ userId: target.id }),
    },
  ],
  setAccountAdmin: [
    {
      title: "makes an account an administrator (administrators only)",
      rule: loggedIn("FORBIDDEN"),
      project: "none",
      document: `mutation($userId: ID!) { setAccountAdmin(userId: $userId, admin: true) { id } }`,
      variables: () => ({ userId: target.id }),
    },
  ],
  issuePasswordLink: [
    {
      title: "issues a password link (administrators only)",
      rule: loggedIn("FORBIDDEN"),
      project: "none",
      document: `mutation($userId: ID!) { issuePasswordLink(userId: $userId) { url } }`,
      variables: () => ({ userId: target.id }),
    },
  ],
  invitation: [
    {
      title: "shows an invitation to whoever holds its link",
      rule: anyone,
      prepare: addInvitation,
      document: `query($token: String!) { invitation(token: $token) { role state } }`,
      variables: (s) => ({ token: tokenOf.get(s) }),
      check: (v) => expectEq(v, { role: "VIEWER", state: "VALID" }),
    },
  ],
  acceptInvitation: [
    {
      title: "accepts as a guest making the invited account; logged in, only as that address",
      rule: { text: "a guest; FORBIDDEN for any other address", expected: (a) => (a === "NOBODY" ? "ok" : "FORBIDDEN") },
      prepare: addInvitation,
      document: `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { projectId role } }`,
      variables: (s) => ({ input: { token: tokenOf.get(s), name: "Invited", password: PASSWORD } }),
      check: (v, s) => expectEq(v, { projectId: s.projectId, role: "VIEWER" }),
    },
  ],
  revokeApiToken: [
    {
      title: "revokes one of the caller's own tokens",
      rule: loggedIn(),
      project: "none",
      prepare: async (s) => {
        s.tokenId = await createToken(s.account ? s.caller : target.caller);
      },
      document: `mutation($id: ID!) { revokeApiToken(id: $id) }`,
      variables: (s) => ({ id: s.tokenId }),
      check: (v) => expectEq(v, true),
    },
    {
      title: "someone else's token does not exist for the caller",
      rule: loggedIn("NOT_FOUND"),
      project: "none",
      prepare: async (s) => {
        s.tokenId = await createToken(target.caller);
      },
      document: `mutation($id: ID!) { revokeApiToken(id: $id) }`,
      variables: (s) => ({ id: s.tokenId }),
    },
  ],

  // ---- Mutation: projects
  createProject: [
    {
      title: "creates a project owned by the caller",
      rule: loggedIn(),
      project: "none",
      document: `mutation { createProject(input: { name: "Matrix" }) { id myRole } }`,
      check: (v) => expectEq(v.myRole, "OWNER"),
    },
  ],
  renameProject: [
    {
      title: "renames",
      rule: byAction("project.manage"),
      document: `mutation($id: ID!) { renameProject(id: $id, name: "Renamed") { ${PROJECT_FIELDS} } }`,
      variables: (s) => ({ id: s.projectId }),
      check: (v) => expectEq(v.name, "Renamed"),
    },
  ],
  updateProjectSettings: [
    {
      title: "changes settings",
      rule: byAction("project.manage"),
      document: `mutation($id: ID!) { updateProjectSettings(id: $id, input: { readersPerCase: 5, blindReading: false }) { ${PROJECT_FIELDS} } }`,
      variables: (s) => ({ id: s.projectId }),
      check: (v) => expectEq([v.readersPerCase, v.blindReading], [5, false]),
    },
  ],
  archiveProject: [
    {
      title: "archives",
      rule: byAction("project.archive"),
      document: `mutation($id: ID!) { archiveProject(id: $id) { ${PROJECT_FIELDS} } }`,
      variables: (s) => ({ id: s.projectId }),
      check: (v) => expectEq(v.archived, true),
    },
  ],
  unarchiveProject: [
    {
      title: "unarchives",
      rule: byAction("project.archive"),
      prepare: async (s) => {
        await ownerDoes(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: s.projectId });
      },
      document: `mutation($id: ID!) { unarchiveProject(id: $id) { ${PROJECT_FIELDS} } }`,
      variables: (s) => ({ id: s.projectId }),
      check: (v) => expectEq(v.archived, false),
    },
  ],

  // ---- Mutation: labels
  createLabel: [
    {
      title: "creates a label",
      rule: byAction("labels.edit"),
      document: `mutation($projectId: ID!) { createLabel(projectId: $projectId, input: { kind: ROI, roiShape: FREEHAND, name: "Nodule" }) { ${LABEL_FIELDS} } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v.name, "Nodule"),
    },
  ],
  updateLabel: [
    {
      title: "renames a label",
      rule: byAction("labels.edit"),
      prepare: addLabels(1),
      document: `mutation($id: ID!) { updateLabel(id: $id, input: { name: "Renamed", color: "#123456" }) { ${LABEL_FIELDS} } }`,
      variables: (s) => ({ id: s.labelIds[0] }),
      check: (v, s) => expectEq([v.id, v.name], [s.labelIds[0], "Renamed"]),
    },
  ],
  archiveLabel: [
    {
      title: "archives a label",
      rule: byAction("labels.edit"),
      prepare: addLabels(1),
      document: `mutation($id: ID!) { archiveLabel(id: $id) { ${LABEL_FIELDS} } }`,
      variables: (s) => ({ id: s.labelIds[0] }),
      check: (v) => expectEq(v.archived, true),
    },
  ],
  restoreLabel: [
    {
      title: "restores an archived label",
      rule: byAction("labels.edit"),
      prepare: addLabels(1, true),
      document: `mutation($id: ID!) { restoreLabel(id: $id) { ${LABEL_FIELDS} } }`,
      variables: (s) => ({ id: s.labelIds[0] }),
      check: (v) => expectEq(v.archived, false),
    },
  ],
  reorderLabels: [
    {
      title: "reorders labels",
      rule: byAction("labels.edit"),
      prepare: addLabels(2),
      document: `mutation($projectId: ID!, $labelIds: [ID!]!) { reorderLabels(projectId: $projectId, labelIds: $labelIds) { ${LABEL_FIELDS} } }`,
      variables: (s) => ({ projectId: s.projectId, labelIds: [...s.labelIds].reverse() }),
      check: (v: Array<{ id: string }>, s) => expectEq(v.map((l) => l.id), [...s.labelIds].reverse()),
    },
  ],

  copyLabels: [
    {
      title: "copies another project's labels",
      rule: byAction("labels.edit"),
      prepare: addSourceProject,
      document: `mutation($projectId: ID!, $source: ID!) { copyLabels(projectId: $projectId, sourceProjectId: $source) { labels { name } groups { id } skipped } }`,
      variables: (s) => ({ projectId: s.projectId, source: s.otherProjectId }),
      check: (v) => expectEq(v, { labels: [{ name: "Copied" }], groups: [], skipped: [] }),
    },
  ],
  createLabelGroup: [
    {
      title: "groups labels that take one answer",
      rule: byAction("labels.edit"),
      prepare: addLabels(2),
      document: `mutation($projectId: ID!, $labelIds: [ID!]!) { createLabelGroup(projectId: $projectId, input: { name: "Grade", labelIds: $labelIds, ordinal: true }) { ${LABEL_GROUP_FIELDS} } }`,
      variables: (s) => ({ projectId: s.projectId, labelIds: [...s.labelIds].reverse() }),
      check: (v, s) => expectEq([v.name, v.labelIds, v.ordinal, v.required], ["Grade", [...s.labelIds].reverse(), true, false]),
    },
  ],
  updateLabelGroup: [
    {
      title: "changes a label group",
      rule: byAction("labels.edit"),
      prepare: addLabelGroup,
      document: `mutation($id: ID!, $labelIds: [ID!]!) { updateLabelGroup(id: $id, input: { name: "Laterality", labelIds: $labelIds, required: true }) { ${LABEL_GROUP_FIELDS} } }`,
      variables: (s) => ({ id: s.labelGroupId, labelIds: s.labelIds }),
      check: (v, s) => expectEq([v.name, v.labelIds, v.required], ["Laterality", s.labelIds, true]),
    },
  ],
  deleteLabelGroup: [
    {
      title: "deletes a label group, keeping its labels",
      rule: byAction("labels.edit"),
      prepare: addLabelGroup,
      document: `mutation($id: ID!) { deleteLabelGroup(id: $id) }`,
      variables: (s) => ({ id: s.labelGroupId }),
      check: async (v, s) => {
        expectEq(v, true);
        const data = await ownerDoes(`query($id: ID!) { project(id: $id) { labelGroups { id } labels { id groupId } } }`, { id: s.projectId });
        const project = data.project as { labelGroups: unknown[]; labels: Array<{ id: string; groupId: string | null }> };
        expectEq([project.labelGroups.length, project.labels.map((l) => l.groupId)], [0, [null, null, null]]);
      },
    },
  ],

  // ---- Mutation: reports
  importReports: [
    {
      title: "sets case reports from a CSV",
      rule: byAction("data.upload"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: IMPORT_REPORTS,
      variables: (s) => ({ projectId: s.projectId, csv: `case,report\nmatrix-b,"Normal, no findings."\nmissing,x\n` }),
      check: async (v, s) => {
        expectEq(v, { matched: 1, unmatched: [{ line: 3, key: "missing" }], problems: [] });
        const { case: c } = await ownerDoes(`query($id: ID!) { case(id: $id) { key report } }`, { id: s.caseIds[1] });
        expectEq(c, { key: "matrix-b", report: "Normal, no findings." });
      },
    },
    {
      title: "in an archived project (never)",
      rule: byAction("data.upload", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", DATA_OWNER: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await ownerDoes(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: s.projectId });
      },
      document: IMPORT_REPORTS,
      variables: (s) => ({ projectId: s.projectId, csv: `case,report\nmatrix-a,Changed.\n` }),
    },
  ],

  importCaseKeyMapping: [
    {
      title: "replaces the project's case key mapping from a CSV",
      rule: byAction("data.upload"),
      document: IMPORT_MAPPING,
      variables: (s) => ({ projectId: s.projectId, csv: `accession_number,case_key\nA1,case-1\nA2,case-2\n` }),
      check: (v) => expectEq(v, { mapping: { identifier: "ACCESSION_NUMBER", entries: 2 }, problems: [] }),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("data.upload", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", DATA_OWNER: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await ownerDoes(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: s.projectId });
      },
      document: IMPORT_MAPPING,
      variables: (s) => ({ projectId: s.projectId, csv: `accession_number,case_key\nA1,case-1\n` }),
    },
  ],

  // ---- Mutation: external store
  setExternalStore: [
    {
      title: "points the project at a DICOMweb store that answers",
      rule: byAction("project.manage"),
      document: SET_STORE,
      variables: (s) => ({ projectId: s.projectId, input: { baseUrl: stubUrl, auth: "NONE" } }),
      check: (v) => expectEq([v.baseUrl, v.auth, v.hasSecret], [stubUrl, "NONE", false]),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("project.manage", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await ownerDoes(`mutation($id: ID!) { archiveProject(id: $id) { id } }`, { id: s.projectId });
      },
      document: SET_STORE,
      variables: (s) => ({ projectId: s.projectId, input: { baseUrl: stubUrl, auth: "NONE" } }),
    },
  ],
  clearExternalStore: [
    {
      title: "returns the project to the local store",
      rule: byAction("project.manage"),
      prepare: (s) => setStubStore(s),
      document: `mutation($projectId: ID!) { clearExternalStore(projectId: $projectId) }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: async (v, s) => {
        expectEq(v, true);
        expectEq((await ownerDoes(`query($projectId: ID!) { externalStore(projectId: $projectId) { baseUrl } }`, { projectId: s.projectId })).externalStore, null);
      },
    },
  ],

  // ---- Mutation: exports
  startExport: [
    {
      title: "queues an export job",
      rule: byAction("data.export"),
      document: START_EXPORT,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v.format, "CSV_LABELS"),
    },
  ],
  importStructuredReports: [
    {
      title: "imports structured reports as the caller's annotations (a file that is no report is refused on its own)",
      // Imported reports become the importer's reading: a data owner may upload but not annotate.
      rule: byAction("data.upload", { DATA_OWNER: "FORBIDDEN" }),
      document: `mutation($projectId: ID!) { importStructuredReports(projectId: $projectId, files: [{ name: "x.dcm", contentBase64: "AAAA" }]) { fileName status } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, [{ fileName: "x.dcm", status: "REFUSED" }]),
    },
  ],
  // ---- Mutation: AI
  registerModel: [
    {
      title: "uploads an ONNX model, to be validated",
      rule: byAction("models.manage"),
      document: REGISTER_MODEL,
      variables: (s) => ({ projectId: s.projectId, ...AI_MODEL }),
      check: (v) => expectEq(v.status, "VALIDATING"),
    },
  ],
  trainModel: [
    {
      title: "queues training on the consensus labels",
      rule: byAction("models.manage"),
      prepare: addLabels(1),
      document: `mutation($projectId: ID!) { trainModel(projectId: $projectId, name: "matrix") { kind status } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { kind: "TRAIN", status: "QUEUED" }),
    },
  ],
  runModel: [
    {
      title: "queues a model on a case",
      rule: byAction("case.annotate"),
      prepare: modelAndCase,
      document: `mutation($caseId: ID!, $modelVersionId: ID!) { runModel(caseId: $caseId, modelVersionId: $modelVersionId) { kind caseId modelVersionId } }`,
      variables: (s) => ({ caseId: s.caseIds[0], modelVersionId: modelOf.get(s) }),
      check: (v, s) => expectEq(v, { kind: "INFER", caseId: s.caseIds[0], modelVersionId: modelOf.get(s) }),
    },
  ],
  runModelOnProject: [
    {
      title: "queues a model on every case of the project",
      rule: byAction("models.manage"),
      prepare: ownerRegistersModel,
      document: `mutation($projectId: ID!, $modelVersionId: ID!) { runModelOnProject(projectId: $projectId, modelVersionId: $modelVersionId) { kind modelVersionId } }`,
      variables: (s) => ({ projectId: s.projectId, modelVersionId: modelOf.get(s) }),
      check: (v, s) => expectEq(v, { kind: "INFER_BATCH", modelVersionId: modelOf.get(s) }),
    },
  ],

  // ---- Mutation: members
  grantRole: [
    {
      title: "adds a new member",
      rule: byAction("members.grant"),
      document: GRANT_ROLE,
      variables: (s) => ({ projectId: s.projectId, input: { email: target.email, role: "VIEWER" } }),
      check: (v) => expectEq([v.user.id, v.role], [target.id, "VIEWER"]),
    },
    {
      title: "changes a non-owner's role",
      rule: byAction("members.grant"),
      document: GRANT_ROLE,
      variables: (s) => ({ projectId: s.projectId, input: { email: team.VIEWER.email, role: "ANNOTATOR" } }),
      check: (v) => expectEq([v.user.id, v.role], [team.VIEWER.id, "ANNOTATOR"]),
    },
    {
      title: "makes someone an owner (owners only)",
      rule: byAction("members.grant", { MANAGER: "FORBIDDEN" }),
      document: GRANT_ROLE,
      variables: (s) => ({ projectId: s.projectId, input: { email: team.VIEWER.email, role: "OWNER" } }),
      check: (v) => expectEq([v.user.id, v.role], [team.VIEWER.id, "OWNER"]),
    },
    {
      title: "demotes the last owner (never)",
      rule: byAction("members.grant", { OWNER: "FORBIDDEN", MANAGER: "FORBIDDEN" }),
      document: GRANT_ROLE,
      variables: (s) => ({ projectId: s.projectId, input: { email: team.OWNER.email, role: "MANAGER" } }),
    },
    {
      title: "demotes one of two owners (owners only)",
      rule: byAction("members.grant", { MANAGER: "FORBIDDEN" }),
      prepare: makeSecondOwner,
      document: GRANT_ROLE,
      variables: (s) => ({ projectId: s.projectId, input: { email: target.email, role: "MANAGER" } }),
      check: (v) => expectEq([v.user.id, v.role], [target.id, "MANAGER"]),
    },
  ],
  inviteMember: [
    {
      title: "invites an address without an account",
      rule: byAction("members.grant"),
      document: `mutation($projectId: ID!, $input: InviteMemberInput!) { inviteMember(projectId: $projectId, input: $input) { invitation { role } link { url } } }`,
      variables: (s) => ({ projectId: s.projectId, input: { email: uniqueEmail("invitee"), role: "ANNOTATOR" } }),
      check: (v) => expectEq(v.invitation.role, "ANNOTATOR"),
    },
    {
      title: "invites an owner (owners only)",
      rule: byAction("members.grant", { MANAGER: "FORBIDDEN" }),
      document: `mutation($projectId: ID!, $input: InviteMemberInput!) { inviteMember(projectId: $projectId, input: $input) { invitation { role } } }`,
      variables: (s) => ({ projectId: s.projectId, input: { email: uniqueEmail("owner-invitee"), role: "OWNER" } }),
      check: (v) => expectEq(v.invitation.role, "OWNER"),
    },
  ],
  projectInvitations: [
    {
      title: "lists the project's open invitations",
      rule: byAction("members.view"),
      prepare: addInvitation,
      document: `query($projectId: ID!) { projectInvitations(projectId: $projectId) { id } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v: Array<{ id: string }>, s) => expectEq(v.map((i) => i.id), [invitationOf.get(s)]),
    },
  ],
  revokeInvitation: [
    {
      title: "withdraws an invitation",
      rule: byAction("members.grant"),
      prepare: addInvitation,
      document: `mutation($projectId: ID!, $invitationId: ID!) { revokeInvitation(projectId: $projectId, invitationId: $invitationId) }`,
      variables: (s) => ({ projectId: s.projectId, invitationId: invitationOf.get(s) }),
      check: (v) => expectEq(v, true),
    },
  ],
  revokeRole: [
    {
      title: "removes a non-owner",
      rule: byAction("members.grant"),
      document: `mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`,
      variables: (s) => ({ projectId: s.projectId, userId: team.VIEWER.id }),
      check: (v) => expectEq(v, true),
    },
    {
      title: "removes the last owner (never)",
      rule: byAction("members.grant", { OWNER: "FORBIDDEN", MANAGER: "FORBIDDEN" }),
      document: `mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`,
      variables: (s) => ({ projectId: s.projectId, userId: team.OWNER.id }),
    },
    {
      title: "removes one of two owners (owners only)",
      rule: byAction("members.grant", { MANAGER: "FORBIDDEN" }),
      prepare: makeSecondOwner,
      document: `mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`,
      variables: (s) => ({ projectId: s.projectId, userId: target.id }),
      check: (v) => expectEq(v, true),
    },
  ],

  // ---- PACS peers (DIMSE), against an in-process fake PACS
  dicomPeers: [
    {
      title: "lists the project's PACS peers",
      rule: byAction("data.upload"),
      prepare: addFakePeer,
      document: `query($projectId: ID!) { dicomPeers(projectId: $projectId) { id aeTitle } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v: Array<{ id: string }>, s) => expectEq(v.map((p) => p.id), [peerOf.get(s)]),
    },
  ],
  addDicomPeer: [
    {
      title: "registers a PACS peer",
      rule: byAction("data.upload"),
      document: ADD_PEER,
      variables: (s) => ({ projectId: s.projectId, input: { name: "Main PACS", aeTitle: "MAINPACS", host: "127.0.0.1", port: 11112 } }),
      check: (v) => expectEq([v.name, v.aeTitle, v.host, v.port], ["Main PACS", "MAINPACS", "127.0.0.1", 11112]),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("data.upload", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", DATA_OWNER: "PROJECT_ARCHIVED" }),
      prepare: archiveProject,
      document: ADD_PEER,
      variables: (s) => ({ projectId: s.projectId, input: { name: "Main PACS", aeTitle: "MAINPACS", host: "127.0.0.1", port: 11112 } }),
    },
  ],
  removeDicomPeer: [
    {
      title: "forgets a PACS peer",
      rule: byAction("data.upload"),
      prepare: addFakePeer,
      document: `mutation($id: ID!) { removeDicomPeer(id: $id) }`,
      variables: (s) => ({ id: peerOf.get(s) }),
      check: async (v, s) => {
        expectEq(v, true);
        expectEq((await ownerDoes(`query($projectId: ID!) { dicomPeers(projectId: $projectId) { id } }`, { projectId: s.projectId })).dicomPeers, []);
      },
    },
  ],
  echoDicomPeer: [
    {
      title: "C-ECHOes a PACS peer",
      rule: byAction("data.upload"),
      prepare: addFakePeer,
      document: `mutation($id: ID!) { echoDicomPeer(id: $id) { ok millis message } }`,
      variables: (s) => ({ id: peerOf.get(s) }),
      check: (v) => expectEq(v.ok, true),
    },
  ],
  findStudiesOnPeer: [
    {
      title: "C-FINDs studies on a PACS peer",
      rule: byAction("data.upload"),
      prepare: addFakePeer,
      document: `query($id: ID!) { findStudiesOnPeer(id: $id, query: { patientId: "SHARED-PACS-1" }) { studyInstanceUid numberOfInstances } }`,
      variables: (s) => ({ id: peerOf.get(s) }),
      check: (v) => expectEq(v, [{ studyInstanceUid: fakePacsStudy, numberOfInstances: 1 }]),
    },
  ],
  retrieveFromPeer: [
    {
      title: "retrieves a study from a PACS peer by C-GET",
      rule: byAction("data.upload"),
      prepare: addFakePeer,
      document: RETRIEVE,
      variables: (s) => ({ id: peerOf.get(s), uid: fakePacsStudy }),
      check: (v, s) => expectEq([v.projectId, v.source, v.total, v.stored], [s.projectId, "DIMSE", 1, 1]),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("data.upload", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", DATA_OWNER: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await addFakePeer(s);
        await archiveProject(s);
      },
      document: RETRIEVE,
      variables: (s) => ({ id: peerOf.get(s), uid: fakePacsStudy }),
    },
  ],

  // ---- annotations
  nextCase: [
    {
      title: "hands the reader a case and holds a slot of it",
      rule: byAction("case.annotate"),
      prepare: uploadCases(["matrix-a"]),
      document: `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { id key } annotation { id } leaseExpiresAt } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => expectEq([v.case.id, v.case.key, v.annotation, typeof v.leaseExpiresAt], [s.caseIds[0], "matrix-a", null, "string"]),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("case.annotate", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", ANNOTATOR: "PROJECT_ARCHIVED", REVIEWER: "PROJECT_ARCHIVED", TRAINEE: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await archiveProject(s);
      },
      document: `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { id } } }`,
      variables: (s) => ({ projectId: s.projectId }),
    },
  ],
  upcomingCase: [
    {
      title: "names the case after the given one, without holding it",
      rule: byAction("case.annotate"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: `query($projectId: ID!, $after: ID) { upcomingCase(projectId: $projectId, after: $after) { id key } }`,
      variables: (s) => ({ projectId: s.projectId, after: s.caseIds[0] }),
      check: (v, s) => expectEq([v.id, v.key], [s.caseIds[1], "matrix-b"]),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("case.annotate", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", ANNOTATOR: "PROJECT_ARCHIVED", REVIEWER: "PROJECT_ARCHIVED", TRAINEE: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await archiveProject(s);
      },
      document: `query($projectId: ID!) { upcomingCase(projectId: $projectId) { id } }`,
      variables: (s) => ({ projectId: s.projectId }),
    },
  ],
  myAnnotation: [
    {
      title: "reads the reader's own draft",
      rule: byAction("case.annotate"),
      prepare: async (s) => {
        await caseWithLabel(s);
        if (ANNOTATE_ROLES.includes(s.actor)) await s.caller.ok(SAVE_DRAFT, { caseId: s.caseIds[0], input: annotationInput(s) });
      },
      document: `query($caseId: ID!) { myAnnotation(caseId: $caseId) { status version readerId labels { labelId value confidence } } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, { status: "DRAFT", version: 1, readerId: s.account!.id, labels: [{ labelId: s.labelIds[0], value: true, confidence: 80 }] }),
    },
  ],
  saveDraft: [
    {
      title: "autosaves the reader's draft",
      rule: byAction("case.annotate"),
      prepare: caseWithLabel,
      document: SAVE_DRAFT,
      variables: (s) => ({ caseId: s.caseIds[0], input: annotationInput(s) }),
      check: (v, s) => expectEq([v.version, v.status, v.labels], [1, "DRAFT", [{ labelId: s.labelIds[0], value: true }]]),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("case.annotate", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", ANNOTATOR: "PROJECT_ARCHIVED", REVIEWER: "PROJECT_ARCHIVED", TRAINEE: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await caseWithLabel(s);
        await archiveProject(s);
      },
      document: SAVE_DRAFT,
      variables: (s) => ({ caseId: s.caseIds[0], input: annotationInput(s) }),
    },
  ],
  submitAnnotation: [
    {
      title: "submits the reader's annotation",
      rule: byAction("case.annotate"),
      prepare: caseWithLabel,
      document: SUBMIT_ANNOTATION,
      variables: (s) => ({ caseId: s.caseIds[0], input: annotationInput(s) }),
      check: (v, s) => expectEq([v.version, v.status, v.readerId], [1, "SUBMITTED", s.account!.id]),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("case.annotate", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", ANNOTATOR: "PROJECT_ARCHIVED", REVIEWER: "PROJECT_ARCHIVED", TRAINEE: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await caseWithLabel(s);
        await archiveProject(s);
      },
      document: SUBMIT_ANNOTATION,
      variables: (s) => ({ caseId: s.caseIds[0], input: annotationInput(s) }),
    },
  ],
  reviseAnnotation: [
    {
      title: "opens a new version of the reader's submission",
      rule: byAction("case.annotate"),
      prepare: async (s) => {
        await caseWithLabel(s);
        if (ANNOTATE_ROLES.includes(s.actor)) await submitFirstCase(() => s.caller)(s);
      },
      document: `mutation($caseId: ID!) { reviseAnnotation(caseId: $caseId) { version status labels { labelId value } } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, { version: 2, status: "DRAFT", labels: [{ labelId: s.labelIds[0], value: true }] }),
    },
  ],
  skipCase: [
    {
      title: "skips a case for the reader",
      rule: byAction("case.annotate"),
      prepare: uploadCases(["matrix-a"]),
      document: SKIP_CASE,
      variables: (s) => ({ caseId: s.caseIds[0], reason: "IMAGE_QUALITY", note: "motion" }),
      check: (v, s) => expectEq(v, { caseId: s.caseIds[0], caseKey: "matrix-a", readerId: s.account!.id, reason: "IMAGE_QUALITY", note: "motion" }),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("case.annotate", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", ANNOTATOR: "PROJECT_ARCHIVED", REVIEWER: "PROJECT_ARCHIVED", TRAINEE: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await archiveProject(s);
      },
      document: SKIP_CASE,
      variables: (s) => ({ caseId: s.caseIds[0], reason: "IMAGE_QUALITY", note: null }),
    },
  ],
  unskipCase: [
    {
      title: "withdraws the reader's own skip",
      rule: byAction("case.annotate"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        if (ANNOTATE_ROLES.includes(s.actor)) await s.caller.ok(SKIP_CASE, { caseId: s.caseIds[0], reason: "OUTSIDE_EXPERTISE", note: null });
      },
      document: `mutation($caseId: ID!) { unskipCase(caseId: $caseId) }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v) => expectEq(v, true),
    },
    {
      title: "withdraws another reader's skip (managers)",
      rule: byAction("project.manage"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await ownerDoes(SKIP_CASE, { caseId: s.caseIds[0], reason: "WRONG_IMAGE", note: null });
      },
      document: `mutation($caseId: ID!, $readerId: ID) { unskipCase(caseId: $caseId, readerId: $readerId) }`,
      variables: (s) => ({ caseId: s.caseIds[0], readerId: team.OWNER.id }),
      check: (v) => expectEq(v, true),
    },
  ],
  excludeCase: [
    {
      title: "excludes a case from its project",
      rule: byAction("project.manage"),
      prepare: uploadCases(["matrix-a"]),
      document: `mutation($caseId: ID!, $reason: ExclusionReason!, $note: String) { excludeCase(caseId: $caseId, reason: $reason, note: $note) { id exclusion { reason note } } }`,
      variables: (s) => ({ caseId: s.caseIds[0], reason: "DUPLICATE", note: "same study as matrix-b" }),
      check: (v, s) => expectEq(v, { id: s.caseIds[0], exclusion: { reason: "DUPLICATE", note: "same study as matrix-b" } }),
    },
    {
      title: "in an archived project (never)",
      rule: byAction("project.manage", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await archiveProject(s);
      },
      document: `mutation($caseId: ID!) { excludeCase(caseId: $caseId, reason: IMAGE_QUALITY) { id } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
    },
  ],
  includeCase: [
    {
      title: "brings an excluded case back",
      rule: byAction("project.manage"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await ownerDoes(`mutation($caseId: ID!) { excludeCase(caseId: $caseId, reason: WRONG_IMAGE) { id } }`, { caseId: s.caseIds[0] });
      },
      document: `mutation($caseId: ID!) { includeCase(caseId: $caseId) { id exclusion { reason } } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, { id: s.caseIds[0], exclusion: null }),
    },
  ],
  assignReaders: [
    {
      title: "assigns cases to readers",
      rule: byAction("project.manage"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: ASSIGN_READERS,
      variables: (s) => ({ projectId: s.projectId, caseIds: s.caseIds, readerIds: [team.ANNOTATOR.id] }),
      check: async (v, s) => {
        expectEq(v, { changed: 2, unchanged: 0 });
        expectEq(await assignedReaders(s), [[team.ANNOTATOR.id], [team.ANNOTATOR.id]]);
      },
    },
    {
      title: "in an archived project (never)",
      rule: byAction("project.manage", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await archiveProject(s);
      },
      document: ASSIGN_READERS,
      variables: (s) => ({ projectId: s.projectId, caseIds: s.caseIds, readerIds: [team.ANNOTATOR.id] }),
    },
  ],
  deleteCases: [
    {
      title: "deletes cases for good, with their images",
      rule: byAction("data.delete"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: `mutation($projectId: ID!, $caseIds: [ID!]!) { deleteCases(projectId: $projectId, caseIds: $caseIds, reason: WRONG_UPLOAD) { cases images } }`,
      variables: (s) => ({ projectId: s.projectId, caseIds: s.caseIds.slice(0, 1) }),
      check: async (v, s) => {
        expectEq(v, { cases: 1, images: 1 });
        const { cases } = (await ownerDoes(`query($projectId: ID!) { cases(projectId: $projectId, first: 10) { edges { node { id } } } }`, { projectId: s.projectId })) as { cases: { edges: Array<{ node: { id: string } }> } };
        expectEq(cases.edges.map((e) => e.node.id), s.caseIds.slice(1));
      },
    },
    {
      title: "in an archived project (never)",
      rule: byAction("data.delete", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", DATA_OWNER: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await archiveProject(s);
      },
      document: `mutation($projectId: ID!, $caseIds: [ID!]!) { deleteCases(projectId: $projectId, caseIds: $caseIds, reason: WRONG_UPLOAD) { cases } }`,
      variables: (s) => ({ projectId: s.projectId, caseIds: s.caseIds }),
    },
  ],
  unassignReaders: [
    {
      title: "withdraws readers' assignments",
      rule: byAction("project.manage"),
      prepare: async (s) => {
        await uploadCases(["matrix-a", "matrix-b"])(s);
        await ownerDoes(ASSIGN_READERS, { projectId: s.projectId, caseIds: s.caseIds, readerIds: [team.ANNOTATOR.id] });
      },
      document: `mutation($projectId: ID!, $caseIds: [ID!]!, $readerIds: [ID!]!) { unassignReaders(projectId: $projectId, caseIds: $caseIds, readerIds: $readerIds) { changed unchanged } }`,
      variables: (s) => ({ projectId: s.projectId, caseIds: [s.caseIds[0]], readerIds: [team.ANNOTATOR.id] }),
      check: async (v, s) => {
        expectEq(v, { changed: 1, unchanged: 0 });
        expectEq(await assignedReaders(s), [[], [team.ANNOTATOR.id]]);
      },
    },
  ],
  distributeCases: [
    {
      title: "spreads cases over readers",
      rule: byAction("project.manage"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: `mutation($projectId: ID!, $readerIds: [ID!]!) { distributeCases(projectId: $projectId, readerIds: $readerIds, readersPerCase: 1) { assigned cases shortCases } }`,
      variables: (s) => ({ projectId: s.projectId, readerIds: [team.ANNOTATOR.id, team.TRAINEE.id] }),
      check: async (v, s) => {
        expectEq(v, { assigned: 2, cases: 2, shortCases: 0 });
        expectEq((await assignedReaders(s)).flat().sort(), [team.ANNOTATOR.id, team.TRAINEE.id].sort());
      },
    },
  ],
  importAssignments: [
    {
      title: "assigns cases from a CSV",
      rule: byAction("project.manage"),
      prepare: uploadCases(["matrix-a", "matrix-b"]),
      document: `mutation($projectId: ID!, $csv: String!) { importAssignments(projectId: $projectId, csv: $csv) { assigned unchanged problems } }`,
      variables: (s) => ({ projectId: s.projectId, csv: `case,reader\nmatrix-b,${team.ANNOTATOR.email}\nmissing,${team.ANNOTATOR.email}\n` }),
      check: async (v, s) => {
        expectEq(v, { assigned: 1, unchanged: 0, problems: ['line 3: no case of this project has the key "missing"'] });
        expectEq(await assignedReaders(s), [[], [team.ANNOTATOR.id]]);
      },
    },
  ],
  myCaseSkip: [
    {
      title: "reads the reader's own skip of a case",
      rule: byAction("case.annotate"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        if (ANNOTATE_ROLES.includes(s.actor)) await s.caller.ok(SKIP_CASE, { caseId: s.caseIds[0], reason: "OTHER", note: "duplicate of another case" });
      },
      document: `query($caseId: ID!) { myCaseSkip(caseId: $caseId) { readerId reason note } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, { readerId: s.account!.id, reason: "OTHER", note: "duplicate of another case" }),
    },
  ],
  caseDeletions: [
    {
      title: "lists the project's deleted cases",
      rule: byAction("data.delete"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await ownerDoes(`mutation($projectId: ID!, $caseIds: [ID!]!) { deleteCases(projectId: $projectId, caseIds: $caseIds, reason: DUPLICATE) { cases } }`, { projectId: s.projectId, caseIds: s.caseIds });
      },
      document: `query($projectId: ID!) { caseDeletions(projectId: $projectId) { caseId caseKey reason } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => expectEq(v, [{ caseId: s.caseIds[0], caseKey: "matrix-a", reason: "DUPLICATE" }]),
    },
  ],
  caseSkips: [
    {
      title: "lists skipped cases: everyone's with stats.view, the reader's own otherwise",
      rule: byAction("case.annotate"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await ownerDoes(SKIP_CASE, { caseId: s.caseIds[0], reason: "IMAGE_QUALITY", note: null });
      },
      document: `query($projectId: ID!) { caseSkips(projectId: $projectId) { caseId readerId reason } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) =>
        expectEq(v, MATRIX["stats.view"].includes(s.actor as Role) ? [{ caseId: s.caseIds[0], readerId: team.OWNER.id, reason: "IMAGE_QUALITY" }] : []),
    },
  ],
  annotationHistory: [
    {
      title: "lists the reader's own versions",
      rule: byAction("case.annotate"),
      prepare: async (s) => {
        await caseWithLabel(s);
        if (ANNOTATE_ROLES.includes(s.actor)) await submitFirstCase(() => s.caller)(s);
      },
      document: `query($caseId: ID!) { annotationHistory(caseId: $caseId) { version status readerId } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, [{ version: 1, status: "SUBMITTED", readerId: s.account!.id }]),
    },
    {
      title: "lists another reader's submitted versions (blind: an annotator who has not submitted the case cannot)",
      rule: byAction("annotations.viewOthers", { ANNOTATOR: "NOT_FOUND" }),
      prepare: async (s) => {
        await caseWithLabel(s);
        await submitFirstCase()(s);
      },
      document: `query($caseId: ID!, $readerId: ID) { annotationHistory(caseId: $caseId, readerId: $readerId) { version status readerId } }`,
      variables: (s) => ({ caseId: s.caseIds[0], readerId: team.OWNER.id }),
      check: (v) => expectEq(v, [{ version: 1, status: "SUBMITTED", readerId: team.OWNER.id }]),
    },
  ],
  caseAnnotations: [
    {
      title: "lists others' submissions of a case (blind: not to an annotator who has not submitted it)",
      rule: byAction("annotations.viewOthers", { ANNOTATOR: "NOT_FOUND" }),
      prepare: async (s) => {
        await caseWithLabel(s);
        await submitFirstCase()(s);
      },
      document: `query($caseId: ID!) { caseAnnotations(caseId: $caseId) { readerId version labels { labelId value } } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, s.actor === "OWNER" ? [] : [{ readerId: team.OWNER.id, version: 1, labels: [{ labelId: s.labelIds[0], value: true }] }]),
    },
    {
      title: "lists others' submissions to an annotator who has submitted the case too",
      rule: byAction("annotations.viewOthers"),
      prepare: async (s) => {
        await caseWithLabel(s);
        await submitFirstCase()(s);
        await submitFirstCase(() => team.ANNOTATOR.caller)(s);
      },
      document: `query($caseId: ID!) { caseAnnotations(caseId: $caseId) { readerId } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v: Array<{ readerId: string }>, s) =>
        expectEq(v.map((a) => a.readerId).sort(), [team.OWNER.id, team.ANNOTATOR.id].filter((id) => id !== s.account!.id).sort()),
    },
  ],
  readerProgress: [
    {
      title: "reads reading progress and times",
      rule: byAction("stats.view"),
      prepare: async (s) => {
        await caseWithLabel(s);
        await submitFirstCase()(s);
      },
      document: `query($projectId: ID!) { readerProgress(projectId: $projectId) { totalCases completeCases readersPerCase readers { readerId casesDone } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => {
        expectEq([v.totalCases, v.completeCases, v.readersPerCase], [1, 0, 3]);
        expectEq(v.readers.find((r: { readerId: string }) => r.readerId === team.OWNER.id)?.casesDone, 1);
      },
    },
  ],
  exportSize: [
    {
      title: "counts the rows a CSV export would hold",
      rule: byAction("data.export"),
      prepare: async (s) => {
        await caseWithLabel(s);
        await submitFirstCase()(s);
      },
      document: `query($projectId: ID!) { exportSize(projectId: $projectId) { annotations labelRows roiRows } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { annotations: 1, labelRows: 1, roiRows: 0 }),
    },
  ],
  ledgerHead: [
    {
      title: "reads the ledger's latest signed tree head",
      rule: byAction("ledger.view"),
      prepare: ledgerIntegrated,
      document: `query($projectId: ID!) { ledgerHead(projectId: $projectId) { treeSize rootHash origin keyId publicKey checkpoint } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => {
        expectEq(v.treeSize > 0, true);
        expectEq(v.checkpoint.startsWith(`${v.origin}\n${v.treeSize}\n${v.rootHash}\n\n\u2014 ${v.origin} `), true);
      },
    },
  ],
  ledgerInclusionProof: [
    {
      title: "proves that one of the project's ledger entries (a role grant) is in the log",
      rule: byAction("ledger.view"),
      prepare: ledgerIntegrated,
      document: `query($projectId: ID!, $leafIndex: Int!) { ledgerInclusionProof(projectId: $projectId, leafIndex: $leafIndex) { leafIndex treeSize leafHash hashes } }`,
      variables: (s) => ({ projectId: s.projectId, leafIndex: ledgerLeafOf.get(s)?.seq }),
      check: async (v) => {
        const root = await ledgerRoot(v.treeSize);
        const b64 = (x: string) => Buffer.from(x, "base64");
        expectEq(verifyInclusion(v.leafIndex, v.treeSize, b64(v.leafHash), v.hashes.map(b64), root), true);
      },
    },
  ],
  ledgerConsistencyProof: [
    {
      title: "proves the log's first head is a prefix of its latest",
      rule: byAction("ledger.view"),
      prepare: ledgerIntegrated,
      document: `query($projectId: ID!, $size1: Int!) { ledgerConsistencyProof(projectId: $projectId, size1: $size1) { size1 size2 hashes } }`,
      variables: (s) => ({ projectId: s.projectId, size1: ledgerLeafOf.get(s)?.firstHead }),
      check: async (v) => {
        const b64 = (x: string) => Buffer.from(x, "base64");
        expectEq(verifyConsistency(v.size1, v.size2, v.hashes.map(b64), await ledgerRoot(v.size1), await ledgerRoot(v.size2)), true);
      },
    },
  ],
  exports: [
    {
      title: "lists the project's export jobs",
      rule: byAction("data.export"),
      prepare: ownerStartsExport,
      document: `query($projectId: ID!) { exports(projectId: $projectId) { id format } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => expectEq(v, [{ id: exportOf.get(s), format: "CSV_LABELS" }]),
    },
  ],
  exportJob: [
    {
      title: "reads one export job",
      rule: byAction("data.export"),
      prepare: ownerStartsExport,
      document: `query($id: ID!) { exportJob(id: $id) { id scope } }`,
      variables: (s) => ({ id: exportOf.get(s) }),
      check: (v, s) => expectEq(v, { id: exportOf.get(s), scope: "ALL_READERS" }),
    },
  ],
  ledgerAnchors: [
    {
      title: "lists the ledger's anchors on public chains (none: the test server anchors nowhere)",
      rule: byAction("ledger.view"),
      document: `query($projectId: ID!) { ledgerAnchors(projectId: $projectId, first: 5) { id chain treeSize rootHash txHash height checkStatus } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, []),
    },
  ],
  ledgerEntries: [
    {
      title: "lists the project's ledger entries by seq (the owner's role grants)",
      rule: byAction("ledger.view"),
      prepare: ledgerIntegrated,
      document: `query($projectId: ID!, $from: Int) { ledgerEntries(projectId: $projectId, from: $from, first: 50) { seq type projectId objectId leafHash } }`,
      variables: (s) => ({ projectId: s.projectId, from: ledgerLeafOf.get(s)?.seq }),
      check: (v, s) => {
        expectEq(v.length > 0, true);
        expectEq(v[0].seq, ledgerLeafOf.get(s)!.seq);
        expectEq(v.every((e: { projectId: string; type: string }) => e.projectId === s.projectId && e.type === "role.grant"), true);
      },
    },
  ],
  ledgerEntriesFor: [
    {
      title: "lists the project's ledger entries about one object (the viewer's role grant)",
      rule: byAction("ledger.view"),
      prepare: ledgerIntegrated,
      document: `query($projectId: ID!, $objectId: String!) { ledgerEntriesFor(projectId: $projectId, objectId: $objectId) { seq type projectId objectId } }`,
      variables: (s) => ({ projectId: s.projectId, objectId: team.VIEWER.id }),
      check: (v, s) => expectEq(v.map((e: { type: string; projectId: string; objectId: string }) => [e.type, e.projectId, e.objectId]), [["role.grant", s.projectId, team.VIEWER.id]]),
    },
  ],
  verifyLedger: [
    {
      title: "checks the whole ledger",
      rule: byAction("ledger.verify"),
      prepare: ledgerIntegrated,
      document: `mutation($projectId: ID!) { verifyLedger(projectId: $projectId) { leaves ok findings { kind seq message } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => {
        expectEq(v.findings, []);
        expectEq(v.ok, true);
        expectEq(v.leaves > 0, true);
      },
    },
  ],
  models: [
    {
      title: "lists the project's models and versions",
      rule: byAction("project.view"),
      prepare: ownerRegistersModel,
      document: `query($projectId: ID!) { models(projectId: $projectId) { name task versions { id status } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => expectEq(v, [{ name: "matrix", task: "BINARY", versions: [{ id: modelOf.get(s), status: "READY" }] }]),
    },
  ],
  modelVersion: [
    {
      title: "reads one model version",
      rule: byAction("project.view"),
      prepare: ownerRegistersModel,
      document: `query($id: ID!) { modelVersion(id: $id) { id status labels } }`,
      variables: (s) => ({ id: modelOf.get(s) }),
      check: (v, s) => expectEq(v, { id: modelOf.get(s), status: "READY", labels: ["finding"] }),
    },
  ],
  casePredictions: [
    {
      title: "reads a case's model suggestions (no reader's work: blind reading does not hide them)",
      rule: byAction("project.view"),
      prepare: predicted,
      document: `query($caseId: ID!) { casePredictions(caseId: $caseId) { modelVersionId outputs { label } } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, [{ modelVersionId: modelOf.get(s), outputs: [{ label: "finding" }] }]),
    },
  ],
  predictionHeatmap: [
    {
      title: "reads a prediction's heatmap",
      rule: byAction("project.view"),
      prepare: predicted,
      document: `query($caseId: ID!, $modelVersionId: ID!) { predictionHeatmap(caseId: $caseId, modelVersionId: $modelVersionId, label: "finding") { width height method } }`,
      variables: (s) => ({ caseId: s.caseIds[0], modelVersionId: modelOf.get(s) }),
      check: (v) => expectEq(v, { width: 8, height: 8, method: "cam" }),
    },
  ],
  predictionRegions: [
    {
      title: "reads a segmentation prediction's suggested regions (no reader's work: blind reading does not hide them)",
      rule: byAction("project.view"),
      prepare: segmented,
      document: `query($caseId: ID!, $modelVersionId: ID!) { predictionRegions(caseId: $caseId, modelVersionId: $modelVersionId) { regions { label pixels } unmatchedLabels } }`,
      variables: (s) => ({ caseId: s.caseIds[0], modelVersionId: segmentedModelOf.get(s) }),
      check: (v) => expectEq(v, { regions: [{ label: "finding", pixels: 64 }], unmatchedLabels: ["finding"] }),
    },
  ],
  annotationEvents: [
    {
      title: "subscribes, and hears a submission it may know of (a data owner, who may not see others' work, hears none)",
      rule: byAction("project.view"),
      prepare: caseWithLabel,
      document: ANNOTATION_EVENTS,
      variables: (s) => ({ projectId: s.projectId }),
      run: async (s) => {
        const sub = new Subscription(s.caller, ANNOTATION_EVENTS, { projectId: s.projectId });
        try {
          let first: Awaited<ReturnType<typeof sub.next>> | undefined;
          const answered = sub.next(5000).then((r) => (first = r));
          await until(() => first !== undefined || subscriptions.count(`annotations:${s.projectId}`) > 0, 5000, "an answer or a listener");
          if (first === undefined) await submitFirstCase(ANNOTATE_ROLES.includes(s.actor) ? () => s.caller : undefined)(s);
          const r = await Promise.race([answered, new Promise<"silent">((resolve) => setTimeout(() => resolve("silent"), 1500))]);
          if (r === "silent" || r === "timeout") return { data: { annotationEvents: "SILENT" } };
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => {
        if (s.actor === "DATA_OWNER") return expectEq(v, "SILENT");
        const submitter = ANNOTATE_ROLES.includes(s.actor) ? s.account!.id : team.OWNER.id;
        expectEq(v, { kind: "SUBMITTED", projectId: s.projectId, caseId: s.caseIds[0], readerId: submitter, version: 1 });
      },
    },
  ],

  collabSync: [
    {
      title: "syncs the reader's own layer",
      rule: byAction("case.annotate"),
      prepare: caseWithRoiClass,
      document: COLLAB_SYNC,
      variables: (s) => ({ caseId: s.caseIds[0], layer: ownLayer(s) }),
      check: (v, s) => expectEq([v.caseId, v.layer, roiIds(v.update), typeof v.stateVector], [s.caseIds[0], ownLayer(s), [], "string"]),
    },
    {
      title: "syncs another reader's layer (blind: not for an annotator who has not submitted the case)",
      rule: byAction("annotations.viewOthers", { ANNOTATOR: "NOT_FOUND" }),
      prepare: caseWithRegion(ownerLayer),
      document: COLLAB_SYNC,
      variables: (s) => ({ caseId: s.caseIds[0], layer: ownerLayer() }),
      check: (v, s) => expectEq(roiIds(v.update), [regionOf.get(s)]),
    },
    {
      title: "syncs the consensus layer (reviewers, and readers who may see others' work: blind, none before submitting)",
      rule: byAction("case.review"),
      prepare: caseWithRegion(() => "consensus"),
      document: COLLAB_SYNC,
      variables: (s) => ({ caseId: s.caseIds[0], layer: "consensus" }),
      check: (v, s) => expectEq(roiIds(v.update), [regionOf.get(s)]),
    },
    {
      title: "syncs the consensus layer for an annotator who has submitted the case",
      rule: byAction("case.review", { ANNOTATOR: "ok" }),
      prepare: async (s) => {
        await caseWithRegion(() => "consensus")(s);
        await team.ANNOTATOR.caller.ok(SUBMIT_ANNOTATION, { caseId: s.caseIds[0], input: { labels: [], rois: [] } });
      },
      document: COLLAB_SYNC,
      variables: (s) => ({ caseId: s.caseIds[0], layer: "consensus" }),
      check: (v, s) => expectEq(roiIds(v.update), [regionOf.get(s)]),
    },
  ],
  collabUpdate: [
    {
      title: "writes a region to the reader's own layer, and into their draft",
      rule: byAction("case.annotate"),
      prepare: caseWithRoiClass,
      document: COLLAB_UPDATE,
      variables: (s) => ({ caseId: s.caseIds[0], layer: ownLayer(s), update: roiUpdate(s, "5d1c1a3e-0c0b-4c55-9d7e-2b1f3f7d9a10") }),
      check: async (v, s) => {
        expectEq([v.caseId, v.layer, typeof v.updateId], [s.caseIds[0], ownLayer(s), "string"]);
        const { myAnnotation } = await s.caller.ok<{ myAnnotation: { status: string; rois: Array<{ id: string }> } }>(
          `query($caseId: ID!) { myAnnotation(caseId: $caseId) { status rois { id } } }`,
          { caseId: s.caseIds[0] },
        );
        expectEq(myAnnotation, { status: "DRAFT", rois: [{ id: "5d1c1a3e-0c0b-4c55-9d7e-2b1f3f7d9a10" }] });
      },
    },
    {
      title: "in an archived project (never)",
      rule: byAction("case.annotate", { OWNER: "PROJECT_ARCHIVED", MANAGER: "PROJECT_ARCHIVED", ANNOTATOR: "PROJECT_ARCHIVED", REVIEWER: "PROJECT_ARCHIVED", TRAINEE: "PROJECT_ARCHIVED" }),
      prepare: async (s) => {
        await caseWithRoiClass(s);
        await archiveProject(s);
      },
      document: COLLAB_UPDATE,
      variables: (s) => ({ caseId: s.caseIds[0], layer: ownLayer(s), update: roiUpdate(s, crypto.randomUUID()) }),
    },
    {
      title: "another reader's layer is never writable",
      rule: onlyTheReader,
      prepare: caseWithRoiClass,
      document: COLLAB_UPDATE,
      variables: (s) => ({ caseId: s.caseIds[0], layer: ownerLayer(), update: roiUpdate(s, crypto.randomUUID()) }),
      check: (v) => expectEq(v.layer, ownerLayer()),
    },
    {
      title: "writes to the consensus layer (blind: not an annotator who has not submitted the case)",
      rule: byAction("case.review"),
      prepare: caseWithRoiClass,
      document: COLLAB_UPDATE,
      variables: (s) => ({ caseId: s.caseIds[0], layer: "consensus", update: roiUpdate(s, crypto.randomUUID()) }),
      check: (v) => expectEq(v.layer, "consensus"),
    },
  ],

  presenceBeat: [
    {
      title: "says the caller is on a case, with a pointer",
      rule: byAction("project.view"),
      prepare: uploadCases(["matrix-a"]),
      document: PRESENCE_BEAT,
      variables: (s) => ({ caseId: s.caseIds[0], pointer: { x: 2, y: 3, frame: 1 } }),
      check: async (v, s) => {
        expectEq(v, true);
        expectEq(server.services.presence.present(s.caseIds[0]!).includes(s.account!.id), true);
      },
    },
  ],
  presenceLeave: [
    {
      title: "says the caller has left a case (they were on it: their beat, where allowed, went first)",
      rule: byAction("project.view"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await s.caller.gql(PRESENCE_BEAT, { caseId: s.caseIds[0] });
      },
      document: PRESENCE_LEAVE,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => {
        expectEq(v, true);
        expectEq(server.services.presence.present(s.caseIds[0]!).includes(s.account!.id), false);
      },
    },
  ],

  // ---- review
  projectAgreement: [
    {
      title: "agreement, reliability and time statistics of the project",
      rule: byAction("stats.view"),
      prepare: reviewedCase(),
      document: `query($projectId: ID!) { projectAgreement(projectId: $projectId) { projectId pooled { cells votes } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v, s) => expectEq(v, { projectId: s.projectId, pooled: { cells: 1, votes: 1 } }),
    },
  ],
  modelRoiAgreement: [
    {
      title: "a segmentation model's regions against the readers'",
      rule: byAction("stats.view"),
      prepare: segmented,
      document: `query($projectId: ID!, $modelVersionId: ID!) { modelRoiAgreement(projectId: $projectId, modelVersionId: $modelVersionId) { cases readers { overlap { n } } } }`,
      variables: (s) => ({ projectId: s.projectId, modelVersionId: segmentedModelOf.get(s) }),
      check: (v) => expectEq(v, { cases: 0, readers: [] }),
    },
  ],
  modelReaderComparison: [
    {
      title: "a classifier against the readers on a label (case.review or stats.view)",
      rule: byAction("stats.view"),
      prepare: comparedModel,
      document: `query($projectId: ID!, $modelVersionId: ID!, $labelId: ID!) {
        modelReaderComparison(projectId: $projectId, modelVersionId: $modelVersionId, labelId: $labelId) { cases positives auc readers { cases } } }`,
      variables: (s) => ({ projectId: s.projectId, modelVersionId: modelOf.get(s), labelId: s.labelIds[0] }),
      // One case, called positive by its one reader: no negative for an area, and no other reader to judge them by.
      check: (v) => expectEq(v, { cases: 1, positives: 1, auc: null, readers: [] }),
    },
  ],
  reviewMatrix: [
    {
      title: "the review heatmap (case.review or stats.view)",
      rule: byAction("stats.view"),
      prepare: reviewedCase({ adjudicate: true }),
      document: `query($projectId: ID!) { reviewMatrix(projectId: $projectId) { totalCases rows { cells { majority consensus } } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { totalCases: 1, rows: [{ cells: [{ majority: true, consensus: true }] }] }),
    },
  ],
  labelGroupCases: [
    {
      title: "a label group's cases where readers differ (case.review or stats.view)",
      rule: byAction("case.review"),
      prepare: addLabelGroup,
      document: `query($projectId: ID!, $groupId: ID!) { labelGroupCases(projectId: $projectId, groupId: $groupId) { group { id } total items { caseId } } }`,
      variables: (s) => ({ projectId: s.projectId, groupId: s.labelGroupId }),
      check: (v, s) => expectEq(v, { group: { id: s.labelGroupId }, total: 0, items: [] }),
    },
  ],
  discrepancies: [
    {
      title: "cells where readers disagree (case.review or stats.view)",
      rule: byAction("case.review"),
      prepare: reviewedCase(),
      document: `query($projectId: ID!) { discrepancies(projectId: $projectId, orderBy: UNCERTAINTY) { total items { caseId } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { total: 0, items: [] }),
    },
  ],
  caseAdjudications: [
    {
      title: "a case's adjudications",
      rule: seesCaseReview,
      prepare: reviewedCase({ adjudicate: true }),
      document: `query($caseId: ID!) { caseAdjudications(caseId: $caseId) { value note } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v) => expectEq(v, [{ value: true, note: "matrix" }]),
    },
  ],
  adjudicationHistory: [
    {
      title: "a case's adjudication history",
      rule: seesCaseReview,
      prepare: reviewedCase({ adjudicate: true }),
      document: `query($caseId: ID!) { adjudicationHistory(caseId: $caseId) { version value } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v) => expectEq(v, [{ version: 1, value: true }]),
    },
  ],
  caseComments: [
    {
      title: "a case's comments",
      rule: seesCaseReview,
      prepare: reviewedCase({ comment: true }),
      document: `query($caseId: ID!) { caseComments(caseId: $caseId) { body } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v) => expectEq(v, [{ body: "matrix comment" }]),
    },
  ],
  adjudicate: [
    {
      title: "adjudicates a case's label",
      rule: byAction("case.review"),
      prepare: reviewedCase(),
      document: ADJUDICATE,
      variables: (s) => ({ caseId: s.caseIds[0], labelId: s.labelIds[0] }),
      check: (v, s) => expectEq(v, { caseId: s.caseIds[0], labelId: s.labelIds[0], value: true, version: 1 }),
    },
  ],
  clearAdjudication: [
    {
      title: "clears a case's adjudication",
      rule: byAction("case.review"),
      prepare: reviewedCase({ adjudicate: true }),
      document: `mutation($caseId: ID!, $labelId: ID!) { clearAdjudication(caseId: $caseId, labelId: $labelId) }`,
      variables: (s) => ({ caseId: s.caseIds[0], labelId: s.labelIds[0] }),
      check: (v) => expectEq(v, true),
    },
  ],
  addCaseComment: [
    {
      title: "comments on a case",
      rule: byAction("case.review"),
      prepare: caseWithLabel,
      document: ADD_COMMENT,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v, s) => expectEq(v, { caseId: s.caseIds[0], body: "matrix comment" }),
    },
  ],
  reviewEvents: [
    {
      title: "subscribes, and hears a comment on a case it may see (blind: not an annotator who has not submitted it)",
      rule: byAction("project.view"),
      prepare: caseWithLabel,
      document: REVIEW_EVENTS,
      variables: (s) => ({ projectId: s.projectId }),
      run: async (s) => {
        const sub = new Subscription(s.caller, REVIEW_EVENTS, { projectId: s.projectId });
        try {
          let first: Awaited<ReturnType<typeof sub.next>> | undefined;
          const answered = sub.next(5000).then((r) => (first = r));
          await until(() => first !== undefined || subscriptions.count(`review:${s.projectId}`) > 0, 5000, "an answer or a listener");
          if (first === undefined) await ownerDoes(ADD_COMMENT, { caseId: s.caseIds[0] });
          const r = await Promise.race([answered, new Promise<"silent">((resolve) => setTimeout(() => resolve("silent"), 1500))]);
          if (r === "silent" || r === "timeout") return { data: { reviewEvents: "SILENT" } };
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => {
        if (seesCaseReview.expected(s.actor) !== "ok") return expectEq(v, "SILENT");
        expectEq(v, { kind: "COMMENTED", projectId: s.projectId, caseId: s.caseIds[0] });
      },
    },
  ],

  // ---- Subscription
  exportUpdates: [
    {
      title: "subscribes to the project's export jobs, and hears one being queued",
      rule: byAction("data.export"),
      document: EXPORT_UPDATES,
      variables: (s) => ({ projectId: s.projectId }),
      run: async (s) => {
        const sub = new Subscription(s.caller, EXPORT_UPDATES, { projectId: s.projectId });
        try {
          let first: Awaited<ReturnType<typeof sub.next>> | undefined;
          const answered = sub.next(5000).then((r) => (first = r));
          await until(() => first !== undefined || subscriptions.count(`exports:${s.projectId}`) > 0, 5000, "an answer or a listener");
          if (first === undefined) await ownerStartsExport(s);
          const r = await answered;
          if (r === "timeout") throw new Error("the subscription neither answered nor heard the export");
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => expectEq(v, { id: exportOf.get(s), format: "CSV_LABELS" }),
    },
  ],
  aiJobUpdates: [
    {
      title: "subscribes to the project's AI jobs, and hears a model being queued for validation",
      rule: byAction("project.view"),
      document: AI_JOB_UPDATES,
      variables: (s) => ({ projectId: s.projectId }),
      run: async (s) => {
        const sub = new Subscription(s.caller, AI_JOB_UPDATES, { projectId: s.projectId });
        try {
          let first: Awaited<ReturnType<typeof sub.next>> | undefined;
          const answered = sub.next(10_000).then((r) => (first = r));
          await until(() => first !== undefined || subscriptions.count(`ai:${s.projectId}`) > 0, 5000, "an answer or a listener");
          if (first === undefined) await ownerRegistersModel(s);
          const r = await answered;
          if (r === "timeout") throw new Error("the subscription neither answered nor heard the model");
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => expectEq(v, { kind: "VALIDATE", modelVersionId: modelOf.get(s) }),
    },
  ],
  educationSettings: [
    {
      title: "an education project's pass rule and gold counts",
      rule: byAction("project.view"),
      prepare: educationCase,
      document: `query($projectId: ID!) { educationSettings(projectId: $projectId) { passAccuracy minCases configured gold { labels cases } } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { passAccuracy: 0.8, minCases: 10, configured: false, gold: { labels: 1, cases: 1 } }),
    },
  ],
  updateEducationSettings: [
    {
      title: "sets the pass rule (project.manage; members.grant in a target project, tested in education.test.ts)",
      rule: byAction("project.manage"),
      prepare: educationCase,
      document: `mutation($projectId: ID!) { updateEducationSettings(projectId: $projectId, input: { passAccuracy: 0.5, minCases: 1 }) { passAccuracy minCases configured } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { passAccuracy: 0.5, minCases: 1, configured: true }),
    },
  ],
  importGoldLabels: [
    {
      title: "imports gold labels from CSV",
      rule: byAction("project.manage"),
      prepare: educationCase,
      document: IMPORT_GOLD,
      variables: (s) => ({ projectId: s.projectId, csv: "case,label,value\nmatrix-a,nonexistent,1\n" }),
      check: (v) => expectEq(v, { imported: 0, errors: [{ line: 2, message: 'no active label "nonexistent" in this project' }] }),
    },
  ],
  trainingFeedback: [
    {
      title: "the reader's own submission against the gold, once submitted",
      rule: byAction("case.annotate"),
      prepare: async (s) => {
        await educationCase(s);
        if (ANNOTATE_ROLES.includes(s.actor)) await s.caller.ok(SUBMIT_ANNOTATION, { caseId: s.caseIds[0], input: annotationInput(s) });
      },
      document: `query($caseId: ID!) { trainingFeedback(caseId: $caseId) { version labels { mine gold correct } score { cases accuracy } } }`,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      check: (v) => expectEq(v, { version: 1, labels: [{ mine: true, gold: true, correct: true }], score: { cases: 1, accuracy: 1 } }),
    },
  ],
  myTrainingScore: [
    {
      title: "the reader's running score",
      rule: byAction("case.annotate"),
      prepare: educationCase,
      document: `query($projectId: ID!) { myTrainingScore(projectId: $projectId) { cases accuracy kappa passed } }`,
      variables: (s) => ({ projectId: s.projectId }),
      check: (v) => expectEq(v, { cases: 0, accuracy: null, kappa: null, passed: false }),
    },
  ],
  collabUpdates: [
    {
      title: "follows the consensus layer, and hears the owner's update",
      rule: byAction("case.review"),
      prepare: caseWithRoiClass,
      document: COLLAB_UPDATES,
      variables: (s) => ({ caseId: s.caseIds[0], layer: "consensus" }),
      run: collabSubscription(() => "consensus", () => "consensus"),
      check: (v, s) => expectEq([v.kind, v.caseId, v.layer, typeof v.update, v.clientId], ["UPDATE", s.caseIds[0], "consensus", "string", "matrix-owner"]),
    },
    {
      title: "follows another reader's layer (blind: not an annotator who has not submitted the case)",
      rule: byAction("annotations.viewOthers", { ANNOTATOR: "NOT_FOUND" }),
      prepare: caseWithRoiClass,
      document: COLLAB_UPDATES,
      variables: (s) => ({ caseId: s.caseIds[0], layer: ownerLayer() }),
      run: collabSubscription(ownerLayer, ownerLayer),
      check: (v) => expectEq([v.kind, v.layer, v.clientId], ["UPDATE", ownerLayer(), "matrix-owner"]),
    },
  ],
  casePresence: [
    {
      title: "sees who is on a case; others' pointers only where the caller may see others' work (blind: not an annotator, trainee or data owner)",
      rule: byAction("project.view"),
      prepare: async (s) => {
        await uploadCases(["matrix-a"])(s);
        await ownerDoes(PRESENCE_BEAT, { caseId: s.caseIds[0], pointer: { x: 5, y: 6 } });
      },
      document: CASE_PRESENCE,
      variables: (s) => ({ caseId: s.caseIds[0] }),
      run: async (s) => {
        const sub = new Subscription(s.caller, CASE_PRESENCE, { caseId: s.caseIds[0] });
        try {
          const r = await sub.next(5000);
          if (r === "timeout") throw new Error("the subscription did not answer");
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => {
        const pointer = SEES_POINTERS.includes(s.actor) ? { x: 5, y: 6 } : null;
        expectEq(v, { kind: "PRESENCE", caseId: s.caseIds[0], users: [{ userId: team.OWNER.id, colour: v.users[0]?.colour, pointer }] });
        expectEq(/^#[0-9a-f]{6}$/.test(v.users[0].colour), true);
      },
    },
  ],
  projectEvents: [
    {
      title: "subscribes, and hears a change",
      rule: byAction("project.view"),
      document: PROJECT_EVENTS,
      variables: (s) => ({ projectId: s.projectId }),
      run: async (s) => {
        const sub = new Subscription(s.caller, PROJECT_EVENTS, { projectId: s.projectId });
        try {
          // Either the server answers at once (an error), or it starts listening and we make a change.
          let first: Awaited<ReturnType<typeof sub.next>> | undefined;
          const answered = sub.next(5000).then((r) => (first = r));
          await until(() => first !== undefined || subscriptions.count(projectChannel(s.projectId)) > 0, 5000, "an answer or a listener");
          if (first === undefined) await ownerDoes(`mutation($id: ID!) { renameProject(id: $id, name: "Changed") { id } }`, { id: s.projectId });
          const r = await answered;
          if (r === "timeout") throw new Error("the subscription neither answered nor heard the change");
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => expectEq([v.kind, v.projectId], ["PROJECT_UPDATED", s.projectId]),
    },
  ],
  uploadProgress: [
    {
      title: "follows an upload by the id its uploader chose (an ended one answers its final state)",
      rule: byAction("data.upload"),
      prepare: async (s) => {
        const uploadId = crypto.randomUUID();
        const answer = await stow(server, s.projectId, owner(), [{ bytes: chestPng(8, 8) }], { upload: uploadId });
        if (answer.batchId !== uploadId) throw new Error(`the upload did not take its id (HTTP ${answer.status})`);
        s.batchIds.push(uploadId);
      },
      document: UPLOAD_PROGRESS,
      variables: (s) => ({ projectId: s.projectId, uploadId: s.batchIds[0] }),
      run: async (s) => {
        const sub = new Subscription(s.caller, UPLOAD_PROGRESS, { projectId: s.projectId, uploadId: s.batchIds[0] });
        try {
          const r = await sub.next(5000);
          if (r === "timeout") throw new Error("the subscription did not answer");
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => expectEq(v, { uploadId: s.batchIds[0], total: 1, processed: 1, stored: 1, refused: 0, done: true }),
    },
  ],
  myMembershipEvents: [
    {
      title: "subscribes, and hears being added to a project",
      rule: loggedIn(),
      project: "none",
      document: MY_MEMBERSHIPS,
      run: async (s) => {
        const sub = new Subscription(s.caller, MY_MEMBERSHIPS, {});
        try {
          let first: Awaited<ReturnType<typeof sub.next>> | undefined;
          const answered = sub.next(5000).then((r) => (first = r));
          await until(
            () => first !== undefined || (!!s.account && subscriptions.count(userChannel(s.account.id)) > 0),
            5000,
            "an answer or a listener",
          );
          if (first === undefined) {
            s.projectId = await buildProject(target.caller);
            await target.caller.ok(GRANT_ROLE, { projectId: s.projectId, input: { email: s.account!.email, role: "VIEWER" } });
          }
          const r = await answered;
          if (r === "timeout") throw new Error("the subscription neither answered nor heard the grant");
          if (r.done) throw new Error("the subscription ended without an answer");
          return r.value as Pick<GqlResult, "data" | "errors">;
        } finally {
          await sub.close();
        }
      },
      check: (v, s) => expectEq([v.kind, v.projectId, v.role], ["ADDED", s.projectId, "VIEWER"]),
    },
  ],
};

// Plain comparisons for table checks; the pair's `expect` reports which pair failed.
function expectEq(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

async function stateFor(scenario: Scenario, actor: ActorName): Promise<State> {
  const account = actor === "NOBODY" ? undefined : actor === "STRANGER" ? stranger : team[actor];
  const s: State = {
    actor,
    account,
    caller: new Caller(server, account?.caller.cookie),
    projectId: "",
    labelIds: [],
    labelGroupId: "",
    otherProjectId: "",
    caseIds: [],
    batchIds: [],
    tokenId: "",
    cookie: account?.caller.cookie,
  };
  const kind = scenario.project ?? "fresh";
  if (kind === "shared") s.projectId = sharedProjectId;
  if (kind === "fresh") s.projectId = await buildTeamProject(team);
  await scenario.prepare?.(s);
  return s;
}

describe("permission matrix", () => {
  beforeAll(async () => {
    server = await startTestServer();
    subscriptions = trackSubscriptions(server.platform.bus);
    // The first account signed up administers the server: none of the actors below is it.
    await buildUser(server, "server-admin");
    const [t, s, x] = await Promise.all([buildTeam(server), buildUser(server, "stranger"), buildUser(server, "target")]);
    team = t;
    stranger = s;
    target = x;
    sharedProjectId = await buildTeamProject(team);
    stubUrl = (await sharedDicomwebStub()).url;
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("has a table entry for every Query, Mutation and Subscription field of schema/schema.graphql", ({ expect }) => {
    const missing = OPERATIONS.filter((op) => !TABLE[op.name]?.length).map((op) => `${op.root}.${op.name}`);
    expect(missing, `operations with no entry in the permission table: ${missing.join(", ")}`).toEqual([]);
  });

  it("has no entry for an operation the schema lacks, and each entry's document runs that operation", ({ expect }) => {
    const known = new Map(OPERATIONS.map((op) => [op.name, op]));
    expect(Object.keys(TABLE).filter((name) => !known.has(name)), "table entries the schema does not have").toEqual([]);
    for (const [name, scenarios] of Object.entries(TABLE)) {
      const op = known.get(name);
      if (!op) continue;
      for (const scenario of scenarios) {
        const doc = parse(scenario.document);
        expect(validate(schema, doc).map((e) => e.message), `${name}: ${scenario.title}`).toEqual([]);
        const definition = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
        expect(definition.operation, `${name}: ${scenario.title}`).toBe(op.root);
        const fields = definition.selectionSet.selections.map((sel) => (sel.kind === Kind.FIELD ? sel.name.value : "?"));
        expect(fields, `${name}: ${scenario.title}`).toEqual([name]);
      }
    }
  });

  it("names one Permission for each action of the matrix, and gives every role at least project.view", ({ expect }) => {
    const values = schema.getType("Permission")!.toConfig() as { values: Record<string, unknown> };
    expect(Object.keys(values.values).sort()).toEqual(Object.values(PERMISSION).sort());
    for (const role of ROLES) expect(MATRIX["project.view"]).toContain(role);
  });

  for (const op of OPERATIONS) {
    for (const scenario of TABLE[op.name] ?? []) {
      describe(`${op.root} ${op.name}: ${scenario.title} [${scenario.rule.text}]`, () => {
        for (const actor of ACTORS) {
          const expected = scenario.rule.expected(actor);
          it.concurrent(`${actor} -> ${expected}`, async ({ expect }) => {
            const s = await stateFor(scenario, actor);
            const result = scenario.run ? await scenario.run(s) : await s.caller.gql(scenario.document, scenario.variables?.(s) ?? {});
            if (expected === "ok") {
              expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
              expect(result.data).toBeTruthy();
              const value = (result.data as Record<string, unknown>)[op.name];
              expect(value).not.toBeUndefined();
              if (isNonNullType(op.field.type)) expect(value).not.toBeNull();
              await scenario.check?.(value, s);
            } else {
              expect(errorCode(result), JSON.stringify(result.errors)).toBe(expected);
              expect((result.data as Record<string, unknown> | null | undefined)?.[op.name] ?? null).toBeNull();
            }
          });
        }
      });
    }
  }
});
