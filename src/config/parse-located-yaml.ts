import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** A parsed YAML document and the line of any key path in it (config and playbook files report lines with it). */
export type LocatedYaml =
  | { ok: true; tree: unknown; lineOf: (path: readonly PropertyKey[]) => number | undefined }
  | { ok: false; line: number | undefined; message: string };

/**
 * Parses one YAML document (duplicate keys are errors). `lineOf` gives the line of a key, or of
 * the deepest part of the path that exists, so a missing key is reported at its parent.
 */
export function parseLocatedYaml(text: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The first syntax error explains the rest, which are usually its consequences.
    const [first] = doc.errors;
    // The line is reported separately: drop the message's own "at line 3, column 7:".
    const message = (first?.message.split('\n')[0] ?? 'unreadable YAML').replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, line: first?.linePos?.[0].line, message };
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const at = path.slice(0, depth) as unknown[];
      // A key's own line: in a block map, the value starts on a later line than its key.
      const parent = depth > 0 ? doc.getIn(at.slice(0, -1), true) : undefined;
      const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === at.at(-1)) : undefined;
      const node = isScalar(pair?.key) ? pair.key : doc.getIn(at, true);
      if ((isMap(node) || isSeq(node) || isScalar(node)) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { ok: true, tree: doc.toJS(), lineOf };
}
