import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../src/config/deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes objects and arrays at every depth and returns the same value', () => {
    const value = { a: { b: [1, { c: 'd' }] }, e: [[2]] };
    const frozen = deepFreeze(value);
    expect(frozen).toBe(value);
    for (const node of [value, value.a, value.a.b, value.a.b[1], value.e, value.e[0]]) expect(Object.isFrozen(node)).toBe(true);
    expect(() => {
      (value.a.b[1] as { c: string }).c = 'x';
    }).toThrow(TypeError);
    expect(value.a.b[1]).toEqual({ c: 'd' });
  });

  it('returns primitives and null unchanged', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze('s')).toBe('s');
    expect(deepFreeze(null)).toBe(null);
    expect(deepFreeze(undefined)).toBe(undefined);
  });

  it('terminates on cycles', () => {
    const a: { self?: unknown; child: { parent?: unknown } } = { child: {} };
    a.self = a;
    a.child.parent = a;
    deepFreeze(a);
    expect(Object.isFrozen(a.child)).toBe(true);
  });
});
