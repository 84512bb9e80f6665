// Whom a counter calls when its agent presses "next".
// The decision only looks at the head of each queue (per service, one priority and one normal
// queue), which the hub reads with indexed queries: the cost stays O(number of services) however
// long the queues get. Within one queue the order is always first come, first served; this module
// only arbitrates between queues.
import type { CallPolicy, CallReason, CallRule } from './model';

/** The first waiting ticket of one queue. */
export interface QueueHead {
  ticketId: string;
  serviceId: string;
  priority: boolean;
  queuedAt: number;
  number: string;
}

/** One service of the counter's work profile, with the heads of its two queues. */
export interface ServiceHeads {
  serviceId: string;
  /** The service's weight in the counter's profile; 0 or less means "not served here". */
  weight: number;
  priorityHead: QueueHead | null;
  normalHead: QueueHead | null;
}

export interface CallNextInput {
  heads: ServiceHeads[];
  /** Priority calls in a row at this counter that overtook a waiting normal ticket. */
  priorityStreak: number;
  policy: CallPolicy;
  now: number;
}

export interface CallDecision {
  ticketId: string;
  reason: CallReason;
  /** What the counter's streak becomes once this call is made; the caller stores it. */
  nextPriorityStreak: number;
}

/**
 * The priority streak after a call. Only a priority call that overtook a waiting normal ticket
 * counts: calling priority visitors when nobody else waits harms no one, so it resets the streak
 * like a normal call does. Manual calls follow the same rule, so a counter that hand-picks
 * priority tickets still has to serve a normal one once the cap is reached.
 */
export function nextPriorityStreak(
  streak: number,
  calledPriority: boolean,
  normalWaiting: boolean,
): number {
  return calledPriority && normalWaiting ? streak + 1 : 0;
}

/** Seconds waited, never negative (a head stamped by a clock slightly ahead waited 0 s). */
export function waitedSeconds(queuedAt: number, now: number): number {
  return Math.max(0, now - queuedAt) / 1000;
}

/** Ticket numbers in natural order: A999 before A1000 (plain string order would invert them). */
function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return compareStrings(a, b);
}

// Code-unit order, not localeCompare: the decision must not depend on the runtime's locale.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Who arrived first; number then id break ties so the decision is deterministic. */
export function compareArrival(a: QueueHead, b: QueueHead): number {
  return (
    a.queuedAt - b.queuedAt ||
    compareNumbers(a.number, b.number) ||
    compareStrings(a.ticketId, b.ticketId)
  );
}

interface Candidate {
  head: QueueHead;
  serviceId: string;
  weight: number;
  /** Which queue it heads, which is the ticket's priority flag. */
  priority: boolean;
  waitedMs: number;
  /** waited milliseconds × weight: integers, so equal scores really compare equal. */
  scoreMs: number;
}

function candidate(
  service: ServiceHeads,
  head: QueueHead,
  priority: boolean,
  now: number,
): Candidate {
  const waitedMs = Math.max(0, now - head.queuedAt);
  return {
    head,
    serviceId: service.serviceId,
    weight: service.weight,
    priority,
    waitedMs,
    scoreMs: waitedMs * service.weight,
  };
}

function firstArrived(candidates: Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || compareArrival(c.head, best.head) < 0) best = c;
  return best;
}

function bestScore(candidates: Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!best || c.scoreMs > best.scoreMs) best = c;
    else if (c.scoreMs === best.scoreMs && compareArrival(c.head, best.head) < 0) best = c;
  }
  return best;
}

/**
 * The ticket the counter should call, or null when none of its services has anyone waiting.
 * Rules, in order:
 * a) aging: a head that waited `agingThresholdSec` or more means the oldest head goes first,
 *    whatever its service or priority, so no one waits forever behind a stream of newcomers;
 * b) priority: the best-scored priority head, unless this counter already let `priorityCap`
 *    priority tickets in a row overtake a waiting normal one;
 * c) the best-scored normal head ('priority_cap' if a priority head was held back, else
 *    'weighted').
 * Score = waited seconds × the service's weight in this counter's profile, so a counter leans
 * towards its main service without starving the others: every score grows with time.
 */
export function chooseNext(input: CallNextInput): CallDecision | null {
  const { policy, now, priorityStreak } = input;
  const priorityHeads: Candidate[] = [];
  const normalHeads: Candidate[] = [];
  for (const service of input.heads) {
    if (!(service.weight > 0 && Number.isFinite(service.weight))) continue;
    if (service.priorityHead) {
      priorityHeads.push(candidate(service, service.priorityHead, true, now));
    }
    if (service.normalHead) normalHeads.push(candidate(service, service.normalHead, false, now));
  }
  const normalWaiting = normalHeads.length > 0;

  const decide = (chosen: Candidate, rule: CallRule): CallDecision => {
    const reason: CallReason = {
      rule,
      serviceId: chosen.serviceId,
      waitedSec: Math.round(chosen.waitedMs / 1000),
      weight: chosen.weight,
      priorityStreak,
      priorityCap: policy.priorityCap,
    };
    if (rule === 'aging') reason.agingThresholdSec = policy.agingThresholdSec;
    else reason.score = Math.round(chosen.scoreMs / 1000);
    return {
      ticketId: chosen.head.ticketId,
      reason,
      nextPriorityStreak: nextPriorityStreak(priorityStreak, chosen.priority, normalWaiting),
    };
  };

  const oldest = firstArrived([...priorityHeads, ...normalHeads]);
  if (!oldest) return null;
  if (oldest.waitedMs >= policy.agingThresholdSec * 1000) return decide(oldest, 'aging');

  const bestPriority = bestScore(priorityHeads);
  const bestNormal = bestScore(normalHeads);
  if (bestPriority && (!bestNormal || priorityStreak < policy.priorityCap)) {
    return decide(bestPriority, 'priority');
  }
  if (bestNormal) return decide(bestNormal, bestPriority ? 'priority_cap' : 'weighted');
  return null;
}

/** The reason recorded when staff call a ticket by hand; weight is absent outside the profile. */
export function manualCallReason(
  head: { serviceId: string; queuedAt: number },
  weight: number | undefined,
  now: number,
): CallReason {
  const reason: CallReason = {
    rule: 'manual',
    serviceId: head.serviceId,
    waitedSec: Math.round(waitedSeconds(head.queuedAt, now)),
  };
  if (weight !== undefined) reason.weight = weight;
  return reason;
}
