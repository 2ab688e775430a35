// Comparing two series of a study's case side by side: the main viewer and a reference viewer
// (ReferenceViewer.vue), which shows one series of the same case to look at, never to draw on.

/** Where the reader's choice to compare is kept (this browser): "on", or unset. */
export const COMPARE_SETTING = "concord.viewer.compare";

/** A choice made on this page when the browser would not store it (private mode, sandboxed frame). */
let chosenHere: boolean | null = null;

/** Whether the reader compares series: the reference viewer shows beside the main one in a study's case. */
export function compareChoice(): boolean {
  if (chosenHere !== null) return chosenHere;
  try {
    return window.localStorage?.getItem(COMPARE_SETTING) === "on";
  } catch {
    return false; // storage refused: not comparing
  }
}

/** Keeps the reader's choice in this browser (or, where it will not store it, for this page). */
export function setCompareChoice(on: boolean): void {
  chosenHere = null;
  try {
    if (on) window.localStorage.setItem(COMPARE_SETTING, "on");
    else window.localStorage.removeItem(COMPARE_SETTING);
  } catch {
    chosenHere = on;
  }
}

/**
 * The series the reference viewer opens on: the one after the series the main viewer shows,
 * the first after the last (a current image and its prior, an MR's next sequence).
 */
export function referenceSeriesFor(shown: number, count: number): number {
  if (count < 2) return 0;
  return (((Math.round(shown) + 1) % count) + count) % count;
}
