import { describe, expect, it } from "vitest";
import type { DeletionReason } from "../generated/graphql";
import {
  caseKeysText,
  confirmationMatches,
  DELETION_CASES_MAX,
  DELETION_NOTE_MAX,
  DELETION_REASONS,
  deletedText,
  deletionProblem,
  deletionReady,
  deletionReasonLabel,
  deletionTitle,
} from "./deletions";

describe("deletion reasons", () => {
  it("name every reason the API has, once, in words, each with its help", () => {
    const all: DeletionReason[] = ["CONSENT_WITHDRAWN", "IDENTIFIABLE_DATA", "WRONG_UPLOAD", "DUPLICATE", "OTHER"];
    expect(DELETION_REASONS.map((r) => r.value).sort()).toEqual([...all].sort());
    for (const r of DELETION_REASONS) {
      expect(deletionReasonLabel(r.value)).not.toBe(r.value);
      expect(r.hint.length).toBeGreaterThan(10);
    }
    expect(deletionReasonLabel("CONSENT_WITHDRAWN")).toBe("Consent withdrawn");
  });

  it("say which reasons keep the same files from being uploaded again", () => {
    const refusing = DELETION_REASONS.filter((r) => r.hint.includes("uploaded again are refused")).map((r) => r.value);
    expect(refusing.sort()).toEqual(["CONSENT_WITHDRAWN", "IDENTIFIABLE_DATA"]);
  });
});

describe("confirmationMatches", () => {
  it("takes the number of cases typed as digits, and nothing else", () => {
    expect(confirmationMatches("3", 3)).toBe(true);
    expect(confirmationMatches(" 3 ", 3)).toBe(true);
    expect(confirmationMatches("", 3)).toBe(false);
    expect(confirmationMatches("2", 3)).toBe(false);
    expect(confirmationMatches("03", 3)).toBe(false);
    expect(confirmationMatches("three", 3)).toBe(false);
    expect(confirmationMatches("0", 0)).toBe(false);
  });
});

describe("deletionReady", () => {
  const ready = { cases: 2, reason: "CONSENT_WITHDRAWN" as DeletionReason | null, note: "", typed: "2" };

  it("needs cases, a reason and the count typed", () => {
    expect(deletionReady(ready)).toBe(true);
    expect(deletionReady({ ...ready, reason: null })).toBe(false);
    expect(deletionReady({ ...ready, typed: "" })).toBe(false);
    expect(deletionReady({ ...ready, typed: "1" })).toBe(false);
    expect(deletionReady({ ...ready, cases: 0, typed: "0" })).toBe(false);
  });

  it("needs a note for Other, and no note longer than the server takes", () => {
    expect(deletionReady({ ...ready, reason: "OTHER", note: "  " })).toBe(false);
    expect(deletionReady({ ...ready, reason: "OTHER", note: "scanned the wrong patient" })).toBe(true);
    expect(deletionReady({ ...ready, note: "x".repeat(DELETION_NOTE_MAX) })).toBe(true);
    expect(deletionReady({ ...ready, note: "x".repeat(DELETION_NOTE_MAX + 1) })).toBe(false);
  });

  it("refuses more cases than the server deletes at once", () => {
    const n = DELETION_CASES_MAX + 1;
    expect(deletionReady({ ...ready, cases: n, typed: String(n) })).toBe(false);
  });
});

describe("deletionTitle and caseKeysText", () => {
  it("name one case by its key, more by their number", () => {
    expect(deletionTitle(["chest-7"])).toBe("Delete case chest-7");
    expect(deletionTitle(["a", "b", "c"])).toBe("Delete 3 cases");
  });

  it("list the keys, and past the limit say how many more", () => {
    expect(caseKeysText([])).toBe("");
    expect(caseKeysText(["a"])).toBe("a");
    expect(caseKeysText(["a", "b"])).toBe("a and b");
    expect(caseKeysText(["a", "b", "c"])).toBe("a, b and c");
    expect(caseKeysText(["a", "b", "c", "d", "e"], 3)).toBe("a, b, c and 2 more");
  });
});

describe("deletedText", () => {
  const outcome = { cases: 3, images: 3, readings: 2, filesLeft: 0, exportsRemoved: 0 };

  it("counts what went", () => {
    expect(deletedText(outcome)).toBe("Deleted 3 cases, 3 images and 2 readings.");
    expect(deletedText({ ...outcome, cases: 1, images: 1, readings: 1 })).toBe("Deleted 1 case, 1 image and 1 reading.");
    expect(deletedText({ ...outcome, readings: 0 })).toBe("Deleted 3 cases, 3 images and 0 readings.");
  });

  it("tells the user of files an external store kept, and of the exports removed", () => {
    expect(deletedText({ ...outcome, filesLeft: 1 })).toBe(
      "Deleted 3 cases, 3 images and 2 readings. 1 file stays in the project's DICOMweb store, which refused to delete it: delete it there. Concord no longer serves it.",
    );
    expect(deletedText({ ...outcome, filesLeft: 2, exportsRemoved: 2 })).toBe(
      "Deleted 3 cases, 3 images and 2 readings. 2 files stay in the project's DICOMweb store, which refused to delete them: delete them there. Concord no longer serves them. " +
        "2 earlier exports of the project were removed, as they may hold the deleted cases: export again if you need them.",
    );
    expect(deletedText({ ...outcome, exportsRemoved: 1 })).toContain("1 earlier export of the project was removed");
  });
});

describe("deletionProblem", () => {
  const refusal = (fields: Array<{ field: string; message: string }>) => ({
    graphQLErrors: [{ message: "Invalid input", extensions: { code: "BAD_USER_INPUT", fields } }],
  });

  it("names a refused case by its key beside the list of cases", () => {
    const p = deletionProblem(refusal([{ field: "caseIds[1]", message: "is not a case of this project" }]), ["a", "b"]);
    expect(p.code).toBe("BAD_USER_INPUT");
    expect(p.fields).toEqual({ caseIds: "case b is not a case of this project" });
    expect(p.message).toBe("Please correct the fields marked below.");
  });

  it("puts the reason, the note and the cases' shared images beside their fields", () => {
    const p = deletionProblem(
      refusal([
        { field: "note", message: "say why the cases are deleted when the reason is OTHER" },
        { field: "caseIds", message: 'the images of these cases are also those of other cases: "c"; delete them together' },
      ]),
      ["a"],
    );
    expect(p.fields.note).toMatch(/reason is OTHER/);
    expect(p.fields.caseIds).toMatch(/delete them together/);
  });

  it("leaves other errors as describeError tells them", () => {
    expect(deletionProblem({ graphQLErrors: [{ message: "This project is archived.", extensions: { code: "FORBIDDEN" } }] }, ["a"])).toEqual({
      message: "This project is archived.",
      code: "FORBIDDEN",
      fields: {},
    });
    expect(deletionProblem({ networkError: new Error("down") }, ["a"]).code).toBe("NETWORK_ERROR");
  });
});
