// Two instances on different ports and data directories run side by side, each with its
// own database.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { TEST_TIMEOUT_MS, request, startServer } from './support/ventanilla.mjs';

test(
    'two instances on different ports and data directories both answer',
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
        const [a, b] = await Promise.all([startServer(t), startServer(t)]);
        assert.notEqual(a.port, b.port);
        assert.notEqual(a.dataDir, b.dataDir);

        for (const server of [a, b, a, b]) {
            const ready = await request(server, '/readyz');
            assert.equal(ready.status, 200, `${server.url}: ${ready.text}`);
            assert.equal(ready.json().database, 'sqlite');
        }
        for (const server of [a, b]) {
            await fs.access(path.join(server.dataDir, 'ventanilla.sqlite3'));
            assert.match(
                server.stderr,
                new RegExp(`database sqlite:${server.dataDir}/ventanilla\\.sqlite3 ready`),
            );
        }

        // Stopping one leaves the other serving.
        assert.equal((await a.stop()).code, 0, a.stderr);
        assert.equal((await request(b, '/healthz')).status, 200);
        assert.equal((await b.stop()).code, 0, b.stderr);
    },
);
