import type { DinteroRecording } from './provider-data.js';
import type { RecordingLedger, RecordingOutcome } from './recordings.js';

/** How long a recording Dintero does not take (5xx, timeouts) is retried before it is marked failed. */
export const RECORDING_RETRY_BOUND_MS = 24 * 60 * 60 * 1000;

/** Records money operations on the Orders API order, and says where each recording stands. */
export interface Recorder {
  /** Sends (or finds already sent) the recording; its state after this try. */
  record(recording: DinteroRecording): Promise<DinteroRecording>;
  /**
   * After the money moved the change has happened, whatever the recording does: a recording that
   * cannot even be tried (the store fails) stays pending, for reconciliation to send.
   */
  recordAfterMoney(recording: DinteroRecording): Promise<DinteroRecording>;
}

export function createRecorder(ledger: RecordingLedger, now: () => number): Recorder {
  function settle(recording: DinteroRecording, outcome: RecordingOutcome): DinteroRecording {
    switch (outcome.state) {
      case 'done':
        return { ...recording, state: 'done' };
      case 'failed':
        return { ...recording, state: 'failed', reason: outcome.reason };
      case 'pending':
        return now() - recording.firstTriedAt >= RECORDING_RETRY_BOUND_MS
          ? { ...recording, state: 'failed', reason: 'Dintero did not take it within 24 hours' }
          : recording;
    }
  }

  const record = async (recording: DinteroRecording): Promise<DinteroRecording> => settle(recording, await ledger.ensure(recording));

  return {
    record,
    async recordAfterMoney(recording) {
      try {
        return await record(recording);
      } catch {
        return recording;
      }
    },
  };
}
