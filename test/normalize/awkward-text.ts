import { mulberry32 } from '../../scripts/eval/prng.js';

/**
 * Pieces of awkward text: words of many scripts and languages, every kind of space, line ending,
 * control and zero-width character, characters NFKC or lower-casing change (ligatures, full-width
 * letters, U+0130, final sigma, the long s and the Kelvin sign), surrogate pairs and lone halves.
 */
const PIECES = [
  'the', 'and', 'of', 'der', 'und', 'für', 'le', 'été', 'el', 'más', 'il', 'più', 'het', 'não', 'reportedly', 'council', 'Straße',
  'ñandú', 'œuvre', 'İstanbul', 'ıspanak', 'ΣΟΦΙΑΣ', 'σοφός', 'Москва', 'Київ', 'مرحبا', 'שלום', '東京', '中文字', 'ひらがな', 'カタカナ',
  '한국어', 'नमस्ते', 'বাংলা', 'ਪੰਜਾਬੀ', 'தமிழ்', 'ไทย', 'አማርኛ', 'ქართული', 'Հայերեն', 'ﬁnance', 'Ｆｕｌｌ', '①', '½', 'Ⅻ', 'K', 'Å',
  'ſtraße', 'e\u0301', '𝐁𝐨𝐥𝐝', '𠀋', '😀', '\ud800', '\udc00', 'don’t', "it's", '“quoted”', '—', '-', '...', '…', '&', '<b>', '42',
  '$5', '#tag', '(AP)', 'cookie', 'newsletter', ' ', ' ', ' ', '  ', '\t', '\u00a0', '\u2003', '\u3000', '\u202f', '\u1680', '\ufeff',
  '\u200b', '\u00ad', '\u2060', '\n', '\n', '\n\n', '\n\n\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0001',
  '\u001f', '\u007f', '\u0080', '\u202e', '\u200e',
];

/** Returns `count` texts of awkward pieces, the same every run, of up to `maxPieces` pieces each. */
export function awkwardTexts(count: number, maxPieces: number, seed = 20250305): string[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const pieces = Math.floor(rand() * maxPieces);
    let text = '';
    for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(rand() * PIECES.length)];
    return text;
  });
}
