import { useMutation, useQuery, useSubscription } from "@vue/apollo-composable";
import { computed, onBeforeUnmount, reactive, ref, watch, type Ref } from "vue";
import {
  AiJobUpdatesDocument,
  CasePredictionsDocument,
  PredictionHeatmapDocument,
  PredictionRegionsDocument,
  ProjectModelsDocument,
  RunModelDocument,
  type AiJobFieldsFragment,
} from "../generated/graphql";
import { describeError } from "../graphql/errors";
import type { ViewerOverlay } from "../viewer/CaseViewer.vue";
import type { Roi, ShownRoi } from "../viewer/roi";
import { formatOutput } from "./overlay";
import { labelSlices } from "./slices";
import { useKeptChoice } from "../choice";
import { readyVersions } from "./readyVersions";
import { coveredSuggestions, heldSuggestions, overAnnotationLimits, suggestionShapes, suggestionShown, suggestionsOf, type SuggestedRegion } from "./regions";
import { newId } from "../ids";

/** How often the page asks again while a run is out, in case the job's last event was missed. */
const POLL_MS = 2000;

/** Where a segmentation model's suggested regions go when the reader takes them: their own regions. */
export interface OwnRegions {
  /** The reader may edit their annotation of this case now (as for drawing). */
  editable: Ref<boolean>;
  /** The reader's own regions now: what is added must fit beside them in one annotation. */
  current: Ref<readonly Roi[]>;
  /** Adds some of the reader's own ROIs, as new ones drawn in the viewer would be, as one step (one undo takes them all back). */
  add(rois: Roi[]): void;
}

/**
 * AI suggestions on the case page (issue 6): the project's READY model versions, a run of the
 * chosen one on this case (answered while the reader waits: the job is followed on aiJobUpdates),
 * its stored prediction, one label's heatmap as a viewer overlay, and a segmentation model's
 * suggested regions drawn over the image. Suggestions are shown beside the reader's annotation and
 * never written into it, except the regions the reader takes with `addRegions`.
 */
export function useCaseAi(
  caseId: Ref<string>,
  projectId: Ref<string>,
  imageSize: Ref<{ columns: number | null; rows: number | null; sopInstanceUid: string | null }>,
  own: OwnRegions,
) {
  const models = useQuery(ProjectModelsDocument, () => ({ projectId: projectId.value }), { fetchPolicy: "cache-and-network" });
  const versions = computed(() => readyVersions(models.result.value?.models));
  const available = computed(() => versions.value.length > 0);
  const versionId = useKeptChoice(versions);
  const chosen = computed(() => versions.value.find((v) => v.id === versionId.value) ?? null);

  const predictionsQuery = useQuery(CasePredictionsDocument, () => ({ caseId: caseId.value }), () => ({ enabled: available.value, fetchPolicy: "cache-and-network" }));
  const prediction = computed(() => (predictionsQuery.result.value?.casePredictions ?? []).find((p) => p.modelVersionId === versionId.value && p.caseId === caseId.value) ?? null);
  // Opening a case shows what a model already said about it: when the chosen version has no stored
  // prediction here and another has, the one that predicted last is chosen, once per case (a
  // version the reader picks afterwards stays picked).
  let openedOn: string | null = null;
  watch(
    () => [predictionsQuery.result.value?.casePredictions, predictionsQuery.loading.value, versions.value] as const,
    ([stored, loading]) => {
      if (!stored || loading || openedOn === caseId.value) return;
      openedOn = caseId.value;
      const here = stored.filter((p) => p.caseId === caseId.value && versions.value.some((v) => v.id === p.modelVersionId));
      if (!here.length || here.some((p) => p.modelVersionId === versionId.value)) return;
      versionId.value = here.reduce((a, b) => (b.createdAt > a.createdAt ? b : a)).modelVersionId;
    },
    { immediate: true },
  );
  /** A segmentation model's: its outputs are each label's share of the image, and it suggests regions. */
  const isSegmentation = computed(() => prediction.value?.task === "SEGMENTATION");
  const suggestions = computed(() => {
    const p = prediction.value;
    if (!p) return [];
    const slices = labelSlices(p);
    return p.outputs.map((o, k) => ({
      label: o.label,
      value: o.value,
      text: formatOutput(o.value, p.task),
      /** Bar width in percent; null for regression values (no fixed scale) and segmentation shares (not a likelihood). */
      bar: p.task === "REGRESSION" || p.task === "SEGMENTATION" ? null : Math.round(Math.min(1, Math.max(0, o.value)) * 100),
      /** On a case of several images: the label's output on each, and the image it is strongest on. */
      slices: slices[k] ?? null,
    }));
  });
  /** Suggestion text by label name (lower case), for a badge beside the reader's own classification label; a segmentation label is an ROI class, not one of those. */
  const byLabelName = computed(() => new Map(isSegmentation.value ? [] : suggestions.value.map((s) => [s.label.trim().toLowerCase(), s.text])));

  // ---- running the chosen version on this case
  const job = ref<AiJobFieldsFragment | null>(null);
  const runError = ref<string | null>(null);
  const running = computed(() => !!job.value && (job.value.status === "QUEUED" || job.value.status === "RUNNING"));
  const runMutation = useMutation(RunModelDocument);
  let poll: ReturnType<typeof setInterval> | null = null;
  const stopPoll = () => {
    if (poll) clearInterval(poll);
    poll = null;
  };
  onBeforeUnmount(stopPoll);

  async function settle(state: AiJobFieldsFragment) {
    job.value = state;
    if (state.status === "DONE") {
      stopPoll();
      await predictionsQuery.refetch();
    } else if (state.status === "FAILED") {
      stopPoll();
      runError.value = `The model could not run on this case: ${state.message ?? "unknown error"}`;
    }
  }

  async function run() {
    const id = versionId.value;
    if (!id) return;
    runError.value = null;
    try {
      const r = await runMutation.mutate({ caseId: caseId.value, modelVersionId: id });
      const state = r?.data?.runModel;
      if (!state) return;
      // An event may have overtaken the answer: keep the later state.
      if (job.value?.jobId !== state.jobId || !["DONE", "FAILED"].includes(job.value.status)) await settle(state);
      if (running.value) {
        stopPoll();
        poll = setInterval(() => {
          void predictionsQuery.refetch()?.then((res) => {
            if (running.value && res.data.casePredictions.some((p) => p.modelVersionId === id && p.caseId === caseId.value)) {
              void settle({ ...job.value!, status: "DONE", progress: 100 });
            }
          });
        }, POLL_MS);
      }
    } catch (err) {
      runError.value = describeError(err).message;
    }
  }

  const updates = useSubscription(AiJobUpdatesDocument, () => ({ projectId: projectId.value }));
  updates.onResult((r) => {
    const state = r.data?.aiJobUpdates;
    if (!state) return;
    // A model that became READY (or a new trained one) shows up in the version list.
    if ((state.kind === "VALIDATE" || state.kind === "TRAIN") && state.status === "DONE") void models.refetch();
    if (state.kind === "INFER" && state.caseId === caseId.value && (state.jobId === job.value?.jobId || (state.status === "DONE" && state.modelVersionId === versionId.value))) {
      void settle(state);
    }
  });

  watch([caseId, versionId], () => {
    stopPoll();
    job.value = null;
    runError.value = null;
  });

  // ---- the heatmap of one label, as a viewer overlay
  const heatmapLabel = ref<string | null>(null);
  const heatmapOn = ref(false);
  /** 0 to 100. */
  const opacity = ref(60);
  watch(
    () => prediction.value?.outputs.map((o) => o.label) ?? [],
    (labels) => {
      if (!heatmapLabel.value || !labels.includes(heatmapLabel.value)) heatmapLabel.value = labels[0] ?? null;
    },
    { immediate: true },
  );
  const canHeatmap = computed(() => !!prediction.value && prediction.value.heatmapMethod !== "none");
  const heatmapQuery = useQuery(
    PredictionHeatmapDocument,
    () => ({ caseId: caseId.value, modelVersionId: versionId.value ?? "", label: heatmapLabel.value ?? "" }),
    () => ({ enabled: heatmapOn.value && canHeatmap.value && !!heatmapLabel.value }),
  );
  const heatmap = computed(() => {
    const h = heatmapQuery.result.value?.predictionHeatmap ?? null;
    return h && heatmapOn.value && h.caseId === caseId.value && h.modelVersionId === versionId.value && h.label === heatmapLabel.value ? h : null;
  });
  const heatmapError = computed(() => (heatmapQuery.error.value ? describeError(heatmapQuery.error.value).message : null));
  // The map lies over the image it was made on (on a series, the label's strongest slice); the
  // case's size is known for its first image, and the viewer works out another's.
  const overlay = computed<ViewerOverlay | null>(() => {
    const h = heatmap.value;
    if (!h) return null;
    const sop = h.sopInstanceUid ?? imageSize.value.sopInstanceUid;
    const first = sop === imageSize.value.sopInstanceUid;
    return {
      src: h.pngDataUrl,
      opacity: opacity.value / 100,
      columns: first ? imageSize.value.columns : null,
      rows: first ? imageSize.value.rows : null,
      sopInstanceUid: sop,
      frame: h.frame ?? null,
      label: `Heatmap of ${h.label} (${methodName(h.method)})`,
    };
  });

  // ---- a segmentation model's suggested regions, over the image and into the reader's own regions
  const regionsOn = ref(true);
  const regionsQuery = useQuery(
    PredictionRegionsDocument,
    () => ({ caseId: caseId.value, modelVersionId: versionId.value ?? "" }),
    () => ({ enabled: isSegmentation.value, fetchPolicy: "cache-and-network" }),
  );
  // A new run replaces the stored regions: ask again.
  watch(
    () => prediction.value?.createdAt,
    (now, before) => {
      if (now && before && now !== before && isSegmentation.value) void regionsQuery.refetch();
    },
  );
  const regionSet = computed(() => {
    const r = regionsQuery.result.value?.predictionRegions ?? null;
    return r && isSegmentation.value && r.caseId === caseId.value && r.modelVersionId === versionId.value ? r : null;
  });
  const regions = computed<SuggestedRegion[]>(() => regionSet.value?.regions ?? []);
  const fetchError = computed(() => (regionsQuery.error.value ? describeError(regionsQuery.error.value).message : null));
  /**
   * Regions taken into the reader's own this visit: regionKey → the id of the ROI it became. Each
   * is taken once, even if the reader deletes it after; only an undo of the add offers it again.
   */
  const taken = reactive(new Map<string, string>());
  /** Why the last add took nothing (the annotation would hold too much); cleared by the next add. */
  const addError = ref<string | null>(null);
  watch(caseId, () => {
    taken.clear();
    addError.value = null;
  });
  /** Each region's key and the ROI it is taken as: once per prediction, not on every edit of the reader's regions. */
  const suggested = computed(() => (regionSet.value ? suggestionsOf(regions.value, regionSet.value.modelVersionId) : []));
  const shapes = computed(() => suggestionShapes(suggested.value));
  /** Taken: this visit, or before (the reader's regions hold them, unchanged). */
  const takenKeys = computed(() => {
    const versionId = regionSet.value?.modelVersionId;
    return versionId ? new Set([...taken.keys(), ...heldSuggestions(shapes.value, own.current.value, versionId)]) : new Set(taken.keys());
  });
  /** Not taken, but where the reader has a region of the class already (drawn, or taken from another model): adding them would duplicate it. */
  const covered = computed(() => coveredSuggestions(suggested.value, own.current.value, takenKeys.value));
  /** Each label's regions: how many, whether its name is an ROI class, how many are taken, covered by the reader's own, and how many may still be taken. */
  const regionLabels = computed(() =>
    (prediction.value?.outputs ?? []).map(({ label }) => {
      const mine = suggested.value.filter((s) => s.region.label === label);
      return {
        label,
        count: mine.length,
        matched: !regionSet.value?.unmatchedLabels.includes(label) && mine.every((s) => !!s.region.roiClassId),
        taken: mine.filter((s) => takenKeys.value.has(s.key)).length,
        covered: mine.filter((s) => covered.value.has(s.key)).length,
        open: mine.filter((s) => !takenKeys.value.has(s.key) && !covered.value.has(s.key) && s.roi !== null).length,
      };
    }),
  );
  const openRegions = computed(() => regionLabels.value.reduce((n, l) => n + l.open, 0));
  const takenRegions = computed(() => regionLabels.value.reduce((n, l) => n + l.taken, 0));
  const coveredRegions = computed(() => regionLabels.value.reduce((n, l) => n + l.covered, 0));
  /**
   * Takes the label's regions (all labels' without one) into the reader's own, each as a new ROI
   * of its class, as if drawn; those taken already (this visit, or held unchanged from before),
   * those where the reader has a region of the class already, and those without a class are left.
   */
  function addRegions(label?: string) {
    addError.value = null;
    // Each taken region names the model version its regions were fetched for (suggestionsOf).
    if (!own.editable.value) return;
    const adding: Array<{ key: string; roi: Roi }> = [];
    const already = takenKeys.value;
    const coveredKeys = covered.value;
    for (const { region, key, roi } of suggested.value) {
      if ((label !== undefined && region.label !== label) || already.has(key) || coveredKeys.has(key) || !roi) continue;
      adding.push({ key, roi: { ...roi, id: newId() } });
    }
    // All or nothing: the server refuses an annotation over its limits, and would drop them all.
    addError.value = overAnnotationLimits(own.current.value, adding.map((a) => a.roi));
    if (addError.value) return;
    for (const { key, roi } of adding) taken.set(key, roi.id);
    own.add(adding.map((a) => a.roi));
  }
  /** The reader undid the adding of these ROIs: their regions are suggestions again (a redo takes them back). */
  function forgetTaken(roiIds: ReadonlySet<string>) {
    for (const [key, id] of taken) if (roiIds.has(id)) taken.delete(key);
  }
  /** The suggestions drawn over the image: read-only, and gone once taken (the reader's own ROI is drawn there). */
  const suggestedRois = computed<ShownRoi[]>(() =>
    regionsOn.value
      ? suggested.value.flatMap(({ region, key }, i) => {
          if (takenKeys.value.has(key)) return [];
          const shown = suggestionShown(region, `suggestion:${versionId.value}:${i}`);
          return shown ? [shown] : [];
        })
      : [],
  );

  const loadError = computed(() => (models.error.value ? describeError(models.error.value).message : predictionsQuery.error.value ? describeError(predictionsQuery.error.value).message : null));

  return {
    available,
    versions,
    versionId,
    chosen,
    prediction,
    suggestions,
    byLabelName,
    job,
    running,
    run,
    runError,
    loadError,
    heatmapLabel,
    heatmapOn,
    opacity,
    canHeatmap,
    heatmap,
    heatmapLoading: heatmapQuery.loading,
    heatmapError,
    overlay,
    isSegmentation,
    regionsOn,
    regionSet,
    regionsLoading: regionsQuery.loading,
    regionsError: computed(() => addError.value ?? fetchError.value),
    regionLabels,
    openRegions,
    takenRegions,
    coveredRegions,
    canAddRegions: own.editable,
    addRegions,
    forgetTaken,
    suggestedRois,
  };
}

export type CaseAi = ReturnType<typeof useCaseAi>;

export const methodName = (method: string) => (method === "cam" ? "CAM" : method === "occlusion" ? "occlusion" : method);
