// <tierlens-view>'s stylesheet, adopted by its shadow root as a constructed stylesheet: nothing is added
// to the host document, and a host `style-src` without 'unsafe-inline' does not block it (CSSOM).
// Themable from outside through the --tierlens-* custom properties below and ::part().

export const CSS = `
:host {
  --_fg: var(--tierlens-fg, #1d2433);
  --_bg: var(--tierlens-bg, transparent);
  --_card: var(--tierlens-card-bg, #fff);
  --_muted: var(--tierlens-muted, #5b6478);
  --_line: var(--tierlens-border, #dde2ec);
  --_accent: var(--tierlens-accent, #4f6bed);
  --_head: var(--tierlens-head-bg, #f1f3f8);
  --_stripe: var(--tierlens-stripe-bg, #fafbfd);
  --_error: var(--tierlens-error, #b3261e);
  display: block;
  color: var(--_fg);
  background: var(--_bg);
  font: var(--tierlens-font, 14px/1.45 system-ui, sans-serif);
}
:host([hidden]) { display: none; }
:host([theme="dark"]) {
  --_fg: var(--tierlens-fg, #e6e9f0);
  --_card: var(--tierlens-card-bg, #1f2430);
  --_muted: var(--tierlens-muted, #a3abbd);
  --_line: var(--tierlens-border, #3a4254);
  --_head: var(--tierlens-head-bg, #2a3140);
  --_stripe: var(--tierlens-stripe-bg, #242a36);
}
[hidden] { display: none !important; }
.panels { display: grid; gap: var(--tierlens-gap, 1rem); }
.card { background: var(--_card); border: 1px solid var(--_line); border-radius: var(--tierlens-radius, 8px); padding: .8rem 1rem; min-width: 0; }
h2 { font-size: 1.1rem; margin: 0 0 .4rem; }
h3 { font-size: .95rem; margin: .8rem 0 .3rem; }
.muted { color: var(--_muted); }
.chart { width: 100%; height: var(--tierlens-chart-height, 320px); }
.two { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem; }
.scroll-x { overflow-x: auto; }
table.data { border-collapse: collapse; width: 100%; font-size: .9em; }
table.data th, table.data td { border-bottom: 1px solid var(--_line); padding: .25rem .4rem; text-align: left; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: .7em; height: .7em; border-radius: 2px; margin-right: .4em; }
button.linkish { border: 0; background: none; padding: 0; color: var(--_accent); cursor: pointer; font: inherit; text-align: left; }
.badge { margin-left: .4em; font-size: .8em; color: var(--_muted); }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; margin: .3rem 0; }
.filters select, .filters input { font: inherit; color: inherit; background: var(--_card); border: 1px solid var(--_line); border-radius: 4px; padding: .15rem .3rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.vt { border: 1px solid var(--_line); border-radius: 6px; overflow-x: auto; overflow-y: hidden; font-size: .88em; }
.vt-row { display: grid; height: 30px; align-items: center; border-bottom: 1px solid var(--_line); padding: 0 .4rem; gap: .5rem; }
.vt-row > div { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.vt-row .num { text-align: right; font-variant-numeric: tabular-nums; }
.vt-head { background: var(--_head); font-weight: 600; height: auto; min-height: 34px; }
.vt-head button.sort { border: 0; background: none; padding: .1rem 0; font: inherit; font-weight: 600; color: inherit; width: 100%; text-align: inherit; cursor: pointer; }
.vt-body { position: relative; height: var(--tierlens-table-height, 360px); overflow-y: auto; }
.vt-rows { position: absolute; top: 0; left: 0; right: 0; will-change: transform; }
.vt-rows .vt-row:nth-child(odd) { background: var(--_stripe); }
.status { margin: .4rem 0; color: var(--_muted); }
.error { color: var(--_error); border: 1px solid currentColor; border-radius: 6px; padding: .5rem .8rem; margin: .4rem 0; }
`;
