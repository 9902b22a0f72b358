/**
 * Scales a box's text (the CSS variable `--fit`, 1 = full size) down until its content fits its height
 * without scrolling: the projector shows every question whole, however long its YAML. A binary search on
 * synchronous layout reads; it re-runs when the box resizes or its content changes.
 */
export interface FitOptions {
  min?: number;
  /** Short content grows up to this scale: more of the screen for text read from the back of the room. */
  max?: number;
  /** Changes when the content does (a new question): refit. */
  key?: unknown;
  /** Classes to try on the box (e.g. code in two columns); the one that allows the largest text wins. */
  layouts?: string[];
}

export function fitContent(node: HTMLElement, opts: FitOptions = {}) {
  let options = opts;
  const fits = () => node.scrollHeight <= node.clientHeight + 1 && node.scrollWidth <= node.clientWidth + 1;
  const best = (): number => {
    const max = options.max ?? 1;
    node.style.setProperty('--fit', String(max));
    if (fits()) return max;
    let lo = options.min ?? 0.35;
    let hi = max;
    for (let i = 0; i < 9; i++) {
      const mid = (lo + hi) / 2;
      node.style.setProperty('--fit', mid.toFixed(4));
      if (fits()) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  const apply = () => {
    const layouts = ['', ...(options.layouts ?? [])];
    let chosen = { layout: '', scale: 0 };
    for (const layout of layouts) {
      for (const l of layouts) if (l) node.classList.toggle(l, l === layout);
      const scale = best();
      // A new layout has to win clearly: columns cost some reading comfort.
      if (scale > chosen.scale * 1.15 || chosen.scale === 0) chosen = { layout, scale };
      if (scale === (options.max ?? 1)) break;
    }
    for (const l of layouts) if (l) node.classList.toggle(l, l === chosen.layout);
    node.style.setProperty('--fit', chosen.scale.toFixed(4));
    node.dataset.fit = chosen.scale.toFixed(3);
  };
  let frame = 0;
  const schedule = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(apply);
  };
  const resize = new ResizeObserver(schedule);
  resize.observe(node);
  const mutations = new MutationObserver(schedule);
  mutations.observe(node, { childList: true, subtree: true, characterData: true });
  apply();
  return {
    update(next: FitOptions = {}) {
      options = next;
      apply();
    },
    destroy() {
      cancelAnimationFrame(frame);
      resize.disconnect();
      mutations.disconnect();
    },
  };
}
