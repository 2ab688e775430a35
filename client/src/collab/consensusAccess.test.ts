import { describe, expect, it } from "vitest";
import type { Permission, Role } from "../generated/graphql";
import { mayEditConsensus, seesOthers } from "./consensusAccess";

// The permissions each role gets on a project, as the server's matrix gives them (server/src/access/roles.ts),
// without the case: an annotator in blind reading lacks ANNOTATIONS_VIEW_OTHERS there.
const PERMS: Record<Role, (blind: boolean) => Permission[]> = {
  OWNER: () => ["CASE_ANNOTATE", "CASE_REVIEW", "ANNOTATIONS_VIEW_OTHERS"],
  MANAGER: () => ["CASE_ANNOTATE", "CASE_REVIEW", "ANNOTATIONS_VIEW_OTHERS"],
  REVIEWER: () => ["CASE_ANNOTATE", "CASE_REVIEW", "ANNOTATIONS_VIEW_OTHERS"],
  ANNOTATOR: (blind) => (blind ? ["CASE_ANNOTATE"] : ["CASE_ANNOTATE", "ANNOTATIONS_VIEW_OTHERS"]),
  TRAINEE: () => ["CASE_ANNOTATE"],
  VIEWER: () => ["ANNOTATIONS_VIEW_OTHERS"],
  DATA_OWNER: () => ["DATA_UPLOAD"],
};

const standing = (role: Role, blindReading: boolean, submitted: boolean) => ({ role, permissions: PERMS[role](blindReading), blindReading, submitted });

describe("who may edit the consensus layer", () => {
  it("reviewers, owners and managers always; annotators where they see others' work; trainees, viewers and data owners never", () => {
    for (const blind of [false, true]) {
      for (const submitted of [false, true]) {
        for (const role of ["OWNER", "MANAGER", "REVIEWER"] as const) expect(mayEditConsensus(standing(role, blind, submitted)), `${role} ${blind} ${submitted}`).toBe(true);
        for (const role of ["TRAINEE", "VIEWER", "DATA_OWNER"] as const) expect(mayEditConsensus(standing(role, blind, submitted)), `${role} ${blind} ${submitted}`).toBe(false);
        expect(mayEditConsensus(standing("ANNOTATOR", blind, submitted)), `ANNOTATOR ${blind} ${submitted}`).toBe(!blind || submitted);
      }
    }
  });

  it("an annotator in blind reading sees others' work only after submitting; a viewer always", () => {
    expect(seesOthers(standing("ANNOTATOR", true, false))).toBe(false);
    expect(seesOthers(standing("ANNOTATOR", true, true))).toBe(true);
    expect(seesOthers(standing("VIEWER", true, false))).toBe(true);
    expect(seesOthers(standing("TRAINEE", false, true))).toBe(false);
  });
});
