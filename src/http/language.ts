import type { FastifyRequest } from 'fastify';
import type { Language } from '../domain/ledger.ts';

/**
 * The reader's language as the request's Accept-Language ranks it (French or English, by weight), or undefined when
 * it names neither: the use case then speaks the company's language. The web app sends the language it shows.
 */
export function requestLanguage(request: FastifyRequest): Language | undefined {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0], weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.weight > 0 && (r.primary === 'fr' || r.primary === 'en'))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked[0]?.primary as Language | undefined;
}
