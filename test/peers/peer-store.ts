/** What oidc-provider stores: sessions, grants, codes, tokens (fields it reads are named). */
interface Payload {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
  [field: string]: unknown;
}

/**
 * An in-memory store for one oidc-provider peer, without a size cap. The built-in development
 * store keeps 1,000 entries and a link leaves about seven, so past ~150 links the peer would
 * forget the oldest refresh tokens and answer `invalid_grant` — which a burst test would
 * count as lost connections. Entries still expire, and revoking a grant drops its tokens
 * (oidc-provider does that when a rotated refresh token is reused).
 * @see https://github.com/panva/node-oidc-provider/blob/main/example/my_adapter.js
 */
export function unboundedPeerStore(): (model: string) => object {
  const entries = new Map<string, { payload: Payload; expiresAt: number }>();
  const byGrant = new Map<string, Set<string>>();
  const byLookup = new Map<string, string>();

  const live = (key: string): Payload | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model) => {
    const keyOf = (id: string) => `${model}:${id}`;
    const lookup = (kind: string, value: string) => {
      const id = byLookup.get(`${model}:${kind}:${value}`);
      return id === undefined ? undefined : live(keyOf(id));
    };
    return {
      upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
        const key = keyOf(id);
        const expiresAt = expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000;
        entries.set(key, { payload, expiresAt });
        if (payload.grantId !== undefined) {
          const members = byGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          byGrant.set(payload.grantId, members);
        }
        if (payload.uid !== undefined) byLookup.set(`${model}:uid:${payload.uid}`, id);
        if (payload.userCode !== undefined) {
          byLookup.set(`${model}:userCode:${payload.userCode}`, id);
        }
        return Promise.resolve();
      },
      find: (id: string) => Promise.resolve(live(keyOf(id))),
      findByUid: (uid: string) => Promise.resolve(lookup('uid', uid)),
      findByUserCode: (code: string) => Promise.resolve(lookup('userCode', code)),
      consume(id: string): Promise<void> {
        const payload = live(keyOf(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy(id: string): Promise<void> {
        entries.delete(keyOf(id));
        return Promise.resolve();
      },
      revokeByGrantId(grantId: string): Promise<void> {
        for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
        byGrant.delete(grantId);
        return Promise.resolve();
      },
    };
  };
}
