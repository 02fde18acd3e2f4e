// The severance calculator as a worker uses it, against the running binary: the page and
// its form without JavaScript (a double-submit CSRF cookie, amounts in quetzales, errors
// beside their fields with what was typed kept), the result explained line by line, and the
// printable PDF from the page, from the JSON API and from the command line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { TEST_TIMEOUT_MS, assertError, request, run, startServer, tempDir } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const PAGE = '/calculadora-prestaciones';

// Case 1 of src/calculators/prestaciones_test.cpp: 01/03/2025–30/11/2025, Q4,000.00,
// despido injustificado; total Q9,713.24.
const CASO_1 = {
    fecha_inicio: '2025-03-01',
    fecha_fin: '2025-11-30',
    motivo: 'despido_injustificado',
    salario_ordinario_mensual: 'Q4,000.00',
    bonificacion_incentivo: '250.00',
    aguinaldo_pagado: 'si',
    bono14_pagado: 'si',
};

/** A browser without JavaScript: keeps the CSRF cookie and the token of the last form. */
class Visitor {
    constructor(server) {
        this.server = server;
        this.cookie = '';
        this.csrf = '';
    }

    async get(target) {
        return this.#keep(await request(this.server, target, { headers: this.#headers() }));
    }

    async post(target, fields, { csrf = this.csrf } = {}) {
        const body = new URLSearchParams({ csrf, ...fields }).toString();
        const headers = { ...this.#headers(), 'Content-Type': 'application/x-www-form-urlencoded' };
        return this.#keep(await request(this.server, target, { method: 'POST', headers, body }));
    }

    #headers() {
        return this.cookie ? { Cookie: this.cookie } : {};
    }

    #keep(res) {
        for (const c of res.headers['set-cookie'] ?? []) {
            if (c.startsWith('vt_csrf=')) this.cookie = c.split(';')[0];
        }
        if ((res.headers['content-type'] ?? '').startsWith('text/html')) {
            const m = res.text.match(/name="csrf" value="([0-9a-f]+)"/);
            if (m) this.csrf = m[1];
        }
        return res;
    }
}

/** The text of a PDF as pdftotext (poppler-utils) reads it, whitespace made single spaces. */
async function pdfText(t, bytes) {
    const file = path.join(await tempDir(t), 'calculo.pdf');
    await fs.writeFile(file, bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

function assertPdf(res, filename) {
    assert.equal(res.status, 200, res.text.slice(0, 500));
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(res.headers['content-disposition'], new RegExp(`^attachment; filename="${filename}"`));
    assert.equal(res.headers['cache-control'], 'private, no-store');
    assert.equal(res.body.subarray(0, 5).toString('latin1'), '%PDF-');
}

function assertPrintsCaso1(text) {
    for (const expected of [
        'Ministerio de Trabajo y Previsión Social — República de Guatemala',
        'Cálculo informativo — no es una resolución',
        'Indemnización',
        'Q3,515.98',
        'Código de Trabajo, Art. 82',
        'Aguinaldo proporcional',
        'Q3,013.70',
        'Decreto 76-78',
        'Bono 14 proporcional',
        'Q1,676.71',
        'Vacaciones no gozadas',
        'Q1,506.85',
        'Q9,713.24',
        'Fecha del cálculo:',
    ]) {
        assert.ok(text.includes(expected), `el PDF no dice «${expected}»:\n${text}`);
    }
}

test('the calculator page works without JavaScript, explains each line and prints it', opts, async (t) => {
    const server = await startServer(t);
    const visitor = new Visitor(server);

    const form = await visitor.get(PAGE);
    assert.equal(form.status, 200);
    assert.match(form.headers['content-type'], /^text\/html; charset=utf-8/);
    assert.match(form.text, /<h1>Calcule sus prestaciones laborales<\/h1>/);
    assert.match(form.text, /<form method="post" action="\/calculadora-prestaciones" novalidate>/);
    assert.ok(visitor.cookie.startsWith('vt_csrf='), 'la página no dejó la cookie CSRF');
    assert.equal(visitor.csrf.length, 64);
    assert.doesNotMatch(form.text, /<script/, 'la página no necesita JavaScript');

    // The home page and the catalog lead here.
    assert.match((await visitor.get('/')).text, /href="\/calculadora-prestaciones"/);
    assert.match(
        (await visitor.get('/tramites/calculo-prestaciones-laborales')).text,
        /<a class="boton" href="\/calculadora-prestaciones">/,
    );

    // Without the token nothing is calculated.
    const forged = await visitor.post(PAGE, CASO_1, { csrf: 'a'.repeat(64) });
    assert.equal(forged.status, 403);
    assert.doesNotMatch(forged.text, /Q9,713\.24/);

    // Bad input: every problem in a summary that links to its field, and what was typed.
    const bad = await visitor.post(PAGE, {
        fecha_inicio: '31/02/2025',
        fecha_fin: '2025-11-30',
        salario_ordinario_mensual: '4.000,50',
        dias_salario_pendiente: 'tres',
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /<h2 id="titulo-errores">Hay un problema<\/h2>/);
    for (const field of ['fecha_inicio', 'motivo', 'salario_ordinario_mensual', 'dias_salario_pendiente']) {
        assert.match(bad.text, new RegExp(`<a href="#campo-${field}">`), field);
        assert.match(bad.text, new RegExp(`id="campo-${field}"`), field);
    }
    assert.match(bad.text, /La fecha 31\/02\/2025 no existe en el calendario\./);
    assert.match(bad.text, /name="salario_ordinario_mensual" value="4\.000,50"/);
    assert.match(bad.text, /name="fecha_fin" value="2025-11-30"/);
    assert.match(bad.text, /<details class="mas-datos" open>/);

    // The result, line by line.
    const result = await visitor.post(PAGE, CASO_1);
    assert.equal(result.status, 200, result.text);
    for (const expected of [
        '<strong>Q9,713.24</strong>',
        '<h3>Indemnización: Q3,515.98</h3>',
        'Lo que el patrono paga a quien despide sin una causa justificada',
        '<dd>Código de Trabajo, Art. 82</dd>',
        'Q4,000.00 × 14/12 × 275 días / 365 = Q3,515.98.',
        '<h3>Aguinaldo proporcional: Q3,013.70</h3>',
        '<h3>Bono 14 proporcional: Q1,676.71</h3>',
        '<h3>Vacaciones no gozadas: Q1,506.85</h3>',
        'Cómo se cuentan los días',
        '<form method="post" action="/calculadora-prestaciones/pdf">',
    ]) {
        assert.ok(result.text.includes(expected), `falta «${expected}»`);
    }

    // The PDF button posts the values the result page carries.
    const hidden = {};
    const pdfForm = result.text.slice(result.text.indexOf('action="/calculadora-prestaciones/pdf"'));
    for (const m of pdfForm.slice(0, pdfForm.indexOf('</form>')).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
        hidden[m[1]] = m[2].replaceAll('&amp;', '&');
    }
    assert.equal(hidden.salario_ordinario_mensual, 'Q4,000.00');
    const pdf = await visitor.post('/calculadora-prestaciones/pdf', hidden, { csrf: hidden.csrf });
    assertPdf(pdf, 'prestaciones-2025-11-30.pdf');
    assertPrintsCaso1(await pdfText(t, pdf.body));

    // A tampered form gets the page with the problem, not a PDF.
    const tampered = await visitor.post('/calculadora-prestaciones/pdf', { ...CASO_1, motivo: 'otro' });
    assert.equal(tampered.status, 422);
    assert.match(tampered.headers['content-type'], /^text\/html/);
    assert.equal(tampered.headers['content-disposition'], undefined);
});

test('the JSON API and the command line print the same calculation', opts, async (t) => {
    const server = await startServer(t);
    const json = {
        fecha_inicio: '2025-03-01',
        fecha_fin: '2025-11-30',
        motivo: 'despido_injustificado',
        salario_ordinario_mensual: 400000,
    };
    const post = (body) =>
        request(server, '/api/v1/calculadora/prestaciones/pdf', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
        });
    const res = await post(json);
    assertPdf(res, 'prestaciones-2025-11-30.pdf');
    assertPrintsCaso1(await pdfText(t, res.body));

    const bad = await post({ ...json, fecha_fin: '2024-01-01', salario_ordinario_mensual: 'Q4,000.00' });
    assertError(assert, bad, { status: 422, code: 'invalid', message: /Revise/ });
    assert.deepEqual(Object.keys(bad.json().error.fields).sort(), ['fecha_fin', 'salario_ordinario_mensual']);

    const dir = await tempDir(t);
    const file = path.join(dir, 'prestaciones.pdf');
    const cli = await run([
        'prestaciones',
        '--inicio', '2025-03-01',
        '--fin', '2025-11-30',
        '--salario', 'Q4,000.00',
        '--motivo', 'despido-injustificado',
        '--pdf', file,
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /Q9,713\.24/);
    assert.match(cli.stdout, /PDF para imprimir guardado en /);
    assertPrintsCaso1(await pdfText(t, await fs.readFile(file)));

    const refused = await run(['prestaciones', '--inicio', '2025-03-01', '--fin', '2024-01-01',
        '--salario', '4000', '--motivo', 'renuncia', '--pdf', path.join(dir, 'no.pdf')]);
    assert.equal(refused.code, 2);
    await assert.rejects(fs.access(path.join(dir, 'no.pdf')), 'con datos incorrectos no se escribe el PDF');
});
