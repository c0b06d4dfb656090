import type { Server } from 'node:http';
import { createSqsServer } from 'local-aws-sqs';

export interface SqsLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** The local SQS server (SQS JSON protocol), in this process, on loopback. Queues live in memory. */
export async function startSqsLocal(opts: { port: number }): Promise<SqsLocal> {
  const server: Server = await createSqsServer({
    port: opts.port,
    hostname: '127.0.0.1',
    emulateQueueCreationLifecycle: false,
  });
  return {
    endpoint: `http://127.0.0.1:${opts.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
