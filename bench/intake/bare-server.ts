import Fastify from 'fastify';
import { serveChild } from './serve-child.js';

/**
 * The baseline: a bare Fastify route on the same path that parses the same JSON body (Fastify's
 * default parser, same body limit as Warden's route) and answers 202 — no auth, validation or Redis.
 */
await serveChild(async () => {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.post('/webhooks/alertmanager', async (request, reply) => {
    const body = request.body as { alerts?: unknown[] } | null;
    if (!body || !Array.isArray(body.alerts)) return reply.code(400).send({ error: 'invalid_payload' });
    return reply.code(202).send({ status: 'accepted' });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, stop: () => app.close() };
});
