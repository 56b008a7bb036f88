const PARAGRAPH_BREAK = /\n\s*\n/;
const SPECIAL_CHARS = /[&<>"']/g;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(SPECIAL_CHARS, (ch) => ESCAPES[ch] ?? ch);
}

/** Converts plain text to HTML: blank-line separated paragraphs become <p>, single newlines <br>, all text escaped. */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(PARAGRAPH_BREAK)
    .map((para) => para.trim())
    .filter((para) => para !== '')
    .map((para) => `<p>${para.split('\n').map((line) => escapeHtml(line.trim())).join('<br>')}</p>`)
    .join('\n');
}
