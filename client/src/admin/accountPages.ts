/** The accounts loaded so far followed by the next page's, each once (an account may move between pages as it is edited). */
export function appendPage<T extends { id: string }>(loaded: readonly T[], next: readonly T[]): T[] {
  const seen = new Set(loaded.map((a) => a.id));
  return [...loaded, ...next.filter((a) => !seen.has(a.id))];
}
