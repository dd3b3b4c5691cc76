/** Texts the chat transports answer with themselves (a card callback's toast). `{name}` marks a parameter. */
export const chatMessages = {
  'chat.toast.working': { en: 'Working on it…', zh: '正在处理…' },
  'chat.slack.unreadableCommand': { en: 'Warden could not read this command. Try /warden help.', zh: 'Warden 无法识别该命令，请尝试 /warden help。' },
} as const;
