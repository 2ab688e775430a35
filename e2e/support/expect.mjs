import assert from "node:assert/strict";

// playwright-core has no auto-retrying `expect`; these wait for the page to reach a state and fail
// with the last observed value when it does not.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function eventually(check, { timeout = 10_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(interval);
  }
}

export async function expectText(locator, expected, options) {
  await eventually(async () => {
    const text = (await locator.innerText({ timeout: 1_000 })).replace(/\s+/g, " ").trim();
    if (expected instanceof RegExp) assert.match(text, expected);
    else assert.ok(text.includes(expected), `expected ${locator} to contain ${JSON.stringify(expected)}, got ${JSON.stringify(text)}`);
  }, options);
}

export async function expectVisible(locator, options) {
  await locator.waitFor({ state: "visible", timeout: options?.timeout ?? 10_000 });
}

export async function expectCount(locator, count, options) {
  await eventually(async () => assert.equal(await locator.count(), count, `expected ${count} of ${locator}`), options);
}

export async function expectValue(locator, value, options) {
  await eventually(async () => assert.equal(await locator.inputValue({ timeout: 1_000 }), value), options);
}

export async function expectChecked(locator, checked, options) {
  await eventually(async () => assert.equal(await locator.isChecked({ timeout: 1_000 }), checked), options);
}

export async function expectTexts(locator, expected, options) {
  await eventually(async () => {
    const texts = (await locator.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    assert.deepEqual(texts, expected);
  }, options);
}

export async function expectUrl(page, pattern, options) {
  await eventually(async () => assert.match(new URL(page.url()).pathname, pattern), options);
}
