/**
 * SIGKILLs every process of the group `pgid`. Returns `denied` when the group holds only processes
 * Warden may not signal (another user's), `gone` when there is no such group.
 */
export function killProcessGroup(pgid: number): 'killed' | 'gone' | 'denied' {
  try {
    process.kill(-pgid, 'SIGKILL');
    return 'killed';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'denied' : 'gone';
  }
}
