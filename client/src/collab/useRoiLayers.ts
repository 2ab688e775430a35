import { useApolloClient } from "@vue/apollo-composable";
import { computed, onBeforeUnmount, reactive, ref, shallowReactive, shallowRef, watch, type Ref, type ShallowRef } from "vue";
import * as Y from "yjs";
import { CaseReaderEventsDocument, CaseReadersDocument } from "../generated/graphql";
import type { Roi, RoiChange, ShownRoi } from "../viewer/roi";
import { apolloTransport } from "./apolloTransport";
import { CollabProvider, type CollabDocRef, type CollabStatus, type CollabTransport } from "./provider";
import { applyRoiChange, applyRoiChanges, readRois, ROIS } from "./roiDoc";
import { RoiHistory, type RoiHistoryState } from "./roiUndo";
import type { PresentReader } from "./usePresence";

// Case layers on the reading page: the reader's own (edited here; the server projects it into
// their draft's ROIs) and other readers' (read-only, where the server lets this user see them).

export interface RoiLayer {
  readonly ref: CollabDocRef;
  readonly doc: Y.Doc;
  readonly provider: CollabProvider;
  /** The layer's regions, from any origin, as of the last change. */
  readonly rois: ShallowRef<Roi[]>;
  readonly status: Ref<CollabStatus>;
  /** Synced with the server at least once: the content is the server's (plus local edits). */
  readonly loaded: Ref<boolean>;
  /** Undo and redo of this user's edits (VIEWER_ORIGIN); null for a read-only layer. */
  readonly history: RoiHistory | null;
  readonly historyState: Ref<RoiHistoryState>;
  close(): void;
}

/** The origin of the viewer's edits to a layer: what undo and redo take back and bring again. */
export const VIEWER_ORIGIN = Object.freeze({ source: "viewer" });
/** The origin of regions moved into a layer from an older draft: not an edit to undo. */
const SEED_ORIGIN = Object.freeze({ source: "seed" });

const NO_HISTORY: RoiHistoryState = Object.freeze({ canUndo: false, canRedo: false });

export function openRoiLayer(transport: CollabTransport, docRef: CollabDocRef, options: { readOnly?: boolean; onRefused?: (message: string) => void } = {}): RoiLayer {
  const doc = new Y.Doc();
  const rois = shallowRef<Roi[]>([]);
  const status = ref<CollabStatus>("connecting");
  const loaded = ref(false);
  const provider = new CollabProvider(doc, transport, docRef, {
    readOnly: options.readOnly ?? false,
    onStatus: (s) => {
      status.value = s;
      if (s === "synced") loaded.value = true;
    },
    onRefused: (err) => options.onRefused?.(err.message),
  });
  doc.getMap(ROIS).observeDeep(() => (rois.value = readRois(doc)));
  const historyState = ref<RoiHistoryState>(NO_HISTORY);
  const history = options.readOnly ? null : new RoiHistory(doc, VIEWER_ORIGIN, (s) => (historyState.value = s));
  const online = () => provider.reconnect();
  window.addEventListener("online", online);
  provider.start();
  return {
    ref: docRef,
    doc,
    provider,
    rois,
    status,
    loaded,
    history,
    historyState,
    close() {
      window.removeEventListener("online", online);
      history?.destroy();
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Undo and redo of the user's own edits to whichever layer is open now (a new case's layer starts with none). */
export function layerHistory(layer: Ref<RoiLayer | null>) {
  return {
    history: computed<RoiHistoryState>(() => layer.value?.historyState.value ?? NO_HISTORY),
    undo: () => layer.value?.history?.undo() ?? false,
    redo: () => layer.value?.history?.redo() ?? false,
    clearHistory: () => layer.value?.history?.clear(),
  };
}

function useTransport(): CollabTransport {
  const { resolveClient } = useApolloClient();
  return apolloTransport(resolveClient());
}

/** The reader's own layer of a case: the viewer's changes go in, its content (from any origin) comes out. */
export function useOwnRoiLayer(caseId: Ref<string>, readerId: Ref<string | null>) {
  const transport = useTransport();
  const layer = shallowRef<RoiLayer | null>(null);
  const error = ref<string | null>(null);
  function open(c: string, r: string) {
    const opened: RoiLayer = openRoiLayer(
      transport,
      { caseId: c, layer: `reader:${r}` },
      {
        onRefused: (m) => {
          error.value = `Region not saved: ${m}`;
          // Start again from what the server has: the refused edit goes, and with it the gap that
          // would hold back every later update of this document (Yjs applies a client's in order).
          queueMicrotask(() => {
            if (layer.value !== opened) return;
            opened.close();
            layer.value = open(c, r);
          });
        },
      },
    );
    return opened;
  }
  watch(
    [caseId, readerId],
    ([c, r]) => {
      layer.value?.close();
      error.value = null;
      layer.value = c && r ? open(c, r) : null;
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    layer.value?.close();
    layer.value = null;
  });

  const status = computed<CollabStatus>(() => layer.value?.status.value ?? "connecting");
  return {
    rois: computed<Roi[]>(() => layer.value?.rois.value ?? []),
    status,
    /** The first sync is done: the layer's content is the server's (plus local edits). */
    loaded: computed(() => layer.value?.loaded.value ?? false),
    error,
    apply(change: RoiChange) {
      const l = layer.value;
      if (l) applyRoiChange(l.doc, change, VIEWER_ORIGIN);
    },
    /** Several changes as one step of undo (regions added at once). */
    applyAll(changes: readonly RoiChange[]) {
      const l = layer.value;
      if (l) applyRoiChanges(l.doc, changes, VIEWER_ORIGIN);
    },
    /** Regions saved before layers existed: written into the (empty) layer once, not as an edit to undo. */
    seed(rois: readonly Roi[]) {
      const l = layer.value;
      if (!l) return;
      applyRoiChanges(l.doc, rois.map((roi) => ({ change: "created", roi })), SEED_ORIGIN);
    },
    ...layerHistory(layer),
    /** Resolves true once every edit so far is stored on the server. */
    flushed: (timeoutMs?: number) => layer.value?.provider.flushed(timeoutMs) ?? Promise.resolve(true),
  };
}

export interface OtherReaderRoi extends ShownRoi {
  readerId: string;
  readerName: string;
}

/**
 * Other readers' layers of a case, read-only and live, where the server allows this user to see
 * them. Which readers: those on the case now (presence), those with a submission of the case this
 * user may see, and those who submit it later (annotationEvents). A layer the server will not show
 * (blind reading) shows nothing; it is tried again when this user submits the case.
 */
export function useOtherReaderLayers(caseId: Ref<string>, projectId: Ref<string>, meId: Ref<string | null>, present?: Ref<PresentReader[]>) {
  const { resolveClient } = useApolloClient();
  const client = resolveClient();
  const transport = apolloTransport(client);
  const names = reactive(new Map<string, string>());
  const layers = shallowReactive(new Map<string, RoiLayer>());
  let generation = 0;

  function closeAll() {
    for (const l of layers.values()) l.close();
    layers.clear();
    names.clear();
  }

  /** Shows a reader's layer; one the server denied is asked for again only with `retry`. */
  function open(readerId: string, name: string | null, retry = false) {
    if (!readerId || readerId === meId.value) return;
    if (name || !names.has(readerId)) names.set(readerId, name ?? names.get(readerId) ?? "Another reader");
    const existing = layers.get(readerId);
    if (existing && (existing.status.value !== "denied" || !retry)) return;
    existing?.close();
    layers.set(readerId, openRoiLayer(transport, { caseId: caseId.value, layer: `reader:${readerId}` }, { readOnly: true }));
  }

  /** Asks who has submitted the case; a failure (not allowed to see others yet) means nobody to show. */
  async function discover(): Promise<void> {
    const mine = generation;
    const found = await client.query({ query: CaseReadersDocument, variables: { caseId: caseId.value }, fetchPolicy: "no-cache", errorPolicy: "all" }).catch(() => null);
    if (mine !== generation) return;
    for (const a of found?.data?.caseAnnotations ?? []) open(a.readerId, a.readerName);
  }

  let events: { unsubscribe(): void } | null = null;
  watch(
    [caseId, projectId, meId],
    ([c, p, me]) => {
      generation++;
      closeAll();
      events?.unsubscribe();
      events = null;
      if (!c || !p || !me) return;
      void discover();
      events = client.subscribe({ query: CaseReaderEventsDocument, variables: { projectId: p }, fetchPolicy: "no-cache" }).subscribe({
        next: (r) => {
          const e = r.data?.annotationEvents;
          if (e?.kind !== "SUBMITTED" || e.caseId !== caseId.value || !e.readerId) return;
          if (e.readerId !== meId.value) open(e.readerId, null, true);
          else {
            // Having submitted, this reader may now see others' work (blind reading): look again.
            for (const [id, l] of layers) if (l.status.value === "denied") open(id, null, true);
            void discover();
          }
        },
        error: () => (events = null),
      });
    },
    { immediate: true },
  );
  if (present) {
    watch(present, (users) => {
      if (caseId.value && meId.value) for (const u of users) open(u.userId, u.name);
    });
  }
  onBeforeUnmount(() => {
    generation++;
    events?.unsubscribe();
    closeAll();
  });

  return {
    rois: computed<OtherReaderRoi[]>(() =>
      [...layers].flatMap(([readerId, l]) =>
        l.status.value === "denied" ? [] : l.rois.value.map((r) => ({ ...r, readOnly: true, readerId, readerName: names.get(readerId) ?? "Another reader" })),
      ),
    ),
  };
}
