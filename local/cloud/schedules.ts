/**
 * The template's `Schedule` events, run as EventBridge runs them: each enabled event of a
 * function the runtime runs invokes it with a Scheduled Event every period of its `rate(...)`
 * expression. `cron(...)` expressions are not run locally (a warning says so). A run never
 * overlaps the previous one of the same event: a slow run delays the next, as nothing here
 * would catch up on missed runs anyway.
 */
import { randomUUID } from 'node:crypto';
import type { LambdaRuntime } from '../lambda/index.js';
import type { TemplateModel } from '../template/index.js';
import { PHASE, type Teardown } from './teardown.js';

export interface ScheduleContext {
  runtime: LambdaRuntime;
  /** Ids of the functions the runtime runs. */
  functions: Set<string>;
  region: string;
  accountId: string;
  log(line: string): void;
}

export interface RunningSchedules {
  /** Each scheduled event, by `<function>/<event>`, with its period. */
  readonly periods: Record<string, number>;
  stop(): void;
}

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `rate(5 minutes)` in ms, or undefined for anything else (cron expressions included). */
export function ratePeriodMs(expression: string): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2]!.replace(/s$/, '');
  // EventBridge's own rule: 1 takes the singular unit, more the plural.
  if (value < 1 || (value === 1) !== (match[2] === unit)) return undefined;
  return value * UNITS[unit]!;
}

/** The Scheduled Event EventBridge sends to a rule's target. */
export function scheduledEvent(ctx: Pick<ScheduleContext, 'region' | 'accountId'>, rule: string, at: Date): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ctx.accountId,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: ctx.region,
    resources: [`arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${rule}`],
    detail: {},
  };
}

/** Starts the schedules of `model`; `periodMs` overrides every period (tests). */
export function startSchedules(model: TemplateModel, ctx: ScheduleContext, warnings: string[], options: { periodMs?: number } = {}): RunningSchedules {
  const running: Array<{ timer?: ReturnType<typeof setTimeout> }> = [];
  const periods: Record<string, number> = {};
  let stopped = false;
  for (const fn of model.functions) {
    if (!ctx.functions.has(fn.logicalId)) continue;
    for (const event of fn.events) {
      if (event.type !== 'Schedule' || !event.enabled) continue;
      const where = `${fn.logicalId} event ${event.name}`;
      const period = options.periodMs ?? ratePeriodMs(event.schedule);
      if (period === undefined) {
        warnings.push(`${where}: schedule ${event.schedule} is not run locally (only rate(...) expressions are)`);
        continue;
      }
      let input: unknown;
      try {
        input = event.input === undefined ? undefined : JSON.parse(event.input);
      } catch {
        warnings.push(`${where}: its Input is not JSON: not run locally`);
        continue;
      }
      periods[`${fn.logicalId}/${event.name}`] = period;
      const rule = `${model.stackName}-${fn.logicalId}${event.name}`;
      const entry: { timer?: ReturnType<typeof setTimeout> } = {};
      running.push(entry);
      const next = (): void => {
        entry.timer = setTimeout(() => {
          ctx.runtime
            .invoke(fn.logicalId, input ?? scheduledEvent(ctx, rule, new Date()))
            .catch((error: unknown) => ctx.log(`[${where}] run failed: ${error instanceof Error ? error.message : String(error)}`))
            .finally(() => {
              if (!stopped) next();
            });
        }, period);
      };
      next();
    }
  }
  return {
    periods,
    stop: () => {
      stopped = true;
      for (const entry of running) clearTimeout(entry.timer);
    },
  };
}

/** The one call the region makes: schedules started, stopped with the event sources. */
export function runSchedules(model: TemplateModel, ctx: ScheduleContext, warnings: string[], teardown: Teardown): RunningSchedules {
  const schedules = startSchedules(model, ctx, warnings);
  teardown.add('the schedules', PHASE.eventSources, () => schedules.stop());
  return schedules;
}
