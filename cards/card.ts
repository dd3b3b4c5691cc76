import type { Locale } from '../src/shared/messages/locale.js';

/**
 * Platform-neutral card model. Builders in this folder produce it; `render-slack-blocks.ts`,
 * `render-lark-card.ts` and `render-console-text.ts` turn it into what each platform shows.
 * All text is plain text: renderers escape it for their markup, so alert labels cannot inject
 * mentions or links.
 */
export interface Card {
  /**
   * The same card in other languages (see `localizeCard`): the same blocks in the same order, with
   * the same buttons and values — only the texts differ. The card itself is the English one.
   * Lark shows every language at once (each reader sees their client's); the others pick one.
   */
  translations?: Partial<Record<Locale, Card>>;
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
  /**
   * People to notify (`slack:U…`, `lark:ou_…`): each renderer writes its platform's own mention
   * syntax for the identities of its platform and leaves the others out. Only identities — never
   * names or text — become mentions.
   */
  | { type: 'mentions'; identities: string[] }
  /** Buttons, then an optional select menu beside them (e.g. a checklist item's Done and "N/A …"). */
  | { type: 'actions'; buttons: CardButton[]; select?: CardSelect };

export interface CardField {
  label: string;
  value: string;
  /**
   * An identity (`slack:U…`, `lark:ou_…`) the field names: renderers of that platform show a real
   * mention instead of `value`; elsewhere `value` is shown as plain text.
   */
  mention?: string;
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

/**
 * A single-choice menu that acts like a set of buttons: choosing an option reaches the core as
 * `{ type: 'action', actionId, value: <the option's value> }`, exactly like a button click.
 * Renderers draw it after the block's buttons; an empty `options` list draws nothing.
 */
export interface CardSelect {
  /** Stable id the inbound handlers route on, e.g. `checklist.na` (at most 255 characters). */
  actionId: string;
  /** Plain text shown before a choice is made, e.g. `N/A …`. */
  placeholder: string;
  /** At most 100 options (Slack's cap); their values must be distinct. */
  options: CardSelectOption[];
}

/**
 * One choice of a {@link CardSelect}. Slack's `static_select` has no element-level value, so each
 * option's `value` carries the whole payload (e.g. `{"r":"run-1","i":"item-2","why":"accepted-risk"}`):
 * compact JSON of at most 150 characters, Slack's option value limit. Renderers throw `card_invalid`
 * for a longer value rather than cut it.
 */
export interface CardSelectOption {
  /** Plain text, at most 75 characters shown. */
  label: string;
  value: string;
}
