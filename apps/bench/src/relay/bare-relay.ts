import { createServer } from 'node:net';
import { Aedes } from 'aedes';

/**
 * Bare aedes with no authentication and no processing: the reference a pipeline is compared to.
 * Prints its port on stdout once listening.
 */
export async function runBareRelay(): Promise<void> {
  const broker = await Aedes.createBroker({ concurrency: 1000, queueLimit: 10_000 });
  const server = createServer(broker.handle);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => broker.close(() => process.exit(0))));
}
