// Bundles the offline app (src/main.js and what it imports: Dexie, tus-js-client) into
// api/web/field/assets/app.js, which the binary embeds. The bundle is committed, so building
// the server needs no Node; `node build.mjs --check` rebuilds it in memory and fails when it
// differs from the committed one (tests/api/web/field.rs runs it), and prints its size.
// `--schema=N --out=FILE` builds the app as a release speaking sync schema N was, elsewhere
// (tests/browser/field_session.mjs serves it as a stale cached app to meet the server's 426).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
// The sync schema version this release speaks (api/sync/mod.rs SUPPORTED_SCHEMA_VERSIONS).
const SCHEMA_VERSION = 1;
const schema = Number(arg('schema') ?? SCHEMA_VERSION);
const out = arg('out') ? new URL(`file://${arg('out')}`) : new URL('../api/web/field/assets/app.js', import.meta.url);
const result = await build({
  entryPoints: [new URL('./src/main.js', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  target: ['chrome100', 'safari15', 'firefox100'],
  minify: true,
  legalComments: 'eof',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
  define: { __SCHEMA_VERSION__: String(schema) },
});
const code = result.outputFiles[0].text;
const gz = gzipSync(Buffer.from(code)).length;
if (process.argv.includes('--check')) {
  const committed = readFileSync(out, 'utf8');
  if (committed !== code) {
    console.error('api/web/field/assets/app.js differs from field/src: run `cd field && npm ci && node build.mjs` and commit it');
    process.exit(1);
  }
  console.log(JSON.stringify({ bytes: code.length, gzipped: gz, matches: true }));
} else {
  writeFileSync(out, code);
  console.log(`app.js: ${code.length} bytes, ${gz} gzipped`);
}
