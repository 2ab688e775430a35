// The modalities a model is trained on, as a manager types them in the training form: "CT, MR" or
// "ct mr". Empty: every image (null). The server checks each one; here only the list is made.

/** The modalities named in `text`, upper-cased, each once, in order; null when it names none. */
export function parseModalities(text: string): string[] | null {
  const list = [...new Set(text.split(/[\s,;]+/).map((m) => m.trim().toUpperCase()).filter(Boolean))];
  return list.length ? list : null;
}
