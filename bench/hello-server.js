// The HTTP ceiling: a bare Fastify server on the same Node, answering a small JSON body.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');
