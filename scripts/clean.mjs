// Removes compiled output of files that no longer exist, by rebuilding dist/ from scratch
// only when asked (CLEAN=1); incremental builds stay fast otherwise.
import { rmSync } from 'node:fs';
if (process.env.CLEAN === '1') rmSync('dist', { recursive: true, force: true });
