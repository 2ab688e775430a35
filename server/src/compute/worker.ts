import { TASKS, type TaskName } from "./tasks.js";

// The worker-thread side of threadedCompute: one task per call.
export default function computeTask({ name, args }: { name: TaskName; args: unknown[] }): unknown {
  return (TASKS[name] as (...a: unknown[]) => unknown)(...args);
}
