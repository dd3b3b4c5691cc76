/**
 * Secret values shorter than this cannot be masked safely: they would match ordinary words and
 * numbers. The scrubber ignores them, and the config loader refuses a shorter `${NAME}` value in an
 * action (every value from the environment is treated as a secret there).
 */
export const MIN_SECRET_LENGTH = 8;
