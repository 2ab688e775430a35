import { computed, ref } from "vue";

/**
 * The cases a manager ticked in the case list. Only cases the list shows count: a case the filter
 * has since hidden is not acted on unseen (it is ticked again when it shows again).
 */
export function useCaseSelection(shown: () => readonly string[]) {
  const ticked = ref(new Set<string>());
  const selected = computed(() => shown().filter((id) => ticked.value.has(id)));
  /** The header box: ticked when every case shown is, mixed when some are. */
  const all = computed(() => selected.value.length > 0 && selected.value.length === shown().length);
  const some = computed(() => selected.value.length > 0 && !all.value);

  function set(ids: readonly string[], on: boolean) {
    const next = new Set(ticked.value);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    ticked.value = next;
  }

  return {
    selected,
    all,
    some,
    isSelected: (id: string) => ticked.value.has(id),
    toggle: (id: string, on: boolean) => set([id], on),
    toggleShown: (on: boolean) => set(shown(), on),
  };
}
