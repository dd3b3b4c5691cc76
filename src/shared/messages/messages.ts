import { approvalCardMessages } from './approval-card-messages.js';
import { approvalMessages } from './approval-messages.js';
import { auditCommandMessages } from './audit-command-messages.js';
import { checklistCardMessages } from './checklist-card-messages.js';
import { commandMessages } from './command-messages.js';
import { incidentCardMessages } from './incident-card-messages.js';
import { noticeMessages } from './notice-messages.js';
import { operationMessages } from './operation-messages.js';
import { refusalMessages } from './refusal-messages.js';
import { renderMessages } from './render-messages.js';
import { warRoomMessages } from './war-room-messages.js';
import { chatMessages } from './chat-messages.js';
import { storedTextMessages } from './stored-text-messages.js';

/**
 * The message catalogue: every text of a card, a button, a command reply or a refusal, in English
 * (`en`) and Simplified Chinese (`zh`). `{name}` marks a parameter (the same names in every language);
 * alert content (titles, labels, annotations) is never a message: it is shown as it came.
 */
export const messages = {
  ...incidentCardMessages,
  ...approvalCardMessages,
  ...checklistCardMessages,
  ...renderMessages,
  ...refusalMessages,
  ...commandMessages,
  ...auditCommandMessages,
  ...operationMessages,
  ...noticeMessages,
  ...approvalMessages,
  ...warRoomMessages,
  ...chatMessages,
  ...storedTextMessages,
} as const;

/** A key of the catalogue, e.g. `card.incident.button.acknowledge`. */
export type MessageKey = keyof typeof messages;
