import Fastify from 'fastify';
import { serveChild } from '../intake/serve-child.js';

/**
 * The baseline: a bare Fastify route on the same path that reads the same form body and answers
 * 200 — no signature check, no inbound event, no Redis and no queue.
 */
await serveChild(async () => {
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/slack/events', async (request, reply) => {
    const payload = new URLSearchParams(request.body as string).get('payload');
    if (!payload) return reply.code(400).send({ error: 'invalid_payload' });
    JSON.parse(payload);
    return reply.code(200).send();
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, stop: () => app.close() };
});
