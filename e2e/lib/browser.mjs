// Browser, actors and failure artifacts (frontends.md §5).
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { config } from './config.mjs';
import { waitForFleet } from './ready.mjs';

export function launchBrowser() {
  return chromium.launch({
    executablePath: config.chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

/** One browser context + page per actor; records console, page errors and 5xx answers. */
class Actor {
  constructor(name, baseUrl, context, page) {
    this.name = name;
    this.baseUrl = baseUrl;
    this.context = context;
    this.page = page;
    this.console = [];
    this.problems = [];
    /** Set to a RegExp of URLs whose 5xx is expected (rare; e.g. an outage test). */
    this.allow5xx = null;
    page.on('console', (m) => this.console.push(`[${new Date().toISOString()}] ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 500 && !(this.allow5xx && this.allow5xx.test(r.url()))) {
        this.problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`);
      }
    });
  }

  url(p = '/') {
    return this.baseUrl + p;
  }

  async goto(p, opts) {
    return this.page.goto(this.url(p), { waitUntil: 'domcontentloaded', ...opts });
  }

  /** Cookies of this actor's app origin, as a name → value map. */
  async cookies() {
    const list = await this.context.cookies(this.baseUrl);
    return Object.fromEntries(list.map((c) => [c.name, c.value]));
  }
}

export class Run {
  constructor(name, browser) {
    this.name = name;
    this.browser = browser;
    this.actors = [];
  }

  /** A new actor: its own browser context (cookies) and page. */
  async actor(name, baseUrl = config.shopUrl, { viewport = { width: 1280, height: 900 } } = {}) {
    const context = await this.browser.newContext({ viewport, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const a = new Actor(name, baseUrl, context, page);
    this.actors.push(a);
    return a;
  }

  /** Another page in an existing actor's context (same cookies). */
  async extraPage(actor) {
    const page = await actor.context.newPage();
    return page;
  }

  /** Throws when a page saw an uncaught error or a 5xx. */
  assertClean() {
    const problems = this.actors.flatMap((a) => a.problems.map((p) => `${a.name}: ${p}`));
    if (problems.length) throw new Error(`page problems:\n${problems.join('\n')}`);
  }

  /** Screenshot that people should look at → e2e/screenshots/<name>.png. */
  async screenshot(page, name) {
    fs.mkdirSync(config.screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(config.screenshotsDir, `${slug(name)}.png`), fullPage: true }).catch(() => {});
  }

  /** Screenshot, HTML and console of every actor → e2e/artifacts/<run>/<label>/. */
  async saveArtifacts(label = 'failure', error) {
    const dir = path.join(config.artifactsDir, slug(this.name), slug(label));
    fs.mkdirSync(dir, { recursive: true });
    if (error) fs.writeFileSync(path.join(dir, 'error.txt'), `${error.stack ?? error}\n`);
    for (const a of this.actors) {
      const base = path.join(dir, slug(a.name));
      for (const [i, page] of a.context.pages().entries()) {
        const suffix = i ? `-${i}` : '';
        await page.screenshot({ path: `${base}${suffix}.png`, fullPage: true }).catch(() => {});
        const html = await page.content().catch(() => '');
        fs.writeFileSync(`${base}${suffix}.html`, `<!-- ${page.url()} -->\n${html}`);
      }
      fs.writeFileSync(`${base}.console.log`, [...a.console, '', ...a.problems].join('\n'));
    }
    return dir;
  }

  /** One step of a shared-state file: on failure saves artifacts, then rethrows. */
  async step(label, fn) {
    try {
      await fn(this);
      this.assertClean();
    } catch (err) {
      await this.saveArtifacts(label, err);
      throw err;
    }
  }

  async close() {
    for (const a of this.actors) await a.context.close().catch(() => {});
    await this.browser.close().catch(() => {});
  }
}

/** A browser run for a file whose tests share state; call `run.close()` in `after`. */
export async function openRun(name, { apps } = {}) {
  await waitForFleet(apps ? { apps } : undefined);
  return new Run(name, await launchBrowser());
}

/**
 * A stand-alone scenario: one `node:test` test with its own browser. Fails on page errors and 5xx;
 * artifacts on failure.
 */
export function scenario(name, fn, { timeout = 180_000, apps } = {}) {
  return test(name, { timeout }, async () => {
    const run = await openRun(name, { apps });
    try {
      await run.step('failure', fn);
    } finally {
      await run.close();
    }
  });
}
