const WHO = ['owner', 'group', 'others'] as const;
const WHAT = ['read', 'write', 'execute'] as const;

/** Permission bits in words, most significant first: 0o044 → "group can read, others can read". */
export function describeModeBits(bits: number): string {
  const words: string[] = [];
  if (bits & 0o4000) words.push('setuid');
  if (bits & 0o2000) words.push('setgid');
  if (bits & 0o1000) words.push('sticky');
  WHO.forEach((who, i) => {
    const allowed = WHAT.filter((_, j) => bits & (0o400 >> (i * 3 + j)));
    if (allowed.length > 0) words.push(`${who} can ${allowed.join(' and ')}`);
  });
  return words.join(', ');
}

/** A mode as 4 octal digits: 0o640 → "0640". */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
