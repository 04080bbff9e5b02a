// Pure helpers over recipes: read and write one setting by path, keeping the recipe minimal (no empty
// objects, no default values). No DOM here: tests/js/page_paths.test.mjs runs them in Node.

/** The value at `path` (an array of keys) in `obj`, or undefined. */
export const getPath = (obj, path) => path.reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** A copy of `obj` with `value` at `path`; `undefined` removes the key and every object it leaves empty. */
export function setPath(obj, path, value) {
  const copy = structuredClone(obj ?? {});
  let o = copy;
  const parents = [];
  for (const k of path.slice(0, -1)) {
    parents.push([o, k]);
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  if (value === undefined) delete o[path.at(-1)];
  else o[path.at(-1)] = value;
  for (const [p, k] of parents.reverse()) if (Object.keys(p[k]).length === 0) delete p[k]; // no empty objects
  return copy;
}

/** A list of numbers typed by hand ("1, 2；3" or "1 2 3", Chinese comma too); empty → undefined. */
export function parseList(s) {
  const parts = String(s ?? '').split(/[,，;；\s]+/).filter(Boolean);
  return parts.length ? parts.map(Number) : undefined;
}

/** Whether two recipes say the same (key order aside). */
export function sameRecipe(a, b) {
  return canonical(a ?? {}) === canonical(b ?? {});
}

function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** The settings `next` changes against `base`, as dotted paths (what "Save settings" would add). */
export function recipeDiff(base, next, prefix = '') {
  const out = [];
  const keys = new Set([...Object.keys(base ?? {}), ...Object.keys(next ?? {})]);
  for (const k of [...keys].sort()) {
    const a = base?.[k];
    const b = next?.[k];
    const path = prefix ? `${prefix}.${k}` : k;
    const objects = a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
    if (objects) out.push(...recipeDiff(a, b, path));
    else if (!sameRecipe(a, b)) out.push(path);
  }
  return out;
}

/** The recipe as the page's "Save settings" writes it (and <tierlens-view>'s save() returns it). */
export const recipeText = (recipe) => JSON.stringify(recipe, null, 2);
