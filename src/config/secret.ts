import { z } from 'zod';

/**
 * A secret's schema: a non-empty string. `what` (the dotted key) names it in the message, never
 * its value; secret keys are listed in `interpolate-env.ts` so they can only come from the environment.
 */
export const secret = (what: string) => z.string().min(1, { message: `${what} is empty; set the environment variable it references` });
