import { describe, expect, it } from 'vitest';
import { formatIp } from './parse.js';
import { parseCidr } from './cidr.js';

describe('parseCidr', () => {
  it.each([
    ['single IPv4 is /32', '192.0.2.1', '192.0.2.1', 32],
    ['single IPv6 is /128', '2001:db8::1', '2001:db8::1', 128],
    ['IPv4 /0', '0.0.0.0/0', '0.0.0.0', 0],
    ['IPv4 /32', '192.0.2.1/32', '192.0.2.1', 32],
    ['IPv6 /0', '::/0', '::', 0],
    ['IPv6 /128', '2001:db8::1/128', '2001:db8::1', 128],
    ['host bits cleared (v4)', '10.1.2.3/8', '10.0.0.0', 8],
    ['host bits cleared (v6)', '2001:db8:ffff::1/32', '2001:db8::', 32],
    ['odd IPv6 prefix', '2001:db8:8000::/33', '2001:db8:8000::', 33],
    ['mapped block becomes IPv4', '::ffff:10.0.0.0/104', '10.0.0.0', 8],
    ['mapped /96 is all IPv4', '::ffff:0:0/96', '0.0.0.0', 0],
  ])('%s: %s', (_name, input, network, prefix) => {
    const block = parseCidr(input);
    expect(block && formatIp(block.ip)).toBe(network);
    expect(block?.prefix).toBe(prefix);
  });

  it.each([
    ['IPv4 prefix too long', '10.0.0.0/33'],
    ['IPv6 prefix too long', '::/129'],
    ['empty prefix', '10.0.0.0/'],
    ['negative prefix', '10.0.0.0/-1'],
    ['prefix with sign', '10.0.0.0/+8'],
    ['prefix with leading zero', '10.0.0.0/08'],
    ['prefix with space', '10.0.0.0/ 8'],
    ['two slashes', '10.0.0.0/8/8'],
    ['bad address', '10.0.0/8'],
    ['mapped prefix shorter than /96', '::ffff:10.0.0.0/64'],
    ['empty', ''],
  ])('%s: %j is null', (_name, input) => {
    expect(parseCidr(input)).toBeNull();
  });
});
