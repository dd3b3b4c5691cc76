// C0/C1 controls (terminal escapes, NUL …) and Unicode bidi controls ("Trojan Source") never render usefully.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const lineBreaks = /\r\n|\r|\n|\u2028|\u2029/g;

/**
 * Removes control characters from untrusted text (alert labels, annotations) before a renderer
 * escapes it. Tabs become spaces; line breaks are kept only when `multiline` is set, otherwise they
 * become spaces so one list item stays one line.
 */
export function cleanText(text: string, options: { multiline?: boolean } = {}): string {
  const unified = text.replace(lineBreaks, options.multiline ? '\n' : ' ').replace(/\t/g, ' ');
  return unified.replace(controls, '');
}
