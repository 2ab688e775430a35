import type { JobHandlers } from "@concord/server/jobs/registry";
import { runExport } from "./export.run.js";
import { checkLedgerAnchor } from "./ledger.anchor-check.js";
import { anchorLedger } from "./ledger.anchor.js";
import { purgeExpired } from "./maintenance.purge-expired.js";

// One handler per job name in the registry; the server and `concord worker` both check the map at startup.
export const handlers: JobHandlers = {
  "maintenance.purgeExpired": purgeExpired,
  "ledger.anchor": anchorLedger,
  "ledger.anchorCheck": checkLedgerAnchor,
  "export.run": runExport,
};
