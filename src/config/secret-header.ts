/** Header names whose values are secrets: they must come from `${ENV}` and are redacted from logs. */
export const SECRET_HEADER = /authorization|token|secret|key|cookie|password|credential/i;
