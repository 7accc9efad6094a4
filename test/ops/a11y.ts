import type { Page } from 'playwright-core';

/**
 * Runs in the page: every form control has a label (a `<label>`, `aria-label`, or a button's
 * text), and every element with text of its own keeps a WCAG contrast of 4.5:1 (3:1 for
 * large text) against the first opaque background behind it. Returns one line per problem.
 * Plain JavaScript text: the test project has no DOM types.
 */
const CHECK = String.raw`(() => {
  const problems = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
    const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') ||
      (el.tagName === 'BUTTON' && el.textContent.trim() !== '');
    if (!named) problems.push('unlabelled ' + el.outerHTML.slice(0, 80));
  }
  const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const parts = rgb(getComputedStyle(node).backgroundColor);
      if (parts.length === 3 || (parts.length === 4 && parts[3] === 1)) return parts.slice(0, 3);
    }
    return [255, 255, 255];
  };
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    const style = getComputedStyle(el);
    if (!own || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    if (el.closest('svg')) continue;
    const fg = luminance(rgb(style.color).slice(0, 3));
    const bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push('contrast ' + ratio.toFixed(2) + ' ' + el.tagName + ' "' + el.textContent.trim().slice(0, 30) + '"');
    }
  }
  return problems;
})()`;

/** Accessibility problems on the page as it is now (labels and text contrast). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(CHECK);
}
