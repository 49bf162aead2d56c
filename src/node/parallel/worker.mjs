// Entry of a data-parallel replica thread: TypeScript through tsx (as bin/srbnas.mjs does), so
// the same source runs whether the parent was started by tsx, vitest or bin/srbnas.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./replicaThread.ts');
