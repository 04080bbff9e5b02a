// A dashboard page using <tierlens-view> from the installed package (no bundler: a relative path to
// node_modules). The element lives inside the dashboard's own custom element's shadow root.
import './node_modules/tierlens/element/index.js';

class DashboardCard extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    // The dashboard themes the element from outside: custom properties and ::part() (a constructed
    // sheet, which the page's style-src 'self' allows).
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`tierlens-view { --tierlens-accent: #0a7d5a; --tierlens-chart-height: 260px; }
      tierlens-view::part(card) { border-color: rgb(10, 125, 90); }`);
    root.adoptedStyleSheets = [sheet];
    root.innerHTML = '<tierlens-view lang="en"></tierlens-view>';
    this.view = root.querySelector('tierlens-view');
  }
}
customElements.define('dashboard-card', DashboardCard);

const view = document.getElementById('card').view;
view.addEventListener('tierlens-result', (e) => {
  document.getElementById('count').textContent = `${e.detail.customers} customers`;
});
view.addEventListener('tierlens-error', (e) => {
  document.getElementById('count').textContent = `error: ${e.detail.message}`;
});
document.getElementById('file').addEventListener('change', (e) => {
  const file = e.target.files[0];
  if (file) view.load(file).catch(() => {}); // the error is shown by the element and sent as tierlens-error
});
