import { readFile } from 'node:fs/promises';
import { extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The built console (`npm --prefix web run build` writes it). */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// The client-side routes of the console; each serves index.html (the SPA picks the page).
// Listed explicitly rather than a catch-all so unknown /api and SCIM paths keep their own 404s.
const spaRoutes = [
  '/',
  '/sign-in',
  '/invite/*',
  '/members',
  '/members/*',
  '/groups',
  '/groups/*',
  '/settings',
  '/settings/*',
  '/provisioning',
  '/provisioning/*',
  '/audit',
  '/audit/*',
  '/webhooks',
  '/webhooks/*',
];

/** Headers for every console page: no framing, no sniffing, and no Referer (invite links carry a token). */
function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
}

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Rollcall console not built</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;line-height:1.5"><h1>The admin console has not been built</h1>
<p>Build it once with <code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>, then reload this page.</p></body></html>`;

/** Serves web/dist: hashed assets cached forever, index.html for every console route. */
export function registerStatic(app: FastifyInstance, dist = WEB_DIST): void {
  const sendIndex = async (reply: FastifyReply) => {
    try {
      const html = await readFile(`${dist}index.html`);
      return secure(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    } catch {
      return secure(reply).code(503).type('text/html; charset=utf-8').send(notBuilt);
    }
  };
  for (const route of spaRoutes) app.get(route, async (_request, reply) => sendIndex(reply));

  app.get('/assets/*', async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    const path = normalize(`${dist}assets/${rest}`);
    if (!path.startsWith(`${dist}assets${sep}`))
      return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset' } });
    try {
      const body = await readFile(path);
      return secure(reply)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type(types[extname(path)] ?? 'application/octet-stream')
        .send(body);
    } catch {
      return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset' } });
    }
  });
  app.get('/favicon.svg', async (_request, reply) => {
    try {
      return secure(reply)
        .type('image/svg+xml')
        .send(await readFile(`${dist}favicon.svg`));
    } catch {
      return reply.code(404).send({ error: { code: 'not_found', message: 'No favicon' } });
    }
  });
}
