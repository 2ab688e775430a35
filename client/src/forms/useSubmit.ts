import { computed, ref } from "vue";
import { describeError, type ProblemReport } from "../graphql/errors";

/**
 * The state of one form talking to the server: busy while a request runs, then the server's
 * problems, split into a message for the form and messages for the named fields.
 */
export function useSubmit(formFields: readonly string[]) {
  const busy = ref(false);
  const problem = ref<ProblemReport | null>(null);

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    problem.value = null;
    try {
      return await action();
    } catch (error) {
      problem.value = describeError(error, formFields);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  /** Problems found before asking the server, shown the same way. */
  function reject(fields: Record<string, string>): void {
    problem.value = { message: "Please correct the fields marked below.", code: "BAD_USER_INPUT", fields };
  }

  return {
    busy,
    run,
    reject,
    clear: () => (problem.value = null),
    message: computed(() => problem.value?.message ?? null),
    fieldError: (name: string) => problem.value?.fields[name],
  };
}
