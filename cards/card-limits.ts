/**
 * The numbers cards are built and rendered against. Platform limits come from the platform docs;
 * builder caps keep a card readable at 3 a.m. (the rest becomes "+N more").
 */

/** Block Kit limits, https://api.slack.com/reference/block-kit/blocks and …/composition-objects. */
export const slackLimits = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextText: 2000,
  elementsPerActions: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Top-level `text` is truncated by Slack after 4000 characters; stay well below. */
  fallbackText: 3000,
  /** A single list item never takes more than this, so at least one fits beside the list title. */
  listItem: 1500,
} as const;

/**
 * Select menus, as Slack's static_select takes them: placeholder ≤ 150, at most 100 options
 * (https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element#static_select), option
 * text ≤ 75, value ≤ 150 and unique (https://docs.slack.dev/reference/block-kit/composition-objects/option-object).
 * The neutral card promises these to both renderers, so a card that renders for Lark (whose
 * select_static also needs unique values) renders for Slack too.
 */
export const selectLimits = { placeholder: 150, options: 100, optionText: 75, optionValue: 150 } as const;

/**
 * Lark card JSON 2.0 limits: the whole card must stay within 30 KB
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure).
 */
export const larkLimits = {
  cardBytes: 30 * 1024,
  headerTitle: 150,
  summary: 120,
  markdownText: 4000,
  listItem: 500,
  buttonText: 75,
} as const;

/** How much the builders put on a card before summarising the rest as "+N more". */
export const cardCaps = {
  instances: 10,
  alertNames: 10,
  diagnosisResults: 8,
  playbookSteps: 20,
  runbookLinks: 3,
  sourceLinks: 3,
  digestIncidents: 30,
  /** Instances named in the one-line summary. */
  summaryInstances: 3,
  summaryText: 200,
} as const;
