// Drives the real `ventanilla` binary for the end-to-end tests: runs its commands, starts
// servers on free ports with their own data directories, and talks to them over HTTP and
// raw sockets.
//
// Every process started here is stopped when the test that started it ends, whether it
// passed or not; a last-resort handler kills any survivor when the test process exits.

import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (for docs/); CTest passes it in VENTANILLA_ROOT. */
export const ROOT = process.env.VENTANILLA_ROOT || path.resolve(here, '..', '..', '..');
/** The binary under test; CTest passes it in VENTANILLA_BIN. */
export const BIN = process.env.VENTANILLA_BIN || path.join(ROOT, 'build', 'ventanilla');

// Generous limits: the suite must pass on a loaded two-core machine.
export const STARTUP_TIMEOUT_MS = 30_000;
export const COMMAND_TIMEOUT_MS = 30_000;
export const STOP_TIMEOUT_MS = 15_000;
/** Per-test timeout for node:test. */
export const TEST_TIMEOUT_MS = 60_000;

const live = new Set();
process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
});

function track(child) {
    live.add(child);
    child.on('exit', () => live.delete(child));
    return child;
}

// ---------------------------------------------------------------------------------------
// Cleanup: callbacks registered for a test run after it, last registered first.

const cleanups = new WeakMap();

/** Runs `fn` when test `t` ends (pass or fail), in reverse order of registration. */
export function defer(t, fn) {
    let stack = cleanups.get(t);
    if (!stack) {
        stack = [];
        cleanups.set(t, stack);
        t.after(async () => {
            let first;
            while (stack.length > 0) {
                try {
                    await stack.pop()();
                } catch (e) {
                    first ??= e;
                }
            }
            if (first) throw first;
        });
    }
    stack.push(fn);
}

/** A fresh temporary directory, removed after the test (or by the returned function). */
export async function tempDir(t) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ventanilla-e2e-'));
    if (t) defer(t, () => removeDir(dir));
    return dir;
}

export function removeDir(dir) {
    return fs.rm(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------
// Processes.

/**
 * The environment for a child: this process's environment without any VENTANILLA_*
 * variable (the binary refuses unknown ones, and a developer's own settings must not leak
 * into a test), plus the repository's trámite definitions (children run in a temporary
 * folder, where the default relative catalog.dir does not exist), plus `extra`.
 */
export function childEnv(extra = {}) {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!k.startsWith('VENTANILLA_')) env[k] = v;
    }
    return { ...env, VENTANILLA_CATALOG_DIR: path.join(ROOT, 'tramites'), ...extra };
}

function collect(stream) {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
        text += chunk;
    });
    return () => text;
}

/**
 * Runs `ventanilla <args>` to completion.
 * Resolves to {code, signal, stdout, stderr}; a command still running after `timeoutMs`
 * is killed (and then reports signal SIGKILL).
 */
export async function run(args, { env = {}, cwd = os.tmpdir(), timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
    const child = track(spawn(BIN, args, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
        const { code, signal } = await closed(child);
        return { code, signal, stdout: stdout(), stderr: stderr() };
    } finally {
        clearTimeout(timer);
    }
}

function closed(child) {
    return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => resolve({ code, signal }));
    });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.unref();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address();
            probe.close(() => resolve(port));
        });
    });
}

/** A running `ventanilla serve`. */
export class Server {
    constructor(child, port, dataDir) {
        this.child = child;
        this.port = port;
        this.dataDir = dataDir;
        this.url = `http://127.0.0.1:${port}`;
        this.stdoutText = collect(child.stdout);
        this.stderrText = collect(child.stderr);
        this.exit = closed(child).then(({ code, signal }) => {
            this.exitedAt = Date.now();
            return { code, signal };
        });
        this.exited = false;
        this.exit.then(() => {
            this.exited = true;
        });
    }

    /** The application log so far (standard error). */
    get stderr() {
        return this.stderrText();
    }

    /** The access log so far (standard output), one JSON object per line. */
    get stdout() {
        return this.stdoutText();
    }

    /** Parsed access-log lines. */
    accessLog() {
        return this.stdout
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l));
    }

    /**
     * Sends `signal` and waits for the process to exit. Resolves to {code, signal, ms}, where
     * ms is the time from the signal to the exit. A server that has not exited within
     * `timeoutMs` is killed and the promise rejects.
     */
    async stop(signal = 'SIGINT', timeoutMs = STOP_TIMEOUT_MS) {
        if (this.exited) return { ...(await this.exit), ms: 0 };
        const sent = Date.now();
        this.child.kill(signal);
        let timer;
        const timeout = new Promise((resolve) => {
            timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const result = await Promise.race([this.exit, timeout]);
        clearTimeout(timer);
        if (result === 'timeout') {
            this.child.kill('SIGKILL');
            await this.exit;
            throw new Error(`ventanilla no terminó ${timeoutMs} ms después de ${signal}:\n${this.stderr}`);
        }
        return { ...result, ms: this.exitedAt - sent };
    }
}

/**
 * Starts `ventanilla serve` and waits until it logs that it listens and answers /healthz.
 *
 * Options: port (default: a free one; if another process takes it first, the start is
 * retried on a new one), dataDir (default: a new temporary directory), env (extra
 * VENTANILLA_* variables), args (extra arguments), cwd.
 * The server is stopped after test `t` (SIGINT, then SIGKILL if it hangs).
 * Rejects, with the server's log, if it exits or does not become healthy in time.
 */
export async function startServer(t, { port, dataDir, env = {}, args = [], cwd } = {}) {
    dataDir ??= path.join(await tempDir(t), 'datos');
    cwd ??= os.tmpdir();
    for (let attempt = 1; ; attempt++) {
        const p = port ?? (await freePort());
        const child = track(
            spawn(BIN, ['serve', '--port', String(p), '--data-dir', dataDir, ...args], {
                cwd,
                env: childEnv(env),
                stdio: ['ignore', 'pipe', 'pipe'],
            }),
        );
        const server = new Server(child, p, dataDir);
        defer(t, async () => {
            if (!server.exited) await server.stop('SIGINT');
        });
        try {
            await waitUntilHealthy(server);
            return server;
        } catch (e) {
            const taken = server.exited && server.stderr.includes('ya está en uso');
            if (port === undefined && taken && attempt < 3) continue;
            throw e;
        }
    }
}

async function waitUntilHealthy(server) {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const listening = `listening on http://127.0.0.1:${server.port}`;
    // The log line first: it proves that this process, not another one, owns the port.
    while (!server.stderr.includes(listening)) {
        if (server.exited) {
            const { code, signal } = await server.exit;
            throw new Error(
                `ventanilla serve terminó (código ${code}, señal ${signal}) antes de escuchar:\n` +
                    server.stderr,
            );
        }
        if (Date.now() > deadline) throw new Error(`ventanilla serve no escuchó a tiempo:\n${server.stderr}`);
        await sleep(20);
    }
    while (true) {
        try {
            const res = await request(server, '/healthz');
            if (res.status === 200) return;
        } catch {
            // Not answering yet.
        }
        if (server.exited) throw new Error(`ventanilla serve terminó antes de responder:\n${server.stderr}`);
        if (Date.now() > deadline) throw new Error(`/healthz no respondió a tiempo:\n${server.stderr}`);
        await sleep(50);
    }
}

/** Polls `predicate` until it is true; rejects with `what` after `timeoutMs`. */
export async function eventually(predicate, what, timeoutMs = STARTUP_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error(`no ocurrió a tiempo: ${what}`);
        await sleep(25);
    }
}

// ---------------------------------------------------------------------------------------
// HTTP.

/**
 * One HTTP request on a connection of its own (no pooling, so no test sees a connection
 * the server closed earlier). Resolves to {status, headers, body (Buffer), text, json()}.
 */
export function request(server, target, { method = 'GET', headers = {}, body, timeoutMs = 10_000 } = {}) {
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: '127.0.0.1',
                port: server.port,
                path: target,
                method,
                headers,
                agent: false,
                timeout: timeoutMs,
            },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('error', reject);
                res.on('end', () => {
                    const buf = Buffer.concat(chunks);
                    const text = buf.toString('utf8');
                    resolve({
                        status: res.statusCode,
                        headers: res.headers,
                        body: buf,
                        text,
                        json: () => JSON.parse(text),
                    });
                });
            },
        );
        req.on('timeout', () =>
            req.destroy(new Error(`${method} ${target}: sin respuesta en ${timeoutMs} ms`)),
        );
        req.on('error', reject);
        req.end(body);
    });
}

/**
 * Writes `data` on a new raw TCP connection and reads until the server closes it.
 * Resolves to {text, response} where response is the parsed HTTP response (or null if the
 * server sent nothing). Rejects if the server keeps the connection open past `timeoutMs`.
 */
export function rawExchange(port, data, { timeoutMs = 10_000 } = {}) {
    return new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => {
            text += chunk;
        });
        const timer = setTimeout(() => {
            socket.destroy();
            reject(new Error(`el servidor no cerró la conexión en ${timeoutMs} ms; recibido: ${text}`));
        }, timeoutMs);
        socket.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
        });
        socket.on('close', () => {
            clearTimeout(timer);
            resolve({ text, response: text === '' ? null : parseResponse(text) });
        });
    });
}

/** Parses one HTTP/1.1 response with a Content-Length body. Header names are lower-cased. */
export function parseResponse(text) {
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`respuesta HTTP incompleta: ${JSON.stringify(text)}`);
    const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
    if (!m) throw new Error(`línea de estado inválida: ${statusLine}`);
    const headers = {};
    for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const body = text.slice(end + 4);
    return { status: Number(m[1]), headers, text: body, json: () => JSON.parse(body) };
}

/**
 * Asserts the platform's error format: JSON {"error": {"code", "message", "fields"}} with
 * the given status and code, and a message matching `message` (a RegExp, in Spanish).
 */
export function assertError(assert, res, { status, code, message }) {
    assert.equal(res.status, status, `estado inesperado; cuerpo: ${res.text}`);
    assert.match(res.headers['content-type'] ?? '', /^application\/json\b/);
    const body = JSON.parse(res.text);
    assert.deepEqual(Object.keys(body), ['error']);
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'fields', 'message']);
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, 'string');
    assert.match(body.error.message, message);
    assert.equal(typeof body.error.fields, 'object');
    assert.ok(body.error.fields !== null && !Array.isArray(body.error.fields));
    return body;
}

// ---------------------------------------------------------------------------------------
// Mail.

/** Imports an npm package of package-lock.json, saying how to get it when it is missing. */
export async function load(name) {
    try {
        return await import(name);
    } catch (e) {
        throw new Error(`falta el paquete de npm ${name}; ejecute \`npm ci\` en ${ROOT} (${e.message})`);
    }
}

/**
 * An SMTP server (npm smtp-server) on a free local port that accepts every message and
 * keeps it; closed after test `t`. Resolves to {port, messages, env} where each message is
 * {to: [addresses], text: decoded body} and env holds the VENTANILLA_* settings that make
 * a server deliver to it.
 */
export async function smtpSink(t) {
    const { SMTPServer } = await load('smtp-server');
    const messages = [];
    const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
            const chunks = [];
            stream.on('data', (c) => chunks.push(c));
            stream.on('end', () => {
                const raw = Buffer.concat(chunks).toString('utf8');
                messages.push({ to: session.envelope.rcptTo.map((r) => r.address), text: decodeBody(raw) });
                callback();
            });
        },
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
    });
    defer(t, () => new Promise((resolve) => server.close(resolve)));
    const port = server.server.address().port;
    return {
        port,
        messages,
        env: {
            VENTANILLA_SMTP_HOST: '127.0.0.1',
            VENTANILLA_SMTP_PORT: String(port),
            VENTANILLA_OUTBOX_POLL_INTERVAL_MS: '100',
        },
    };
}

/** The body of a single-part message, quoted-printable decoded. */
function decodeBody(raw) {
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    if (!/^content-transfer-encoding:\s*quoted-printable/im.test(raw.slice(0, raw.indexOf('\r\n\r\n')))) {
        return body;
    }
    const bytes = [];
    const soft = body.replace(/=\r?\n/g, '');
    for (let i = 0; i < soft.length; i++) {
        if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
            bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
            i += 2;
        } else {
            bytes.push(...Buffer.from(soft[i], 'utf8'));
        }
    }
    return Buffer.from(bytes).toString('utf8');
}

/** Waits for the `n`-th message (1-based) to `to` whose body has a link to `path`; returns its token. */
export async function mailedToken(sink, to, path, n = 1) {
    const pattern = new RegExp(`${path.replace(/[/?]/g, '\\$&')}\\?token=([0-9a-f]+)`);
    let found;
    await eventually(() => {
        const links = sink.messages.filter((m) => m.to.includes(to) && pattern.test(m.text));
        if (links.length >= n) found = pattern.exec(links[n - 1].text)[1];
        return found !== undefined;
    }, `un correo a ${to} con un enlace a ${path}`);
    return found;
}

/** A valid CUI for correlativo `n` (the check digit is computed; registered in 0101). */
export function validCui(n) {
    for (let c = n * 10; ; c++) {
        const body = String(10_000_000 + (c % 90_000_000));
        let sum = 0;
        for (let i = 0; i < 8; i++) sum += Number(body[i]) * (i + 2);
        if (sum % 11 === 10) continue;
        return `${body}${sum % 11}0101`;
    }
}

// ---------------------------------------------------------------------------------------
// Files.

/**
 * A valid SQLite database that is not Ventanilla's: one empty table t(x). Built byte by
 * byte (https://www.sqlite.org/fileformat.html) so the tests need no SQLite library.
 * Page 1 holds the file header and the schema table; page 2 is the empty table.
 */
export function foreignSqliteDatabase() {
    const pageSize = 4096;
    const db = Buffer.alloc(pageSize * 2);
    db.write('SQLite format 3\0', 0, 'latin1');
    db.writeUInt16BE(pageSize, 16);
    db[18] = 1; // write version: rollback journal
    db[19] = 1; // read version
    db[21] = 64; // max embedded payload fraction (fixed)
    db[22] = 32; // min embedded payload fraction (fixed)
    db[23] = 32; // leaf payload fraction (fixed)
    db.writeUInt32BE(1, 24); // file change counter
    db.writeUInt32BE(2, 28); // size in pages
    db.writeUInt32BE(1, 40); // schema cookie
    db.writeUInt32BE(4, 44); // schema format
    db.writeUInt32BE(1, 56); // text encoding: UTF-8
    db.writeUInt32BE(1, 92); // version-valid-for = change counter
    db.writeUInt32BE(3_040_001, 96);

    // The sqlite_schema row ('table', 't', 't', 2, 'CREATE TABLE t(x)') as a record.
    const sql = 'CREATE TABLE t(x)';
    const textType = (s) => 13 + 2 * Buffer.byteLength(s);
    const types = [textType('table'), textType('t'), textType('t'), 1, textType(sql)];
    const header = Buffer.from([types.length + 1, ...types]); // every varint here fits in a byte
    const record = Buffer.concat([
        header,
        Buffer.from('tablett', 'latin1'),
        Buffer.from([2]),
        Buffer.from(sql),
    ]);
    const cell = Buffer.concat([Buffer.from([record.length, 1]), record]); // payload size, rowid 1
    const cellAt = pageSize - cell.length;
    cell.copy(db, cellAt);
    // Page 1's b-tree header follows the 100-byte file header: a leaf table page, one cell.
    db[100] = 0x0d;
    db.writeUInt16BE(1, 103);
    db.writeUInt16BE(cellAt, 105);
    db.writeUInt16BE(cellAt, 108);
    // Page 2: an empty leaf table page whose content area starts at the page end.
    db[pageSize] = 0x0d;
    db.writeUInt16BE(pageSize, pageSize + 5);
    return db;
}
