import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from './json-depth.js';

describe('jsonDepthExceeds', () => {
  it.each([
    { name: 'flat object', text: '{"a":1,"b":"x"}', max: 1, deep: false },
    { name: 'two levels against max 1', text: '{"a":[1]}', max: 1, deep: true },
    { name: 'brackets inside a string', text: '{"a":"[[[[{{{{"}', max: 1, deep: false },
    { name: 'an escaped quote does not end the string', text: '{"a":"\\"[[[["}', max: 1, deep: false },
    { name: 'an escaped backslash before the closing quote', text: '{"a":"\\\\"}', max: 1, deep: false },
    { name: 'siblings do not add up', text: `[${'[],'.repeat(1000)}[]]`, max: 2, deep: false },
    { name: '120,000 nested arrays', text: `{"a":${'['.repeat(120_000)}${']'.repeat(120_000)}}`, max: 32, deep: true },
  ])('$name → $deep', ({ text, max, deep }) => {
    expect(jsonDepthExceeds(text, max)).toBe(deep);
  });
});
