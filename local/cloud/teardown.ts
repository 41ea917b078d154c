/**
 * What to stop when the local cloud stops, in phases: what takes requests first (event
 * sources, then the APIs), then the functions, then the services they use. Within a
 * phase, the last added stops first. A failing step is logged and passed over.
 */
export const PHASE = { services: 0, functions: 1, apis: 2, eventSources: 3 } as const;

type Phase = (typeof PHASE)[keyof typeof PHASE];

export class Teardown {
  private readonly steps: Array<{ name: string; phase: Phase; stop: () => Promise<void> | void }> = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  add(name: string, phase: Phase, stop: () => Promise<void> | void): void {
    this.steps.push({ name, phase, stop });
  }

  /** Runs every step once; later calls wait for the same run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      const order = this.steps.splice(0).reverse().sort((a, b) => b.phase - a.phase);
      for (const step of order) {
        try {
          await step.stop();
        } catch (error) {
          this.log(`stopping ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}
