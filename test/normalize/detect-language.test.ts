import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage, languageFromTag } from '../../src/normalize/detect-language.js';
import { ROOT } from '../helpers/paths.js';

describe('detectLanguage on the bundled seeds', () => {
  const expected: Record<string, string> = {
    '000_168ea976ff7458c6.txt': 'en',
    '001_14234c3bc899f81f.txt': 'en',
    '002_d9a93c932fb96118.txt': 'en',
    '003_8e8c2d55f66e7474.txt': 'de',
    '004_e859859a89bdac24.txt': 'en',
  };
  for (const [file, lang] of Object.entries(expected)) {
    it(`${file} is ${lang}`, () => {
      expect(detectLanguage(readFileSync(path.join(ROOT, 'seeds', file), 'utf8'))).toBe(lang);
    });
  }

  it('is not swayed by a wrong hint on a long text', () => {
    expect(detectLanguage(readFileSync(path.join(ROOT, 'seeds', '003_8e8c2d55f66e7474.txt'), 'utf8'), 'en')).toBe('de');
  });
});

const HEADLINES: Record<string, string[]> = {
  en: [
    'Kim Basinger makes rare comment about ex-husband Alec Baldwin',
    'Stocks fall as investors weigh new tariffs',
    'Storm leaves thousands without power in Texas',
    'Scientists discover a new species of frog in Peru',
    'Apple unveils its latest iPhone at annual event',
    'President signs climate bill into law',
  ],
  de: [
    'Kim Basinger spricht über ihre Beziehung zu Alec Baldwin',
    'Bundesregierung beschließt neues Klimapaket',
    'Unwetter sorgt für Chaos auf den Straßen',
    'Die Inflation ist im März wieder gestiegen',
    'Streik legt den Bahnverkehr in ganz Deutschland lahm',
    'Forscher entdecken neue Froschart in Peru',
  ],
  fr: [
    'Le gouvernement annonce une nouvelle réforme des retraites',
    'Kim Basinger se confie sur sa relation avec Alec Baldwin',
    'La grève paralyse les transports à Paris',
    'Des inondations frappent le sud de la France',
    'Le président reçoit son homologue allemand',
    "Les prix de l'énergie continuent de grimper",
  ],
  es: [
    'El gobierno anuncia nuevas medidas contra la inflación',
    'Kim Basinger habla de su relación con Alec Baldwin',
    'Las lluvias dejan miles de evacuados en Valencia',
    'El Real Madrid gana la liga por tercera vez',
    'Los precios de la vivienda siguen subiendo',
    'Científicos descubren una nueva especie de rana',
  ],
};

describe('detectLanguage on short headlines', () => {
  for (const [lang, headlines] of Object.entries(HEADLINES)) {
    it(`gets at least 5 of 6 ${lang} headlines right without a hint`, () => {
      const right = headlines.filter((h) => detectLanguage(h) === lang);
      expect(right.length, `misread: ${headlines.filter((h) => detectLanguage(h) !== lang).join(' | ')}`).toBeGreaterThanOrEqual(5);
    });
    it(`gets every ${lang} headline right with the source's language as hint`, () => {
      for (const h of headlines) expect(detectLanguage(h, `${lang}-XX`)).toBe(lang);
    });
  }

  it('reads Italian, Dutch and Portuguese sentences', () => {
    expect(detectLanguage('Il governo ha approvato la nuova legge sulla scuola e sulla sanità')).toBe('it');
    expect(detectLanguage('De regering heeft het nieuwe plan voor de zorg niet gepresenteerd')).toBe('nl');
    expect(detectLanguage('O governo anunciou novas medidas para a economia do país')).toBe('pt');
  });
});

describe('detectLanguage edge cases', () => {
  it('uses the hint when the text cannot tell (a name, a number)', () => {
    expect(detectLanguage('Berlin', 'de-DE')).toBe('de');
    expect(detectLanguage('2025', 'fr')).toBe('fr');
  });

  it("returns 'und' when there is no text and no hint", () => {
    expect(detectLanguage('')).toBe('und');
    expect(detectLanguage('12345 !!!')).toBe('und');
  });

  it('recognizes other scripts', () => {
    expect(detectLanguage('Путин встретился с президентом Франции в Москве')).toBe('ru');
    expect(detectLanguage('東京で大きな地震が発生しました')).toBe('ja');
    expect(detectLanguage('Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία')).toBe('el');
  });

  it('leaves other Latin-script languages to trigram statistics', () => {
    const polish = 'Rząd ogłosił nowe środki przeciwko inflacji, które mają wejść w życie w przyszłym miesiącu. Minister finansów powiedział, że to konieczne dla stabilności gospodarki kraju.';
    expect(detectLanguage(polish)).toBe('pl');
  });

  it("leaves a short undeclared text 'und' when nothing in it names a language", () => {
    for (const text of ['Apple iPhone 16 Pro Max', 'EBay, Icahn talk smack', 'Bahnstreik beendet', 'Москва']) expect(detectLanguage(text), text).toBe('und');
    // The same texts, declared, take the declaration.
    expect(detectLanguage('Bahnstreik beendet', 'de')).toBe('de');
    expect(detectLanguage('Москва', 'ru-RU')).toBe('ru');
  });

  it('does not trust a declared language of another script', () => {
    expect(detectLanguage('Путин встретился с президентом Франции в Москве', 'en')).toBe('ru');
    expect(detectLanguage('Москва', 'en')).toBe('und');
    expect(detectLanguage('Stocks fall as investors weigh new tariffs', 'ru')).toBe('en');
    expect(detectLanguage('東京', 'de')).toBe('und');
    // A language of the text's script is trusted where the text cannot tell.
    expect(detectLanguage('Київ', 'uk')).toBe('uk');
    expect(detectLanguage('Beograd danas', 'sr')).toBe('sr');
  });

  it('is deterministic', () => {
    const text = 'Merkel trifft Macron in Berlin';
    expect(new Set(Array.from({ length: 5 }, () => detectLanguage(text))).size).toBe(1);
  });
});

describe('languageFromTag', () => {
  it('reduces tags to ISO 639-1', () => {
    expect(languageFromTag('en-US')).toBe('en');
    expect(languageFromTag('de_DE')).toBe('de');
    expect(languageFromTag('FR')).toBe('fr');
    expect(languageFromTag('deu')).toBe('de');
    expect(languageFromTag('')).toBeUndefined();
    expect(languageFromTag(undefined)).toBeUndefined();
  });
});
