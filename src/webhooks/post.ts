import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, resolveAllowed } from '../shared/outbound.ts';
import type { Fetch } from './dispatcher.ts';

/**
 * The webhook POST: only to public addresses (checked on the address connected to, see `outbound.ts`) and
 * never following a redirect (a 3xx is a failed attempt like any other non-2xx answer), so a subscriber URL
 * cannot lead relance to an internal service. The answer's body is read and dropped.
 */
export const guardedPost: Fetch = async (url, init) => {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // A literal address (127.0.0.1, [::1], and 2130706433, which the URL parser already turned into 127.0.0.1)
  // never goes through a lookup: it is checked here.
  if (isIP(host)) await resolveAllowed(host);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: init.method, headers: init.headers, signal: init.signal, lookup: guardedLookup() },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
};
