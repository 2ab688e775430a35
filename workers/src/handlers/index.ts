import type { JobHandlers } from "@concord/server/jobs/registry";
import { inferCase } from "./ai.infer.js";
import { recheckCertifications } from "./education.recheck.js";
import { inferProject } from "./ai.infer-batch.js";
import { trainModel } from "./ai.train.js";
import { validateModel } from "./ai.validate-model.js";
import { runExport } from "./export.run.js";
import { checkLedgerAnchor } from "./ledger.anchor-check.js";
import { anchorLedger } from "./ledger.anchor.js";
import { purgeExpired } from "./maintenance.purge-expired.js";
import { runRewardEpoch } from "./rewards.epoch.js";

// One handler per job name in the registry; the server and `concord worker` both check the map at startup.
export const handlers: JobHandlers = {
  "maintenance.purgeExpired": purgeExpired,
  "ledger.anchor": anchorLedger,
  "ledger.anchorCheck": checkLedgerAnchor,
  "export.run": runExport,
  "ai.validateModel": validateModel,
  "ai.infer": inferCase,
  "ai.inferBatch": inferProject,
  "ai.train": trainModel,
  "rewards.epoch": runRewardEpoch,
  "education.recheck": recheckCertifications,
};
