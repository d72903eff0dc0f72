import { EventFileError } from '../errors.js';
import { eventTypes, type EventProto, type SessionLogProto, type SummaryProto } from './proto.js';

/**
 * One Event record as the reader sees it: where it sits in its file, when and at which step it was
 * written, and which of Event's `what` members it carries. The summary and session log keep the
 * .proto's snake_case field names (they are the on-disk messages, see ./proto.ts).
 */
export interface DecodedEvent {
  /** Byte offset of the record in its file. */
  readonly offset: number;
  /** Seconds since the epoch (Event.wall_time). */
  readonly wallTime: number;
  /** The global step (Event.step; 0 when absent). */
  readonly step: number;
  /** Set on a file's first record: `"brain.Event:2"`. */
  readonly fileVersion?: string;
  /** A serialized GraphDef. */
  readonly graphDef?: Uint8Array;
  readonly summary?: SummaryProto;
  readonly sessionLog?: SessionLogProto;
}

/** An Event message's bytes (the data of one record). */
export function encodeEvent(event: EventProto): Uint8Array {
  const { Event } = eventTypes();
  return Event.encode(Event.fromObject(event)).finish();
}

/**
 * Parses one record's data as an Event; a parse failure is an EventFileError naming `file` and the
 * record's `offset`.
 */
export function decodeEvent(data: Uint8Array, file: string, offset: number): DecodedEvent {
  const { Event } = eventTypes();
  let e: EventProto;
  try {
    e = Event.toObject(Event.decode(data), { longs: Number, defaults: false }) as EventProto;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new EventFileError(`'${file}': record at byte ${offset} (${data.length} data bytes) is not an Event protobuf: ${why}`);
  }
  return {
    offset,
    wallTime: e.wall_time ?? 0,
    step: e.step ?? 0,
    ...(e.file_version !== undefined && { fileVersion: e.file_version }),
    ...(e.graph_def !== undefined && { graphDef: e.graph_def }),
    ...(e.summary !== undefined && { summary: e.summary }),
    ...(e.session_log !== undefined && { sessionLog: e.session_log }),
  };
}
