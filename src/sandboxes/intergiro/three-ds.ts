/**
 * 3-D Secure in the Intergiro sandbox: the steps an order waits for (a hidden `method`, a visible
 * `challenge`), the verification-required error that points the client at the ACS page, the
 * response string that page produces and the check of that string when the client resubmits.
 * One 3DS Server transaction per order, shared by its steps, as in EMV 3DS.
 */
import { randomUUID } from 'node:crypto';
import { malformed, type GracelyFailure } from './errors.js';
import type { ThreeDSStepType } from './pages.js';
import { isRecord } from './validation.js';
import type { IntergiroSandboxError } from './wire.js';

const THREE_DS_MESSAGE_VERSION = '2.2.0';

/** An order's 3-D Secure flow: its steps, the one it waits for and its transaction ids. */
export interface ThreeDSState {
  steps: ThreeDSStepType[];
  index: number;
  threeDSServerTransID: string;
  acsTransID: string;
}

/**
 * What the sandbox's ACS page returns for a 3-D Secure step: base64url of
 * `{threeDSServerTransID, transStatus}` for a challenge, of `{threeDSServerTransID}` for a method.
 * Tests resubmit it as `payment.verification = {type: step.type, data: <this>}`.
 */
export function intergiroSandboxThreeDSResult(
  step: { type: ThreeDSStepType; threeDSServerTransID: string },
  transStatus: 'Y' | 'N' = 'Y',
): string {
  const payload =
    step.type === 'challenge'
      ? { threeDSServerTransID: step.threeDSServerTransID, transStatus }
      : { threeDSServerTransID: step.threeDSServerTransID };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function startThreeDS(steps: ThreeDSStepType[]): ThreeDSState {
  return { steps, index: 0, threeDSServerTransID: randomUUID(), acsTransID: randomUUID() };
}

/** The step the order waits for, or undefined when it waits for none. */
export function currentStep(state: ThreeDSState | undefined): ThreeDSStepType | undefined {
  return state?.steps[state.index];
}

/** The create answer while a step is outstanding: Intergiro's "verification required" error. */
export function verificationRequired(orderId: string, state: ThreeDSState, acsUrl: string): IntergiroSandboxError {
  const step = currentStep(state);
  if (step === undefined) throw new Error('order is not waiting for 3-D Secure');
  return {
    status: 400,
    type: 'malformed content',
    error: 'verification required',
    id: orderId,
    content: {
      property: 'card',
      type: 'Card.Creatable | Card.Token',
      description: 'verification required',
      details: {
        visible: step === 'challenge',
        method: 'POST',
        url: acsUrl,
        data: threeDSStepData(step, state),
      },
    },
  };
}

/**
 * Checks a resubmitted `payment.verification` against the current step and moves past it.
 * `done` once the last step is through, with whether the cardholder authenticated (only a
 * challenge answered "N" says no); throws a gracely 400 on property `verification` otherwise.
 */
export function completeStep(
  state: ThreeDSState,
  verification: unknown,
): { done: false } | { done: true; authenticated: boolean } {
  const step = currentStep(state);
  if (step === undefined) throw new Error('order is not waiting for 3-D Secure');
  const result = parseVerification(verification);
  if (result.type !== step) {
    throw malformed('verification', 'Verification', `expected the result of the ${step} step`);
  }
  if (result.transId !== state.threeDSServerTransID) {
    throw malformed('verification', 'Verification', 'the verification belongs to another 3-D Secure transaction');
  }
  if (step === 'challenge' && result.transStatus !== 'Y' && result.transStatus !== 'N') {
    throw malformed('verification', 'Verification', 'a challenge result needs transStatus "Y" or "N"');
  }
  state.index += 1;
  if (state.index < state.steps.length) return { done: false };
  return { done: true, authenticated: step !== 'challenge' || result.transStatus === 'Y' };
}

/**
 * `details.data` of a verification-required error: what the client's iframe form posts to the
 * ACS. Shaped after EMV 3DS: the method step carries `threeDSMethodData`, the challenge a `creq`.
 */
function threeDSStepData(step: ThreeDSStepType, state: ThreeDSState): Record<string, string> {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const common = { type: step, threeDSServerTransID: state.threeDSServerTransID, messageVersion: THREE_DS_MESSAGE_VERSION };
  if (step === 'method') {
    return { ...common, threeDSMethodData: encode({ threeDSServerTransID: state.threeDSServerTransID }) };
  }
  const creq = encode({
    threeDSServerTransID: state.threeDSServerTransID,
    acsTransID: state.acsTransID,
    messageVersion: THREE_DS_MESSAGE_VERSION,
    messageType: 'CReq',
    challengeWindowSize: '05',
  });
  return { ...common, acsTransID: state.acsTransID, creq };
}

/** What the ACS page's response string says, after checking its shape. */
function parseVerification(value: unknown): { type: ThreeDSStepType; transId: string; transStatus?: string } {
  const invalid = (description: string): GracelyFailure =>
    malformed('verification', '{ type: "method" | "challenge", data: string }', description);
  if (!isRecord(value) || (value.type !== 'method' && value.type !== 'challenge') || typeof value.data !== 'string') {
    throw invalid('verification must be { type: "method" | "challenge", data: string }');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value.data, 'base64url').toString('utf8'));
  } catch {
    throw invalid('verification data is not a 3-D Secure result');
  }
  if (!isRecord(decoded) || typeof decoded.threeDSServerTransID !== 'string') {
    throw invalid('verification data is not a 3-D Secure result');
  }
  const result: { type: ThreeDSStepType; transId: string; transStatus?: string } = {
    type: value.type,
    transId: decoded.threeDSServerTransID,
  };
  if (typeof decoded.transStatus === 'string') result.transStatus = decoded.transStatus;
  return result;
}
