import { useApolloClient } from "@vue/apollo-composable";
import { onBeforeUnmount, ref, watch, type Ref } from "vue";
import { CaseReaderEventsDocument, OtherResultsDocument } from "../generated/graphql";

// Other readers' results on a case, live: their latest submitted labels, loaded with
// caseAnnotations and loaded again whenever a submission of the case is announced (another
// reader's, or this user's own: in blind reading that is when the others' become visible). The
// server decides what this user may see; where it refuses (blind reading), the list is empty.

export interface OtherResult {
  annotationId: string;
  readerId: string;
  readerName: string;
  version: number;
  submittedAt: string | null;
  labels: Array<{ labelId: string; value: boolean; confidence: number | null; implicit: boolean }>;
}

export function useOtherResults(caseId: Ref<string>, projectId: Ref<string>, meId: Ref<string | null>) {
  const client = useApolloClient().resolveClient();
  const results = ref<OtherResult[]>([]);
  const loaded = ref(false);
  let generation = 0;
  let events: { unsubscribe(): void } | null = null;

  async function load(): Promise<void> {
    const mine = ++generation;
    const c = caseId.value;
    const r = await client.query({ query: OtherResultsDocument, variables: { caseId: c }, fetchPolicy: "no-cache", errorPolicy: "all" }).catch(() => null);
    if (mine !== generation) return;
    results.value = (r?.data?.caseAnnotations ?? [])
      .filter((a) => a.readerId !== meId.value)
      .map((a) => ({
        annotationId: a.id,
        readerId: a.readerId,
        readerName: a.readerName,
        version: a.version,
        submittedAt: a.submittedAt ?? null,
        labels: a.labels.map((l) => ({ labelId: l.labelId, value: l.value, confidence: l.confidence ?? null, implicit: l.implicit })),
      }))
      .sort((a, b) => a.readerName.localeCompare(b.readerName) || a.readerId.localeCompare(b.readerId));
    loaded.value = true;
  }

  watch(
    [caseId, projectId, meId],
    ([c, p, me]) => {
      generation++;
      events?.unsubscribe();
      events = null;
      results.value = [];
      loaded.value = false;
      if (!c || !p || !me) return;
      void load();
      events = client.subscribe({ query: CaseReaderEventsDocument, variables: { projectId: p }, fetchPolicy: "no-cache" }).subscribe({
        next: (r) => {
          const e = r.data?.annotationEvents;
          if (e?.kind === "SUBMITTED" && e.caseId === caseId.value) void load();
        },
        error: () => (events = null),
      });
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    generation++;
    events?.unsubscribe();
    events = null;
  });

  return { results, loaded, reload: load };
}
