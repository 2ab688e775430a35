import path from "node:path";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { AccountsService } from "./modules/accounts/accounts.service.js";
import { AdminService } from "./modules/accounts/admin.service.js";
import { SsoService } from "./modules/accounts/sso.service.js";
import { InvitationsService } from "./modules/projects/invitations.service.js";
import { createMailer } from "./platform/mail.js";
import { threadedCompute, type Compute } from "./compute/compute.js";
import { inProcessCompute, threadCompute } from "./modules/ai/ai.compute.js";
import { AiService } from "./modules/ai/ai.service.js";
import { AnnotationsService } from "./modules/annotations/annotations.service.js";
import { AssignmentsService } from "./modules/assignments/assignments.service.js";
import { CasesService } from "./modules/cases/cases.service.js";
import { CollabService } from "./modules/collab/collab.service.js";
import { DeletionsService } from "./modules/deletions/deletions.service.js";
import { EducationService } from "./modules/education/education.service.js";
import { ExportsService } from "./modules/exports/exports.service.js";
import { SrImportService } from "./modules/exports/sr-import.service.js";
import { PresenceService } from "./modules/collab/presence.service.js";
import { ImagesService, type Preparer } from "./modules/images/images.service.js";
import type { LedgerKeys } from "./modules/ledger/keys.js";
import { AnchorService } from "./modules/ledger/anchor.service.js";
import { LedgerService } from "./modules/ledger/ledger.service.js";
import { PacsService } from "./modules/pacs/pacs.service.js";
import { ProjectsService } from "./modules/projects/projects.service.js";
import { RewardsService } from "./modules/rewards/epochs.service.js";
import { ReviewService } from "./modules/review/review.service.js";
import { CosmosAnchor } from "./platform/cosmos/cosmos-anchor.js";
import { DimseClient } from "./platform/dimse/client.js";
import type { Database } from "./platform/database/index.js";
import type { Bus } from "./platform/pubsub/bus.js";
import type { Queue } from "./platform/queue/queue.js";
import type { SecretBox } from "./platform/secrets.js";
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
  /** Seals credentials stored for other systems (external stores). */
  secrets: SecretBox;
}

export interface Services {
  accounts: AccountsService;
  /** The server's accounts, for its administrators and `concord user`. */
  admin: AdminService;
  /** Single sign-on with an OpenID Connect provider; null when OIDC_ISSUER is unset. */
  sso: SsoService | null;
  /** Invitations into projects by e-mail address. */
  invitations: InvitationsService;
  projects: ProjectsService;
  images: ImagesService;
  cases: CasesService;
  pacs: PacsService;
  annotations: AnnotationsService;
  /** Managers' assignments of cases to readers. */
  assignments: AssignmentsService;
  /** Deleting cases for good, with their images. */
  deletions: DeletionsService;
  collab: CollabService;
  presence: PresenceService;
  ledger: LedgerService;
  /** Anchors of signed heads on a chain (Cosmos when COSMOS_RPC_URL is set). */
  ledgerAnchors: AnchorService;
  exports: ExportsService;
  /** Importing DICOM Measurement Report SRs as annotations. */
  srImport: SrImportService;
  /** Review mode: agreement, heatmap, adjudication, comments (issue 8). */
  review: ReviewService;
  rewards: RewardsService;
  /** Model registry, inference and training (issue 6). */
  ai: AiService;
  /** Education mode: gold standard, trainees' feedback, score and certification (issue 8). */
  education: EducationService;
  /** The worker threads for pure CPU work; closed with the process. */
  compute: Compute;
  /** WADO-RS rendered frames, on a thread of their own: a viewer's thumbnails do not wait behind an export or an epoch. */
  rendering: Compute;
}

export function createServices(p: Platform): Services {
  const ledger = new LedgerService(p.db, p.ledgerKeys);
  const images = new ImagesService(p.db, p.bus, p.store, p.ingest.prepare, p.log, ledger, p.secrets, { maxArchiveBytes: 4 * p.config.uploads.maxBytes });
  const { dicom } = p.config;
  const projects = new ProjectsService(p.db, p.bus, ledger);
  const mailer = createMailer(p.config.mail);
  const accounts = new AccountsService(p.db, p.config, ledger, mailer, p.log);
  const education = new EducationService(p.db, projects, p.queue, p.log);
  // Excluding a case changes what a trainee's score is over.
  const annotations = new AnnotationsService(p.db, p.bus, ledger, (projectId) => education.goldChanged(projectId));
  const collab = new CollabService(p.db, p.bus, annotations, p.log);
  // Pure CPU work (statistics, reward policies) on a worker thread, whichever process asks.
  const compute = threadedCompute();
  const exports = new ExportsService(p.db, p.bus, p.queue, annotations, collab, ledger, path.join(p.config.dataDir, "exports"), p.log, compute, (projectId, key) => images.fileAt(projectId, key));
  // One adapter for anchors and payouts: it sends one transaction at a time (one account sequence).
  const cosmos = p.config.cosmos ? new CosmosAnchor(p.config.cosmos) : null;
  return {
    accounts,
    admin: new AdminService(p.db, p.config, ledger, mailer, p.log),
    sso: p.config.sso ? new SsoService(p.db, p.config, p.config.sso, accounts, ledger, p.secrets, p.log) : null,
    invitations: new InvitationsService(p.db, p.config, projects, accounts, ledger, mailer, p.log),
    projects,
    images,
    cases: new CasesService(p.db),
    pacs: new PacsService(p.db, images, new DimseClient(dicom.aeTitle), p.log, {
      aeTitle: dicom.aeTitle,
      scpEnabled: dicom.port > 0,
      maxBytes: p.config.uploads.maxBytes,
    }, p.bus),
    annotations,
    assignments: new AssignmentsService(p.db, p.bus, ledger),
    collab,
    education,
    presence: new PresenceService(p.db, p.bus),
    ledger,
    compute,
    rendering: threadedCompute(),
    review: new ReviewService(p.db, p.bus, ledger, compute, (projectId) => education.goldChanged(projectId)),
    srImport: new SrImportService(p.db, annotations, p.log, compute),
    exports,
    // Deleting cases changes what a trainee's score is over, as excluding them does.
    deletions: new DeletionsService(p.db, p.bus, ledger, images, exports, p.log, (projectId) => education.goldChanged(projectId)),
    // Embedded, jobs run in the API process: the AI's CPU work goes to worker threads there.
    ai: new AiService(p.db, p.bus, p.queue, images, ledger, collab, p.queue.kind === "memory" ? threadCompute() : inProcessCompute, p.log),
    ledgerAnchors: new AnchorService(p.db, cosmos, p.queue, p.log),
    rewards: new RewardsService(p.db, p.bus, p.queue, ledger, cosmos && p.config.cosmos ? { chain: p.config.cosmos, sender: cosmos } : null, p.log, compute),
  };
}
