import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLabel, buildReadingProject, buildTeam, buildTeamProject, errorCode, type Account, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer, type Caller } from "../../testing/harness.js";
import { handlers } from "@concord/workers/handlers/index";
import { createLogger } from "../../logger.js";
import { runExportJob } from "../../testing/exports.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { cohenKappaCategorical, fleissFromTable, krippendorffAlpha } from "../review/stats/index.js";

// Label groups in reading and review: at most one of a group's labels present in a reading, one
// required at submission in a required group, and the review comparing the readers' answers.

const CREATE_GROUP = `mutation($projectId: ID!, $input: LabelGroupInput!) { createLabelGroup(projectId: $projectId, input: $input) { id labelIds } }`;
const ARCHIVE_LABEL = `mutation($id: ID!) { archiveLabel(id: $id) { id } }`;
const SAVE = `mutation($caseId: ID!, $input: AnnotationInput!) { saveDraft(caseId: $caseId, input: $input) { id } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { status labels { labelId value implicit } } }`;
const MINE = `query($caseId: ID!) { myAnnotation(caseId: $caseId) { status labels { labelId value } } }`;
const AGREEMENT = `query($projectId: ID!, $labelIds: [ID!]) {
  projectAgreement(projectId: $projectId, labelIds: $labelIds) {
    groups {
      group { id name ordinal required }
      categories { id name }
      answers invalid cases casesWith2Plus unanimityRate meanPairwiseAgreement fleissKappa krippendorffAlpha krippendorffAlphaOrdinal meanWeightedKappa
      readerPairs { readerA { id } readerB { id } n agreement kappa weightedKappa }
      confusion
      readerCounts { reader { id name } counts }
      dawidSkene { prevalence converged readers { reader { id } accuracy votes } }
    }
  }
}`;

interface GroupResult {
  group: { id: string; name: string; ordinal: boolean; required: boolean };
  categories: Array<{ id: string; name: string } | null>;
  answers: number;
  invalid: number;
  cases: number;
  casesWith2Plus: number;
  unanimityRate: number | null;
  meanPairwiseAgreement: number | null;
  fleissKappa: number | null;
  krippendorffAlpha: number | null;
  krippendorffAlphaOrdinal: number | null;
  meanWeightedKappa: number | null;
  readerPairs: Array<{ readerA: { id: string }; readerB: { id: string }; n: number; agreement: number | null; kappa: number | null; weightedKappa: number | null }>;
  confusion: number[][];
  readerCounts: Array<{ reader: { id: string; name: string }; counts: number[] }>;
  dawidSkene: { prevalence: number[]; converged: boolean; readers: Array<{ reader: { id: string }; accuracy: number; votes: number }> } | null;
}

describe("label groups in reading and review", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let readers: Account[];
  const owner = () => team.OWNER.caller;
  const problems = (r: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> | null }) =>
    (r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string; message: string }>;

  /** A project with Effusion (ungrouped) and a grade, Normal < Mild < Severe, in a group. */
  async function gradedProject(keys: string[], group: { ordinal?: boolean; required?: boolean } = {}) {
    const f = await buildReadingProject(server, team, readers, keys, { readersPerCase: 3 });
    const [normal, mild, severe] = [await buildLabel(owner(), f.projectId, { name: "Normal" }), await buildLabel(owner(), f.projectId, { name: "Mild" }), await buildLabel(owner(), f.projectId, { name: "Severe" })];
    const grade = { normal: normal!, mild: mild!, severe: severe! };
    const makeGroup = async () =>
      (await owner().ok<{ createLabelGroup: { id: string } }>(CREATE_GROUP, { projectId: f.projectId, input: { name: "Grade", labelIds: [normal, mild, severe], ordinal: true, required: true, ...group } }))
        .createLabelGroup.id;
    return { ...f, grade, makeGroup };
  }
  const answer = (labelId: string, others: string[] = []) => ({ labels: [{ labelId, value: true, confidence: 80 }, ...others.map((id) => ({ labelId: id, value: false }))] });
  const submitOk = (c: Caller, caseId: string, input: Record<string, unknown>) => c.ok(SUBMIT, { caseId, input });

  let stopWorker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    // With Redis, jobs (the COCO export) run in `concord worker` processes: one runs here.
    if (server.platform.queue.kind === "bullmq") stopWorker = await server.platform.queue.work(handlers, { services: server.services, log: createLogger("silent") });
    const [t, ...r] = await Promise.all([buildTeam(server), ...[1, 2, 3].map((i) => buildUser(server, `grader${i}`))]);
    team = t;
    readers = r;
  });
  afterAll(async () => {
    await stopWorker?.();
    await server?.close();
    await server?.dropDatabase();
  });

  it("refuses two of a group's labels present, in a draft or a submission, storing nothing", async () => {
    const f = await gradedProject(["a"]);
    await f.makeGroup();
    const r1 = readers[0]!.caller;
    const two = { labels: [{ labelId: f.grade.mild, value: true }, { labelId: f.label, value: true }, { labelId: f.grade.severe, value: true, confidence: 60 }] };
    for (const doc of [SAVE, SUBMIT]) {
      const r = await r1.gql(doc, { caseId: f.cases.a, input: two });
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
      expect(problems(r)).toEqual([{ field: "input.labels", message: `"Mild", "Severe" are present together, but the group "Grade" takes one answer` }]);
    }
    expect((await r1.ok<{ myAnnotation: unknown }>(MINE, { caseId: f.cases.a })).myAnnotation).toBeNull();
    // One present and the others explicitly not: a draft like any other.
    await r1.ok(SAVE, { caseId: f.cases.a, input: answer(f.grade.mild, [f.grade.normal, f.grade.severe]) });
    expect((await r1.ok<{ myAnnotation: { status: string } }>(MINE, { caseId: f.cases.a })).myAnnotation.status).toBe("DRAFT");
  });

  it("needs an answer in a required group at submission, not in a draft nor in a group that is not required", async () => {
    const f = await gradedProject(["a", "b"]);
    const groupId = await f.makeGroup();
    const [r1, r2] = [readers[0]!.caller, readers[1]!.caller];
    await r1.ok(SAVE, { caseId: f.cases.a, input: { labels: [{ labelId: f.label, value: true }] } });
    const refused = await r1.gql(SUBMIT, { caseId: f.cases.a, input: { labels: [{ labelId: f.label, value: true }, { labelId: f.grade.normal, value: false }] } });
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
    expect(problems(refused)).toEqual([{ field: "input.labels", message: `the group "Grade" needs an answer: one of "Normal", "Mild", "Severe"` }]);
    expect((await r1.ok<{ myAnnotation: { status: string } }>(MINE, { caseId: f.cases.a })).myAnnotation.status).toBe("DRAFT");
    // Answered: submitted, the group's other labels recorded as negative like any label not ticked.
    const { submitAnnotation: s } = await r1.ok<{ submitAnnotation: { status: string; labels: Array<{ labelId: string; value: boolean; implicit: boolean }> } }>(SUBMIT, {
      caseId: f.cases.a,
      input: answer(f.grade.severe),
    });
    expect(s.status).toBe("SUBMITTED");
    const byId = new Map(s.labels.map((l) => [l.labelId, l]));
    expect([byId.get(f.grade.severe), byId.get(f.grade.normal), byId.get(f.grade.mild)].map((l) => [l!.value, l!.implicit])).toEqual([[true, false], [false, true], [false, true]]);
    // An archived label takes no answer: the group needs one of the others.
    await owner().ok(ARCHIVE_LABEL, { id: f.grade.severe });
    const left = await r2.gql(SUBMIT, { caseId: f.cases.b, input: { labels: [] } });
    expect(problems(left)[0]!.message).toBe(`the group "Grade" needs an answer: one of "Normal", "Mild"`);
    // Not required: none of them is an answer too.
    await owner().ok(`mutation($id: ID!, $input: LabelGroupInput!) { updateLabelGroup(id: $id, input: $input) { id } }`, {
      id: groupId,
      input: { name: "Grade", labelIds: [f.grade.normal, f.grade.mild], required: false },
    });
    await submitOk(r2, f.cases.b, { labels: [] });
  });

  it("compares the readers' answers: categories, the confusion matrix, κ, α and Dawid–Skene, leaving out readings from before the group", async () => {
    const f = await gradedProject(["c1", "c2", "c3"]);
    const [r0, r1, r2] = readers.map((r) => r.caller) as [Caller, Caller, Caller];
    const g = f.grade;
    // Before the group exists r2 gives two grades on c3: a reading the group cannot count.
    await submitOk(r2, f.cases.c3!, { labels: [{ labelId: g.mild, value: true }, { labelId: g.severe, value: true }] });
    const groupId = await f.makeGroup();
    const plan: Array<[Caller, string, string]> = [
      [r0, "c1", g.normal], [r1, "c1", g.normal], [r2, "c1", g.normal],
      [r0, "c2", g.mild], [r1, "c2", g.severe], [r2, "c2", g.mild],
      [r0, "c3", g.severe], [r1, "c3", g.severe],
    ];
    for (const [c, key, label] of plan) await submitOk(c, f.cases[key]!, answer(label));

    const all = (await owner().ok<{ projectAgreement: { groups: GroupResult[] } }>(AGREEMENT, { projectId: f.projectId })).projectAgreement.groups;
    expect(all).toHaveLength(1);
    const a = all[0]!;
    expect(a.group).toEqual({ id: groupId, name: "Grade", ordinal: true, required: true });
    expect(a.categories.map((c) => c?.name ?? null)).toEqual(["Normal", "Mild", "Severe"]);
    expect([a.answers, a.invalid, a.cases, a.casesWith2Plus]).toEqual([8, 1, 3, 3]);
    expect(a.unanimityRate).toBeCloseTo(2 / 3, 12);
    // Every pair of readers on a case, both ways round.
    expect(a.confusion).toEqual([
      [6, 0, 0],
      [0, 2, 2],
      [0, 2, 2],
    ]);
    const ids = readers.map((r) => r.id);
    const countsOf = new Map(a.readerCounts.map((r) => [r.reader.id, r.counts]));
    expect([countsOf.get(ids[0]!), countsOf.get(ids[1]!), countsOf.get(ids[2]!)]).toEqual([[1, 1, 1], [1, 0, 2], [1, 1, 0]]);
    expect(a.readerCounts.every((r) => r.reader.name.length > 0)).toBe(true);
    // The statistics are those of the answers as categories, by the same primitives the labels use.
    expect(a.fleissKappa).toBeCloseTo(fleissFromTable([[3, 0, 0], [0, 2, 1], [0, 0, 2]]).kappa!, 12);
    expect(a.krippendorffAlpha).toBeCloseTo(krippendorffAlpha([[0, 0, 0], [1, 2, 1], [2, 2]], "nominal")!, 12);
    expect(a.krippendorffAlphaOrdinal).toBeCloseTo(krippendorffAlpha([[0, 0, 0], [1, 2, 1], [2, 2]], "ordinal")!, 12);
    const answers = new Map<string, number[]>([[ids[0]!, [0, 1, 2]], [ids[1]!, [0, 2, 2]], [ids[2]!, [0, 1]]]);
    expect(a.readerPairs).toHaveLength(3);
    for (const p of a.readerPairs) {
      const [x, y] = [answers.get(p.readerA.id)!, answers.get(p.readerB.id)!];
      const pairs = x.slice(0, Math.min(x.length, y.length)).map((v, i) => [v, y[i]!] as const);
      expect(p.n).toBe(pairs.length);
      expect(p.kappa === null ? null : p.kappa).toBeCloseTo(cohenKappaCategorical(pairs, 3) ?? NaN, 12);
      expect(p.weightedKappa).toBeCloseTo(cohenKappaCategorical(pairs, 3, "quadratic") ?? NaN, 12);
    }
    expect(a.dawidSkene!.prevalence.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    expect(a.dawidSkene!.readers.map((r) => r.votes).sort()).toEqual([2, 3, 3]);

    // Asked for some of its labels only, the group is not compared; asked for all of them, it is.
    const some = await owner().ok<{ projectAgreement: { groups: GroupResult[] } }>(AGREEMENT, { projectId: f.projectId, labelIds: [g.normal, g.mild] });
    expect(some.projectAgreement.groups).toEqual([]);
    const every = await owner().ok<{ projectAgreement: { groups: GroupResult[] } }>(AGREEMENT, { projectId: f.projectId, labelIds: [g.normal, g.mild, g.severe] });
    expect(every.projectAgreement.groups).toEqual(all);

    // The cases behind the figures: where the readers differ, and behind one cell of the confusion matrix.
    const CASES = `query($projectId: ID!, $groupId: ID!, $categories: [Int!], $first: Int!, $after: String) {
      labelGroupCases(projectId: $projectId, groupId: $groupId, categories: $categories, first: $first, after: $after) {
        group { id } categories { name } total hasNextPage endCursor items { caseKey spread answers { reader { id } category label { name } } }
      }
    }`;
    type CasePage = { group: { id: string }; categories: Array<{ name: string } | null>; total: number; hasNextPage: boolean; endCursor: string | null; items: Array<{ caseKey: string; spread: number; answers: Array<{ reader: { id: string }; category: number; label: { name: string } | null }> }> };
    const cases = async (categories: number[] | null, first = 10, after: string | null = null) =>
      (await owner().ok<{ labelGroupCases: CasePage }>(CASES, { projectId: f.projectId, groupId, categories, first, after })).labelGroupCases;
    const differ = await cases(null);
    expect([differ.group.id, differ.categories.map((c) => c?.name), differ.total, differ.hasNextPage]).toEqual([groupId, ["Normal", "Mild", "Severe"], 1, false]);
    expect(differ.items).toEqual([
      { caseKey: "c2", spread: 1, answers: ids.map((id, k) => ({ reader: { id }, category: [1, 2, 1][k], label: { name: ["Mild", "Severe", "Mild"][k] } })).sort((p, q) => (p.reader.id < q.reader.id ? -1 : 1)) },
    ]);
    const keys = async (categories: number[]) => (await cases(categories)).items.map((c) => c.caseKey);
    expect([await keys([1, 2]), await keys([2, 1]), await keys([0, 0]), await keys([2, 2]), await keys([0, 2])]).toEqual([["c2"], ["c2"], ["c1"], ["c3"], []]);
    // Page by page: the diagonal's cases one at a time.
    const page1 = await cases([2, 2], 1);
    expect(page1.items.map((c) => c.caseKey)).toEqual(["c3"]);
    expect(page1.hasNextPage).toBe(false);
    for (const bad of [[0], [0, 3], [-1, 0]]) expect(errorCode(await owner().gql(CASES, { projectId: f.projectId, groupId, categories: bad, first: 10 }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await readers[0]!.caller.gql(CASES, { projectId: f.projectId, groupId, first: 10 }))).toBe("NOT_FOUND");
    expect(errorCode(await owner().gql(CASES, { projectId: f.projectId, groupId: f.label, first: 10 }))).toBe("NOT_FOUND");

    // labels.csv names each label's group, so the answers can be read back per group.
    const res = await fetch(`${server.url}/export/projects/${f.projectId}/labels.csv`, { headers: { cookie: owner().cookie! } });
    const rows = parseCsv(await res.text(), { columns: true }) as Array<Record<string, string>>;
    const groupOf = new Map(rows.map((r) => [r.label, r.group]));
    expect(Object.fromEntries(groupOf)).toEqual({ Effusion: "", Normal: "Grade", Mild: "Grade", Severe: "Grade" });
    // And COCO's categories say it too.
    const coco = JSON.parse((await runExportJob(server, owner(), f.projectId, { format: "COCO", scope: "ALL_READERS" })).body.toString("utf8"));
    const categories = Object.fromEntries((coco.categories as Array<{ name: string; concord_label_group?: string }>).map((c) => [c.name, c.concord_label_group ?? null]));
    expect(categories).toEqual({ Effusion: null, Normal: "Grade", Mild: "Grade", Severe: "Grade" });
  });

  it("counts none of them as an answer in a group that is not required, and a nominal group has no ordinal figures", async () => {
    const f = await gradedProject(["d1", "d2"], { ordinal: false, required: false });
    await f.makeGroup();
    const [r0, r1] = [readers[0]!.caller, readers[1]!.caller];
    await submitOk(r0, f.cases.d1!, answer(f.grade.mild));
    await submitOk(r1, f.cases.d1!, { labels: [{ labelId: f.label, value: true }] });
    await submitOk(r0, f.cases.d2!, { labels: [] });
    await submitOk(r1, f.cases.d2!, { labels: [] });
    const [a] = (await owner().ok<{ projectAgreement: { groups: GroupResult[] } }>(AGREEMENT, { projectId: f.projectId })).projectAgreement.groups;
    expect(a!.categories.map((c) => c?.name ?? null)).toEqual(["Normal", "Mild", "Severe", null]);
    expect([a!.answers, a!.invalid]).toEqual([4, 0]);
    expect(a!.confusion[1]![3]).toBe(1);
    expect(a!.confusion[3]![3]).toBe(2);
    expect([a!.krippendorffAlphaOrdinal, a!.meanWeightedKappa, a!.readerPairs[0]!.weightedKappa]).toEqual([null, null, null]);
    // Readers who may not see the statistics do not get them.
    const r = await r0.gql(AGREEMENT, { projectId: f.projectId });
    expect(errorCode(r)).toBe("NOT_FOUND");
  });

  it("tells a trainee their answer to a group against the gold's, and by how many steps on an ordinal scale", async () => {
    const edu = await buildTeamProject(team, { mode: "EDUCATION" });
    const names = ["B1", "B2", "B3", "B4", "B5"];
    const ids: string[] = [];
    for (const name of names) ids.push(await buildLabel(owner(), edu, { name }));
    const side = [await buildLabel(owner(), edu, { name: "Left" }), await buildLabel(owner(), edu, { name: "Right" })];
    const open = await buildLabel(owner(), edu, { name: "Upper" });
    const lower = await buildLabel(owner(), edu, { name: "Lower" });
    await owner().ok(CREATE_GROUP, { projectId: edu, input: { name: "BI-RADS", labelIds: ids, ordinal: true, required: true } });
    await owner().ok(CREATE_GROUP, { projectId: edu, input: { name: "Side", labelIds: side } });
    await owner().ok(CREATE_GROUP, { projectId: edu, input: { name: "Quadrant", labelIds: [open, lower] } });
    await stowOk(server, edu, owner(), [{ name: "m1.png", bytes: chestPng(12, 12, 3) }]);
    // BI-RADS 4; no side (both absent); the quadrant left open (one absent, the other without gold).
    const gold = ["case,label,value", "m1,B1,0", "m1,B2,0", "m1,B3,0", "m1,B4,1", "m1,B5,0", "m1,Left,0", "m1,Right,0", "m1,Lower,0"].join("\n");
    const IMPORT_GOLD = `mutation($projectId: ID!, $csv: String!) { importGoldLabels(projectId: $projectId, csv: $csv) { imported errors { line message } } }`;
    // Two answers to one group on a case: refused, naming both lines, and nothing stored.
    const two = await owner().ok<{ importGoldLabels: unknown }>(IMPORT_GOLD, { projectId: edu, csv: "case,label,value\nm1,B3,1\nm1,Left,1\nm1,B4,true\n" });
    expect(two.importGoldLabels).toEqual({ imported: 0, errors: [{ line: 4, message: `"B3" (line 2) is present too, but the group "BI-RADS" takes one answer` }] });
    expect(await server.platform.db.dataSource.query(`SELECT 1 FROM gold_labels WHERE project_id = $1`, [edu])).toEqual([]);
    expect((await owner().ok<{ importGoldLabels: { imported: number } }>(IMPORT_GOLD, { projectId: edu, csv: gold })).importGoldLabels.imported).toBe(8);
    const [{ id: caseId }] = await server.platform.db.dataSource.query(`SELECT id FROM cases WHERE project_id = $1`, [edu]);
    await team.TRAINEE.caller.ok(SUBMIT, { caseId, input: { labels: [{ labelId: ids[1], value: true }, { labelId: side[1], value: true }] } });
    const { trainingFeedback: f } = await team.TRAINEE.caller.ok<{ trainingFeedback: { groups: unknown[] } }>(
      `query($caseId: ID!) { trainingFeedback(caseId: $caseId) { groups { groupName ordinal mine gold mineName goldName correct steps } } }`,
      { caseId },
    );
    expect(f.groups).toEqual([
      { groupName: "BI-RADS", ordinal: true, mine: ids[1], gold: ids[3], mineName: "B2", goldName: "B4", correct: false, steps: -2 },
      { groupName: "Side", ordinal: false, mine: side[1], gold: null, mineName: "Right", goldName: null, correct: false, steps: null },
    ]);
  });

  it("a reviewer deciding one of a group's labels present decides the group's others absent, in one transaction", async () => {
    const f = await gradedProject(["e1"]);
    await f.makeGroup();
    const g = f.grade;
    const caseId = f.cases.e1!;
    await submitOk(readers[0]!.caller, caseId, answer(g.mild));
    const ADJUDICATE = `mutation($caseId: ID!, $labelId: ID!, $value: Boolean!) { adjudicate(caseId: $caseId, labelId: $labelId, value: $value) { labelId value } }`;
    const decided = async () =>
      Object.fromEntries(
        ((await server.platform.db.dataSource.query(`SELECT label_id, value FROM adjudications WHERE case_id = $1`, [caseId])) as Array<{ label_id: string; value: boolean }>).map((r) => [r.label_id, r.value]),
      );
    const versions = async () => Number((await server.platform.db.dataSource.query(`SELECT count(*)::int AS n FROM adjudication_versions WHERE case_id = $1`, [caseId]))[0].n);
    const reviewer = team.REVIEWER.caller;
    expect((await reviewer.ok<{ adjudicate: unknown }>(ADJUDICATE, { caseId, labelId: g.severe, value: true })).adjudicate).toEqual({ labelId: g.severe, value: true });
    expect(await decided()).toEqual({ [g.severe]: true, [g.normal]: false, [g.mild]: false });
    expect(await versions()).toBe(3);
    // Another answer: the one before becomes absent; a label already decided absent gets no new version.
    await reviewer.ok(ADJUDICATE, { caseId, labelId: g.mild, value: true });
    expect(await decided()).toEqual({ [g.severe]: false, [g.normal]: false, [g.mild]: true });
    expect(await versions()).toBe(5);
    // Deciding one absent, or a label in no group, touches nothing else.
    await reviewer.ok(ADJUDICATE, { caseId, labelId: g.mild, value: false });
    await reviewer.ok(ADJUDICATE, { caseId, labelId: f.label, value: true });
    expect(await decided()).toEqual({ [g.severe]: false, [g.normal]: false, [g.mild]: false, [f.label]: true });
    expect(await versions()).toBe(7);
  });

  it("the consensus of a group is the answer most readers gave; three readers three ways leave it undecided, not 'none'", async () => {
    const f = await gradedProject(["t1", "t2"]);
    await f.makeGroup();
    const g = f.grade;
    const [r0, r1, r2] = readers.map((r) => r.caller) as [Caller, Caller, Caller];
    for (const [c, key, grade, effusion] of [
      [r0, "t1", g.normal, true], [r1, "t1", g.mild, true], [r2, "t1", g.severe, false],
      [r0, "t2", g.mild, false], [r1, "t2", g.mild, false], [r2, "t2", g.severe, false],
    ] as Array<[Caller, string, string, boolean]>) {
      await submitOk(c, f.cases[key]!, { labels: [{ labelId: grade, value: true }, { labelId: f.label, value: effusion }] });
    }
    const csv = (await runExportJob(server, owner(), f.projectId, { format: "CSV_LABELS", scope: "CONSENSUS" })).body.toString("utf8");
    const rows = parseCsv(csv, { columns: true }) as Array<Record<string, string>>;
    const value = (key: string, label: string) => rows.find((r) => r.case === key && r.label === label)?.value;
    // t1: each label's majority would say every grade absent; the group says undecided. Effusion is 2 of 3.
    expect(["Normal", "Mild", "Severe", "Effusion"].map((l) => value("t1", l))).toEqual(["", "", "", "1"]);
    expect(["Normal", "Mild", "Severe", "Effusion"].map((l) => value("t2", l))).toEqual(["0", "1", "0", "0"]);
  });
});
