import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP peer accepted it: envelope and raw bytes. */
export type Received = { from: string; to: string[]; raw: Buffer; messageId: string | null };

/** Decides a reply: a number refuses the message with that SMTP code, null accepts it. */
export type Verdict = (message: Received, index: number) => number | null;

export type Sink = { port: number; url: string; received: Received[]; attempts: number; close(): Promise<void> };

export function messageIdOf(raw: Buffer): string | null {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, end < 0 ? raw.length : end)
    .toString('latin1')
    .replace(/\r\n[ \t]+/g, ' ');
  return /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? null;
}

/**
 * A real in-process SMTP server (smtp-server) that keeps what it accepts. `verdict` can refuse a
 * message with a 4xx or 5xx after DATA, which is where real servers refuse content.
 */
export async function startSink(
  options: { verdict?: Verdict; keepRaw?: boolean; password?: string } = {},
): Promise<Sink> {
  const received: Received[] = [];
  const sink = { received, attempts: 0 } as Sink;
  const server = new SMTPServer({
    // With a password the server wants AUTH (over plain text, allowed for this local test peer only).
    disabledCommands: options.password ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    allowInsecureAuth: true,
    authOptional: !options.password,
    onAuth(auth, _session, callback) {
      if (auth.password === options.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    logger: false,
    size: 50 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const message: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: options.keepRaw === false ? Buffer.alloc(0) : raw,
          messageId: messageIdOf(raw),
        };
        const code = options.verdict?.(message, sink.attempts++) ?? null;
        if (code !== null) {
          const error = Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), {
            responseCode: code,
          });
          callback(error);
          return;
        }
        received.push(message);
        callback(null);
      });
    },
  });
  // A client killed mid-conversation resets its connection: for a peer that is an aborted session, not a failure.
  server.on('error', () => {});
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.server.address() as AddressInfo).port;
  sink.port = port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((done) => server.close(() => done()));
  return sink;
}
