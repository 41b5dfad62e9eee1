import Chromium from "@sparticuz/chromium";
import { type Browser, chromium } from "playwright-core";

/**
 * Flags for a headless Chromium on a machine with a closed network: without the background-networking
 * ones Chromium keeps dialling Google's hosts. `--no-sandbox`: CI runs as root.
 */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` when set (e.g. Debian's /usr/bin/chromium),
 * otherwise the one shipped inside the `@sparticuz/chromium` npm package — unpacked once into the
 * temp directory — so `npm install && npm test` needs nothing outside the npm registry.
 */
export async function chromiumExecutable(): Promise<string> {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return explicit;
  // No WebGL needed: skips unpacking SwiftShader's GL stack on every run.
  Chromium.setGraphicsMode = false;
  return Chromium.executablePath();
}

/** Starts headless Chromium (see {@link chromiumExecutable}). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: ARGS });
}
