// Our own table's placing of link previewers: a social network's fetcher is `social-preview`, any
// other service's (an embed API, a mail or code host's image proxy) is `preview` (see event.ts).
import { describe, expect, it } from 'vitest';
import { classifyUserAgent } from './classify.js';

describe('link previewers', () => {
  it.each([
    ['Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)', 'preview', 'Embedly'],
    ['Iframely/1.6.1 (+https://metadata.xayn.com)', 'preview', 'Iframely'],
    [
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      'preview',
      'Gmail Image Proxy',
    ],
    ['github-camo (d76dea84)', 'preview', 'GitHub Camo'],
    ['Mozilla/5.0 (compatible; Yahoo Link Preview; https://help.yahoo.com/kb/mail/)', 'preview', 'Yahoo Link Preview'],
    ['Mozilla/5.0 (compatible; OpenGraph.io/1.1; +https://opengraph.io/;)', 'preview', 'OpenGraph.io'],
    [
      'Mozilla/5.0 (en-us) AppleWebKit/525.13 (KHTML, like Gecko; Google Web Preview) Version/3.1 Safari/525.13',
      'preview',
      'Google Web Preview',
    ],
    [
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'social-preview',
      'facebookexternalhit',
    ],
    ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'social-preview', 'Slackbot'],
    ['Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'social-preview', 'Discordbot'],
  ])('%s → %s', (ua, category, name) => {
    expect(classifyUserAgent(ua)).toMatchObject({ isBot: true, category, name });
  });

  it('reads the dot in OpenGraph.io as a dot', () => {
    expect(classifyUserAgent('Mozilla/5.0 (compatible; OpenGraphXio/1.1)').name).not.toBe('OpenGraph.io');
  });
});
