package e2e

// contrastJS lists the visible text on the page whose colour does not meet
// WCAG AA against what is behind it: 4.5:1, or 3:1 for large text (24px, or
// 18.66px bold). The background is the nearest one painted, with
// translucent layers blended over it. Decorative text (aria-hidden) is
// skipped, as are disabled controls, which WCAG exempts.
const contrastJS = `(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const blend = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255, 1]; if (layers.length && layers[layers.length - 1][3] >= 1) bg = layers.pop();
    while (layers.length) bg = blend(layers.pop(), bg); return bg; };
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (el.closest("[aria-hidden=true], [hidden], .visually-hidden, :disabled, noscript")) continue;
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    if (!r.width || !r.height || s.visibility === "hidden" || +s.opacity === 0) continue;
    const fg = parse(s.color); const bg = background(el);
    const c = blend(fg, bg);
    const [a, b] = [lum(c), lum(bg)].sort((x, y) => y - x); const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize), bold = +s.fontWeight >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(el.tagName.toLowerCase() + "." + el.className + " «" + n.textContent.trim().slice(0, 30) + "» " + ratio.toFixed(2));
  }
  return bad;
})()`

// checkContrast fails the test for text below WCAG AA on the tab's page.
func (tb *tab) checkContrast(page string) {
	tb.t.Helper()
	for _, b := range eval[[]string](tb, contrastJS) {
		tb.t.Errorf("%s: low contrast: %s", page, b)
	}
}
