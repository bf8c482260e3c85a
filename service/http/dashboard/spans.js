// Evidence spans come as UTF-8 byte offsets [begin, end) into the review text
// (common.proto, Span); JavaScript strings index UTF-16 code units. "żółć" is
// 4 characters but 8 bytes, so byte offsets used as string indices would
// highlight the wrong letters in almost every Polish review.

// For a text, a function mapping a UTF-8 byte offset to a UTF-16 index. An
// offset inside a multi-byte character maps to that character's start; past
// the end maps to the text's length.
export function byteToIndex(text) {
  const starts = [];   // starts[k]: byte offset of the k-th code point
  const indices = [];  // indices[k]: its UTF-16 index
  let bytes = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    starts.push(bytes);
    indices.push(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  starts.push(bytes);
  indices.push(text.length);
  return (offset) => {
    if (offset <= 0) return 0;
    if (offset >= bytes) return text.length;
    let lo = 0, hi = starts.length - 1;  // last start <= offset
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return indices[lo];
  };
}

// Cuts text into pieces at the edges of the marks ({begin, end} in bytes and
// a class name and label each); returns [{text, marks: [...]}] in order, the
// marks of each piece being those covering it.
export function segment(text, marks) {
  const at = byteToIndex(text);
  const ranges = [];
  for (const m of marks) {
    const b = at(m.begin ?? 0), e = at(m.end ?? 0);
    if (e > b) ranges.push({ ...m, b, e });
  }
  const cuts = new Set([0, text.length]);
  for (const r of ranges) { cuts.add(r.b); cuts.add(r.e); }
  const edges = [...cuts].sort((x, y) => x - y);
  const pieces = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const b = edges[k], e = edges[k + 1];
    if (e <= b) continue;
    pieces.push({ text: text.slice(b, e), marks: ranges.filter((r) => r.b <= b && r.e >= e) });
  }
  return pieces;
}
