// A small CSV/TSV row splitter for previews and the JSON export (no Wasm, no dependencies).
// Handles quoted cells with doubled quotes and CRLF; a delimiter of ' ' means runs of spaces.

/** Splits `text` into at most `limit` rows of cells. */
export function previewRows(text, delimiter = ',', limit = 10) {
  const rows = [];
  if (delimiter === ' ') {
    for (const line of text.split(/\r?\n/)) {
      if (rows.length >= limit) break;
      if (line.trim() !== '') rows.push(line.trim().split(/ +/));
    }
    return rows;
  }
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      cell = '';
      if (!(row.length === 1 && row[0] === '')) rows.push(row);
      row = [];
      if (rows.length >= limit) return rows;
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.slice(0, limit);
}
