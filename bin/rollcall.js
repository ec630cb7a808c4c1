#!/usr/bin/env node
// The `rollcall` command. Runs the compiled dist/ when it is at least as new as every source file
// (`npm start` builds it), else the TypeScript sources through tsx's loader.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newestSource(dir) {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    max = Math.max(max, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return max;
}

const stamp = join(root, 'dist', '.built');
const fresh = existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(join(root, 'src'));
let run;
if (fresh) {
  ({ run } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ run } = await import('../src/cli/main.ts'));
}
await run(process.argv);
