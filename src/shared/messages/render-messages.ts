/** Texts the renderers add to any card. `{name}` marks a parameter. */
export const renderMessages = {
  'render.accent.critical': { en: 'CRITICAL', zh: '严重' },
  'render.accent.warning': { en: 'WARNING', zh: '警告' },
  'render.accent.info': { en: 'INFO', zh: '信息' },
  'render.accent.success': { en: 'OK', zh: '正常' },
  'render.accent.neutral': { en: 'NOTE', zh: '备注' },
  'render.more': { en: '+{count} more', zh: '另有 {count} 项' },
  'render.none': { en: 'none', zh: '无' },
  'render.choose': { en: 'Choose…', zh: '请选择…' },
  'render.slackBlockLimit': { en: 'Part of this card was left out to fit Slack’s 50-block limit.', zh: '为符合 Slack 单条消息 50 个区块的上限，本卡片省略了部分内容。' },
} as const satisfies Record<string, { en: string; zh: string }>;
