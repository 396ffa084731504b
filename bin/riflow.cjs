#!/usr/bin/env node
'use strict';
// The CLI is bundled by `npm run build` (run automatically by `npm install`).
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'cli', 'riflow.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('riflow: the CLI is not built yet. Run `npm run build` (or `npm install`) in the riflow folder.\n');
  process.exit(1);
}
require(bundle);
