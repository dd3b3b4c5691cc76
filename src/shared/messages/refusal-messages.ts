/** Refusals and usage replies to commands and clicks. `{name}` marks a parameter. */
export const refusalMessages = {
  'refusal.unknownCommand': { en: 'Warden has no command {command}. Commands: {commands}; /warden help explains them.', zh: 'Warden 没有 {command} 命令。可用命令：{commands}；发送 /warden help 查看说明。' },
  'refusal.tooLong': { en: 'That is too long for /{command} (at most {max} characters).', zh: '/{command} 的内容太长（最多 {max} 个字符）。' },
  'refusal.noSubcommand': { en: '/{command} has no {word}.', zh: '/{command} 没有 {word} 子命令。' },
  'refusal.needsSubcommand': { en: '/{command} needs a subcommand.', zh: '/{command} 需要一个子命令。' },
  'refusal.usageList': { en: '{what} Usage:\n{usage}', zh: '{what} 用法：\n{usage}' },
  'refusal.usage': { en: 'Usage: {usage}', zh: '用法：{usage}' },
  'refusal.takes': { en: '({command} takes {expected}.)', zh: '（{command} 的参数：{expected}。）' },
  'refusal.noArguments': { en: 'no arguments', zh: '无参数' },
  'refusal.notValid': { en: '{value} is not {hint}.', zh: '{value} 不是{hint}。' },
  'refusal.restTooLong': { en: 'The <{name}> is too long (at most {max} characters; it has {length}).', zh: '<{name}> 太长（最多 {max} 个字符，当前 {length} 个）。' },
  'refusal.restControls': { en: 'The <{name}> may not contain control characters or tabs; line breaks are fine.', zh: '<{name}> 不能包含控制字符或制表符；换行可以。' },
  'refusal.restInvalid': { en: 'The <{name}> is not {hint}.', zh: '<{name}> 不是{hint}。' },
  'refusal.foreign': { en: 'Refused: {reason}.', zh: '已拒绝：{reason}。' },
  'refusal.origin.slackDisabled': { en: 'Slack is not enabled in this Warden', zh: '此 Warden 未启用 Slack' },
  'refusal.origin.otherSlackApp': { en: 'this request is for another Slack app', zh: '该请求属于另一个 Slack 应用' },
  'refusal.origin.otherSlackWorkspace': { en: 'this Warden serves another Slack workspace', zh: '此 Warden 服务于另一个 Slack 工作区' },
  'refusal.origin.larkDisabled': { en: 'Lark is not enabled in this Warden', zh: '此 Warden 未启用飞书' },
  'refusal.origin.otherLarkApp': { en: 'this request is for another Lark app', zh: '该请求属于另一个飞书应用' },
  'refusal.origin.otherLarkTenant': { en: 'this Warden serves another Lark tenant', zh: '此 Warden 服务于另一个飞书租户' },
  'refusal.unknownButton': {
    en: 'Warden does not know this button (the card may be from an older version); use /incident show <key> for a current card.',
    zh: 'Warden 无法识别这个按钮（卡片可能来自旧版本）；请发送 /incident show <编号> 获取最新卡片。',
  },
  'refusal.denied': {
    en: 'You may not use {subject}: it needs the permission {permission}, and {identity} is in no group that has it. Ask whoever runs Warden to add you (access.groups and access.permissions in its configuration).',
    zh: '你无权使用 {subject}：需要 {permission} 权限，而 {identity} 不在任何拥有该权限的组中。请联系 Warden 管理员将你加入（配置中的 access.groups 和 access.permissions）。',
  },
  'refusal.rateLimited': {
    en: 'You have sent more than {perMinute} commands in a minute; please try again in {seconds} s.',
    zh: '你在一分钟内发送了超过 {perMinute} 条命令；请 {seconds} 秒后再试。',
  },
} as const satisfies Record<string, { en: string; zh: string }>;
