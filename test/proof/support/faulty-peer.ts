import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { messageIdOf, type Received } from '../../mail/support/sink.ts';

/**
 * What the peer does with the n-th message it is offered (from 0): accept, cut the connection, go silent, reply with a
 * code, or hold its answer until the promise settles and then accept (a test acting while the sender waits).
 */
export type Behaviour = 'accept' | 'drop' | 'stall' | number | Promise<unknown>;

export type FaultyPeer = { url: string; received: Received[]; offered: number; close(): Promise<void> };

/** A real SMTP server (smtp-server) that misbehaves on cue during DATA, where a real server's trouble hurts most. */
export async function startFaultyPeer(behaviour: (index: number) => Behaviour): Promise<FaultyPeer> {
  const sockets = new Set<Socket>();
  const peer = { received: [] as Received[], offered: 0 } as FaultyPeer;
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const what = behaviour(peer.offered++);
      if (what === 'drop') {
        // Cut before the final dot: the server never accepted the message.
        for (const socket of sockets) if (socket.remotePort === session.remotePort) socket.destroy();
        stream.resume();
        return;
      }
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (what === 'stall') return; // never answers: the client's socket timeout must end it
        if (typeof what === 'number') {
          callback(
            Object.assign(new Error(what >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: what }),
          );
          return;
        }
        const accept = () => {
          const raw = Buffer.concat(chunks);
          peer.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: messageIdOf(raw),
          });
          callback(null);
        };
        if (what instanceof Promise) void what.then(accept, accept);
        else accept();
      });
    },
  });
  server.on('error', () => {});
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  peer.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  peer.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((done) => server.close(() => done()));
  };
  return peer;
}
