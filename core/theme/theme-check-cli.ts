// `npm run theme:check -- <theme folder> [--json] [--plugins <dir>]`
// Checks a theme (and the parents it inherits from) and prints every finding at once, grouped by
// level; --json prints the report as JSON. Exit code 1 when there is at least one error.
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fromRoot } from '../common/paths.js';
import { checkTheme, formatReport, installedPlugins } from './theme-checker.js';

function usage(): never {
  console.error('usage: npm run theme:check -- <theme folder> [--json] [--plugins <plugins folder>]\n  e.g. npm run theme:check themes/tea-house');
  process.exit(2);
}

const args = process.argv.slice(2);
let json = false;
let pluginsDir = process.env.PLUGINS_DIR?.trim() || 'plugins';
let folder: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--json') json = true;
  else if (a === '--plugins') pluginsDir = args[++i] ?? usage();
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('-')) usage();
  else if (!folder) folder = a;
  else usage();
}
if (!folder) usage();

// npm runs scripts from the project root; paths the user typed are relative to where they typed them
const cwd = process.env.INIT_CWD ?? process.cwd();
const dir = resolve(cwd, folder.replace(/[\\/]+$/, ''));
const plugins = installedPlugins(isAbsolute(pluginsDir) ? pluginsDir : fromRoot(pluginsDir));
const report = checkTheme({ themesDir: dirname(dir), name: basename(dir), plugins });

if (json) console.log(JSON.stringify(report, null, 2));
else console.log(formatReport(report, { color: process.stdout.isTTY && !process.env.NO_COLOR }));
process.exit(report.ok ? 0 : 1);
