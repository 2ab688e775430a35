import { useQuery } from "@vue/apollo-composable";
import { computed, watch, type Ref } from "vue";
import { EducationProjectModeDocument, TrainingFeedbackDocument } from "../generated/graphql";
import type { ShownRoi } from "../viewer/roi";

/** A gold region as the viewer shows it: read-only, named "Gold" like another reader's. */
export interface GoldRoi extends ShownRoi {
  readerId: "gold";
  readerName: "Gold";
}

/**
 * Education mode on the case page: once the reader has submitted the case (the server refuses
 * before), their answers against the gold, the gold regions and their running score. `submittedKey`
 * changes with each submission (annotation id and status), so a new submission refetches.
 */
export function useTrainingFeedback(caseId: Ref<string>, projectId: Ref<string>, submitted: Ref<boolean>, submittedKey: Ref<string>) {
  const mode = useQuery(EducationProjectModeDocument, () => ({ projectId: projectId.value }));
  const isEducation = computed(() => mode.result.value?.project?.mode === "EDUCATION");
  const enabled = computed(() => isEducation.value && submitted.value);
  const query = useQuery(TrainingFeedbackDocument, () => ({ caseId: caseId.value }), () => ({ enabled: enabled.value, fetchPolicy: "network-only" }));
  watch(submittedKey, () => {
    if (enabled.value) void query.refetch();
  });
  const feedback = computed(() => (enabled.value ? (query.result.value?.trainingFeedback ?? null) : null));
  const goldRois = computed<GoldRoi[]>(() =>
    (feedback.value?.goldRois ?? []).map((r) => ({
      id: `gold:${r.id}`,
      classId: r.classId,
      kind: r.kind,
      points: r.points.map((p) => [p[0] ?? 0, p[1] ?? 0] as [number, number]),
      sopInstanceUid: r.sopInstanceUid,
      frame: r.frame,
      readOnly: true,
      readerId: "gold",
      readerName: "Gold",
    })),
  );
  return { isEducation, feedback, goldRois, loading: query.loading, error: query.error };
}
