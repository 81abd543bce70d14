import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import type { RequestFacts } from '../engine-options.js';
import { compileBotModes, compileNamedBotModes, DEFAULT_BOT_MODES } from './bots.js';

const BYTESPIDER = 'Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)';
const CCBOT = 'CCBot/2.0 (https://commoncrawl.org/faq/)';
const AHREFS = 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const request = (ua: string, ip = '203.0.113.9'): RequestFacts => ({
  ip,
  method: 'GET',
  host: 'shop.example',
  path: '/',
  ua,
  country: null,
});

describe('bot modes', () => {
  it('blocks scanners and impersonators by default, and allows the rest', () => {
    expect(DEFAULT_BOT_MODES.scanner).toBe('block');
    expect(DEFAULT_BOT_MODES.impersonator).toBe('block');
    expect(DEFAULT_BOT_MODES['ai-crawler']).toBe('allow');
    expect(DEFAULT_BOT_MODES['security-monitor']).toBe('allow');
  });

  it.each([[{ robots: 'block' }], [{ constructor: 'block' }], [{ scanner: 'deny' }], ['block']])(
    'rejects category modes %j',
    (modes) => {
      expect(() => compileBotModes(modes as never)).toThrow(TypeError);
    },
  );

  it('keys named modes by lower-cased name in a Map', () => {
    const modes = compileNamedBotModes({ GPTBot: 'block', AhrefsBot: 'count' });
    expect(modes?.get('gptbot')).toBe('block');
    expect(modes?.get('ahrefsbot')).toBe('count');
    expect(modes?.get('constructor')).toBeUndefined();
    expect(compileNamedBotModes({})).toBeNull();
    expect(compileNamedBotModes(undefined)).toBeNull();
    expect(compileNamedBotModes(JSON.parse('{"__proto__": "block"}'))?.get('__proto__')).toBe('block');
  });

  it.each([
    ['an empty name', { '': 'block' }],
    ['a long name', { ['x'.repeat(65)]: 'block' }],
    ['a bad mode', { GPTBot: 'deny' }],
    ['an array', ['GPTBot']],
    ['null', null],
  ])('rejects named modes with %s', (_name, modes) => {
    expect(() => compileNamedBotModes(modes as never)).toThrow(TypeError);
  });
});

describe('createEngine with named bots', () => {
  const engine = createEngine({
    bots: { 'ai-crawler': 'block', seo: 'count' },
    namedBots: { ccbot: 'allow', AhrefsBot: 'block', Googlebot: 'allow' },
  });

  it.each([
    ['a named bot allowed out of a blocked category', CCBOT, 'allow', null],
    ['the rest of that category still blocked', BYTESPIDER, 'block', 'bot:ai-crawler'],
    ['a named bot blocked out of a counted category', AHREFS, 'block', 'bot:name:AhrefsBot'],
    ['an impersonator, whatever its claimed name is allowed', GOOGLEBOT, 'block', 'bot:impersonator'],
  ])('%s', (_name, ua, action, rule) => {
    const decision = engine.decide(request(ua));
    expect(decision.action).toBe(action);
    expect(decision.rule).toBe(rule);
  });

  it('rejects bad namedBots when the engine is built', () => {
    expect(() => createEngine({ namedBots: { GPTBot: 'nope' as never } })).toThrow(/namedBots/);
  });
});
