// DOM helpers shared by the panels: element lookup and creation, the chart registry, the number formats
// of the page's language.
import * as echarts from '../vendor/echarts.esm.min.mjs';
import { locale } from '../i18n.js';
import { formatters } from './format.js';

/** Where `$` looks: the document, or a <tierlens-view>'s shadow root while it draws (withRoot). */
let root = null;
export const $ = (id) => (root ?? document).getElementById(id);

/** Runs `fn` with `$` looking inside `node` (a ShadowRoot), so the page's panels draw into a custom
 * element (www/element/). Drawing is synchronous, so the root is in force for exactly that call. */
export function withRoot(node, fn) {
  const previous = root;
  root = node;
  try { return fn(); } finally { root = previous; }
}

/** An element with attributes (`class`, `text`, booleans as presence) and children (nodes or text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    // Through the CSSOM, which a host's `style-src` without 'unsafe-inline' allows (an attribute it blocks).
    else if (k === 'style') node.style.cssText = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** The number formats in force (set again when the language changes). */
export const fmt = formatters('en');
export function setFormats() {
  Object.assign(fmt, formatters(locale()));
}

/** The ECharts instances by key (the PNG buttons and the tests read them). */
export const charts = {};

/** The chart `key` drawn into the element `id` (created once per element). */
export function chart(key, id) {
  const node = $(id);
  if (charts[key] && charts[key].getDom() === node) return charts[key];
  // The node's own instance if it has one (several <tierlens-view>s share this registry's keys).
  charts[key] = echarts.getInstanceByDom(node) ?? echarts.init(node, null, { renderer: 'canvas' });
  return charts[key];
}

export const TIER_COLORS = { Platinum: '#7f8fa6', Gold: '#d4a017', Silver: '#b8c0cc', Bronze: '#b0723a', High: '#2a9d8f', Medium: '#8ab17d', Low: '#e9c46a' };
export const PALETTE = ['#4f6bed', '#f0a030', '#2a9d8f', '#e76f51', '#8e6bbf', '#3a86ff', '#ffbe0b', '#6c757d', '#d62828', '#52b788', '#b5838d', '#264653'];
