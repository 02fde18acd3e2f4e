// A signed document end to end against the real binary: a citizen uploads an attachment
// larger than the server's general body limit and files a case that references it; the
// office's official opens the attachment, resolves the case, and the transition signs the
// resolution; the citizen downloads the PDF, whose text and QR code say what it is; anyone
// verifies it online (and compares the file), and offline with `ventanilla verify-document`
// and the published keys; a changed PDF does not verify, a revoked one says so online, and
// `ventanilla audit verify` names every documents row changed in the database file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, assertError, request, run, startServer, tempDir } from './support/ventanilla.mjs';

// Several server round trips, PDF rendering and four command runs on a loaded machine.
const opts = { timeout: 120_000 };
const DEMO_PASSWORD = 'Demostracion-2026';
const PUBLIC_URL = 'https://ventanilla.mintrabajo.gob.gt';
const RESPUESTA = 'Se adjuntan las planillas del ingenio La Esperanza correspondientes a 2025.';

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

function have(tool) {
    return !spawnSync(tool, ['-v'], { stdio: 'ignore' }).error;
}

function sqlite(file, sql) {
    const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8' });
    assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
}

/**
 * The repository's trámite definitions, with an optional attachment field added to the
 * copy of acceso-informacion-publica: none of the shipped definitions asks for a file yet.
 */
async function catalogWithAttachment(t) {
    const dir = await tempDir(t);
    const source = path.join(ROOT, 'tramites');
    for (const name of await fs.readdir(source)) {
        if (!name.endsWith('.json')) continue;
        const text = await fs.readFile(path.join(source, name), 'utf8');
        if (name !== 'acceso-informacion-publica.json') {
            await fs.writeFile(path.join(dir, name), text);
            continue;
        }
        const d = JSON.parse(text);
        d.formulario.push({
            id: 'respaldo',
            tipo: 'archivo',
            etiqueta: 'Documento de respaldo',
            tipos: ['application/pdf'],
            max_bytes: 2 * 1024 * 1024,
        });
        await fs.writeFile(path.join(dir, name), JSON.stringify(d, null, 2));
    }
    return dir;
}

/** A PDF of about `size` bytes (libmagic reads the header; the rest is a comment). */
function pdfOfSize(size) {
    const head = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n';
    const tail = '\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n';
    return Buffer.from(head + '%' + 'x'.repeat(size - head.length - tail.length - 1) + tail);
}

/** Logs in; resolves to the headers of that session's requests that change state. */
async function logIn(server, usuario) {
    const res = await request(server, '/api/v1/sesiones', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ usuario, contrasena: DEMO_PASSWORD }),
    });
    assert.equal(res.status, 201, res.text);
    const cookie = (res.headers['set-cookie'] ?? [])
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('vt_sesion='));
    assert.ok(cookie, 'el inicio de sesión no dejó la cookie vt_sesion');
    return { Cookie: cookie, 'X-CSRF-Token': res.json().csrf };
}

function postJson(server, target, session, body) {
    return request(server, target, {
        method: 'POST',
        headers: { ...session, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    });
}

test('a resolution is signed when its case is resolved and verifies online and offline', opts, async (t) => {
    assert.ok(have('pdftotext'), 'falta pdftotext (paquete poppler-utils)');
    assert.ok(have('sqlite3'), 'falta el programa sqlite3 (paquete sqlite3)');
    const catalog = await catalogWithAttachment(t);
    const server = await startServer(t, {
        args: ['--demo'],
        env: { VENTANILLA_CATALOG_DIR: catalog, VENTANILLA_IDENTITY_PUBLIC_URL: PUBLIC_URL },
    });
    const work = await tempDir(t);

    // The citizen uploads 1.5 MB: more than server.max_body_bytes (1 MiB), within the
    // field's 2 MiB. The type is read from the content, never from the name.
    const citizen = await logIn(server, 'ciudadana@demo.ventanilla.gt');
    const attachment = pdfOfSize(1_500_000);
    const upload = (bytes, name) =>
        request(server, '/api/v1/archivos?tramite=acceso-informacion-publica&campo=respaldo', {
            method: 'POST',
            headers: {
                ...citizen,
                'Content-Type': 'application/octet-stream',
                'X-Nombre-Archivo': encodeURIComponent(name),
            },
            body: bytes,
        });
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    assertError(assert, await upload(png, 'planilla.pdf'), {
        status: 415,
        code: 'upload-type-not-accepted',
        message: /image\/png.*application\/pdf/,
    });
    assertError(assert, await upload(pdfOfSize(2_200_000), 'grande.pdf'), {
        status: 413,
        code: 'upload-too-large',
        message: /máximo es 2\.0 MB/,
    });
    const uploaded = await upload(attachment, 'Planillas del ingenio, 2025.pdf');
    assert.equal(uploaded.status, 201, uploaded.text);
    const file = uploaded.json();
    assert.equal(file.tipo, 'application/pdf');
    assert.equal(file.sha256, sha256(attachment));
    assert.equal(file.nombre, 'Planillas del ingenio, 2025.pdf');

    const filed = await postJson(server, '/api/v1/expedientes', citizen, {
        tramite: 'acceso-informacion-publica',
        respuestas: {
            informacion: 'Planillas del ingenio La Esperanza presentadas al ministerio en 2025.',
            formato: 'electronico',
            identificarse: true,
            nombre: 'María López Pérez',
            respaldo: { documento: file.id },
        },
    });
    assert.equal(filed.status, 201, filed.text);
    const { numero } = filed.json();

    // The office's official (recepción, analista, jefe and firma at the UIP) sees the
    // attachment through the case, and only through it.
    const official = await logIn(server, 'uip@demo.ventanilla.gt');
    const seen = await request(server, `/api/v1/archivos/${file.id}?expediente=${numero}`, { headers: official });
    assert.equal(seen.status, 200, seen.text);
    assert.ok(seen.body.equals(attachment), 'el archivo descargado no es el subido');
    assert.match(seen.headers['content-disposition'], /^attachment;/);
    assert.equal(seen.headers['x-content-type-options'], 'nosniff');
    assert.equal((await request(server, `/api/v1/archivos/${file.id}`, { headers: official })).status, 404);

    const admitted = await postJson(server, `/api/v1/expedientes/${numero}/transiciones`, official, {
        transicion: 'admitir',
    });
    assert.equal(admitted.status, 200, admitted.text);
    assert.equal(admitted.json().documento_emitido, undefined);
    const resolved = await postJson(server, `/api/v1/expedientes/${numero}/transiciones`, official, {
        transicion: 'resolver',
        entradas: { respuesta: RESPUESTA },
    });
    assert.equal(resolved.status, 200, resolved.text);
    assert.equal(resolved.json().estado.id, 'resuelta');
    const issued = resolved.json().documento_emitido;
    assert.ok(issued, `la resolución no se emitió: ${resolved.text}`);
    assert.equal(issued.titulo, 'Resolución de acceso a la información pública');
    assert.equal(issued.expediente, numero);
    assert.equal(issued.emitido_por, 'Elena Información');

    // The citizen finds it among the case's documents and downloads it; someone else cannot.
    const list = await request(server, `/api/v1/expedientes/${numero}/documentos`, { headers: citizen });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
        list.json().documentos.map((d) => d.id),
        [issued.id],
    );
    const download = await request(server, issued.pdf, { headers: citizen });
    assert.equal(download.status, 200, download.text);
    assert.match(download.headers['content-type'], /^application\/pdf/);
    const pdf = download.body;
    assert.equal(sha256(pdf), issued.sha256);
    const stranger = await logIn(server, 'empleador@demo.ventanilla.gt');
    assert.equal((await request(server, issued.pdf, { headers: stranger })).status, 404);
    assert.equal((await request(server, issued.pdf)).status, 401);

    const pdfFile = path.join(work, 'resolucion.pdf');
    await fs.writeFile(pdfFile, pdf);
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    const flat = text.stdout.replace(/\s+/g, ' ');
    for (const expected of [
        'Resolución de acceso a la información pública',
        `Expediente: ${numero}`,
        `Código de verificación: ${issued.id}`,
        'Ley de Acceso a la Información Pública',
        RESPUESTA,
        'Elena Información',
    ]) {
        assert.ok(flat.includes(expected), `el PDF no dice «${expected}»:\n${text.stdout}`);
    }
    if (have('zbarimg') && have('pdftoppm')) {
        const image = path.join(work, 'pagina');
        const rendered = spawnSync('pdftoppm', ['-r', '150', '-gray', '-png', '-singlefile', pdfFile, image]);
        assert.equal(rendered.status, 0);
        const qr = spawnSync('zbarimg', ['--raw', '-q', `${image}.png`], { encoding: 'utf8' });
        assert.equal(qr.stdout.trim(), `${PUBLIC_URL}/verificar/${issued.id}`);
    } else {
        t.diagnostic('sin zbarimg/pdftoppm: no se leyó el código QR');
    }

    // Online, for anyone: valid, and the downloaded file is exactly the one issued.
    const online = await request(server, issued.verificacion);
    assert.equal(online.status, 200, online.text);
    assert.equal(online.json().estado, 'valido');
    assert.equal(online.json().firma_valida, true);
    assert.equal(online.json().sha256, sha256(pdf));
    const compare = (bytes) =>
        request(server, issued.verificacion, {
            method: 'POST',
            headers: { 'Content-Type': 'application/pdf' },
            body: bytes,
        });
    assert.equal((await compare(pdf)).json().coincide, true);
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 2)] ^= 0x01; // one bit of the page
    assert.equal((await compare(changed)).json().coincide, false);

    // Offline: the published keys and the command line, no server involved.
    const keys = await request(server, '/api/v1/documentos/claves');
    assert.equal(keys.status, 200, keys.text);
    assert.equal(keys.json().claves.length, 1);
    assert.equal(keys.json().claves[0].id, issued.clave);
    const keysFile = path.join(work, 'claves.json');
    await fs.writeFile(keysFile, keys.body);
    const valid = await run(['verify-document', pdfFile, '--claves', keysFile]);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.match(valid.stdout, /^VÁLIDO: /);
    assert.match(valid.stdout, new RegExp(`Documento: ${issued.id}`));
    assert.match(valid.stdout, /Firmante: +Elena Información \(UIP\)/);
    // Without --claves, the keys of the installation's own database.
    const local = await run(['verify-document', pdfFile, '--data-dir', server.dataDir]);
    assert.equal(local.code, 0, local.stdout + local.stderr);

    const changedFile = path.join(work, 'alterado.pdf');
    await fs.writeFile(changedFile, changed);
    const invalid = await run(['verify-document', changedFile, '--claves', keysFile]);
    assert.equal(invalid.code, 1, invalid.stdout + invalid.stderr);
    assert.match(invalid.stdout, /^NO VÁLIDO: /);
    const unsigned = await run(['verify-document', path.join(catalog, 'denuncia-laboral.json'), '--claves', keysFile]);
    assert.equal(unsigned.code, 1, unsigned.stdout + unsigned.stderr);
    const usage = await run(['verify-document']);
    assert.equal(usage.code, 2, usage.stderr);
    const missing = await run(['verify-document', path.join(work, 'no-existe.pdf'), '--claves', keysFile]);
    assert.equal(missing.code, 2, missing.stderr);

    // Revoked: online verification says so, with the reason; the head of the office may.
    const revoked = await postJson(server, `/api/v1/documentos/${issued.id}/revocacion`, official, {
        motivo: 'La respuesta omitió una planilla.',
    });
    assert.equal(revoked.status, 200, revoked.text);
    const after = (await request(server, issued.verificacion)).json();
    assert.equal(after.estado, 'revocado');
    assert.equal(after.motivo_revocacion, 'La respuesta omitió una planilla.');
    const unknown = (await request(server, '/api/v1/documentos/00000000000000000000000000000000/verificacion')).json();
    assert.equal(unknown.estado, 'desconocido');

    // The audit log vouches for every documents row: untouched it verifies; changed in the
    // database file, each change is named by table and key.
    await server.stop();
    const clean = await run(['audit', 'verify', '--data-dir', server.dataDir]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /uploads 1;/);
    assert.match(clean.stdout, /signing_keys 1;/);
    assert.match(clean.stdout, /issued_documents 1;/);

    const db = path.join(server.dataDir, 'ventanilla.sqlite3');
    const forged = 'f'.repeat(64);
    sqlite(db, `UPDATE issued_documents SET revocation_reason = NULL, revoked_at = NULL WHERE id = '${issued.id}'`);
    sqlite(db, `DELETE FROM uploads WHERE id = '${file.id}'`);
    sqlite(
        db,
        'INSERT INTO signing_keys (id, account_id, official_name, office, public_key, sealed_secret_key, ' +
            `created_at, revoked_at) SELECT '${forged}', account_id, official_name, office, public_key, ` +
            'sealed_secret_key, created_at, created_at FROM signing_keys LIMIT 1',
    );
    const tampered = await run(['audit', 'verify', '--data-dir', server.dataDir]);
    assert.equal(tampered.code, 1, tampered.stdout + tampered.stderr);
    assert.match(tampered.stdout, new RegExp(`^issued_documents\\t${issued.id}\\talterada\\t`, 'm'));
    assert.match(tampered.stdout, new RegExp(`^uploads\\t${file.id}\\teliminada\\t`, 'm'));
    assert.match(
        tampered.stdout,
        new RegExp(`^signing_keys\\t${forged}\\tinsertada sin registro de auditoría\\t`, 'm'),
    );
});
