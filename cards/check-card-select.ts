import { WardenError } from '../src/errors/warden-error.js';
import type { CardSelect } from './card.js';
import { selectLimits, slackLimits } from './card-limits.js';
import { fitText } from './fit-text.js';

/**
 * Refuses a select menu the neutral card does not allow (see `selectLimits`): the renderers call it
 * before drawing one, so a bad select fails the same way on Slack and on Lark.
 */
export function checkCardSelect(select: CardSelect): void {
  const problem = findSelectProblem(select);
  if (problem !== undefined) throw new WardenError('card_invalid', `select ${fitText(select.actionId, 80)} has ${problem}`);
}

function findSelectProblem(select: CardSelect): string | undefined {
  if (select.actionId.length > slackLimits.actionId) return `an action id over Slack's ${slackLimits.actionId} characters`;
  if (select.options.length > selectLimits.options) return `${select.options.length} options, over Slack's ${selectLimits.options}`;
  const values = select.options.map((option) => option.value);
  if (values.some((value) => value.length > selectLimits.optionValue)) return `an option value over Slack's ${selectLimits.optionValue} characters`;
  if (new Set(values).size !== values.length) return 'two options with the same value';
  return undefined;
}
