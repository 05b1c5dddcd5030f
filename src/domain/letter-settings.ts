import { z } from 'zod';

/**
 * Where the envelope's window is on the folded A4 sheet, in millimetres from the page's top-left corner.
 * The default is the usual French DL window: 45 × 100 mm, 20 mm from the top and right edges.
 */
export const EnvelopeWindowSchema = z
  .object({
    leftMm: z.number().min(0).max(200),
    topMm: z.number().min(0).max(280),
    widthMm: z.number().min(40).max(200),
    heightMm: z.number().min(20).max(120),
  })
  .refine((w) => w.leftMm + w.widthMm <= 210 && w.topMm + w.heightMm <= 297, 'the window must lie on the A4 page');
export type EnvelopeWindow = z.infer<typeof EnvelopeWindowSchema>;

export const DEFAULT_WINDOW: EnvelopeWindow = { leftMm: 90, topMm: 20, widthMm: 100, heightMm: 45 };

export type Logo = { content: Uint8Array; mediaType: string };

export type LetterSettings = {
  window: EnvelopeWindow;
  /** Printing both sides: each letter of a batch starts on an odd page, so no letter ends on another's back. */
  duplex: boolean;
  logo: Logo | null;
};

export const DEFAULT_LETTER_SETTINGS: LetterSettings = { window: DEFAULT_WINDOW, duplex: false, logo: null };

/** Reads `90,20,100,45` (left, top, width, height in mm), as the CLI takes it. */
export function parseWindow(text: string): EnvelopeWindow {
  const parts = text.split(',').map((p) => Number(p.trim()));
  const [leftMm, topMm, widthMm, heightMm] = parts;
  const parsed = EnvelopeWindowSchema.safeParse({ leftMm, topMm, widthMm, heightMm });
  if (parts.length !== 4 || !parsed.success) {
    throw new Error(`"${text}" is not a window: give left,top,width,height in mm on an A4 page (e.g. 90,20,100,45)`);
  }
  return parsed.data;
}
