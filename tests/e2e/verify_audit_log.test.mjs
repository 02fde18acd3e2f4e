// The audit log of the real binary: tree heads and proofs checked here with Node's own
// SHA-256 and Ed25519 (an independent implementation of RFC 6962/9162), and
// `ventanilla audit verify` exiting 0 on an untouched database and 1, naming table and
// key, after the database file was changed with the sqlite3 shell.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';

import { TEST_TIMEOUT_MS, request, run, startServer } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };

const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHash = (entry) => sha256(Buffer.from([0]), Buffer.from(entry, 'utf8'));
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);
const b64 = (s) => Buffer.from(s, 'base64');

// RFC 9162 §2.1.3.2.
function rootFromInclusion(index, size, leaf, path) {
    let fn = BigInt(index);
    let sn = BigInt(size) - 1n;
    let r = leaf;
    for (const p of path) {
        if (sn === 0n) return null;
        if (fn & 1n || fn === sn) {
            r = nodeHash(p, r);
            while (!(fn & 1n) && fn !== 0n) {
                fn >>= 1n;
                sn >>= 1n;
            }
        } else {
            r = nodeHash(r, p);
        }
        fn >>= 1n;
        sn >>= 1n;
    }
    return sn === 0n ? r : null;
}

// The RFC 6962 TreeHeadSignature bytes and an Ed25519 check with the published key.
function verifyTreeHead(sth, publicKeyBase64) {
    const message = Buffer.alloc(50);
    message[0] = 0;
    message[1] = 1;
    message.writeBigUInt64BE(BigInt(sth.marca_tiempo), 2);
    message.writeBigUInt64BE(BigInt(sth.tamano), 10);
    b64(sth.raiz).copy(message, 18);
    const key = crypto.createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: b64(publicKeyBase64).toString('base64url') },
        format: 'jwk',
    });
    return crypto.verify(null, message, key, b64(sth.firma));
}

async function fileCase(server, text) {
    const res = await request(server, '/api/v1/expedientes', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
            tramite: 'acceso-informacion-publica',
            respuestas: { informacion: text, formato: 'electronico', identificarse: false },
        }),
    });
    assert.equal(res.status, 201, res.text);
    return res.json().numero;
}

function sqlite(file, sql) {
    const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8' });
    assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
}

test('tree heads and inclusion proofs verify with the published key', opts, async (t) => {
    const server = await startServer(t);
    await fileCase(server, 'Número de inspecciones realizadas en 2025.');
    const key = (await request(server, '/api/v1/audit/clave-publica')).json();
    const sthRes = await request(server, '/api/v1/audit/sth');
    assert.equal(sthRes.status, 200, sthRes.text);
    const sth = sthRes.json();
    assert.ok(sth.tamano >= 1);
    assert.equal(sth.clave_publica, key.clave_publica);
    assert.ok(verifyTreeHead(sth, key.clave_publica), 'la firma de la STH no verifica');

    const last = sth.tamano - 1;
    const proof = (await request(server, `/api/v1/audit/prueba-inclusion?indice=${last}&tamano=${sth.tamano}`)).json();
    assert.equal(JSON.parse(proof.entrada).object_type, 'case');
    const leaf = leafHash(proof.entrada);
    assert.deepEqual(leaf, b64(proof.hoja));
    const root = rootFromInclusion(last, sth.tamano, leaf, proof.ruta.map(b64));
    assert.ok(root && root.equals(b64(sth.raiz)), 'la prueba de inclusión no lleva a la raíz firmada');

    const bad = await request(server, '/api/v1/audit/prueba-consistencia?desde=9&hasta=2');
    assert.equal(bad.status, 422);
    assert.ok(bad.json().error.fields.desde);
});

test('audit verify passes untouched and names every row changed in the file', opts, async (t) => {
    const probe = spawnSync('sqlite3', ['-version']);
    if (probe.error) {
        t.skip('falta el programa sqlite3 (paquete sqlite3)');
        return;
    }
    const server = await startServer(t);
    const first = await fileCase(server, 'Copia del presupuesto del ministerio para 2026.');
    const second = await fileCase(server, 'Número de inspecciones realizadas en 2025.');
    assert.equal((await request(server, '/api/v1/audit/sth')).status, 200);
    await server.stop();

    const clean = await run(['audit', 'verify', '--data-dir', server.dataDir]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /Sin problemas\./);
    assert.match(clean.stdout, /firmas verificadas con la llave [0-9a-f]{64}/);

    const db = path.join(server.dataDir, 'ventanilla.sqlite3');
    sqlite(db, `UPDATE cases SET state = 'resuelta' WHERE number = '${first}'`);
    sqlite(db, `DELETE FROM case_events WHERE case_id = (SELECT id FROM cases WHERE number = '${second}')`);
    sqlite(db, `UPDATE audit_log SET entry = replace(entry, '"actor":"sistema"', '"actor":"alguien"') WHERE leaf_index = 0`);

    const tampered = await run(['audit', 'verify', '--data-dir', server.dataDir]);
    assert.equal(tampered.code, 1, tampered.stdout + tampered.stderr);
    assert.match(tampered.stdout, new RegExp(`^cases\\t${first}\\talterada\\t`, 'm'));
    assert.match(tampered.stdout, new RegExp(`^case_events\\t${second}#1\\teliminada\\t`, 'm'));
    assert.match(tampered.stdout, /^audit_log\t0\thoja alterada\t/m);
    assert.match(tampered.stdout, /^audit_sth\t.*\traíz no coincide con la STH firmada\t/m);
});
