// Backup and restore round trip: a database created by the server is copied, listed,
// restored into a fresh data directory and served again; bad copies are refused before
// anything is replaced, and so is a restore under a running server.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
    TEST_TIMEOUT_MS,
    foreignSqliteDatabase,
    removeDir,
    request,
    run,
    startServer,
} from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };

async function sha256(file) {
    return crypto
        .createHash('sha256')
        .update(await fs.readFile(file))
        .digest('hex');
}

describe('backup and restore', () => {
    let work; // removed after the suite
    let dataDir; // the original installation
    let backup; // the copy written by `ventanilla backup`

    before(async () => {
        work = await fs.mkdtemp(path.join(os.tmpdir(), 'ventanilla-e2e-'));
        dataDir = path.join(work, 'datos');
        backup = path.join(work, 'copia.sqlite3');
    });
    after(() => removeDir(work));

    test('serve creates and migrates the database; SIGINT closes it with exit 0', opts, async (t) => {
        const server = await startServer(t, { dataDir });
        assert.equal((await request(server, '/readyz')).status, 200);
        const { code, signal } = await server.stop('SIGINT');
        assert.equal(signal, null);
        assert.equal(code, 0, server.stderr);
        assert.match(server.stderr, /database closed/);
        await fs.access(path.join(dataDir, 'ventanilla.sqlite3'));
    });

    test('backup writes a consistent copy and exits 0', opts, async () => {
        const res = await run(['backup', backup, '--data-dir', dataDir]);
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, /Copia de seguridad escrita en/);
        const head = (await fs.readFile(backup)).subarray(0, 16).toString('latin1');
        assert.equal(head, 'SQLite format 3\0');
    });

    test('migrate --status lists the applied migration', opts, async () => {
        const res = await run(['migrate', '--status', '--data-dir', dataDir]);
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, /^aplicada\s+1 instance$/m);
        assert.doesNotMatch(res.stdout, /pendiente/);
    });

    test('restore into a fresh data directory exits 0 and a server starts on it', opts, async (t) => {
        const fresh = path.join(work, 'restaurada');
        const res = await run(['restore', backup, '--data-dir', fresh]);
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, /Base de datos restaurada desde/);

        const status = await run(['migrate', '--status', '--data-dir', fresh]);
        assert.equal(status.code, 0, status.stderr);
        assert.match(status.stdout, /^aplicada\s+1 instance$/m);

        const server = await startServer(t, {
            dataDir: fresh,
            env: { VENTANILLA_STORAGE_CREATE_IF_MISSING: 'false' },
        });
        assert.deepEqual((await request(server, '/readyz')).json(), { status: 'ok', database: 'sqlite' });
        assert.equal((await server.stop()).code, 0, server.stderr);
    });

    test("restore refuses a SQLite database that is not Ventanilla's and changes nothing", opts, async () => {
        const foreign = path.join(work, 'otra-aplicacion.sqlite3');
        await fs.writeFile(foreign, foreignSqliteDatabase());
        const before = await sha256(path.join(dataDir, 'ventanilla.sqlite3'));

        const res = await run(['restore', foreign, '--data-dir', dataDir]);
        assert.equal(res.code, 1, res.stderr);
        assert.match(res.stderr, /no es una base de datos de Ventanilla/);
        assert.ok(res.stderr.includes(foreign), `el mensaje debe nombrar la copia:\n${res.stderr}`);
        assert.equal(await sha256(path.join(dataDir, 'ventanilla.sqlite3')), before);
    });

    test('restore refuses a garbage file and changes nothing', opts, async () => {
        const garbage = path.join(work, 'basura.sqlite3');
        await fs.writeFile(garbage, Buffer.alloc(8192, 'esto no es una copia '));
        const before = await sha256(path.join(dataDir, 'ventanilla.sqlite3'));

        const res = await run(['restore', garbage, '--data-dir', dataDir]);
        assert.equal(res.code, 1, res.stderr);
        assert.match(res.stderr, /dañad/);
        assert.ok(res.stderr.includes(garbage), `el mensaje debe nombrar la copia:\n${res.stderr}`);
        assert.equal(await sha256(path.join(dataDir, 'ventanilla.sqlite3')), before);

        const status = await run(['migrate', '--status', '--data-dir', dataDir]);
        assert.match(status.stdout, /^aplicada\s+1 instance$/m);
    });

    test('backup works while the server is running', opts, async (t) => {
        const server = await startServer(t, { dataDir });
        const online = path.join(work, 'copia-en-linea.sqlite3');
        const res = await run(['backup', online, '--data-dir', dataDir]);
        assert.equal(res.code, 0, res.stderr);
        assert.equal((await request(server, '/readyz')).status, 200);

        const restored = path.join(work, 'desde-copia-en-linea');
        const restore = await run(['restore', online, '--data-dir', restored]);
        assert.equal(restore.code, 0, restore.stderr);
    });

    test(
        'backup of a data directory without a database fails and creates nothing',
        {
            ...opts,
        },
        async () => {
            const missing = path.join(work, 'mal-escrito');
            const copy = path.join(work, 'copia-de-nada.sqlite3');
            const res = await run(['backup', copy, '--data-dir', missing]);
            assert.notEqual(res.code, 0, res.stdout);
            assert.match(res.stderr, /No existe (el directorio de datos|la base de datos)/);
            await assert.rejects(fs.access(copy), 'no debe escribir una copia');
            await assert.rejects(fs.access(missing), 'no debe crear el directorio de datos');
        },
    );

    test(
        'migrate --status on a data directory without a database creates nothing',
        {
            ...opts,
        },
        async () => {
            const missing = path.join(work, 'sin-base');
            await run(['migrate', '--status', '--data-dir', missing]);
            await assert.rejects(
                fs.access(path.join(missing, 'ventanilla.sqlite3')),
                'no debe crear la base',
            );
        },
    );

    test('restore is refused while a server holds the data directory', opts, async (t) => {
        const server = await startServer(t, { dataDir });
        const res = await run(['restore', backup, '--data-dir', dataDir]);
        assert.equal(res.code, 1, res.stderr);
        assert.match(res.stderr, /Otro proceso de Ventanilla usa el directorio de datos/);
        assert.match(res.stderr, /deténgalo primero/);

        assert.equal((await request(server, '/readyz')).status, 200);
        assert.equal((await server.stop()).code, 0, server.stderr);
    });
});
