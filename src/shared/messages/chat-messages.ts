/** Texts the chat transports answer with themselves (a card callback's toast). `{name}` marks a parameter. */
export const chatMessages = {
  'chat.toast.working': { en: 'Working on it…', zh: '正在处理…' },
  'chat.console.newCard': { en: 'new card {id} → {destination}', zh: '新卡片 {id} → {destination}' },
  'chat.console.updateCard': { en: 'update of card {id} (in place) → {destination}', zh: '原地更新卡片 {id} → {destination}' },
  'chat.console.private': { en: 'private to {identity}', zh: '私信给 {identity}' },
  'chat.console.privateIn': { en: 'private to {identity} in {destination}', zh: '私信给 {identity}（在 {destination}）' },
  'chat.console.ready': {
    en: 'You are {person} ({identity}). Type a button\'s number to press it, a chat command (/incident list, /audit weekly, /warden help), "as {other}" to act as someone else, "help" for more.',
    zh: '你现在是 {person}（{identity}）。输入按钮的编号即可按下它，也可输入聊天命令（/incident list、/audit weekly、/warden help），输入 "as {other}" 切换身份，输入 "help" 查看更多。',
  },
  'chat.console.help': {
    en: 'In this terminal:\n  <number>          press the button shown with that number, e.g. [3 Acknowledge]\n  /<command> …      a chat command: /incident list, /incident postmortem <key>, /audit weekly, /warden help\n  as <person>       act as another person: {people}\n  who               who you are now\n  help              this text',
    zh: '在此终端中：\n  <编号>            按下显示该编号的按钮，例如 [3 Acknowledge]\n  /<命令> …         聊天命令：/incident list、/incident postmortem <key>、/audit weekly、/warden help\n  as <人员>         切换为另一人员：{people}\n  who               当前身份\n  help              本说明',
  },
  'chat.console.actingAs': { en: 'You are now {person} ({identity}).', zh: '你现在是 {person}（{identity}）。' },
  'chat.console.unknownPerson': { en: 'There is nobody called "{person}" at this terminal; choose one of: {people}.', zh: '此终端没有名为 "{person}" 的人员；可选：{people}。' },
  'chat.console.unknownButton': { en: 'No button has the number {number}; type the number shown in brackets on a card, e.g. [3 Acknowledge].', zh: '没有编号为 {number} 的按钮；请输入卡片上方括号中的编号，例如 [3 Acknowledge]。' },
  'chat.console.notUnderstood': { en: 'Not understood: type a button\'s number, a /command, "as <person>" or "help".', zh: '无法理解：请输入按钮编号、/命令、"as <人员>" 或 "help"。' },
  'chat.console.notAccepted': { en: 'Not accepted: {reason}', zh: '未被接受：{reason}' },
  'chat.slack.unreadableCommand': { en: 'Warden could not read this command. Try /warden help.', zh: 'Warden 无法识别该命令，请尝试 /warden help。' },
} as const;
