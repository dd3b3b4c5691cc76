import type { AuditCheckpoint } from './audit-checkpoint.js';

/**
 * The text a checkpoint is posted with in chat: everything needed to check an audit file against
 * it later, and the command that does. `prefix` tells deployments apart.
 */
export function describeAuditCheckpoint(checkpoint: AuditCheckpoint, prefix: string): string {
  return [
    `Warden's audit log (${prefix}) up to seq ${checkpoint.seq}, taken ${checkpoint.at}:`,
    `hash ${checkpoint.hash}`,
    checkpoint.mac ? `HMAC-SHA256 ${checkpoint.mac}` : 'unsigned (no audit.hmacKey): this message itself is the record',
    `Check an audit file against it: warden audit-log verify --checkpoint ${checkpoint.seq}:${checkpoint.hash}`,
  ].join('\n');
}
