import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that a test controls: put it between a client and a shared server
 * (RabbitMQ, PostgreSQL) and `cut()` it to simulate an outage without touching the server.
 */
export interface TcpProxy {
  /** The port clients connect to. */
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlThrough(url: string): string;
  /** Drops every open connection and refuses new ones (they are closed at once) until `restore()`. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** Open client connections right now. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a {@link TcpProxy} to `target` on a free port. */
export async function startTcpProxy(target: {
  host: string;
  port: number;
}): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let cut = false;
  const server = net.createServer(client => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  const dropAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    urlThrough: url => {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut: () => {
      cut = true;
      dropAll();
    },
    restore: () => {
      cut = false;
    },
    connections: () => pairs.size,
    close: () =>
      new Promise<void>(resolve => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
