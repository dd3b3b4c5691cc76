/** Texts of war rooms on cards, in replies and in notices. `{name}` marks a parameter. */
export const warRoomMessages = {
  'card.warRoom.button': { en: 'War room', zh: '作战室' },
  'card.warRoom.link': { en: 'War room: #{name}', zh: '作战室：#{name}' },
  'card.warRoom.archived': { en: 'War room #{name} was archived at {at}.', zh: '作战室 #{name} 已于 {at} 归档。' },
  'card.warRoom.archiveAsked': { en: 'War room #{name}: Warden may not archive it; archive it in the chat app.', zh: '作战室 #{name}：Warden 无权归档，请在聊天应用中归档。' },
  'card.warRoom.failure': { en: '⚠️ {text} ({at})', zh: '⚠️ {text}（{at}）' },
  'card.warRoom.failureFix': { en: '⚠️ {text} ({at}) — fix: {fix}', zh: '⚠️ {text}（{at}）— 处理方法：{fix}' },
  'command.incident.room.summary': {
    en: 'open a private channel (Slack) or group chat (Lark) for an incident, invite its responders and pin its card there',
    zh: '为事件创建私有频道（Slack）或群聊（飞书），邀请处置人员并置顶事件卡片',
  },
  'op.warRoom.requested': { en: 'Opening a war room for {key}; the card links it once it is ready.', zh: '正在为 {key} 创建作战室，创建完成后卡片上会显示链接。' },
  'op.warRoom.retrying': { en: 'Retrying what failed of the war room of {key} (#{name}).', zh: '正在重试 {key} 作战室（#{name}）中失败的操作。' },
  'op.warRoom.alreadyOpen': { en: '{key} already has a war room: #{name}.', zh: '{key} 已有作战室：#{name}。' },
  'op.warRoom.noIncident': { en: 'There is no incident {key}.', zh: '不存在事件 {key}。' },
  'op.warRoom.closed': { en: '{key} is closed; it gets no war room any more.', zh: '{key} 已关闭，不再创建作战室。' },
  'notice.warRoom.archiveTitle': { en: 'Archive #{name}', zh: '请归档 #{name}' },
  'notice.warRoom.archiveText': {
    en: '{key} is closed. Warden may not archive this room (#{name}) on this platform: please archive or dissolve it in the chat app.',
    zh: '{key} 已关闭。Warden 在此平台上无权归档该群（#{name}），请在聊天应用中归档或解散。',
  },
} as const;
