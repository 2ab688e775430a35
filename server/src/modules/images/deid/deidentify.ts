/*
 * De-identification by the DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile,
 * optionally with the Retain Longitudinal Temporal Information With Modified Dates Option, applied
 * to a data set in dcmjs's denaturalized form ({"00100010": {vr, Value}}) before anything is
 * stored. Pure: no I/O, the input is not changed (binary values, e.g. Pixel Data, are shared with
 * the input rather than copied, and must be treated as read-only by both).
 *
 * What happens to an attribute, in this order:
 * 1. Private attributes (odd group, private creators included) are removed, at every depth
 *    (Table E.1-1 "Private attributes": X).
 * 2. Group lengths (gggg,0000) are removed: retired in data sets, and wrong once anything changes.
 * 3. Overlay groups 60xx are removed whole: the table removes Overlay Data and Overlay Comments,
 *    and an overlay plane without its data would make the data set inconsistent (E.1.1 step 2
 *    Note 1 makes IOD integrity the de-identifier's job). Curves (50xx) are removed by the table.
 * 4. Attributes listed in Table E.1-1 (profile-table.ts) get the table's action; under the option,
 *    the option's cell overrides the Basic Profile's ("A requirement for an Option ... overrides").
 * 5. Attributes the table does not list. The Standard leaves the design open ("remove what is
 *    known to be a risk, or retain only what is known to be safe", E.1.1 Note 5), says the table
 *    is the minimum (Note 4/5) and makes the de-identifier responsible for identifying information
 *    elsewhere (Note 1), suggesting to handle all dates and times by their VR (Note 4). Concord
 *    keeps them (K: image, geometry, equipment, codes, numbers) except these categories, decided
 *    by VR because they identify whatever attribute carries them:
 *    - DA, DT, TM: shifted under the option (DA and the date of DT; TM is a time of day, which a
 *      whole-day shift leaves as it is); without it removed at the top level, where the dates
 *      the common IODs require (study, series, content, acquisition, birth) are table rows
 *      anyway, and replaced by a dummy inside sequence items, where they are often Type 1 (SR
 *      DATE/TIME content items, the Frame Content macro).
 *    - PN: removed at the top level, dummy inside items, for the same reason.
 *    - UI: replaced (U) unless it names a class, transfer syntax, coding scheme or other
 *      non-instance entity (CLASS_UIDS), because E.1.1 step 5 requires every reference to another
 *      SOP Instance, at any depth, to be protected. UIDs defined by the Standard
 *      (1.2.840.10008.*, e.g. well-known frames of reference) are never replaced.
 *    - UN in a standard group: removed; the reader did not know what it holds.
 *    - kept text (LO, SH, ST, LT, UT, UC, and a DICOMDIR's Referenced File ID; not code items,
 *      which E.1.1 Note 10 deems safe) that contains a name, ID, institution or accession number
 *      that the profile removes or replaces elsewhere in the data set: emptied (Z), not edited,
 *      so kept text is never altered, and a Type 2 attribute stays present.
 *    - free text (ST, LT, UT, UC) inside a sequence whose action is D (Content Sequence, Graphic
 *      Annotation Sequence...): a dummy, since D protects the sequence "and all of its contents".
 * 6. Composite codes (Z/D, X/Z, X/D, X/Z/D, X/Z/U*) resolve by the attribute's Type in the IOD:
 *    Z/D is always D for dates and times and Z otherwise (Z itself allows a dummy value); the X
 *    codes keep the attribute (as Z, D or, for reference sequences, with replaced UIDs) only where
 *    Concord knows it to be Type 1 or 2 (requiredType below), otherwise remove it. Reference
 *    sequences (X/Z/U*) inside items are kept with replaced UIDs: there they belong to macros
 *    (Derivation Image, Referenced Image functional group) that require them, and a
 *    segmentation's link to its source images must survive.
 * 7. C (only in the option's column: dates and times) shifts DA and DT, keeps TM, and falls back to
 *    the Basic Profile action for anything that is not a date (Timezone Offset From UTC, an OB
 *    timestamp), since there is no value "of similar meaning" that is known not to identify.
 *
 * Patient ID and Patient's Name (Z in the table) receive the caller's pseudonym instead of an
 * empty value; the markers of E.1.1 step 6 and E.3.6 are set; File Meta Information is reduced to
 * what identifies the instance's class, its (replaced) instance UID and its transfer syntax.
 */
import { deriveDateShiftDays, shiftDate, shiftDateTime } from "./dates.js";
import { PRIVATE_ATTRIBUTES_ACTION, profileRow, type ProfileAction } from "./profile-table.js";
import { isStandardUid, normalizeUid, UidMapper } from "./uid.js";

/** One data element as dcmjs holds it. `_rawValue` is dcmjs's copy of the value as read. */
export interface DeidElement {
  vr: string;
  Value?: unknown[];
  _rawValue?: unknown[];
}
export type DeidDataset = Record<string, DeidElement>;

export interface DeidOptions {
  /** The project's secret: UIDs and date shifts derive from it, so they differ between projects. */
  projectKey: Uint8Array;
  /** Retain Longitudinal Temporal Information With Modified Dates Option (DCM 113107). */
  retainLongitudinalModifiedDates: boolean;
  /** With the option: days to move every date by; derived from projectKey and the original Patient ID when absent. */
  dateShiftDays?: number;
  /** Patient ID (0010,0020) of the result, e.g. the case key or a pseudonym. */
  replacementPatientId: string;
  /** Patient's Name (0010,0010) of the result; the replacement Patient ID when absent. */
  replacementPatientName?: string;
}

/** The action actually applied to an element, after composite codes are resolved. */
export type AppliedAction = "D" | "Z" | "X" | "K" | "C" | "U";

/** What de-identification did, for logs and the upload report: counts and tags, never values. */
export interface DeidReport {
  /** CID 7050 codes recorded in De-identification Method Code Sequence. */
  methodCodes: string[];
  /** Elements per applied action, at every depth (a kept sequence counts once, and its contents each). */
  counts: Record<AppliedAction, number>;
  privateAttributesRemoved: number;
  /** Kept-text attributes emptied because they contained a name or ID removed elsewhere. */
  textAttributesEmptiedForIdentifiers: number;
  uidsReplaced: number;
  /** Whether dates were shifted (the shift itself is a secret and is not reported). */
  datesShifted: boolean;
  /** "(GGGG,EEEE)" of every attribute removed anywhere, sorted, each once; private ones as "(GGGG,xxxx)". */
  removedTags: string[];
}

export interface DeidResult {
  meta: DeidDataset;
  dict: DeidDataset;
  report: DeidReport;
}

export const BASIC_PROFILE_CODE = { value: "113100", meaning: "Basic Application Confidentiality Profile" } as const;
export const RETAIN_LONGITUDINAL_MODIFIED_DATES_CODE = {
  value: "113107",
  meaning: "Retain Longitudinal Temporal Information Modified Dates Option",
} as const;

/** Dummy values (action D) by VR; dates far from any real acquisition so none is mistaken for one. */
export const DUMMY = {
  personName: "ANONYMOUS",
  text: "ANONYMIZED",
  date: "19000101",
  time: "000000",
  dateTime: "19000101000000",
  age: "000D",
} as const;

const MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";

// Tags used by name below.
const T = {
  specificCharacterSet: "00080005",
  sopClassUid: "00080016",
  sopInstanceUid: "00080018",
  imageType: "00080008",
  patientName: "00100010",
  patientId: "00100020",
  speciesDescription: "00102201",
  speciesCodeSequence: "00102202",
  patientIdentityRemoved: "00120062",
  deidentificationMethod: "00120063",
  deidentificationMethodCodeSequence: "00120064",
  longitudinalTemporalInformationModified: "00280303",
  approvalStatus: "300E0002",
  codeValue: "00080100",
  codingSchemeDesignator: "00080102",
  codeMeaning: "00080104",
  directoryRecordSequence: "00041220",
} as const;

/**
 * UI attributes the table does not list that name no instance, patient or organisation: SOP
 * classes, transfer syntaxes, coding schemes, context groups, mapping resources, software
 * versions, templates. Kept; every other unlisted UI attribute is replaced.
 */
const CLASS_UIDS = new Set([
  "00000002", // Affected SOP Class UID
  "00000003", // Requested SOP Class UID
  "00041510", // Referenced SOP Class UID in File
  "00041512", // Referenced Transfer Syntax UID in File
  "0004151A", // Referenced Related General SOP Class UID in File
  "00080016", // SOP Class UID
  "0008001A", // Related General SOP Class UID
  "0008001B", // Original Specialized SOP Class UID
  "00080062", // SOP Classes in Study
  "0008010C", // Coding Scheme UID
  "00080117", // Context UID
  "00080118", // Mapping Resource UID
  "0008040E", // Stored Instance Transfer Syntax UID
  "00081150", // Referenced SOP Class UID
  "0008115A", // SOP Classes Supported
  "00083002", // Available Transfer Syntax UID
  "00089123", // Creator-Version UID
  "00340003", // Flow Transfer Syntax UID
  "04000010", // MAC Calculation Transfer Syntax UID
  "04000510", // Encrypted Content Transfer Syntax UID
  "3010001F", // Segmentation Template UID
  "30100052", // Pertinent SOP Classes in Study
  "30100053", // Pertinent SOP Classes in Series
]);

/** Where the names, IDs and institutions a patient can be recognised by are; kept text must not repeat them. */
const IDENTITY_TAGS = new Set([
  "00080050", // Accession Number
  "00080080", // Institution Name
  "00080081", // Institution Address
  "00080090", // Referring Physician's Name
  "00080092", // Referring Physician's Address
  "00081040", // Institutional Department Name
  "00081048", // Physician(s) of Record
  "00081050", // Performing Physician's Name
  "00081060", // Name of Physician(s) Reading Study
  "00081070", // Operators' Name
  "00100010", // Patient's Name
  "00100020", // Patient ID
  "00101000", // Other Patient IDs
  "00101001", // Other Patient Names
  "00101005", // Patient's Birth Name
  "00101040", // Patient's Address
  "00101060", // Patient's Mother's Birth Name
  "00101090", // Medical Record Locator
  "00102154", // Patient's Telephone Numbers
  "00102297", // Responsible Person
  "00102299", // Responsible Organization
  "00321032", // Requesting Physician
  "00380010", // Admission ID
  "0040A123", // Person Name
]);
/** Code strings that are in fact names chosen by people: a DICOMDIR's file paths are often patient IDs. */
const SCRUBBED_CODE_STRINGS = new Set(["00041500"]); // Referenced File ID
/** Code items are safe by PS3.15 E.1.1 Note 10, and a code is no place for a name ("TEST" is a coding scheme). */
const CODE_ITEM_TAGS = new Set(["00080100", "00080102", "00080103", "00080104", "00080119", "00080120"]);
/** Shorter names and IDs ("MR", "G") would match ordinary words in kept text. */
const MIN_IDENTIFIER_LENGTH = 3;

const DATE_VRS = new Set(["DA", "DT", "TM"]);
const FREE_TEXT_VRS = new Set(["ST", "LT", "UT", "UC"]);
const KEPT_TEXT_VRS = new Set(["LO", "SH", "ST", "LT", "UT", "UC"]);
const BINARY_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "UN"]);
const NUMBER_VRS = new Set(["IS", "DS", "US", "SS", "UL", "SL", "FL", "FD", "UV", "SV"]);

// IODs whose Enhanced General Equipment, Enhanced image and Acquisition Context modules make
// Device Serial Number and Acquisition DateTime Type 1, Acquisition Context Sequence Type 2.
const ENHANCED_SOP_CLASSES = new Set([
  "1.2.840.10008.5.1.4.1.1.2.1", // Enhanced CT
  "1.2.840.10008.5.1.4.1.1.2.2", // Legacy Converted Enhanced CT
  "1.2.840.10008.5.1.4.1.1.4.1", // Enhanced MR
  "1.2.840.10008.5.1.4.1.1.4.2", // MR Spectroscopy
  "1.2.840.10008.5.1.4.1.1.4.3", // Enhanced MR Color
  "1.2.840.10008.5.1.4.1.1.4.4", // Legacy Converted Enhanced MR
  "1.2.840.10008.5.1.4.1.1.6.2", // Enhanced US Volume
  "1.2.840.10008.5.1.4.1.1.12.1.1", // Enhanced XA
  "1.2.840.10008.5.1.4.1.1.12.2.1", // Enhanced XRF
  "1.2.840.10008.5.1.4.1.1.13.1.1", // X-Ray 3D Angiographic
  "1.2.840.10008.5.1.4.1.1.13.1.2", // X-Ray 3D Craniofacial
  "1.2.840.10008.5.1.4.1.1.13.1.3", // Breast Tomosynthesis
  "1.2.840.10008.5.1.4.1.1.128.1", // Legacy Converted Enhanced PET
  "1.2.840.10008.5.1.4.1.1.130", // Enhanced PET
]);
// Segmentation and Parametric Map use the Enhanced General Equipment module too.
const ENHANCED_EQUIPMENT_SOP_CLASSES = new Set([
  ...ENHANCED_SOP_CLASSES,
  "1.2.840.10008.5.1.4.1.1.66.4", // Segmentation
  "1.2.840.10008.5.1.4.1.1.30", // Parametric Map
]);
// The PET Series module makes Series Date and Series Time Type 1.
const PET_SOP_CLASSES = new Set(["1.2.840.10008.5.1.4.1.1.128"]); // PET Image
// The Digital X-Ray IODs include the Acquisition Context module (its sequence Type 2).
const DIGITAL_X_RAY_SOP_CLASSES = new Set([
  "1.2.840.10008.5.1.4.1.1.1.1", // Digital X-Ray Image, For Presentation
  "1.2.840.10008.5.1.4.1.1.1.1.1", // Digital X-Ray Image, For Processing
  "1.2.840.10008.5.1.4.1.1.1.2", // Digital Mammography, For Presentation
  "1.2.840.10008.5.1.4.1.1.1.2.1", // Digital Mammography, For Processing
  "1.2.840.10008.5.1.4.1.1.1.3", // Digital Intra-Oral X-Ray, For Presentation
  "1.2.840.10008.5.1.4.1.1.1.3.1", // Digital Intra-Oral X-Ray, For Processing
]);
const RT_PLAN = "1.2.840.10008.5.1.4.1.1.481.5";
/** Structured reports and key object selections (1.2.840.10008.5.1.4.1.1.88.x): their series modules make Referenced Performed Procedure Step Sequence Type 2. */
const isStructuredDocument = (sop: string) => sop.startsWith("1.2.840.10008.5.1.4.1.1.88.");

/** De-identify one instance. Returns new meta and data set objects and a report without values. */
export function deidentify(file: { meta: DeidDataset; dict: DeidDataset }, options: DeidOptions): DeidResult {
  if (!options.replacementPatientId) throw new Error("replacementPatientId is required");
  const originalPatientId = firstString(file.dict[T.patientId]) ?? "";
  const shiftDays = options.retainLongitudinalModifiedDates
    ? (options.dateShiftDays ?? deriveDateShiftDays(options.projectKey, originalPatientId))
    : null;
  if (shiftDays !== null && !Number.isInteger(shiftDays)) throw new Error("dateShiftDays must be a whole number of days");

  const ctx: Context = {
    options,
    uids: new UidMapper(options.projectKey),
    shiftDays,
    sopClassUid: firstString(file.dict[T.sopClassUid]) ?? firstString(file.meta["00020002"]) ?? "",
    top: file.dict,
    identifiers: collectIdentifiers(file.dict),
    counts: { D: 0, Z: 0, X: 0, K: 0, C: 0, U: 0 },
    removed: new Set(),
    privateRemoved: 0,
    textRemoved: 0,
    uidsReplaced: 0,
  };

  const dict = deidentifyDataset(file.dict, ctx, { depth: 0, dummyText: false });
  const isDirectory = ctx.sopClassUid === MEDIA_STORAGE_DIRECTORY || T.directoryRecordSequence in file.dict;
  const methodCodes: string[] = [BASIC_PROFILE_CODE.value];
  if (shiftDays !== null) methodCodes.push(RETAIN_LONGITUDINAL_MODIFIED_DATES_CODE.value);
  if (!isDirectory) addMarkers(dict, file.dict, options, shiftDays !== null);

  return {
    meta: deidentifyMeta(file.meta, ctx),
    dict,
    report: {
      methodCodes,
      counts: ctx.counts,
      privateAttributesRemoved: ctx.privateRemoved,
      textAttributesEmptiedForIdentifiers: ctx.textRemoved,
      uidsReplaced: ctx.uidsReplaced,
      datesShifted: shiftDays !== null,
      removedTags: [...ctx.removed].sort().map((t) => `(${t.slice(0, 4)},${t.slice(4)})`),
    },
  };
}

interface Context {
  options: DeidOptions;
  uids: UidMapper;
  shiftDays: number | null;
  sopClassUid: string;
  /** The top-level data set as given, for the conditions that decide an attribute's Type. */
  top: DeidDataset;
  identifiers: string[];
  counts: Record<AppliedAction, number>;
  removed: Set<string>;
  privateRemoved: number;
  textRemoved: number;
  uidsReplaced: number;
}

interface Scope {
  depth: number;
  /** Inside a sequence whose action is D: its free text becomes a dummy too. */
  dummyText: boolean;
}

function deidentifyDataset(dataset: DeidDataset, ctx: Context, scope: Scope): DeidDataset {
  const out: DeidDataset = {};
  for (const [key, element] of Object.entries(dataset)) {
    const tag = key.toUpperCase();
    const result = deidentifyElement(tag, element, ctx, scope);
    if (result) out[key] = result;
  }
  return out;
}

function deidentifyElement(tag: string, element: DeidElement, ctx: Context, scope: Scope): DeidElement | undefined {
  const group = parseInt(tag.slice(0, 4), 16);
  const elementNumber = parseInt(tag.slice(4), 16);

  if (group % 2 === 1) {
    ctx.privateRemoved++;
    return apply(resolve(PRIVATE_ATTRIBUTES_ACTION, tag, element, ctx, scope), tag, element, ctx, scope);
  }
  if (elementNumber === 0) return apply("X", tag, element, ctx, scope);
  if (group >= 0x6000 && group <= 0x60ff) return apply("X", tag, element, ctx, scope);

  // Z in the table; the pseudonyms the caller chose are the "dummy" values Z allows, wherever the attributes occur.
  if (tag === T.patientName) return count(ctx, "D", { vr: "PN", Value: [{ Alphabetic: patientNameOf(ctx.options) }] });
  if (tag === T.patientId) return count(ctx, "D", { vr: "LO", Value: [ctx.options.replacementPatientId] });

  const row = profileRow(tag);
  if (row) {
    const optionCell = ctx.shiftDays !== null ? row.retainLongitudinalModifiedDates : undefined;
    const action = resolve(optionCell ?? row.basic, tag, element, ctx, scope);
    if (action === "C" && !canClean(element)) return apply(resolve(row.basic, tag, element, ctx, scope), tag, element, ctx, scope);
    return apply(action, tag, element, ctx, scope);
  }
  return apply(unlistedAction(tag, element, ctx, scope), tag, element, ctx, scope);
}

/** The action for an attribute Table E.1-1 does not list (see the header, step 5). */
function unlistedAction(tag: string, element: DeidElement, ctx: Context, scope: Scope): AppliedAction {
  const vr = element.vr;
  if (DATE_VRS.has(vr)) {
    if (ctx.shiftDays !== null) return vr === "TM" ? "K" : "C";
    return scope.depth === 0 ? "X" : "D";
  }
  if (vr === "PN") return scope.depth === 0 ? "X" : "D";
  if (vr === "UI") return CLASS_UIDS.has(tag) ? "K" : "U";
  if (vr === "UN") return "X";
  if (scope.dummyText && FREE_TEXT_VRS.has(vr)) return "D";
  return "K";
}

/** Resolves a table code to the action applied here (see the header, step 6). */
function resolve(code: ProfileAction, tag: string, element: DeidElement, ctx: Context, scope: Scope): AppliedAction {
  switch (code) {
    case "D":
    case "Z":
    case "X":
    case "K":
    case "C":
    case "U":
      return code;
    case "Z/D":
      return DATE_VRS.has(element.vr) ? "D" : "Z";
    case "X/Z":
      return scope.depth === 0 && requiredType(tag, ctx) === 2 ? "Z" : "X";
    case "X/D": {
      // The code weighs Type 1 against 3; a Type 2 attribute (RT Plan Date in an RT Plan) must stay
      // present, and empty says no more than absent.
      const type = scope.depth === 0 ? requiredType(tag, ctx) : 3;
      return type === 1 ? "D" : type === 2 ? "Z" : "X";
    }
    case "X/Z/D": {
      const type = scope.depth === 0 ? requiredType(tag, ctx) : 3;
      return type === 1 ? "D" : type === 2 ? "Z" : "X";
    }
    case "X/Z/U*": {
      if (scope.depth > 0) return "U";
      const type = requiredType(tag, ctx);
      return type === 1 ? "U" : type === 2 ? "Z" : "X";
    }
  }
}

/**
 * The Type (1, 2 or 3) of a top-level attribute with an X/... code in the IOD of this instance, as
 * far as Concord knows it (PS3.3); anything not known to be required is treated as Type 3.
 */
function requiredType(tag: string, ctx: Context): 1 | 2 | 3 {
  const sop = ctx.sopClassUid;
  switch (tag) {
    case "0008002A": // Acquisition DateTime: Type 1C in the enhanced image modules
    case "00181000": // Device Serial Number: Type 1 in Enhanced General Equipment
      return (tag === "00181000" ? ENHANCED_EQUIPMENT_SOP_CLASSES : ENHANCED_SOP_CLASSES).has(sop) ? 1 : 3;
    case "00400555": // Acquisition Context Sequence: Type 2 in the Acquisition Context module
      return ENHANCED_SOP_CLASSES.has(sop) || DIGITAL_X_RAY_SOP_CLASSES.has(sop) ? 2 : 3;
    case "300A0006": // RT Plan Date, RT Plan Time: Type 2 in the RT General Plan module
    case "300A0007":
      return sop === RT_PLAN ? 2 : 3;
    case "00081111": // Referenced Performed Procedure Step Sequence: Type 2 in the SR Document and Key Object Document Series modules
      return isStructuredDocument(sop) ? 2 : 3;
    case "00080021": // Series Date, Series Time: Type 1 in the PET Series module
    case "00080031":
      return PET_SOP_CLASSES.has(sop) ? 1 : 3;
    case "00102203": // Patient's Sex Neutered: Type 2C, required for animals
      return T.speciesDescription in ctx.top || T.speciesCodeSequence in ctx.top ? 2 : 3;
    case "300E0008": {
      // Reviewer Name: Type 2C, required if the instance was approved or rejected
      const status = firstString(ctx.top[T.approvalStatus]);
      return status === "APPROVED" || status === "REJECTED" ? 2 : 3;
    }
    default:
      return 3;
  }
}

function canClean(element: DeidElement): boolean {
  return element.vr === "DA" || element.vr === "DT" || element.vr === "TM";
}

function apply(action: AppliedAction, tag: string, element: DeidElement, ctx: Context, scope: Scope): DeidElement | undefined {
  switch (action) {
    case "X":
      // Private tags are listed per group: "(0019,xxxx)".
      ctx.removed.add(parseInt(tag.slice(0, 4), 16) % 2 === 1 ? `${tag.slice(0, 4)}xxxx` : tag);
      count(ctx, "X", element);
      return undefined;
    case "Z":
      return count(ctx, "Z", { vr: element.vr, Value: [] });
    case "D":
      if (element.vr === "SQ") {
        ctx.counts.D++;
        return { vr: "SQ", Value: items(element).map((item) => deidentifyDataset(item, ctx, { depth: scope.depth + 1, dummyText: true })) };
      }
      return count(ctx, "D", dummy(element, ctx));
    case "U":
      if (element.vr === "SQ") return keep(tag, element, ctx, scope, "U");
      return count(ctx, "U", replaceUids(element, ctx));
    case "C":
      return count(ctx, "C", shiftDates(element, ctx.shiftDays ?? 0));
    case "K":
      return keep(tag, element, ctx, scope, "K");
  }
}

function keep(tag: string, element: DeidElement, ctx: Context, scope: Scope, counted: AppliedAction): DeidElement | undefined {
  if (element.vr === "SQ") {
    ctx.counts[counted]++;
    return { vr: "SQ", Value: items(element).map((item) => deidentifyDataset(item, ctx, { depth: scope.depth + 1, dummyText: scope.dummyText })) };
  }
  if ((KEPT_TEXT_VRS.has(element.vr) || SCRUBBED_CODE_STRINGS.has(tag)) && !CODE_ITEM_TAGS.has(tag) && containsIdentifier(element, ctx.identifiers)) {
    // Emptied (Z), not edited: the attribute stays for the IOD's sake, its text goes entirely.
    ctx.textRemoved++;
    return apply("Z", tag, element, ctx, scope);
  }
  ctx.counts[counted]++;
  return copyElement(element);
}

function count(ctx: Context, action: AppliedAction, element: DeidElement): DeidElement {
  ctx.counts[action]++;
  return element;
}

/** A kept element, copied so that later changes to either side do not reach the other. */
function copyElement(element: DeidElement): DeidElement {
  const out: DeidElement = { vr: element.vr };
  if (element.Value !== undefined) out.Value = element.Value.map((v) => (v !== null && typeof v === "object" && !isBinary(v) ? { ...v } : v));
  // dcmjs writes _rawValue (the exact text read) when Value is unchanged; it is the same value.
  if (element._rawValue !== undefined) out._rawValue = Array.isArray(element._rawValue) ? [...element._rawValue] : element._rawValue;
  return out;
}

function dummy(element: DeidElement, ctx: Context): DeidElement {
  const vr = element.vr;
  switch (vr) {
    case "PN":
      return { vr, Value: [{ Alphabetic: DUMMY.personName }] };
    case "DA":
      return { vr, Value: [DUMMY.date] };
    case "TM":
      return { vr, Value: [DUMMY.time] };
    case "DT":
      return { vr, Value: [DUMMY.dateTime] };
    case "AS":
      return { vr, Value: [DUMMY.age] };
    case "UI":
      return replaceUids(element, ctx);
    case "AT":
      return copyElement(element);
    default:
      if (NUMBER_VRS.has(vr)) return { vr, Value: [0] };
      if (BINARY_VRS.has(vr)) return { vr, Value: [new ArrayBuffer(Math.max(2, binaryLength(element) + (binaryLength(element) % 2)))] };
      return { vr, Value: [DUMMY.text] };
  }
}

function replaceUids(element: DeidElement, ctx: Context): DeidElement {
  const values = stringValues(element);
  return {
    vr: "UI",
    Value: values.map((uid) => {
      const original = normalizeUid(uid);
      if (original === "" || isStandardUid(original)) return original;
      ctx.uidsReplaced++;
      return ctx.uids.map(original);
    }),
  };
}

function shiftDates(element: DeidElement, days: number): DeidElement {
  const vr = element.vr;
  if (vr === "TM") return copyElement(element);
  const shift = vr === "DA" ? shiftDate : shiftDateTime;
  // A value that is no date cannot be shifted and is not kept either.
  return { vr, Value: stringValues(element).map((v) => (v.trim() === "" ? "" : (shift(v, days) ?? ""))) };
}

/** Patient Identity Removed, De-identification Method (+ Code Sequence), Longitudinal Temporal Information Modified. */
function addMarkers(dict: DeidDataset, original: DeidDataset, options: DeidOptions, shifted: boolean): void {
  if (!(T.patientName in dict)) dict[T.patientName] = { vr: "PN", Value: [{ Alphabetic: patientNameOf(options) }] };
  if (!(T.patientId in dict)) dict[T.patientId] = { vr: "LO", Value: [options.replacementPatientId] };

  const codes: { value: string; meaning: string }[] = [BASIC_PROFILE_CODE];
  if (shifted) codes.push(RETAIN_LONGITUDINAL_MODIFIED_DATES_CODE);
  // E.1.1 step 6: codes and text are added to those of an earlier de-identification, if any.
  const earlierItems = items(dict[T.deidentificationMethodCodeSequence] ?? { vr: "SQ" });
  const earlierCodes = new Set(earlierItems.map((item) => `${firstString(item[T.codingSchemeDesignator])}:${firstString(item[T.codeValue])}`));
  const newItems = codes
    .filter((c) => !earlierCodes.has(`DCM:${c.value}`))
    .map((c) => ({
      [T.codeValue]: { vr: "SH", Value: [c.value] },
      [T.codingSchemeDesignator]: { vr: "SH", Value: ["DCM"] },
      [T.codeMeaning]: { vr: "LO", Value: [c.meaning] },
    }));
  const earlierText = stringValues(dict[T.deidentificationMethod] ?? { vr: "LO" }).filter((v) => v !== "");

  dict[T.patientIdentityRemoved] = { vr: "CS", Value: ["YES"] };
  dict[T.deidentificationMethod] = { vr: "LO", Value: [...earlierText, ...codes.map((c) => c.meaning)] };
  dict[T.deidentificationMethodCodeSequence] = { vr: "SQ", Value: [...earlierItems, ...newItems] };
  dict[T.longitudinalTemporalInformationModified] = { vr: "CS", Value: [shifted ? "MODIFIED" : "REMOVED"] };

  // The pseudonyms may bring the first non-ASCII text into a data set that declares no character
  // set; text values are Unicode, so UTF-8 is the set that holds them. A declared set is kept.
  if (!(T.specificCharacterSet in original) && /[^\x00-\x7f]/.test(patientNameOf(options) + options.replacementPatientId)) {
    dict[T.specificCharacterSet] = { vr: "CS", Value: ["ISO_IR 192"] };
  }
}

/**
 * File Meta Information of the result. E.1.1 step 7 asks for it to describe the de-identifying
 * application rather than the source: only the SOP class, the replaced instance UID, the transfer
 * syntax and the version are kept; the writer records itself as implementation.
 */
function deidentifyMeta(meta: DeidDataset, ctx: Context): DeidDataset {
  const out: DeidDataset = {};
  for (const key of ["00020001", "00020002", "00020003", "00020010"]) {
    const element = meta[key];
    if (!element) continue;
    out[key] = key === "00020003" ? count(ctx, "U", replaceUids(element, ctx)) : copyElement(element);
  }
  // The file's instance is the data set's: where a source let the two disagree, the data set wins.
  const sopInstance = firstString(ctx.top[T.sopInstanceUid]);
  if (sopInstance && out["00020003"]) out["00020003"] = { vr: "UI", Value: [ctx.uids.map(sopInstance)] };
  for (const key of Object.keys(meta)) if (!(key.toUpperCase() in out) && !(key in out)) ctx.removed.add(key.toUpperCase());
  return out;
}

function patientNameOf(options: DeidOptions): string {
  return options.replacementPatientName ?? options.replacementPatientId;
}

/** Names, IDs and institutions of this data set (at any depth), to keep them out of kept text. */
function collectIdentifiers(dataset: DeidDataset): string[] {
  const found = new Set<string>();
  const walk = (ds: DeidDataset) => {
    for (const [key, element] of Object.entries(ds)) {
      if (element.vr === "SQ") {
        items(element).forEach(walk);
        continue;
      }
      if (!IDENTITY_TAGS.has(key.toUpperCase())) continue;
      for (const value of stringValues(element)) {
        // A person's name also shows up by its parts ("Doe" of "Doe^John").
        for (const part of [value, ...value.split(/[\^=]/)]) {
          const p = part.trim().toLowerCase();
          // "----" or "..." stand for no value and would match any ruler or dotted text.
          if (p.length >= MIN_IDENTIFIER_LENGTH && /[\p{L}\p{N}]/u.test(p)) found.add(p);
        }
      }
    }
  };
  walk(dataset);
  return [...found];
}

function containsIdentifier(element: DeidElement, identifiers: string[]): boolean {
  if (identifiers.length === 0) return false;
  return stringValues(element).some((value) => {
    const v = value.toLowerCase();
    return identifiers.some((id) => v.includes(id));
  });
}

function items(element: DeidElement): DeidDataset[] {
  return ((element.Value ?? []) as unknown[]).filter((v): v is DeidDataset => v !== null && typeof v === "object" && !isBinary(v));
}

/** The text of an element's values: strings as they are, PN component groups joined with "=", binary (UN) as Latin-1. */
function stringValues(element: DeidElement): string[] {
  const out: string[] = [];
  for (const v of element.Value ?? []) {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number") out.push(String(v));
    else if (isBinary(v)) out.push(latin1(v).replace(/[\0 ]+$/, ""));
    else if (v !== null && typeof v === "object") {
      const pn = v as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
      out.push([pn.Alphabetic ?? "", pn.Ideographic ?? "", pn.Phonetic ?? ""].join("=").replace(/=+$/, ""));
    }
  }
  return out;
}

function firstString(element: DeidElement | undefined): string | undefined {
  const v = element?.Value?.[0];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function isBinary(v: unknown): v is ArrayBuffer | ArrayBufferView {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

function binaryLength(element: DeidElement): number {
  return (element.Value ?? []).reduce<number>((n, v) => n + (isBinary(v) ? v.byteLength : 0), 0);
}

function latin1(v: ArrayBuffer | ArrayBufferView): string {
  const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
