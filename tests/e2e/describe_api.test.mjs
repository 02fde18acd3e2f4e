// The OpenAPI description: served byte for byte from docs/openapi.yaml, a valid OpenAPI
// document, and true of the running server (every documented path answers with a
// documented status and body; every error matches the Error schema).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, TEST_TIMEOUT_MS, rawExchange, request, startServer } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const SPEC = path.join(ROOT, 'docs', 'openapi.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The validators come from npm (package-lock.json); say how to get them if they are missing.
async function load(name) {
    try {
        return (await import(name)).default;
    } catch (e) {
        throw new Error(`falta el paquete de npm ${name}; ejecute \`npm ci\` en ${ROOT} (${e.message})`);
    }
}
const SwaggerParser = await load('@apidevtools/swagger-parser');
const Ajv = await load('ajv');
const yaml = await load('js-yaml');

/** The spec with every $ref resolved. */
async function dereferenced() {
    return SwaggerParser.dereference(yaml.load(await fs.readFile(SPEC, 'utf8')));
}

function schemaValidator() {
    // OpenAPI 3.0 schemas carry keywords (example, description) that are not JSON Schema
    // validation keywords; they are annotations here.
    const ajv = new Ajv({ strict: false, allErrors: true });
    return (schema, value, what) => {
        const validate = ajv.compile(schema);
        assert.ok(
            validate(value),
            `${what} no cumple el esquema: ${ajv.errorsText(validate.errors)}\n` + JSON.stringify(value),
        );
    };
}

test('GET /api/v1/openapi.yaml returns exactly docs/openapi.yaml', opts, async (t) => {
    const server = await startServer(t);
    const res = await request(server, '/api/v1/openapi.yaml');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/yaml\b/);
    const file = await fs.readFile(SPEC);
    assert.ok(
        res.body.equals(file),
        'el documento servido difiere de docs/openapi.yaml; recompile el binario',
    );
});

test('docs/openapi.yaml is a valid OpenAPI document', opts, async () => {
    const doc = yaml.load(await fs.readFile(SPEC, 'utf8'));
    const api = await SwaggerParser.validate(doc);
    assert.match(api.openapi, /^3\./);
    const ids = [];
    for (const item of Object.values(api.paths)) {
        for (const m of METHODS) if (item[m]) ids.push(item[m].operationId);
    }
    assert.equal(new Set(ids).size, ids.length, `operationId repetido: ${ids}`);
});

test('every documented path answers with a documented status, type and body', opts, async (t) => {
    const server = await startServer(t);
    const api = await dereferenced();
    const check = schemaValidator();
    let checked = 0;
    for (const [route, item] of Object.entries(api.paths)) {
        if (route.includes('{')) continue; // needs real identifiers
        for (const method of METHODS) {
            const op = item[method];
            if (!op) continue;
            const what = `${method.toUpperCase()} ${route}`;
            const res = await request(server, route, { method: method.toUpperCase() });
            assert.notEqual(res.status, 404, `${what} no existe en el servidor`);
            const documented = op.responses[String(res.status)] ?? op.responses.default;
            assert.ok(documented, `${what} respondió ${res.status}, que no está documentado`);
            if (documented.content) {
                const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
                const media = documented.content[type];
                assert.ok(
                    media,
                    `${what}: Content-Type ${type} no documentado (${Object.keys(documented.content)})`,
                );
                if (type === 'application/json' && media.schema) check(media.schema, res.json(), what);
            }
            checked++;
        }
    }
    assert.ok(checked >= 4, `solo se revisaron ${checked} operaciones`);
});

test('error responses of the server match the Error schema', opts, async (t) => {
    const server = await startServer(t, { env: { VENTANILLA_SERVER_MAX_HEADER_BYTES: '1024' } });
    const api = await dereferenced();
    const check = schemaValidator();
    const errorSchema = api.components.schemas.Error;

    const errors = [
        ['404', await request(server, '/no-existe')],
        ['405', await request(server, '/healthz', { method: 'POST' })],
        ['400', (await rawExchange(server.port, 'ESTO NO ES HTTP\r\n\r\n')).response],
        [
            '431',
            (
                await rawExchange(
                    server.port,
                    `GET / HTTP/1.1\r\nHost: x\r\nX-Relleno: ${'a'.repeat(2048)}\r\n\r\n`,
                )
            ).response,
        ],
    ];
    for (const [status, res] of errors) {
        assert.ok(res, `sin respuesta para el caso ${status}`);
        assert.equal(String(res.status), status, res.text);
        assert.match(res.headers['content-type'], /^application\/json\b/);
        check(errorSchema, JSON.parse(res.text), `la respuesta ${status}`);
    }

    // The shared error responses of the spec all use that schema.
    for (const [name, response] of Object.entries(api.components.responses)) {
        assert.deepEqual(
            response.content['application/json'].schema,
            errorSchema,
            `components.responses.${name}`,
        );
    }
});
