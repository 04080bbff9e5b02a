// A TypeScript embedder of the installed package, checked by `tsc --noEmit --strict` in
// tests/package/types.test.mjs (bundler resolution: the browser entries). Every @ts-expect-error
// line must be an error, so the types reject what the engine rejects.
import init, { segment, Loader, defaultRecipe, capabilities, type Analysis, type Dataset, type Recipe, type Report, type Progress } from 'tierlens';
import { init as initEmbedded, loadFile } from 'tierlens/embedded';
import { TierlensClient, type TierlensResult } from 'tierlens/client';
import 'tierlens/element';
import type { TierlensView, TierlensSelectDetail } from 'tierlens/element';
import type { TierlensError } from 'tierlens/types';

export async function run(bytes: Uint8Array, file: File): Promise<number> {
  await init();
  initEmbedded();
  const recipe: Recipe = { asOf: '2025-01-01', score: { bins: 4, method: 'rankFirst' }, segments: { preset: 'three-level' }, cluster: { k: 'auto', kRange: [2, 6] } };
  const analysis: Analysis = segment(bytes, recipe);
  const report: Report = analysis.report();
  const customers: number = report.customers;
  const share: number | null = report.valueTiers.pareto.revenueShare;
  const loader = Loader.twoPass(recipe, bytes.length);
  const p = loader.push(bytes);
  const rows: number = p.rows;
  loader.free();
  const dataset: Dataset = await loadFile(file, recipe, { onProgress: (q: Progress) => q.fraction, signal: new AbortController().signal });
  const why = dataset.reloadNeeded({ clean: { outliers: 'off' } });
  const field: string | undefined = why?.field;
  const again = dataset.analyze(JSON.stringify(recipe)).report().segments.summary[0]?.name;
  const caps = capabilities();
  const presets: string[] = caps.presets.map((x) => x.name);
  const defaults: Recipe = defaultRecipe();
  const withClv = segment(bytes, { clv: { calibrationEnd: '2024-06-30', timeUnit: 'week', horizon: 26 }, lifecycle: { mode: 'probabilistic' } });
  const pAlive: (number | null)[] | null = withClv.pAlive();
  const alpha: number | undefined = withClv.report().clv?.params.alpha;
  const tracked: number = withClv.report().clv?.holdout?.tracking.length ?? 0;

  const client = new TierlensClient();
  const result: TierlensResult = await client.open(file, recipe, { onProgress: (q) => q.stage, signal: AbortSignal.timeout(1000) });
  const ids: string[] = result.ids;
  const spend: Float64Array = result.columns.monetary;
  const re = await client.analyze({ ...recipe, valueTiers: { paretoPercent: 30 } });
  const csv: Uint8Array = await client.exportBytes('csv', { passphrase: 'x' });
  client.close();

  const view = document.createElement('tierlens-view');
  const typed: TierlensView = view;
  view.addEventListener('tierlens-result', (e) => { const n: number = e.detail.customers; return n; });
  view.addEventListener('tierlens-select', (e) => { const d: TierlensSelectDetail = e.detail; return d.ids.length; });
  view.addEventListener('tierlens-error', (e) => { const code: string = e.detail.code; return code; });
  await typed.load(bytes);
  await typed.restore({ score: { bins: 3 } });
  const saved: string = typed.save();
  await typed.flush();
  typed.delete();
  const jsx = <tierlens-view lang="zh" theme="dark" />;

  try { segment(bytes, recipe); } catch (e) { const err = e as TierlensError; return err.row ?? 0; }
  return customers + (share ?? 0) + rows + (field?.length ?? 0) + (again?.length ?? 0) + presets.length + ids.length + spend.length + re.report.customers + csv.length + saved.length + (jsx ? 1 : 0) + Object.keys(defaults).length + (pAlive?.length ?? 0) + (alpha ?? 0) + tracked;
}

// What must not compile: the recipe is checked as strictly as the engine reads it.
// @ts-expect-error bins is a number (3, 4 or 5)
export const wrongType: Recipe = { score: { bins: 'five' } };
// @ts-expect-error 6 bins are not offered
export const wrongBins: Recipe = { score: { bins: 6 } };
// @ts-expect-error an unknown recipe section
export const unknownSection: Recipe = { scoring: { bins: 5 } };
// @ts-expect-error an unknown key inside a section
export const unknownKey: Recipe = { clean: { dropDuplicate: true } };
// @ts-expect-error the clv time unit is day, week or month
export const wrongUnit: Recipe = { clv: { timeUnit: 'year' } };
// @ts-expect-error the report's customer count is a number
export const notString: string = ({} as Report).customers;
// @ts-expect-error the tag's events are typed
document.createElement('tierlens-view').addEventListener('tierlens-result', (e) => e.detail.nope);
