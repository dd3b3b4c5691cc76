/** Texts of an approval request on the incident card. `{name}` marks a parameter. */
export const approvalCardMessages = {
  'card.approval.needed': {
    en: 'Approval needed: {title}, requested by {by}; someone else with action.approve decides before {at}.',
    zh: '待审批：{title}，由 {by} 发起；须由另一位拥有 action.approve 权限的人员在 {at} 前审批。',
  },
  'card.approval.button.approve': { en: 'Approve: {title}', zh: '批准：{title}' },
  'card.approval.button.deny': { en: 'Deny', zh: '拒绝' },
  'card.approval.more': { en: '+{count} more approval requests waiting.', zh: '另有 {count} 个审批请求待处理。' },
  'card.approval.noRun': {
    en: 'This request was stored without the run it would make: approving it runs nothing. Request {title} again.',
    zh: '此请求保存时没有记录要执行的内容：批准后不会执行任何操作。请重新发起“{title}”。',
  },
  'card.approval.runs': { en: 'Approving runs exactly this (rendered when requested)', zh: '批准后将严格执行以下内容（发起请求时生成）' },
  'card.approval.runsWith': { en: 'Approving runs exactly this (rendered when requested — with {inputs})', zh: '批准后将严格执行以下内容（发起请求时生成，输入：{inputs}）' },
  'card.approval.changed': {
    en: 'The incident changed since the request: rendered now, the run would differ (below). Approving runs the version above, never this one.',
    zh: '发起请求后事件已有变化：按当前状态生成的执行内容会不同（见下）。批准只执行上面的版本，绝不会执行下面这个。',
  },
  'card.approval.renderedNow': { en: 'Rendered now (not what approving runs)', zh: '按当前状态生成（批准不会执行）' },
} as const satisfies Record<string, { en: string; zh: string }>;
