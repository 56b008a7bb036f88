import { escapeHtml } from '../model/html.js';

export { escapeHtml };

/**
 * Converts normalized plain text (spaced as normalizeText and removeBoilerplate leave it, see
 * hasNormalSpacing) to HTML: paragraphs, apart by one blank line, become <p>, single newlines
 * <br>, all text escaped. Such text has nothing to trim and no empty paragraph, so it is escaped
 * whole and split once.
 */
export function textToHtml(text: string): string {
  return text === '' ? '' : `<p>${escapeHtml(text).split('\n\n').map((para) => para.replaceAll('\n', '<br>')).join('</p>\n<p>')}</p>`;
}
