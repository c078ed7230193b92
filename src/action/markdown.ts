/**
 * Text from outside (IDs, server answers) as a Markdown code span in a table cell: no link, image,
 * heading, emphasis, HTML or table break can come of it. Pipes stay escaped inside the span, as
 * GitHub's table extension requires.
 */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
  if (flat.trim() === "") return "";
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return `${fence} ${flat} ${fence}`;
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |\n`;
}
