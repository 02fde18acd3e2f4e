// The server refuses to start on a database it cannot trust or a data directory or port
// that another instance holds, and says why in Spanish; the instance already running is
// not disturbed.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { TEST_TIMEOUT_MS, freePort, request, run, startServer, tempDir } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };

async function serveOnce(dataDir, { port, env } = {}) {
    port ??= await freePort();
    return run(['serve', '--port', String(port), '--data-dir', dataDir], { env });
}

test('a corrupt database file stops serve with a message about the damage', opts, async (t) => {
    const dataDir = path.join(await tempDir(t), 'datos');
    await fs.mkdir(dataDir);
    await fs.writeFile(
        path.join(dataDir, 'ventanilla.sqlite3'),
        Buffer.alloc(16 * 1024, 'esto no es una base de datos '),
    );
    const res = await serveOnce(dataDir);
    assert.notEqual(res.code, 0, res.stderr);
    assert.equal(res.signal, null, `terminó por la señal ${res.signal}:\n${res.stderr}`);
    assert.match(res.stderr, /No se puede iniciar/);
    assert.match(res.stderr, /dañad/);
    assert.doesNotMatch(res.stderr, /listening on/);
});

test('a database damaged after its first page stops serve too', opts, async (t) => {
    // A real database, created by the server, then overwritten past its header.
    const server = await startServer(t);
    assert.equal((await server.stop()).code, 0, server.stderr);
    const file = path.join(server.dataDir, 'ventanilla.sqlite3');
    const size = (await fs.stat(file)).size;
    assert.ok(size > 4096, `la base mide ${size} bytes`);
    const fh = await fs.open(file, 'r+');
    await fh.write(Buffer.alloc(size - 4096, 'basura '), 0, size - 4096, 4096);
    await fh.close();

    const res = await serveOnce(server.dataDir);
    assert.notEqual(res.code, 0, res.stderr);
    assert.equal(res.signal, null, `terminó por la señal ${res.signal}:\n${res.stderr}`);
    assert.match(res.stderr, /dañad/);
});

test('storage.create_if_missing=false without a database stops serve', opts, async (t) => {
    const dataDir = path.join(await tempDir(t), 'datos');
    const res = await serveOnce(dataDir, { env: { VENTANILLA_STORAGE_CREATE_IF_MISSING: 'false' } });
    assert.notEqual(res.code, 0, res.stderr);
    assert.match(
        res.stderr,
        /No existe la base de datos .*ventanilla\.sqlite3 y la configuración no permite crearla/,
    );
    await assert.rejects(fs.access(path.join(dataDir, 'ventanilla.sqlite3')), 'no debe crear la base');
});

test('storage.create_if_missing=false starts on an existing database', opts, async (t) => {
    const first = await startServer(t);
    assert.equal((await first.stop()).code, 0, first.stderr);
    const again = await startServer(t, {
        dataDir: first.dataDir,
        env: { VENTANILLA_STORAGE_CREATE_IF_MISSING: 'false' },
    });
    assert.equal((await request(again, '/readyz')).status, 200);
});

test('a second server on the same data directory is refused; the first keeps serving', opts, async (t) => {
    const first = await startServer(t);
    const res = await serveOnce(first.dataDir);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /Otro proceso de Ventanilla usa el directorio de datos/);
    assert.ok(res.stderr.includes(first.dataDir), `el mensaje debe nombrar ${first.dataDir}:\n${res.stderr}`);
    assert.doesNotMatch(res.stderr, /listening on/);

    assert.equal((await request(first, '/readyz')).status, 200);
    const stopped = await first.stop();
    assert.equal(stopped.code, 0, first.stderr);
});

test('a second server on the same port is refused with "ya está en uso"', opts, async (t) => {
    const first = await startServer(t);
    const dataDir = path.join(await tempDir(t), 'otros-datos');
    const res = await serveOnce(dataDir, { port: first.port });
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, new RegExp(`El puerto ${first.port} de 127\\.0\\.0\\.1 ya está en uso`));

    assert.equal((await request(first, '/healthz')).status, 200);
    assert.equal((await first.stop()).code, 0, first.stderr);
});
