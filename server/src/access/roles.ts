export const ROLES = ["OWNER", "MANAGER", "DATA_OWNER", "ANNOTATOR", "REVIEWER", "TRAINEE", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "project.view",
  "project.manage",
  "project.archive",
  "members.view",
  "members.grant",
  "labels.edit",
  "data.upload",
  "data.export",
  "data.delete",
  "stats.view",
  "case.annotate",
  "case.review",
  "annotations.viewOthers",
  "rewards.run",
  "ledger.view",
  "ledger.verify",
  "models.manage",
] as const;
export type Action = (typeof ACTIONS)[number];

const ALL: readonly Role[] = ROLES;
const MANAGERS: readonly Role[] = ["OWNER", "MANAGER"];

// The permission matrix: which roles may take each action on a project they belong to.
// Conditions that depend on the resource (blind reading) are applied in can(), not here.
export const MATRIX: Record<Action, readonly Role[]> = {
  "project.view": ALL,
  "project.manage": MANAGERS,
  "project.archive": ["OWNER"],
  "members.view": MANAGERS,
  "members.grant": MANAGERS,
  "labels.edit": MANAGERS,
  "data.upload": ["OWNER", "MANAGER", "DATA_OWNER"],
  "data.export": ["OWNER", "MANAGER", "DATA_OWNER"],
  // Deleting cases and their images for good (withdrawn consent, identifiable pixels, wrong uploads).
  "data.delete": ["OWNER", "MANAGER", "DATA_OWNER"],
  "stats.view": ["OWNER", "MANAGER", "REVIEWER"],
  "case.annotate": ["OWNER", "MANAGER", "ANNOTATOR", "REVIEWER", "TRAINEE"],
  "case.review": ["OWNER", "MANAGER", "REVIEWER"],
  "annotations.viewOthers": ["OWNER", "MANAGER", "REVIEWER", "VIEWER", "ANNOTATOR"],
  "rewards.run": MANAGERS,
  "ledger.view": ["OWNER", "MANAGER", "DATA_OWNER", "REVIEWER"],
  // Checking the whole log reads every entry: owners only.
  "ledger.verify": ["OWNER"],
  // Registering and training models, and running one on a whole project.
  "models.manage": MANAGERS,
};
