// The page's Content-Security-Policy, in one place: used by serve.mjs for response headers and checked
// against the <meta> tag in index.html by the tests.
//
// - connect-src 'none': no fetch/XHR/WebSocket/EventSource/beacon from the page or its worker;
// - script-src 'self' 'wasm-unsafe-eval': our own modules, and compiling Wasm (nothing else is eval'd);
// - worker-src blob:: the worker is started from a blob: URL so it inherits this policy even on hosts
//   that send no headers (a worker loaded from a URL takes its policy from its own response headers);
// - img-src data: blob:: chart PNG export and canvas snapshots; style-src-attr: ECharts' tooltips.
export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "manifest-src 'self'",
].join('; ');

/** Headers recommended for any static host serving the page (see _headers and README). */
export const HEADERS = {
  'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
