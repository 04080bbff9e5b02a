// The DOM inside <tierlens-view>'s shadow root: the page's overview cards with the element ids the
// page's panels (www/app/panels/*, www/app/table.js) draw into, plus a status line. Every part a host may
// style from outside has a `part` name (::part(card), ::part(segments) …). Words come from i18n.js
// through data-i18n, set when the element draws.

export const TEMPLATE = `
<div class="status" part="status" id="status" role="status" aria-live="polite" hidden>
  <progress id="progress" max="1" value="0"></progress> <span id="status-text"></span>
</div>
<div class="error" part="error" id="error" role="alert" hidden></div>
<div class="panels" id="panels" hidden>
  <section class="card" part="card segments" aria-labelledby="segments-title">
    <h2 id="segments-title" data-i18n="segmentsTitle"></h2>
    <p class="muted" id="segments-note"></p>
    <div id="segment-chart" class="chart" part="chart" role="img" data-i18n-aria="ariaSegments"></div>
    <div class="scroll-x"><table id="segment-table" class="data" part="table"><thead></thead><tbody></tbody></table></div>
    <h3 data-i18n="thresholdsTitle"></h3>
    <div id="thresholds" class="scroll-x"></div>
  </section>
  <section class="card" part="card tiers" aria-labelledby="tiers-title" id="tiers-card" hidden>
    <h2 id="tiers-title" data-i18n="tiersTitle"></h2>
    <p class="muted" id="pareto"></p>
    <div id="tiers-chart" class="chart" part="chart" role="img" data-i18n-aria="ariaTiers"></div>
  </section>
  <section class="card" part="card map" aria-labelledby="clusters-title" id="clusters-card" hidden>
    <h2 id="clusters-title" data-i18n="clustersTitle"></h2>
    <div class="two">
      <div><h3 data-i18n="clusterMap"></h3><div id="cluster-map" class="chart" part="chart" role="img" data-i18n-aria="ariaClusterMap"></div></div>
      <div><h3 data-i18n="kCurves"></h3><div id="k-curves" class="chart" part="chart" role="img" data-i18n-aria="ariaKCurves"></div></div>
    </div>
    <h3 data-i18n="profiles"></h3>
    <div id="cluster-radar" class="chart" part="chart" role="img" data-i18n-aria="ariaRadar"></div>
    <h3 data-i18n="rulesTitle"></h3>
    <p class="muted" id="rules-fidelity"></p>
    <div id="cluster-rules" class="scroll-x"></div>
  </section>
  <section class="card" part="card customers" aria-labelledby="customers-title" id="customers-card">
    <h2 id="customers-title" data-i18n="customersTitle"></h2>
    <div class="filters" id="filters">
      <label><span data-i18n="search"></span> <input id="search" type="search" autocomplete="off"></label>
    </div>
    <p class="muted" id="table-count" aria-live="polite"></p>
    <div id="vt" class="vt" part="customer-table"></div>
  </section>
</div>`;
