import { createRequire } from 'node:module';
import type * as Htmlparser2 from 'htmlparser2';

let loaded: typeof Htmlparser2 | undefined;

/**
 * htmlparser2, loaded on first use, as the one copy every part of feedfold shares (the stages that read HTML and XML
 * load it from here, so that they do not import one another):
 * - on first use, so that a process that reads no HTML or XML (`feedfold cluster` on lines of text, `feedfold sources`)
 *   does not spend the 50–60 ms of CPU that loading it and its DOM packages takes;
 * - its CommonJS build, the one sanitize-html requires: a static import loaded the ES module build beside it, the same
 *   package twice in every process that publishes.
 */
export function htmlparser2(): typeof Htmlparser2 {
  loaded ??= createRequire(import.meta.url)('htmlparser2') as typeof Htmlparser2;
  return loaded;
}
