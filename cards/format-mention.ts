const SLACK_USER = /^slack:([UW][A-Z0-9]{2,32})$/;
const LARK_USER = /^lark:(ou_[A-Za-z0-9_-]{1,64})$/;

/**
 * A field's {@link CardField.mention} in the markup of `platform` — Slack `<@U…>`, Lark
 * `<at id=ou_…></at>` — or undefined when the identity is of another platform or malformed (the
 * field's plain value is shown then). Only ids of a strict shape get through: nothing else can
 * reach the markup this way.
 */
export function formatMention(identity: string | undefined, platform: 'slack' | 'lark'): string | undefined {
  if (identity === undefined) return undefined;
  const match = (platform === 'slack' ? SLACK_USER : LARK_USER).exec(identity);
  if (!match) return undefined;
  return platform === 'slack' ? `<@${match[1]}>` : `<at id=${match[1]}></at>`;
}
