/**
 * Corrections made through the review app's API: kept in the store with who made them and when,
 * applied on every run together with the entries of `overrides.yaml`.
 */

/** One correction as the API takes it: stories and articles named by story id, article id or URL. */
export type Correction =
  | { action: 'split'; article: string }
  | { action: 'merge'; stories: string[] }
  | { action: 'pin'; story: string; article: string };

/** A correction as stored: the audit list. */
export interface StoredOverride {
  id: number;
  correction: Correction;
  createdBy: string;
  createdAt: string;
  undoneAt?: string;
  undoneBy?: string;
}
