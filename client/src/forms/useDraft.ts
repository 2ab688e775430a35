import { computed, reactive, ref, watch, type Ref } from "vue";

type Values = Record<string, string | number | boolean | null>;

/**
 * An editable copy of server values. While the user has no unsaved edits it follows the server
 * (so a change made in another browser shows up); once edited it keeps the user's text.
 */
export function useDraft<T extends Values>(source: () => T) {
  const base = ref({ ...source() }) as Ref<T>;
  const draft = reactive({ ...source() }) as T;
  const keys = () => Object.keys(base.value) as (keyof T)[];
  const dirty = computed(() => keys().some((k) => draft[k] !== base.value[k]));

  watch(source, (next) => {
    if (!dirty.value) settle(next);
  });

  /** The fields the user changed, for a patch. */
  function changes(): Partial<T> {
    const patch: Partial<T> = {};
    for (const k of keys()) if (draft[k] !== base.value[k]) patch[k] = draft[k];
    return patch;
  }

  /** Take these values as saved (after the server accepted them, or to discard edits). */
  function settle(values: T = base.value): void {
    base.value = { ...values };
    Object.assign(draft, values);
  }

  return { draft, dirty, changes, settle };
}
