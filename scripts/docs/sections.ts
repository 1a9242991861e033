/**
 * A document with the generated section between `start` and `end` (markers included) replaced;
 * `path` names the document when a marker is missing.
 */
export function replaceSection(document: string, start: string, end: string, section: string, path: string) {
  const from = document.indexOf(start);
  const to = document.indexOf(end, from);
  if (from === -1 || to === -1) throw new Error(`${path} has no ${start} … ${end} markers`);
  return `${document.slice(0, from)}${section}${document.slice(to + end.length)}`;
}
