/**
 * Gathers single calls into group calls: an item waits for the next turn of the event loop (or, with `waitMs`, until
 * that many milliseconds after the first item of its group came), or for the group call in progress to end, and every
 * item added by then goes in the same group. Each caller gets its own item's result; a group call that throws rejects
 * every item of its group. Groups are handled one at a time, in the order of arrival.
 */
export function groupCalls<T, R>(call: (items: T[]) => Promise<R[]>, opts: { waitMs?: number } = {}): (item: T) => Promise<R> {
  const waitMs = opts.waitMs ?? 0;
  let waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let busy = false;
  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        const results = await call(group.map((w) => w.item));
        group.forEach((w, i) => w.resolve(results[i] as R));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    busy = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (busy) return;
      busy = true;
      if (waitMs > 0) setTimeout(() => void drain(), waitMs);
      else setImmediate(() => void drain());
    });
}
