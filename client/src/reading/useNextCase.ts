import { useMutation } from "@vue/apollo-composable";
import { ref } from "vue";
import { useRouter } from "vue-router";
import { NextCaseDocument } from "../generated/graphql";
import { describeError } from "../graphql/errors";
import { preloadCase } from "../viewer/casePreload";

/** "Next case": asks the server's reading queue for a case that still needs this reader, and opens it. */
export function useNextCase() {
  const router = useRouter();
  const { mutate } = useMutation(NextCaseDocument);
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
        message.value = "No case needs you now: every case has its readers, or you have read it.";
      }
    } catch (err) {
      message.value = describeError(err).message;
    } finally {
      busy.value = false;
    }
  }

  return { next, busy, message };
}
