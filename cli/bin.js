#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx trellis` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main(process.argv);
