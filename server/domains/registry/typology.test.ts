import { describe, expect, it } from 'vitest';
import { computeTypology, disagreements, distanceKm, type TypologyMember } from './typology.ts';

const member = (over: Partial<TypologyMember> = {}): TypologyMember => ({
  phase: 'primary',
  schoolType: 'community',
  religiousCharacter: null,
  pupilRoll: 300,
  latitude: null,
  longitude: null,
  easting: null,
  northing: null,
  laName: 'Camden',
  region: 'London',
  inspectionGrade: null,
  ...over,
});

describe('computed typology', () => {
  it('counts schools and the n(n−1)/2 possible connections', () => {
    const t = computeTypology('cluster', [member(), member(), member(), member()]);
    expect(t.schoolCount?.value).toBe(4);
    expect(t.possibleConnections?.value).toBe(6);
  });

  it('calls a primary with a secondary cross-phase, two primaries single phase', () => {
    expect(computeTypology('cluster', [member(), member({ phase: 'secondary' })]).phaseSpan?.value).toBe('cross_phase');
    expect(computeTypology('cluster', [member(), member({ phase: 'infant' })]).phaseSpan?.value).toBe('single_phase');
  });

  it('measures geographical spread from coordinates', () => {
    // Haverstock and Parliament Hill schools (Camden), 1.55 km apart; City of London School for
    // Girls 5.03 km from Haverstock (checked with an independent haversine); and one in Leeds.
    const a = member({ latitude: 51.544842, longitude: -0.154354 });
    const b = member({ latitude: 51.558445, longitude: -0.149649 });
    const city = member({ latitude: 51.519129, longitude: -0.094509 });
    const leeds = member({ latitude: 53.835135, longitude: -1.550477 });
    expect(distanceKm({ lat: 51.544842, lon: -0.154354 }, { lat: 51.519129, lon: -0.094509 })).toBeCloseTo(5.031, 3);
    expect(computeTypology('cluster', [a, b]).geographicalSpread?.value).toBe('proximity');
    expect(computeTypology('cluster', [a, b, city]).geographicalSpread?.value).toBe('medium_distance');
    expect(computeTypology('cluster', [a, b, leeds]).geographicalSpread?.value).toBe('high_distance');
  });

  it('falls back to local authorities when members lack coordinates', () => {
    const t = computeTypology('cluster', [member(), member({ laName: 'Islington' })]);
    expect(t.geographicalSpread?.value).toBe('medium_distance');
    expect(t.geographicalSpread?.basis).toMatch(/lack coordinates/);
  });

  it('classifies federation types by the documented rules, overlapping', () => {
    const t = computeTypology('federation', [
      member({ religiousCharacter: 'Roman Catholic', pupilRoll: 90, inspectionGrade: 'outstanding' }),
      member({ religiousCharacter: 'Roman Catholic', pupilRoll: 150, inspectionGrade: 'requires_improvement', phase: 'secondary' }),
    ]);
    expect(t.federationTypes?.value).toEqual(['cross_phase', 'performance', 'size', 'faith']);
  });

  it('recognises a mainstreaming federation and an unclassifiable one', () => {
    expect(computeTypology('federation', [member({ phase: 'special', schoolType: 'special' }), member()]).federationTypes?.value).toEqual(['mainstreaming']);
    expect(computeTypology('federation', [member(), member()]).federationTypes?.value).toEqual(['unclassified']);
  });

  it('lists where the declared typology disagrees with the computed one', () => {
    const computed = computeTypology('federation', [member(), member({ phase: 'secondary' })]);
    const d = disagreements({ muijs: { phaseSpan: 'single_phase', orientation: 'horizontal' }, federationTypes: ['cross_phase'] }, computed);
    expect(d).toEqual([{ dimension: 'phaseSpan', declared: 'single_phase', computed: 'cross_phase', basis: expect.stringContaining('phase band') }]);
  });
});
