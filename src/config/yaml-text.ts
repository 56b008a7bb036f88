import { CORE_SCHEMA, dump, loadAll, YAMLException } from 'js-yaml';

/**
 * Reads a YAML file's text as YAML 1.2's core schema reads it (no timestamps, no merge keys, `yes` is a string): a
 * config or overrides file. An empty file (or one of comments only) is null; a syntax error names its line and column
 * and shows the lines around it; more than one document is an error.
 */
export function parseYaml(text: string): unknown {
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: CORE_SCHEMA });
  } catch (err) {
    if (err instanceof YAMLException && err.mark) {
      const around = err.mark.snippet ? `:\n\n${err.mark.snippet}` : '';
      throw new Error(`${err.reason} at line ${err.mark.line + 1}, column ${err.mark.column + 1}${around}`, { cause: err });
    }
    throw err;
  }
  if (documents.length > 1) throw new Error(`${documents.length} YAML documents (separated by ---) where one is expected`);
  return documents[0] ?? null;
}

/** Writes a value as a YAML document (block style, strings quoted where YAML would read them as something else). */
export function stringifyYaml(value: unknown): string {
  return dump(value, { schema: CORE_SCHEMA });
}
