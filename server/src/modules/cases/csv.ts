import { parse as parseCsv } from "csv-parse/sync";
import { invalid } from "../../errors.js";

/** A CSV as our imports read it: the header's names (normalised) and each row with the line it starts on. */
export interface CsvTable {
  /** Header names, trimmed, lower case, spaces and dashes as underscores; empty without a header. */
  names: string[];
  hasHeader: boolean;
  rows: Array<{ line: number; record: string[] }>;
}

/**
 * Reads an uploaded CSV (RFC 4180, any line ending, optional BOM). Throws BAD_USER_INPUT on field
 * csv when it is not CSV at all.
 */
export function readCsvTable(csv: string): CsvTable {
  // One line ending throughout, so line numbers are exact whatever the file used; quoted text keeps its breaks as \n.
  const text = csv.replace(/\r\n?/g, "\n");
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With info: true each record comes with its position; the typings only know the plain form.
    records = parseCsv(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    throw invalid([{ field: "csv", message: `is not valid CSV: ${(err as Error).message}` }]);
  }
  const [header, ...body] = records;
  return {
    names: (header?.record ?? []).map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, "_")),
    hasHeader: !!header,
    // info.lines is the line a record ends on; a quoted field's line breaks say where it began.
    rows: body.map(({ record, info }) => ({ line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0), record })),
  };
}

/** "; the header row has ..." (or that there is none), for a message about missing columns. */
export function describeHeader(t: CsvTable): string {
  return t.hasHeader ? `; the header row has ${t.names.map((n) => `"${n}"`).join(", ")}` : "; it has no header row";
}
