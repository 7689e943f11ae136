// `npm run theme:new <name> -- --parent default [--force]`
// Creates themes/<name>/ as a child theme that passes `npm run theme:check themes/<name>`:
// theme.json (with the parent), an override of the head-extra partial that adds the theme's own
// stylesheet, that stylesheet, zh-CN and en locale files overriding one string, and a README.
// THEMES_DIR selects another themes folder (tests use a temporary copy).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const themesDir = resolve(process.env.THEMES_DIR || join(root, 'themes'));

function fail(message) {
  console.error(`theme:new: ${message}`);
  console.error('usage: npm run theme:new <name> -- --parent default');
  process.exit(1);
}

const args = process.argv.slice(2);
let name;
let parent = 'default';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--parent') parent = args[++i];
  else if (args[i].startsWith('--parent=')) parent = args[i].slice('--parent='.length);
  else if (args[i].startsWith('-')) fail(`unknown option ${args[i]}`);
  else if (!name) name = args[i];
  else fail(`unexpected argument ${args[i]}`);
}
if (!name) fail('give the new theme a name');
if (!/^[a-z][a-z0-9-]{1,39}$/.test(name)) fail(`"${name}" is not a valid theme name: lowercase letters, digits and "-", 2-40 characters, starting with a letter`);
if (!parent || !existsSync(join(themesDir, parent, 'theme.json'))) fail(`parent theme "${parent}" is not installed in ${themesDir}`);
const dir = join(themesDir, name);
if (existsSync(dir)) fail(`${dir} already exists`);

// the partial hook this scaffold overrides must exist somewhere up the chain
let hookOwner = null;
const seen = new Set();
for (let layer = parent; layer && !seen.has(layer); ) {
  seen.add(layer);
  if (existsSync(join(themesDir, layer, 'partials', 'head-extra.hbs'))) { hookOwner = layer; break; }
  const manifest = join(themesDir, layer, 'theme.json');
  layer = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).parent : undefined;
}
if (!hookOwner) fail(`no theme in the chain of "${parent}" has partials/head-extra.hbs, the hook this scaffold overrides`);

const files = {
  'theme.json': `${JSON.stringify({
    name,
    version: '0.1.0',
    parent,
    description: `${name}: a child theme of ${parent}`,
    settings: {
      primaryColor: { type: 'color', default: '#2f6f9f', label: '主色（价格、主按钮）' },
      accentColor: { type: 'color', default: '#e0a030', label: '辅助色（加入购物车、标签）' },
    },
  }, null, 2)}\n`,
  'partials/head-extra.hbs': `{{!-- ${name}: the theme's own stylesheet, after ${parent}'s (overrides ${hookOwner}/partials/head-extra.hbs) --}}\n<link rel="stylesheet" href="{{asset "css/theme.css"}}">\n`,
  'assets/css/theme.css': `/* ${name}: loaded after the parent's stylesheet; restate only what differs. */\n:root {\n  --radius: 6px;\n}\n.section-title { letter-spacing: .04em; }\n`,
  'locales/zh-CN.json': `${JSON.stringify({ brand: { tagline: '欢迎光临' } }, null, 2)}\n`,
  'locales/en.json': `${JSON.stringify({ brand: { tagline: 'Welcome' } }, null, 2)}\n`,
  'README.md': `# ${name}

A child theme of \`${parent}\`: everything not in this folder is inherited from it.

| File | What it does |
| --- | --- |
| \`theme.json\` | Name, version, parent and settings (their defaults override the parent's) |
| \`partials/head-extra.hbs\` | Adds \`assets/css/theme.css\` after the parent's stylesheet |
| \`assets/css/theme.css\` | This theme's styles |
| \`locales/zh-CN.json\`, \`locales/en.json\` | Strings that differ from the parent's |

Next steps:

1. Copy a template or partial from \`themes/${parent}\` into the same place here and change it
   (e.g. \`templates/home.hbs\` for another home page).
2. Check it: \`npm run theme:check themes/${name}\`
3. Activate it in the admin (/admin/themes) or with \`THEME=${name}\`.

See docs/themes.md for the folder layout, the data each page gets, helpers, slots and the checker's rules.
`,
};

for (const [rel, content] of Object.entries(files)) {
  const file = join(dir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}
console.log(`created ${dir}:`);
for (const rel of Object.keys(files)) console.log(`  ${rel}`);
console.log(`next: npm run theme:check themes/${name}`);
