import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRANT_ROLE, buildLabel, buildTeam, buildTeamProject, errorCode, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer } from "../../testing/harness.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { binaryClassifierUpload } from "../../testing/ai.js";
import { HOLDOUT_PERCENT, isHeldOut } from "../ai/holdout.js";
import { splitBucket } from "../cases/splits.js";

// A classifier against the readers through the server: the model's stored outputs on the cases
// with a reference give its ROC curve and AUC, each reader is judged against the others, and a
// version trained here is judged on its held-out cases only.

const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const REGISTER = `mutation($projectId: ID!, $metadata: String!, $file: String!) { registerModel(projectId: $projectId, name: "finder", metadata: $metadata, file: $file) { id } }`;
const COMPARE = `query($projectId: ID!, $modelVersionId: ID!, $labelId: ID!) {
  modelReaderComparison(projectId: $projectId, modelVersionId: $modelVersionId, labelId: $labelId) {
    modelVersionId label { id name } heldOutOnly cases positives auc aucLow aucHigh
    curve { threshold falsePositiveRate truePositiveRate } atHalf { cases positives sensitivity specificity }
    readers { reader { id name } cases positives sensitivity specificity } } }`;

interface Comparison {
  heldOutOnly: boolean;
  cases: number;
  positives: number;
  auc: number | null;
  aucLow: number | null;
  aucHigh: number | null;
  curve: Array<{ threshold: number | null; falsePositiveRate: number; truePositiveRate: number }>;
  atHalf: { cases: number; positives: number; sensitivity: number | null; specificity: number | null };
  readers: Array<{ reader: { id: string }; cases: number; positives: number; sensitivity: number | null; specificity: number | null }>;
}

/** The area by counting pairs: the share of (positive, negative) pairs the positive wins, ties a half. */
function pairAuc(scores: number[], truth: boolean[]): number {
  let won = 0;
  let pairs = 0;
  scores.forEach((a, i) =>
    scores.forEach((b, j) => {
      if (!truth[i] || truth[j]) return;
      pairs++;
      won += a > b ? 1 : a === b ? 0.5 : 0;
    }),
  );
  return won / pairs;
}

describe("a classifier against the readers", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let projectId: string;
  let labelId: string;
  let versionId: string;
  let readers: Array<{ caller: Team["OWNER"]["caller"]; id: string }>;
  const caseIds: string[] = [];
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;
  // Three readers' votes on 12 cases: the reference is their majority.
  const VOTES = [
    [true, true, true], [true, true, false], [false, false, true], [false, false, false],
    [true, false, true], [false, true, false], [true, true, true], [false, false, false],
    [true, true, false], [false, false, false], [true, false, false], [false, true, true],
  ];

  beforeAll(async () => {
    server = await startTestServer();
    team = await buildTeam(server);
    projectId = await buildTeamProject(team, { readersPerCase: 3 });
    const owner = team.OWNER.caller;
    const more = [await buildUser(server, "second"), await buildUser(server, "third")];
    for (const u of more) await owner.ok(GRANT_ROLE, { projectId, input: { email: u.email, role: "ANNOTATOR" } });
    readers = [{ caller: team.ANNOTATOR.caller, id: team.ANNOTATOR.id }, ...more.map((u) => ({ caller: u.caller, id: u.id }))];
    await stowOk(server, projectId, owner, VOTES.map((_, i) => ({ name: `case-${String(i).padStart(2, "0")}.png`, bytes: chestPng(64, 64, i * 17) })));
    for (const r of await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1 ORDER BY key`, [projectId])) caseIds.push(r.id);
    labelId = await buildLabel(owner, projectId, { name: "Finding" });
    for (const [i, votes] of VOTES.entries())
      for (const [k, value] of votes.entries()) await readers[k]!.caller.ok(SUBMIT, { caseId: caseIds[i], input: { labels: [{ labelId, value, confidence: 80 }], rois: [] } });
    // A model whose output moves with the image: weights on every feature.
    const finder = binaryClassifierUpload("finding", (i) => ((i % 7) - 3) * 0.5);
    versionId = (await owner.ok<{ registerModel: { id: string } }>(REGISTER, { projectId, ...finder })).registerModel.id;
    await server.services.ai.validateJob(versionId);
    // Every case but the last: a case the model never ran on is not compared.
    for (const caseId of caseIds.slice(0, -1)) await server.services.ai.inferJob(caseId, versionId);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await server?.services.ai.close();
    await server?.dropDatabase();
  });

  const compare = async () => (await team.REVIEWER.caller.ok<{ modelReaderComparison: Comparison }>(COMPARE, { projectId, modelVersionId: versionId, labelId })).modelReaderComparison;
  const stored = async () =>
    new Map((await sql<{ case_id: string; outputs: Array<{ value: number }> }>(`SELECT case_id, outputs FROM predictions WHERE model_version_id = $1`, [versionId])).map((r) => [r.case_id, r.outputs[0]!.value]));

  it("judges the model's stored outputs against the readers' majority, and each reader against the other two", async () => {
    const c = await compare();
    const scores = await stored();
    const judged = caseIds.slice(0, -1).map((id, i) => ({ score: scores.get(id)!, truth: VOTES[i]!.filter(Boolean).length >= 2 }));
    expect(new Set(judged.map((j) => j.score)).size).toBeGreaterThan(5);
    expect([c.heldOutOnly, c.cases, c.positives]).toEqual([false, 11, judged.filter((j) => j.truth).length]);
    expect(c.auc!).toBeCloseTo(pairAuc(judged.map((j) => j.score), judged.map((j) => j.truth)), 12);
    expect(c.aucLow!).toBeLessThanOrEqual(c.auc!);
    expect(c.aucHigh!).toBeGreaterThanOrEqual(c.auc!);
    expect(c.curve[0]).toEqual({ threshold: null, falsePositiveRate: 0, truePositiveRate: 0 });
    expect(c.curve.at(-1)).toMatchObject({ falsePositiveRate: 1, truePositiveRate: 1 });
    const calls = judged.map((j) => j.score >= 0.5);
    const tp = judged.filter((j, i) => j.truth && calls[i]).length;
    expect(c.atHalf.sensitivity).toBe(tp / c.positives);
    // The first reader against the other two, on the 11 cases: ties (the others split) left out.
    const mine = VOTES.slice(0, -1).flatMap(([me, a, b]) => (a === b ? [{ me: me!, truth: a! }] : []));
    const first = c.readers.find((r) => r.reader.id === readers[0]!.id)!;
    expect([first.cases, first.positives]).toEqual([mine.length, mine.filter((m) => m.truth).length]);
    expect(first.sensitivity).toBe(mine.filter((m) => m.truth && m.me).length / mine.filter((m) => m.truth).length);
    expect(first.specificity).toBe(mine.filter((m) => !m.truth && !m.me).length / mine.filter((m) => !m.truth).length);
    expect(c.readers).toHaveLength(3);
  });

  it("leaves a case excluded from the project out of the model's cases and the readers', until it is included again", async () => {
    const before = await compare();
    expect(before.cases).toBe(11);
    const [excluded] = caseIds;
    await sql(`INSERT INTO case_exclusions (case_id, project_id, reason) VALUES ($1, $2, 'DUPLICATE')`, [excluded, projectId]);
    try {
      const c = await compare();
      const scores = await stored();
      const judged = caseIds.slice(1, -1).map((id, i) => ({ score: scores.get(id)!, truth: VOTES[i + 1]!.filter(Boolean).length >= 2 }));
      expect([c.cases, c.positives]).toEqual([10, judged.filter((j) => j.truth).length]);
      expect(c.auc!).toBeCloseTo(pairAuc(judged.map((j) => j.score), judged.map((j) => j.truth)), 12);
      // Case 0: all three said yes, so each reader's cases lose it.
      for (const r of c.readers) expect(r.cases).toBe(before.readers.find((b) => b.reader.id === r.reader.id)!.cases - 1);
    } finally {
      await sql(`DELETE FROM case_exclusions WHERE case_id = $1`, [excluded]);
    }
    expect(await compare()).toEqual(before);
  });

  it("judges a version trained here on its held-out cases only: outside TRAIN of the split it was trained by, or (trained before splits) by a hash of the case id", async () => {
    await sql(`UPDATE model_versions SET source = 'TRAINED' WHERE id = $1`, [versionId]);
    try {
      const c = await compare();
      const held = caseIds.slice(0, -1).filter((id) => isHeldOut(id, HOLDOUT_PERCENT));
      expect(c.heldOutOnly).toBe(true);
      expect(c.cases).toBe(held.length);
      expect(c.cases).toBeLessThan(11);
      // Trained by a split of 40 % TRAIN by case: the cases whose bucket is 40 or above, whatever the project's split is now.
      await sql(`UPDATE model_versions SET held_out_split = '{"trainPercent": 40, "validationPercent": 30, "groupBy": "CASE"}' WHERE id = $1`, [versionId]);
      const bySplit = caseIds.slice(0, -1).filter((id) => splitBucket(projectId, id) >= 40);
      expect(bySplit).not.toEqual(held);
      expect((await compare()).cases).toBe(bySplit.length);
    } finally {
      await sql(`UPDATE model_versions SET source = 'UPLOADED', held_out_split = NULL WHERE id = $1`, [versionId]);
    }
  });

  it("refuses a label that is not a classification label, a model that is not a ready classifier, and anyone who may not review", async () => {
    const box = await buildLabel(team.OWNER.caller, projectId, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    const asked = (v: Record<string, unknown>) => team.REVIEWER.caller.gql(COMPARE, { projectId, modelVersionId: versionId, labelId, ...v });
    expect(JSON.stringify((await asked({ labelId: box })).errors)).toContain("must be a classification label of this project");
    expect(JSON.stringify((await asked({ modelVersionId: caseIds[0] })).errors)).toContain("must be a ready binary or multi-label model version");
    const other = await buildLabel(team.OWNER.caller, projectId, { name: "Something else" });
    expect(JSON.stringify((await asked({ labelId: other })).errors)).toContain("the model has no output named 'Something else'");
    expect(errorCode(await team.ANNOTATOR.caller.gql(COMPARE, { projectId, modelVersionId: versionId, labelId }))).toBe("NOT_FOUND");
  });
});
