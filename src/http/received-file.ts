import type { FastifyReply } from 'fastify';

// Types a browser shows without running anything; everything else is downloaded as bytes.
const SHOWN = /^(application\/pdf|image\/(png|jpeg|gif|webp)|text\/plain)$/i;

/**
 * Sends a file a customer sent us (a reply's attachment, a dispute's file) as a download, never rendered as a page
 * of ours: its type only when harmless, no sniffing, not kept by caches.
 */
export function sendReceivedFile(
  reply: FastifyReply,
  file: { filename: string; contentType: string; content: unknown },
): FastifyReply {
  const ascii = file.filename.normalize('NFD').replace(/[^\w .-]/g, '') || 'attachment';
  return reply
    .type(SHOWN.test(file.contentType) ? file.contentType : 'application/octet-stream')
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.content as never);
}
