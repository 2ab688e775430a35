/**
 * The text of the elements a control names in aria-describedby: its hint and the server's message
 * for it. Reading it this way also checks that the message is tied to the right field.
 */
export function describedBy(control) {
  return control.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? "")
      .join(" "),
  );
}
