/** A delivery status notification (RFC 3464) for one of our messages, as a receiving server sends it back. */
export function dsn(messageId: string, recipient: string, action = 'failed'): Buffer {
  return Buffer.from([
    'From: MAILER-DAEMON@mx.client.fr', 'To: relances@societe-a.fr', 'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <dsn-1@mx.client.fr>', 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"', '',
    '--BOUNDARY', 'Content-Type: text/plain; charset=us-ascii', '',
    'This is the mail system at host mx.client.fr. Your message could not be delivered.', '',
    '--BOUNDARY', 'Content-Type: message/delivery-status', '',
    'Reporting-MTA: dns; mx.client.fr', '',
    `Final-Recipient: rfc822; ${recipient}`, `Action: ${action}`, 'Status: 5.1.1',
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected: User unknown`, '',
    '--BOUNDARY', 'Content-Type: text/rfc822-headers', '',
    `Message-ID: ${messageId}`, 'Subject: Relance', '', '--BOUNDARY--', '',
  ].join('\r\n'));
}
