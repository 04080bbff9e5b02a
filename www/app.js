// The page's entry (index.html and pkg-config/standalone.mjs load this file): the page itself is the
// modules under app/, started by app/main.js.
import './app/main.js';
