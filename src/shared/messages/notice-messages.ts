/** Notices Warden posts on its own: checklist reminders, escalations and pages. `{name}` marks a parameter. */
export const noticeMessages = {
  'notice.checklist.reminder.title': { en: 'Reminder: {title}', zh: '提醒：{title}' },
  'notice.checklist.reminder.one': {
    en: "{open} item is still open or failing in run {run} (started {started}, due {due}). Tick them on the run's card.",
    zh: '执行 {run} 中还有 {open} 项未完成或未通过（开始于 {started}，截止 {due}）。请在该次检查的卡片上勾选。',
  },
  'notice.checklist.reminder.other': {
    en: "{open} items are still open or failing in run {run} (started {started}, due {due}). Tick them on the run's card.",
    zh: '执行 {run} 中还有 {open} 项未完成或未通过（开始于 {started}，截止 {due}）。请在该次检查的卡片上勾选。',
  },
  'notice.checklist.overdue.title': { en: 'Overdue: {title}', zh: '已逾期：{title}' },
  'notice.checklist.overdue.one': { en: 'Run {run} was due {due} and {open} item is still open or failing. ', zh: '执行 {run} 已于 {due} 到期，仍有 {open} 项未完成或未通过。' },
  'notice.checklist.overdue.other': { en: 'Run {run} was due {due} and {open} items are still open or failing. ', zh: '执行 {run} 已于 {due} 到期，仍有 {open} 项未完成或未通过。' },
  'notice.checklist.overdue.escalated': { en: 'Escalated to the approvers: {approvers}.', zh: '已升级给审批人：{approvers}。' },
  'notice.checklist.overdue.nobody': { en: 'Nobody holds action.approve to escalate to: add approvers to access.groups.', zh: '没有拥有 action.approve 权限的人可以升级：请在 access.groups 中添加审批人。' },
  'notice.checklist.missed.title': { en: 'Missed: {title}', zh: '未执行：{title}' },
  'notice.checklist.missed.text': {
    en: 'The {checklist} checklist was scheduled for {slot} but did not run (Warden or Redis was down). Run it now with /audit {checklist}.',
    zh: '{checklist} 检查清单原定于 {slot} 执行，但未能执行（Warden 或 Redis 当时不可用）。请立即发送 /audit {checklist} 执行。',
  },
  'notice.escalation.title': { en: 'Escalation: {title} [{severity}]', zh: '事件升级：{title} [{severity}]' },
  'notice.escalation.text': {
    en: '{key} has not been acknowledged {minutes} min after it opened. {reach} Acknowledge it on its card or with /incident ack {key}.',
    zh: '{key} 创建 {minutes} 分钟后仍未被确认。{reach}请在卡片上确认，或发送 /incident ack {key}。',
  },
  'notice.escalation.textChain': {
    en: '{key} has not been acknowledged {minutes} min after its escalation started (later than it opened: a silence ended, or a policy came to apply). {reach} Acknowledge it on its card or with /incident ack {key}.',
    zh: '{key} 在升级流程开始 {minutes} 分钟后仍未被确认（晚于事件创建：静默已结束，或升级策略新近适用）。{reach}请在卡片上确认，或发送 /incident ack {key}。',
  },
  'notice.escalation.reached': { en: 'Escalated to {targets}.', zh: '已升级至 {targets}。' },
  'notice.escalation.nobody': { en: 'Nobody could be reached for {targets}: check oncall.rotations and access.people.', zh: '{targets} 无人可通知：请检查 oncall.rotations 和 access.people。' },
  'notice.page.title': { en: 'Page: {title} [{severity}]', zh: '呼叫：{title} [{severity}]' },
  'notice.page.text': { en: '{actor} paged {targets} about {key}. Acknowledge it on its card or with /incident ack {key}.', zh: '{actor} 就 {key} 呼叫了 {targets}。请在卡片上确认，或发送 /incident ack {key}。' },
  'notice.update.title': { en: 'Status update: {title} ({key})', zh: '进展通报：{title}（{key}）' },
  'notice.update.text': { en: '{text}\n— {actor}, phase {phase}', zh: '{text}\n— {actor}，{phase}阶段' },
  'notice.leadReminder.title': { en: 'Time for a status update on {title} ({key})', zh: '该发布 {title}（{key}）的进展通报了' },
  'notice.leadReminder.text': {
    en: 'You lead {key}, phase {phase}. Nothing was posted {quiet}: tell the channel and the stakeholders where things stand with /incident update {key} <text>.',
    zh: '你是 {key} 的负责人，当前处于{phase}阶段。{quiet}还没有发布任何内容：请发送 /incident update {key} <内容> 向频道和相关人员通报进展。',
  },
  'notice.leadReminder.sinceUpdate': { en: 'since the last status update', zh: '自上次进展通报以来' },
  'notice.leadReminder.sinceLead': { en: 'since you became its lead, and no status update yet', zh: '自你成为负责人以来' },
  'op.page.closed': { en: '{key} is closed; there is nobody to page for it.', zh: '{key} 已关闭，无需呼叫任何人。' },
  'op.page.unknownTarget': { en: '"{target}" is no rotation, group or person Warden knows.', zh: 'Warden 不认识“{target}”：它不是轮值、组或人员。' },
  'op.page.unknownTargetTry': { en: '"{target}" is no rotation, group or person Warden knows; try one of: {known}.', zh: 'Warden 不认识“{target}”：它不是轮值、组或人员；可以试试：{known}。' },
  'op.page.noIdentity': { en: '{targets} has no chat identity to reach (access.people).', zh: '{targets} 没有可联系的聊天身份（access.people）。' },
  'op.page.done': { en: 'You paged {targets} about {key}.', zh: '你已就 {key} 呼叫了 {targets}。' },
} as const satisfies Record<string, { en: string; zh: string }>;
