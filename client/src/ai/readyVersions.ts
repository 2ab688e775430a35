import type { ModelTask } from "../generated/graphql";

// The model versions a page offers to choose from: READY ones of the tasks it can use, newest
// first (by when each became ready), each named as "<model> · version <n>".

interface ListedVersion {
  id: string;
  version: number;
  status: string;
  createdAt: string;
  readyAt?: string | null;
}

export type ReadyVersion<V extends ListedVersion> = V & { modelName: string; task: ModelTask; text: string; at: string };

export function readyVersions<V extends ListedVersion>(
  models: ReadonlyArray<{ name: string; task: ModelTask; versions: readonly V[] }> | null | undefined,
  tasks?: readonly ModelTask[],
): Array<ReadyVersion<V>> {
  return (models ?? [])
    .filter((m) => !tasks || tasks.includes(m.task))
    .flatMap((m) =>
      m.versions
        .filter((v) => v.status === "READY")
        .map((v) => ({ ...v, modelName: m.name, task: m.task, text: `${m.name} · version ${v.version}`, at: v.readyAt ?? v.createdAt })),
    )
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
