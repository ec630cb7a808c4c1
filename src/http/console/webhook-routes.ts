import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** Webhook endpoints and deliveries (filled in once the webhook use cases land). */
export function registerWebhookRoutes(_app: FastifyInstance, _deps: Deps): void {}
