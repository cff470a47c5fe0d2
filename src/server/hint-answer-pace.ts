/**
 * How long an admitted unsigned webhook hint (Pei's postback, Dintero's callback) takes to answer,
 * per provider: mostly the provider's read of the order it names. A hint for an unknown id that
 * is answered without a read (refresh-lease.ts `unread`) waits about as long before its answer,
 * so its timing does not tell a forger that no read happened, that is, that the gateway does not
 * know the id (security probe 4). Kept per process as a moving average; a first unread answer,
 * before any read was timed, waits {@link FIRST_GUESS_MS}.
 */
export class HintAnswerPace {
  private readonly averageMs = new Map<string, number>();

  /** Records how long an admitted hint of `provider` took to answer. */
  observe(provider: string, ms: number): void {
    const before = this.averageMs.get(provider);
    // Bounded, so one read stuck until the provider timeout does not make every unread answer wait that long.
    const sample = Math.min(Math.max(ms, 0), LONGEST_WAIT_MS);
    this.averageMs.set(provider, before === undefined ? sample : before + (sample - before) * WEIGHT);
  }

  /** Waits about as long as an admitted hint of `provider` takes. */
  wait(provider: string): Promise<void> {
    const ms = this.averageMs.get(provider) ?? FIRST_GUESS_MS;
    // A little jitter either way, as reads themselves have.
    const jittered = ms * (0.8 + Math.random() * 0.4);
    return new Promise((resolve) => setTimeout(resolve, jittered).unref());
  }
}

/** A provider read over the internet, before one was timed. */
const FIRST_GUESS_MS = 50;
/** Longest wait of an unread answer: a slow provider's read is not mimicked beyond this. */
const LONGEST_WAIT_MS = 2000;
/** The weight of each new sample in the moving average. */
const WEIGHT = 0.2;
