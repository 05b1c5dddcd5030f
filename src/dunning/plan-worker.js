// The thread that makes one part of a split plan (split-plan.ts). Worker threads do not inherit the tsx loader
// of the thread that started them (Node 20, whether tsx came by --import or by bin/relance.js's register()),
// so this plain-JavaScript entry registers it before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./plan-part-worker.ts');
