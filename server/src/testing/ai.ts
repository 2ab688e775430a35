// What the AI tests through the server share: the GraphQL documents for running models and
// following their jobs, the shapes they answer, and a poll for an outcome.

export const JOB = `jobId kind projectId status progress modelId modelVersionId caseId predictionId message`;
export const RUN = `mutation($caseId: ID!, $modelVersionId: ID!) { runModel(caseId: $caseId, modelVersionId: $modelVersionId) { ${JOB} } }`;
export const PREDICTIONS = `query($caseId: ID!) { casePredictions(caseId: $caseId) { id caseId modelVersionId modelName version task heatmapMethod outputs { label value } } }`;
export const UPDATES = `subscription($projectId: ID!) { aiJobUpdates(projectId: $projectId) { ${JOB} } }`;

export interface Job {
  jobId: string;
  kind: string;
  status: string;
  progress: number;
  modelVersionId: string | null;
  caseId: string | null;
  predictionId: string | null;
  message: string | null;
}

export interface Prediction {
  id: string;
  modelVersionId: string;
  modelName: string;
  task: string;
  heatmapMethod: string;
  outputs: Array<{ label: string; value: number }>;
}

/** Polls `probe` until it answers something truthy; throws naming `what` after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, ms = 30_000, what = "condition", every = 25): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
