// Parse Mermaid files with Mermaid's own parser: node mermaid_parse.mjs MODULES_DIR FILE...
// MODULES_DIR holds node_modules with mermaid (11) and jsdom (`npm install mermaid@11 jsdom`).
import { createRequire } from 'module';
import { pathToFileURL } from 'url';
import fs from 'fs';

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(pathToFileURL(modules + '/').href);
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve('mermaid')).href);
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const file of files) {
  try {
    await mermaid.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    failed += 1;
    console.log(`${file}: ${String(error.message || error)}`);
  }
}
process.exit(failed ? 1 : 0);
