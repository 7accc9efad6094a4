import { describe, expect, it } from 'vitest';
import { connectionsPage } from './connections-page.js';
import { html, queryString } from './html.js';

describe('console markup', () => {
  it('escapes every interpolated value and keeps nested html as it is', () => {
    const name = `<script>alert("x")</script>&'`;
    const out = html`<p title="${name}">${name}${html`<b>${name}</b>`}${[1, null, false, 'a']}</p>`;
    expect(out.text).not.toContain('<script>');
    expect(out.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;' +
        '<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b>1a</p>',
    );
  });

  it('keeps filters in paging links and shows a hostile user id as text', () => {
    expect(queryString({ provider: 'acme', status: undefined, userId: '' })).toBe('?provider=acme');
    const page = connectionsPage({
      filters: { userId: '"><img src=x onerror=alert(1)>' },
      rows: [],
      next: '6b1f3c1e-0000-4000-8000-000000000001',
      limit: 2,
      paged: true,
      providers: ['acme'],
      statuses: ['active'],
      errorCodes: [],
    }).text;
    expect(page).not.toContain('<img');
    expect(page).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(page).toContain('after=6b1f3c1e-0000-4000-8000-000000000001');
    expect(page).toMatch(/href="\/admin\/connections\?userId=[^"]+&amp;limit=2"/);
  });
});
