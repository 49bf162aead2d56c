import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Controls } from './Controls';
import { SEARCH_PARAMS } from '../../core/search/params';

/** The attributes of the element carrying `data-testid="<id>"` in server-rendered HTML. */
function attrs(html: string, id: string): Record<string, string> | null {
  const tag = new RegExp(`<(input|select)[^>]*data-testid="${id}"[^>]*>`).exec(html);
  if (!tag) return null;
  return Object.fromEntries([...tag[0].matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

describe('the page controls are the settings table', () => {
  const html = renderToStaticMarkup(createElement(Controls));

  it('one control per page row, with its range; live rows are sliders, CLI-only rows absent', () => {
    for (const p of SEARCH_PARAMS) {
      const kind = p.type === 'choice' ? 'select' : p.live ? 'slider' : 'input';
      const a = attrs(html, `${kind}-${p.key}`);
      if (!p.page) {
        expect(html, p.key).not.toContain(`-${p.key}"`);
        continue;
      }
      expect(a, p.key).not.toBeNull();
      if (p.type === 'number')
        expect([a!.min, a!.max, a!.step].map(Number), p.key).toEqual([p.min, p.max, p.step]);
      else for (const c of p.choices) expect(html, p.key).toContain(`<option value="${String(c)}"`);
    }
    const controls = [...html.matchAll(/data-testid="(input|slider|select)-(\w+)"/g)];
    expect(controls.map((m) => m[2]).sort()).toEqual(
      SEARCH_PARAMS.filter((p) => p.page)
        .map((p) => p.key)
        .sort(),
    );
  });
});
