// docs/settings.md is the output of `ventanilla config doc`, and what it says is true of
// the binary: every variable it lists exists and its documented default is the default.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, TEST_TIMEOUT_MS, run } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const SETTINGS = path.join(ROOT, 'docs', 'settings.md');

test('docs/settings.md equals the output of ventanilla config doc', opts, async () => {
    const res = await run(['config', 'doc']);
    assert.equal(res.code, 0, res.stderr);
    const file = await fs.readFile(SETTINGS, 'utf8');
    assert.ok(
        file === res.stdout,
        'docs/settings.md está desactualizado; regenérelo con `./build/ventanilla config doc > docs/settings.md`',
    );
});

test('every documented variable is accepted and its documented default is the default', opts, async () => {
    const doc = await fs.readFile(SETTINGS, 'utf8');
    // | `key` | `VENTANILLA_SECTION_KEY` | `default` | meaning |
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| `(VENTANILLA_[A-Z_]+)` \| `([^`]*)` \|/gm)];
    assert.ok(rows.length >= 20, `solo ${rows.length} claves documentadas`);

    const env = {};
    for (const [, , variable, value] of rows) env[variable] = value.replace(/^'(.*)'$/, '$1');
    const withDefaults = await run(['config', 'show'], { env });
    assert.equal(withDefaults.code, 0, withDefaults.stderr);
    // Children get the repository's catalog folder by default; show the plain default here.
    const plain = await run(['config', 'show'], { env: { VENTANILLA_CATALOG_DIR: 'tramites' } });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(withDefaults.stdout, plain.stdout);

    // And the other way round: every key the binary shows is documented.
    const shown = [...plain.stdout.matchAll(/^([a-z_]+) = /gm)].map((m) => m[1]);
    assert.deepEqual(
        shown,
        rows.map((r) => r[1]),
    );
});
