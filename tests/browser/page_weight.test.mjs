// Every page of pages.mjs, on a first visit: a citizen page's HTML and CSS cost at most
// 30 KB on the wire (compressed, headers included), text arrives gzip-encoded, and every
// request the page makes goes to the server itself (no external fonts, CDNs or trackers).
import { test } from 'node:test';

import { checkWeight } from './support/checks.mjs';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.mjs';

test('pages are small, compressed and self-contained', { timeout: BROWSER_TEST_TIMEOUT_MS }, (t) => checkWeight(t));
