// The one place the Chromium runners (vitest browser mode and the CSP pages) take their
// browser from: Debian's /usr/bin/chromium, headless, never a Playwright download.

/** Debian's Chromium (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags for a quiet headless run in a container, with no network besides loopback. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
