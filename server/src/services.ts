import path from "node:path";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { AccountsService } from "./modules/accounts/accounts.service.js";
import { AnnotationsService } from "./modules/annotations/annotations.service.js";
import { CasesService } from "./modules/cases/cases.service.js";
import { CollabService } from "./modules/collab/collab.service.js";
import { ExportsService } from "./modules/exports/exports.service.js";
import { PresenceService } from "./modules/collab/presence.service.js";
import { ImagesService, type Preparer } from "./modules/images/images.service.js";
import type { LedgerKeys } from "./modules/ledger/keys.js";
import { AnchorService } from "./modules/ledger/anchor.service.js";
import { LedgerService } from "./modules/ledger/ledger.service.js";
import { PacsService } from "./modules/pacs/pacs.service.js";
import { ProjectsService } from "./modules/projects/projects.service.js";
import { CosmosAnchor } from "./platform/cosmos/cosmos-anchor.js";
import { DimseClient } from "./platform/dimse/client.js";
import type { Database } from "./platform/database/index.js";
import type { Bus } from "./platform/pubsub/bus.js";
import type { Queue } from "./platform/queue/queue.js";
import type { BlobStore } from "./platform/storage/store.js";

export interface Platform {
  config: Config;
  log: Logger;
  db: Database;
  bus: Bus;
  queue: Queue;
  store: BlobStore;
  /** Ingest's CPU work, on worker threads. */
  ingest: { prepare: Preparer; close(): Promise<void> };
  /** The ledger's signing and pseudonym keys. */
  ledgerKeys: LedgerKeys;
}

export interface Services {
  accounts: AccountsService;
  projects: ProjectsService;
  images: ImagesService;
  cases: CasesService;
  pacs: PacsService;
  annotations: AnnotationsService;
  collab: CollabService;
  presence: PresenceService;
  ledger: LedgerService;
  /** Anchors of signed heads on a chain (Cosmos when COSMOS_RPC_URL is set). */
  ledgerAnchors: AnchorService;
  exports: ExportsService;
}

export function createServices(p: Platform): Services {
  const ledger = new LedgerService(p.db, p.ledgerKeys);
  const images = new ImagesService(p.db, p.bus, p.store, p.ingest.prepare, p.log, ledger, { maxArchiveBytes: 4 * p.config.uploads.maxBytes });
  const { dicom } = p.config;
  const annotations = new AnnotationsService(p.db, p.bus, ledger);
  const collab = new CollabService(p.db, p.bus, annotations, p.log);
  return {
    accounts: new AccountsService(p.db, p.config),
    projects: new ProjectsService(p.db, p.bus, ledger),
    images,
    cases: new CasesService(p.db),
    pacs: new PacsService(p.db, images, new DimseClient(dicom.aeTitle), p.log, {
      aeTitle: dicom.aeTitle,
      scpEnabled: dicom.port > 0,
      maxBytes: p.config.uploads.maxBytes,
    }),
    annotations,
    collab,
    presence: new PresenceService(p.db, p.bus),
    ledger,
    exports: new ExportsService(p.db, p.bus, p.queue, annotations, collab, ledger, path.join(p.config.dataDir, "exports"), p.log),
    ledgerAnchors: new AnchorService(p.db, p.config.cosmos ? new CosmosAnchor(p.config.cosmos) : null, p.queue, p.log),
  };
}
