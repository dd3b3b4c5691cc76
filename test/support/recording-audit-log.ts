import type { AuditEntry, AuditEntryInput, AuditLog } from '../../src/audit/audit-log.js';

/** An audit log that keeps entries in memory, for tests that check what was audited; `failNext` makes the next append throw. */
export interface RecordingAuditLog extends AuditLog {
  entries: AuditEntryInput[];
  failNext(error?: Error): void;
}

export function createRecordingAuditLog(): RecordingAuditLog {
  const entries: AuditEntryInput[] = [];
  let failure: Error | undefined;
  return {
    entries,
    failNext(error = new Error('audit unavailable')) {
      failure = error;
    },
    async append(entry) {
      if (failure) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      entries.push(entry);
      return { ...entry, seq: entries.length, at: new Date().toISOString(), prev: '', hash: '' } satisfies AuditEntry;
    },
  };
}
