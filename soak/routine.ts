/**
 * A grower's routine, sped up: feeds (nutrient A, the A/B pause, nutrient B, a mix) from a
 * recipe, top-ups and partial drains, pH and EC adjustments, small doses by hand, now and then a
 * dose over the cap or a fill past the headroom (which must be refused), and a cancel. A light
 * timer runs from a schedule. Everything goes through the LAN API as an operator's screen sends
 * it, and every job the station accepts is remembered, so the soak can ask later where it ended.
 */
import { seededRandom, type Random } from '../src/main/simulator/prng';
import type { SoakStation } from './station';

const PUMPS = ['nut_a', 'nut_b', 'ph_up', 'ph_down'] as const;
const TANK = 'main';

/** Over the default cap per dose (50 mL): the station must refuse it. */
const OVER_CAP_ML = 60;

export const FEED_RECIPE = {
  id: 'feed',
  name: 'Feed',
  steps: [
    { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 4 } },
    { kind: 'wait', seconds: 4 },
    { kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 4 } },
    { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 3 } },
  ],
};

export const LIGHT_TIMER = {
  id: 'lights',
  name: 'Lights',
  enabled: true,
  timezone: 'UTC',
  trigger: { kind: 'light', relayId: 'lights', on: '06:00', off: '18:00' },
};

export interface RoutineCounts {
  sent: number;
  accepted: number;
  refused: number;
  /** Commands that got no answer (Tendril was down or restarting). */
  unanswered: number;
  /** Refusals of what had to be refused: a dose over the cap, a fill past the headroom. */
  refusedAsTheyMust: number;
  /** What had to be refused but was accepted. */
  acceptedOverCap: number;
}

export class Routine {
  readonly acceptedJobs: number[] = [];
  /** Why the station refused what it refused, by error code: a grower's routine meets these. */
  readonly refusals = new Map<string, number>();
  readonly counts: RoutineCounts = { sent: 0, accepted: 0, refused: 0, unanswered: 0, refusedAsTheyMust: 0, acceptedOverCap: 0 };
  private readonly random: Random;
  private serial = 0;

  constructor(
    private readonly station: SoakStation,
    seed: number,
  ) {
    this.random = seededRandom(seed ^ 0x9e11);
  }

  /** The recipe, the light timer and the circulation the loops need. */
  async setUp(): Promise<void> {
    for (const command of [
      { type: 'recipe.create', recipe: FEED_RECIPE },
      { type: 'schedule.create', schedule: LIGHT_TIMER },
    ]) {
      const ack = await this.send(command);
      if (!ack.ok) throw new Error(`the soak could not set up its routine: ${command.type} was refused: ${JSON.stringify(ack)}`);
    }
    await this.circulate();
  }

  /** Loops dose only while the water circulates; a stop or a reset switches it off. */
  async circulate(): Promise<void> {
    await this.send({ type: 'relay.set', relayId: 'circulation', on: true });
  }

  /** One step of the routine. */
  async step(): Promise<void> {
    const roll = this.random.next();
    if (roll < 0.2) return this.job({ kind: 'recipe', recipeId: FEED_RECIPE.id });
    if (roll < 0.4) return this.dose(this.pick(PUMPS), round(1 + this.random.next() * 7, 1));
    if (roll < 0.45) return this.mustRefuse({ type: 'pump.dose', pumpId: this.pick(PUMPS), ml: OVER_CAP_ML });
    if (roll < 0.55) {
      const to = round(70 + this.random.next() * 29, 1);
      // Past capacity minus headroom (95 L): refused, whatever the level.
      if (to > 95) return this.mustRefuse({ type: 'job.start', job: { kind: 'fill-to', tankId: TANK, toLiters: to } });
      return this.job({ kind: 'fill-to', tankId: TANK, toLiters: to });
    }
    if (roll < 0.65) return this.job({ kind: 'drain-to', tankId: TANK, toLiters: round(40 + this.random.next() * 25, 1) });
    if (roll < 0.75) return this.job({ kind: 'adjust-ph', tankId: TANK, target: round(5.6 + this.random.next() * 0.6, 2), band: 0.2 });
    if (roll < 0.82) return this.job({ kind: 'adjust-ec', tankId: TANK, target: round(1.0 + this.random.next() * 0.6, 2), band: 0.1 });
    if (roll < 0.9) return this.job({ kind: 'mix', relayId: 'mixer', seconds: 2 + Math.floor(this.random.next() * 4) });
    const victim = this.acceptedJobs[this.acceptedJobs.length - 1 - Math.floor(this.random.next() * Math.min(5, this.acceptedJobs.length))];
    if (victim !== undefined) await this.send({ type: 'job.cancel', jobId: victim });
  }

  /** How long to wait before the next step, in real ms. */
  pauseMs(): number {
    return 200 + Math.floor(this.random.next() * 800);
  }

  private async dose(pumpId: string, ml: number): Promise<void> {
    const ack = await this.send({ type: 'pump.dose', pumpId, ml });
    if (ack.ok && typeof ack.result?.jobId === 'number') this.acceptedJobs.push(ack.result.jobId);
  }

  private async job(job: Record<string, unknown>): Promise<void> {
    const ack = await this.send({ type: 'job.start', job });
    const accepted = ack.ok ? (ack.result?.job as { id?: number } | undefined)?.id : undefined;
    if (typeof accepted === 'number') this.acceptedJobs.push(accepted);
  }

  private async mustRefuse(command: Record<string, unknown>): Promise<void> {
    const ack = await this.send(command);
    if (ack.ok) {
      this.counts.acceptedOverCap++;
      const job = (ack.result?.job as { id?: number } | undefined)?.id ?? ack.result?.jobId;
      if (typeof job === 'number') this.acceptedJobs.push(job);
    } else if (ack.error?.code !== 'NO_LINK' && ack.error?.code !== 'NO_ANSWER') this.counts.refusedAsTheyMust++;
  }

  private async send(command: Record<string, unknown>): Promise<Awaited<ReturnType<SoakStation['command']>>> {
    this.counts.sent++;
    const ack = await this.station.command({ id: `soak-${++this.serial}`, ...command });
    if (ack.ok) this.counts.accepted++;
    else if (ack.error?.code === 'NO_LINK' || ack.error?.code === 'NO_ANSWER') this.counts.unanswered++;
    else {
      this.counts.refused++;
      const why = `${String(command.type)} ${ack.error?.code ?? 'refused'}`;
      this.refusals.set(why, (this.refusals.get(why) ?? 0) + 1);
    }
    return ack;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random.next() * items.length)]!;
  }
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
