import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRANT_ROLE, Subscription, buildLabel, buildTeam, buildTeamProject, errorCode, trackSubscriptions, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer } from "../../testing/harness.js";
import { ctImage, frame, uid } from "../../testing/ct-images.js";
import { chestPng, stowOk } from "../../testing/images.js";
import { canonicalSha256 } from "../ledger/canonical.js";
import { reviewDawidSkeneOptions } from "./review.analysis.js";
import { ReviewRepository } from "./review.repository.js";
import { reviewChannel } from "./review.service.js";
import { agreementStats, dawidSkeneBinary, summariseTimes } from "./stats/index.js";

const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const PERSON = `{ id name }`;
const AGREEMENT_FIELDS = `cells votes positiveVotes cellsWith2Plus allPositive allNegative mixed unanimityRate meanPairwiseAgreement fleissKappa krippendorffAlpha confidenceAlpha
  readerPairs { readerA ${PERSON} readerB ${PERSON} n agreement kappa }`;
const TIME = `{ n mean sd ciLow ciHigh median q1 q3 iqr min max }`;
const AGREEMENT = `query($projectId: ID!, $labelIds: [ID!]) { projectAgreement(projectId: $projectId, labelIds: $labelIds) {
  projectId readers ${PERSON}
  labels { label { id name } agreement { ${AGREEMENT_FIELDS} } dawidSkene { prevalence converged readers { reader ${PERSON} sensitivity specificity votes } }
           time ${TIME} readerTimes { reader { id } time ${TIME} } }
  pooled { ${AGREEMENT_FIELDS} } time ${TIME} readerTimes { reader { id } time ${TIME} }
  roiClasses { roiClass { id name } overlap { n meanDice meanIou medianDice } }
  roiPairs { readerA { id } readerB { id } overlap { n meanDice meanIou medianDice } } roiSkipped } }`;
const CELL = `caseId caseKey labelId votes { reader { id name } value confidence } positives negatives majority agreement posterior consensus
  adjudication { value note version adjudicatedBy { id } }`;
const MATRIX = `query($projectId: ID!, $first: Int, $after: String) { reviewMatrix(projectId: $projectId, first: $first, after: $after) {
  labels { id name } readers { id name } rows { caseId caseKey cells { ${CELL} } } totalCases endCursor hasNextPage } }`;
const DISCREPANCIES = `query($projectId: ID!, $orderBy: DiscrepancyOrder, $first: Int, $after: String) {
  discrepancies(projectId: $projectId, orderBy: $orderBy, first: $first, after: $after) { items { ${CELL} } total endCursor hasNextPage } }`;
const ADJUDICATE = `mutation($caseId: ID!, $labelId: ID!, $value: Boolean!, $note: String) { adjudicate(caseId: $caseId, labelId: $labelId, value: $value, note: $note) {
  caseId labelId value note version at adjudicatedBy { id name } } }`;
const CLEAR = `mutation($caseId: ID!, $labelId: ID!) { clearAdjudication(caseId: $caseId, labelId: $labelId) }`;
const CASE_ADJ = `query($caseId: ID!) { caseAdjudications(caseId: $caseId) { labelId value note version } }`;
const HISTORY = `query($caseId: ID!, $labelId: ID) { adjudicationHistory(caseId: $caseId, labelId: $labelId) { version value note adjudicatedBy { id } } }`;
const COMMENT = `mutation($caseId: ID!, $body: String!) { addCaseComment(caseId: $caseId, body: $body) { id caseId body author { id name } createdAt } }`;
const COMMENTS = `query($caseId: ID!) { caseComments(caseId: $caseId) { id body author { id } } }`;
const EVENTS = `subscription($projectId: ID!) { reviewEvents(projectId: $projectId) { kind projectId caseId labelId commentId actorId } }`;

type Cell = {
  caseId: string;
  caseKey: string;
  labelId: string;
  votes: Array<{ reader: { id: string }; value: boolean; confidence: number | null }>;
  positives: number;
  negatives: number;
  majority: boolean | null;
  agreement: number;
  posterior: number | null;
  consensus: boolean | null;
  adjudication: { value: boolean; note: string; version: number } | null;
};

describe("review mode", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let projectId: string;
  let r2: { caller: Team["OWNER"]["caller"]; id: string; email: string };
  const cases: Record<string, string> = {};
  let l1: string, l2: string, box: string;
  const sql = <T,>(q: string, p: unknown[] = []) => server.platform.db.dataSource.query(q, p) as Promise<T[]>;
  const reviewer = () => team.REVIEWER.caller;

  // Hand-checked votes: L1 r1 T T F F, r2 T F F F; L2 r1 T F T F, r2 T F F T.
  const L1 = { r1: [true, true, false, false], r2: [true, false, false, false] };
  const L2 = { r1: [true, false, true, false], r2: [true, false, false, true] };
  const KEYS = ["case-a", "case-b", "case-c", "case-d"];

  beforeAll(async () => {
    server = await startTestServer();
    team = await buildTeam(server);
    r2 = await buildUser(server, "reader2");
    projectId = await buildTeamProject(team);
    const owner = team.OWNER.caller;
    await owner.ok(GRANT_ROLE, { projectId, input: { email: r2.email, role: "ANNOTATOR" } });
    await stowOk(server, projectId, owner, KEYS.map((k, i) => ({ name: `${k}.png`, bytes: chestPng(20, 10, i) })));
    for (const r of await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [projectId])) cases[r.key] = r.id;
    l1 = await buildLabel(owner, projectId, { name: "Effusion" });
    l2 = await buildLabel(owner, projectId, { name: "Nodule" });
    box = await buildLabel(owner, projectId, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    const grades = [80, 60, 80, 100];
    for (const [i, key] of KEYS.entries()) {
      const roi1 = i === 0 ? [{ classId: box, kind: "RECTANGLE", points: [[0, 0], [10, 5]] }] : i === 1 ? [{ classId: box, kind: "RECTANGLE", points: [[0, 0], [4, 4]] }] : [];
      const roi2 = i === 0 ? [{ classId: box, kind: "RECTANGLE", points: [[5, 0], [15, 5]] }] : [];
      await team.ANNOTATOR.caller.ok(SUBMIT, {
        caseId: cases[key],
        input: { labels: [{ labelId: l1, value: L1.r1[i], confidence: grades[i] }, { labelId: l2, value: L2.r1[i] }], rois: roi1 },
      });
      await r2.caller.ok(SUBMIT, { caseId: cases[key], input: { labels: [{ labelId: l1, value: L1.r2[i], confidence: 100 - grades[i]! }, { labelId: l2, value: L2.r2[i] }], rois: roi2 } });
    }
    // Label times as the timing reports would have given them: r1 2, 4, 6, 8 s; r2 1, 3, 5, 7 s (L1 only).
    for (const [i, key] of KEYS.entries()) {
      await sql(
        `UPDATE label_values v SET seconds = $3 FROM annotations a WHERE a.id = v.annotation_id AND a.case_id = $1 AND a.reader_id = $2 AND v.label_id = $4`,
        [cases[key], team.ANNOTATOR.id, 2 * (i + 1), l1],
      );
      await sql(`UPDATE label_values v SET seconds = $3 FROM annotations a WHERE a.id = v.annotation_id AND a.case_id = $1 AND a.reader_id = $2 AND v.label_id = $4`, [cases[key], r2.id, 2 * i + 1, l1]);
    }
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("projectAgreement: hand-checked numbers for two readers", async () => {
    const { projectAgreement: a } = await team.MANAGER.caller.ok<{ projectAgreement: any }>(AGREEMENT, { projectId, labelIds: [l1] });
    expect(a.labels).toHaveLength(1);
    const s = a.labels[0].agreement;
    expect(s).toMatchObject({ cells: 4, votes: 8, positiveVotes: 3, cellsWith2Plus: 4, allPositive: 1, allNegative: 2, mixed: 1, unanimityRate: 0.75, meanPairwiseAgreement: 0.75 });
    // Fleiss: P̄ = 0.75, Pe = (3/8)² + (5/8)² = 34/64 → κ = 7/15. Cohen: po 0.75, pe 0.5 → 0.5. α nominal: 1 − 7·2/30 = 8/15.
    expect(s.fleissKappa).toBeCloseTo(7 / 15, 12);
    expect(s.krippendorffAlpha).toBeCloseTo(8 / 15, 12);
    expect(s.readerPairs).toHaveLength(1);
    expect(s.readerPairs[0].kappa).toBeCloseTo(0.5, 12);
    expect(s.readerPairs[0].agreement).toBe(0.75);
    expect([s.readerPairs[0].readerA.id, s.readerPairs[0].readerB.id].sort()).toEqual([team.ANNOTATOR.id, r2.id].sort());
    expect(s.readerPairs[0].readerA.name).toMatch(/^Test /);
    // Times: L1 seconds 1..8 → mean 4.5, median 4.5; r1 2,4,6,8 → mean 5.
    expect(a.labels[0].time).toMatchObject({ n: 8, mean: 4.5, median: 4.5 });
    const ci = summariseTimes([1, 2, 3, 4, 5, 6, 7, 8]).ci95!;
    expect(a.labels[0].time.ciLow).toBeCloseTo(ci[0], 12);
    expect(a.labels[0].readerTimes.find((t: any) => t.reader.id === team.ANNOTATOR.id).time).toMatchObject({ n: 4, mean: 5, median: 5 });
    // ROIs of the Box class: case-a 50 px boxes overlapping 25 px (Dice 0.5, IoU 1/3), case-b one reader only (Dice 0).
    expect(a.roiClasses).toHaveLength(0); // the label filter leaves ROI classes out
    const all = (await team.MANAGER.caller.ok<{ projectAgreement: any }>(AGREEMENT, { projectId })).projectAgreement;
    expect(all.roiClasses).toEqual([{ roiClass: { id: box, name: "Box" }, overlap: { n: 2, meanDice: 0.25, meanIou: expect.closeTo(1 / 6, 12), medianDice: 0.25 } }]);
    expect(all.roiPairs).toHaveLength(1);
    expect(all.roiPairs[0].overlap.n).toBe(2);
    expect(all.roiSkipped).toBe(0);
  });

  it("projectAgreement equals agreementStats and Dawid–Skene on the same rows", async () => {
    const rows = await sql<{ case_id: string; reader_id: string; label_id: string; value: boolean; confidence: number | null }>(
      `SELECT a.case_id, a.reader_id, v.label_id, v.value, v.confidence FROM annotations a JOIN label_values v ON v.annotation_id = a.id WHERE a.project_id = $1 AND a.status = 'SUBMITTED'`,
      [projectId],
    );
    expect(rows).toHaveLength(16);
    const expected = agreementStats(rows.map((r) => ({ caseId: r.case_id, label: r.label_id, reader: r.reader_id, value: r.value, confidence: r.confidence })));
    const { projectAgreement: a } = await reviewer().ok<{ projectAgreement: any }>(AGREEMENT, { projectId });
    const pick = (s: any) => ({ cells: s.cells, votes: s.votes, mixed: s.mixed, unanimityRate: s.unanimityRate, fleissKappa: s.fleissKappa, krippendorffAlpha: s.krippendorffAlpha, confidenceAlpha: s.confidenceAlpha, meanPairwiseAgreement: s.meanPairwiseAgreement });
    expect(pick(a.pooled)).toEqual(pick(expected.pooled));
    expect(a.labels.map((l: any) => l.label.id)).toEqual([l1, l2]);
    for (const l of a.labels) expect(pick(l.agreement)).toEqual(pick(expected.perLabel.find((p) => p.label === l.label.id)!));
    // The pooled κ per pair as well.
    expect(a.pooled.readerPairs[0].kappa).toBe(expected.pooled.readerPairs[0]!.kappa);
    // Dawid–Skene per label.
    const l2rows = rows.filter((r) => r.label_id === l2);
    const ds = dawidSkeneBinary(l2rows.map((r) => ({ item: r.case_id, rater: r.reader_id, value: r.value })), reviewDawidSkeneOptions(l2rows.length));
    const got = a.labels[1].dawidSkene;
    expect(got.prevalence).toBeCloseTo(ds.prevalence, 12);
    for (const r of got.readers) {
      expect(r.sensitivity).toBeCloseTo(ds.sensitivity.get(r.reader.id)!, 12);
      expect(r.specificity).toBeCloseTo(ds.specificity.get(r.reader.id)!, 12);
      expect(r.votes).toBe(4);
    }
  });

  it("projectAgreement with a point class: its points matched within the tolerance (hand-checked F1 and distances), the area class's Dice unchanged beside it", async () => {
    const owner = team.OWNER.caller;
    const p = await buildTeamProject(team);
    await owner.ok(GRANT_ROLE, { projectId: p, input: { email: r2.email, role: "ANNOTATOR" } });
    await stowOk(server, p, owner, ["p-a", "p-b", "p-c"].map((k, i) => ({ name: `${k}.png`, bytes: chestPng(40, 40, i) })));
    const ids: Record<string, string> = {};
    for (const r of await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [p])) ids[r.key] = r.id;
    const apex = await buildLabel(owner, p, { name: "Apex", kind: "ROI", roiShape: "POINT" });
    const area = await buildLabel(owner, p, { name: "Box", kind: "ROI", roiShape: "RECTANGLE" });
    const pt = (x: number, y: number) => ({ classId: apex, kind: "POINT", points: [[x, y]] });
    const rect = (points: number[][]) => ({ classId: area, kind: "RECTANGLE", points });
    // p-a: r1 (10,10) (20,10) (30,30); r2 (13,14) (20,10) (5,35). Best: (10,10)–(13,14) 5 px and
    // (20,10)–(20,10) 0 px (not (20,10)–(13,14), 8.06 px, which would leave (10,10) 10 px from (20,10): 18 px in all);
    // (30,30) and (5,35) are 25.5 px apart: 2 matched, 2 unmatched, F1 4/6. Boxes of 16 px sharing 8: Dice 0.5, IoU 1/3.
    // p-b: r1 (5,5), r2 no point (F1 0); r2's box where r1 drew none (Dice 0).
    // p-c: r1 (30,30), r2 (36,38): exactly 10 px apart, a match at the default tolerance (F1 1).
    const mine = {
      "p-a": [[pt(10, 10), pt(20, 10), pt(30, 30), rect([[0, 0], [4, 4]])], [pt(13, 14), pt(20, 10), pt(5, 35), rect([[2, 0], [6, 4]])]],
      "p-b": [[pt(5, 5)], [rect([[0, 0], [10, 10]])]],
      "p-c": [[pt(30, 30)], [pt(36, 38)]],
    };
    for (const [key, [first, second]] of Object.entries(mine)) {
      await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: ids[key], input: { labels: [], rois: first } });
      await r2.caller.ok(SUBMIT, { caseId: ids[key], input: { labels: [], rois: second } });
    }
    const POINTS = `{ n matched unmatched meanF1 medianF1 meanDistance medianDistance }`;
    const OVERLAP = `{ n meanDice meanIou medianDice }`;
    const QUERY = `query($projectId: ID!, $labelIds: [ID!], $pointTolerance: Float) { projectAgreement(projectId: $projectId, labelIds: $labelIds, pointTolerance: $pointTolerance) {
      pointTolerance roiSkipped roiClasses { roiClass { id } overlap ${OVERLAP} points ${POINTS} } roiPairs { readerA { id } readerB { id } overlap ${OVERLAP} points ${POINTS} } } }`;
    const agreement = async (vars: Record<string, unknown>) => (await team.MANAGER.caller.ok<{ projectAgreement: any }>(QUERY, { projectId: p, ...vars })).projectAgreement;
    const noOverlap = { n: 0, meanDice: null, meanIou: null, medianDice: null };
    const boxes = { n: 2, meanDice: 0.25, meanIou: expect.closeTo(1 / 6, 12), medianDice: 0.25 };

    // Tolerance 10 px (the default): F1 2/3, 0, 1; distances 5, 0, 10.
    const atTen = { n: 3, matched: 3, unmatched: 3, meanF1: expect.closeTo(5 / 9, 12), medianF1: expect.closeTo(2 / 3, 12), meanDistance: 5, medianDistance: 5 };
    const a = await agreement({});
    expect(a.pointTolerance).toBe(10);
    expect(a.roiSkipped).toBe(0);
    expect(a.roiClasses).toEqual([
      { roiClass: { id: apex }, overlap: noOverlap, points: atTen },
      { roiClass: { id: area }, overlap: boxes, points: null },
    ].sort((x, y) => (x.roiClass.id < y.roiClass.id ? -1 : 1)));
    expect(a.roiPairs).toHaveLength(1);
    expect([a.roiPairs[0].readerA.id, a.roiPairs[0].readerB.id].sort()).toEqual([team.ANNOTATOR.id, r2.id].sort());
    expect(a.roiPairs[0]).toMatchObject({ overlap: boxes, points: atTen });

    // Tolerance 5 px: (10,10)–(13,14) still pairs (5 px), p-c no longer does: F1 2/3, 0, 0; distances 5, 0.
    const atFive = await agreement({ pointTolerance: 5, labelIds: [apex] });
    expect(atFive.pointTolerance).toBe(5);
    expect(atFive.roiClasses).toEqual([
      { roiClass: { id: apex }, overlap: noOverlap, points: { n: 3, matched: 2, unmatched: 5, meanF1: expect.closeTo(2 / 9, 12), medianF1: 0, meanDistance: 2.5, medianDistance: 2.5 } },
    ]);
    // Only the point class asked for: the pair compared no areas.
    expect(atFive.roiPairs[0].overlap).toEqual(noOverlap);

    // The tolerance must be a distance above 0 and at most 10,000 px.
    for (const pointTolerance of [0, -1, 10_000.5]) {
      const refused = await team.MANAGER.caller.gql(QUERY, { projectId: p, pointTolerance });
      expect(errorCode(refused), String(pointTolerance)).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(refused.errors)).toContain("pointTolerance: must be a distance in image pixels above 0 and at most 10000");
    }
    expect((await agreement({ pointTolerance: 10_000 })).pointTolerance).toBe(10_000);
    // Not seen by an annotator, whatever the tolerance.
    expect(errorCode(await team.ANNOTATOR.caller.gql(QUERY, { projectId: p, pointTolerance: 0 }))).toBe("NOT_FOUND");
  });

  it("projectAgreement: points' distances in millimetres by each image's Pixel Spacing (a slice's own, a multi-frame image's shared), none for a PNG", async () => {
    const owner = team.OWNER.caller;
    const p = await buildTeamProject(team);
    await owner.ok(GRANT_ROLE, { projectId: p, input: { email: r2.email, role: "ANNOTATOR" } });
    // Both CT images have a Pixel Spacing of 0.5 mm: the slice in its data set, the two-frame image in its shared functional groups.
    const slice = ctImage({ study: uid(), series: uid(), sop: uid(), n: 1, size: 32, frames: [frame(32, [])] });
    const multi = ctImage({ study: uid(), series: uid(), sop: uid(), n: 1, size: 32, frames: [frame(32, []), frame(32, [])] });
    await stowOk(server, p, owner, [
      { name: "mm-slice.dcm", bytes: slice },
      { name: "mm-multi.dcm", bytes: multi },
      { name: "mm-png.png", bytes: chestPng(40, 40, 3) },
    ]);
    const cases = await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [p]);
    const ids = Object.fromEntries(cases.map((c) => [c.key, c.id]));
    const apex = await buildLabel(owner, p, { name: "Apex", kind: "ROI", roiShape: "POINT" });
    const pt = (x: number, y: number, frame = 1) => ({ classId: apex, kind: "POINT", points: [[x, y]], frame });
    // The slice: 6 and 8 px apart → 10 px, 5 mm. The multi-frame image's second frame: 3 px → 1.5 mm. The PNG: 4 px, no mm.
    const readings = { "mm-slice": [pt(10, 10), pt(16, 18)], "mm-multi": [pt(5, 5, 2), pt(8, 5, 2)], "mm-png": [pt(1, 1), pt(5, 1)] };
    for (const [key, [first, second]] of Object.entries(readings)) {
      await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: ids[key], input: { labels: [], rois: [first] } });
      await r2.caller.ok(SUBMIT, { caseId: ids[key], input: { labels: [], rois: [second] } });
    }
    const QUERY = `query($projectId: ID!) { projectAgreement(projectId: $projectId) { roiClasses { points { matched meanDistance matchedInMm meanDistanceMm medianDistanceMm withinMm { radiusMm pairs share } } } } }`;
    const [points] = (await team.MANAGER.caller.ok<{ projectAgreement: any }>(QUERY, { projectId: p })).projectAgreement.roiClasses.map((c: any) => c.points);
    // Within 2 and 2.5 mm: the 1.5 mm pair; within 3 and 4 mm as well (the 5 mm pair never); the PNG's pair has no mm.
    const within = [2, 2.5, 3, 4].map((radiusMm) => ({ radiusMm, pairs: 1, share: 0.5 }));
    expect(points).toEqual({ matched: 3, meanDistance: (10 + 3 + 4) / 3, matchedInMm: 2, meanDistanceMm: (5 + 1.5) / 2, medianDistanceMm: (5 + 1.5) / 2, withinMm: within });
  });

  it("projectAgreement with a line class: lines matched by their midpoints, lengths compared in px and, by each image's own row and column spacing, in mm; Bland–Altman per reader pair (hand-checked)", async () => {
    const owner = team.OWNER.caller;
    const p = await buildTeamProject(team);
    await owner.ok(GRANT_ROLE, { projectId: p, input: { email: r2.email, role: "ANNOTATOR" } });
    const slice = () => ctImage({ study: uid(), series: uid(), sop: uid(), n: 1, size: 32, frames: [frame(32, [])] });
    await stowOk(server, p, owner, [
      { name: "ln-iso.dcm", bytes: slice() },
      { name: "ln-aniso.dcm", bytes: slice() },
      { name: "ln-png.png", bytes: chestPng(40, 40, 4) },
    ]);
    const ids = Object.fromEntries((await sql<{ id: string; key: string }>(`SELECT id, key FROM cases WHERE project_id = $1`, [p])).map((c) => [c.key, c.id]));
    // ln-aniso's pixels: 2 mm between rows, 0.5 mm between columns (ln-iso keeps the CT's 0.5 mm both ways).
    await sql(`UPDATE instances i SET metadata = jsonb_set(i.metadata, '{00280030,Value}', '[2, 0.5]') FROM cases c WHERE c.id = $1 AND i.id = c.instance_id`, [ids["ln-aniso"]]);
    const length = await buildLabel(owner, p, { name: "Length", kind: "ROI", roiShape: "LINE" });
    const line = (points: number[][]) => ({ classId: length, kind: "LINE", points });
    // The annotator's length minus r2's:
    // ln-iso: 20 px (10 mm) at (14,4) and 16 px (8 mm) at (14,8), 4 px apart: +4 px, +2 mm. F1 1.
    // ln-aniso: down 10 px (20 mm) and across 12 px (6 mm), crossing at (10,10): −2 px, +14 mm. F1 1.
    // ln-png (no spacing): 10 px at (5,0) and r2's at (35,0), 30 px apart, unmatched; 10 px at (25,30) and r2's 8 px at (25,34): +2 px. F1 2/4.
    const readings = {
      "ln-iso": [[line([[4, 4], [24, 4]])], [line([[6, 8], [22, 8]])]],
      "ln-aniso": [[line([[10, 5], [10, 15]])], [line([[4, 10], [16, 10]])]],
      "ln-png": [[line([[0, 0], [10, 0]]), line([[20, 30], [30, 30]])], [line([[30, 0], [40, 0]]), line([[29, 34], [21, 34]])]],
    };
    for (const [key, [first, second]] of Object.entries(readings)) {
      await team.ANNOTATOR.caller.ok(SUBMIT, { caseId: ids[key], input: { labels: [], rois: first } });
      await r2.caller.ok(SUBMIT, { caseId: ids[key], input: { labels: [], rois: second } });
    }
    const LINES = `n matched unmatched meanF1 medianF1 meanAbsLengthDifference matchedInMm meanAbsLengthDifferenceMm`;
    const QUERY = `query($projectId: ID!, $pointTolerance: Float) { projectAgreement(projectId: $projectId, pointTolerance: $pointTolerance) {
      roiClasses { roiClass { id } overlap { n } points { n } lines { ${LINES} } }
      roiPairs { readerA { id } readerB { id } overlap { n } points { n } lines { ${LINES} blandAltman { unit n bias sd lowerLimit upperLimit points { mean difference } } } } } }`;
    const agreement = async (vars: Record<string, unknown> = {}) => (await team.MANAGER.caller.ok<{ projectAgreement: any }>(QUERY, { projectId: p, ...vars })).projectAgreement;
    const a = await agreement();
    const figures = { n: 3, matched: 3, unmatched: 2, meanF1: expect.closeTo(5 / 6, 12), medianF1: 1, meanAbsLengthDifference: expect.closeTo(8 / 3, 12), matchedInMm: 2, meanAbsLengthDifferenceMm: 8 };
    // A line class: neither Dice nor points.
    expect(a.roiClasses).toEqual([{ roiClass: { id: length }, overlap: { n: 0 }, points: null, lines: figures }]);
    expect(a.roiPairs).toHaveLength(1);
    const [pair] = a.roiPairs;
    expect(pair).toMatchObject({ overlap: { n: 0 }, points: null, lines: figures });
    // Reader A is the one whose id sorts first. The PNG's pair has no millimetres, so the figures are in pixels:
    // +4, −2, +2 px (the annotator's minus r2's): bias 4/3; deviations 8/3, −10/3, 2/3, SD √((64 + 100 + 4) / 9 / 2) = √(84/9).
    const sign = pair.readerA.id === team.ANNOTATOR.id ? 1 : -1;
    const sd = Math.sqrt(84 / 9);
    const { points, ...figuresBa } = pair.lines.blandAltman;
    expect(figuresBa).toEqual({
      unit: "PX",
      n: 3,
      bias: expect.closeTo((sign * 4) / 3, 12),
      sd: expect.closeTo(sd, 12),
      lowerLimit: expect.closeTo((sign * 4) / 3 - 1.96 * sd, 12),
      upperLimit: expect.closeTo((sign * 4) / 3 + 1.96 * sd, 12),
    });
    // The plot's points: each pair's mean length (20 and 16, 10 and 12, 10 and 8 px) and difference.
    const byMean = [...points].sort((x: { mean: number }, y: { mean: number }) => x.mean - y.mean);
    expect(byMean).toEqual([
      { mean: 9, difference: sign * 2 },
      { mean: 11, difference: sign * -2 },
      { mean: 18, difference: sign * 4 },
    ]);

    // At a tolerance of 3 px only the crossing lines on ln-aniso (0 px apart) match: every matched pair has a spacing,
    // so the figures are in millimetres: one difference of +14 mm, a bias and no limits.
    const narrow = await agreement({ pointTolerance: 3 });
    expect(narrow.roiClasses[0].lines).toMatchObject({ matched: 1, unmatched: 2 + 0 + 4, meanAbsLengthDifference: 2, matchedInMm: 1, meanAbsLengthDifferenceMm: 14 });
    // Its point in millimetres too: 20 mm down and 6 mm across, a mean of 13 mm.
    expect(narrow.roiPairs[0].lines.blandAltman).toEqual({ unit: "MM", n: 1, bias: sign * 14, sd: null, lowerLimit: null, upperLimit: null, points: [{ mean: 13, difference: sign * 14 }] });
  });

  it("reviewMatrix: every reader's vote per cell, majority and agreement, a page of cases at a time", async () => {
    const p1 = (await reviewer().ok<{ reviewMatrix: any }>(MATRIX, { projectId, first: 3 })).reviewMatrix;
    expect(p1.totalCases).toBe(4);
    expect(p1.labels.map((l: any) => l.id)).toEqual([l1, l2]);
    expect(p1.rows.map((r: any) => r.caseKey)).toEqual(["case-a", "case-b", "case-c"]);
    expect(p1.hasNextPage).toBe(true);
    const p2 = (await reviewer().ok<{ reviewMatrix: any }>(MATRIX, { projectId, first: 3, after: p1.endCursor })).reviewMatrix;
    expect(p2.rows.map((r: any) => r.caseKey)).toEqual(["case-d"]);
    expect(p2.hasNextPage).toBe(false);
    const cell = (key: string, label: string): Cell => [...p1.rows, ...p2.rows].find((r: any) => r.caseKey === key).cells.find((c: Cell) => c.labelId === label);
    const a1 = cell("case-a", l1);
    expect(a1).toMatchObject({ positives: 2, negatives: 0, majority: true, agreement: 1, consensus: true, adjudication: null });
    expect(a1.votes.find((v) => v.reader.id === team.ANNOTATOR.id)).toMatchObject({ value: true, confidence: 80 });
    expect(a1.votes.find((v) => v.reader.id === r2.id)).toMatchObject({ value: true, confidence: 20 });
    expect(cell("case-b", l1)).toMatchObject({ positives: 1, negatives: 1, majority: null, agreement: 0.5, consensus: null });
    expect(cell("case-d", l2).posterior).toBeGreaterThan(0);
    expect(cell("case-a", l1).posterior!).toBeGreaterThan(cell("case-c", l1).posterior!);
    // A bad cursor is refused, not read as the start.
    expect(errorCode(await reviewer().gql(MATRIX, { projectId, after: "not a cursor!" }))).toBe("BAD_USER_INPUT");
  });

  it("discrepancies: only cells where readers disagree, in the order asked for, paged", async () => {
    const byKey = (await reviewer().ok<{ discrepancies: { items: Cell[]; total: number } }>(DISCREPANCIES, { projectId, orderBy: "CASE_KEY", first: 50 })).discrepancies;
    expect(byKey.total).toBe(3);
    expect(byKey.items.map((c) => [c.caseKey, c.labelId])).toEqual([["case-b", l1], ["case-c", l2], ["case-d", l2]]);
    expect(byKey.items.every((c) => c.positives > 0 && c.negatives > 0)).toBe(true);
    const unc = (await reviewer().ok<{ discrepancies: { items: Cell[] } }>(DISCREPANCIES, { projectId, orderBy: "UNCERTAINTY", first: 50 })).discrepancies.items;
    const d = unc.map((c) => Math.abs(c.posterior! - 0.5));
    expect([...d].sort((x, y) => x - y)).toEqual(d);
    expect(new Set(unc.map((c) => `${c.caseKey}/${c.labelId}`))).toEqual(new Set(byKey.items.map((c) => `${c.caseKey}/${c.labelId}`)));
    const page1 = (await reviewer().ok<{ discrepancies: { items: Cell[]; endCursor: string; hasNextPage: boolean } }>(DISCREPANCIES, { projectId, orderBy: "CASE_KEY", first: 2 })).discrepancies;
    expect(page1.hasNextPage).toBe(true);
    const page2 = (await reviewer().ok<{ discrepancies: { items: Cell[]; hasNextPage: boolean } }>(DISCREPANCIES, { projectId, orderBy: "CASE_KEY", first: 2, after: page1.endCursor })).discrepancies;
    expect([...page1.items, ...page2.items].map((c) => c.caseKey)).toEqual(["case-b", "case-c", "case-d"]);
    expect(page2.hasNextPage).toBe(false);
  });

  it("adjudicate: the consensus overrides the majority, each change is a ledger leaf, history is kept, clearing restores the majority", async () => {
    const caseId = cases["case-b"]!;
    const first = (await reviewer().ok<{ adjudicate: any }>(ADJUDICATE, { caseId, labelId: l1, value: true, note: "small effusion on the left" })).adjudicate;
    expect(first).toMatchObject({ caseId, labelId: l1, value: true, note: "small effusion on the left", version: 1, adjudicatedBy: { id: team.REVIEWER.id } });
    const second = (await team.MANAGER.caller.ok<{ adjudicate: any }>(ADJUDICATE, { caseId, labelId: l1, value: false })).adjudicate;
    expect(second).toMatchObject({ value: false, version: 2, note: "" });

    const leaves = await sql<{ payload_sha256: Buffer; project_id: string; object_id: string }>(
      `SELECT l.payload_sha256, l.project_id, l.object_id FROM ledger_leaves l JOIN adjudication_versions v ON v.id::text = l.object_id
        WHERE l.event_type = 'adjudication' AND v.case_id = $1 ORDER BY v.version`,
      [caseId],
    );
    expect(leaves).toHaveLength(2);
    expect(leaves[0]!.payload_sha256).toEqual(canonicalSha256({ caseId, labelId: l1, value: true, previous: null }));
    expect(leaves[1]!.payload_sha256).toEqual(canonicalSha256({ caseId, labelId: l1, value: false, previous: true }));
    expect(leaves[0]!.project_id).toBe(projectId);

    const cell = (await reviewer().ok<{ discrepancies: { items: Cell[] } }>(DISCREPANCIES, { projectId, orderBy: "CASE_KEY", first: 1 })).discrepancies.items[0]!;
    expect(cell).toMatchObject({ caseKey: "case-b", majority: null, consensus: false, adjudication: { value: false, version: 2 } });
    const open = `query($projectId: ID!) { discrepancies(projectId: $projectId, orderBy: CASE_KEY, unadjudicatedOnly: true) { total items { caseKey } } }`;
    expect((await reviewer().ok<{ discrepancies: { total: number; items: Cell[] } }>(open, { projectId })).discrepancies.items.map((c) => c.caseKey)).toEqual(["case-c", "case-d"]);
    expect((await team.VIEWER.caller.ok<{ caseAdjudications: any[] }>(CASE_ADJ, { caseId })).caseAdjudications).toEqual([{ labelId: l1, value: false, note: "", version: 2 }]);

    expect((await reviewer().ok<{ clearAdjudication: boolean }>(CLEAR, { caseId, labelId: l1 })).clearAdjudication).toBe(true);
    expect((await reviewer().ok<{ clearAdjudication: boolean }>(CLEAR, { caseId, labelId: l1 })).clearAdjudication).toBe(false);
    expect((await reviewer().ok<{ caseAdjudications: any[] }>(CASE_ADJ, { caseId })).caseAdjudications).toEqual([]);
    const history = (await reviewer().ok<{ adjudicationHistory: any[] }>(HISTORY, { caseId, labelId: l1 })).adjudicationHistory;
    expect(history.map((h) => [h.version, h.value])).toEqual([[3, null], [2, false], [1, true]]);
    expect(history[2].note).toBe("small effusion on the left");
    const [clearLeaf] = await sql<{ payload_sha256: Buffer }>(
      `SELECT l.payload_sha256 FROM ledger_leaves l JOIN adjudication_versions v ON v.id::text = l.object_id WHERE v.case_id = $1 AND v.version = 3`,
      [caseId],
    );
    expect(clearLeaf!.payload_sha256).toEqual(canonicalSha256({ caseId, labelId: l1, value: null, previous: false }));

    // ROI classes are adjudicated on the consensus layer; labels of other projects are refused.
    expect(errorCode(await reviewer().gql(ADJUDICATE, { caseId, labelId: box, value: true }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await reviewer().gql(ADJUDICATE, { caseId, labelId: "00000000-0000-4000-8000-000000000000", value: true }))).toBe("BAD_USER_INPUT");
  });

  it("comments: reviewers write, whoever may see others' work reads; too long is refused; events carry ids", async () => {
    const caseId = cases["case-c"]!;
    const tracker = trackSubscriptions(server.platform.bus);
    const sub = new Subscription<{ reviewEvents: any }>(team.VIEWER.caller, EVENTS, { projectId });
    try {
      await sub.next(200); // starts the subscription
      await tracker.waitFor(reviewChannel(projectId));
      const c = (await reviewer().ok<{ addCaseComment: any }>(COMMENT, { caseId, body: "  Check the lateral view.  " })).addCaseComment;
      expect(c).toMatchObject({ caseId, body: "Check the lateral view.", author: { id: team.REVIEWER.id } });
      expect((await sub.nextData()).reviewEvents).toEqual({ kind: "COMMENTED", projectId, caseId, labelId: null, commentId: c.id, actorId: team.REVIEWER.id });
      await reviewer().ok(ADJUDICATE, { caseId, labelId: l2, value: true });
      expect((await sub.nextData()).reviewEvents).toMatchObject({ kind: "ADJUDICATED", caseId, labelId: l2 });
    } finally {
      await sub.close();
    }
    for (const role of ["OWNER", "MANAGER", "REVIEWER", "VIEWER", "ANNOTATOR"] as const) {
      expect((await team[role].caller.ok<{ caseComments: any[] }>(COMMENTS, { caseId })).caseComments.map((x) => x.body)).toEqual(["Check the lateral view."]);
    }
    expect(errorCode(await reviewer().gql(COMMENT, { caseId, body: "x".repeat(4001) }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await reviewer().gql(COMMENT, { caseId, body: "   " }))).toBe("BAD_USER_INPUT");
  });

  it("permissions: annotators, trainees, data owners and outsiders find nothing; viewers read comments but not the statistics", async () => {
    const caseId = cases["case-a"]!;
    const outsider = await buildUser(server, "outsider");
    const denied = { ANNOTATOR: team.ANNOTATOR.caller, TRAINEE: team.TRAINEE.caller, DATA_OWNER: team.DATA_OWNER.caller, VIEWER: team.VIEWER.caller, OUTSIDER: outsider.caller };
    for (const [role, who] of Object.entries(denied)) {
      for (const [q, v] of [
        [AGREEMENT, { projectId }],
        [MATRIX, { projectId }],
        [DISCREPANCIES, { projectId }],
        [ADJUDICATE, { caseId, labelId: l1, value: true }],
        [CLEAR, { caseId, labelId: l1 }],
        [COMMENT, { caseId, body: "hello" }],
      ] as const) {
        expect(errorCode(await who.gql(q, v)), `${role}: ${q.slice(0, 40)}`).toBe("NOT_FOUND");
      }
    }
    // Reading a case's comments and adjudications follows annotations.viewOthers (open project: annotators and viewers may).
    for (const who of [team.TRAINEE.caller, team.DATA_OWNER.caller, outsider.caller]) {
      expect(errorCode(await who.gql(COMMENTS, { caseId }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(CASE_ADJ, { caseId }))).toBe("NOT_FOUND");
      expect(errorCode(await who.gql(HISTORY, { caseId }))).toBe("NOT_FOUND");
    }
    for (const role of ["OWNER", "MANAGER", "REVIEWER"] as const) {
      await team[role].caller.ok(AGREEMENT, { projectId });
      await team[role].caller.ok(MATRIX, { projectId });
    }
    expect(await sql(`SELECT 1 FROM case_comments WHERE body = 'hello'`)).toHaveLength(0);
  });

  it("blind reading: an annotator cannot reach review data, comments or events of a case before submitting it", async () => {
    const blind = await buildTeamProject(team, { blindReading: true });
    const owner = team.OWNER.caller;
    await stowOk(server, blind, owner, [{ name: "blind-1.png", bytes: chestPng(20, 10, 7) }]);
    const [{ id: caseId }] = (await sql<{ id: string }>(`SELECT id FROM cases WHERE project_id = $1`, [blind])) as [{ id: string }];
    const label = await buildLabel(owner, blind, { name: "Pneumothorax" });
    const annotator = team.ANNOTATOR.caller;
    const tracker = trackSubscriptions(server.platform.bus);
    const sub = new Subscription<{ reviewEvents: any }>(annotator, EVENTS, { projectId: blind });
    try {
      await sub.next(200);
      await tracker.waitFor(reviewChannel(blind));
      await reviewer().ok(COMMENT, { caseId, body: "Reviewer's view: positive" });
      await reviewer().ok(ADJUDICATE, { caseId, labelId: label, value: true, note: "clear pneumothorax" });
      // The reviewer's heatmap has no read case yet (and is fitted and kept now).
      expect((await reviewer().ok<{ reviewMatrix: { totalCases: number } }>(MATRIX, { projectId: blind })).reviewMatrix.totalCases).toBe(0);
      // Nothing reaches the annotator who has not submitted the case.
      expect(await sub.next(500)).toBe("timeout");
      for (const [q, v] of [
        [COMMENTS, { caseId }],
        [CASE_ADJ, { caseId }],
        [HISTORY, { caseId }],
        [MATRIX, { projectId: blind }],
        [DISCREPANCIES, { projectId: blind }],
        [AGREEMENT, { projectId: blind }],
      ] as const) {
        expect(errorCode(await annotator.gql(q, v))).toBe("NOT_FOUND");
      }
      // After submitting, the case's comments and adjudications open up (the statistics still do not).
      await annotator.ok(SUBMIT, { caseId, input: { labels: [{ labelId: label, value: false }], rois: [] } });
      expect((await annotator.ok<{ caseComments: any[] }>(COMMENTS, { caseId })).caseComments).toHaveLength(1);
      expect((await annotator.ok<{ caseAdjudications: any[] }>(CASE_ADJ, { caseId })).caseAdjudications).toEqual([{ labelId: label, value: true, note: "clear pneumothorax", version: 1 }]);
      expect(errorCode(await annotator.gql(MATRIX, { projectId: blind }))).toBe("NOT_FOUND");
      // A new submission is seen at once: the kept fit is checked against the votes.
      const after = (await reviewer().ok<{ reviewMatrix: { totalCases: number; rows: Array<{ cells: Cell[] }> } }>(MATRIX, { projectId: blind })).reviewMatrix;
      expect(after.totalCases).toBe(1);
      expect(after.rows[0]!.cells[0]).toMatchObject({ positives: 0, negatives: 1, consensus: true, adjudication: { value: true } });
      await reviewer().ok(COMMENT, { caseId, body: "after submission" });
      expect((await sub.nextData()).reviewEvents).toMatchObject({ kind: "COMMENTED", caseId });
    } finally {
      await sub.close();
    }
  });

  it("an excluded case leaves the agreement, ROI overlap, Dawid–Skene, the kept heatmap and the discrepancies; adjudicating it is refused; including it again brings it back", async () => {
    // case-b: Effusion r1 true, r2 false (a discrepancy); Nodule false, false; r1's box alone (an ROI comparison with Dice 0).
    const caseId = cases["case-b"]!;
    const agreement = async () => (await team.MANAGER.caller.ok<{ projectAgreement: any }>(AGREEMENT, { projectId })).projectAgreement;
    const matrix = async () => (await reviewer().ok<{ reviewMatrix: { totalCases: number; rows: Array<{ caseKey: string }> } }>(MATRIX, { projectId, first: 50 })).reviewMatrix;
    const disagreements = async () =>
      (await reviewer().ok<{ discrepancies: { items: Cell[] } }>(DISCREPANCIES, { projectId, orderBy: "CASE_KEY", first: 50 })).discrepancies.items.map((c) => `${c.caseKey}/${c.labelId}`);
    const listed = async () => (await new ReviewRepository(server.platform.db.dataSource.manager).adjudications(projectId, null)).map((a) => a.caseId);
    const seen = async () => {
      const a = await agreement();
      const m = await matrix();
      return {
        effusionCells: a.labels[0].agreement.cells,
        effusionMixed: a.labels[0].agreement.mixed,
        dawidSkeneVotes: a.labels[1].dawidSkene.readers.map((r: any) => r.votes),
        box: a.roiClasses[0].overlap,
        totalCases: m.totalCases,
        keys: m.rows.map((r) => r.caseKey),
        disagreements: await disagreements(),
        adjudicated: (await listed()).includes(caseId),
      };
    };
    await reviewer().ok(ADJUDICATE, { caseId, labelId: l2, value: true, note: "a nodule after all" });
    const before = await seen();
    expect(before).toMatchObject({ effusionCells: 4, effusionMixed: 1, dawidSkeneVotes: [4, 4], box: { n: 2, meanDice: 0.25 }, totalCases: 4, adjudicated: true });
    expect(before.keys).toContain("case-b");
    expect(before.disagreements).toContain(`case-b/${l1}`);

    await sql(`INSERT INTO case_exclusions (case_id, project_id, reason) VALUES ($1, $2, 'DUPLICATE')`, [caseId, projectId]);
    try {
      // The heatmap's kept fit is checked against the exclusions: it is fitted again without the case.
      expect(await seen()).toEqual({
        effusionCells: 3,
        effusionMixed: 0,
        dawidSkeneVotes: [3, 3],
        box: { n: 1, meanDice: 0.5, meanIou: expect.closeTo(1 / 3, 12), medianDice: 0.5 },
        totalCases: 3,
        keys: ["case-a", "case-c", "case-d"],
        disagreements: before.disagreements.filter((d) => d !== `case-b/${l1}`),
        adjudicated: false,
      });
      // Adjudicating (or clearing) an excluded case is refused; its own adjudications stay readable.
      for (const [q, v] of [[ADJUDICATE, { caseId, labelId: l1, value: true }], [CLEAR, { caseId, labelId: l2 }]] as const) {
        const refused = await reviewer().gql(q, v);
        expect(errorCode(refused)).toBe("CONFLICT");
        expect(refused.errors![0]!.message).toMatch(/excluded from the project/);
      }
      expect((await reviewer().ok<{ caseAdjudications: any[] }>(CASE_ADJ, { caseId })).caseAdjudications).toEqual([{ labelId: l2, value: true, note: "a nodule after all", version: 1 }]);
    } finally {
      await sql(`DELETE FROM case_exclusions WHERE case_id = $1`, [caseId]);
    }
    // Included again: everything as before, the kept fit refitted once more.
    expect(await seen()).toEqual(before);
    expect((await reviewer().ok<{ clearAdjudication: boolean }>(CLEAR, { caseId, labelId: l2 })).clearAdjudication).toBe(true);
  });
});
