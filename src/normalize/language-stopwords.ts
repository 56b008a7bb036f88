/**
 * Frequent function words of the languages feeds mostly come in. Short texts (headlines) are
 * too short for trigram statistics; a handful of function words identifies them reliably.
 * A word listed for several languages counts for each of them, divided by their number.
 */
export const STOPWORDS: Readonly<Record<string, string>> = {
  en: 'the and of to in is are was were for on with that this as at by from his her he she it its be been has have had not but or an about after over who will says said they their them you your how what why more than into up out new we our us can could would should just after before when which while there here all one two no yes do does did amid despite against during says gets hits back down off top first year years day week people world report plan deal still now big best may way get make makes take takes like just only also any some other these those most',
  de: 'der die das und ist nicht ein eine einen einem einer dem den des mit von zu auf für im sich auch es bei nach wie als aus hat sind wird noch über vor wir er ihr ihre ihren doch nur oder aber dass zum zur kein keine wieder neue neuen gegen schon mehr so sie ich war waren wurde werden haben seit bis unter durch jetzt heute nun um am vom beim soll will kann muss',
  fr: 'le la les de des du en a un une et est dans pour pas que qui sur au aux avec ce cette ces il elle ils elles sont par plus ne se son sa ses mais été après contre nouveau nouvelle leur leurs entre selon être fait où lui nous vous ont était aussi très sans dont comme tout même deux face chez',
  es: 'el la los las de del a y en que un una es por con para se su sus al lo como más pero sin sobre tras este esta estos ha han fue son entre nuevo nueva muy según hasta también ya ante desde cuando porque hay está están era le les nos otra otro todo dos contra',
  it: 'il lo la gli le di a in del della dei delle degli e è che un una per con non sono nel nella nei al alla ai da dal dalla ma più come anche questo questa dopo suo sua ha hanno tra fra contro ci si ne era stato stata essere cosa perché quando due nuovo nuova sul sulla',
  nl: 'de het een en van is dat op te in met voor niet zijn er aan ook als bij maar om nog naar door uit over wordt heeft dit die geen na tegen wat ze hij zij we wij je hun haar was werd worden hebben kan moet al nieuwe twee dan tot',
  pt: 'o os a as de do da dos das e em no na nos nas um uma que para com não por mais ao se foi são como mas seu sua pelo pela após entre está também já diz ser tem muito sobre quando ou ele ela eles seus suas até depois contra novo nova dois',
};

/** Letters that occur in one or two of these languages only, with the weight each adds. */
export const LETTER_HINTS: ReadonlyArray<readonly [string, readonly string[], number]> = [
  ['ß', ['de'], 3],
  ['ä', ['de'], 1],
  ['ö', ['de'], 1],
  ['ü', ['de'], 1],
  ['ñ', ['es'], 3],
  ['¿', ['es'], 3],
  ['¡', ['es'], 3],
  ['ã', ['pt'], 3],
  ['õ', ['pt'], 3],
  ['ç', ['fr', 'pt'], 1],
  ['œ', ['fr'], 3],
  ['ê', ['fr', 'pt'], 1],
  ['è', ['fr', 'it'], 1],
  ['à', ['fr', 'it'], 0.5],
  ['â', ['fr', 'pt'], 1],
  ['î', ['fr'], 1],
  ['û', ['fr'], 1],
  ['ù', ['fr', 'it'], 1],
  ['ì', ['it'], 2],
  ['ò', ['it'], 2],
];

/**
 * Word endings typical of one language, each adding SUFFIX_WEIGHT for it: headlines often hold
 * no function word at all ("Sbarro files for bankruptcy"), but their inflections still tell.
 */
// "At least two (three) letters, then the ending": only the letters just before the ending matter,
// so an exact count says the same as `{2,}` without retrying a long word from every letter.
export const SUFFIX_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\p{L}{2}ing$/u, 'en'],
  [/\p{L}{2}(?:'s|’s)$/u, 'en'],
  [/\p{L}{3}(?:ness|ship|ful|ly|ed)$/u, 'en'],
  [/\p{L}{3}(?:ung|keit|heit|lich|chen|schaft|isch)$/u, 'de'],
  [/\p{L}{3}(?:ement|eux|euse|ité|aux)$/u, 'fr'],
  [/\p{L}{3}(?:ción|dad|mente|ado|ada|idos|idas)$/u, 'es'],
  [/\p{L}{3}(?:zione|zioni|mente|ato|ata|etto|etta)$/u, 'it'],
  [/\p{L}{3}(?:heid|lijk|tje|atie)$/u, 'nl'],
  [/\p{L}{3}(?:ção|ções|mente|ado|ada|dade)$/u, 'pt'],
];

/** Weight of one suffix match: evidence, but less than a function word. */
export const SUFFIX_WEIGHT = 0.5;
