// The thread that reads uploaded e-invoices (read-in-worker.ts). Worker threads do not inherit the tsx loader
// of the thread that started them (Node 20), so this plain-JavaScript entry registers it before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker-main.ts');
