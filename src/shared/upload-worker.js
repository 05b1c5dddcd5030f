// The thread that reads uploads (upload-thread.ts). Worker threads do not inherit the tsx loader of the thread
// that started them (Node 20), so this plain-JavaScript entry registers it before loading the TypeScript; the
// compiled build writes its own entry that loads the compiled part directly (scripts/build-cli.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./upload-worker-main.ts');
