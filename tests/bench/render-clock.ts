/**
 * When a page has rendered, timed in the page itself: the first animation frame in which what the page shows once
 * every part has loaded is visible. Waiting with Playwright's locators instead measures its polling: it looks again
 * after 0, 20, 50, 100, 100 and then every 500 ms (playwright-core 1.64.1 lib/coreBundle.js
 * retryWithProgressAndBackoff): a Traffic Flows visit whose edge list arrived at 1.77 s, and which renders ~0.2 s
 * after it, was reported at 2.22 s.
 */
import { Page } from 'playwright-core';

/** What a complete render shows. */
export interface RenderedWhen {
  /** CSS selectors whose first match is visible (a box, not hidden), as Playwright's `visible` state. */
  visible: string[];
  /** CSS selectors that match nothing (a loading line gone). */
  absent?: string[];
}

/** Traffic Flows complete: the map drawn (its canvas labelled), top talkers and the first page of flow records listed. */
export const FLOWS_RENDERED: RenderedWhen = {
  visible: ['[data-testid="map-canvas"][aria-label]', '[data-testid="talkers-table-list-container"] tr.main-row', '[data-testid="records-table-list-container"] tr.main-row'],
};

/** A VM's (or pod's) Network tab complete: its peers listed. */
export const PEERS_LISTED: RenderedWhen = { visible: ['[data-testid="peers-table-list-container"] tr.main-row'] };

interface ClockWindow { __renderClock?: number }

/** In-app navigation, as the side nav's router-link does; the page's clock starts at the push. */
export async function routerPush(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    const app = (document.querySelector('#__nuxt') || document.querySelector('#app')) as any;
    const router = app?.__vue_app__?.config?.globalProperties?.$router;

    if (!router) {
      throw new Error('the dashboard exposes no Vue router on its root element');
    }
    (window as ClockWindow).__renderClock = performance.now();
    router.push(to);
  }, path);
}

/** The page's clock starts at its next click (the user's action, not Playwright's checks before it). */
export async function startClockAtNextClick(page: Page): Promise<void> {
  await page.evaluate(() => {
    delete (window as ClockWindow).__renderClock;
    document.addEventListener('click', () => {
      (window as ClockWindow).__renderClock = performance.now();
    }, { capture: true, once: true });
  });
}

/**
 * Milliseconds from the page's clock (routerPush, startClockAtNextClick; without one, the document's navigation
 * start) to the first frame in which `when` holds. The check runs once per frame, so it lags the render by at
 * most one frame.
 */
export async function renderedAfter(page: Page, when: RenderedWhen, timeout: number): Promise<number> {
  const handle = await page.waitForFunction(({ visible, absent }) => {
    const shown = (selector: string) => {
      const element = document.querySelector(selector);
      const box = element?.getBoundingClientRect();

      return !!element && !!box && box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true });
    };

    if (visible.every(shown) && !absent.some((selector) => document.querySelector(selector))) {
      return { ms: performance.now() - ((window as ClockWindow).__renderClock ?? 0) };
    }

    return false;
  }, { visible: when.visible, absent: when.absent ?? [] }, { polling: 'raf', timeout });
  const { ms } = await handle.jsonValue() as { ms: number };

  await handle.dispose();

  return ms;
}
