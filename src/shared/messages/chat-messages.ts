/** Texts the chat transports answer with themselves (a card callback's toast). `{name}` marks a parameter. */
export const chatMessages = {
  'chat.toast.working': { en: 'Working on it…', zh: '正在处理…' },
} as const;
