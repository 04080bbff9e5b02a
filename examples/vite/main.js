// A small Vite app using the package by name: the element for the overview, the worker client for a
// figure of its own.
import 'tierlens/element';
import { TierlensClient } from 'tierlens/client';

const view = document.getElementById('view');
const client = new TierlensClient();

document.getElementById('file').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  const [report, result] = await Promise.all([view.load(file), client.open(file, { valueTiers: { paretoPercent: 10 } })]);
  const top = result.report.valueTiers.pareto;
  document.getElementById('summary').textContent = `${report.customers} customers; the top ${top.topPercent} % bring ${(top.revenueShare * 100).toFixed(1)} % of revenue`;
});

// For tests: the same figures without a file picker.
window.tierlensExample = { view, client };
