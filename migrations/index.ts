// Every migration, in order. Migrations are never edited after they land; add a new file instead.
import { Foundation1764316800000 } from "./1764316800000-Foundation.js";
import { Imaging1764400000000 } from "./1764400000000-Imaging.js";
import { DicomPeers1764500000000 } from "./1764500000000-DicomPeers.js";
import { ExternalStores1764500001000 } from "./1764500001000-ExternalStores.js";
import { CaseKeys1764550000000 } from "./1764550000000-CaseKeys.js";
import { Annotations1764600000000 } from "./1764600000000-Annotations.js";
import { Collab1764700000000 } from "./1764700000000-Collab.js";
import { Ledger1764800000000 } from "./1764800000000-Ledger.js";
import { LedgerAnchors1764900000000 } from "./1764900000000-LedgerAnchors.js";
import { Exports1765000000000 } from "./1765000000000-Exports.js";
import { Models1765100000000 } from "./1765100000000-Models.js";
import { Review1765200000000 } from "./1765200000000-Review.js";
import { Rewards1765300000000 } from "./1765300000000-Rewards.js";
import { Education1765400000000 } from "./1765400000000-Education.js";
import { QueueOrder1765500000000 } from "./1765500000000-QueueOrder.js";
import { PayoutAddresses1765600000000 } from "./1765600000000-PayoutAddresses.js";
import { SegmentationModels1765700000000 } from "./1765700000000-SegmentationModels.js";
import { RoiSuggestions1765800000000 } from "./1765800000000-RoiSuggestions.js";
import { SeriesPredictions1765900000000 } from "./1765900000000-SeriesPredictions.js";
import { PointRois1766000000000 } from "./1766000000000-PointRois.js";
import { CaseSkips1766100000000 } from "./1766100000000-CaseSkips.js";
import { LineRois1766200000000 } from "./1766200000000-LineRois.js";
import { EducationTolerance1766300000000 } from "./1766300000000-EducationTolerance.js";
import { CaseExclusions1766400000000 } from "./1766400000000-CaseExclusions.js";
import { LabelGroups1766500000000 } from "./1766500000000-LabelGroups.js";
import { Accounts1766600000000 } from "./1766600000000-Accounts.js";

export const migrations = [Foundation1764316800000, Imaging1764400000000, DicomPeers1764500000000, ExternalStores1764500001000, CaseKeys1764550000000, Annotations1764600000000, Collab1764700000000, Ledger1764800000000, LedgerAnchors1764900000000, Exports1765000000000, Models1765100000000, Review1765200000000, Rewards1765300000000, Education1765400000000, QueueOrder1765500000000, PayoutAddresses1765600000000, SegmentationModels1765700000000, RoiSuggestions1765800000000, SeriesPredictions1765900000000, PointRois1766000000000, CaseSkips1766100000000, LineRois1766200000000, EducationTolerance1766300000000, CaseExclusions1766400000000, LabelGroups1766500000000, Accounts1766600000000];
