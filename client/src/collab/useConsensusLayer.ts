import { useApolloClient } from "@vue/apollo-composable";
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from "vue";
import type { Roi, RoiChange } from "../viewer/roi";
import { apolloTransport } from "./apolloTransport";
import type { CollabStatus } from "./provider";
import { applyRoiChange } from "./roiDoc";
import { layerHistory, openRoiLayer, VIEWER_ORIGIN, type RoiLayer } from "./useRoiLayers";

// A case's consensus layer: one Yjs document that reviewers and readers who may see others' work
// edit together, through the same provider and mapper as a reader's own layer. Opened only for a
// user the server lets edit it (consensusAccess.ts); edits carry VIEWER_ORIGIN and the provider
// never sends back what came from the server, so nothing echoes.

export function useConsensusLayer(caseId: Ref<string>, allowed: Ref<boolean>) {
  const transport = apolloTransport(useApolloClient().resolveClient());
  const layer = shallowRef<RoiLayer | null>(null);
  const error = ref<string | null>(null);

  function open(c: string): RoiLayer {
    const opened: RoiLayer = openRoiLayer(
      transport,
      { caseId: c, layer: "consensus" },
      {
        onRefused: (m) => {
          error.value = `Consensus region not saved: ${m}`;
          // As for the reader's own layer: start again from the server's state, without the refused edit.
          queueMicrotask(() => {
            if (layer.value !== opened) return;
            opened.close();
            layer.value = open(c);
          });
        },
      },
    );
    return opened;
  }

  watch(
    [caseId, allowed],
    ([c, ok]) => {
      layer.value?.close();
      error.value = null;
      layer.value = c && ok ? open(c) : null;
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    layer.value?.close();
    layer.value = null;
  });

  return {
    /** The consensus regions, from anyone; empty while the layer is closed or denied. */
    rois: computed<Roi[]>(() => (layer.value && layer.value.status.value !== "denied" ? layer.value.rois.value : [])),
    status: computed<CollabStatus | null>(() => layer.value?.status.value ?? null),
    open: computed(() => !!layer.value && layer.value.status.value !== "denied"),
    error,
    apply(change: RoiChange) {
      const l = layer.value;
      if (l) applyRoiChange(l.doc, change, VIEWER_ORIGIN);
    },
    ...layerHistory(layer),
    flushed: (timeoutMs?: number) => layer.value?.provider.flushed(timeoutMs) ?? Promise.resolve(true),
  };
}
