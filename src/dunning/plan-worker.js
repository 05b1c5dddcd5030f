// The thread that makes one part of a split plan (split-plan.ts). Worker threads do not inherit the tsx loader
// of the thread that started them (Node 20, whether tsx came by --import or by bin/relance.js's register()),
// so this plain-JavaScript entry registers it before loading the TypeScript.
//
// The packages the planner uses are loaded first, by Node alone: once registered, the loader's hooks see every
// file a package is made of (kysely's hundreds), which cost the thread several times the loading itself, in the
// first plan of every process. Loaded here, they are already in the module cache when the TypeScript asks.
import 'better-sqlite3';
import 'kysely';
import 'temporal-polyfill';
import 'uuid';
import 'zod';
import { register } from 'tsx/esm/api';

register();
await import('./plan-part-worker.ts');
