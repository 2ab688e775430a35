// CSV as Concord's exports write it (RFC 4180: quoted cells may hold commas, quotes and newlines),
// read with csv-parse as the server's tests read it.
import { parse } from "csv-parse/sync";

/** The rows of a CSV text with a header line, each as an object by column name. */
export const parseCsv = (text) => parse(text, { columns: true });

/** A CSV export fetched from the page, with its session cookie: its header line and rows; throws unless HTTP 200. */
export async function fetchCsv(page, path) {
  const { status, text } = await page.evaluate(async (p) => {
    const res = await fetch(p);
    return { status: res.status, text: await res.text() };
  }, path);
  if (status !== 200) throw new Error(`GET ${path}: HTTP ${status} ${text.slice(0, 200)}`);
  return { header: text.split(/\r?\n/, 1)[0].split(","), rows: parseCsv(text) };
}
