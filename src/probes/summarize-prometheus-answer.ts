import { sanitizeText } from '../shared/sanitize-text.js';

/** What a Prometheus instant-query answer means for a probe. */
export interface PrometheusVerdict {
  ok: boolean;
  summary: string;
}

interface Series {
  labels: Record<string, string>;
  /** Every sample value (one for a vector or scalar, all of them for a range vector). */
  samples: number[];
  /** What to show: the latest sample as Prometheus wrote it. */
  shown: string;
}

const SHOWN_SERIES = 5;
const MESSAGE_LENGTH = 160;

/**
 * Turns a parsed `/api/v1/query` answer into a one-line verdict: up to five series as
 * `value (label=…)` (highest first) plus "+N more series", or "no data". With `threshold`, the
 * verdict fails when any sample is above it. Error answers and unexpected shapes fail too.
 */
export function summarizePrometheusAnswer(answer: unknown, threshold?: number): PrometheusVerdict {
  if (!isRecord(answer)) return fail('not a Prometheus API answer');
  if (answer.status === 'error') {
    const type = typeof answer.errorType === 'string' ? sanitizeText(answer.errorType, 40) : 'unknown';
    const message = typeof answer.error === 'string' ? sanitizeText(answer.error, MESSAGE_LENGTH) : 'no message';
    return fail(`Prometheus error (${type}): ${message}`);
  }
  if (answer.status !== 'success' || !isRecord(answer.data)) return fail('not a Prometheus API answer');

  const { resultType, result } = answer.data;
  if (resultType === 'string') {
    if (!isSample(result)) return fail('unexpected Prometheus answer: malformed string result');
    const text = `"${sanitizeText(result[1], MESSAGE_LENGTH)}"`;
    return threshold === undefined ? { ok: true, summary: text } : fail(`${text} (a string cannot be compared with threshold ${threshold})`);
  }
  const series = readSeries(resultType, result);
  if (series === undefined) return fail(`unexpected Prometheus answer: resultType ${sanitizeText(String(resultType), 20)} with a malformed result`);

  const verdict = describeSeries(series, threshold);
  const warning = Array.isArray(answer.warnings) && typeof answer.warnings[0] === 'string' ? ` (warning: ${sanitizeText(answer.warnings[0], 80)})` : '';
  return { ok: verdict.ok, summary: verdict.summary + warning };
}

/** Parses a Prometheus sample value, including "NaN", "+Inf" and "-Inf". */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function readSeries(resultType: unknown, result: unknown): Series[] | undefined {
  if (resultType === 'scalar') return isSample(result) ? [{ labels: {}, samples: [parseSampleValue(result[1])], shown: result[1] }] : undefined;
  if ((resultType !== 'vector' && resultType !== 'matrix') || !Array.isArray(result)) return undefined;
  const series: Series[] = [];
  for (const item of result) {
    if (!isRecord(item) || !isRecord(item.metric)) return undefined;
    const labels = Object.fromEntries(Object.entries(item.metric).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    if (resultType === 'vector') {
      if (isSample(item.value)) series.push({ labels, samples: [parseSampleValue(item.value[1])], shown: item.value[1] });
      else if ('histogram' in item) series.push({ labels, samples: [], shown: 'histogram' });
      else return undefined;
    } else {
      if (!Array.isArray(item.values) || !item.values.every(isSample)) return undefined;
      const values = item.values as [number, string][];
      series.push({ labels, samples: values.map((sample) => parseSampleValue(sample[1])), shown: values.at(-1)?.[1] ?? 'no samples' });
    }
  }
  return series;
}

function describeSeries(series: Series[], threshold: number | undefined): PrometheusVerdict {
  const suffix = threshold === undefined ? '' : ` (threshold ${threshold})`;
  if (series.length === 0) return { ok: true, summary: `no data${suffix}` };

  const peak = (s: Series) => s.samples.reduce((max, value) => (value > max ? value : max), -Infinity);
  const sorted = [...series].sort((a, b) => peak(b) - peak(a) || 0);
  const parts = sorted.slice(0, SHOWN_SERIES).map(describeOne);
  if (sorted.length > SHOWN_SERIES) parts.push(`+${sorted.length - SHOWN_SERIES} more series`);
  const listing = parts.join('; ');

  if (threshold === undefined) return { ok: true, summary: listing };
  const above = series.filter((s) => s.samples.some((value) => value > threshold)).length;
  if (above === 0) return { ok: true, summary: `${listing}${suffix}` };
  const count = series.length === 1 ? 'above' : `${above} of ${series.length} series above`;
  return { ok: false, summary: `${listing} — ${count} threshold ${threshold}` };
}

function describeOne(series: Series): string {
  const value = series.shown === 'histogram' ? series.shown : formatSample(parseSampleValue(series.shown));
  const labels = Object.entries(series.labels)
    .filter(([name]) => name !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, labelValue]) => `${name}=${labelValue}`)
    .join(', ');
  return labels === '' ? value : `${value} (${sanitizeText(labels, 100)})`;
}

function formatSample(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}

function isSample(value: unknown): value is [number, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(summary: string): PrometheusVerdict {
  return { ok: false, summary };
}
