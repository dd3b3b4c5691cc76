#!/usr/bin/env node
// Entry point for `npx warden` and `npm start`: runs the compiled CLI (built by `npm ci` through `prepare`).
import { runCli } from '../dist/src/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
