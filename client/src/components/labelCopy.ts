// Pure helpers of copying labels from another project: the projects offered as the source, and the
// sentence that says what a copy made and left out.

interface SourceProject {
  id: string;
  name: string;
  archived: boolean;
}

/** The projects labels may be copied from: the user's others (not `projectId`), by name, archived ones last. */
export function copySources<P extends SourceProject>(projects: readonly P[], projectId: string): P[] {
  return projects.filter((p) => p.id !== projectId).sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name));
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "Copied 4 labels and 1 group; 2 left out." — or that nothing was copied, and why when it can tell. */
export function copySummary(copy: { labels: readonly unknown[]; groups: readonly unknown[]; skipped: readonly unknown[] }): string {
  const labels = copy.labels.length;
  const groups = copy.groups.length;
  const skipped = copy.skipped.length;
  if (!labels && !groups) return skipped ? `Nothing copied; ${skipped} left out.` : "Nothing to copy: that project has no active labels.";
  const made = [labels ? count(labels, "label") : "", groups ? count(groups, "group") : ""].filter(Boolean).join(" and ");
  return `Copied ${made}${skipped ? `; ${skipped} left out` : ""}.`;
}
