/**
 * Remembers where index-paginated walks stopped, so `startIndex=K+count` continues with a keyset
 * (`id > last`) instead of OFFSET: deep pages cost the same as the first, and a walk does not skip
 * live users while others are deleted. A miss (another process, an evicted entry) falls back to OFFSET.
 */
export interface PageCache {
  get(key: string): string | undefined;
  set(key: string, lastId: string): void;
}

export function createPageCache(capacity = 10_000): PageCache {
  const map = new Map<string, string>();
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) {
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key, lastId) {
      map.delete(key);
      map.set(key, lastId);
      if (map.size > capacity) {
        const oldest = map.keys().next();
        if (!oldest.done) map.delete(oldest.value);
      }
    },
  };
}
