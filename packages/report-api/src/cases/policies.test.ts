import { describe, expect, it } from 'vitest';
import type { Case } from '../db/cases.js';
import { matchingPolicy } from './policies.js';

const day = (kinds: string[], reasons: string[]) => ({ kinds, reasons, requests: 10 });
const caseWith = (evidence: Record<string, ReturnType<typeof day>>) => ({ evidence }) as unknown as Case;
const burst = 'burst of 120 4xx/5xx in 30 s at 14:02';

describe('auto-deny policies', () => {
  it('scanner-probe needs both kinds on the same day', () => {
    const on = { autoDeny: ['scanner-probe' as const], expiry: '7d' as const };
    expect(matchingPolicy(caseWith({ d: day(['probe', 'scanner'], []) }), 'd', on)).toBe('scanner-probe');
    expect(matchingPolicy(caseWith({ d: day(['scanner'], []) }), 'd', on)).toBeNull();
    expect(matchingPolicy(caseWith({ d: day(['probe', 'scanner'], []) }), 'd', { ...on, autoDeny: [] })).toBeNull();
  });

  it('repeat-bursts counts bursts on the same or the previous day', () => {
    const on = { autoDeny: ['repeat-bursts' as const], expiry: '7d' as const };
    expect(matchingPolicy(caseWith({ '2026-12-04': day(['burst'], [burst, burst]) }), '2026-12-04', on)).toBe(
      'repeat-bursts',
    );
    const twoDays = caseWith({ '2026-12-03': day(['burst'], [burst]), '2026-12-04': day(['burst'], [burst]) });
    expect(matchingPolicy(twoDays, '2026-12-04', on)).toBe('repeat-bursts');
    const apart = caseWith({ '2026-12-01': day(['burst'], [burst]), '2026-12-04': day(['burst'], [burst]) });
    expect(matchingPolicy(apart, '2026-12-04', on)).toBeNull();
  });
});
