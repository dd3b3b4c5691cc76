import type { WarRoomRequest } from '../../model/war-room.js';

/**
 * Data of a `war-rooms` job: `open` an incident's room; `pin` its card in the room once posted;
 * `archive` the room of a closed incident once its card there shows it closed. `looks` counts the
 * waits for the card (see `processWarRoomJob`).
 */
export type WarRoomJobData =
  | { task: 'open'; request: WarRoomRequest }
  | { task: 'pin'; key: string; destination: string; looks?: number }
  | { task: 'archive'; key: string; looks?: number };
