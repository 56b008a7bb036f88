/**
 * Unrelated headlines that tests of story merging put first, so title words and names have a rarity to speak of
 * before the event under test arrives.
 */
export const BACKGROUND_HEADLINES: readonly string[] = [
  'Central bank holds interest rates steady amid inflation worries',
  'Storm knocks out power to thousands across the Midwest',
  'Apple unveils new MacBook Air with faster chip',
  'Scientists map the genome of the ancient wheat plant',
  'Oil prices climb as OPEC trims output',
  'City council approves new bike lanes downtown',
  'Measles outbreak prompts vaccination drive in Oregon',
  'Tesla recalls sedans over faulty seat belts',
];
