import { describe, expect, it } from 'vitest';
import { noticeDigest, type RevocationNotice } from './notice.js';

const body = Buffer.from('{"type":"auth_revoked","providerUserId":"u-1"}');
const notice = (over: Partial<RevocationNotice> = {}): RevocationNotice => ({
  provider: 'acme',
  rawBody: body,
  revocations: [{ providerUserId: 'u-1' }],
  ...over,
});

describe('noticeDigest', () => {
  it('is a stable sha256 of the provider, the issue times and the raw body', () => {
    expect(noticeDigest(notice())).toMatch(/^[0-9a-f]{64}$/);
    expect(noticeDigest(notice())).toBe(noticeDigest(notice({ rawBody: Buffer.from(body) })));
    expect(noticeDigest(notice({ provider: 'beta' }))).not.toBe(noticeDigest(notice()));
    expect(noticeDigest(notice({ rawBody: Buffer.from(`${body.toString()} `) }))).not.toBe(
      noticeDigest(notice()),
    );
  });

  it('tells apart notices whose signed time lives outside the body', () => {
    const at = (iso: string) =>
      notice({ revocations: [{ providerUserId: 'u-1', issuedAt: new Date(iso) }] });
    const first = noticeDigest(at('2026-03-01T12:00:00Z'));
    expect(noticeDigest(at('2026-03-01T12:00:00Z'))).toBe(first);
    expect(noticeDigest(at('2026-03-01T12:00:01Z'))).not.toBe(first);
    expect(noticeDigest(notice())).not.toBe(first);
  });
});
