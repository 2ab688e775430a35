import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { putRoi } from "../collab/collab.document.js";
import { collabChannel } from "../collab/collab.hub.js";
import { GRANT_ROLE, Subscription, buildLabel, buildTeam, buildTeamProject, errorCode, until, type Account, type Team } from "../../testing/fixtures.js";
import { buildProject, buildUser, startTestServer } from "../../testing/harness.js";
import { ctImage, frame, uid } from "../../testing/ct-images.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { cohenKappa } from "../review/stats/kappa.js";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { groupFeedback, passes, pooledDice, pooledLines, pooledPoints } from "./education.service.js";

const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id version } }`;
const REVISE = `mutation($caseId: ID!) { reviseAnnotation(caseId: $caseId) { id version } }`;
const IMPORT = `mutation($projectId: ID!, $csv: String!) { importGoldLabels(projectId: $projectId, csv: $csv) { imported errors { line message } } }`;
const SETTINGS = `query($projectId: ID!) { educationSettings(projectId: $projectId) { passAccuracy minCases configured grantRole targetProject { id name } gold { labels cases imported } } }`;
const UPDATE_SETTINGS = `mutation($projectId: ID!, $input: EducationSettingsInput!) { updateEducationSettings(projectId: $projectId, input: $input) { passAccuracy minCases configured grantRole targetProject { id name } } }`;
const SCORE_FIELDS = `projectId cases labels correct accuracy kappa passAccuracy minCases passed certification { cases accuracy kappa grantedRole grantedProject { id name } }`;
const FEEDBACK = `query($caseId: ID!) { trainingFeedback(caseId: $caseId) { caseId version
  labels { labelId labelName mine confidence gold source correct }
  goldRois { classId kind points sopInstanceUid frame } myRois { classId points } roiClasses { classId className goldRegions myRegions dice }
  score { ${SCORE_FIELDS} } } }`;
const FEEDBACK_POINTS = `query($caseId: ID!) { trainingFeedback(caseId: $caseId) { goldRois { kind } roiClasses { classId className goldRegions myRegions dice points { tolerance found missed extra meanDistance f1 } lines { found } } } }`;
const FEEDBACK_LINES = `query($caseId: ID!) { trainingFeedback(caseId: $caseId) { roiClasses { classId goldRegions myRegions dice points { found }
  lines { tolerance found missed extra meanLengthDifference meanAbsLengthDifference meanLengthDifferenceMm meanAbsLengthDifferenceMm f1 } } } }`;
const MY_SCORE = `query($projectId: ID!) { myTrainingScore(projectId: $projectId) { ${SCORE_FIELDS} } }`;
const MY_PROJECTS = `{ myProjects { id myRole } }`;
const COLLAB_UPDATE = `mutation($caseId: ID!, $layer: String!, $update: String!) { collabUpdate(caseId: $caseId, layer: $layer, update: $update) { updateId } }`;
const ADJUDICATE = `mutation($caseId: ID!, $labelId: ID!, $value: Boolean!) { adjudicate(caseId: $caseId, labelId: $labelId, value: $value) { value } }`;

describe("education mode", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let edu: string;
  let main: string;
  let effusion: string, nodule: string, box: string;
  let second: Account;
  const cases: Record<string, string> = {};
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;
  const trainee = () => team.TRAINEE.caller;
  const owner = () => team.OWNER.caller;

  let stopWorker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, jobs (the check for certifications after a change) run in `concord worker` processes: one runs here.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    team = await buildTeam(server);
    second = await buildUser(server, "trainee2");
    edu = await buildTeamProject(team, { mode: "EDUCATION" });
    await owner().ok(GRANT_ROLE, { projectId: edu, input: { email: second.email, role: "TRAINEE" } });
    main = await buildProject(owner(), { name: "Main reading" });
    // The second trainee is already a reviewer in the main project: a pass must not demote them.
    await owner().ok(GRANT_ROLE, { projectId: main, input: { email: second.email, role: "REVIEWER" } });
    effusion = await buildLabel(owner(), edu, { name: "Effusion" });
    nodule = await buildLabel(owner(), edu, { name: "Nodule" });
    box = await buildLabel(owner(), edu, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    await stowOk(server, edu, owner(), ["case-a", "case-b", "case-c"].map((k, i) => ({ name: `${k}.png`, bytes: chestPng(20, 10, i) })));
    for (const r of await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [edu])) cases[r.key] = r.id;
    // The gold box on case-a, drawn in the consensus layer: 10 × 5 pixels.
    const doc = new Y.Doc();
    putRoi(doc, { id: crypto.randomUUID(), classId: box, kind: "RECTANGLE", points: [[0, 0], [10, 5]] });
    await owner().ok(COLLAB_UPDATE, { caseId: cases["case-a"], layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
  });
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  it("gold import: every bad row is named and nothing is stored", async () => {
    const csv = [
      "case,label,value",
      "case-a,Effusion,1",
      "case-x,Effusion,1", // unknown case
      "case-a,Pneumothorax,0", // unknown label
      "case-b,Nodule,maybe", // bad value
      "case-a,effusion,0", // repeats line 2 (names match case-insensitively)
      "case-b,Box,1", // an ROI class
    ].join("\n");
    const { importGoldLabels: r } = await owner().ok<{ importGoldLabels: { imported: number; errors: Array<{ line: number; message: string }> } }>(IMPORT, { projectId: edu, csv });
    expect(r.imported).toBe(0);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(r.errors[0]!.message).toContain('no case "case-x"');
    expect(r.errors[1]!.message).toContain('no active label "Pneumothorax"');
    expect(r.errors[2]!.message).toContain('value "maybe"');
    expect(r.errors[3]!.message).toContain("repeats line 2");
    expect(r.errors[4]!.message).toContain("ROI class");
    expect(await sql(`SELECT 1 FROM gold_labels WHERE project_id = $1`, [edu])).toHaveLength(0);
    // A CSV without the columns is refused whole.
    expect(errorCode(await owner().gql(IMPORT, { projectId: edu, csv: "key,name\na,b\n" }))).toBe("BAD_USER_INPUT");
    // Importing needs project.manage: a trainee learns nothing.
    expect(errorCode(await trainee().gql(IMPORT, { projectId: edu, csv: "case,label,value\ncase-a,Effusion,1\n" }))).toBe("NOT_FOUND");
  });

  it("gold import stores the gold; settings need EDUCATION mode and members.grant in the target", async () => {
    const csv = "case,label,value\ncase-a,Effusion,1\ncase-a,Nodule,0\ncase-b,Effusion,false\ncase-b,Nodule,true\r\ncase-c,Effusion,TRUE\n";
    const { importGoldLabels: r } = await owner().ok<{ importGoldLabels: { imported: number; errors: unknown[] } }>(IMPORT, { projectId: edu, csv });
    expect(r).toEqual({ imported: 5, errors: [] });

    const input = { passAccuracy: 0.75, minCases: 2, targetProjectId: main, grantRole: "ANNOTATOR" };
    // The manager of the education project is no member of the main project: they cannot make passing grant a role there.
    const denied = await team.MANAGER.caller.gql(UPDATE_SETTINGS, { projectId: edu, input });
    expect(errorCode(denied)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(denied.errors)).toContain("targetProjectId");
    expect(errorCode(await trainee().gql(UPDATE_SETTINGS, { projectId: edu, input: { passAccuracy: 0.1, minCases: 1 } }))).toBe("NOT_FOUND");
    expect(errorCode(await owner().gql(UPDATE_SETTINGS, { projectId: edu, input: { passAccuracy: 0.5, minCases: 1, targetProjectId: main } }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await owner().gql(UPDATE_SETTINGS, { projectId: edu, input: { passAccuracy: 1.5, minCases: 1 } }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await owner().gql(UPDATE_SETTINGS, { projectId: main, input: { passAccuracy: 0.5, minCases: 1 } }))).toBe("BAD_USER_INPUT"); // not an education project

    const { updateEducationSettings: s } = await owner().ok<{ updateEducationSettings: any }>(UPDATE_SETTINGS, { projectId: edu, input });
    expect(s).toEqual({ passAccuracy: 0.75, minCases: 2, configured: true, grantRole: "ANNOTATOR", targetProject: { id: main, name: "Main reading" } });
    // A trainee sees the rule and the gold's size, not which project it leads to.
    const { educationSettings: seen } = await trainee().ok<{ educationSettings: any }>(SETTINGS, { projectId: edu });
    expect(seen).toEqual({ passAccuracy: 0.75, minCases: 2, configured: true, grantRole: "ANNOTATOR", targetProject: null, gold: { labels: 5, cases: 3, imported: 5 } });

    // The rule saved without a target and role keeps the ones there are; null for both stops granting.
    const rule = { passAccuracy: 0.75, minCases: 2 };
    expect((await owner().ok<{ updateEducationSettings: any }>(UPDATE_SETTINGS, { projectId: edu, input: rule })).updateEducationSettings).toMatchObject({ grantRole: "ANNOTATOR", targetProject: { id: main } });
    // The manager, who cannot grant in main, may not keep a grant made in their name there...
    const notTheirs = await team.MANAGER.caller.gql(UPDATE_SETTINGS, { projectId: edu, input: rule });
    expect(errorCode(notTheirs)).toBe("BAD_USER_INPUT");
    expect(notTheirs.errors![0]!.extensions!.fields).toEqual([{ field: "targetProjectId", message: expect.stringMatching(/in the name of whoever saves these settings/) }]);
    // ...but may stop it.
    const cleared = (await team.MANAGER.caller.ok<{ updateEducationSettings: any }>(UPDATE_SETTINGS, { projectId: edu, input: { ...rule, targetProjectId: null, grantRole: null } })).updateEducationSettings;
    expect(cleared).toMatchObject({ grantRole: null, targetProject: null });
    await owner().ok(UPDATE_SETTINGS, { projectId: edu, input });
  });

  it("nothing of the gold reaches a trainee before they submit", async () => {
    const caseId = cases["case-a"]!;
    const before = await trainee().gql(FEEDBACK, { caseId });
    expect(errorCode(before)).toBe("NOT_FOUND");
    expect(before.errors![0]!.message).toMatch(/submit the case first/);
    expect(before.data).toBeNull();
    // The owner's reading, the consensus layer, adjudications and review views: not found for a trainee.
    await owner().ok(SUBMIT, { caseId, input: { labels: [{ labelId: effusion, value: true }], rois: [] } });
    const queries: Array<[string, Record<string, unknown>]> = [
      [`query($caseId: ID!) { caseAnnotations(caseId: $caseId) { readerId labels { value } } }`, { caseId }],
      [`query($caseId: ID!, $readerId: ID) { annotationHistory(caseId: $caseId, readerId: $readerId) { labels { value } } }`, { caseId, readerId: team.OWNER.id }],
      [`query($caseId: ID!) { collabSync(caseId: $caseId, layer: "consensus") { update } }`, { caseId }],
      [`query($caseId: ID!) { collabSync(caseId: $caseId, layer: "reader:${team.OWNER.id}") { update } }`, { caseId }],
      [`query($caseId: ID!) { caseAdjudications(caseId: $caseId) { value } }`, { caseId }],
      [`query($caseId: ID!) { adjudicationHistory(caseId: $caseId) { value } }`, { caseId }],
      [`query($projectId: ID!) { reviewMatrix(projectId: $projectId) { totalCases } }`, { projectId: edu }],
      [`query($projectId: ID!) { discrepancies(projectId: $projectId) { total } }`, { projectId: edu }],
      [`query($projectId: ID!) { projectAgreement(projectId: $projectId) { projectId } }`, { projectId: edu }],
      [FEEDBACK, { caseId }],
    ];
    for (const [query, variables] of queries) {
      const r = await trainee().gql(query, variables);
      expect(errorCode(r), query).toBe("NOT_FOUND");
      expect(r.data ?? null, query).toBeNull();
    }
    // The consensus layer's live updates: refused at subscription.
    const sub = new Subscription(trainee(), `subscription($caseId: ID!) { collabUpdates(caseId: $caseId, layer: "consensus") { kind update } }`, { caseId });
    try {
      let answer: Awaited<ReturnType<typeof sub.next>> | undefined;
      const answered = sub.next(3000).then((r) => (answer = r));
      await until(() => answer !== undefined || server.services.collab.hub.listeners(collabChannel(caseId, "consensus")) > 0, 3000, "an answer or a listener");
      const r = await answered;
      expect(r).not.toBe("timeout");
      if (r !== "timeout") expect(r.done ? "ended" : errorCode(r.value)).toBe("NOT_FOUND");
    } finally {
      await sub.close();
    }
    // Feedback exists only in education projects: an annotator of an ordinary project hears nothing of adjudications through it.
    const other = await buildTeamProject(team);
    const otherLabel = await buildLabel(owner(), other, { name: "Finding" });
    await stowOk(server, other, owner(), [{ name: "o.png", bytes: chestPng(8, 8, 9) }]);
    const [o] = await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1`, [other]);
    await team.REVIEWER.caller.ok(ADJUDICATE, { caseId: o!.id, labelId: otherLabel, value: true });
    await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: o!.id, input: { labels: [] } });
    expect(errorCode(await team.ANNOTATOR.caller.gql(FEEDBACK, { caseId: o!.id }))).toBe("NOT_FOUND");
    expect(errorCode(await team.ANNOTATOR.caller.gql(MY_SCORE, { projectId: other }))).toBe("NOT_FOUND");
  });

  it("feedback after the first submission: labels against the gold, gold ROIs, Dice, score; no pass before minCases", async () => {
    const caseId = cases["case-a"]!;
    // Effusion right, Nodule wrong; a 5 × 5 box inside the gold's 10 × 5.
    await trainee().ok(SUBMIT, {
      caseId,
      input: { labels: [{ labelId: effusion, value: true, confidence: 80 }, { labelId: nodule, value: true, confidence: 40 }], rois: [{ classId: box, kind: "RECTANGLE", points: [[0, 0], [5, 5]] }] },
    });
    const { trainingFeedback: f } = await trainee().ok<{ trainingFeedback: any }>(FEEDBACK, { caseId });
    expect(f.version).toBe(1);
    expect(f.labels).toEqual([
      { labelId: effusion, labelName: "Effusion", mine: true, confidence: 80, gold: true, source: "IMPORTED", correct: true },
      { labelId: nodule, labelName: "Nodule", mine: true, confidence: 40, gold: false, source: "IMPORTED", correct: false },
    ]);
    expect(f.goldRois).toHaveLength(1);
    expect(f.goldRois[0]).toMatchObject({ classId: box, kind: "RECTANGLE", points: [[0, 0], [10, 5]], frame: 1 });
    expect(f.goldRois[0].sopInstanceUid).toMatch(/^[0-9.]+$/);
    expect(f.myRois).toEqual([{ classId: box, points: [[0, 0], [5, 5]] }]);
    // 25 px shared of 50 + 25: Dice 2·25 / 75.
    expect(f.roiClasses).toEqual([{ classId: box, className: "Box", goldRegions: 1, myRegions: 1, dice: expect.closeTo(2 / 3, 12) }]);
    // One case, two labels, one right: accuracy 0.5; κ of (T,T),(T,F) is 0 (the trainee said yes to both).
    expect(f.score).toMatchObject({ projectId: edu, cases: 1, labels: 2, correct: 1, accuracy: 0.5, passAccuracy: 0.75, minCases: 2, passed: false, certification: null });
    expect(f.score.kappa).toBeCloseTo(0, 12);
    const { myProjects } = await trainee().ok<{ myProjects: Array<{ id: string }> }>(MY_PROJECTS);
    expect(myProjects.map((p) => p.id)).not.toContain(main);
  });

  it("passing certifies, grants the role in the main project through a ledger role.grant leaf; a revision does not raise the score", async () => {
    const leavesBefore = await sql<{ id: string }>(`SELECT id FROM ledger_leaves WHERE project_id = $1 AND event_type = 'role.grant' AND object_id = $2`, [main, team.TRAINEE.id]);
    expect(leavesBefore).toHaveLength(0);
    // case-b both right: 3 of 4 = 0.75 over 2 cases.
    await trainee().ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: effusion, value: false }, { labelId: nodule, value: true }] } });
    const { myTrainingScore: s } = await trainee().ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu });
    expect(s).toMatchObject({ cases: 2, labels: 4, correct: 3, accuracy: 0.75, passed: true });
    const kappa = cohenKappa([[true, true], [true, false], [false, false], [true, true]]);
    expect(kappa).toBeCloseTo(0.5, 12); // po 3/4, pe 1/2
    expect(s.kappa).toBeCloseTo(kappa!, 12);
    expect(s.certification).toMatchObject({ cases: 2, accuracy: 0.75, grantedRole: "ANNOTATOR", grantedProject: { id: main, name: "Main reading" } });
    expect(s.certification.kappa).toBeCloseTo(0.5, 12);
    const { myProjects } = await trainee().ok<{ myProjects: Array<{ id: string; myRole: string }> }>(MY_PROJECTS);
    expect(myProjects.find((p) => p.id === main)).toEqual({ id: main, myRole: "ANNOTATOR" });
    const [membership] = await sql<{ role: string; granted_by: string }>(`SELECT role, granted_by FROM memberships WHERE project_id = $1 AND user_id = $2`, [main, team.TRAINEE.id]);
    expect(membership).toEqual({ role: "ANNOTATOR", granted_by: team.OWNER.id });
    const leaves = await sql<{ id: string }>(`SELECT id FROM ledger_leaves WHERE project_id = $1 AND event_type = 'role.grant' AND object_id = $2`, [main, team.TRAINEE.id]);
    expect(leaves).toHaveLength(1);

    // Revised to the gold after seeing it: the feedback shows the new version, the score keeps the first.
    await trainee().ok(REVISE, { caseId: cases["case-a"] });
    await trainee().ok(SUBMIT, { caseId: cases["case-a"], input: { labels: [{ labelId: effusion, value: true }, { labelId: nodule, value: false }] } });
    const { trainingFeedback: f } = await trainee().ok<{ trainingFeedback: any }>(FEEDBACK, { caseId: cases["case-a"] });
    expect(f.version).toBe(2);
    expect(f.labels.map((l: any) => l.correct)).toEqual([true, true]);
    expect(f.score).toMatchObject({ cases: 2, correct: 3, accuracy: 0.75 });
    // Certified once: no second grant.
    expect(await sql(`SELECT 1 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'role.grant' AND object_id = $2`, [main, team.TRAINEE.id])).toHaveLength(1);
  });

  it("adjudications count as gold where none was imported; a pass never demotes a higher role in the target", async () => {
    // case-c has imported gold for Effusion only; the reviewer adjudicates Nodule (gold) and Effusion (the import wins).
    await team.REVIEWER.caller.ok(ADJUDICATE, { caseId: cases["case-c"], labelId: nodule, value: true });
    await team.REVIEWER.caller.ok(ADJUDICATE, { caseId: cases["case-c"], labelId: effusion, value: false });
    await second.caller.ok(SUBMIT, { caseId: cases["case-c"], input: { labels: [{ labelId: effusion, value: true }, { labelId: nodule, value: true }] } });
    const { trainingFeedback: f } = await second.caller.ok<{ trainingFeedback: any }>(FEEDBACK, { caseId: cases["case-c"] });
    expect(f.labels.map((l: any) => [l.labelName, l.gold, l.source, l.correct])).toEqual([
      ["Effusion", true, "IMPORTED", true],
      ["Nodule", true, "ADJUDICATED", true],
    ]);
    expect(f.goldRois).toEqual([]);
    expect(f.score).toMatchObject({ cases: 1, passed: false });
    await second.caller.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: nodule, value: true }] } });
    const { myTrainingScore: s } = await second.caller.ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu });
    expect(s).toMatchObject({ cases: 2, labels: 4, correct: 4, accuracy: 1, passed: true });
    // All gold and answers agree but both values occur: κ = 1.
    expect(s.kappa).toBeCloseTo(1, 12);
    expect(s.certification).toMatchObject({ cases: 2, accuracy: 1, grantedRole: null, grantedProject: null });
    const [m] = await sql<{ role: string }>(`SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2`, [main, second.id]);
    expect(m!.role).toBe("REVIEWER");
    expect(await sql(`SELECT 1 FROM ledger_leaves WHERE project_id = $1 AND event_type = 'role.grant' AND object_id = $2`, [main, second.id])).toHaveLength(1); // only the owner's original grant
  });

  it("lowering the pass rule certifies at once those who pass under it, without a new submission", async () => {
    const third = await buildUser(server, "trainee3");
    await owner().ok(GRANT_ROLE, { projectId: edu, input: { email: third.email, role: "TRAINEE" } });
    // Two of four right over two cases: 0.5 does not pass the rule of 0.75.
    await third.caller.ok(SUBMIT, { caseId: cases["case-a"], input: { labels: [{ labelId: effusion, value: true }, { labelId: nodule, value: true }] } });
    await third.caller.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: effusion, value: true }, { labelId: nodule, value: true }] } });
    const { myTrainingScore: before } = await third.caller.ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu });
    expect(before).toMatchObject({ cases: 2, accuracy: 0.5, passed: false, certification: null });
    // Raising the bar certifies nobody (the job's check, run here too, finds no one); lowering it to 0.5 certifies them and grants the role.
    await owner().ok(UPDATE_SETTINGS, { projectId: edu, input: { passAccuracy: 0.9, minCases: 2, targetProjectId: main, grantRole: "ANNOTATOR" } });
    expect(await server.services.education.recheckCertifications(edu)).toBe(0);
    expect((await third.caller.ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu })).myTrainingScore.certification).toBeNull();
    await owner().ok(UPDATE_SETTINGS, { projectId: edu, input: { passAccuracy: 0.5, minCases: 2, targetProjectId: main, grantRole: "ANNOTATOR" } });
    const certified = async () => (await third.caller.ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu })).myTrainingScore;
    // The certification is stored, then the role granted: wait for both.
    await until(async () => !!(await certified()).certification?.grantedRole, 10_000, "the certification and its grant after lowering the rule");
    const after = await certified();
    expect(after).toMatchObject({ passed: true, certification: { cases: 2, accuracy: 0.5, grantedRole: "ANNOTATOR", grantedProject: { id: main } } });
    const { myProjects } = await third.caller.ok<{ myProjects: Array<{ id: string; myRole: string }> }>(MY_PROJECTS);
    expect(myProjects.find((p) => p.id === main)).toEqual({ id: main, myRole: "ANNOTATOR" });
    // The owner, who read one case only, is not certified by the change.
    expect(await sql(`SELECT 1 FROM education_certifications WHERE project_id = $1 AND user_id = $2`, [edu, team.OWNER.id])).toHaveLength(0);
  });

  it("an adjudication that changes the gold certifies at once those who pass by it", async () => {
    const fourth = await buildUser(server, "trainee4");
    await owner().ok(GRANT_ROLE, { projectId: edu, input: { email: fourth.email, role: "TRAINEE" } });
    // Against the gold: case-b Effusion ✗, Nodule ✓; case-c Effusion ✗ (imported yes), Nodule ✗ (adjudicated yes): 1 of 4.
    await fourth.caller.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: effusion, value: true }, { labelId: nodule, value: true }] } });
    await fourth.caller.ok(SUBMIT, { caseId: cases["case-c"], input: { labels: [{ labelId: effusion, value: false }, { labelId: nodule, value: false }] } });
    const score = async () => (await fourth.caller.ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu })).myTrainingScore;
    expect(await score()).toMatchObject({ cases: 2, correct: 1, accuracy: 0.25, passed: false, certification: null });
    // The reviewer decides case-c has no nodule after all: 2 of 4 meets the rule of 0.5, at once.
    await team.REVIEWER.caller.ok(ADJUDICATE, { caseId: cases["case-c"], labelId: nodule, value: false });
    await until(async () => !!(await score()).certification?.grantedRole, 10_000, "the certification and its grant after the adjudication");
    expect(await score()).toMatchObject({ correct: 2, accuracy: 0.5, passed: true, certification: { cases: 2, accuracy: 0.5, grantedRole: "ANNOTATOR" } });
  });

  it("excluding a case the trainee got wrong certifies at once those who pass without it", async () => {
    const sixth = await buildUser(server, "trainee6");
    await owner().ok(GRANT_ROLE, { projectId: edu, input: { email: sixth.email, role: "TRAINEE" } });
    // Against the gold: case-c 0 of 2, case-a 1 of 2, case-b 1 of 2: 2 of 6 fails the rule of 0.5 (as did each step before it).
    await sixth.caller.ok(SUBMIT, { caseId: cases["case-c"], input: { labels: [{ labelId: effusion, value: false }, { labelId: nodule, value: true }] } });
    await sixth.caller.ok(SUBMIT, { caseId: cases["case-a"], input: { labels: [{ labelId: effusion, value: true }, { labelId: nodule, value: true }] } });
    await sixth.caller.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: effusion, value: false }, { labelId: nodule, value: false }] } });
    const score = async () => (await sixth.caller.ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu })).myTrainingScore;
    expect(await score()).toMatchObject({ cases: 3, correct: 2, passed: false, certification: null });
    // case-c leaves the course: 2 of 4 over the two cases left meets the rule, without a new submission.
    await owner().ok(`mutation($caseId: ID!) { excludeCase(caseId: $caseId, reason: IMAGE_QUALITY) { id } }`, { caseId: cases["case-c"] });
    try {
      await until(async () => !!(await score()).certification?.grantedRole, 10_000, "the certification and its grant after the exclusion");
      expect(await score()).toMatchObject({ cases: 2, correct: 2, accuracy: 0.5, passed: true, certification: { cases: 2, accuracy: 0.5, grantedRole: "ANNOTATOR" } });
    } finally {
      await owner().ok(`mutation($caseId: ID!) { includeCase(caseId: $caseId) { id } }`, { caseId: cases["case-c"] });
    }
  });

  it("feedback on a point class: gold points found within 10 px, missed, extra marks and the mean distance; the area class's Dice beside it as before", async () => {
    const fifth = await buildUser(server, "trainee5");
    await owner().ok(GRANT_ROLE, { projectId: edu, input: { email: fifth.email, role: "TRAINEE" } });
    const apex = await buildLabel(owner(), edu, { name: "Apex", kind: "ROI", roiShape: "POINT" });
    await stowOk(server, edu, owner(), [{ name: "case-p.png", bytes: chestPng(64, 64, 5) }]);
    const [{ id: caseId }] = await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1 AND key = 'case-p'`, [edu]);
    // Gold: three landmarks and a 10 × 5 box, in the consensus layer.
    const doc = new Y.Doc();
    for (const points of [[[10, 10]], [[40, 10]], [[40, 50]]]) putRoi(doc, { id: crypto.randomUUID(), classId: apex, kind: "POINT", points });
    putRoi(doc, { id: crypto.randomUUID(), classId: box, kind: "RECTANGLE", points: [[0, 0], [10, 5]] });
    await owner().ok(COLLAB_UPDATE, { caseId, layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
    // (13,14) is 5 px from (10,10); (46,18) exactly 10 px from (40,10); (60,60) is 22.4 px from (40,50), which is missed.
    const pt = (x: number, y: number) => ({ classId: apex, kind: "POINT", points: [[x, y]] });
    await fifth.caller.ok(SUBMIT, { caseId, input: { labels: [], rois: [pt(13, 14), pt(46, 18), pt(60, 60), { classId: box, kind: "RECTANGLE", points: [[0, 0], [5, 5]] }] } });
    const { trainingFeedback: f } = await fifth.caller.ok<{ trainingFeedback: any }>(FEEDBACK_POINTS, { caseId });
    expect(f.goldRois.map((r: any) => r.kind).sort()).toEqual(["POINT", "POINT", "POINT", "RECTANGLE"]);
    expect(f.roiClasses).toEqual([
      // 25 px shared of 50 + 25, as in the first feedback: Dice 2/3.
      { classId: box, className: "Box", goldRegions: 1, myRegions: 1, dice: expect.closeTo(2 / 3, 12), points: null, lines: null },
      { classId: apex, className: "Apex", goldRegions: 3, myRegions: 3, dice: null, points: { tolerance: 10, found: 2, missed: 1, extra: 1, meanDistance: 7.5, f1: expect.closeTo(2 / 3, 12) }, lines: null },
    ]);

    // The manager asks for 6 px: (46,18), 10 px from its gold point, no longer finds it. The rest of the rule stays as it was.
    const rule = { passAccuracy: 0.5, minCases: 2, targetProjectId: main, grantRole: "ANNOTATOR" };
    for (const bad of [0, -1, 1001, Number.NaN]) {
      const refused = await owner().gql(UPDATE_SETTINGS, { projectId: edu, input: { ...rule, pointTolerance: Number.isNaN(bad) ? "x" : bad } });
      expect(errorCode(refused), String(bad)).toBe("BAD_USER_INPUT");
    }
    const set = async (pointTolerance?: number) =>
      (await owner().ok<{ updateEducationSettings: { pointTolerance: number } }>(`mutation($projectId: ID!, $input: EducationSettingsInput!) { updateEducationSettings(projectId: $projectId, input: $input) { pointTolerance } }`, {
        projectId: edu,
        input: { ...rule, ...(pointTolerance === undefined ? {} : { pointTolerance }) },
      })).updateEducationSettings.pointTolerance;
    expect(await set(6)).toBe(6);
    // Left out, it stays as it was.
    expect(await set()).toBe(6);
    const narrow = (await fifth.caller.ok<{ trainingFeedback: any }>(FEEDBACK_POINTS, { caseId })).trainingFeedback.roiClasses[1].points;
    expect(narrow).toEqual({ tolerance: 6, found: 1, missed: 2, extra: 2, meanDistance: 5, f1: expect.closeTo(1 / 3, 12) });
    expect(await set(10)).toBe(10);
  });

  it("feedback on a line class: gold lines found by their midpoints within 10 px, and the found ones' lengths, the trainee's minus the gold's, in px and in mm by the image's row and column spacing", async () => {
    const sixth = await buildUser(server, "trainee6");
    await owner().ok(GRANT_ROLE, { projectId: edu, input: { email: sixth.email, role: "TRAINEE" } });
    const length = await buildLabel(owner(), edu, { name: "Length", kind: "ROI", roiShape: "LINE" });
    await stowOk(server, edu, owner(), [{ name: "case-l.dcm", bytes: ctImage({ study: uid(), series: uid(), sop: uid(), n: 1, size: 32, frames: [frame(32, [])] }) }]);
    const [{ id: caseId }] = await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1 AND key = 'case-l'`, [edu]);
    // 2 mm between rows, 0.5 mm between columns.
    await sql(`UPDATE instances i SET metadata = jsonb_set(i.metadata, '{00280030,Value}', '[2, 0.5]') FROM cases c WHERE c.id = $1 AND i.id = c.instance_id`, [caseId]);
    // Gold: across 20 px (10 mm) at (14,10); down 10 px (20 mm) at (28,7).
    const doc = new Y.Doc();
    for (const points of [[[4, 10], [24, 10]], [[28, 2], [28, 12]]]) putRoi(doc, { id: crypto.randomUUID(), classId: length, kind: "LINE", points });
    await owner().ok(COLLAB_UPDATE, { caseId, layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
    // Across 26 px (13 mm) at (15,12), 2.2 px from the first: +6 px, +3 mm. Down 8 px (16 mm) at (27,6), 1.4 px from the second:
    // −2 px, −4 mm. Down at (28,25), 18 px from any gold line: extra.
    const line = (points: number[][]) => ({ classId: length, kind: "LINE", points });
    await sixth.caller.ok(SUBMIT, { caseId, input: { labels: [], rois: [line([[2, 12], [28, 12]]), line([[27, 10], [27, 2]]), line([[28, 20], [28, 30]])] } });
    const { trainingFeedback: f } = await sixth.caller.ok<{ trainingFeedback: any }>(FEEDBACK_LINES, { caseId });
    expect(f.roiClasses).toEqual([
      {
        classId: length,
        goldRegions: 2,
        myRegions: 3,
        dice: null,
        points: null,
        lines: { tolerance: 10, found: 2, missed: 0, extra: 1, meanLengthDifference: 2, meanAbsLengthDifference: 4, meanLengthDifferenceMm: -0.5, meanAbsLengthDifferenceMm: 3.5, f1: 0.8 },
      },
    ]);
  });

  it("a case excluded from the project is no gold: its feedback has no gold labels or regions, the score and the gold's size leave it out, until it is included again", async () => {
    const seventh = await buildUser(server, "trainee7");
    await owner().ok(GRANT_ROLE, { projectId: edu, input: { email: seventh.email, role: "TRAINEE" } });
    const caseId = cases["case-c"]!;
    // case-c's gold: Effusion yes (imported), Nodule no (adjudicated above), and now a gold box in the consensus layer.
    const doc = new Y.Doc();
    putRoi(doc, { id: crypto.randomUUID(), classId: box, kind: "RECTANGLE", points: [[0, 0], [10, 5]] });
    await owner().ok(COLLAB_UPDATE, { caseId, layer: "consensus", update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64") });
    // case-b: Effusion ✓, Nodule ✗; case-c: both ✗. One of four: no pass (nor a certification to keep).
    await seventh.caller.ok(SUBMIT, { caseId: cases["case-b"], input: { labels: [{ labelId: effusion, value: false }, { labelId: nodule, value: false }] } });
    await seventh.caller.ok(SUBMIT, {
      caseId,
      input: { labels: [{ labelId: effusion, value: false }, { labelId: nodule, value: true }], rois: [{ classId: box, kind: "RECTANGLE", points: [[0, 0], [5, 5]] }] },
    });
    const seen = async () => ({
      feedback: (await seventh.caller.ok<{ trainingFeedback: any }>(FEEDBACK, { caseId })).trainingFeedback,
      score: (await seventh.caller.ok<{ myTrainingScore: any }>(MY_SCORE, { projectId: edu })).myTrainingScore,
      gold: (await owner().ok<{ educationSettings: { gold: { labels: number; cases: number; imported: number } } }>(SETTINGS, { projectId: edu })).educationSettings.gold,
    });
    const before = await seen();
    expect(before.feedback.labels.map((l: any) => [l.labelName, l.source, l.correct])).toEqual([["Effusion", "IMPORTED", false], ["Nodule", "ADJUDICATED", false]]);
    expect(before.feedback.goldRois).toHaveLength(1);
    expect(before.score).toMatchObject({ cases: 2, labels: 4, correct: 1, accuracy: 0.25, passed: false, certification: null });

    await sql(`INSERT INTO case_exclusions (case_id, project_id, reason) VALUES ($1, $2, 'IMAGE_QUALITY')`, [caseId, edu]);
    try {
      const during = await seen();
      // The trainee's own reading is still shown; nothing of the gold is.
      expect(during.feedback.labels).toEqual([]);
      expect(during.feedback.goldRois).toEqual([]);
      expect(during.feedback.myRois).toEqual(before.feedback.myRois);
      expect(during.feedback.roiClasses.map((c: any) => [c.className, c.goldRegions, c.myRegions])).toEqual([["Box", 0, 1]]);
      // Scored on case-b alone.
      expect(during.score).toMatchObject({ cases: 1, labels: 2, correct: 1, accuracy: 0.5, passed: false });
      expect(during.feedback.score).toEqual(during.score);
      expect(during.gold).toEqual({ labels: before.gold.labels - 2, cases: before.gold.cases - 1, imported: before.gold.imported - 1 });
    } finally {
      await sql(`DELETE FROM case_exclusions WHERE case_id = $1`, [caseId]);
    }
    expect(await seen()).toEqual(before);
  });
});

describe("education rules", () => {
  it("groupFeedback: the gold's one answer or none against the trainee's, steps on an ordinal scale, groups the gold leaves open left out", () => {
    const label = (id: string, group: { id: string; ordinal: boolean } | null) => ({ id, kind: "CLASSIFICATION" as const, roiShape: null, name: id, archived: false, group: group && { ...group, name: group.id, required: false } });
    const grade = { id: "grade", ordinal: true };
    const kind = { id: "kind", ordinal: false };
    const labels = [label("g0", grade), label("x", null), label("g1", grade), label("g2", grade), label("k0", kind), label("k1", kind)];
    const map = (o: Record<string, boolean>) => new Map(Object.entries(o));
    // The trainee said g2, the gold g0: two steps above. Kind: both none.
    expect(groupFeedback(labels, map({ g0: true, g1: false, g2: false, k0: false, k1: false }), map({ g2: true, k0: false }))).toEqual([
      { groupId: "grade", groupName: "grade", ordinal: true, mine: "g2", gold: "g0", mineName: "g2", goldName: "g0", correct: false, steps: 2 },
      { groupId: "kind", groupName: "kind", ordinal: false, mine: null, gold: null, mineName: null, goldName: null, correct: true, steps: null },
    ]);
    // Right; a nominal group has no steps; the trainee's two answers (from before the group) are wrong even where one is the gold's.
    expect(groupFeedback(labels, map({ g1: true, k1: true }), map({ g1: true, k0: true, k1: true }))).toEqual([
      { groupId: "grade", groupName: "grade", ordinal: true, mine: "g1", gold: "g1", mineName: "g1", goldName: "g1", correct: true, steps: 0 },
      { groupId: "kind", groupName: "kind", ordinal: false, mine: null, gold: "k1", mineName: null, goldName: "k1", correct: false, steps: null },
    ]);
    // Two gold answers, or a gold that leaves the group open (absent where it says anything), give nothing.
    expect(groupFeedback(labels, map({ g0: true, g2: true, k0: false }), map({}))).toEqual([]);
  });

  it("passes needs both the cases and the accuracy", () => {
    const rule = { passAccuracy: 0.75, minCases: 2 };
    expect(passes(rule, 2, 0.75)).toBe(true);
    expect(passes(rule, 1, 1)).toBe(false);
    expect(passes(rule, 5, 0.7)).toBe(false);
    expect(passes(rule, 5, null)).toBe(false);
  });

  it("pooledDice sums pixels over images and is null without a known size or without regions", () => {
    const sizes = new Map([["1.2", { rows: 10, columns: 20 }], ["1.3", { rows: 10, columns: 20 }], ["1.4", { rows: null, columns: null }]]);
    const r = (sop: string, points: number[][]) => ({ classId: "c", kind: "RECTANGLE" as const, points, sopInstanceUid: sop, frame: 1 });
    // Image 1.2: 50 vs 25 px sharing 25; image 1.3: 10 px gold only. Pooled: 2·25 / (60 + 25).
    expect(pooledDice([r("1.2", [[0, 0], [10, 5]]), r("1.3", [[0, 0], [10, 1]])], [r("1.2", [[0, 0], [5, 5]])], sizes, null)).toBeCloseTo(50 / 85, 12);
    expect(pooledDice([], [], sizes, null)).toBeNull();
    expect(pooledDice([r("1.4", [[0, 0], [1, 1]])], [], sizes, null)).toBeNull();
    // A region without its image falls on the case's image.
    expect(pooledDice([{ classId: "c", kind: "RECTANGLE", points: [[0, 0], [2, 2]] }], [r("1.2", [[0, 0], [2, 2]])], sizes, "1.2")).toBe(1);
  });

  it("pooledPoints matches on each image and frame, sums the counts and pools the distances", () => {
    const p = (sop: string | null, x: number, y: number, frame = 1) => ({ classId: "c", kind: "POINT" as const, points: [[x, y]], sopInstanceUid: sop, frame });
    // 1.2 frame 1: gold (0,0) found 3 px away, the trainee's (30,0) extra. 1.2 frame 2: gold (0,0) missed (no mark on that frame).
    // 1.3: gold (5,5) found exactly (on the case's image, its image left out); gold (50,50) missed.
    const gold = [p("1.2", 0, 0), p("1.2", 0, 0, 2), p(null, 5, 5), p("1.3", 50, 50)];
    const mine = [p("1.2", 3, 0), p("1.2", 30, 0), p("1.3", 5, 5)];
    expect(pooledPoints(gold, mine, "1.3")).toEqual({ tolerance: 10, found: 2, missed: 2, extra: 1, meanDistance: 1.5, f1: 4 / 7 });
    // A wider tolerance changes nothing: (30,0) and (3,0) vie for frame 1's one gold point; frame 2's has no mark to find.
    expect(pooledPoints(gold, mine, "1.3", 40)).toMatchObject({ found: 2, missed: 2, extra: 1 });
    expect(pooledPoints([], [], null)).toEqual({ tolerance: 10, found: 0, missed: 0, extra: 0, meanDistance: null, f1: null });
    expect(pooledPoints([p("1.2", 1, 1)], [], null)).toMatchObject({ found: 0, missed: 1, f1: 0 });
    // A point of the (unchecked) consensus layer without two numbers is left out, not a failure.
    expect(pooledPoints([{ classId: "c", kind: "POINT", points: [] }, { classId: "c", kind: "POINT", points: [["x", 1]] as never }], [p("1.2", 1, 1)], "1.2")).toMatchObject({ found: 0, missed: 0, extra: 1 });
  });

  it("pooledLines matches on each image and frame by midpoints, the trainee's length minus the gold's, in mm on the images with a spacing", () => {
    const l = (sop: string | null, ends: number[][], frame = 1) => ({ classId: "c", kind: "LINE" as const, points: ends, sopInstanceUid: sop, frame });
    const images = new Map([["1.2", { spacing: [0.5, 0.25] as const }], ["1.3", { spacing: null }]]);
    // 1.2 frame 1 (0.5 mm between rows, 0.25 between columns): gold down 10 px (5 mm) at (0,5); mine across 8 px (2 mm) at (0,5):
    // 8 − 10 = −2 px, 2 − 5 = −3 mm.
    // 1.2 frame 2: gold at (0,5) missed, my line there is on frame 1 only. 1.3 (no spacing; the case's image, its image left out):
    // gold 6 px at (3,0), mine 10 px at (5,3), 3.6 px away: +4 px. Mine at (50,50) on 1.3: extra.
    const gold = [l("1.2", [[0, 0], [0, 10]]), l("1.2", [[0, 0], [0, 10]], 2), l(null, [[0, 0], [6, 0]])];
    const mine = [l("1.2", [[-4, 5], [4, 5]]), l("1.3", [[0, 3], [10, 3]]), l("1.3", [[45, 50], [55, 50]])];
    expect(pooledLines(gold, mine, "1.3", images)).toEqual({
      tolerance: 10,
      found: 2,
      missed: 1,
      extra: 1,
      meanLengthDifference: 1,
      meanAbsLengthDifference: 3,
      meanLengthDifferenceMm: -3,
      meanAbsLengthDifferenceMm: 3,
      f1: 4 / 6,
    });
    // At 3 px the pair on 1.3 (3.6 px) is no longer found.
    expect(pooledLines(gold, mine, "1.3", images, 3)).toMatchObject({ found: 1, missed: 2, extra: 2, meanLengthDifference: -2 });
    expect(pooledLines([], [], null, images)).toEqual({
      tolerance: 10, found: 0, missed: 0, extra: 0, meanLengthDifference: null, meanAbsLengthDifference: null, meanLengthDifferenceMm: null, meanAbsLengthDifferenceMm: null, f1: null,
    });
    // A line of the (unchecked) consensus layer without two ends of two numbers is left out, not a failure.
    expect(pooledLines([l("1.2", [[0, 0]]), l("1.2", [[0, 0], ["x", 1]] as never)], [l("1.2", [[0, 0], [2, 0]])], "1.2", images)).toMatchObject({ found: 0, missed: 0, extra: 1 });
  });
});
