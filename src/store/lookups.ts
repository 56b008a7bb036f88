import type { Article } from '../model/article.js';
import type { Decision } from '../model/story.js';
import type { Store, StoryRow } from './store.js';

/** Returns one stored article (a list lookup of one), or undefined. */
export async function getArticle(store: Store, id: string): Promise<Article | undefined> {
  return (await store.articles.getArticles([id])).get(id);
}

/** Returns one stored story, or undefined. */
export async function getStory(store: Store, id: string): Promise<StoryRow | undefined> {
  return (await store.stories.getStories([id])).get(id);
}

/** Returns the story an article belongs to, or undefined. */
export async function storyOf(store: Store, articleId: string): Promise<string | undefined> {
  return (await store.stories.storiesOf([articleId])).get(articleId);
}

/** Lists the member articles of one story, earliest first-seen first. */
export async function members(store: Store, storyId: string): Promise<Article[]> {
  return (await store.stories.membersOf([storyId])).get(storyId) ?? [];
}

/** Returns the latest decision of one article, or undefined. */
export async function latestDecision(store: Store, articleId: string): Promise<Decision | undefined> {
  return (await store.decisions.latestDecisions([articleId])).get(articleId);
}

/** Returns the newest date seen from one source's items, or undefined. */
export async function sourceUpdated(store: Store, sourceId: string): Promise<string | undefined> {
  return (await store.sources.sourcesUpdated([sourceId])).get(sourceId);
}
