// Bad configuration makes the binary refuse to run (exit code 2) with a Spanish message that
// names the culprit; good configuration is accepted and shown with secrets masked.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { TEST_TIMEOUT_MS, freePort, run, tempDir } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const kBadConfig = 2;

async function configFile(t, text) {
    const dir = await tempDir(t);
    const file = path.join(dir, 'ventanilla.toml');
    await fs.writeFile(file, text);
    return { dir, file };
}

async function exists(p) {
    return fs.access(p).then(
        () => true,
        () => false,
    );
}

/** Runs `serve` with the given configuration and asserts it refuses to start. */
async function assertServeRefused(t, { args = [], env = {} }) {
    const dir = await tempDir(t);
    const dataDir = path.join(dir, 'datos');
    const port = await freePort();
    const res = await run([...args, 'serve', '--port', String(port), '--data-dir', dataDir], {
        env,
        cwd: dir,
    });
    assert.equal(res.code, kBadConfig, `código ${res.code}; stderr:\n${res.stderr}`);
    assert.doesNotMatch(res.stderr, /listening on/);
    assert.equal(await exists(dataDir), false, 'no debe crear el directorio de datos');
    return res;
}

/** Runs `serve` and asserts it fails cleanly: an exit code, not a signal or a crash. */
async function assertServeRefusedOrFailed(t, env) {
    const dir = await tempDir(t);
    const port = await freePort();
    const res = await run(['serve', '--port', String(port), '--data-dir', path.join(dir, 'datos')], {
        env,
        cwd: dir,
    });
    assert.equal(res.signal, null, `terminó por la señal ${res.signal}:\n${res.stderr}`);
    assert.ok(res.code === 1 || res.code === kBadConfig, `código ${res.code}:\n${res.stderr}`);
    assert.doesNotMatch(res.stderr, /terminate called/);
    return res;
}

test('an unknown key in the TOML file stops serve with exit 2 naming the key', opts, async (t) => {
    const { file } = await configFile(t, '[server]\nport = 8080\nprot = 8081\n');
    const res = await assertServeRefused(t, { args: ['--config', file] });
    assert.match(res.stderr, /Configuración inválida/);
    assert.match(res.stderr, /server\.prot: clave desconocida/);
    assert.ok(res.stderr.includes(file), `el mensaje debe nombrar el archivo:\n${res.stderr}`);
});

test('an unknown section in the TOML file is refused too', opts, async (t) => {
    const { file } = await configFile(t, '[servidor]\nport = 8080\n');
    const res = await run(['--config', file, 'config', 'check']);
    assert.equal(res.code, kBadConfig, res.stderr);
    assert.match(res.stderr, /servidor\.port: clave desconocida/);
});

test('an out-of-range port in the file exits 2 with the allowed range', opts, async (t) => {
    const { file } = await configFile(t, '[server]\nport = 70000\n');
    const res = await assertServeRefused(t, { args: ['--config', file] });
    assert.match(res.stderr, /server\.port: debe estar entre 0 y 65535/);

    const check = await run(['--config', file, 'config', 'check']);
    assert.equal(check.code, kBadConfig, check.stderr);
    assert.match(check.stderr, /server\.port: debe estar entre 0 y 65535/);
});

test('a value of the wrong type in the file exits 2', opts, async (t) => {
    const { file } = await configFile(
        t,
        '[server]\nport = "ocho mil"\n[storage]\ncreate_if_missing = "quizás"\n',
    );
    const res = await run(['--config', file, 'config', 'check']);
    assert.equal(res.code, kBadConfig, res.stderr);
    assert.match(res.stderr, /server\.port: debe ser un número entero/);
    assert.match(res.stderr, /storage\.create_if_missing: debe ser true o false/);
});

test('invalid TOML syntax exits 2 with file:line', opts, async (t) => {
    const { file } = await configFile(t, '[server]\nport = 8080\naddress = = "127.0.0.1"\n');
    const res = await assertServeRefused(t, { args: ['--config', file] });
    assert.match(res.stderr, /no es TOML válido/);
    assert.ok(res.stderr.includes(`${file}:3`), `el mensaje debe decir ${file}:3:\n${res.stderr}`);
});

test('a missing configuration file exits 2', opts, async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'no-existe.toml');
    const res = await run(['--config', file, 'config', 'check']);
    assert.equal(res.code, kBadConfig, res.stderr);
    assert.match(res.stderr, /No existe el archivo de configuración/);
});

test('an unknown VENTANILLA_* environment variable exits 2 naming it', opts, async (t) => {
    const res = await assertServeRefused(t, { env: { VENTANILLA_FOO: '1' } });
    assert.match(res.stderr, /VENTANILLA_FOO: variable de entorno desconocida/);
});

test('an out-of-range value in the environment exits 2 naming the variable', opts, async (t) => {
    const res = await assertServeRefused(t, { env: { VENTANILLA_SERVER_READ_TIMEOUT_MS: '5' } });
    assert.match(res.stderr, /VENTANILLA_SERVER_READ_TIMEOUT_MS: debe estar entre 100 y 600000/);
});

test('config check accepts a good file with exit 0', opts, async (t) => {
    const { file } = await configFile(
        t,
        [
            '[server]',
            'port = 8123',
            'max_header_bytes = 8192',
            '',
            '[storage]',
            'data_dir = "datos"',
            'create_if_missing = true',
            '',
            '[log]',
            'level = "warn"',
            '',
        ].join('\n'),
    );
    const res = await run(['--config', file, 'config', 'check']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Configuración válida/);
});

test('config show prints the effective settings with postgres_url masked', opts, async (t) => {
    const secret = 's3cr3t-clave';
    const { file } = await configFile(
        t,
        `[server]\nport = 8123\n[storage]\npostgres_url = "postgresql://ventanilla:${secret}@db.example:5432/v"\n`,
    );
    const res = await run(['--config', file, 'config', 'show'], { env: { VENTANILLA_LOG_LEVEL: 'debug' } });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^port = 8123$/m);
    assert.match(res.stdout, /^level = 'debug'$/m);
    assert.match(res.stdout, /^postgres_url = '\*+'$/m);
    assert.ok(!res.stdout.includes(secret), 'config show no debe mostrar el secreto');
    assert.ok(!res.stderr.includes(secret), 'config show no debe mostrar el secreto');

    // The same masking applies when the secret comes from the environment.
    const fromEnv = await run(['config', 'show'], {
        env: { VENTANILLA_STORAGE_POSTGRES_URL: `postgresql://u:${secret}@h/db` },
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.match(fromEnv.stdout, /^postgres_url = '\*+'$/m);
    assert.ok(!fromEnv.stdout.includes(secret));
});

test('the output of config show is itself an accepted configuration file', opts, async (t) => {
    const shown = await run(['config', 'show'], { env: { VENTANILLA_PORT: '8124' } });
    assert.equal(shown.code, 0, shown.stderr);
    const { file } = await configFile(t, shown.stdout);
    const again = await run(['--config', file, 'config', 'show']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, shown.stdout);
});

test(
    'command-line usage errors exit 2 like other bad configuration',
    {
        ...opts,
    },
    async (t) => {
        const dir = await tempDir(t);
        for (const args of [
            ['serve', '--no-existe'],
            ['--port', 'abc', 'serve'],
            ['backup'],
            [],
            ['restore', path.join(dir, 'no-existe.sqlite3')],
        ]) {
            const res = await run(args, { cwd: dir });
            assert.equal(res.code, kBadConfig, `ventanilla ${args.join(' ')} → ${res.code}:\n${res.stderr}`);
        }
    },
);

test(
    'a log file that cannot be opened refuses serve with a message, not a crash',
    {
        ...opts,
    },
    async (t) => {
        for (const variable of ['VENTANILLA_LOG_FILE', 'VENTANILLA_LOG_ACCESS_FILE']) {
            const res = await assertServeRefusedOrFailed(t, { [variable]: '/proc/ventanilla-e2e.log' });
            assert.match(res.stderr, /\/proc\/ventanilla-e2e\.log/);
        }
    },
);
