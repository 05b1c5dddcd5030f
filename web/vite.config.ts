import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// `npm run web:dev` serves this with hot reload and forwards /api to a `relance serve` on port 3000.
export default defineConfig({
  root,
  plugins: [react()],
  // The manifest gives the chunk graph the bundle-size test reads (first screen = the entry and its static imports).
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 800, reportCompressedSize: false },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
