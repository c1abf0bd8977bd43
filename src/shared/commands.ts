/**
 * What a screen may ask the station to do, and what it gets back. One schema for every door:
 * the desktop's IPC, Socket.IO on the LAN, and whatever an integrator writes. Anything that
 * crosses a trust boundary is parsed here before main acts on it.
 */
import { z } from 'zod';
import {
  CALIBRATION_LITERS_SCHEMA,
  CALIBRATION_SECONDS_SCHEMA,
  DOSE_ML_SCHEMA,
  JOB_SPEC_SCHEMA,
  MIN_AMOUNTS,
  RECIPE_SCHEMA,
  channelIdSchema,
  nameIdSchema,
} from './jobs';
import { SCHEDULE_COMMAND_PAYLOADS } from './schedules';
import { ADMIN_COMMAND_PAYLOADS } from './admin';
import { NOTIFY_COMMAND_PAYLOADS } from './notify';
import { MQTT_COMMAND_PAYLOADS } from './mqtt-settings';
import { ALARMS_CONFIGURE_PAYLOAD } from './reading-alarms';
import { SAFETY_CONFIGURE_PAYLOAD } from './caps';
import { TANKS_CONFIGURE_PAYLOAD } from './tank-edit';
import { MAX_ALERTS } from './station';

/** A client-chosen key: the same `id` sent twice (a retry, a flushed offline queue) acts once. */
const commandId = z
  .string({ error: 'id must be a string, such as a UUID, that identifies this command' })
  .min(1, { error: 'id must not be empty' })
  .max(64, { error: 'id must be at most 64 characters' });

const jobId = z.number({ error: 'jobId must be the number of a job' }).int({ error: 'jobId must be a whole number' }).positive({ error: 'jobId must be positive' });

export const COMMAND_TYPES = [
  'relay.set',
  'pump.dose',
  'estop',
  'estop.reset',
  'alert.ack',
  'job.start',
  'job.cancel',
  'job.pause',
  'job.resume',
  'recipe.create',
  'recipe.update',
  'recipe.delete',
  'schedule.create',
  'schedule.update',
  'schedule.delete',
  'schedule.enable',
  'schedule.preview',
  'calibration.pump.run',
  'calibration.pump.save',
  'calibration.flow.run',
  'calibration.flow.save',
  'calibration.pump.reset',
  'calibration.flow.reset',
  'calibration.probe.capture',
  'calibration.probe.save',
  'calibration.probe.reset',
  'station.ports',
  'station.connect',
  'access.tokens',
  'access.pair',
  'access.revoke',
  'lan.status',
  'lan.screens',
  'lan.configure',
  'notify.status',
  'notify.configure',
  'notify.test',
  'alarms.configure',
  'safety.configure',
  'tanks.configure',
  'mqtt.status',
  'mqtt.configure',
] as const;

/** Schedule commands: their payloads from schedules.ts, in the command envelope. */
const SCHEDULE = SCHEDULE_COMMAND_PAYLOADS;
/** The station's own settings and access: payloads from admin.ts. */
const ADMIN = ADMIN_COMMAND_PAYLOADS;
/** Notifications to the grower: payloads from notify.ts. */
const NOTIFY = NOTIFY_COMMAND_PAYLOADS;
/** The station on the grower's MQTT broker: payloads from mqtt-settings.ts. */
const MQTT = MQTT_COMMAND_PAYLOADS;

export const COMMAND_SCHEMA = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      id: commandId,
      type: z.literal('relay.set'),
      relayId: channelIdSchema('relayId', 'fill'),
      on: z.boolean({ error: 'on must be true or false' }),
    }),
    z.strictObject({
      id: commandId,
      type: z.literal('pump.dose'),
      pumpId: channelIdSchema('pumpId'),
      ml: DOSE_ML_SCHEMA,
    }),
    z.strictObject({ id: commandId, type: z.literal('estop') }),
    z.strictObject({ id: commandId, type: z.literal('estop.reset') }),
    z
      .strictObject({
        id: commandId,
        type: z.literal('alert.ack'),
        alertIds: z
          .array(z.number({ error: 'alertIds must hold the ids of alerts' }).int({ error: 'an alert id is a whole number' }), { error: 'alertIds must be a list of alert ids' })
          .min(1, { error: 'alertIds must name at least one alert' })
          .max(MAX_ALERTS, { error: `alertIds may name at most ${MAX_ALERTS} alerts; use all: true for every one` })
          .optional(),
        all: z.literal(true, { error: 'all must be true, to acknowledge every alert waiting' }).optional(),
      })
      .refine((command) => (command.alertIds === undefined) !== (command.all === undefined), {
        error: 'say which alerts: alertIds (a list of ids) or all: true, one of the two',
      }),
    z.strictObject({
      id: commandId,
      type: z.literal('job.start'),
      job: JOB_SPEC_SCHEMA,
      priority: z.enum(['high', 'normal', 'low'], { error: 'priority must be high, normal or low' }).optional(),
    }),
    z.strictObject({ id: commandId, type: z.literal('job.cancel'), jobId: jobId }),
    z.strictObject({ id: commandId, type: z.literal('job.pause'), jobId: jobId }),
    z.strictObject({ id: commandId, type: z.literal('job.resume'), jobId: jobId }),
    z.strictObject({ id: commandId, type: z.literal('recipe.create'), recipe: RECIPE_SCHEMA }),
    z.strictObject({ id: commandId, type: z.literal('recipe.update'), recipe: RECIPE_SCHEMA }),
    z.strictObject({ id: commandId, type: z.literal('recipe.delete'), recipeId: nameIdSchema('recipeId') }),
    SCHEDULE['schedule.create'].safeExtend({ id: commandId, type: z.literal('schedule.create') }),
    SCHEDULE['schedule.update'].safeExtend({ id: commandId, type: z.literal('schedule.update') }),
    SCHEDULE['schedule.delete'].safeExtend({ id: commandId, type: z.literal('schedule.delete') }),
    SCHEDULE['schedule.enable'].safeExtend({ id: commandId, type: z.literal('schedule.enable') }),
    SCHEDULE['schedule.preview'].safeExtend({ id: commandId, type: z.literal('schedule.preview') }),
    z.strictObject({ id: commandId, type: z.literal('calibration.pump.run'), pumpId: channelIdSchema('pumpId'), seconds: CALIBRATION_SECONDS_SCHEMA }),
    z.strictObject({
      id: commandId,
      type: z.literal('calibration.pump.save'),
      /** The calibration run the grower measured. */
      jobId,
      measuredMl: z
        .number({ error: 'measuredMl must be the millilitres you collected' })
        .gt(0, { error: 'measuredMl must be more than 0' })
        .min(MIN_AMOUNTS.ml, { error: `measuredMl must be at least ${MIN_AMOUNTS.ml} mL` })
        .max(10_000, { error: 'measuredMl must be at most 10000' }),
      /** Accepts a figure far from the one in use (see docs/lan-api.md). */
      confirm: z.boolean({ error: 'confirm must be true or false' }).optional(),
    }),
    z.strictObject({ id: commandId, type: z.literal('calibration.flow.run'), tankId: nameIdSchema('tankId'), liters: CALIBRATION_LITERS_SCHEMA }),
    z.strictObject({
      id: commandId,
      type: z.literal('calibration.flow.save'),
      jobId,
      measuredLiters: z
        .number({ error: 'measuredLiters must be the litres that went in' })
        .gt(0, { error: 'measuredLiters must be more than 0' })
        .min(MIN_AMOUNTS.liters, { error: `measuredLiters must be at least ${MIN_AMOUNTS.liters} L` })
        .max(1_000, { error: 'measuredLiters must be at most 1000' }),
      confirm: z.boolean({ error: 'confirm must be true or false' }).optional(),
    }),
    z.strictObject({
      id: commandId,
      type: z.literal('calibration.probe.capture'),
      sensorId: channelIdSchema('sensorId'),
      /** The value printed on the solution's bottle: pH 4.00, 7.00, 10.01, or EC 1.413 mS/cm. */
      solution: z
        .number({ error: 'solution must be the value on the bottle, such as 7.00 (pH) or 1.413 (mS/cm)' })
        .gt(0, { error: 'solution must be more than 0' })
        .max(14, { error: 'solution must be at most 14 (pH 14, or 14 mS/cm)' }),
      /** Captures a reading that has not settled yet. */
      confirm: z.boolean({ error: 'confirm must be true or false' }).optional(),
      /** The first point of a new calibration: points captured before it (and never saved) are dropped. */
      first: z.boolean({ error: 'first must be true or false' }).optional(),
    }),
    z.strictObject({
      id: commandId,
      type: z.literal('calibration.probe.save'),
      sensorId: channelIdSchema('sensorId'),
      /** Accepts a slope far from ideal (see docs/lan-api.md). */
      confirm: z.boolean({ error: 'confirm must be true or false' }).optional(),
    }),
    /** Back to the figure in settings.json, or the default, forgetting the measured one. */
    z.strictObject({ id: commandId, type: z.literal('calibration.pump.reset'), pumpId: channelIdSchema('pumpId') }),
    z.strictObject({ id: commandId, type: z.literal('calibration.flow.reset'), meterId: channelIdSchema('meterId', 'flow1') }),
    z.strictObject({ id: commandId, type: z.literal('calibration.probe.reset'), sensorId: channelIdSchema('sensorId') }),
    ADMIN['station.ports'].safeExtend({ id: commandId, type: z.literal('station.ports') }),
    ADMIN['station.connect'].safeExtend({ id: commandId, type: z.literal('station.connect') }),
    ADMIN['access.tokens'].safeExtend({ id: commandId, type: z.literal('access.tokens') }),
    ADMIN['access.pair'].safeExtend({ id: commandId, type: z.literal('access.pair') }),
    ADMIN['access.revoke'].safeExtend({ id: commandId, type: z.literal('access.revoke') }),
    ADMIN['lan.status'].safeExtend({ id: commandId, type: z.literal('lan.status') }),
    ADMIN['lan.screens'].safeExtend({ id: commandId, type: z.literal('lan.screens') }),
    ADMIN['lan.configure'].safeExtend({ id: commandId, type: z.literal('lan.configure') }),
    NOTIFY['notify.status'].safeExtend({ id: commandId, type: z.literal('notify.status') }),
    NOTIFY['notify.configure'].safeExtend({ id: commandId, type: z.literal('notify.configure') }),
    NOTIFY['notify.test'].safeExtend({ id: commandId, type: z.literal('notify.test') }),
    z.strictObject({ id: commandId, type: z.literal('alarms.configure'), ...ALARMS_CONFIGURE_PAYLOAD }),
    z.strictObject({ id: commandId, type: z.literal('safety.configure'), ...SAFETY_CONFIGURE_PAYLOAD }),
    z.strictObject({ id: commandId, type: z.literal('tanks.configure'), ...TANKS_CONFIGURE_PAYLOAD }),
    MQTT['mqtt.status'].safeExtend({ id: commandId, type: z.literal('mqtt.status') }),
    MQTT['mqtt.configure'].safeExtend({ id: commandId, type: z.literal('mqtt.configure') }),
  ],
  { error: `type must be one of ${COMMAND_TYPES.join(', ')}` },
);

export type Command = z.infer<typeof COMMAND_SCHEMA>;
export type CommandType = Command['type'];

/** Fails to compile when a command in the schema is missing from COMMAND_TYPES (and its refusals' list). */
type Unlisted = Exclude<CommandType, (typeof COMMAND_TYPES)[number]>;
export const EVERY_COMMAND_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

/** Commands anyone paired may send: stopping the station is always safe, and the MQTT settings hold no secret. */
export const VIEWER_COMMANDS: ReadonlySet<CommandType> = new Set<CommandType>(['estop', 'mqtt.status']);

export type ErrorCode =
  /** The payload does not match the schema; the message says which field and why. */
  | 'INVALID'
  /** The token's role may not do this. */
  | 'FORBIDDEN'
  /** The controller is not connected, or not ready yet. */
  | 'NOT_READY'
  /** The emergency stop is latched; reset it first. */
  | 'ESTOP'
  /** The controller refused the command (its bounds, a busy channel, an unknown channel). */
  | 'REFUSED'
  /** No such job (or it has ended). */
  | 'NOT_FOUND'
  /** The controller did not answer in time. The command may or may not have acted. */
  | 'TIMEOUT'
  /** Too many commands in a short time from this connection. */
  | 'RATE_LIMITED'
  | 'INTERNAL';

export interface CommandError {
  code: ErrorCode;
  message: string;
}

export type CommandAck = { ok: true; result?: unknown } | { ok: false; error: CommandError };

/**
 * Parses an untrusted payload. The error message names the first problem and its field, so a
 * person or an integrator can fix the request without reading the source.
 */
export function parseCommand(input: unknown): { ok: true; command: Command } | { ok: false; error: CommandError } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, error: { code: 'INVALID', message: 'a command must be an object such as {"id": "…", "type": "estop"}' } };
  }
  const parsed = COMMAND_SCHEMA.safeParse(input);
  if (parsed.success) return { ok: true, command: parsed.data };
  return { ok: false, error: { code: 'INVALID', message: describeIssue(parsed.error.issues[0]) } };
}

/** One zod issue as a sentence: its own message, prefixed with the field when that adds anything. */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'the payload is not valid';
  if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}; remove it`;
  const field = issue.path.join('.');
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
}
