// The customer table's filter, search and sort over index arrays (pure: tests/js/page_order.test.mjs).

/**
 * The customer indexes to show, in order.
 * @param {object} q
 * @param {number} q.n            customers
 * @param {string[]} q.ids        customer ids (sorted ascending, as Analysis.ids gives them)
 * @param {string[]} [q.codes]    codes, searched with the ids
 * @param {{ index: ArrayLike<number>, value: number }[]} q.filters  class filters (index column = value)
 * @param {string} q.query        search text (case-insensitive substring of id or code)
 * @param {((i: number) => number|string)|null} q.sortBy  sort key, or null for id order
 * @param {boolean} q.byId        the sort key is the id (already in order: only the direction counts)
 * @param {1|-1} q.dir            direction
 */
export function tableOrder({ n, ids, codes, filters, query, sortBy, byId = false, dir = 1 }) {
  const text = (query ?? '').trim().toLowerCase();
  const out = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (const f of filters) if (f.index[i] !== f.value) { ok = false; break; }
    if (ok && text) ok = String(ids[i]).toLowerCase().includes(text) || Boolean(codes?.[i]?.toLowerCase().includes(text));
    if (ok) out[m++] = i;
  }
  let order = out.subarray(0, m);
  if (byId) {
    if (dir < 0) order = Uint32Array.from(order).reverse();
  } else if (sortBy) {
    // Ties in id order, and the whole order reversed for descending (as the id column is).
    order = Uint32Array.from(order).sort((a, b) => {
      const x = sortBy(a), y = sortBy(b);
      return (x < y ? -1 : x > y ? 1 : a - b) * dir;
    });
  }
  return order;
}
