import { sanitizeText } from '../shared/sanitize-text.js';

const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'not found',
  ENOTDIR: 'not found (a parent is not a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'path too long',
  EIO: 'I/O error',
};

/** One line for a failed file system call on `path`: "not found: /data/backups", "permission denied: /etc/warden". */
export function describeFsError(error: unknown, path: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const what = typeof code === 'string' ? (DESCRIPTIONS[code] ?? `cannot read (${sanitizeText(code, 40)})`) : 'cannot read';
  return `${what}: ${sanitizeText(path, 200)}`;
}
