#!/usr/bin/env node
// Entry of the `srbnas` command: runs the TypeScript CLI through tsx so the same source serves
// the browser (via Vite) and Node without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
