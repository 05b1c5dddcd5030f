import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { MailSettingsPatch } from '../../mail/settings.ts';
import { cliActor, withStore } from '../context.ts';
import { printJson } from '../format.ts';
import { words } from '../words.ts';
import { addressList } from '../parse-options.ts';

/** `relance mail show|set`: the company's e-mail settings, the SMTP password never printed. */
export function mailSettingsCommand(): Command {
  const mail = new Command('mail').description('e-mail settings: SMTP server, sender, CC/BCC, Reply-To, DKIM');
  mail
    .command('show')
    .description('print the settings')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store, company) => {
        // nodemailer comes with the settings module: loaded by the action that needs it.
        const { getMailSettings, redactSmtpUrl, smtpUrlOf } = await import('../../mail/settings.ts');
        const s = await getMailSettings(store.db, company.id);
        const url = smtpUrlOf(s);
        const shown = {
          smtp: url ? redactSmtpUrl(url) : null,
          smtpFrom: s.smtpUrl ? 'company' : url ? 'RELANCE_SMTP_URL' : null,
          from: s.from,
          replyTo: s.replyTo,
          replyAddress: s.replyAddress,
          cc: s.cc,
          bcc: s.bcc,
          dkim: s.dkim ? `${s.dkim.selector}._domainkey.${s.dkim.domain}` : null,
          ...(s.problem ? { problem: s.problem } : {}),
        };
        if (options.json) printJson(shown);
        else {
          const { t } = words();
          const value = (key: string, v: unknown): string => {
            if (key === 'smtpFrom' && v) return t(`cli.report.mailShow.${v === 'company' ? 'company' : 'environment'}`);
            if (Array.isArray(v)) return v.length > 0 ? v.join(', ') : t('cli.report.mailShow.none');
            return v === null || v === undefined ? t('cli.report.mailShow.none') : String(v);
          };
          process.stdout.write(
            `${Object.entries(shown)
              .map(([k, v]) => t('cli.issue', { field: t(`cli.report.mailShow.${k}`), reason: value(k, v) }))
              .join('\n')}\n`,
          );
        }
      });
    });
  mail
    .command('set')
    .description('change the given settings (an empty value clears one)')
    .option('--smtp <url>', 'smtp://user:pass@host:587 or smtps://…:465')
    .option('--from <address>', 'sender, e.g. "Société A <compta@societe-a.fr>"')
    .option('--reply-to <address>', 'where answers go')
    .option(
      '--reply-address <address>',
      "the reply listener's address; reminders then answer to it, tagged per customer",
    )
    .option('--cc <addresses>', 'copy of every reminder (comma-separated)')
    .option('--bcc <addresses>', 'blind copy of every reminder (comma-separated)')
    .option('--dkim-domain <domain>', "DKIM: the domain that signs (the sender address's)")
    .option('--dkim-selector <selector>', 'DKIM: the selector of the public key published in DNS')
    .option('--dkim-key-file <pem>', 'DKIM: the private key, a PEM file')
    .action(async (options: Record<string, string | undefined>, command: Command) => {
      const patch: MailSettingsPatch = {};
      const clear = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v.trim());
      if (options.smtp !== undefined) patch.smtpUrl = clear(options.smtp);
      if (options.from !== undefined) patch.from = clear(options.from);
      if (options.replyTo !== undefined) patch.replyTo = clear(options.replyTo);
      if (options.replyAddress !== undefined) patch.replyAddress = clear(options.replyAddress);
      if (options.cc !== undefined) patch.cc = addressList(options.cc);
      if (options.bcc !== undefined) patch.bcc = addressList(options.bcc);
      if (options.dkimKeyFile || options.dkimDomain || options.dkimSelector) {
        if (!options.dkimKeyFile || !options.dkimDomain || !options.dkimSelector) {
          throw new InvalidArgumentError(words().t('cli.report.arg.dkim'));
        }
        patch.dkim = {
          domain: options.dkimDomain,
          selector: options.dkimSelector,
          privateKey: readFileSync(options.dkimKeyFile, 'utf8'),
        };
      }
      await withStore(command, async (store, company) => {
        const { updateMailSettings } = await import('../../mail/update-mail-settings.ts');
        await updateMailSettings(store.db, cliActor(company), patch);
        process.stdout.write(`${words().t('cli.out.mailSaved')}\n`);
      });
    });
  return mail;
}
