/**
 * Runs `run` with the nodes ResizeObservers observe meanwhile, as they are told (by the prototype
 * they call): those observed and not unobserved since.
 */
export async function withObserved(run: (observed: Set<Element>) => Promise<void>): Promise<void> {
  const observed = new Set<Element>();
  const { observe, unobserve } = ResizeObserver.prototype;
  ResizeObserver.prototype.observe = function (target, options) {
    observed.add(target);
    return observe.call(this, target, options);
  };
  ResizeObserver.prototype.unobserve = function (target) {
    observed.delete(target);
    return unobserve.call(this, target);
  };
  try {
    await run(observed);
  } finally {
    Object.assign(ResizeObserver.prototype, { observe, unobserve });
  }
}

/**
 * {@link withObserved} in a closed panel (`hidden`, in the page: what is in it is laid out at 0 × 0),
 * with a wait of two frames, for the observers' reports; the panel goes after.
 */
export const inHiddenPanel = (run: (panel: HTMLElement, observed: Set<Element>, frames: () => Promise<void>) => Promise<void>): Promise<void> =>
  withObserved(async (observed) => {
    const panel = document.createElement('div');
    panel.hidden = true;
    document.body.append(panel);
    const frames = async () => {
      for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    };
    try {
      await run(panel, observed, frames);
    } finally {
      panel.remove();
    }
  });

/**
 * Runs `run` in Chromium made a browser without `field-sizing` (WebKit, Firefox ESR), where the
 * element sizes its text areas by script.
 */
export async function withoutFieldSizing(run: () => Promise<void>): Promise<void> {
  const supports = CSS.supports;
  CSS.supports = ((...args: string[]) => !args[0]!.includes('field-sizing') && (Reflect.apply(supports, CSS, args) as boolean)) as typeof CSS.supports;
  try {
    await run();
  } finally {
    CSS.supports = supports;
  }
}
