/**
 * Image hosts and paths that count opens or views rather than show anything: FeedBurner's
 * ~r/~ff beacons, WordPress stats, ad and analytics counters, generic pixel/beacon endpoints.
 */
const TRACKER_URL = new RegExp(
  [
    String.raw`feeds\.feedburner\.com/~(?:r|ff|a|fc)/`,
    String.raw`feedproxy\.google\.com/~(?:r|ff|a|fc)/`,
    String.raw`//(?:[^/]*\.)?feedburner\.com/~`,
    String.raw`stats\.wordpress\.com/b\.gif`,
    String.raw`pixel\.wp\.com/`,
    String.raw`feeds\.wordpress\.com/1\.0/`,
    String.raw`//pixel\.`,
    String.raw`//(?:[^/]*\.)?doubleclick\.net/`,
    String.raw`//(?:[^/]*\.)?google-analytics\.com/`,
    String.raw`//(?:[^/]*\.)?scorecardresearch\.com/`,
    String.raw`//(?:[^/]*\.)?quantserve\.com/`,
    String.raw`//(?:[^/]*\.)?facebook\.com/tr`,
    String.raw`//(?:[^/]*\.)?analytics\.`,
    String.raw`/(?:__)?utm\.gif`,
    String.raw`/(?:pixel|beacon|track|tracking|tracker)(?:\.gif|\.png|\.php|/|\?|$)`,
    String.raw`/(?:open|counter|hit|spacer|blank)\.(?:gif|png|php)`,
    String.raw`/_/stat\?`,
  ].join('|'),
  'i',
);

/** FeedBurner share/flare links (`~ff/…?a=`, `~a/`): buttons wrapped around beacon images. */
const TRACKER_LINK = /\/\/(?:feeds\.feedburner\.com|feedproxy\.google\.com)\/~(?:ff|a|f)\//i;

const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden|(?:^|;)\s*(?:width|height)\s*:\s*[01](?:px)?\s*(?:;|$)/i;

/** Pixel size at or below which an image is a beacon, not a picture. */
export const TRACKING_PIXEL_MAX_PX = 1;

function tinyDimension(value: string | undefined): boolean {
  if (value === undefined) return false;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) && n <= TRACKING_PIXEL_MAX_PX;
}

/** Returns true when an <img> with these attributes is a tracking pixel (size ≤ 1, hidden, or a known tracker URL). */
export function isTrackingImage(attribs: Readonly<Record<string, string>>): boolean {
  if (tinyDimension(attribs['width']) || tinyDimension(attribs['height'])) return true;
  const style = attribs['style'];
  if (style !== undefined && HIDDEN_STYLE.test(style)) return true;
  const src = attribs['src'];
  return src !== undefined && TRACKER_URL.test(src);
}

/** Returns true when a link points at a feed-service share/tracking endpoint rather than content. */
export function isTrackingLink(href: string): boolean {
  return TRACKER_LINK.test(href);
}
