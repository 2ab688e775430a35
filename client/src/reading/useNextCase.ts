import { useApolloClient, useMutation } from "@vue/apollo-composable";
import { ref, type Ref } from "vue";
import { useRouter } from "vue-router";
import { NextCaseDocument, UpcomingCaseDocument } from "../generated/graphql";
import { describeError } from "../graphql/errors";
import { prefetchCase, preloadCase } from "../viewer/casePreload";

/**
 * "Next case": asks the server's reading queue for a case that still needs this reader, and opens it.
 * `assignedReading`: the project's readers read only their assigned cases (the empty queue says so).
 */
export function useNextCase(assignedReading: Ref<boolean> = ref(false)) {
  const router = useRouter();
  const { mutate } = useMutation(NextCaseDocument);
  const { resolveClient } = useApolloClient();
  const busy = ref(false);
  const message = ref<string | null>(null);

  async function next(projectId: string): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    message.value = null;
    try {
      const r = await mutate({ projectId });
      const assigned = r?.data?.nextCase;
      if (assigned) {
        // Its image starts loading now, while the case page opens (and shows it before its own query answers).
        const c = assigned.case;
        preloadCase({ projectId: c.projectId, studyInstanceUid: c.studyInstanceUid, seriesInstanceUid: c.seriesInstanceUid ?? null, sopInstanceUid: c.sopInstanceUid ?? null });
        await router.push(`/projects/${projectId}/cases/${c.id}`);
      } else {
        message.value = assignedReading.value
          ? "No case assigned to you is left to read: a manager assigns cases in this project."
          : "No case needs you now: every case has its readers, or you have read it.";
      }
    } catch (err) {
      message.value = describeError(err).message;
    } finally {
      busy.value = false;
    }
  }

  /**
   * While the reader reads `caseId`: asks which case "Next case" will probably hand them after it
   * (held for nobody: another reader may take it) and loads its image in the background, so that
   * it shows at once when they move on. Failing quietly: it only saves time.
   */
  async function loadAhead(projectId: string, caseId: string): Promise<void> {
    try {
      const r = await resolveClient().query({ query: UpcomingCaseDocument, variables: { projectId, after: caseId }, fetchPolicy: "network-only" });
      const c = r.data?.upcomingCase;
      if (c) prefetchCase({ projectId: c.projectId, studyInstanceUid: c.studyInstanceUid, seriesInstanceUid: c.seriesInstanceUid ?? null, sopInstanceUid: c.sopInstanceUid ?? null });
    } catch {
      // Not now (offline, no longer a reader): "Next case" loads it then.
    }
  }

  return { next, busy, message, loadAhead };
}
