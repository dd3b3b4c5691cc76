/** Texts of war rooms on cards, in replies and in notices. `{name}` marks a parameter. */
export const warRoomMessages = {
  'card.warRoom.button': { en: 'War room', zh: '作战室' },
  'card.warRoom.link': { en: 'War room: #{name}', zh: '作战室：#{name}' },
  'card.warRoom.archived': { en: 'War room #{name} was archived at {at}.', zh: '作战室 #{name} 已于 {at} 归档。' },
  'card.warRoom.archiveAsked': { en: 'War room #{name}: Warden may not archive it; archive it in the chat app.', zh: '作战室 #{name}：Warden 无权归档，请在聊天应用中归档。' },
  'card.warRoom.failure': { en: '⚠️ {text} ({at})', zh: '⚠️ {text}（{at}）' },
  'card.warRoom.failureFix': { en: '⚠️ {text} ({at}) — fix: {fix}', zh: '⚠️ {text}（{at}）— 处理方法：{fix}' },
  'card.warRoom.failed.open': { en: 'War room could not be opened: {reason}', zh: '作战室创建失败：{reason}' },
  'card.warRoom.failed.invite': { en: 'War room invitations failed: {reason}', zh: '作战室邀请成员失败：{reason}' },
  'card.warRoom.failed.pin': { en: 'War room card could not be pinned: {reason}', zh: '作战室卡片置顶失败：{reason}' },
  'card.warRoom.failed.archive': { en: 'War room could not be archived: {reason}', zh: '作战室归档失败：{reason}' },
  'card.warRoom.reason.rejected': { en: '{platform} rejected the request: {detail}', zh: '{platform} 拒绝了请求：{detail}' },
  'card.warRoom.reason.nameTaken': { en: 'the names {names} are taken', zh: '名称 {names} 已被占用' },
  'card.warRoom.reason.unsupported': { en: '{platform} has no war rooms; configure Slack or Lark (warRoom.platform)', zh: '{platform} 不支持作战室，请配置 Slack 或飞书（warRoom.platform）' },
  'card.warRoom.reason.noPlatform': {
    en: 'the incident has no Slack or Lark destination to choose a platform from; set warRoom.platform',
    zh: '事件没有 Slack 或飞书目标，无法据此选择平台，请设置 warRoom.platform',
  },
  'card.warRoom.fix.slackScope': {
    en: 'add the {scope} bot scope to the Slack app (deploy/slack-app-manifest.yaml), reinstall it to the workspace, then press War room again',
    zh: '为 Slack 应用添加 {scope} 机器人权限（deploy/slack-app-manifest.yaml），重新安装到工作区，然后再次点击“作战室”',
  },
  'card.warRoom.fix.larkScope': {
    en: 'grant the app the {scope} permission in the Lark developer console, publish a new version, then press War room again',
    zh: '在飞书开发者后台为应用开通 {scope} 权限并发布新版本，然后再次点击“作战室”',
  },
  'card.warRoom.fix.nameTaken': { en: 'archive or rename the channels of that name, then press War room again', zh: '归档或重命名同名频道，然后再次点击“作战室”' },
  'card.warRoom.fix.notAllowed': { en: 'a {platform} workspace setting stops apps from doing this; ask an admin to allow it', zh: '{platform} 工作区的设置不允许应用执行此操作，请联系管理员开启' },
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
