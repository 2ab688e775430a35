import { useApolloClient } from "@vue/apollo-composable";
import { onBeforeUnmount, ref, watch, type Ref } from "vue";
import { CasePresenceDocument, PresenceBeatDocument, PresenceLeaveDocument } from "../generated/graphql";
import { AFTER_IMAGE } from "../graphql/imageFirst";
import { PointerBeats, type PointerPosition } from "./pointerBeats";

// Presence on a case: this reader says they are on it (a beat every 2 s, as the server asks; gone
// 6 s after the last) with their pointer on the image (sent while it moves, at most every 150 ms,
// see pointerBeats.ts), and learns who else is there and where their pointers are. The server
// leaves out pointers this user may not see (blind reading).

export interface PresentReader {
  userId: string;
  name: string;
  /** The same on every replica and page: the server picks it from the user id. */
  colour: string;
  /** Where their pointer is on the image; null when off it or hidden from this user. */
  pointer: PointerPosition | null;
}

export function useCasePresence(caseId: Ref<string>) {
  const { resolveClient } = useApolloClient();
  const client = resolveClient();
  const present = ref<PresentReader[]>([]);
  let beats: PointerBeats | null = null;
  let stream: { unsubscribe(): void } | null = null;
  let current: string | null = null;

  const send = (id: string, pointer: PointerPosition | null) =>
    client.mutate({ mutation: PresenceBeatDocument, variables: { caseId: id, pointer }, fetchPolicy: "no-cache", context: AFTER_IMAGE }).catch(() => undefined);

  function leave() {
    beats?.stop();
    beats = null;
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
          present.value =
            e.kind === "PRESENCE"
              ? e.users.map((u) => ({
                  userId: u.userId,
                  name: u.name,
                  colour: u.colour,
                  pointer: u.pointer ? { x: u.pointer.x, y: u.pointer.y, sopInstanceUid: u.pointer.sopInstanceUid ?? null, frame: u.pointer.frame ?? null } : null,
                }))
              : [];
        },
        // Presence is a help, not a need: without it, readers are still found by their submissions.
        error: () => undefined,
      });
      beats = new PointerBeats({ send: (pointer) => send(id, pointer) });
      beats.start();
    },
    { immediate: true },
  );
  onBeforeUnmount(leave);

  return {
    present,
    /** This user's pointer on the image moved (null: it left the image). */
    movePointer: (pointer: PointerPosition | null) => beats?.move(pointer),
  };
}
