// Prints vitest's JSON report as one plain closing line: "vitest: N passed, N failed, N skipped".
import fs from "node:fs";

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error(`vitest report ${file ?? "(none)"} not found`);
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
