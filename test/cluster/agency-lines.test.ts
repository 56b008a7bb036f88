import { describe, expect, it } from 'vitest';
import { isCreditLine, isTimeLine, stripDateline, withoutAgencyLines } from '../../src/cluster/agency-lines.js';

/** Agency header lines, read from the openings and closings of the semeval-dev bodies and of wire copy. */

describe('stripDateline', () => {
  it.each([
    ['MOSKAU (dpa) - Der Kreml hat', 'Der Kreml hat'],
    ['Berlin (AFP) – Die Regierung', 'Die Regierung'],
    ['BERLIN (Reuters) - A German state premier', 'A German state premier'],
    ['FRANKFURT, Germany (AP) — Automaker Volkswagen', 'Automaker Volkswagen'],
    ['LAS VEGAS (dpa-AFX) - Der linke Bewerber', 'Der linke Bewerber'],
    ['(AP) — The president said', 'The president said'],
    ['ORTENBERG (mba). Zu "Mord und Musig"', 'Zu "Mord und Musig"'],
    ['PEKING - Das Coronavirus hat', 'Das Coronavirus hat'],
    ['GENEVA - The World Health Organization', 'The World Health Organization'],
    ['МОСКВА, 5 апр — РИА Новости. Глава МИД', 'Глава МИД'],
    ['МОСКВА, 5 апреля. /ТАСС/. Глава МИД', 'Глава МИД'],
  ])('takes the dateline off %j', (line, rest) => {
    expect(stripDateline(line)).toBe(rest);
  });

  it.each([
    'Angela Merkel (CDU): Wir schaffen das',
    'Tobias Hans (CDU), Ministerpräsident des Saarlandes',
    'Putin told TASS on Monday',
    'Die SPD hatte um das Krisentreffen gebeten',
  ])('leaves %j as it is', (line) => {
    expect(stripDateline(line)).toBe(line);
  });
});

describe('credit and time lines', () => {
  it.each(['Avatar_shz von dpa', 'РИА Новости', 'Reuters', '© AFP', 'lc/ng (AFP, dpa, Reuters)', '(sda / dpa / afp / reu)', 'Von RND/dpa', 'mp/pap', 'Kaynak: AA', 'İHA', '(DHA)', 'Por EFE', '(fmg)'])(
    'reads %j as a credit line',
    (line) => {
      expect(isCreditLine(line)).toBe(true);
    },
  );

  it.each(['Putin told TASS', 'Das sagte AP', 'Fuente:infobae', 'Surce: APA-OTS and the rest of a sentence that is long', 'Jetzt teilen:'])('does not read %j as one', (line) => {
    expect(isCreditLine(line)).toBe(false);
  });

  it.each(['05. April 2020, 09:19 Uhr', '22.01.2020 16:46 | Son Güncelleme: 22.01.2020 16:46', 'Ene 01, 2020- 12:17', '10.01.2020 ( vor 1 Tag )'])('reads %j as a time line', (line) => {
    expect(isTimeLine(line)).toBe(true);
  });

  it('does not read a sentence with a time as a time line', () => {
    expect(isTimeLine('Die Polizei wurde um 09:19 Uhr zu dem Unfall auf der Bundesstraße gerufen.')).toBe(false);
  });
});

describe('withoutAgencyLines', () => {
  it('drops the lines at both ends, the dateline and a closing credit, and keeps the text between', () => {
    const text = '05. April 2020, 09:19 Uhr\n\nBERLIN (dpa) - Erster Satz.\nZweiter Satz.\n\nDritter Satz. (fmg)\nAvatar_shz von dpa';
    expect(withoutAgencyLines(text)).toBe('Erster Satz.\nZweiter Satz.\n\nDritter Satz. ');
  });

  it('returns a body without agency lines as the same string', () => {
    const text = 'Der Kreml hat die Lieferungen eingestellt.\n\nFinnland bezieht Gas aus Russland.';
    expect(withoutAgencyLines(text)).toBe(text);
    expect(withoutAgencyLines('')).toBe('');
  });

  it('finds the last line after blank lines and trailing whitespace at the end are cut', () => {
    expect(withoutAgencyLines('Erster Satz.\nZweiter Satz. (fmg)  \n\u00a0')).toBe('Erster Satz.\nZweiter Satz. ');
    expect(withoutAgencyLines('Erster Satz.\nZweiter Satz.\n© AFP \n \n')).toBe('Erster Satz.\nZweiter Satz.');
    expect(withoutAgencyLines('Nur ein Satz. (dpa)\n\n')).toBe('Nur ein Satz. ');
    expect(withoutAgencyLines('BERLIN (dpa) - Ein Satz. (fmg)')).toBe('Ein Satz. ');
    expect(withoutAgencyLines('Satz eins.\nSatz zwei.\nVon RND/dpa\n05. April 2020, 09:19 Uhr  ')).toBe('Satz eins.\nSatz zwei.');
  });

  it('reads only the first and last lines: an agency named inside the body stays', () => {
    const text = 'Erster Satz.\nReuters\nZweiter Satz.\nDritter Satz.\nVierter Satz.';
    expect(withoutAgencyLines(text)).toBe(text);
  });
});
