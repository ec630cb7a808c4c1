#!/usr/bin/env node
// Builds the admin console (web/) into web/dist when its sources are newer than the build.
// Installs web/'s own dependencies first when they are missing (npm ci against its lock file).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const web = new URL('../web/', import.meta.url).pathname;
const force = process.argv.includes('--force');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

if (!existsSync(join(web, 'node_modules', '.package-lock.json'))) {
  execSync('npm ci --no-audit --no-fund', { cwd: web, stdio: ['ignore', 'inherit', 'inherit'] });
}
const dist = join(web, 'dist', 'index.html');
const sources = Math.max(
  newest(join(web, 'src')),
  newest(join(web, 'index.html')),
  newest(join(web, 'vite.config.js')),
);
if (force || !existsSync(dist) || statSync(dist).mtimeMs < sources) {
  execSync('npx vite build --logLevel warn', { cwd: web, stdio: ['ignore', 'inherit', 'inherit'] });
}
