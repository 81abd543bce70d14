import { describe, expect, it } from 'vitest';
import { blockedResponse, toOriginRequest } from './proxy.js';

describe('toOriginRequest', () => {
  it.each([
    [
      'path and query kept',
      'https://shop.example/cart?id=7&x=%20',
      'https://origin.example',
      'https://origin.example/cart?id=7&x=%20',
    ],
    [
      'origin path is a prefix',
      'https://shop.example/a/b',
      'https://origin.example/app/',
      'https://origin.example/app/a/b',
    ],
    ['origin port kept', 'https://shop.example/', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['fragment dropped', 'https://shop.example/p#frag', 'https://origin.example', 'https://origin.example/p'],
    // The WHATWG URL parser (and so workerd) resolves %2e%2e dot segments before the worker sees them.
    [
      'encoded dot segments already resolved',
      'https://shop.example/%2e%2e/etc',
      'https://origin.example',
      'https://origin.example/etc',
    ],
    ['encoded slash kept', 'https://shop.example/a%2Fb', 'https://origin.example', 'https://origin.example/a%2Fb'],
  ])('%s', (_name, incoming, origin, expected) => {
    const request = toOriginRequest(new Request(incoming), new URL(origin));
    expect(request.url).toBe(expected);
  });

  it('keeps method, headers and the streamed body; says where the request came from', async () => {
    const incoming = new Request('https://shop.example/upload', {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'x-custom': 'yes', cookie: 'a=1' },
      body: 'hello body',
    });
    const request = toOriginRequest(incoming, new URL('https://origin.example'));
    expect(request.method).toBe('PUT');
    expect(request.headers.get('x-custom')).toBe('yes');
    expect(request.headers.get('cookie')).toBe('a=1');
    expect(request.headers.get('x-forwarded-host')).toBe('shop.example');
    expect(request.headers.get('x-forwarded-proto')).toBe('https');
    expect(request.redirect).toBe('manual');
    expect(await request.text()).toBe('hello body');
  });

  it('keeps an X-Forwarded-Host a proxy before us set', () => {
    const incoming = new Request('https://shop.example/', { headers: { 'x-forwarded-host': 'www.shop.example' } });
    expect(toOriginRequest(incoming, new URL('https://origin.example')).headers.get('x-forwarded-host')).toBe(
      'www.shop.example',
    );
  });
});

describe('blockedResponse', () => {
  it('is a small plain 403 that names no rule', async () => {
    const response = blockedResponse();
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('Forbidden\n');
  });
});
