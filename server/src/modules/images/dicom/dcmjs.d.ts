// dcmjs ships no types. These describe only what this folder uses; they are a type-only module
// (import type ... from "./dcmjs.js"), so they cannot clash with anyone else's view of dcmjs.

/** One data element in dcmjs's "denaturalized" form, keyed by its tag as 8 upper-case hex digits. */
export interface DcmjsElement {
  vr: string;
  Value?: unknown[];
  /** dcmjs writes this instead of Value when Value still equals its formatted form. */
  _rawValue?: unknown[];
}

export type DcmjsDataset = Record<string, DcmjsElement>;

export interface DcmjsDictionaryEntry {
  tag: string;
  vr: string;
  vm: string;
  name: string;
}

export interface DcmjsWriteOptions {
  /** false: each Value entry of encapsulated Pixel Data becomes exactly one fragment. */
  fragmentMultiframe?: boolean;
  allowInvalidVRLength?: boolean;
}

export interface DcmjsDicomDict {
  meta: DcmjsDataset;
  dict: DcmjsDataset;
  write(options?: DcmjsWriteOptions): ArrayBuffer;
}

export interface Dcmjs {
  data: {
    DicomDict: new (meta: DcmjsDataset) => DcmjsDicomDict;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string | null; noCopy?: boolean }): DcmjsDicomDict;
    };
    DicomMetaDictionary: {
      /** Keyed "(GGGG,EEEE)" in upper case; repeating groups (60xx) resolve too. */
      dictionary: Record<string, DcmjsDictionaryEntry | undefined>;
      naturalizeDataset(dataset: DcmjsDataset): Record<string, unknown>;
    };
  };
  /** loglevel loggers; dcmjs reports questionable input on "validation.dcmjs". */
  log: { setLevel(level: string): void; getLogger(name: string): { setLevel(level: string): void } };
}
