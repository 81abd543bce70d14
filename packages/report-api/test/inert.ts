import { expect } from 'vitest';

const TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s=>"'/]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=>"'/]+)(?:="([^"]*)")?/g;

/**
 * What an injection would leave in the markup, whatever the value: every tag is well formed
 * with quoted attributes, no tag is a script or an image, no attribute is an event handler,
 * and every link or form target stays on the dashboard.
 */
export function expectInert(markup: string): void {
  const tags = [...markup.matchAll(TAG)];
  expect(tags.length, 'every "<" + letter opens a well-formed tag').toBe(markup.match(/<[a-zA-Z]/g)?.length ?? 0);
  for (const [, name = '', attributes = ''] of tags) {
    expect(['script', 'img', 'iframe', 'object', 'embed', 'base']).not.toContain(name.toLowerCase());
    for (const [, attr = '', value = ''] of attributes.matchAll(ATTRIBUTE)) {
      expect(attr.toLowerCase(), `<${name}> has no event handler`).not.toMatch(/^on/);
      if (attr === 'href' || attr === 'action')
        expect(value, 'links stay on the dashboard').toMatch(/^(\/dashboard(\/|\?|$)|#main$|data:,$)/);
    }
  }
}
