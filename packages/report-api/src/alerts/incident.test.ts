import { describe, expect, it } from 'vitest';
import { createIncidentTracker } from './incident.js';

const burst = (title: string) => ({ siteId: 's1', kind: 'burst' as const, key: 'site', title, lines: [] });

describe('createIncidentTracker', () => {
  it('alerts once per incident and resolves after the cool-down', () => {
    const incidents = createIncidentTracker({ coolDownMs: { burst: 60_000 } });
    expect(incidents.active(burst('150 errors'), 1000)).toMatchObject({
      state: 'alert',
      title: '150 errors',
      openedAt: 1000,
    });
    expect(incidents.active(burst('170 errors'), 11_000)).toBeNull();
    expect(incidents.resolveQuiet(50_000)).toEqual([]);
    const [resolved] = incidents.resolveQuiet(71_000);
    expect(resolved).toMatchObject({ state: 'resolved', title: 'Resolved: 150 errors', openedAt: 1000, at: 71_000 });
    expect(incidents.isOpen('s1', 'burst', 'site')).toBe(false);
  });

  it('a condition that returns inside the cool-down continues the same incident (no flapping)', () => {
    const incidents = createIncidentTracker({ coolDownMs: { burst: 60_000 } });
    incidents.active(burst('a'), 0);
    expect(incidents.resolveQuiet(30_000)).toEqual([]);
    expect(incidents.active(burst('a again'), 40_000)).toBeNull();
    expect(incidents.resolveQuiet(90_000)).toEqual([]);
    expect(incidents.resolveQuiet(100_000)).toHaveLength(1);
    expect(incidents.active(burst('new one'), 200_000)).toMatchObject({ state: 'alert', title: 'new one' });
  });

  it('with no cool-down, resolves on the first evaluation that does not see the condition', () => {
    const incidents = createIncidentTracker();
    incidents.active({ siteId: 's1', kind: 'baseline', key: 'site', title: 'spike', lines: [] }, 100);
    expect(incidents.resolveQuiet(100)).toEqual([]);
    expect(incidents.resolveQuiet(101, { siteId: 's2' })).toEqual([]);
    expect(incidents.resolveQuiet(101, { kind: 'burst' })).toEqual([]);
    expect(incidents.resolveQuiet(101, { siteId: 's1', kind: 'baseline' })).toHaveLength(1);
  });

  it('keeps sites and keys apart', () => {
    const incidents = createIncidentTracker();
    expect(incidents.active(burst('x'), 0)).not.toBeNull();
    expect(incidents.active({ ...burst('x'), siteId: 's2' }, 0)).not.toBeNull();
    expect(incidents.active({ ...burst('x'), key: 'other' }, 0)).not.toBeNull();
    expect(incidents.list()).toHaveLength(3);
  });

  it('rejects a negative cool-down', () => {
    expect(() => createIncidentTracker({ coolDownMs: { burst: -1 } })).toThrow(/coolDownMs.burst/);
  });
});
