import { describe, expect, it } from 'vitest';
import { keySlot } from '../../../src/redis/key-slot.js';

describe('keySlot', () => {
  it('computes CRC16 modulo 16384 as CLUSTER KEYSLOT does', () => {
    // Values as Redis 7 answers CLUSTER KEYSLOT.
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('')).toBe(0);
  });

  it('hashes only the hash tag: the first {…} with something inside', () => {
    expect(keySlot('{foo}:incident:1')).toBe(keySlot('foo'));
    expect(keySlot('a{foo}b{bar}')).toBe(keySlot('foo'));
    expect(keySlot('{}foo')).toBe(keySlot('{}foo'));
    expect(keySlot('{}foo')).not.toBe(keySlot('foo'));
    expect(keySlot('foo{')).not.toBe(keySlot(''));
  });
});
