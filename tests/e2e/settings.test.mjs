// Headless-Chromium tests of the settings editors of issue 6: custom tier rules, action texts, code maps,
// cluster features, engine errors in Chinese. Each setting is changed through the page's controls, and
// the page's result is compared with the CLI's for the recipe the page saves (the recipe round trip).
// Needs `make build` and the release CLI. Screenshots go to tests/e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, artifacts, cliPath, startHarness } from './harness.mjs';

let server, browser, origin, work, sample;

let harness;
before(async () => {
  harness = await startHarness('tierlens-e2e-settings-');
  ({ server, browser, origin, work } = harness);
  sample = join(work, 'sample.csv');
  execFileSync(cliPath, ['sample', '--out', sample]);
});

after(() => harness?.close());

let runs = 0;
/** The CLI on `input` with `recipe`: { report, csv } on success, { error } (its stderr line) on failure. */
function cli(input, recipe) {
  const out = join(work, `out-${++runs}`);
  const path = join(work, `recipe-${runs}.json`);
  writeFileSync(path, JSON.stringify(recipe ?? {}));
  const r = spawnSync(cliPath, ['segment', input, '--out', out, '--recipe', path], { encoding: 'utf8' });
  if (r.status !== 0) return { error: r.stderr.trim() };
  return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), csv: readFileSync(join(out, 'customers.csv'), 'utf8') };
}

async function openPage({ locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, locale });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-worker=ready]', { timeout: 20_000 });
  return { context, page, errors };
}

async function runSample(page) {
  await page.click('#sample');
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
}

/** Runs `act` (which changes a setting) and waits for the re-analysis, or its error, to finish. */
async function settle(page, act) {
  await page.evaluate(() => { document.body.dataset.state = 'changing'; });
  await act();
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.body.dataset.busy, null, { timeout: 30_000 });
}

/** Types into a control and commits it the way a user does (Enter in a rule, else leaving the field). */
async function type(page, selector, value) {
  await settle(page, async () => {
    await page.fill(selector, value);
    await page.locator(selector).dispatchEvent('change');
  });
}

async function openSection(page, id) {
  if (!(await page.locator(`#sec-${id}`).evaluate((d) => d.open))) await page.click(`#sec-${id} > summary`);
}

async function savedRecipe(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-recipe')]);
  const path = join(work, `saved-${++runs}.json`);
  await download.saveAs(path);
  return { path, recipe: JSON.parse(readFileSync(path, 'utf8')) };
}

/** The page's customer list as exported (CSV without the BOM), to compare with the CLI byte for byte. */
async function exportedCsv(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const path = join(work, `export-${++runs}.csv`);
  await download.saveAs(path);
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
}

/** One column of a customers.csv (no quoted newlines in it). */
function column(csv, name) {
  const rows = csv.trim().split('\n').map((line) => {
    const cells = [];
    let cell = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) { if (c === '"') { if (line[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c; } else if (c === '"') q = true;
      else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
    }
    cells.push(cell);
    return cells;
  });
  const j = rows[0].indexOf(name);
  assert.ok(j >= 0, `column ${name} in ${rows[0]}`);
  return rows.slice(1).map((r) => r[j]);
}

/** Loads a recipe file into a fresh page with the sample, through the page's "Load settings" control. */
async function reloadWithRecipe(path) {
  const { context, page, errors } = await openPage();
  await runSample(page);
  await settle(page, () => page.setInputFiles('#recipe-file', path));
  return { context, page, errors };
}

test('custom tier rules: add, reorder, remove; inline expression errors at the engine\'s column; equal to the CLI', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  await openSection(page, 'custom');
  assert.equal(await page.locator('#custom-rules li').count(), 0);
  assert.equal(await page.locator('#vt .vt-head [data-sort=customTier]').count(), 0, 'no custom tier column without rules');

  await page.click('#ct-add');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ct-tier-0', 'focus goes to the new rule');
  await page.fill('#ct-tier-0', 'VIP');
  await type(page, '#ct-when-0', 'monetary >= 5000 and frequency >= 10');
  // The second rule by keyboard only: Enter on "Add", type the name, Tab to the condition, Enter applies.
  await page.focus('#ct-add');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ct-tier-1');
  await page.keyboard.type('Regulars');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ct-when-1');
  await page.keyboard.type('frequency >= 3');
  await settle(page, () => page.keyboard.press('Enter'));

  let { recipe } = await savedRecipe(page);
  assert.deepEqual(recipe.customTiers, { rules: [{ tier: 'VIP', when: 'monetary >= 5000 and frequency >= 10' }, { tier: 'Regulars', when: 'frequency >= 3' }] });
  let expected = cli(sample, recipe);
  const byName = (r) => Object.fromEntries(r.report.customTiers.map((s) => [s.name, s.customers]));
  const want = byName(expected);
  assert.ok(want.VIP > 0 && want.Regulars > 0 && want.Other > 0, JSON.stringify(want));
  assert.equal(await exportedCsv(page), expected.csv, 'the page\'s customer list is the CLI\'s');
  const shown = await page.$$eval('#custom-rules li .count', (ns) => ns.map((n) => Number(n.dataset.count)));
  assert.deepEqual(shown, [want.VIP, want.Regulars], 'customers per rule beside each rule');
  assert.equal(await page.locator('#vt .vt-head [data-sort=customTier]').count(), 1, 'custom tier column in the table');
  await page.selectOption('#filter-customTier', String(0));
  assert.match(await page.textContent('#table-count'), new RegExp(`^${want.VIP} of`));
  await page.selectOption('#filter-customTier', '');

  // Order matters (first match wins): Regulars first takes every VIP, as the CLI says.
  await settle(page, () => page.click('#ct-up-1'));
  assert.deepEqual(await page.$$eval('#custom-rules li input[data-k=tier]', (ns) => ns.map((n) => n.value)), ['Regulars', 'VIP']);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ct-down-0', 'focus stays on the moved rule');
  ({ recipe } = await savedRecipe(page));
  expected = cli(sample, recipe);
  assert.equal(byName(expected).VIP, 0);
  assert.equal(await exportedCsv(page), expected.csv);
  await page.locator('aside.settings').screenshot({ path: join(artifacts, 'settings-custom-tiers.png') });

  // A typo: the engine's message under the rule, the character it names marked; the last good result stays.
  const bad = 'monetary >= 5000 andd frequency >= 10';
  await type(page, '#ct-when-1', bad);
  const cliError = cli(sample, { customTiers: { rules: [recipe.customTiers.rules[0], { tier: 'VIP', when: bad }] } }).error;
  const column = Number(/rules\[1\]\.when at column (\d+)/.exec(cliError)?.[1]);
  assert.ok(column > 0, cliError);
  const note = page.locator('.field-error[data-field="customTiers.rules[1].when"]');
  assert.equal(Number(await note.getAttribute('data-position')), column, 'the column the CLI reports');
  assert.equal(await note.locator('mark').textContent(), Array.from(bad)[column - 1]);
  assert.equal(await page.inputValue('#ct-when-1'), bad, 'the typed text stays to be fixed');
  assert.equal(await page.getAttribute('#ct-when-1', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#error', 'data-code'), 'invalid_expression');
  assert.equal(await exportedCsv(page), expected.csv, 'the result in force is unchanged');
  await page.locator('aside.settings').screenshot({ path: join(artifacts, 'settings-expression-error.png') });
  await type(page, '#ct-when-1', 'monetary >= 5000');
  assert.equal(await page.locator('.field-error').count(), 0);
  assert.equal(await page.isHidden('#error'), true);

  // Remove the first rule: VIP alone; the "otherwise" name is a setting too.
  await settle(page, () => page.click('#ct-remove-0'));
  await type(page, '#ct-otherwise', 'Everyone else');
  ({ recipe } = await savedRecipe(page));
  assert.deepEqual(recipe.customTiers, { rules: [{ tier: 'VIP', when: 'monetary >= 5000' }], otherwise: 'Everyone else' });
  expected = cli(sample, recipe);
  assert.equal(await exportedCsv(page), expected.csv);

  // Round trip: the saved recipe loaded into a fresh page gives the same editor and result.
  const { path } = await savedRecipe(page);
  const again = await reloadWithRecipe(path);
  await openSection(again.page, 'custom');
  assert.equal(await again.page.inputValue('#ct-when-0'), 'monetary >= 5000');
  assert.equal(await again.page.inputValue('#ct-otherwise'), 'Everyone else');
  assert.equal(await exportedCsv(again.page), expected.csv);
  // A recipe file with a bad rule: shown as loaded, with the engine's error under that rule.
  const badFile = join(work, 'bad-rule.json');
  writeFileSync(badFile, JSON.stringify({ customTiers: { rules: [{ tier: 'Many', when: 'frequency >> 2' }] } }));
  await settle(again.page, () => again.page.setInputFiles('#recipe-file', badFile));
  assert.equal(await again.page.inputValue('#ct-when-0'), 'frequency >> 2');
  assert.equal(await again.page.locator('.field-error[data-field="customTiers.rules[0].when"]').count(), 1);
  assert.equal(await exportedCsv(again.page), expected.csv, 'the recipe in force is kept');
  assert.deepEqual(again.errors, []);
  await again.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('action texts: basis, language of the built-in texts, an edited text and reset; equal to the CLI', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  await openSection(page, 'actions');
  // Segment basis: one text per segment, the built-in English ones.
  const segments = await page.evaluate(() => window.tierlensPage.current().segmentNames);
  assert.deepEqual(await page.$$eval('#action-list .action-row', (rs) => rs.map((r) => r.dataset.class)), segments);
  assert.equal(await page.inputValue('#action-list [data-class="Champions"] textarea'), 'Reward them: early access, VIP perks, ask for reviews and referrals');

  await settle(page, () => page.selectOption('#set-actionBasis', 'tier'));
  await settle(page, () => page.selectOption('#set-actionLanguage', 'zh'));
  const tiers = await page.evaluate(() => window.tierlensPage.current().tierNames);
  assert.deepEqual(await page.$$eval('#action-list .action-row', (rs) => rs.map((r) => r.dataset.class)), tiers);
  const goldZh = await page.inputValue('#action-list [data-class="Gold"] textarea');
  assert.match(goldZh, /[\u4e00-\u9fff]/, 'built-in Chinese text');
  const own = 'Call every Gold customer this month';
  await type(page, '#action-list [data-class="Gold"] textarea', own);
  let { recipe } = await savedRecipe(page);
  assert.deepEqual(recipe.actions, { basis: 'tier', language: 'zh', text: { Gold: own } });
  let expected = cli(sample, recipe);
  const csv = await exportedCsv(page);
  assert.equal(csv, expected.csv, 'the page\'s customer list is the CLI\'s');
  const actions = column(csv, 'action'), tier = column(csv, 'value_tier');
  assert.ok(tier.some((x) => x === 'Gold'));
  tier.forEach((x, i) => { if (x === 'Gold') assert.equal(actions[i], own); else if (x === 'Silver') assert.match(actions[i], /[\u4e00-\u9fff]/); });
  assert.equal(await page.locator('#action-list [data-class="Gold"] .badge').count(), 1, 'marked as edited');
  await page.locator('aside.settings').screenshot({ path: join(artifacts, 'settings-actions.png') });

  // A text typed equal to the built-in one is not stored; reset brings the built-in text back.
  await settle(page, () => page.click('#action-list [data-class="Gold"] button'));
  assert.equal(await page.inputValue('#action-list [data-class="Gold"] textarea'), goldZh);
  ({ recipe } = await savedRecipe(page));
  assert.deepEqual(recipe.actions, { basis: 'tier', language: 'zh' });
  await type(page, '#action-list [data-class="Silver"] textarea', 'Silver text');
  await type(page, '#action-list [data-class="Bronze"] textarea', 'Bronze text');
  await settle(page, () => page.click('#act-reset'));
  ({ recipe } = await savedRecipe(page));
  assert.deepEqual(recipe.actions, { basis: 'tier', language: 'zh' });
  expected = cli(sample, recipe);
  assert.equal(await exportedCsv(page), expected.csv);
  assert.deepEqual(errors, []);
  await context.close();
});

test('code template and code maps: preview, inline template errors, equal to the CLI, round trip', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  await openSection(page, 'codes');
  // Default template {tier}{stage}-{seq:04}: the tier and stage tables with the default tokens.
  assert.equal(await page.getAttribute('#code-map-tier input[data-class="Platinum"]', 'placeholder'), '1');
  assert.equal(await page.getAttribute('#code-map-stage input[data-class="Lost"]', 'placeholder'), 'X');
  // The tier table is the engine's (Analysis.codeTokens): the tiers top first, ranked, the last
  // (the customers without spend) 0.
  assert.deepEqual(await page.$$eval('#code-map-tier input', (is) => is.map((i) => [i.dataset.class, i.placeholder])),
    [['Platinum', '1'], ['Gold', '2'], ['Silver', '3'], ['Bronze', '4'], ['No Spend', '0']]);
  assert.equal(await page.locator('#code-map-region').count(), 0, 'no region table when the template has no {region}');

  await type(page, '#set-codeTemplate', '{region}{tier}-{seq:03}');
  await openSection(page, 'codes');
  const regions = await page.$$eval('#code-map-region input', (is) => is.map((i) => [i.dataset.class, i.placeholder]));
  assert.ok(regions.length >= 2, JSON.stringify(regions));
  // The default tokens shown are the ones the engine uses: every code starts with its region's token.
  let csv = await exportedCsv(page);
  const regionCol = column(csv, 'region'), codes = column(csv, 'code');
  const token = Object.fromEntries(regions);
  codes.forEach((c, i) => assert.ok(c.startsWith(token[regionCol[i]] ?? '0'), `${c} for ${regionCol[i]}`));

  const [first] = regions[0];
  await type(page, `#code-map-region input[data-class="${first}"]`, 'RR');
  await type(page, '#code-map-tier input[data-class="Platinum"]', 'P');
  const { recipe, path } = await savedRecipe(page);
  assert.deepEqual(recipe.codes, { template: '{region}{tier}-{seq:03}', maps: { region: { [first]: 'RR' }, tier: { Platinum: 'P' } } });
  const expected = cli(sample, recipe);
  csv = await exportedCsv(page);
  assert.equal(csv, expected.csv, 'the page\'s customer list is the CLI\'s');
  assert.ok(column(csv, 'code').some((c) => c.startsWith('RRP-')), 'mapped tokens in the codes');
  // The preview (the engine's Analysis.codeGroups) against a count by hand over the exported
  // customer list: customers grouped by region · value tier, the 8 largest groups, equal sizes in
  // the order of their first row, each with its first row's code.
  const preview = await page.$$eval('#code-preview tbody tr', (rs) => rs.map((r) => [r.cells[0].textContent, r.cells[1].textContent, Number(r.cells[2].textContent.replace(/[^\d]/g, ''))]));
  const tiers = column(csv, 'value_tier'), regionsNow = column(csv, 'region'), codesNow = column(csv, 'code');
  const byKey = new Map();
  tiers.forEach((tier, i) => {
    const key = `${regionsNow[i] || '(no region)'} · ${tier}`;
    const g = byKey.get(key);
    if (g) g[2] += 1; else byKey.set(key, [codesNow[i], key, 1]);
  });
  const byHand = [...byKey.values()].sort((a, b) => b[2] - a[2]).slice(0, 8);
  assert.deepEqual(preview, byHand);
  assert.match(await page.textContent('#code-preview caption'), new RegExp(`${byKey.size} classes, ${tiers.length.toLocaleString('en')} customers`));
  await page.locator('aside.settings').screenshot({ path: join(artifacts, 'settings-codes.png') });

  // A template error: under the template field, at the engine's column.
  const bad = '{tier}{stag}-{seq}';
  await type(page, '#set-codeTemplate', bad);
  const cliColumn = Number(/codes\.template at column (\d+)/.exec(cli(sample, { codes: { template: bad } }).error)?.[1]);
  const note = page.locator('.field-error[data-field="codes.template"]');
  assert.equal(Number(await note.getAttribute('data-position')), cliColumn);
  assert.equal(await note.locator('mark').textContent(), bad[cliColumn - 1]);
  assert.equal(await page.inputValue('#set-codeTemplate'), bad, 'the rejected template stays to be fixed');

  const again = await reloadWithRecipe(path);
  await openSection(again.page, 'codes');
  assert.equal(await again.page.inputValue('#set-codeTemplate'), '{region}{tier}-{seq:03}');
  assert.equal(await again.page.inputValue(`#code-map-region input[data-class="${first}"]`), 'RR');
  assert.equal(await exportedCsv(again.page), expected.csv);
  await again.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('cluster features: built-in choices, transform and scaling, and the file\'s own columns; equal to the CLI', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  await openSection(page, 'cluster');
  const checked = () => page.$$eval('#cluster-features input:checked', (is) => is.map((i) => i.dataset.feature));
  assert.deepEqual(await checked(), ['recency_days', 'frequency', 'monetary']);
  const before = column(await exportedCsv(page), 'cluster');
  await settle(page, () => page.check('#cluster-features input[data-feature=aov]'));
  await settle(page, () => page.uncheck('#cluster-features input[data-feature=frequency]'));
  await settle(page, () => page.selectOption('#set-clusterScaling', 'robust'));
  await settle(page, () => page.selectOption('#set-clusterTransform', 'log1p'));
  await settle(page, () => page.selectOption('#set-clusterK', '4'));
  const { recipe, path } = await savedRecipe(page);
  assert.deepEqual(recipe.cluster, { features: ['recency_days', 'monetary', 'aov'], scaling: 'robust', transform: 'log1p', k: 4 });
  const expected = cli(sample, recipe);
  const csv = await exportedCsv(page);
  assert.equal(csv, expected.csv, 'the page\'s customer list is the CLI\'s');
  assert.notDeepEqual(column(csv, 'cluster'), before, 'the clusters changed');
  const drawn = await page.evaluate(() => window.tierlensPage.chartData('clusterRadar').radar[0].indicator.map((x) => x.name));
  assert.deepEqual(drawn, Object.keys(expected.report.clusters.clusters[0].centroid), 'profiles over the chosen features');
  // The last feature cannot be unchecked (k-means needs one): the page says so and sends nothing.
  for (const f of ['recency_days', 'monetary']) await settle(page, () => page.uncheck(`#cluster-features input[data-feature=${f}]`));
  await page.click('#cluster-features input[data-feature=aov]');
  assert.deepEqual(await checked(), ['aov']);
  assert.equal(await page.locator('#cluster-features-error').count(), 1);
  // Clustering off: no cluster panel, no cluster column.
  await settle(page, () => page.uncheck('#set-clusterEnabled'));
  assert.equal(await page.isHidden('#clusters-card'), true);
  assert.equal(await page.locator('#vt .vt-head [data-sort=cluster]').count(), 0);
  const off = (await savedRecipe(page)).recipe;
  assert.equal(off.cluster.enabled, false);
  assert.equal(await exportedCsv(page), cli(sample, off).csv);

  const again = await reloadWithRecipe(path);
  await openSection(again.page, 'cluster');
  assert.deepEqual(await again.page.$$eval('#cluster-features input:checked', (is) => is.map((i) => i.dataset.feature)), ['recency_days', 'monetary', 'aov']);
  assert.equal(await again.page.inputValue('#set-clusterScaling'), 'robust');
  assert.equal(await exportedCsv(again.page), expected.csv);
  await again.context.close();

  // A file with extra columns: a numeric one (age) and a categorical one (channel), offered as features.
  let text = 'customer,date,amount,age,channel\n';
  for (let i = 0; i < 60; i++) {
    const [age, channel] = i % 3 === 0 ? [22 + (i % 5), 'app'] : i % 3 === 1 ? [45 + (i % 7), 'store'] : [68 + (i % 4), 'phone'];
    text += `C${String(i).padStart(3, '0')},2024-0${1 + (i % 6)}-${String(1 + (i % 27)).padStart(2, '0')},${50 + (i * 37) % 400},${age},${channel}\n`;
  }
  const file = join(work, 'attributes.csv');
  writeFileSync(file, text);
  await settle(page, () => page.setInputFiles('#file', file));
  await openSection(page, 'cluster');
  assert.match(await page.textContent('#cluster-features input[data-feature=age] + label'), /^age · numeric/);
  assert.match(await page.textContent('#cluster-features input[data-feature=channel] + label'), /^channel · categorical/);
  await settle(page, () => page.check('#set-clusterEnabled'));
  await settle(page, () => page.check('#cluster-features input[data-feature=age]'));
  await settle(page, () => page.check('#cluster-features input[data-feature=channel]'));
  for (const f of ['aov']) await settle(page, () => page.uncheck(`#cluster-features input[data-feature=${f}]`));
  await settle(page, () => page.selectOption('#set-clusterK', '3'));
  const attr = (await savedRecipe(page)).recipe;
  assert.deepEqual(attr.cluster.features, ['age', 'channel']);
  const attrCli = cli(file, attr);
  const attrCsv = await exportedCsv(page);
  assert.equal(attrCsv, attrCli.csv, 'clusters on the file\'s columns equal the CLI\'s');
  // The three channel groups are the three clusters.
  const clusters = column(attrCsv, 'cluster');
  const ids = column(attrCsv, 'customer_id');
  const groupOf = (id) => Number(id.slice(1)) % 3;
  for (let i = 0; i < ids.length; i++) for (let j = 0; j < ids.length; j++) assert.equal(clusters[i] === clusters[j], groupOf(ids[i]) === groupOf(ids[j]));
  assert.deepEqual(attrCli.report.clusters.features.map((f) => f.name), ['age', 'channel=app', 'channel=phone', 'channel=store']);
  // The sample has none of that file's columns: such features are dropped when the sample is opened.
  await runSample(page);
  assert.equal(await page.isHidden('#error'), true);
  assert.equal((await savedRecipe(page)).recipe.cluster.features, undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('value tier bands: own names and shares (applied when they sum to 100), presets, zero-spend name; equal to the CLI', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  const bands = () => page.$$eval('#tier-bands tr[data-band]', (rs) => rs.map((r) => [r.querySelector('[data-k=name]').value, Number(r.querySelector('[data-k=percent]').value)]));
  assert.deepEqual(await bands(), [['Platinum', 5], ['Gold', 15], ['Silver', 30], ['Bronze', 50]]);
  // 105 %: not applied, the sum is shown as a warning.
  await page.fill('#band-pct-0', '10');
  await page.locator('#band-pct-0').dispatchEvent('change');
  assert.match(await page.textContent('#tier-sum'), /105/);
  assert.equal(await page.getAttribute('#tier-sum', 'class'), 'small-note warning');
  assert.equal((await savedRecipe(page)).recipe.valueTiers, undefined, 'nothing applied yet');
  await type(page, '#band-pct-1', '10');
  let { recipe } = await savedRecipe(page);
  assert.deepEqual(recipe.valueTiers.bands, [{ name: 'Platinum', percent: 10 }, { name: 'Gold', percent: 10 }, { name: 'Silver', percent: 30 }, { name: 'Bronze', percent: 50 }]);
  let expected = cli(sample, recipe);
  assert.equal(await exportedCsv(page), expected.csv, 'the page\'s customer list is the CLI\'s');
  assert.equal(expected.report.valueTiers.summary[0].customers, 300, '10 % of 3 000 customers');
  assert.equal(await page.inputValue('#set-tierPreset'), '', 'the preset select says: your bands');

  // A fifth band, then a name used twice: the engine's message under the table, the band marked.
  await page.click('#band-add'); // an empty band: nothing to analyse yet
  assert.equal(await page.evaluate(() => document.activeElement.id), 'band-name-4');
  await page.fill('#band-name-4', 'Iron');
  await page.fill('#band-pct-4', '10');
  await type(page, '#band-pct-3', '40');
  ({ recipe } = await savedRecipe(page));
  assert.deepEqual(recipe.valueTiers.bands.map((b) => b.name), ['Platinum', 'Gold', 'Silver', 'Bronze', 'Iron']);
  assert.equal(await exportedCsv(page), cli(sample, recipe).csv);
  await type(page, '#band-name-2', 'Gold');
  assert.equal(await page.getAttribute('#error', 'data-code'), 'tier_name_twice');
  assert.match(await page.textContent('#tier-bands-error'), /"Gold" is used twice/);
  assert.equal(await page.getAttribute('#band-name-2', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#band-name-2'), 'Gold', 'the rejected name stays to be fixed');
  await type(page, '#band-name-2', 'Silver');
  assert.equal(await page.isHidden('#error'), true);
  await page.locator('#tier-bands').scrollIntoViewIfNeeded();
  await page.locator('aside.settings').screenshot({ path: join(artifacts, 'settings-tier-bands.png') });

  await type(page, '#set-zeroSpend', 'Dormant');
  ({ recipe } = await savedRecipe(page));
  assert.equal(recipe.valueTiers.zeroSpend, 'Dormant');
  expected = cli(sample, recipe);
  assert.equal(await exportedCsv(page), expected.csv);
  const { path } = await savedRecipe(page);

  // A preset replaces the own bands.
  await settle(page, () => page.selectOption('#set-tierPreset', 'high-medium-low'));
  assert.deepEqual(await bands(), [['High', 20], ['Medium', 30], ['Low', 50]]);
  assert.deepEqual((await savedRecipe(page)).recipe.valueTiers, { preset: 'high-medium-low', zeroSpend: 'Dormant' });

  const again = await reloadWithRecipe(path);
  assert.deepEqual(await again.page.$$eval('#tier-bands [data-k=name]', (is) => is.map((i) => i.value)), ['Platinum', 'Gold', 'Silver', 'Bronze', 'Iron']);
  assert.equal(await exportedCsv(again.page), expected.csv);
  await again.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('lifecycle relative to each customer\'s usual gap (p80 or mean): equal to the CLI, round trip', async () => {
  const { context, page, errors } = await openPage();
  await runSample(page);
  const stages = () => page.evaluate(() => { const r = window.tierlensPage.current(); return r.report.lifecycle.summary.map((x) => [x.name, x.customers]); });
  await settle(page, () => page.selectOption('#set-lifecycleMode', 'relative'));
  const p80 = await stages();
  await settle(page, () => page.selectOption('#set-usualGap', 'mean'));
  const mean = await stages();
  assert.notDeepEqual(mean, p80, 'the usual gap changes the stages');
  const { recipe, path } = await savedRecipe(page);
  assert.deepEqual(recipe.lifecycle, { mode: 'relative', usualGap: 'mean' });
  const expected = cli(sample, recipe);
  assert.deepEqual(mean, expected.report.lifecycle.summary.map((x) => [x.name, x.customers]));
  assert.equal(await exportedCsv(page), expected.csv);
  // Two changes in a row, the second made before the first one's result: both are kept.
  await settle(page, () => page.evaluate(() => {
    for (const [id, v] of [['set-newDays', '20'], ['set-dueDays', '70']]) {
      const input = document.getElementById(id);
      input.value = v;
      input.dispatchEvent(new Event('change'));
    }
  }));
  const both = (await savedRecipe(page)).recipe;
  assert.deepEqual(both.lifecycle, { mode: 'relative', usualGap: 'mean', newDays: 20, dueDays: 70 });
  assert.equal(await exportedCsv(page), cli(sample, both).csv);
  const again = await reloadWithRecipe(path);
  assert.equal(await again.page.inputValue('#set-usualGap'), 'mean');
  assert.equal(await exportedCsv(again.page), expected.csv);
  await again.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('engine errors in the Chinese page: worded by code with their parameters', async () => {
  const { context, page, errors } = await openPage({ locale: 'zh-CN' });
  await runSample(page);
  await openSection(page, 'custom');
  await page.click('#ct-add');
  await page.fill('#ct-tier-0', '大客户');
  await type(page, '#ct-when-0', 'monetary >= 5000 andd frequency >= 10');
  const message = await page.textContent('#error');
  assert.equal(await page.getAttribute('#error', 'data-code'), 'invalid_expression');
  assert.match(message, /^自定义层级规则 1 的条件第 18 个字符处有误：/);
  assert.doesNotMatch(message, /invalid expression/);
  assert.match(await page.textContent('.field-error[data-field="customTiers.rules[0].when"]'), /第 18 个字符处有误/);
  await page.locator('.field-error').scrollIntoViewIfNeeded();
  await page.locator('aside.settings').screenshot({ path: join(artifacts, 'settings-expression-error-zh.png') });

  // A file without a date column: the role and the columns found are parameters of the message.
  const bad = join(work, 'no-date.csv');
  writeFileSync(bad, 'customer,amount\nA,1\n');
  await page.setInputFiles('#file', bad);
  await page.waitForSelector('#error[data-code=missing_column]', { timeout: 20_000 });
  const missing = await page.textContent('#error');
  assert.match(missing, /^缺少必需的列：日期（可识别的表头如 .*；文件中的列：customer, amount）/);
  // A recipe with a bad setting, loaded from a file.
  const recipeFile = join(work, 'bad-bins.json');
  writeFileSync(recipeFile, JSON.stringify({ score: { bins: 7 } }));
  await runSample(page);
  await settle(page, () => page.setInputFiles('#recipe-file', recipeFile));
  assert.equal(await page.getAttribute('#error', 'data-code'), 'score_bins');
  assert.match(await page.textContent('#error'), /^设置无效：评分档数：/);
  // Back in English: the engine's own text.
  await page.selectOption('#lang', 'en');
  await settle(page, () => page.setInputFiles('#recipe-file', recipeFile));
  assert.match(await page.textContent('#error'), /^invalid recipe: score\.bins: /);
  assert.deepEqual(errors, []);
  await context.close();
});

test('settings panel screenshots (en, zh) at 1280×800: every control labelled, nothing overflowing', async () => {
  for (const locale of ['en-US', 'zh-CN']) {
    const { context, page, errors } = await openPage({ locale });
    await runSample(page);
    await settle(page, () => page.setInputFiles('#recipe-file', { name: 'r.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({
      customTiers: { rules: [{ tier: 'VIP', when: 'monetary >= 10000 and frequency >= 12' }, { tier: 'East', when: 'region == "East"' }] },
      codes: { template: '{custom}{tier}-{seq:04}', maps: { custom: { VIP: 'V' } } },
      actions: { text: { Champions: 'Invite to the VIP evening' } },
    })) }));
    for (const id of ['custom', 'codes', 'actions', 'cluster']) await openSection(page, id);
    const unlabelled = await page.$$eval('#settings input, #settings select, #settings textarea, #settings button',
      (els) => els.filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' && e.textContent.trim()))).map((e) => e.id || e.outerHTML.slice(0, 60)));
    assert.deepEqual(unlabelled, []);
    assert.doesNotMatch(await page.textContent('#settings'), /\bnull\b|undefined|NaN/, 'no stray values in the panel');
    // Nothing in the panel is wider than the panel.
    const overflow = await page.$$eval('aside.settings *', (els) => {
      const box = document.querySelector('aside.settings').getBoundingClientRect();
      return els.filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5); }).map((e) => e.id || e.tagName);
    });
    assert.deepEqual(overflow, []);
    // The whole panel in one picture: unstick it for the screenshot.
    await page.$eval('aside.settings', (a) => { a.style.position = 'static'; a.style.maxHeight = 'none'; });
    await page.locator('aside.settings').screenshot({ path: join(artifacts, `settings-panel-${locale.slice(0, 2)}.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  }
});
