// Lighthouse on several pages with one Chromium (node tests/service/lighthouse.mjs URL...):
// prints {url: {category: score 0-100, failed: [audit ids]}} as JSON. One browser and one
// Node process for every page: each page's own run takes a few seconds, starting them
// takes as long again. CHROME_PATH names the browser (Debian's Chromium).
import { createRequire } from "node:module";
import path from "node:path";

const tools = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../.tools/node_modules");
const require = createRequire(path.join(tools, "noop.js"));
const lighthouse = (await import(require.resolve("lighthouse"))).default;
const chromeLauncher = await import(require.resolve("chrome-launcher"));

const flags = (process.env.CHROME_FLAGS || "--headless").split(" ").filter(Boolean);
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: flags });
const out = {};
try {
  for (const url of process.argv.slice(2)) {
    const result = await lighthouse(url, {
      port: chrome.port, output: "json", logLevel: "error",
      onlyCategories: ["accessibility", "best-practices", "seo"],
    });
    const lhr = result.lhr;
    const scores = {};
    for (const [name, category] of Object.entries(lhr.categories)) {
      scores[name] = Math.round(category.score * 100);
    }
    scores.failed = Object.values(lhr.audits)
      .filter((a) => a.scoreDisplayMode === "binary" && a.score !== null && a.score < 1)
      .map((a) => a.id);
    out[url] = scores;
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(out));
