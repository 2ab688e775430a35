// CSV as Concord's exports write it (RFC 4180: quoted cells may hold commas, quotes and newlines).

/** The rows of a CSV text with a header line, each as an object by column name. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** A CSV export fetched from the page, with its session cookie: its header line and rows; throws unless HTTP 200. */
export async function fetchCsv(page, path) {
  const { status, text } = await page.evaluate(async (p) => {
    const res = await fetch(p);
    return { status: res.status, text: await res.text() };
  }, path);
  if (status !== 200) throw new Error(`GET ${path}: HTTP ${status} ${text.slice(0, 200)}`);
  return { header: text.split(/\r?\n/, 1)[0].split(","), rows: parseCsv(text) };
}
