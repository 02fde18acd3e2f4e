// The checks every page of ../pages.mjs goes through, shared by the test files that run
// them at each width.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';

import { PAGES, prepareSite, visit } from '../pages.mjs';
import {
    ARTIFACTS,
    MAX_PAGE_BYTES,
    axeViolations,
    describeViolations,
    foreignRequests,
    launchBrowser,
    loadAxe,
    newContext,
    recordResponses,
    screenshot,
    transferSizes,
} from './browser.mjs';

/**
 * One subtest of `t` per page: open it at `width` px (logged in when the entry says so),
 * check its status, save a screenshot, and require that nothing scrolls the page sideways
 * and zero axe violations. One context per
 * account is shared by the pages, as one person's browser would be.
 */
export async function checkAccessibility(t, width) {
    // Screenshots of pages that no longer exist must not linger.
    await fs.rm(path.join(ARTIFACTS, String(width)), { recursive: true, force: true });
    const site = await prepareSite(t);
    const browser = await launchBrowser(t);
    const contexts = new Map();
    for (const entry of PAGES) {
        await t.test(entry.name, async () => {
            const role = entry.as ?? '';
            if (!contexts.has(role)) {
                const storageState = await site.session(browser, entry.as);
                const context = await newContext(t, browser, { width, storageState });
                await loadAxe(context);
                contexts.set(role, context);
            }
            const page = await contexts.get(role).newPage();
            try {
                const res = await visit(page, site, entry);
                assert.equal(res.status(), entry.status ?? 200, `estado de ${res.url()}`);
                await screenshot(page, entry.name, width);
                // WCAG 1.4.10 (reflow): nothing makes the whole page scroll sideways.
                const overflow = await page.evaluate(() => {
                    const width = document.documentElement.clientWidth;
                    if (document.documentElement.scrollWidth <= width) return [];
                    return [...document.querySelectorAll('body *')]
                        .filter((e) => e.getBoundingClientRect().right > width + 1)
                        .slice(0, 5)
                        .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''}`);
                });
                assert.deepEqual(overflow, [], `la página se desplaza a lo ancho a ${width} px por estos elementos`);
                const violations = await axeViolations(page);
                assert.equal(violations.length, 0, `axe encontró problemas en ${page.url()}:\n${describeViolations(violations)}`);
            } finally {
                await page.close();
            }
        });
    }
    t.diagnostic(`capturas de pantalla a ${width} px en ${ARTIFACTS}/${width}/`);
}

/**
 * One subtest of `t` per page: open it in a fresh context (a first visit, nothing cached)
 * and require that every request went to the test server and that a citizen page's HTML
 * and CSS cost at most MAX_PAGE_BYTES on the wire. Resolves to the sizes measured,
 * [{name, html, css, total}] in bytes.
 */
export async function checkWeight(t) {
    const site = await prepareSite(t);
    const browser = await launchBrowser(t);
    const measured = [];
    for (const entry of PAGES) {
        await t.test(entry.name, async (st) => {
            const storageState = await site.session(browser, entry.as);
            const context = await newContext(st, browser, { storageState });
            const page = await context.newPage();
            const responses = recordResponses(page);
            const res = await visit(page, site, entry);
            assert.equal(res.status(), entry.status ?? 200, `estado de ${res.url()}`);

            assert.deepEqual(foreignRequests(site.server, context.requests), [],
                'la página pidió recursos fuera del servidor (fuentes, CDN, rastreadores)');
            const { items } = await transferSizes(responses);
            const html = items.filter((i) => i.type === 'document' && (i.status < 300 || i.status >= 400)).at(-1);
            const css = items.filter((i) => i.type === 'stylesheet');
            assert.ok(html, 'no se recibió el documento');
            assert.equal(css.length, 1, `una hoja de estilo, recibida una vez: ${JSON.stringify(css)}`);
            assert.equal(css[0].encoding, 'gzip', 'la hoja de estilo llegó sin comprimir');
            if (html.body > 1024) assert.equal(html.encoding, 'gzip', 'el HTML llegó sin comprimir');
            const size = {
                name: entry.name,
                html: html.body + html.headers,
                css: css[0].body + css[0].headers,
            };
            size.total = size.html + size.css;
            measured.push(size);
            if (entry.citizen !== false) {
                assert.ok(size.total <= MAX_PAGE_BYTES,
                    `${entry.name} pesa ${size.total} bytes (HTML ${size.html} + CSS ${size.css}); el máximo es ${MAX_PAGE_BYTES}`);
            }
        });
    }
    const kb = (n) => (n / 1024).toFixed(1).padStart(5);
    t.diagnostic('bytes transferidos (encabezados y cuerpo comprimido), KB:   HTML   CSS  total');
    for (const m of measured) t.diagnostic(`  ${m.name.padEnd(40)} ${kb(m.html)} ${kb(m.css)} ${kb(m.total)}`);
    return measured;
}
