/**
 * Platform-neutral card model. Builders in this folder produce it; `render-slack-blocks.ts`,
 * `render-lark-card.ts` and `render-console-text.ts` turn it into what each platform shows.
 * All text is plain text: renderers escape it for their markup, so alert labels cannot inject
 * mentions or links.
 */
export interface Card {
  /** Headline, plain text. */
  title: string;
  accent: CardAccent;
  /** Notification / fallback text (Slack `text`, Lark summary, terminal header). */
  summary: string;
  blocks: CardBlock[];
}

/** Colour / template hint: renderers map it to what the platform offers. */
export type CardAccent = 'critical' | 'warning' | 'info' | 'success' | 'neutral';

export type CardBlock =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: CardField[] }
  /** A bulleted list; `moreCount` items were left out and are shown as "+N more". */
  | { type: 'list'; title: string; items: string[]; moreCount?: number }
  | { type: 'links'; links: CardLink[] }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; buttons: CardButton[] };

export interface CardField {
  label: string;
  value: string;
}

/** Only http(s) URLs; builders drop anything else. */
export interface CardLink {
  label: string;
  url: string;
}

export interface CardButton {
  /** Stable id the inbound handlers route on, e.g. `incident.ack`, `incident.phase`. */
  actionId: string;
  label: string;
  /** Opaque payload echoed back on click (compact JSON, well under Slack's 2000-char limit). */
  value: string;
  style?: 'primary' | 'danger';
}
