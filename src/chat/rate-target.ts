import { RecentTimes, WINDOW_MS } from "./recent-times.js";

/** Share of the ceiling aimed for, leaving room for timer and network jitter. */
const HEADROOM = 0.97;
/** When at least this share of last second's answers were rate limited, the server's window is full... */
const FULL_WINDOW_SHARE = 0.1;
/** Shares are taken of at least this share of a second's calls at the rate, so that a few early answers do not count for a whole second. */
const MIN_ANSWERS_SHARE = 0.5;
/** ...and the rate drops at once to this share of the calls the server admitted from this caller over that second... */
const SHARE_KEPT = 0.95;
/** ...or to the even split of the ceiling (less the headroom) when that is within this share of it. */
const EVEN_SPLIT_TOLERANCE = 0.15;
/** Fewer rate-limited answers lower the rate by their share, at most by this share and once per this many ms. */
const MAX_TRIM = 0.03;
const TRIM_INTERVAL_MS = 1000;
/**
 * A full window is a crowd's when at least this share of the last answers were rate limited: the
 * server's window filled at once, as when callers start together or one joins others at full rate.
 */
const CROWDED_SHARE = 0.3;
const RECENT_ANSWERS = 10;
/** A crowd's callers all start again from this share of the ceiling (or from their rate, when lower), and climb as equals... */
const RESTART_SHARE = 0.125;
/** ...doubling their rate in this time until the window fills again. */
const DOUBLING_MS = 1500;
/**
 * At an even share the rate climbs by this share of the ceiling per second, the same for every
 * caller, so that callers sharing a limit keep fair shares (additive increase, multiplicative
 * decrease); n callers so fill the headroom in (1 - HEADROOM) / (n * CLIMB_PER_SECOND) seconds.
 */
const CLIMB_PER_SECOND = 0.0025;
/** No rate-limited answer for this many times that long (and at least MIN_CALM_MS) means one caller fewer. */
const CALM_FACTOR = 1.5;
const MIN_CALM_MS = 3000;
/**
 * This share of rate-limited answers (of at least PROBATION_ANSWERS) within this many ms of taking
 * the share of one caller fewer means no caller had left.
 */
const PROBATION_MS = 2000;
const PROBATION_SHARE = 0.04;
const PROBATION_ANSWERS = 25;
const MIN_RATE_SHARE = 0.05;

/**
 * The calls per second one caller aims for under a ceiling it may share with callers it cannot see,
 * following the server's "rate limited" answers.
 *
 * - Alone, the rate stays at the ceiling (less the headroom).
 * - When many answers of the last second were rate limited, the server's window is full: the rate
 *   drops at once to a little less than what the server admitted from this caller over that second,
 *   or to the even split of the ceiling close to it. Answers to calls sent before that drop do not
 *   lower it again.
 * - When the window filled at once, most recent answers rate limited, it is a crowd's: callers that
 *   started together, or one that joined others at full rate. What each got of that window depends
 *   on who came first, so each starts again from the same low rate and doubles it until the window
 *   fills, where all take the even split.
 * - A few rate-limited answers trim the rate by their share, at most once a second.
 * - At an even share of n callers the rate climbs slowly. No rate-limited answer for longer than n
 *   callers take to fill the headroom means that one has left: the rate doubles up to the even share
 *   of n - 1. If the answers that follow say otherwise, it goes back to the share of n.
 */
export class RateTarget {
  private rate: number;
  private readonly admitted = new RecentTimes();
  private readonly limited = new RecentTimes();
  /** Whether each of the last answers was rate limited, oldest first. */
  private readonly recent: boolean[] = [];
  /** When the rate last dropped for a full window, and when it was last trimmed. */
  private lastDrop = -Infinity;
  private lastTrim = -Infinity;
  /** Since when no answer was rate limited, or the rate last stopped doubling. */
  private calmSince: number;
  private lastAdjust: number;
  /** Callers taken to share the ceiling, from the last even split. */
  private callers = 1;
  /** While the rate doubles: up to where, and whether reaching it means one caller fewer. */
  private doubling: { upTo: number; oneFewer: boolean } | undefined;
  private doublingEnded = -Infinity;
  /** The share of one caller fewer, taken at `at`: the answers to calls sent since, until `until`. */
  private tookShare = { at: -Infinity, until: -Infinity, answers: 0, limited: 0 };

  /** The highest rate kept: the ceiling less the headroom. */
  private readonly top: number;

  constructor(
    private readonly ceiling: number,
    now: number,
  ) {
    this.top = this.rate = ceiling * HEADROOM;
    this.calmSince = this.lastAdjust = now;
  }

  /** The rate to keep at `now`. */
  at(now: number): number {
    this.climb(now);
    return this.rate;
  }

  /** Takes the server's answer to a call let through at `grantedAt`. */
  answered(now: number, grantedAt: number, rateLimited: boolean): void {
    if (grantedAt >= this.tookShare.at && now < this.tookShare.until) {
      this.tookShare.answers++;
      if (rateLimited) this.tookShare.limited++;
    }
    this.recent.push(rateLimited);
    if (this.recent.length > RECENT_ANSWERS) this.recent.shift();
    if (!rateLimited) {
      this.admitted.add(now);
      return;
    }
    this.climb(now);
    this.limited.add(now);
    this.calmSince = now;
    if (this.noCallerLeft(now)) {
      this.callers++;
      this.rate = this.top / this.callers;
      this.tookShare.until = -Infinity;
      this.lastDrop = this.lastTrim = now;
      return;
    }
    const admitted = this.admitted.count(now);
    const share = limitedShare(admitted, this.limited.count(now), this.rate);
    // Answers to calls sent while the rate doubled tell where the window filled.
    const meeting = this.doubling !== undefined || grantedAt <= this.doublingEnded;
    // Calls sent within a second of a drop still meet the server's window of the second before it.
    if ((share >= FULL_WINDOW_SHARE || meeting) && grantedAt >= this.lastDrop + WINDOW_MS) {
      if (!meeting && this.crowded()) {
        this.rate = Math.min(this.rate, this.ceiling * RESTART_SHARE);
        this.doubling = { upTo: this.top, oneFewer: false };
      } else {
        this.rate = Math.max(this.floor(), Math.min(this.rate * SHARE_KEPT, this.evenSplit(admitted)));
        this.callers = Math.max(1, Math.round(this.top / this.rate));
        this.doubling = undefined;
      }
      this.lastDrop = this.lastTrim = now;
    } else if (!this.doubling && now - this.lastTrim >= TRIM_INTERVAL_MS) {
      this.rate = Math.max(this.floor(), this.rate * (1 - Math.min(share, MAX_TRIM)));
      this.lastTrim = now;
    }
  }

  private floor(): number {
    return this.ceiling * MIN_RATE_SHARE;
  }

  /** Whether, soon after taking the share of one caller fewer, more answers were rate limited than a few. */
  private noCallerLeft(now: number): boolean {
    const { until, answers, limited } = this.tookShare;
    return now < until && limited >= PROBATION_SHARE * Math.max(answers, PROBATION_ANSWERS);
  }

  /** Whether the window filled as a crowd's, most recent answers rate limited. */
  private crowded(): boolean {
    return this.recent.filter(Boolean).length >= CROWDED_SHARE * this.recent.length;
  }

  /**
   * The rate to keep after the server admitted `admitted` calls from this caller over a full second:
   * when that is close to the ceiling shared evenly by a whole number of callers, those callers are
   * taken to be the app's other users, and the even share is kept, so that callers that climbed as
   * equals settle on the same rate.
   */
  private evenSplit(admitted: number): number {
    const callers = Math.max(1, Math.round(this.ceiling / Math.max(admitted, 1)));
    const share = this.ceiling / callers;
    return Math.abs(share - admitted) <= EVEN_SPLIT_TOLERANCE * admitted
      ? share * HEADROOM
      : admitted * SHARE_KEPT;
  }

  private climb(now: number): void {
    const from = this.lastAdjust;
    if (now <= from) return;
    this.lastAdjust = now;
    if (this.doubling) {
      this.rate = Math.min(this.doubling.upTo, this.rate * 2 ** ((now - from) / DOUBLING_MS));
      if (this.rate < this.doubling.upTo) return;
      if (this.doubling.oneFewer) {
        this.callers--;
        this.tookShare = { at: now, until: now + PROBATION_MS, answers: 0, limited: 0 };
      }
      this.doubling = undefined;
      this.doublingEnded = this.calmSince = now;
      return;
    }
    this.rate = Math.min(this.top, this.rate + (this.ceiling * CLIMB_PER_SECOND * (now - from)) / 1000);
    const calmMs = Math.max(
      MIN_CALM_MS,
      (CALM_FACTOR * 1000 * (1 - HEADROOM)) / (this.callers * CLIMB_PER_SECOND),
    );
    if (this.callers > 1 && now - this.calmSince >= calmMs) {
      this.doubling = { upTo: this.top / (this.callers - 1), oneFewer: true };
    }
  }
}

/** Rate-limited answers among last second's, taken of at least half a second's calls at `rate`. */
function limitedShare(admitted: number, limited: number, rate: number): number {
  return limited / Math.max(admitted + limited, rate * MIN_ANSWERS_SHARE);
}
