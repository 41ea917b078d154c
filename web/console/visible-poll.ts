/**
 * Runs a task every `intervalMs` while the page is visible: at once, then again
 * `intervalMs` after each run ends (never two at a time); nothing while the tab is hidden,
 * and at once when it is shown again.
 */
export function pollWhileVisible(task: () => Promise<void>, intervalMs: number): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  const visible = (): boolean => document.visibilityState === 'visible';

  const run = async (): Promise<void> => {
    timer = undefined;
    if (running || !visible()) return;
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (visible()) timer = setTimeout(() => void run(), intervalMs);
    }
  };

  document.addEventListener('visibilitychange', () => {
    clearTimeout(timer);
    timer = undefined;
    if (visible()) void run();
  });
  void run();
}
