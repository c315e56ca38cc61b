import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TimeModel } from '../domain/calendar';
import type { CaseCommand } from '../domain/commands';
import type { Actor, CaseState } from '../domain/types';

export type SubmitCommand = Extract<CaseCommand, { type: 'submit' }>;
/** Commands users may send to a running case (time passing is the workflow's own business). */
export type UserCommand = Exclude<CaseCommand, { type: 'submit' } | { type: 'tick' } | { type: 'apply_calendar' }>;

export interface CaseWorkflowInput {
  submission: SubmitCommand;
  actor: Actor;
  /** The calendar (or demo clock) this case counts with; its version goes into the events. */
  time: TimeModel;
  /** Set when the workflow continues as new (with the calendar it adopted since, if any). */
  carried?: { state: CaseState; time?: TimeModel };
  /** When the API received the submission (epoch ms, server clock): the legal time of the act. */
  receivedAt?: number;
  /**
   * The API started the workflow with the case's search attributes already set (from the state its
   * submission check decided): the run upserts only values that differ. Carried on by continue-as-new,
   * whose run starts with the attributes the server held.
   */
  searchAttributesAtStart?: boolean;
  /** The patches (workflows/patches.ts PATCH_SETS) the case takes from its start, without markers. */
  patchSet?: number;
}

export interface CommandRequest {
  command: UserCommand;
  actor: Actor;
  /** When the API received the command (epoch ms, server clock): the act is judged as of then. */
  receivedAt?: number;
}

/**
 * What an Update answers: the case's version (its last event's seq) once the events up to it are
 * recorded. Not the whole state: every answer is kept in the case's history, and the API reads the
 * state it shows from the projection, which the recording wrote in the same transaction. (Workers
 * from before answered the whole CaseState, which carries `seq` as well.)
 */
export interface RecordedVersion {
  seq: number;
}

/** A user command; refused ones fail validation with an ApplicationFailure whose type is the stable code. */
export const commandUpdate = defineUpdate<RecordedVersion, [CommandRequest]>('command');
/** Answers once everything up to now is recorded (used with update-with-start). */
export const recordedStateUpdate = defineUpdate<RecordedVersion, []>('recordedState');
export const stateQuery = defineQuery<CaseState>('state');
/** A calendar year was published or corrected: the case adopts the calendar in force (idempotent). */
export const calendarPublishedSignal = defineSignal<[]>('calendarPublished');
