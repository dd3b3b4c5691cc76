import { z } from 'zod';

/** `slack:<channel id>`, `lark:<chat id>` or `console:<name>` (the terminal). */
export const destinationSchema = z
  .string()
  .regex(/^(slack:[CGD][A-Z0-9]{1,31}|lark:oc_[A-Za-z0-9_-]{1,64}|console:[a-z0-9-]{1,32})$/, {
    message: 'must be "slack:<channel id>" (C…, G… or D…, e.g. slack:C0SECURITY), "lark:<chat id>" (e.g. lark:oc_0security) or "console:terminal"',
  });
