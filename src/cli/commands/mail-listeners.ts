import { bounceWhy } from '../../domain/smtp-reply.ts';
import { Command } from 'commander';
import { withStore } from '../context.ts';
import { words } from '../words.ts';
import { countOption } from '../parse-options.ts';

/** A listener runs until the process is asked to stop, then closes before the store does. */
function untilStopped(): Promise<void> {
  return new Promise<void>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
  });
}

/** `relance bounces listen`: an SMTP listener for delivery failure notices. */
export function bouncesCommand(): Command {
  const bounces = new Command('bounces').description('delivery failure notices (DSN)');
  bounces
    .command('listen')
    .description('run an SMTP listener that takes bounces: message bounced, address flagged')
    .requiredOption('--port <port>', 'port to listen on', countOption)
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .action(async (options: { port: number; host?: string }, command: Command) => {
      await withStore(command, async (store) => {
        // The SMTP server and the mail parser are loaded by the listener only.
        const { startBounceListener } = await import('../../mail/bounces.ts');
        const listener = await startBounceListener(store.db, {
          port: options.port,
          host: options.host,
          onBounce: (outcome) => {
            if (outcome.message) {
              process.stdout.write(
                `${words().t('cli.out.bounced', {
                  to: outcome.message.to.join(', '),
                  why: bounceWhy(outcome.bounce!.reason),
                  reason: outcome.bounce!.reason,
                  count: outcome.flagged,
                })}\n`,
              );
            }
          },
        });
        process.stdout.write(
          `${words().t('cli.out.listening', { address: `${options.host ?? '127.0.0.1'}:${listener.port}` })}\n`,
        );
        await untilStopped();
        await listener.close();
      });
    });
  return bounces;
}

/** `relance replies listen`: an SMTP listener for customers' answers to reminders. */
export function repliesCommand(): Command {
  const replies = new Command('replies').description("customers' answers to reminders");
  replies
    .command('listen')
    .description("run an SMTP listener that takes customers' answers: stored on the customer, next step held")
    .requiredOption('--port <port>', 'port to listen on', countOption)
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .action(async (options: { port: number; host?: string }, command: Command) => {
      await withStore(command, async (store) => {
        const { startReplyListener } = await import('../../mail/replies.ts');
        const listener = await startReplyListener(store.db, {
          port: options.port,
          host: options.host,
          onReply: (outcomes) => {
            for (const o of outcomes) {
              if (o.reply && !o.reply.duplicate)
                process.stdout.write(
                  `${words().t(`cli.report.replies.${o.reply.autoReply ? 'autoReply' : 'answer'}`, { customer: o.reply.customerCode })}\n`,
                );
            }
          },
        });
        process.stdout.write(
          `${words().t('cli.report.replies.listening', { address: `${options.host ?? '127.0.0.1'}:${listener.port}` })}\n`,
        );
        await untilStopped();
        await listener.close();
      });
    });
  return replies;
}
