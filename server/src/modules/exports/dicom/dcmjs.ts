// dcmjs ships no types: these describe only the parts the export writers use.
// Naturalized data sets are plain objects keyed by DICOM keyword (PatientName, ContentSequence...).

export type Naturalized = Record<string, unknown>;

// Reading naturalized values from others' files, where a value may be absent, single or a list.
export const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v === undefined || v === null ? [] : [v as T]);
export const first = <T>(v: unknown): T | undefined => list<T>(v)[0];
/** The first value as text (a number as its digits); undefined when absent or empty. */
export const str = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === "string" && x !== "" ? x : typeof x === "number" ? String(x) : undefined;
};
type Denaturalized = Record<string, { vr: string; Value?: unknown[] }>;

export interface CodedConceptOptions {
  value: string;
  meaning: string;
  schemeDesignator: string;
  schemeVersion?: string;
}
export interface CodedConcept {
  CodeValue: string;
  CodeMeaning: string;
  CodingSchemeDesignator: string;
}
type Item = Naturalized;
type ItemCtor<O> = new (options: O) => Item;
interface Rel {
  relationshipType?: string;
}

export interface DcmjsForExport {
  data: {
    DicomDict: new (meta: Denaturalized) => { dict: Denaturalized; write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer };
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): { meta: Denaturalized; dict: Denaturalized } };
    DicomMetaDictionary: {
      denaturalizeDataset(ds: Naturalized): Denaturalized;
      naturalizeDataset(ds: Denaturalized): Naturalized;
    };
  };
  sr: {
    coding: { CodedConcept: new (options: CodedConceptOptions) => CodedConcept };
    valueTypes: {
      CodeContentItem: ItemCtor<{ name: CodedConcept; value: CodedConcept } & Rel>;
      TextContentItem: ItemCtor<{ name: CodedConcept; value: string } & Rel>;
      UIDRefContentItem: ItemCtor<{ name: CodedConcept; value: string } & Rel>;
      NumContentItem: ItemCtor<{ name: CodedConcept; value: number; unit: CodedConcept } & Rel>;
      ContainerContentItem: ItemCtor<{ name: CodedConcept; isContentContinuous?: boolean; templateID?: string } & Rel>;
      ImageContentItem: ItemCtor<{ name: CodedConcept; referencedSOPClassUID: string; referencedSOPInstanceUID: string } & Rel>;
    };
    contentItems: {
      SourceImageForRegion: ItemCtor<{ referencedSOPClassUID: string; referencedSOPInstanceUID: string; referencedFrameNumbers?: number[] }>;
      ImageRegion: ItemCtor<{ graphicType: string; graphicData: number[]; sourceImage: Item; pixelOriginInterpretation?: string }>;
    };
    templates: {
      LanguageOfContentItemAndDescendants: new (options: { language?: CodedConcept }) => Item[];
      ObserverContext: new (options: { observerType: CodedConcept; observerIdentifyingAttributes: Item[] }) => Item[];
      PersonObserverIdentifyingAttributes: new (options: { name: string }) => Item[];
      TrackingIdentifier: new (options: { uid: string; identifier?: string }) => Item[];
    };
  };
}

export const dcmjs = require("dcmjs") as DcmjsForExport;
