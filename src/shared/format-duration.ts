/** A duration for a one-line summary: "120 ms" below a second, "1.5 s" above. */
export function formatDuration(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1000) return `${rounded} ms`;
  return `${Number((rounded / 1000).toFixed(1))} s`;
}
