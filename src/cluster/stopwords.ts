/**
 * Function words of the languages the seeds and test feeds use (en, de, es, fr, it, pt, nl). They carry no story
 * identity, so they are dropped from shingles, title tokens and entity candidates (a capitalised "The" or "Die" at the
 * start of a sentence is not a name).
 */
const WORDS = `
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours out over own same she should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you your
yours yourself new says said say after over amid via vs just up out may might must shall one two three first last
get gets got make makes made still even much many like well back way time week day year years today
der die das den dem des ein eine einer eines einem einen und oder aber ist sind war waren wird werden wurde hat haben
hatte mit von zu zum zur im in am an auf aus bei nach vor fur uber unter durch sich sie er es ich wir ihr ihre ihren
ihrem ihrer sein seine seinen seiner dass nicht noch auch nur wie als so doch schon sehr mehr beim bis zwischen
el la los las un una unos unas y o pero es son fue era del al en con por para sin sobre entre su sus se que como mas
muy ya lo le les este esta estos estas ese esa
le les des du de et ou mais est sont etait avec pour par sur dans au aux ce cette ces son sa ses qui que pas plus une
il elle ils elles nous vous leur leurs
il lo gli della delle dei degli di da con per tra fra che non sono
o os as um uma uns umas do da dos das no na nos nas em com por para que nao
de het een en van op te dat die voor met zijn niet ook
`;

/** Function words, lower-case and ASCII-folded. */
export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));
