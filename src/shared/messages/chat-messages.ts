/** Texts the chat transports answer with themselves (a card callback's toast). `{name}` marks a parameter. */
export const chatMessages = {
  'chat.toast.working': { en: 'Working on it…', zh: '正在处理…' },
  'chat.console.newCard': { en: 'new card {id} → {destination}', zh: '新卡片 {id} → {destination}' },
  'chat.console.updateCard': { en: 'update of card {id} (in place) → {destination}', zh: '原地更新卡片 {id} → {destination}' },
  'chat.console.private': { en: 'private to {identity}', zh: '私信给 {identity}' },
  'chat.console.privateIn': { en: 'private to {identity} in {destination}', zh: '私信给 {identity}（在 {destination}）' },
  'chat.slack.unreadableCommand': { en: 'Warden could not read this command. Try /warden help.', zh: 'Warden 无法识别该命令，请尝试 /warden help。' },
} as const;
