import { describe, expect, it } from 'vitest';
import { readLoginAccount } from './login-account.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json; charset=utf-8';

function post(body: string | null, type: string | null, headers: Record<string, string> = {}) {
  return new Request('https://shop.example/login', {
    method: 'POST',
    body,
    headers: { ...(type ? { 'content-type': type } : {}), ...headers },
  });
}

describe('readLoginAccount', () => {
  it.each([
    ['a form field', post('username=alice%40example.com&password=x', FORM), 'username', 'alice@example.com'],
    ['a JSON field', post('{"email":" Bob@Example.com ","password":"x"}', JSON_TYPE), 'email', 'Bob@Example.com'],
    ['a missing form field', post('user=alice', FORM), 'username', null],
    ['an empty value', post('username=&password=x', FORM), 'username', null],
    ['a number in JSON', post('{"username":42}', JSON_TYPE), 'username', null],
    ['a nested object', post('{"username":{"a":1}}', JSON_TYPE), 'username', null],
    ['a JSON array', post('["alice"]', JSON_TYPE), '0', null],
    ['malformed JSON', post('{"username":', JSON_TYPE), 'username', null],
    ['a prototype key not in the body', post('{"password":"x"}', JSON_TYPE), 'toString', null],
    ['a prototype key in the body', post('{"__proto__":"mallory"}', JSON_TYPE), '__proto__', 'mallory'],
    ['constructor absent', post('a=1', FORM), 'constructor', null],
    ['another content type', post('username=alice', 'text/plain'), 'username', null],
    ['no content type', post('username=alice', null), 'username', null],
    ['no body', post(null, FORM), 'username', null],
    ['a 300-character account', post(`username=${'a'.repeat(300)}`, FORM), 'username', null],
    ['control bytes kept for the hash', post('username=al%00ice', FORM), 'username', 'al\u0000ice'],
  ])('%s', async (_name, request, field, expected) => {
    expect(await readLoginAccount(request, field)).toBe(expected);
  });

  it('gives up on a body larger than the bound, declared or streamed', async () => {
    const big = `username=alice&pad=${'x'.repeat(9_000)}`;
    expect(await readLoginAccount(post(big, FORM), 'username')).toBeNull();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('username=alice&'.repeat(40)));
        controller.close();
      },
    });
    const chunked = new Request('https://shop.example/login', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': FORM },
    });
    expect(await readLoginAccount(chunked, 'username')).toBeNull();
  });

  it('reads a copy: the original body is still whole', async () => {
    const request = post('username=alice&password=secret', FORM);
    expect(await readLoginAccount(request.clone(), 'username')).toBe('alice');
    expect(await request.text()).toBe('username=alice&password=secret');
  });
});
