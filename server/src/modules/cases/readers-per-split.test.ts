import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLabel, buildReadingProject, buildTeam, errorCode, type Team } from "../../testing/fixtures.js";
import { buildUser, startTestServer, type Caller, type GqlResult } from "../../testing/harness.js";
import { CASE_SPLITS, type CaseSplit } from "./splits.js";

// Readers per case by dataset split: a project that wants its TEST cases (the reference standard a
// model is measured on) read by more readers than its TRAIN cases. Each case needs its split's
// number in the queue, the case list and its progress filter, the progress counts, the split
// counts and distribution.

const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { readersPerCase readersPerSplit { validation test } } }`;
const PROJECT = `query($id: ID!) { project(id: $id) { readersPerCase readersPerSplit { validation test } } }`;
const CASES = `query($projectId: ID!, $filter: CaseFilter) { cases(projectId: $projectId, first: 200, filter: $filter) { totalCount edges { node { id split readersNeeded readersDone } } } }`;
const COUNTS = `query($projectId: ID!) { datasetSplitCounts(projectId: $projectId) { split cases readersPerCase complete } }`;
const PROGRESS = `query($projectId: ID!) { readerProgress(projectId: $projectId) { totalCases completeCases blockedCases underAssignedCases readersPerCase } }`;
const NEXT = `mutation($projectId: ID!) { nextCase(projectId: $projectId) { case { id } } }`;
const SUBMIT = `mutation($caseId: ID!, $input: AnnotationInput!) { submitAnnotation(caseId: $caseId, input: $input) { id } }`;
const DISTRIBUTE = `mutation($projectId: ID!, $readerIds: [ID!]!, $readersPerCase: Int) { distributeCases(projectId: $projectId, readerIds: $readerIds, readersPerCase: $readersPerCase) { assigned cases shortCases } }`;

const LABEL_COUNTS = `query($projectId: ID!) { splitLabelCounts(projectId: $projectId) { label split cases positive negative } }`;
const ADJUDICATE = `mutation($caseId: ID!, $labelId: ID!, $value: Boolean!) { adjudicate(caseId: $caseId, labelId: $labelId, value: $value) { value } }`;
const EXCLUDE = `mutation($caseId: ID!) { excludeCase(caseId: $caseId, reason: DUPLICATE) { id } }`;

type Node = { id: string; split: CaseSplit; readersNeeded: number; readersDone: number };
const NEEDED: Record<CaseSplit, number> = { TRAIN: 1, VALIDATION: 2, TEST: 3 };

describe("readers per case by dataset split", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let readers: Array<Awaited<ReturnType<typeof buildUser>>>;
  const owner = () => team.OWNER.caller;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.platform.db.dataSource.query(text, params);
  const fields = (r: GqlResult) => ((r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string; message: string }>).map((p) => `${p.field}: ${p.message}`);

  beforeAll(async () => {
    server = await startTestServer();
    team = await buildTeam(server);
    readers = await Promise.all(["r1", "r2", "r3"].map((t) => buildUser(server, t)));
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  it("hands TEST cases to three readers, VALIDATION to two and TRAIN to one; the list, its filter, the counts and distribution agree; bad numbers are refused", async () => {
    const keys = Array.from({ length: 24 }, (_, i) => `k${String(i).padStart(2, "0")}`);
    const { projectId, label } = await buildReadingProject(server, team, readers, keys, {
      readersPerCase: 1,
      readersPerSplit: { validation: 2, test: 3 },
      datasetSplit: { trainPercent: 40, validationPercent: 30, groupBy: "CASE" },
    });
    expect((await owner().ok<{ project: unknown }>(PROJECT, { id: projectId })).project).toEqual({ readersPerCase: 1, readersPerSplit: { validation: 2, test: 3 } });
    const list = async (filter: Record<string, unknown> = {}) => (await owner().ok<{ cases: { totalCount: number; edges: Array<{ node: Node }> } }>(CASES, { projectId, filter })).cases.edges.map((e) => e.node);
    const progress = async () => (await owner().ok<{ readerProgress: Record<string, number> }>(PROGRESS, { projectId })).readerProgress;
    const counts = async () => (await owner().ok<{ datasetSplitCounts: Array<{ split: CaseSplit; cases: number; readersPerCase: number; complete: number }> }>(COUNTS, { projectId })).datasetSplitCounts;

    const cases = await list();
    expect(cases).toHaveLength(24);
    const idsIn = (...splits: CaseSplit[]) => cases.filter((c) => splits.includes(c.split)).map((c) => c.id).sort();
    // 24 cases over 40/30/30 by case: every split has some (all but certain).
    for (const split of CASE_SPLITS) expect(idsIn(split).length).toBeGreaterThan(0);
    for (const c of cases) expect(c.readersNeeded).toBe(NEEDED[c.split]);
    expect((await counts()).map((r) => [r.split, r.readersPerCase, r.complete])).toEqual([["TRAIN", 1, 0], ["VALIDATION", 2, 0], ["TEST", 3, 0]]);
    expect(await progress()).toMatchObject({ totalCases: 24, completeCases: 0, blockedCases: 0, underAssignedCases: 24, readersPerCase: 1 });

    // Too many readers wanted for TEST for the members who may annotate: exactly the TEST cases can no longer be completed.
    await owner().ok(SETTINGS, { id: projectId, input: { readersPerSplit: { validation: 2, test: 20 } } });
    expect((await progress()).blockedCases).toBe(idsIn("TEST").length);
    expect((await list({ progress: "BLOCKED" })).map((c) => c.id).sort()).toEqual(idsIn("TEST"));
    await owner().ok(SETTINGS, { id: projectId, input: { readersPerSplit: { validation: 2, test: 3 } } });

    // Distribution tops each case up to its own number by default.
    const ids = readers.map((r) => r.id);
    const spread = (await owner().ok<{ distributeCases: { assigned: number; shortCases: number } }>(DISTRIBUTE, { projectId, readerIds: ids, readersPerCase: null })).distributeCases;
    expect(spread).toMatchObject({ assigned: cases.reduce((n, c) => n + c.readersNeeded, 0), shortCases: 0 });
    const perCase = new Map((await sql<{ case_id: string; n: number }>(`SELECT case_id, count(*)::int AS n FROM case_assignments WHERE project_id = $1 GROUP BY case_id`, [projectId])).map((r) => [r.case_id, r.n]));
    for (const c of cases) expect(perCase.get(c.id)).toBe(c.readersNeeded);
    expect((await progress()).underAssignedCases).toBe(0);
    // Reading below goes by the queue's open slots, not by these assignments.
    await sql(`DELETE FROM case_assignments WHERE project_id = $1`, [projectId]);

    /** The cases the reader's queue hands out, each submitted, until it has none. */
    const readAll = async (reader: Caller) => {
      const got: string[] = [];
      for (;;) {
        const next = (await reader.ok<{ nextCase: { case: { id: string } } | null }>(NEXT, { projectId })).nextCase;
        if (!next) return got.sort();
        got.push(next.case.id);
        await reader.ok(SUBMIT, { caseId: next.case.id, input: { labels: [{ labelId: label, value: true, confidence: 60 }], rois: [] } });
      }
    };
    const completeIds = async () => (await list({ progress: "COMPLETE" })).map((c) => c.id).sort();

    expect(await readAll(readers[0]!.caller)).toEqual(cases.map((c) => c.id).sort());
    expect(await completeIds()).toEqual(idsIn("TRAIN"));
    expect((await list({ progress: "PARTLY_READ" })).map((c) => c.id).sort()).toEqual(idsIn("VALIDATION", "TEST"));
    expect((await progress()).completeCases).toBe(idsIn("TRAIN").length);

    expect(await readAll(readers[1]!.caller)).toEqual(idsIn("VALIDATION", "TEST"));
    expect(await completeIds()).toEqual(idsIn("TRAIN", "VALIDATION"));

    expect(await readAll(readers[2]!.caller)).toEqual(idsIn("TEST"));
    expect(await completeIds()).toEqual(cases.map((c) => c.id).sort());
    expect(await readAll(team.ANNOTATOR.caller)).toEqual([]);
    expect((await counts()).map((r) => [r.split, r.complete])).toEqual(CASE_SPLITS.map((s) => [s, idsIn(s).length]));
    for (const c of await list()) expect(c.readersDone).toBe(NEEDED[c.split]);

    // Each number 1 to 100 or none; a refused change changes nothing.
    for (const bad of [{ test: 0 }, { validation: 101 }]) {
      const refused = await owner().gql(SETTINGS, { id: projectId, input: { readersPerSplit: bad } });
      expect(errorCode(refused)).toBe("BAD_USER_INPUT");
      expect(fields(refused)[0]).toMatch(/^readersPerSplit: (test|validation) must be a whole number from 1 to 100/);
    }
    expect((await owner().ok<{ project: unknown }>(PROJECT, { id: projectId })).project).toEqual({ readersPerCase: 1, readersPerSplit: { validation: 2, test: 3 } });
    // None: every split's cases need readersPerCase again; a reader may not change it.
    expect((await owner().ok<{ updateProjectSettings: unknown }>(SETTINGS, { id: projectId, input: { readersPerSplit: {} } })).updateProjectSettings).toEqual({ readersPerCase: 1, readersPerSplit: { validation: null, test: null } });
    expect((await list()).every((c) => c.readersNeeded === 1)).toBe(true);
    expect(errorCode(await readers[0]!.caller.gql(SETTINGS, { id: projectId, input: { readersPerSplit: { test: 5 } } }))).toBe("NOT_FOUND");
  });

  it("counts each label's consensus (adjudication, else the readers' majority) in each split's cases, excluded ones left out; only for those who follow statistics", async () => {
    const keys = Array.from({ length: 15 }, (_, i) => `c${String(i).padStart(2, "0")}`);
    const { projectId, label: effusion, cases: ids } = await buildReadingProject(server, team, readers.slice(0, 2), keys, {
      readersPerCase: 2,
      datasetSplit: { trainPercent: 40, validationPercent: 30, groupBy: "CASE" },
    });
    const nodule = await buildLabel(owner(), projectId, { name: "Nodule" });
    const list = (await owner().ok<{ cases: { edges: Array<{ node: Node }> } }>(CASES, { projectId })).cases.edges.map((e) => e.node);
    const splitOf = new Map(list.map((c) => [c.id, c.split]));
    // Effusion: both readers say yes on every third case, both no on the next, and they disagree on the third (a tie).
    // Nodule: both say no everywhere. A reviewer settles the first tie as yes; the last case is excluded.
    const answer = (i: number, reader: number) => (i % 3 === 0 ? true : i % 3 === 1 ? false : reader === 0);
    for (const [i, key] of keys.entries()) {
      for (const [r, reader] of readers.slice(0, 2).entries()) {
        await reader.caller.ok(SUBMIT, { caseId: ids[key], input: { labels: [{ labelId: effusion, value: answer(i, r), confidence: 80 }, { labelId: nodule, value: false, confidence: 80 }], rois: [] } });
      }
    }
    await owner().ok(ADJUDICATE, { caseId: ids[keys[2]!], labelId: effusion, value: true });
    await owner().ok(EXCLUDE, { caseId: ids[keys[14]!] });

    const expected = (label: string) =>
      CASE_SPLITS.map((split) => {
        const inSplit = keys.slice(0, 14).filter((k) => splitOf.get(ids[k]!) === split).map((k) => keys.indexOf(k));
        const effusionYes = (i: number) => i % 3 === 0 || i === 2;
        const effusionNo = (i: number) => i % 3 === 1;
        return {
          label,
          split,
          cases: inSplit.length,
          positive: label === "Effusion" ? inSplit.filter(effusionYes).length : 0,
          negative: label === "Effusion" ? inSplit.filter(effusionNo).length : inSplit.length,
        };
      });
    const counts = (await owner().ok<{ splitLabelCounts: unknown[] }>(LABEL_COUNTS, { projectId })).splitLabelCounts;
    expect(counts).toEqual([...expected("Effusion"), ...expected("Nodule")]);
    // Of the four ties (cases 2, 5, 8, 11), the adjudicated one counts as yes; the three others are neither yes nor no.
    const effusionRows = counts.slice(0, 3) as Array<{ cases: number; positive: number; negative: number }>;
    expect(effusionRows.reduce((n, r) => n + r.cases - r.positive - r.negative, 0)).toBe(3);
    // Readers' answers: a reader of the project may not see them.
    expect(errorCode(await readers[0]!.caller.gql(LABEL_COUNTS, { projectId }))).toBe("NOT_FOUND");
  });
});
