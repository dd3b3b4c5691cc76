/**
 * Texts Warden stores on an incident or an approval request as catalogue references (a silence's
 * failure, why escalation stopped, whom it reached, a long silence's approval request), so each
 * card shows them in its language. `{name}` marks a parameter.
 */
export const storedTextMessages = {
  'card.silence.failure': { en: '⚠️ {text} ({at})', zh: '⚠️ {text}（{at}）' },
  'card.silence.failed.create': { en: 'Silence failed: {reason}', zh: '静默失败：{reason}' },
  'card.silence.failed.expire': { en: 'Expiring the silence failed: {reason}', zh: '取消静默失败：{reason}' },
  'card.silence.refused.create': { en: 'not silenced: {why}', zh: '未静默：{why}' },
  'card.silence.refused.expire': { en: 'not expired: {why}', zh: '未取消静默：{why}' },
  'card.silence.refusal.requesterUnauthorized': { en: '{who} no longer holds incident.respond', zh: '{who} 已不再拥有 incident.respond 权限' },
  'card.silence.refusal.noApproval': { en: 'a silence this long needs an approval, and none is on record', zh: '这么长的静默需要审批，但没有审批记录' },
  'card.silence.refusal.otherDuration': { en: 'the approval on record is for another duration', zh: '已记录的审批对应的是另一个时长' },
  'card.silence.refusal.approverUnauthorized': { en: 'its approver {who} no longer holds action.approve', zh: '其审批人 {who} 已不再拥有 action.approve 权限' },
  'card.silence.refusal.selfApproval': { en: 'it was approved by the person who asked for it', zh: '审批人与申请人是同一个人' },
  'card.silence.error.noMatchers': {
    en: 'the incident has no group labels (nor labels its alerts share) to silence it by; silence it in Alertmanager instead',
    zh: '事件没有可用于静默的分组标签（其告警也没有共同的标签），请直接在 Alertmanager 中静默',
  },
  'card.silence.error.noExternalUrl': {
    en: 'Warden does not know where Alertmanager is: the notification has no externalURL; set alertmanager.apiUrl',
    zh: 'Warden 不知道 Alertmanager 的地址：通知中没有 externalURL，请设置 alertmanager.apiUrl',
  },
  'card.silence.error.badExternalUrl': {
    en: 'Warden does not know where Alertmanager is: its externalURL is not an http(s) URL; set alertmanager.apiUrl',
    zh: 'Warden 不知道 Alertmanager 的地址：其 externalURL 不是 http(s) 地址，请设置 alertmanager.apiUrl',
  },
  'card.approval.silence.title': { en: 'Silence for {duration}', zh: '静默 {duration}' },
  'card.approval.silence.preview': {
    en: 'Silence the alerts matching {filter} in Alertmanager for {duration}, created by {by}',
    zh: '在 Alertmanager 中静默匹配 {filter} 的告警 {duration}，创建人 {by}',
  },
  'card.approval.silence.previewReason': {
    en: 'Silence the alerts matching {filter} in Alertmanager for {duration}, created by {by}: {reason}',
    zh: '在 Alertmanager 中静默匹配 {filter} 的告警 {duration}，创建人 {by}：{reason}',
  },
  'card.escalation.stop.silenced': { en: 'silenced in Alertmanager until {until} by {by}', zh: '{by} 已在 Alertmanager 中静默至 {until}' },
  'oncall.target.rotation': { en: '{person} (on call for {rotation})', zh: '{person}（{rotation} 值班）' },
  'oncall.target.rotationNobody': { en: 'nobody (on call for {rotation})', zh: '无人（{rotation} 值班）' },
  'oncall.target.group': { en: '{group} ({people})', zh: '{group}（{people}）' },
  'oncall.target.groupNobody': { en: '{group} (nobody)', zh: '{group}（无人）' },
  'oncall.target.unknown': { en: '{name} (unknown)', zh: '{name}（未知）' },
} as const;
