import { ref } from "vue";

/**
 * A list paged by cursors, one page at a time: `after` is the cursor of the page shown (null for the
 * first), and Previous goes back through the cursors Next came from.
 */
export function useCursorPager() {
  const after = ref<string | null>(null);
  const history = ref<Array<string | null>>([]);
  return {
    after,
    history,
    /** To the page after the one shown, whose end cursor is `endCursor` (nothing without one). */
    next(endCursor: string | null | undefined) {
      if (!endCursor) return;
      history.value.push(after.value);
      after.value = endCursor;
    },
    previous() {
      after.value = history.value.pop() ?? null;
    },
    /** Back to the first page (the list's filter or order changed). */
    reset() {
      after.value = null;
      history.value = [];
    },
  };
}
