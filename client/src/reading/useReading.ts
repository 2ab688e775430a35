import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed, onBeforeUnmount, reactive, ref, watch, type Ref } from "vue";
import {
  MyAnnotationDocument,
  ReviseAnnotationDocument,
  SaveDraftDocument,
  SubmitAnnotationDocument,
  type AnnotationInput,
  type ReadingAnnotationFragment,
} from "../generated/graphql";
import { useOwnRoiLayer } from "../collab/useRoiLayers";
import { describeError } from "../graphql/errors";
import { useSession } from "../session";
import type { Roi, RoiChange } from "../viewer/roi";
import { DEFAULT_IDLE_THRESHOLD_SECONDS, ReadingClock } from "./clock";
import { noneOf, submitProblem, withOneAnswer, type AnswerGroup } from "./labelGroups";
import { newId } from "../ids";

// One reader's work on one case: the label values of their draft, autosaved as they change (with
// the session's timing so far), submitted, and revised into a new version. The server keeps
// versions; this keeps what the reader sees in step with it. ROIs live in the reader's layer (a
// Yjs document synced live); the server projects it into the draft, so saves leave ROIs out.

export const GRADES = [0, 20, 40, 60, 80, 100] as const;

export interface LabelState {
  value: boolean;
  confidence: number | null;
}

export type SaveState = "idle" | "pending" | "saving" | "saved" | "failed";

/** How long the reader's changes rest before an autosave. */
const AUTOSAVE_MS = 800;

/**
 * `locked`: the case may not be read now whatever the reader's standing (a manager excluded it from
 * the project): nothing is edited, saved, submitted or revised while it holds. `groups`: the
 * project's label groups as the reader answers them (labelGroups.ts): making one of a group's labels
 * present makes the others not present in the same change, and a required group needs its answer
 * before a submission goes to the server.
 */
export function useReading(
  caseId: Ref<string>,
  projectId: Ref<string>,
  locked: Ref<boolean> = ref(false),
  groups: Ref<ReadonlyArray<AnswerGroup<{ id: string; name: string }>>> = ref([]),
) {
  const query = useQuery(MyAnnotationDocument, () => ({ caseId: caseId.value, projectId: projectId.value }), { fetchPolicy: "network-only" });
  const { mutate: saveDraft } = useMutation(SaveDraftDocument);
  const { mutate: submitAnnotation } = useMutation(SubmitAnnotationDocument);
  const { mutate: reviseAnnotation } = useMutation(ReviseAnnotationDocument);

  const annotation = ref<ReadingAnnotationFragment | null>(null);
  const labels = reactive(new Map<string, LabelState>());
  const me = useSession().user;
  const layer = useOwnRoiLayer(caseId, computed(() => me.value?.id ?? null));
  /** The regions stored with the annotation, as loaded. */
  const storedRois = ref<Roi[]>([]);
  const saveState = ref<SaveState>("idle");
  const error = ref<string | null>(null);
  /** A submission was refused here for a required group without its answer. */
  const refused = ref(false);
  const ready = ref(false);
  const threshold = computed(() => query.result.value?.project?.idleThresholdSeconds ?? DEFAULT_IDLE_THRESHOLD_SECONDS);
  const canAnnotate = computed(() => (query.result.value?.project?.myPermissions ?? []).includes("CASE_ANNOTATE"));

  // A page load is a session: its own id and clock (the server adds sessions up).
  let sessionId = newId();
  let clock = new ReadingClock(threshold.value);

  const submitted = computed(() => annotation.value?.status === "SUBMITTED");
  const refusal = computed(() => {
    const problem = refused.value && !submitted.value ? submitProblem(groups.value, labels) : null;
    return problem ? `Not submitted: ${problem}` : null;
  });
  const editable = computed(() => ready.value && canAnnotate.value && !submitted.value && !locked.value);
  /** May start a revision of their submitted reading. */
  const canRevise = computed(() => canAnnotate.value && !locked.value);
  const rois = computed<Roi[]>(() => {
    const live = layer.rois.value;
    if (live.length) return live;
    // Before the layer's first sync, and for a version submitted before layers existed: the stored regions.
    return !layer.loaded.value || submitted.value ? storedRois.value : live;
  });
  // A draft whose regions were saved before layers existed: they move into the (empty) layer once.
  let seeded = false;
  watch([() => layer.loaded.value, ready], ([isLoaded, isReady]) => {
    if (seeded || !isLoaded || !isReady || !editable.value || annotation.value?.status !== "DRAFT") return;
    seeded = true;
    if (!layer.rois.value.length && storedRois.value.length) layer.seed(storedRois.value);
  });
  watch(layer.error, (e) => {
    if (e) error.value = e;
  });

  function adopt(a: ReadingAnnotationFragment | null) {
    annotation.value = a;
    refused.value = false;
    // A submitted version is final, and a revision starts from it: nothing before it is undone.
    layer.clearHistory();
    labels.clear();
    for (const l of a?.labels ?? []) if (!l.implicit) labels.set(l.labelId, { value: l.value, confidence: l.confidence ?? null });
    storedRois.value = (a?.rois ?? []).map((r) => ({
      id: r.id,
      classId: r.classId,
      kind: r.kind,
      points: r.points.map((p) => [p[0]!, p[1]!] as [number, number]),
      sopInstanceUid: r.sopInstanceUid,
      frame: r.frame,
      // Kept when these seed the layer: a region taken from a model stays one.
      ...(r.suggestedBy ? { suggestedBy: r.suggestedBy } : {}),
    }));
  }

  watch(
    () => query.result.value,
    (r) => {
      if (!r || ready.value) return;
      adopt(r.myAnnotation ?? null);
      ready.value = true;
    },
    { immediate: true },
  );
  watch(caseId, () => {
    // Another case: a new session and a fresh start.
    ready.value = false;
    seeded = false;
    sessionId = newId();
    clock = new ReadingClock(threshold.value);
    adopt(null);
  });
  watch(threshold, (t) => {
    if (!clock.isLoaded) clock = new ReadingClock(t);
  });

  function input(): AnnotationInput {
    const timing = clock.snapshot();
    return {
      labels: [...labels].map(([labelId, s]) => ({ labelId, value: s.value, confidence: s.confidence })),
      ...(timing
        ? {
            timing: {
              sessionId,
              loadedAt: timing.loadedAt,
              caseSeconds: timing.caseSeconds,
              clicks: timing.clicks,
              idleThresholdSeconds: timing.idleThresholdSeconds,
              labelClicks: timing.labelClicks,
              idle: timing.idle,
            },
          }
        : {}),
    };
  }

  // ---- autosave: one save in flight; changes during it schedule another
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<unknown> | null = null;
  let again = false;

  async function saveNow(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!editable.value) return;
    if (inFlight) {
      again = true;
      await inFlight;
      return;
    }
    saveState.value = "saving";
    const run = (async () => {
      try {
        const r = await saveDraft({ caseId: caseId.value, input: input() });
        const saved = r?.data?.saveDraft;
        if (saved) annotation.value = saved;
        saveState.value = "saved";
        error.value = null;
      } catch (err) {
        saveState.value = "failed";
        error.value = `Not saved: ${describeError(err).message}`;
      }
    })();
    inFlight = run;
    await run;
    inFlight = null;
    if (again) {
      again = false;
      await saveNow();
    }
  }

  function changed() {
    if (!editable.value) return;
    saveState.value = "pending";
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void saveNow(), AUTOSAVE_MS);
  }

  /** Sets a label; made present, the others of its group become not present in the same change (one save). Only the label set is clocked. */
  function setLabel(labelId: string, patch: Partial<LabelState>) {
    if (!editable.value) return;
    const [[, now], ...others] = withOneAnswer(labelId, patch, labels, groups.value) as [[string, LabelState], ...Array<[string, LabelState]>];
    labels.set(labelId, now);
    for (const [id, state] of others) labels.set(id, state);
    clock.label(labelId, now.value, now.confidence ?? 0);
    changed();
  }

  /** "None of them" in a group that takes no answer as one too: each of its labels not present. */
  function setNone(groupId: string) {
    const group = groups.value.find((g) => g.id === groupId);
    if (!editable.value || !group) return;
    const changes = noneOf(group, labels);
    if (!changes.length) return;
    for (const [id, state] of changes) labels.set(id, state);
    changed();
  }

  /** One of the viewer's ROI changes: into the layer at once (the server stores and projects it); the timing autosaves. */
  function changeRoi(change: RoiChange) {
    if (!editable.value) return;
    layer.apply(change);
    changed();
  }

  /** Several of the reader's ROI changes as one (one step to undo): regions taken from a model at once. */
  function changeRois(changes: readonly RoiChange[]) {
    if (!editable.value || !changes.length) return;
    layer.applyAll(changes);
    changed();
  }

  /** Undoes (or redoes) the reader's last ROI edit of this case while the draft is theirs to edit; false when there was none. */
  function undoRoi(): boolean {
    if (!editable.value || !layer.undo()) return false;
    changed();
    return true;
  }
  function redoRoi(): boolean {
    if (!editable.value || !layer.redo()) return false;
    changed();
    return true;
  }

  async function submit(): Promise<boolean> {
    if (!editable.value) return false;
    // A required group without its answer: the server would refuse; say so without asking it (the
    // message stays, whatever autosaves meanwhile, until the groups are answered).
    if (submitProblem(groups.value, labels)) {
      refused.value = true;
      return false;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    if (inFlight) await inFlight;
    saveState.value = "saving";
    // The submitted version takes the draft's regions as the server has them: every ROI edit must be stored first.
    if (!(await layer.flushed(10_000))) {
      saveState.value = "failed";
      error.value = "Not submitted: your regions are not saved yet (are you offline?). Try again.";
      return false;
    }
    try {
      const r = await submitAnnotation({ caseId: caseId.value, input: input() });
      if (r?.data?.submitAnnotation) adopt(r.data.submitAnnotation);
      saveState.value = "saved";
      error.value = null;
      return true;
    } catch (err) {
      saveState.value = "failed";
      error.value = `Not submitted: ${describeError(err).message}`;
      return false;
    }
  }

  async function revise(): Promise<void> {
    try {
      const r = await reviseAnnotation({ caseId: caseId.value });
      if (r?.data?.reviseAnnotation) adopt(r.data.reviseAnnotation);
      // The revision's time starts now: the image is already shown.
      sessionId = newId();
      clock = new ReadingClock(threshold.value);
      clock.loaded();
      error.value = null;
    } catch (err) {
      error.value = describeError(err).message;
    }
  }

  // Locked with a change not yet saved (the case was excluded or deleted meanwhile): it will not be.
  watch(locked, (isLocked) => {
    if (!isLocked || saveState.value !== "pending") return;
    if (timer) clearTimeout(timer);
    timer = null;
    saveState.value = "failed";
    error.value = "Not saved: the case can no longer be read here (excluded from the project, or deleted).";
  });
  // Leaving the page (or hiding it) saves what is pending.
  const onHide = () => {
    if (document.visibilityState === "hidden" && saveState.value === "pending") void saveNow();
  };
  document.addEventListener("visibilitychange", onHide);
  onBeforeUnmount(() => {
    document.removeEventListener("visibilitychange", onHide);
    if (saveState.value === "pending") void saveNow();
  });

  return {
    annotation,
    labels,
    rois,
    ready,
    editable,
    submitted,
    canAnnotate,
    canRevise,
    saveState,
    /** What went wrong last (a save, a submission), or why a submission was refused here while that holds. */
    error: computed(() => error.value ?? refusal.value),
    /** The image is completely loaded: the case's time starts. */
    loaded: () => clock.loaded(),
    activity: () => clock.activity(),
    click: () => clock.click(),
    setLabel,
    setNone,
    changeRoi,
    changeRois,
    undoRoi,
    redoRoi,
    /** Whether there is a ROI edit to undo or redo (only while the draft may be edited). */
    roiHistory: computed(() => (editable.value ? layer.history.value : { canUndo: false, canRedo: false })),
    /** The ROI layer's connection: connecting, synced, offline... */
    roiSync: layer.status,
    saveNow,
    submit,
    revise,
    loadError: computed(() => (query.error.value ? describeError(query.error.value).message : null)),
  };
}

export type Reading = ReturnType<typeof useReading>;
