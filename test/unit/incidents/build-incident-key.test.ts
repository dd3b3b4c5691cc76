import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIncidentKey, INCIDENT_KEY_PATTERN } from '../../../src/incidents/build-incident-key.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

const GROUP_KEY = '{}/{severity="critical"}:{alertname="SuspiciousProcess"}';

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('buildIncidentKey', () => {
  it('is inc- and the first 12 hex digits of the SHA-256 of the groupKey', () => {
    const hex = createHash('sha256').update(GROUP_KEY).digest('hex');
    expect(buildIncidentKey(GROUP_KEY)).toBe(`inc-${hex.slice(0, 12)}`);
  });

  it('is the same for every call with the same groupKey', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (groupKey) => buildIncidentKey(groupKey) === buildIncidentKey(groupKey)));
  });

  it('appends the generation from the second incident of a group on', () => {
    const base = buildIncidentKey(GROUP_KEY);
    expect(buildIncidentKey(GROUP_KEY, 1)).toBe(base);
    expect(buildIncidentKey(GROUP_KEY, 2)).toBe(`${base}-2`);
    expect(buildIncidentKey(GROUP_KEY, 137)).toBe(`${base}-137`);
  });

  it('always matches INCIDENT_KEY_PATTERN', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 999_999_999 }), (groupKey, generation) =>
        INCIDENT_KEY_PATTERN.test(buildIncidentKey(groupKey, generation)),
      ),
    );
  });

  it('gives different groupKeys different keys', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        fc.pre(a !== b);
        return buildIncidentKey(a) !== buildIncidentKey(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives groupKeys that differ by one character different keys', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (groupKey, at, character) => {
        const i = at % groupKey.length;
        const other = groupKey.slice(0, i) + character + groupKey.slice(i + 1);
        fc.pre(other !== groupKey);
        return buildIncidentKey(other) !== buildIncidentKey(groupKey);
      }),
    );
  });
});

describe('INCIDENT_KEY_PATTERN', () => {
  it.each(['inc-3f9a1c2b7d4e', 'inc-3f9a1c2b7d4e-2', 'inc-000000000000-999999999'])('accepts %s', (key) => {
    expect(INCIDENT_KEY_PATTERN.test(key)).toBe(true);
  });

  it.each(['inc-3F9A1C2B7D4E', 'inc-3f9a1c2b7d4', 'inc-3f9a1c2b7d4e0', 'inc-3f9a1c2b7d4e-0', 'inc-3f9a1c2b7d4e-01', 'inc-3f9a1c2b7d4e-1000000000', ' inc-3f9a1c2b7d4e', 'inc-3f9a1c2b7d4e\n', 'INC-3f9a1c2b7d4e'])(
    'refuses %j',
    (key) => {
      expect(INCIDENT_KEY_PATTERN.test(key)).toBe(false);
    },
  );
});
