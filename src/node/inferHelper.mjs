// Entry of a tile-helper thread for the CLI (TypeScript through tsx, as bin/srbnas.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./inferHelperThread.ts');
