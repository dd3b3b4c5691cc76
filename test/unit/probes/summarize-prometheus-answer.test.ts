import { describe, expect, it } from 'vitest';
import { parseSampleValue, summarizePrometheusAnswer } from '../../../src/probes/summarize-prometheus-answer.js';

const vector = (...series: [Record<string, string>, string][]) => ({
  status: 'success',
  data: { resultType: 'vector', result: series.map(([metric, value]) => ({ metric, value: [1_700_000_000.5, value] })) },
});

describe('summarizePrometheusAnswer', () => {
  it('lists a series as value (labels), without __name__ and with rounded values', () => {
    const answer = vector([{ __name__: 'up', job: 'api', instance: 'web-1:9100' }, '0.416666666']);
    expect(summarizePrometheusAnswer(answer)).toEqual({ ok: true, summary: '0.4167 (instance=web-1:9100, job=api)' });
  });

  it('shows a label-less series as its value alone', () => {
    expect(summarizePrometheusAnswer(vector([{}, '12']))).toEqual({ ok: true, summary: '12' });
  });

  it('says "no data" for an empty vector', () => {
    expect(summarizePrometheusAnswer(vector())).toEqual({ ok: true, summary: 'no data' });
    expect(summarizePrometheusAnswer(vector(), 1)).toEqual({ ok: true, summary: 'no data (threshold 1)' });
  });

  it('shows the five highest series and counts the rest', () => {
    const series = Array.from({ length: 8 }, (_, i): [Record<string, string>, string] => [{ i: String(i) }, String(i)]);
    const { summary } = summarizePrometheusAnswer(vector(...series));
    expect(summary).toBe('7 (i=7); 6 (i=6); 5 (i=5); 4 (i=4); 3 (i=3); +3 more series');
  });

  it('reads a scalar', () => {
    expect(summarizePrometheusAnswer({ status: 'success', data: { resultType: 'scalar', result: [1, '3.5'] } })).toEqual({ ok: true, summary: '3.5' });
  });

  it('fails when any sample is above the threshold, and says how many', () => {
    const answer = vector([{ instance: 'a' }, '0.05'], [{ instance: 'b' }, '0.42'], [{ instance: 'c' }, '0.2']);
    expect(summarizePrometheusAnswer(answer, 0.1)).toEqual({
      ok: false,
      summary: '0.42 (instance=b); 0.2 (instance=c); 0.05 (instance=a) — 2 of 3 series above threshold 0.1',
    });
    expect(summarizePrometheusAnswer(answer, 0.5)).toEqual({ ok: true, summary: '0.42 (instance=b); 0.2 (instance=c); 0.05 (instance=a) (threshold 0.5)' });
    expect(summarizePrometheusAnswer(vector([{}, '2']), 1)).toEqual({ ok: false, summary: '2 — above threshold 1' });
  });

  it('treats +Inf as above any threshold and NaN as not above', () => {
    expect(summarizePrometheusAnswer(vector([{}, '+Inf']), 1e300).ok).toBe(false);
    expect(summarizePrometheusAnswer(vector([{}, 'NaN']), 0)).toEqual({ ok: true, summary: 'NaN (threshold 0)' });
  });

  it('checks every sample of a range vector and shows the latest', () => {
    const answer = { status: 'success', data: { resultType: 'matrix', result: [{ metric: { job: 'api' }, values: [[1, '9'], [2, '1']] }] } };
    expect(summarizePrometheusAnswer(answer, 5)).toEqual({ ok: false, summary: '1 (job=api) — above threshold 5' });
  });

  it('reports an API error with its type and message, sanitised', () => {
    const answer = { status: 'error', errorType: 'bad_data', error: 'parse error:\nunexpected "}"' };
    expect(summarizePrometheusAnswer(answer)).toEqual({ ok: false, summary: 'Prometheus error (bad_data): parse error: unexpected "}"' });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a text', 'hello'],
    ['an unknown status', { status: 'maybe', data: {} }],
    ['a vector item without value', { status: 'success', data: { resultType: 'vector', result: [{ metric: {} }] } }],
    ['a scalar that is not a pair', { status: 'success', data: { resultType: 'scalar', result: ['1'] } }],
    ['an unknown result type', { status: 'success', data: { resultType: 'table', result: [] } }],
  ])('fails on %s', (_name, answer) => {
    const verdict = summarizePrometheusAnswer(answer);
    expect(verdict.ok).toBe(false);
    expect(verdict.summary).toMatch(/not a Prometheus API answer|unexpected Prometheus answer/);
  });

  it('keeps label values from breaking the line', () => {
    const { summary } = summarizePrometheusAnswer(vector([{ path: '/a\n/b\u202e' }, '1']));
    expect(summary).toBe('1 (path=/a /b)');
  });

  it('appends the first warning', () => {
    const answer = { ...vector([{}, '1']), warnings: ['partial response'] };
    expect(summarizePrometheusAnswer(answer).summary).toBe('1 (warning: partial response)');
  });
});

describe('parseSampleValue', () => {
  it('understands the special values Prometheus writes', () => {
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('1e3')).toBe(1000);
  });
});
