import { onScopeDispose, ref, watch, type Ref, type WatchSource } from "vue";

/** A value that follows `source` once it has stopped changing for `ms` (a search box's query). */
export function useDebounced<T>(source: WatchSource<T> & (() => T), ms = 300): Ref<T> {
  const value = ref(source()) as Ref<T>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(source, (next) => {
    clearTimeout(timer);
    timer = setTimeout(() => (value.value = next), ms);
  });
  onScopeDispose(() => clearTimeout(timer));
  return value;
}
