#!/usr/bin/env node
// Entry point of the `guichet` command. The sources are TypeScript, run through tsx's loader so
// the repository needs no build step for the hub and its tools.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../hub/cli/main.ts');
await main(process.argv);
