import type { LabelKind, Permission, ProjectMode, RoiShape, Role } from "./generated/graphql";

export const ROLES: readonly Role[] = ["OWNER", "MANAGER", "DATA_OWNER", "ANNOTATOR", "REVIEWER", "TRAINEE", "VIEWER"];

export const ROLE_NAMES: Record<Role, string> = {
  OWNER: "Owner",
  MANAGER: "Manager",
  DATA_OWNER: "Data owner",
  ANNOTATOR: "Annotator",
  REVIEWER: "Reviewer",
  TRAINEE: "Trainee",
  VIEWER: "Viewer",
};

export const MODES: readonly ProjectMode[] = ["STANDARD", "REVIEW", "EDUCATION"];

export const MODE_NAMES: Record<ProjectMode, string> = {
  STANDARD: "Standard",
  REVIEW: "Review",
  EDUCATION: "Education",
};

export const KIND_NAMES: Record<LabelKind, string> = {
  CLASSIFICATION: "Classification label",
  ROI: "ROI class",
};

export const SHAPE_NAMES: Record<RoiShape, string> = {
  RECTANGLE: "Rectangle",
  FREEHAND: "Freehand",
};

export function labelKindText(kind: LabelKind, shape: RoiShape | null): string {
  return kind === "ROI" && shape ? `${KIND_NAMES.ROI} · ${SHAPE_NAMES[shape]}` : KIND_NAMES[kind];
}

export const can = (permissions: readonly Permission[] | undefined, permission: Permission): boolean =>
  !!permissions?.includes(permission);
