// Agreement, truth-inference and time statistics shared by the server and the workers.
// Pure functions only: no database, no I/O.
export {
  cohenKappa,
  cohenKappaCounts,
  cohenKappaCategorical,
  fleissKappa,
  fleissDetails,
  fleissFromTable,
  FleissAccumulator,
  type FleissResult,
  type KappaWeights,
} from "./kappa.js";
export {
  dawidSkene,
  dawidSkeneBinary,
  BINARY_SMOOTHING,
  type DawidSkeneVote,
  type DawidSkeneOptions,
  type DawidSkeneResult,
  type DawidSkeneBinaryResult,
} from "./dawid-skene.js";
export { krippendorffAlpha, krippendorffDetails, Coincidences, type AlphaMetric, type AlphaUnit, type AlphaResult } from "./krippendorff.js";
export {
  agreementStats,
  type AgreementVote,
  type AiCall,
  type AgreementStats,
  type AgreementReport,
  type PairKappa,
  type AiKappa,
  type CellMajority,
} from "./agreement.js";
export {
  studentTQuantile,
  studentTCdf,
  normalQuantile,
  incompleteBeta,
  logGamma,
  quantileSorted,
  summariseTimes,
  timeStats,
  type TimeSummary,
  type TimedVote,
  type TimeReport,
} from "./times.js";
export { roiMask, dice, iou, roiOverlap, type OverlapRoi, type RoiOverlap } from "./overlap.js";
export { matchPoints, matchingF1, meanDistance, medianDistance, mean, median, withinRadii, DEFAULT_POINT_TOLERANCE, SUCCESS_RADII_MM, type PointXY, type PointPair, type PointMatching, type WithinRadius } from "./points.js";
export { matchLines, lineLength, midpoint, blandAltman, lengthBlandAltman, type LineXY, type LinePair, type LineMatching, type BlandAltman, type LengthUnit } from "./lines.js";
export { rocCurve, delongAuc, aucInterval, type RocPoint, type AucEstimate } from "./roc.js";
export { consensusValues, majorityOf, groupAgreement, groupAnswers, groupCases, type ConsensusCount, type ChoiceGroupSpec, type GroupVote, type GroupPair, type GroupAgreement, type GroupAnswers, type GroupCaseAnswers } from "./groups.js";
