// Drives Debian's Chromium (headless, through npm playwright-core) against a real
// `ventanilla serve` started by ../../e2e/support/ventanilla.mjs, and checks pages the way
// a person's browser gets them: accessibility (axe-core), bytes transferred, where the
// requests go, and screenshots for a person to look at.
//
// Every browser, context and server started here is closed when the test that started it
// ends, pass or fail.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

import { ROOT, defer, load } from '../../e2e/support/ventanilla.mjs';

/** The browser under test: Debian's chromium package (TEST_PACKAGES in ./ventanilla). */
export const CHROMIUM = process.env.VENTANILLA_CHROMIUM || '/usr/bin/chromium';
/** Where screenshots go (gitignored). */
export const ARTIFACTS = path.join(ROOT, 'tests', 'browser', 'artifacts');
/** A small phone and a laptop. */
export const WIDTHS = [360, 1280];
/** The most a citizen page may weigh on the wire: its HTML and CSS, compressed. */
export const MAX_PAGE_BYTES = 30 * 1024;
/** The accessibility bar: WCAG 2.1 levels A and AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Per-test timeout for node:test: generous, the suite runs on a loaded two-core machine. */
export const BROWSER_TEST_TIMEOUT_MS = 240_000;

const { chromium } = await load('playwright-core');

/** Launches headless Chromium; closed after test `t`. */
export async function launchBrowser(t) {
    try {
        await fs.access(CHROMIUM);
    } catch {
        throw new Error(`no existe ${CHROMIUM}; instale el paquete chromium de Debian (./ventanilla test lo hace)`);
    }
    // --no-sandbox: the tests may run as root (CI containers), where Chromium's sandbox
    // refuses to start.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
    defer(t, () => browser.close());
    return browser;
}

/**
 * A new browser context (its own cookies and cache) at `width` px, closed after test `t`.
 * Options: javaScriptEnabled (default true), storageState (a logged-in session, see
 * logIn()). Every request its pages make is recorded in `context.requests` (URLs), so a
 * test can check that all of them went to `server`.
 */
export async function newContext(t, browser, { width = 1280, javaScriptEnabled = true, storageState } = {}) {
    const context = await browser.newContext({
        viewport: { width, height: width < 600 ? 740 : 800 },
        javaScriptEnabled,
        storageState,
        locale: 'es-GT',
    });
    defer(t, () => context.close());
    context.requests = [];
    context.on('request', (r) => context.requests.push(r.url()));
    return context;
}

/** The URLs in `urls` that are not on `server`'s origin (data: URLs are in the page). */
export function foreignRequests(server, urls) {
    return urls.filter((u) => !u.startsWith('data:') && new URL(u).origin !== server.url);
}

/**
 * Opens `target` (a path on `server`) in `page` and returns the main document's response.
 */
export async function open(page, server, target) {
    const res = await page.goto(server.url + target, { waitUntil: 'load' });
    if (!res) throw new Error(`sin respuesta para ${target}`);
    return res;
}

/**
 * Clicks `button` (a selector or a locator; by default the main form's first submit
 * button) and waits for the page it leads to; resolves to that document's response
 * (after redirects).
 */
export async function submit(page, button = 'main form button[type=submit]') {
    const target = typeof button === 'string' ? page.locator(button).first() : button;
    const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
    if (!res) throw new Error(`el envío con ${button} no cargó ninguna página`);
    return res;
}

/**
 * Logs in through the login page with JavaScript on and returns the session as a
 * Playwright storage state, for newContext({storageState}).
 */
export async function logIn(t, browser, server, usuario, contrasena) {
    const context = await newContext(t, browser);
    const page = await context.newPage();
    await open(page, server, '/cuenta/ingresar?volver=/tramites');
    await page.fill('#f-usuario', usuario);
    await page.fill('#f-contrasena', contrasena);
    const res = await submit(page);
    if (res.status() !== 200 || !(await page.locator('form[action="/cuenta/salir"]').count())) {
        throw new Error(`no se pudo ingresar como ${usuario}: ${res.status()} ${res.url()}`);
    }
    const state = await context.storageState();
    await context.close();
    return state;
}

// ---------------------------------------------------------------------------------------
// Accessibility.

const axeFile = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Makes axe-core load in every page of `context` before the page's own content. Chromium
 * keeps the compiled script, so this is much cheaper than injecting it into each page.
 * Init scripts are not bound by the page's Content-Security-Policy (which allows no
 * inline scripts).
 */
export async function loadAxe(context) {
    await context.addInitScript({ path: axeFile });
}

/**
 * Runs axe-core on the page as it is now, with the WCAG 2.1 A and AA rules. The page's
 * context must have had loadAxe(). Resolves to the violations:
 * [{id, impact, help, nodes: [{target, summary}]}].
 */
export async function axeViolations(page) {
    return page.evaluate(async (tags) => {
        if (!globalThis.axe) throw new Error('axe-core no está cargado en la página; llame a loadAxe(context)');
        const result = await globalThis.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
        });
        return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
        }));
    }, AXE_TAGS);
}

/** Violations as readable lines for an assertion message. */
export function describeViolations(violations) {
    return violations
        .map(
            (v) =>
                `- ${v.id} (${v.impact}): ${v.help}\n` +
                v.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
        )
        .join('\n');
}

// ---------------------------------------------------------------------------------------
// Weight.

/**
 * Records the responses `page` receives, for transferSizes().
 */
export function recordResponses(page) {
    const responses = [];
    page.on('response', (r) => responses.push(r));
    return responses;
}

/**
 * What the documents and stylesheets among `responses` cost on the wire, as Chromium got
 * them: body bytes as received (compressed) plus response headers. Responses served from
 * the browser's cache cost nothing and are left out. Resolves to
 * {total, items: [{url, type, status, encoding, body, headers}]}.
 */
export async function transferSizes(responses) {
    const items = [];
    for (const r of responses) {
        const type = r.request().resourceType();
        if (type !== 'document' && type !== 'stylesheet') continue;
        await r.finished();
        const sizes = await r.request().sizes();
        // Chromium counts no bytes received for a cached response (Playwright then reports
        // the body as minus the headers' size).
        if (sizes.responseBodySize + sizes.responseHeadersSize <= 0) continue;
        items.push({
            url: r.url(),
            type,
            status: r.status(),
            encoding: (await r.allHeaders())['content-encoding'] ?? '',
            body: sizes.responseBodySize,
            headers: sizes.responseHeadersSize,
        });
    }
    return { total: items.reduce((n, i) => n + i.body + i.headers, 0), items };
}

// ---------------------------------------------------------------------------------------
// Screenshots.

/** Writes a full-page screenshot to ARTIFACTS/<width>/<name>.png and returns its path. */
export async function screenshot(page, name, width) {
    const file = path.join(ARTIFACTS, String(width), `${name}.png`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
    return file;
}
