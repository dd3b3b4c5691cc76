import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeHostRuleProblem, isHostAllowed } from '../../../src/shared/is-host-allowed.js';

const allowed = (url: string, rules: string[]) => isHostAllowed(new URL(url), rules);

describe('isHostAllowed', () => {
  it('matches names without case, any port unless the rule names one', () => {
    expect(allowed('http://Web-1.Prod.Example.com:9100/x', ['web-1.prod.example.com'])).toBe(true);
    expect(allowed('http://web-1.prod.example.com./x', ['web-1.prod.example.com'])).toBe(true);
    expect(allowed('http://web-2.prod.example.com/x', ['web-1.prod.example.com'])).toBe(false);
    expect(allowed('http://web-1.prod.example.com:9100/', ['web-1.prod.example.com:9100'])).toBe(true);
    expect(allowed('http://web-1.prod.example.com:9200/', ['web-1.prod.example.com:9100'])).toBe(false);
  });

  it('compares the default port when the URL names none', () => {
    expect(allowed('https://api.example.com/', ['api.example.com:443'])).toBe(true);
    expect(allowed('http://api.example.com/', ['api.example.com:443'])).toBe(false);
    expect(allowed('http://api.example.com/', ['api.example.com:80'])).toBe(true);
  });

  it('lets a wildcard match names below the domain, never the domain itself nor a look-alike', () => {
    const rules = ['*.prod.example.com'];
    expect(allowed('http://web-1.prod.example.com/', rules)).toBe(true);
    expect(allowed('http://a.b.prod.example.com/', rules)).toBe(true);
    expect(allowed('http://prod.example.com/', rules)).toBe(false);
    expect(allowed('http://evilprod.example.com/', rules)).toBe(false);
    expect(allowed('http://prod.example.com.evil.net/', rules)).toBe(false);
  });

  it('matches addresses and networks, in every spelling the URL parser accepts', () => {
    expect(allowed('http://10.1.2.3:9100/', ['10.0.0.0/8'])).toBe(true);
    expect(allowed('http://11.1.2.3:9100/', ['10.0.0.0/8'])).toBe(false);
    expect(allowed('http://10.0.3.7/', ['10.0.3.7'])).toBe(true);
    expect(allowed('http://10.0.3.8/', ['10.0.3.7'])).toBe(false);
    expect(allowed('http://[fd00::17]:9100/', ['fd00::/8'])).toBe(true);
    expect(allowed('http://[fe80::1]/', ['fd00::/8'])).toBe(false);
    expect(allowed('http://[::1]:8080/', ['[::1]:8080'])).toBe(true);
    // WHATWG URL parsing turns these into 127.0.0.1: a name rule never admits them.
    expect(allowed('http://2130706433/', ['*.example.com', '10.0.0.0/8'])).toBe(false);
    expect(allowed('http://0x7f.1/', ['*.example.com', '10.0.0.0/8'])).toBe(false);
    expect(allowed('http://2130706433/', ['127.0.0.0/8'])).toBe(true);
  });

  it('never lets a name rule admit an address, nor an address rule a name', () => {
    expect(allowed('http://10.0.0.1/', ['*.example.com'])).toBe(false);
    expect(allowed('http://ten.example.com/', ['10.0.0.0/8'])).toBe(false);
  });

  it('admits exactly the addresses inside a network', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 8, max: 30 }), (address, bits) => {
        const octets = address.split('.').map(Number);
        const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        const network = (value & mask) >>> 0;
        const text = [24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.');
        const inside = allowed(`http://${address}/`, [`${text}/${bits}`]);
        expect(inside).toBe(true);
        const outside = ((network ^ (1 << (32 - bits))) >>> 0) | (value & ~mask & 0xffffffff);
        const outsideText = [24, 16, 8, 0].map((shift) => ((outside >>> 0) >>> shift) & 255).join('.');
        expect(allowed(`http://${outsideText}/`, [`${text}/${bits}`])).toBe(false);
      }),
    );
  });

  it('lets an invalid rule allow nothing, and describes what is wrong with it', () => {
    for (const rule of ['', 'http://web-1', 'web 1', '10.0.0.0/33', 'fd00::/129', 'web-1:0', 'web-1:99999', '*', '*.', 'a/b', '[::1', '1.2.3']) {
      expect(describeHostRuleProblem(rule), rule).toContain('is not a host rule');
      expect(allowed('http://web-1/', [rule])).toBe(false);
    }
    for (const rule of ['web-1', '*.example.com', '10.0.0.0/8', 'fd00::/8', '::1', '[::1]:9100', 'web-1:9100', '10.0.0.0/8:9100']) {
      expect(describeHostRuleProblem(rule), rule).toBeUndefined();
    }
  });
});
