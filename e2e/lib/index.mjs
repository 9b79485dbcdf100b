// e2e/lib — shared helpers of the browser tests; see README.md in this directory.
export { config, uniqueName, E2E_DIR } from './config.mjs';
export { eventually, poll, sleep } from './eventually.mjs';
export { fixtures, makePng, makePdf } from './fixtures.mjs';
export { waitForFleet } from './ready.mjs';
export { launchBrowser, openRun, scenario, Run } from './browser.mjs';
export * as api from './api.mjs';
export * as shop from './shop.mjs';
export * as admin from './admin.mjs';
export * as flows from './flows.mjs';
export { imageLoaded } from './shop.mjs';
