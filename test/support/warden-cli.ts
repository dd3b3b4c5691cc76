// Runs the CLI from source, the way `bin/warden.js` runs it from `dist/`, for tests that need a real process.
import { runCli } from '../../src/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
