import { useApolloClient } from "@vue/apollo-composable";
import { onBeforeUnmount, ref, watch, type Ref } from "vue";
import { CasePresenceDocument, PresenceBeatDocument, PresenceLeaveDocument } from "../generated/graphql";

// Presence as reading needs it: this reader says they are on the case (a beat every 2 s, as the
// server asks; gone 6 s after the last), and learns who else is, to show their layers live.
// Pointers are left out here.

const BEAT_MS = 2000;

export interface PresentReader {
  userId: string;
  name: string;
  /** The same on every replica and page: the server picks it from the user id. */
  colour: string;
}

export function useCasePresence(caseId: Ref<string>) {
  const { resolveClient } = useApolloClient();
  const client = resolveClient();
  const present = ref<PresentReader[]>([]);
  let beat: ReturnType<typeof setInterval> | null = null;
  let stream: { unsubscribe(): void } | null = null;
  let current: string | null = null;

  const send = (id: string) => void client.mutate({ mutation: PresenceBeatDocument, variables: { caseId: id }, fetchPolicy: "no-cache" }).catch(() => undefined);

  function leave() {
    if (beat) clearInterval(beat);
    beat = null;
    stream?.unsubscribe();
    stream = null;
    if (current) void client.mutate({ mutation: PresenceLeaveDocument, variables: { caseId: current }, fetchPolicy: "no-cache" }).catch(() => undefined);
    current = null;
    present.value = [];
  }

  watch(
    caseId,
    (id) => {
      leave();
      if (!id) return;
      current = id;
      stream = client.subscribe({ query: CasePresenceDocument, variables: { caseId: id }, fetchPolicy: "no-cache" }).subscribe({
        next: (r) => {
          const e = r.data?.casePresence;
          if (!e || id !== current) return;
          present.value = e.kind === "PRESENCE" ? e.users.map((u) => ({ userId: u.userId, name: u.name, colour: u.colour })) : [];
        },
        // Presence is a help, not a need: without it, readers are still found by their submissions.
        error: () => undefined,
      });
      send(id);
      beat = setInterval(() => send(id), BEAT_MS);
    },
    { immediate: true },
  );
  onBeforeUnmount(leave);

  return { present };
}
