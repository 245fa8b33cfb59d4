#!/usr/bin/env node
/**
 * Refreshes the README's "Try it" pictures (docs/screenshots/) from the screenshots the browser tests took
 * (scripts/e2e.sh writes them to tmp/e2e/screenshots at 1,440 px): the first screenful of each, scaled to
 * 960 px in Debian's Chromium, so the committed PNGs stay small.
 *   scripts/e2e.sh && node scripts/readme-screenshots.js [screenshots dir]
 */
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const FROM = path.resolve(ROOT, process.argv[2] || 'tmp/e2e/screenshots');
const TO = path.join(ROOT, 'docs/screenshots');
/** README picture <- browser-test screenshot. */
const PICTURES = {
  'overview.png':        'overview-agents.png',
  'install-wizard.png':  'wizard-review.png',
  'traffic-flows.png':   'flows-page.png',
  'traffic-map.png':     'flows-page-map.png',
  'vm-network-tab.png':  'vm-network-tab-peers.png',
  'security-review.png': 'security-review.png',
  'policy-proposal.png': 'policy-proposal.png',
  'grafana.png':         'grafana-ready.png',
};
const WIDTH = 960;
const SOURCE_VIEWPORT = { width: 1440, height: 900 };

async function main() {
  const missing = Object.values(PICTURES).filter((f) => !fs.existsSync(path.join(FROM, f)));

  if (missing.length) {
    throw new Error(`no ${ missing.join(', ') } in ${ FROM }: run scripts/e2e.sh first (it lists the screenshots it took)`);
  }
  fs.mkdirSync(TO, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const scale = WIDTH / SOURCE_VIEWPORT.width;
  const page = await browser.newPage({ viewport: { width: WIDTH, height: Math.round(SOURCE_VIEWPORT.height * scale) } });

  try {
    for (const [picture, source] of Object.entries(PICTURES)) {
      const data = fs.readFileSync(path.join(FROM, source)).toString('base64');

      // The top of the full-page screenshot, as a 1,440 x 900 window shows it.
      await page.setContent(`<body style="margin:0;overflow:hidden"><img style="width:${ WIDTH }px;display:block" src="data:image/png;base64,${ data }"></body>`);
      await page.locator('img').evaluate((img) => img.decode());
      await page.screenshot({ path: path.join(TO, picture) });
      console.log(`${ path.relative(ROOT, path.join(TO, picture)) } <- ${ source } (${ (fs.statSync(path.join(TO, picture)).size / 1024).toFixed(0) } KB)`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
