import { Client as PgClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CREATE_LABEL,
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
} from "../../testing/fixtures.js";
import { Caller, PASSWORD, buildProject, buildUser, startTestServer, type GqlResult } from "../../testing/harness.js";
import { projectChannel, userChannel } from "./projects.service.js";

const PROJECT = `id name description mode blindReading readersPerCase archived myRole`;
const CREATE_PROJECT = `mutation($input: CreateProjectInput!) { createProject(input: $input) { ${PROJECT} } }`;
const GET_PROJECT = `query($id: ID!, $all: Boolean! = false) {
  project(id: $id) { ${PROJECT} labels(includeArchived: $all) { id name color kind roiShape position archived } }
}`;
const RENAME = `mutation($id: ID!, $name: String!) { renameProject(id: $id, name: $name) { ${PROJECT} } }`;
const SETTINGS = `mutation($id: ID!, $input: ProjectSettingsInput!) { updateProjectSettings(id: $id, input: $input) { ${PROJECT} } }`;
const ARCHIVE = `mutation($id: ID!) { archiveProject(id: $id) { ${PROJECT} } }`;
const UNARCHIVE = `mutation($id: ID!) { unarchiveProject(id: $id) { ${PROJECT} } }`;
const MY_PROJECTS = `query($all: Boolean! = false) { myProjects(includeArchived: $all) { id archived } }`;
const LABEL = `id name color kind roiShape position archived projectId`;
const UPDATE_LABEL = `mutation($id: ID!, $input: UpdateLabelInput!) { updateLabel(id: $id, input: $input) { ${LABEL} } }`;
const ARCHIVE_LABEL = `mutation($id: ID!) { archiveLabel(id: $id) { ${LABEL} } }`;
const RESTORE_LABEL = `mutation($id: ID!) { restoreLabel(id: $id) { ${LABEL} } }`;
const REORDER = `mutation($projectId: ID!, $labelIds: [ID!]!) { reorderLabels(projectId: $projectId, labelIds: $labelIds) { ${LABEL} } }`;
const GROUP = `id projectId name labelIds ordinal required`;
const CREATE_GROUP = `mutation($projectId: ID!, $input: LabelGroupInput!) { createLabelGroup(projectId: $projectId, input: $input) { ${GROUP} } }`;
const UPDATE_GROUP = `mutation($id: ID!, $input: LabelGroupInput!) { updateLabelGroup(id: $id, input: $input) { ${GROUP} } }`;
const DELETE_GROUP = `mutation($id: ID!) { deleteLabelGroup(id: $id) }`;
const COPY = `mutation($projectId: ID!, $source: ID!) { copyLabels(projectId: $projectId, sourceProjectId: $source) { labels { ${LABEL} description roiShape } groups { ${GROUP} } skipped } }`;
const GROUPS = `query($id: ID!) { project(id: $id) { labelGroups { ${GROUP} } labels(includeArchived: true) { id name position groupId archived } } }`;
const MEMBERS = `query($projectId: ID!) { projectMembers(projectId: $projectId) { role user { id email } } }`;
const REVOKE = `mutation($projectId: ID!, $userId: ID!) { revokeRole(projectId: $projectId, userId: $userId) }`;
const EVENTS = `subscription($projectId: ID!) { projectEvents(projectId: $projectId) { kind projectId at } }`;

interface Label {
  id: string;
  name: string;
  color: string;
  kind: string;
  roiShape: string | null;
  position: number;
  archived: boolean;
}
interface Project {
  id: string;
  name: string;
  description: string;
  mode: string;
  blindReading: boolean;
  readersPerCase: number;
  archived: boolean;
  myRole: string;
  labels: Label[];
}

/** The fields named by a BAD_USER_INPUT or CONFLICT error (the last segment, so "input.name" reads "name"). */
function fieldsOf(r: GqlResult): string[] {
  const fields = (r.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string; message: string }>;
  return fields.map((f) => f.field.split(".").pop()!);
}

describe("projects", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let team: Team;
  let stranger: Account;
  let subscriptions: ReturnType<typeof trackSubscriptions>;
  const owner = () => team.OWNER.caller;
  const query = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> =>
    server.platform.db.dataSource.query(sql, params);
  const getProject = async (c: Caller, id: string, all = false) => (await c.ok<{ project: Project }>(GET_PROJECT, { id, all })).project;

  beforeAll(async () => {
    server = await startTestServer();
    subscriptions = trackSubscriptions(server.platform.bus);
    [team, stranger] = await Promise.all([buildTeam(server), buildUser(server, "stranger")]);
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  describe("project settings", () => {
    it("creates a project with defaults and makes the creator its owner", async () => {
      const { createProject: p } = await owner().ok<{ createProject: Project }>(CREATE_PROJECT, { input: { name: "  Chest X-ray  " } });
      expect(p).toMatchObject({ name: "Chest X-ray", description: "", mode: "STANDARD", blindReading: true, readersPerCase: 3, archived: false, myRole: "OWNER" });
      const rows = await query(`SELECT user_id, role FROM memberships WHERE project_id = $1`, [p.id]);
      expect(rows).toEqual([{ user_id: team.OWNER.id, role: "OWNER" }]);
      const { createProject: q } = await owner().ok<{ createProject: Project }>(CREATE_PROJECT, {
        input: { name: "Review", description: "second reads", mode: "REVIEW", blindReading: false, readersPerCase: 100 },
      });
      expect(q).toMatchObject({ description: "second reads", mode: "REVIEW", blindReading: false, readersPerCase: 100 });
    });

    it("renames and changes only the settings given", async () => {
      const id = await buildProject(owner(), { description: "kept", readersPerCase: 4 });
      expect((await owner().ok<{ renameProject: Project }>(RENAME, { id, name: " Mammography " })).renameProject.name).toBe("Mammography");
      const { updateProjectSettings: p } = await owner().ok<{ updateProjectSettings: Project }>(SETTINGS, { id, input: { blindReading: false } });
      expect(p).toMatchObject({ name: "Mammography", description: "kept", readersPerCase: 4, blindReading: false, mode: "STANDARD" });
      const { updateProjectSettings: q } = await owner().ok<{ updateProjectSettings: Project }>(SETTINGS, {
        id,
        input: { readersPerCase: 1, mode: "EDUCATION", description: "" },
      });
      expect(q).toMatchObject({ description: "", readersPerCase: 1, mode: "EDUCATION", blindReading: false });
      // Nothing given, nothing changes.
      const { updateProjectSettings: r } = await owner().ok<{ updateProjectSettings: Project }>(SETTINGS, { id, input: {} });
      expect(r).toMatchObject({ description: "", readersPerCase: 1, mode: "EDUCATION", blindReading: false });
    });

    it("refuses an empty name and readersPerCase outside 1..100 with field-level errors, changing nothing", async () => {
      for (const name of ["", "   "]) {
        const r = await owner().gql(CREATE_PROJECT, { input: { name } });
        expect(errorCode(r), JSON.stringify(r.errors)).toBe("BAD_USER_INPUT");
        expect(fieldsOf(r)).toContain("name");
      }
      for (const readersPerCase of [0, 101]) {
        const r = await owner().gql(CREATE_PROJECT, { input: { name: "Bad readers", readersPerCase } });
        expect(errorCode(r)).toBe("BAD_USER_INPUT");
        expect(fieldsOf(r)).toEqual(["readersPerCase"]);
      }
      expect(await query(`SELECT id FROM projects WHERE name = 'Bad readers' OR btrim(name) = ''`)).toEqual([]);

      const id = await buildProject(owner(), { name: "Stable", readersPerCase: 2 });
      for (const name of ["", "  "]) {
        const r = await owner().gql(RENAME, { id, name });
        expect(errorCode(r)).toBe("BAD_USER_INPUT");
        expect(fieldsOf(r)).toEqual(["name"]);
      }
      const long = await owner().gql(RENAME, { id, name: "x".repeat(201) });
      expect(fieldsOf(long)).toEqual(["name"]);
      for (const readersPerCase of [0, 101, -3]) {
        const r = await owner().gql(SETTINGS, { id, input: { readersPerCase, mode: "REVIEW" } });
        expect(errorCode(r)).toBe("BAD_USER_INPUT");
        expect(fieldsOf(r)).toEqual(["readersPerCase"]);
      }
      expect(await getProject(owner(), id)).toMatchObject({ name: "Stable", readersPerCase: 2, mode: "STANDARD" });
    });

    it("archiving makes every write fail with PROJECT_ARCHIVED, keeps reads, and unarchiving restores writes", async () => {
      const id = await buildTeamProject(team);
      const labelId = await buildLabel(owner(), id, { name: "Effusion" });
      const archivedLabel = await buildLabel(owner(), id, { name: "Old" });
      await owner().ok(ARCHIVE_LABEL, { id: archivedLabel });

      const { archiveProject: p } = await owner().ok<{ archiveProject: Project }>(ARCHIVE, { id });
      expect(p.archived).toBe(true);
      const writes: Array<[string, string, Record<string, unknown>]> = [
        ["renameProject", RENAME, { id, name: "No" }],
        ["updateProjectSettings", SETTINGS, { id, input: { readersPerCase: 2 } }],
        ["createLabel", CREATE_LABEL, { projectId: id, input: { kind: "CLASSIFICATION", name: "New" } }],
        ["updateLabel", UPDATE_LABEL, { id: labelId, input: { name: "Pleural effusion" } }],
        ["archiveLabel", ARCHIVE_LABEL, { id: labelId }],
        ["restoreLabel", RESTORE_LABEL, { id: archivedLabel }],
        ["reorderLabels", REORDER, { projectId: id, labelIds: [labelId] }],
        ["grantRole", GRANT_ROLE, { projectId: id, input: { email: stranger.email, role: "VIEWER" } }],
        ["revokeRole", REVOKE, { projectId: id, userId: team.VIEWER.id }],
      ];
      for (const [name, doc, vars] of writes) {
        const r = await owner().gql(doc, vars);
        expect(errorCode(r), `${name}: ${JSON.stringify(r.errors)}`).toBe("PROJECT_ARCHIVED");
      }
      // Someone who may not make the change learns nothing more than before: still not found.
      expect(errorCode(await team.VIEWER.caller.gql(RENAME, { id, name: "No" }))).toBe("NOT_FOUND");
      expect(errorCode(await stranger.caller.gql(RENAME, { id, name: "No" }))).toBe("NOT_FOUND");
      expect(errorCode(await team.MANAGER.caller.gql(UNARCHIVE, { id }))).toBe("NOT_FOUND");

      // Reads still work; archived projects are listed only when asked for.
      expect((await getProject(team.VIEWER.caller, id)).archived).toBe(true);
      expect((await owner().ok<{ myProjects: Array<{ id: string }> }>(MY_PROJECTS)).myProjects.map((x) => x.id)).not.toContain(id);
      expect((await owner().ok<{ myProjects: Array<{ id: string }> }>(MY_PROJECTS, { all: true })).myProjects.map((x) => x.id)).toContain(id);
      const [row] = await query<{ name: string; n: number; members: number }>(
        `SELECT p.name, (SELECT count(*)::int FROM label_definitions WHERE project_id = p.id) AS n,
                (SELECT count(*)::int FROM memberships WHERE project_id = p.id) AS members
           FROM projects p WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({ name: p.name, n: 2, members: 7 });

      expect((await owner().ok<{ unarchiveProject: Project }>(UNARCHIVE, { id })).unarchiveProject.archived).toBe(false);
      expect((await owner().ok<{ renameProject: Project }>(RENAME, { id, name: "Writable again" })).renameProject.name).toBe("Writable again");
      await owner().ok(UPDATE_LABEL, { id: labelId, input: { name: "Pleural effusion" } });
      expect((await owner().ok<{ myProjects: Array<{ id: string }> }>(MY_PROJECTS)).myProjects.map((x) => x.id)).toContain(id);
    });
  });

  describe("labels", () => {
    it("creates classification labels and ROI classes in order, with distinct default colours", async () => {
      const id = await buildProject(owner());
      const created: Label[] = [];
      for (const input of [
        { kind: "CLASSIFICATION", name: "Cardiomegaly" },
        { kind: "ROI", roiShape: "RECTANGLE", name: "Nodule" },
        { kind: "ROI", roiShape: "FREEHAND", name: "Effusion", color: "#AABBCC", description: "fluid" },
      ]) {
        created.push((await owner().ok<{ createLabel: Label }>(CREATE_LABEL, { projectId: id, input })).createLabel);
      }
      expect(created.map((l) => [l.kind, l.roiShape, l.position])).toEqual([
        ["CLASSIFICATION", null, 0],
        ["ROI", "RECTANGLE", 1],
        ["ROI", "FREEHAND", 2],
      ]);
      expect(created[2]!.color).toBe("#aabbcc");
      expect(new Set(created.map((l) => l.color)).size).toBe(3);
      for (const l of created) expect(l.color).toMatch(/^#[0-9a-f]{6}$/);
      expect((await getProject(team.OWNER.caller, id)).labels.map((l) => l.name)).toEqual(["Cardiomegaly", "Nodule", "Effusion"]);
    });

    it("needs a shape for an ROI class and none for a classification label, naming roiShape", async () => {
      const id = await buildProject(owner());
      const noShape = await owner().gql(CREATE_LABEL, { projectId: id, input: { kind: "ROI", name: "Mass" } });
      expect(errorCode(noShape)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(noShape)).toEqual(["roiShape"]);
      const extraShape = await owner().gql(CREATE_LABEL, { projectId: id, input: { kind: "CLASSIFICATION", roiShape: "RECTANGLE", name: "Mass" } });
      expect(fieldsOf(extraShape)).toEqual(["roiShape"]);
      const badColour = await owner().gql(CREATE_LABEL, { projectId: id, input: { kind: "CLASSIFICATION", name: "Mass", color: "red" } });
      expect(errorCode(badColour)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(badColour)).toEqual(["color"]);
      const empty = await owner().gql(CREATE_LABEL, { projectId: id, input: { kind: "CLASSIFICATION", name: "   " } });
      expect(fieldsOf(empty)).toEqual(["name"]);
      expect(await query(`SELECT id FROM label_definitions WHERE project_id = $1`, [id])).toEqual([]);
    });

    it("refuses a duplicate name, ignoring case and spaces, with CONFLICT on name and no row added", async () => {
      const id = await buildProject(owner());
      await buildLabel(owner(), id, { name: "Pneumothorax" });
      for (const name of ["pneumothorax", " PNEUMOTHORAX "]) {
        for (const input of [{ kind: "CLASSIFICATION", name }, { kind: "ROI", roiShape: "FREEHAND", name }]) {
          const r = await owner().gql(CREATE_LABEL, { projectId: id, input });
          expect(errorCode(r)).toBe("CONFLICT");
          expect(fieldsOf(r)).toEqual(["name"]);
        }
      }
      expect(await query(`SELECT name FROM label_definitions WHERE project_id = $1`, [id])).toEqual([{ name: "Pneumothorax" }]);
      // The same name in another project is fine.
      await buildLabel(owner(), await buildProject(owner()), { name: "Pneumothorax" });
    });

    it("renames and recolours a label keeping its id, kind and shape; a taken name is a CONFLICT", async () => {
      const id = await buildProject(owner());
      const a = await buildLabel(owner(), id, { kind: "ROI", roiShape: "RECTANGLE", name: "Nodule" });
      await buildLabel(owner(), id, { name: "Mass" });
      const { updateLabel: l } = await owner().ok<{ updateLabel: Label }>(UPDATE_LABEL, { id: a, input: { name: "Pulmonary nodule", color: "#0A0B0C" } });
      expect(l).toMatchObject({ id: a, name: "Pulmonary nodule", color: "#0a0b0c", kind: "ROI", roiShape: "RECTANGLE", position: 0 });
      // Changing only the case of its own name is not a clash with itself.
      expect((await owner().ok<{ updateLabel: Label }>(UPDATE_LABEL, { id: a, input: { name: "PULMONARY NODULE" } })).updateLabel.name).toBe("PULMONARY NODULE");
      const taken = await owner().gql(UPDATE_LABEL, { id: a, input: { name: "mass" } });
      expect(errorCode(taken)).toBe("CONFLICT");
      expect(fieldsOf(taken)).toEqual(["name"]);
      const bad = await owner().gql(UPDATE_LABEL, { id: a, input: { color: "#12345" } });
      expect(errorCode(bad)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(bad)).toEqual(["color"]);
      const rows = await query(`SELECT id, name, color FROM label_definitions WHERE project_id = $1 ORDER BY position`, [id]);
      expect(rows[0]).toEqual({ id: a, name: "PULMONARY NODULE", color: "#0a0b0c" });
      expect(rows).toHaveLength(2);
    });

    it("reorders only with exactly the active labels, each once", async () => {
      const id = await buildProject(owner());
      const [a, b, c] = [await buildLabel(owner(), id), await buildLabel(owner(), id), await buildLabel(owner(), id)];
      const foreign = await buildLabel(owner(), await buildProject(owner()));
      for (const labelIds of [[a, b], [a, b, c, c], [a, b, b], [a, b, c, foreign], [a, b, foreign], [], [a, b, "not-a-uuid"]]) {
        const r = await owner().gql(REORDER, { projectId: id, labelIds });
        expect(errorCode(r), JSON.stringify(labelIds)).toBe("BAD_USER_INPUT");
        expect(fieldsOf(r)).toEqual(["labelIds"]);
      }
      expect((await getProject(owner(), id)).labels.map((l) => l.id)).toEqual([a, b, c]);
      const { reorderLabels } = await owner().ok<{ reorderLabels: Label[] }>(REORDER, { projectId: id, labelIds: [c, a, b] });
      expect(reorderLabels.map((l) => [l.id, l.position])).toEqual([
        [c, 0],
        [a, 1],
        [b, 2],
      ]);
      expect((await getProject(team.OWNER.caller, id)).labels.map((l) => l.id)).toEqual([c, a, b]);

      // An archived label is not part of the active set.
      await owner().ok(ARCHIVE_LABEL, { id: a });
      expect(errorCode(await owner().gql(REORDER, { projectId: id, labelIds: [c, a, b] }))).toBe("BAD_USER_INPUT");
      await owner().ok(REORDER, { projectId: id, labelIds: [b, c] });
      expect((await getProject(owner(), id)).labels.map((l) => l.id)).toEqual([b, c]);
    });

    it("archiving hides a label from `labels` but not from `labels(includeArchived: true)`; restoring brings it back", async () => {
      const id = await buildProject(owner());
      const a = await buildLabel(owner(), id, { name: "Fracture" });
      const b = await buildLabel(owner(), id, { name: "Edema" });
      const { archiveLabel } = await owner().ok<{ archiveLabel: Label }>(ARCHIVE_LABEL, { id: a });
      expect(archiveLabel).toMatchObject({ id: a, name: "Fracture", archived: true });

      expect((await getProject(owner(), id)).labels.map((l) => l.id)).toEqual([b]);
      const all = (await getProject(owner(), id, true)).labels;
      expect(all.find((l) => l.id === a)).toMatchObject({ id: a, name: "Fracture", archived: true });
      expect(all.map((l) => l.id).sort()).toEqual([a, b].sort());

      const { restoreLabel } = await owner().ok<{ restoreLabel: Label }>(RESTORE_LABEL, { id: a });
      expect(restoreLabel).toMatchObject({ id: a, name: "Fracture", archived: false });
      // A restored label goes to the end of the order.
      expect((await getProject(owner(), id)).labels.map((l) => l.id)).toEqual([b, a]);

      // While archived its name is free; taking it means the old one cannot come back under the same name.
      await owner().ok(ARCHIVE_LABEL, { id: a });
      const c = await buildLabel(owner(), id, { name: "FRACTURE" });
      const clash = await owner().gql(RESTORE_LABEL, { id: a });
      expect(errorCode(clash)).toBe("CONFLICT");
      expect(fieldsOf(clash)).toEqual(["name"]);
      expect((await getProject(owner(), id)).labels.map((l) => l.id)).toEqual([b, c]);
    });

    it("answers NOT_FOUND for a label of a project the caller cannot see or may not edit", async () => {
      const hidden = await buildProject(stranger.caller);
      const label = await buildLabel(stranger.caller, hidden, { name: "Secret" });
      // A project where the would-be editor is only a viewer: seeing is not editing.
      const viewing = await buildProject(stranger.caller);
      await stranger.caller.ok(GRANT_ROLE, { projectId: viewing, input: { email: team.OWNER.email, role: "VIEWER" } });
      const viewOnly = await buildLabel(stranger.caller, viewing, { name: "Visible" });

      for (const id of [label, viewOnly, "00000000-0000-4000-8000-000000000000", "nonsense"]) {
        for (const [doc, vars] of [
          [UPDATE_LABEL, { id, input: { name: "Mine now" } }],
          [ARCHIVE_LABEL, { id }],
          [RESTORE_LABEL, { id }],
        ] as const) {
          const r = await owner().gql(doc, vars);
          expect(errorCode(r), `${id}: ${JSON.stringify(r.errors)}`).toBe("NOT_FOUND");
          expect(r.errors![0]!.message).toMatch(/^Label/);
        }
      }
      // Reordering one's own project with someone else's label is simply not the active set.
      const mine = await buildProject(owner());
      const own = await buildLabel(owner(), mine);
      expect(errorCode(await owner().gql(REORDER, { projectId: mine, labelIds: [own, label] }))).toBe("BAD_USER_INPUT");
      expect(errorCode(await owner().gql(REORDER, { projectId: hidden, labelIds: [label] }))).toBe("NOT_FOUND");
      expect(errorCode(await owner().gql(CREATE_LABEL, { projectId: hidden, input: { kind: "CLASSIFICATION", name: "X" } }))).toBe("NOT_FOUND");
      const [row] = await query(`SELECT name, archived_at FROM label_definitions WHERE id = $1`, [label]);
      expect(row).toEqual({ name: "Secret", archived_at: null });
    });
  });

  describe("label groups", () => {
    interface Group { id: string; projectId: string; name: string; labelIds: string[]; ordinal: boolean; required: boolean }
    type GroupLabel = { id: string; name: string; position: number; groupId: string | null; archived: boolean };
    const groupsOf = async (id: string) => (await owner().ok<{ project: { labelGroups: Group[]; labels: GroupLabel[] } }>(GROUPS, { id })).project;
    const labelsIn = async (projectId: string, names: string[]) => {
      const ids: Record<string, string> = {};
      for (const name of names) ids[name] = await buildLabel(owner(), projectId, { name });
      return ids;
    };

    it("groups labels in the order given, moving them next to each other where the first stood", async () => {
      const id = await buildProject(owner());
      const l = await labelsIn(id, ["Effusion", "BI-RADS 3", "Mass", "BI-RADS 1", "BI-RADS 2", "Calcification"]);
      await buildLabel(owner(), id, { kind: "ROI", roiShape: "RECTANGLE", name: "Lesion" });
      const order = [l["BI-RADS 1"]!, l["BI-RADS 2"]!, l["BI-RADS 3"]!];
      const { createLabelGroup: g } = await owner().ok<{ createLabelGroup: Group }>(CREATE_GROUP, { projectId: id, input: { name: " BI-RADS ", labelIds: order, ordinal: true, required: true } });
      expect(g).toMatchObject({ projectId: id, name: "BI-RADS", labelIds: order, ordinal: true, required: true });
      const { labelGroups, labels } = await groupsOf(id);
      expect(labelGroups).toEqual([g]);
      expect(labels.map((x) => x.name)).toEqual(["Effusion", "BI-RADS 1", "BI-RADS 2", "BI-RADS 3", "Mass", "Calcification", "Lesion"]);
      expect(labels.map((x) => x.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(labels.filter((x) => x.groupId === g.id).map((x) => x.id)).toEqual(order);
      // Defaults: neither ordinal nor required.
      const { createLabelGroup: side } = await owner().ok<{ createLabelGroup: Group }>(CREATE_GROUP, { projectId: id, input: { name: "Other", labelIds: [l.Calcification!, l.Mass!] } });
      expect([side.ordinal, side.required, side.labelIds]).toEqual([false, false, [l.Calcification!, l.Mass!]]);
      expect((await groupsOf(id)).labels.map((x) => x.name)).toEqual(["Effusion", "BI-RADS 1", "BI-RADS 2", "BI-RADS 3", "Calcification", "Mass", "Lesion"]);
    });

    it("refuses bad groups naming the field, and stores nothing", async () => {
      const id = await buildProject(owner());
      const l = await labelsIn(id, ["A", "B", "C", "Old"]);
      const roi = await buildLabel(owner(), id, { kind: "ROI", roiShape: "POINT", name: "Tip" });
      await owner().ok(ARCHIVE_LABEL, { id: l.Old });
      const other = await buildLabel(owner(), await buildProject(owner()), { name: "Elsewhere" });
      const cases: Array<[Record<string, unknown>, string, RegExp]> = [
        [{ name: "G", labelIds: [l.A] }, "labelIds", /2 to 20 labels/],
        [{ name: "G", labelIds: [l.A, l.A] }, "labelIds", /each label once/],
        [{ name: "  ", labelIds: [l.A, l.B] }, "name", /must not be empty/],
        [{ name: "G", labelIds: [l.A, roi] }, "labelIds[1]", /"Tip" is an ROI class/],
        [{ name: "G", labelIds: [l.A, l.Old] }, "labelIds[1]", /not an active label/],
        [{ name: "G", labelIds: [other, l.A] }, "labelIds[0]", /not an active label/],
        [{ name: "G", labelIds: ["nope", l.A] }, "labelIds[0]", /not an active label/],
      ];
      for (const [input, field, message] of cases) {
        const r = await owner().gql(CREATE_GROUP, { projectId: id, input });
        expect(errorCode(r), JSON.stringify(input)).toBe("BAD_USER_INPUT");
        const problems = (r.errors![0]!.extensions!.fields as Array<{ field: string; message: string }>);
        expect(problems.map((p) => p.field.replace(/^input\./, ""))).toEqual([field]);
        expect(problems[0]!.message).toMatch(message);
      }
      expect(await query(`SELECT id FROM label_groups WHERE project_id = $1`, [id])).toEqual([]);
      // A label is in one group at most; names are unique in the project, case aside.
      const { createLabelGroup: g } = await owner().ok<{ createLabelGroup: Group }>(CREATE_GROUP, { projectId: id, input: { name: "Side", labelIds: [l.A, l.B] } });
      const taken = await owner().gql(CREATE_GROUP, { projectId: id, input: { name: "Other", labelIds: [l.C, l.B] } });
      expect(errorCode(taken)).toBe("BAD_USER_INPUT");
      expect(taken.errors![0]!.extensions!.fields).toEqual([{ field: "labelIds[1]", message: `"B" is in the group "Side"; take it out of that one first` }]);
      const dupName = await owner().gql(CREATE_GROUP, { projectId: id, input: { name: "SIDE", labelIds: [l.C, l.Old] } });
      expect(errorCode(dupName)).toBe("CONFLICT");
      // A group keeps its own name.
      expect(errorCode(await owner().gql(UPDATE_GROUP, { id: g.id, input: { name: "Side", labelIds: [l.A, l.B] } }))).toBeUndefined();
      const other2 = await owner().ok<{ createLabelGroup: Group }>(CREATE_GROUP, { projectId: id, input: { name: "Other", labelIds: [l.C, await buildLabel(owner(), id, { name: "D" })] } });
      const rename = await owner().gql(UPDATE_GROUP, { id: other2.createLabelGroup.id, input: { name: " side ", labelIds: other2.createLabelGroup.labelIds } });
      expect(errorCode(rename)).toBe("CONFLICT");
      expect(rename.errors![0]!.message).toBe(`A label group named "side" already exists`);
    });

    it("updates a group's settings and labels, keeps archived ones, and deletes it leaving its labels", async () => {
      const id = await buildProject(owner());
      const l = await labelsIn(id, ["None", "Mild", "Moderate", "Severe"]);
      const { createLabelGroup: g } = await owner().ok<{ createLabelGroup: Group }>(CREATE_GROUP, { projectId: id, input: { name: "Grade", labelIds: [l.None, l.Mild, l.Moderate] } });
      await owner().ok(ARCHIVE_LABEL, { id: l.None });
      const { updateLabelGroup: u } = await owner().ok<{ updateLabelGroup: Group }>(UPDATE_GROUP, {
        id: g.id,
        input: { name: "Severity", labelIds: [l.Severe, l.Moderate], ordinal: true, required: true },
      });
      // Mild left; Severe joined before Moderate; the archived None stays with its answers.
      expect(u).toMatchObject({ name: "Severity", ordinal: true, required: true });
      expect(new Set(u.labelIds)).toEqual(new Set([l.None, l.Severe, l.Moderate]));
      const active = u.labelIds.filter((x) => x !== l.None);
      expect(active).toEqual([l.Severe, l.Moderate]);
      const { labels } = await groupsOf(id);
      expect(labels.find((x) => x.id === l.Mild)!.groupId).toBeNull();
      expect(labels.find((x) => x.id === l.None)!.groupId).toBe(g.id);
      expect(await owner().ok(DELETE_GROUP, { id: g.id })).toEqual({ deleteLabelGroup: true });
      const after = await groupsOf(id);
      expect(after.labelGroups).toEqual([]);
      expect(after.labels.map((x) => x.groupId)).toEqual([null, null, null, null]);
      expect(after.labels.length).toBe(4);
      expect(errorCode(await owner().gql(DELETE_GROUP, { id: g.id }))).toBe("NOT_FOUND");
    });

    it("copies another project's labels and groups after this project's own, leaving out names taken here and naming them", async () => {
      const from = await buildProject(owner());
      const l = await labelsIn(from, ["Normal", "Mild", "Severe", "Effusion", "Old"]);
      await buildLabel(owner(), from, { kind: "ROI", roiShape: "LINE", name: "Width", description: "heart", color: "#123456" });
      await owner().ok(ARCHIVE_LABEL, { id: l.Old });
      await owner().ok(CREATE_GROUP, { projectId: from, input: { name: "Grade", labelIds: [l.Normal, l.Mild, l.Severe], ordinal: true, required: true } });
      const to = await buildProject(owner());
      const own = await buildLabel(owner(), to, { name: "EFFUSION" });
      await owner().ok(CREATE_GROUP, { projectId: to, input: { name: "grade", labelIds: [own, await buildLabel(owner(), to, { name: "Other" })] } });
      type Copy = { labels: Array<Label & { description: string; projectId: string }>; groups: Group[]; skipped: string[] };
      const { copyLabels: c } = await owner().ok<{ copyLabels: Copy }>(COPY, { projectId: to, source: from });
      expect(c.labels.map((x) => [x.name, x.kind, x.roiShape, x.position, x.projectId])).toEqual([
        ["Normal", "CLASSIFICATION", null, 2, to],
        ["Mild", "CLASSIFICATION", null, 3, to],
        ["Severe", "CLASSIFICATION", null, 4, to],
        ["Width", "ROI", "LINE", 5, to],
      ]);
      expect(c.labels[3]).toMatchObject({ color: "#123456", description: "heart" });
      expect(c.groups).toEqual([]);
      expect(c.skipped).toEqual(['label "Effusion": this project has a label of that name', 'group "Grade": this project has a group of that name']);
      // Into a third project: the group comes along, its settings and order kept.
      const third = await buildProject(owner());
      const { copyLabels: d } = await owner().ok<{ copyLabels: Copy }>(COPY, { projectId: third, source: from });
      expect(d.skipped).toEqual([]);
      expect(d.groups).toHaveLength(1);
      expect(d.groups[0]).toMatchObject({ projectId: third, name: "Grade", ordinal: true, required: true, labelIds: d.labels.slice(0, 3).map((x) => x.id) });
      // Copying again: everything is here already.
      const again = (await owner().ok<{ copyLabels: Copy }>(COPY, { projectId: third, source: from })).copyLabels;
      expect([again.labels, again.groups, again.skipped.length]).toEqual([[], [], 6]);
      // A group whose label here is in another group already is not made.
      const fourth = await buildProject(owner());
      await owner().ok(CREATE_GROUP, { projectId: fourth, input: { name: "Taken", labelIds: [await buildLabel(owner(), fourth, { name: "mild" }), await buildLabel(owner(), fourth, { name: "Z" })] } });
      const partly = (await owner().ok<{ copyLabels: Copy }>(COPY, { projectId: fourth, source: from })).copyLabels;
      expect(partly.labels.map((x) => x.name)).toEqual(["Normal", "Severe", "Effusion", "Width"]);
      expect(partly.skipped).toEqual(['label "Mild": this project has a label of that name', 'group "Grade": its labels here are not all classification labels free to group']);
      // The source must be visible, and not the project itself.
      const hidden = await buildProject(stranger.caller);
      expect(errorCode(await owner().gql(COPY, { projectId: third, source: hidden }))).toBe("NOT_FOUND");
      expect(errorCode(await owner().gql(COPY, { projectId: third, source: third }))).toBe("BAD_USER_INPUT");
      expect(errorCode(await stranger.caller.gql(COPY, { projectId: third, source: hidden }))).toBe("NOT_FOUND");
    });

    it("is for label editors only (others get NOT_FOUND, as for labels), every member sees the groups, and archived projects refuse", async () => {
      const id = await buildTeamProject(team);
      const a = await buildLabel(owner(), id);
      const b = await buildLabel(owner(), id);
      const { createLabelGroup: g } = await owner().ok<{ createLabelGroup: Group }>(CREATE_GROUP, { projectId: id, input: { name: "Pair", labelIds: [a, b] } });
      for (const role of ["ANNOTATOR", "REVIEWER", "VIEWER"] as const) {
        expect(errorCode(await team[role].caller.gql(CREATE_GROUP, { projectId: id, input: { name: "X", labelIds: [a, b] } }))).toBe("NOT_FOUND");
        expect(errorCode(await team[role].caller.gql(UPDATE_GROUP, { id: g.id, input: { name: "X", labelIds: [a, b] } }))).toBe("NOT_FOUND");
        expect(errorCode(await team[role].caller.gql(DELETE_GROUP, { id: g.id }))).toBe("NOT_FOUND");
        // Every member sees the groups, as they see the labels.
        const seen = await team[role].caller.ok<{ project: { labelGroups: Group[] } }>(GROUPS, { id });
        expect(seen.project.labelGroups.map((x) => x.id)).toEqual([g.id]);
      }
      const r = await stranger.caller.gql(UPDATE_GROUP, { id: g.id, input: { name: "X", labelIds: [a, b] } });
      expect(errorCode(r)).toBe("NOT_FOUND");
      expect(r.errors![0]!.message).toMatch(/^Label group/);
      await owner().ok(ARCHIVE, { id });
      expect(errorCode(await owner().gql(DELETE_GROUP, { id: g.id }))).toBe("PROJECT_ARCHIVED");
      expect((await query(`SELECT name FROM label_groups WHERE id = $1`, [g.id]))).toEqual([{ name: "Pair" }]);
    });
  });

  describe("members", () => {
    it("lists members with their roles to managers", async () => {
      const id = await buildTeamProject(team);
      const { projectMembers } = await team.MANAGER.caller.ok<{ projectMembers: Array<{ role: string; user: { id: string } }> }>(MEMBERS, { projectId: id });
      expect(Object.fromEntries(projectMembers.map((m) => [m.role, m.user.id]))).toEqual(
        Object.fromEntries(Object.entries(team).map(([role, a]) => [role, a.id])),
      );
    });

    it("grants by e-mail (case and spaces ignored); an unknown e-mail is BAD_USER_INPUT on email and adds no row", async () => {
      const id = await buildProject(owner());
      const before = await query(`SELECT user_id FROM memberships WHERE project_id = $1`, [id]);
      const r = await owner().gql(GRANT_ROLE, { projectId: id, input: { email: "nobody-here@example.org", role: "VIEWER" } });
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
      expect(fieldsOf(r)).toEqual(["email"]);
      expect(await query(`SELECT user_id FROM memberships WHERE project_id = $1`, [id])).toEqual(before);

      const { grantRole } = await owner().ok<{ grantRole: { role: string; user: { id: string } } }>(GRANT_ROLE, {
        projectId: id,
        input: { email: `  ${team.ANNOTATOR.email.toUpperCase()} `, role: "ANNOTATOR" },
      });
      expect(grantRole).toEqual({ role: "ANNOTATOR", user: { id: team.ANNOTATOR.id } });
      expect((await getProject(team.ANNOTATOR.caller, id)).myRole).toBe("ANNOTATOR");
    });

    it("changes a role in place, and a revoked member loses the project", async () => {
      const id = await buildTeamProject(team);
      await team.MANAGER.caller.ok(GRANT_ROLE, { projectId: id, input: { email: team.VIEWER.email, role: "REVIEWER" } });
      expect(await query(`SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2`, [id, team.VIEWER.id])).toEqual([{ role: "REVIEWER" }]);
      expect((await getProject(team.VIEWER.caller, id)).myRole).toBe("REVIEWER");

      expect((await team.MANAGER.caller.ok<{ revokeRole: boolean }>(REVOKE, { projectId: id, userId: team.VIEWER.id })).revokeRole).toBe(true);
      expect(errorCode(await team.VIEWER.caller.gql(GET_PROJECT, { id }))).toBe("NOT_FOUND");
      expect((await team.VIEWER.caller.ok<{ myProjects: Array<{ id: string }> }>(MY_PROJECTS)).myProjects.map((p) => p.id)).not.toContain(id);
      // Revoking someone who is not (or no longer) a member, or a malformed id, is not found.
      for (const userId of [team.VIEWER.id, stranger.id, "nonsense"]) {
        expect(errorCode(await owner().gql(REVOKE, { projectId: id, userId }))).toBe("NOT_FOUND");
      }
    });

    it("keeps the last owner: it can be neither demoted nor removed, until there is another owner", async () => {
      const id = await buildTeamProject(team);
      const demote = await owner().gql(GRANT_ROLE, { projectId: id, input: { email: team.OWNER.email, role: "MANAGER" } });
      expect(errorCode(demote)).toBe("FORBIDDEN");
      expect(errorCode(await owner().gql(REVOKE, { projectId: id, userId: team.OWNER.id }))).toBe("FORBIDDEN");
      expect(await query(`SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2`, [id, team.OWNER.id])).toEqual([{ role: "OWNER" }]);

      // Granting OWNER to an owner again changes nothing and is allowed.
      await owner().ok(GRANT_ROLE, { projectId: id, input: { email: team.OWNER.email, role: "OWNER" } });

      await owner().ok(GRANT_ROLE, { projectId: id, input: { email: team.MANAGER.email, role: "OWNER" } });
      await owner().ok(GRANT_ROLE, { projectId: id, input: { email: team.OWNER.email, role: "MANAGER" } });
      expect((await getProject(owner(), id)).myRole).toBe("MANAGER");
      // Now MANAGER's account is the only owner, and cannot leave.
      expect(errorCode(await team.MANAGER.caller.gql(REVOKE, { projectId: id, userId: team.MANAGER.id }))).toBe("FORBIDDEN");
      expect(await query(`SELECT count(*)::int AS n FROM memberships WHERE project_id = $1 AND role = 'OWNER'`, [id])).toEqual([{ n: 1 }]);
    });

    it("lets only an owner make, change or remove an owner; managers handle everyone else", async () => {
      const id = await buildTeamProject(team);
      const manager = team.MANAGER.caller;
      expect(errorCode(await manager.gql(GRANT_ROLE, { projectId: id, input: { email: team.VIEWER.email, role: "OWNER" } }))).toBe("FORBIDDEN");
      expect(errorCode(await manager.gql(GRANT_ROLE, { projectId: id, input: { email: stranger.email, role: "OWNER" } }))).toBe("FORBIDDEN");
      await owner().ok(GRANT_ROLE, { projectId: id, input: { email: stranger.email, role: "OWNER" } });
      expect(errorCode(await manager.gql(GRANT_ROLE, { projectId: id, input: { email: stranger.email, role: "VIEWER" } }))).toBe("FORBIDDEN");
      expect(errorCode(await manager.gql(REVOKE, { projectId: id, userId: stranger.id }))).toBe("FORBIDDEN");
      expect(
        await query(`SELECT user_id FROM memberships WHERE project_id = $1 AND role = 'OWNER' ORDER BY user_id`, [id]),
      ).toEqual([team.OWNER.id, stranger.id].sort().map((user_id) => ({ user_id })));

      // Managers may make managers and remove non-owners, themselves included.
      await manager.ok(GRANT_ROLE, { projectId: id, input: { email: team.VIEWER.email, role: "MANAGER" } });
      await team.VIEWER.caller.ok(REVOKE, { projectId: id, userId: team.TRAINEE.id });
      await manager.ok(REVOKE, { projectId: id, userId: team.MANAGER.id });
      expect(errorCode(await manager.gql(GET_PROJECT, { id }))).toBe("NOT_FOUND");
      // An owner may remove another owner.
      await owner().ok(REVOKE, { projectId: id, userId: stranger.id });
      expect(errorCode(await stranger.caller.gql(GET_PROJECT, { id }))).toBe("NOT_FOUND");
    });

    // grantRole/revokeRole read the actor's role again under the project lock: an owner demoted by a
    // concurrent request must not act as an owner once the lock is free.
    it("checks the actor's role under the project lock, so an owner demoted meanwhile cannot make owners", async () => {
      const id = await buildTeamProject(team);
      await owner().ok(GRANT_ROLE, { projectId: id, input: { email: team.MANAGER.email, role: "OWNER" } });
      const pg = new PgClient({ connectionString: server.platform.config.databaseUrl });
      await pg.connect();
      try {
        // Stand in for a request by the first owner that holds the lock while it demotes the second.
        await pg.query("BEGIN");
        await pg.query("SELECT id FROM projects WHERE id = $1 FOR UPDATE", [id]);
        const pending = team.MANAGER.caller.gql(GRANT_ROLE, { projectId: id, input: { email: stranger.email, role: "OWNER" } });
        await until(
          async () => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0]!.n > 0,
          5000,
          "the grant to wait for the project lock",
        );
        await pg.query("UPDATE memberships SET role = 'MANAGER' WHERE project_id = $1 AND user_id = $2", [id, team.MANAGER.id]);
        await pg.query("COMMIT");
        expect(errorCode(await pending)).toBe("FORBIDDEN");
        expect(await query(`SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2`, [id, stranger.id])).toEqual([]);
      } finally {
        await pg.query("ROLLBACK").catch(() => undefined);
        await pg.end();
      }
    });
  });

  describe("transactions", () => {
    it("a failing mutation leaves nothing half-written", async () => {
      const id = await buildTeamProject(team);
      await buildLabel(owner(), id, { name: "Atelectasis" });
      const snapshot = () =>
        Promise.all([
          query(`SELECT user_id, role, updated_at FROM memberships WHERE project_id = $1 ORDER BY user_id`, [id]),
          query(`SELECT id, name, position, archived_at, updated_at FROM label_definitions WHERE project_id = $1 ORDER BY id`, [id]),
          query(`SELECT name, description, readers_per_case, updated_at, archived_at FROM projects WHERE id = $1`, [id]),
        ]);
      const before = await snapshot();
      const failures: Array<[string, Caller, string, Record<string, unknown>, string]> = [
        ["grant to an unknown e-mail", owner(), GRANT_ROLE, { projectId: id, input: { email: "ghost@example.org", role: "OWNER" } }, "BAD_USER_INPUT"],
        ["demote the last owner", owner(), GRANT_ROLE, { projectId: id, input: { email: team.OWNER.email, role: "VIEWER" } }, "FORBIDDEN"],
        ["manager makes an owner", team.MANAGER.caller, GRANT_ROLE, { projectId: id, input: { email: team.VIEWER.email, role: "OWNER" } }, "FORBIDDEN"],
        ["remove the last owner", owner(), REVOKE, { projectId: id, userId: team.OWNER.id }, "FORBIDDEN"],
        ["duplicate label", owner(), CREATE_LABEL, { projectId: id, input: { kind: "ROI", roiShape: "RECTANGLE", name: "ATELECTASIS" } }, "CONFLICT"],
        ["reorder with a missing label", owner(), REORDER, { projectId: id, labelIds: [] }, "BAD_USER_INPUT"],
        ["bad settings", owner(), SETTINGS, { id, input: { description: "new", readersPerCase: 0 } }, "BAD_USER_INPUT"],
      ];
      for (const [what, caller, doc, vars, code] of failures) {
        expect(errorCode(await caller.gql(doc, vars)), what).toBe(code);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe("live events", () => {
    it("tells subscribers about label, member and project changes, and only for their project", async () => {
      const id = await buildTeamProject(team);
      const other = await buildTeamProject(team);
      const sub = new Subscription<{ projectEvents: { kind: string; projectId: string; at: string } }>(team.VIEWER.caller, EVENTS, { projectId: id });
      try {
        await subscriptions.waitFor(projectChannel(id));
        const changes: Array<[string, () => Promise<unknown>]> = [
          ["LABELS_CHANGED", () => buildLabel(owner(), other)], // another project: unheard; the next change is heard first
          ["LABELS_CHANGED", () => buildLabel(owner(), id, { name: "Heard" })],
          ["MEMBERS_CHANGED", () => owner().ok(GRANT_ROLE, { projectId: id, input: { email: stranger.email, role: "TRAINEE" } })],
          ["MEMBERS_CHANGED", () => owner().ok(REVOKE, { projectId: id, userId: stranger.id })],
          ["PROJECT_UPDATED", () => owner().ok(RENAME, { id, name: "Renamed live" })],
          ["PROJECT_UPDATED", () => owner().ok(SETTINGS, { id, input: { readersPerCase: 7 } })],
          ["PROJECT_ARCHIVED", () => owner().ok(ARCHIVE, { id })],
          ["PROJECT_UNARCHIVED", () => owner().ok(UNARCHIVE, { id })],
        ];
        await changes[0]![1]();
        for (const [kind, change] of changes.slice(1)) {
          const before = Date.now();
          await change();
          const event = (await sub.nextData()).projectEvents;
          expect(event).toEqual({ kind, projectId: id, at: expect.any(String) });
          expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before - 1000);
        }
        // A refused change says nothing.
        expect(errorCode(await owner().gql(CREATE_LABEL, { projectId: id, input: { kind: "CLASSIFICATION", name: "heard" } }))).toBe("CONFLICT");
        expect(errorCode(await owner().gql(REVOKE, { projectId: id, userId: team.OWNER.id }))).toBe("FORBIDDEN");
        expect(await sub.next(300)).toBe("timeout");
        const id2 = await buildLabel(owner(), id);
        expect((await sub.nextData()).projectEvents.kind).toBe("LABELS_CHANGED");
        await owner().ok(UPDATE_LABEL, { id: id2, input: { color: "#000000" } });
        await owner().ok(ARCHIVE_LABEL, { id: id2 });
        await owner().ok(RESTORE_LABEL, { id: id2 });
        for (let i = 0; i < 3; i++) expect((await sub.nextData()).projectEvents.kind).toBe("LABELS_CHANGED");
      } finally {
        await sub.close();
      }
    });

    it("tells a member whose role is revoked ACCESS_REVOKED and ends its stream, while others keep hearing", async () => {
      const id = await buildTeamProject(team);
      const channel = projectChannel(id);
      const leaving = new Subscription<{ projectEvents: { kind: string; projectId: string } }>(team.ANNOTATOR.caller, EVENTS, { projectId: id });
      const staying = new Subscription<{ projectEvents: { kind: string } }>(team.REVIEWER.caller, EVENTS, { projectId: id });
      try {
        await subscriptions.waitFor(channel, 2);
        await buildLabel(owner(), id);
        expect((await leaving.nextData()).projectEvents.kind).toBe("LABELS_CHANGED");
        expect((await staying.nextData()).projectEvents.kind).toBe("LABELS_CHANGED");

        await owner().ok(REVOKE, { projectId: id, userId: team.ANNOTATOR.id });
        // The revocation is itself the next event: the one revoked hears ACCESS_REVOKED instead, and nothing after.
        expect((await leaving.nextData()).projectEvents).toMatchObject({ kind: "ACCESS_REVOKED", projectId: id });
        const end = await leaving.next(5000);
        expect(end === "timeout" ? end : end.done, JSON.stringify(end)).toBe(true);
        expect((await staying.nextData()).projectEvents.kind).toBe("MEMBERS_CHANGED");
        // The server let go of the revoked member's listener.
        await expect.poll(() => subscriptions.count(channel)).toBe(1);
        await buildLabel(owner(), id);
        expect((await staying.nextData()).projectEvents.kind).toBe("LABELS_CHANGED");

        // Subscribing again is refused like for any stranger.
        const again = new Subscription(team.ANNOTATOR.caller, EVENTS, { projectId: id });
        try {
          const r = await again.next(5000);
          expect(r === "timeout" || r.done ? r : errorCode(r.value)).toBe("NOT_FOUND");
        } finally {
          await again.close();
        }
      } finally {
        await leaving.close();
        await staying.close();
      }
    });
    it("ends the stream of a subscriber who logged out or whose API token was revoked", async () => {
      const id = await buildTeamProject(team);
      const channel = projectChannel(id);
      // A second session of the viewer's, so logging it out leaves the shared one alone.
      const viewer = new Caller(server);
      await viewer.ok(`mutation($input: LogInInput!) { logIn(input: $input) { id } }`, { input: { email: team.VIEWER.email, password: PASSWORD } });
      const created = await team.REVIEWER.caller.ok<{ createApiToken: { token: string; apiToken: { id: string } } }>(
        `mutation { createApiToken(input: { name: "live" }) { token apiToken { id } } }`,
      );
      const tool = new Caller(server, undefined, created.createApiToken.token);
      const bySession = new Subscription<{ projectEvents: { kind: string } }>(viewer, EVENTS, { projectId: id });
      const byToken = new Subscription<{ projectEvents: { kind: string } }>(tool, EVENTS, { projectId: id });
      try {
        await subscriptions.waitFor(channel, 2);
        await viewer.ok(`mutation { logOut }`);
        await team.REVIEWER.caller.ok(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: created.createApiToken.apiToken.id });
        await buildLabel(owner(), id);
        for (const sub of [bySession, byToken]) {
          expect((await sub.nextData()).projectEvents.kind).toBe("ACCESS_REVOKED");
          const end = await sub.next(5000);
          expect(end === "timeout" ? end : end.done).toBe(true);
        }
      } finally {
        await bySession.close();
        await byToken.close();
      }
    });
    it("tells a user when they are added to a project, their role changes, and they are removed", async () => {
      const newcomer = await buildUser(server, "newcomer");
      const sub = new Subscription<{ myMembershipEvents: { kind: string; projectId: string; role: string | null } }>(
        newcomer.caller,
        `subscription { myMembershipEvents { kind projectId role } }`,
        {},
      );
      try {
        await subscriptions.waitFor(userChannel(newcomer.id), 1);
        const id = await buildTeamProject(team);
        await owner().ok(GRANT_ROLE, { projectId: id, input: { email: newcomer.email, role: "ANNOTATOR" } });
        expect((await sub.nextData()).myMembershipEvents).toEqual({ kind: "ADDED", projectId: id, role: "ANNOTATOR" });
        // Granting the role they already have changes nothing, so says nothing.
        await owner().ok(GRANT_ROLE, { projectId: id, input: { email: newcomer.email, role: "ANNOTATOR" } });
        await owner().ok(GRANT_ROLE, { projectId: id, input: { email: newcomer.email, role: "REVIEWER" } });
        expect((await sub.nextData()).myMembershipEvents).toEqual({ kind: "ROLE_CHANGED", projectId: id, role: "REVIEWER" });
        await owner().ok(REVOKE, { projectId: id, userId: newcomer.id });
        expect((await sub.nextData()).myMembershipEvents).toEqual({ kind: "REMOVED", projectId: id, role: null });
        // Someone else's changes are not told to this user.
        await owner().ok(GRANT_ROLE, { projectId: id, input: { email: team.VIEWER.email, role: "MANAGER" } });
        expect(await sub.next(300)).toBe("timeout");
      } finally {
        await sub.close();
      }
    });
  });
});
