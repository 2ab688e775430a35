import { ref, watch, type Ref } from "vue";

/**
 * A choice among options that come and go (model versions, ROI classes): the chosen option's id,
 * kept while it is offered, otherwise the first offered (null when none is).
 */
export function useKeptChoice(options: Ref<ReadonlyArray<{ id: string }>>): Ref<string | null> {
  const chosen = ref<string | null>(null);
  watch(
    options,
    (offered) => {
      if (!offered.some((o) => o.id === chosen.value)) chosen.value = offered[0]?.id ?? null;
    },
    { immediate: true },
  );
  return chosen;
}
