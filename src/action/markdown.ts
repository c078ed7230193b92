/**
 * Text from outside (IDs, server answers) as a Markdown code span: no link, image, heading,
 * emphasis or HTML can come of it.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  if (flat.trim() === "") return "";
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return `${fence} ${flat} ${fence}`;
}

/** A code span in a table cell: pipes stay escaped inside the span, as GitHub's table extension requires. */
export function code(text: string): string {
  return codeSpan(text.replace(/\|/g, "\\|"));
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |\n`;
}
