import { describe, expect, it } from 'vitest';
import { computeFromFacts, computeTypology, disagreements, distanceKm, type TypologyMember } from './typology.ts';

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

describe('dimensions decided from memberships and the collaboration graph', () => {
  const graph = { ties: 6, density: 0.4, degreeCentralisation: 0.1, topGiverShare: 0.3, coreSize: 5, coreFit: 0.8 };
  it('calls a network diffuse when at least half its members belong to other networks too', () => {
    expect(computeFromFacts(4, { inOtherNetworks: 2, graph: null }).diffuseness?.value).toBe('diffuse');
    expect(computeFromFacts(4, { inOtherNetworks: 1, graph: null }).diffuseness?.value).toBe('exclusive');
    expect(computeFromFacts(4, { inOtherNetworks: 1, graph: null }).powerRelations).toBeUndefined();
  });
  it('reads power relations from centralisation and the largest giver’s share', () => {
    expect(computeFromFacts(6, { inOtherNetworks: 0, graph }).powerRelations?.value).toBe('equal');
    expect(computeFromFacts(6, { inOtherNetworks: 0, graph: { ...graph, degreeCentralisation: 0.45 } }).powerRelations?.value).toBe('intermediate');
    expect(computeFromFacts(6, { inOtherNetworks: 0, graph: { ...graph, degreeCentralisation: 0.7 } }).powerRelations?.value).toBe('domination');
    expect(computeFromFacts(6, { inOtherNetworks: 0, graph: { ...graph, topGiverShare: 0.75 } }).powerRelations?.value).toBe('domination');
  });
  it('describes centre and periphery only for networks larger than fifteen', () => {
    expect(computeFromFacts(6, { inOtherNetworks: 0, graph }).centrePeriphery).toBeUndefined();
    expect(computeFromFacts(20, { inOtherNetworks: 0, graph }).centrePeriphery?.value).toBe('core of 5, periphery of 15');
    expect(computeFromFacts(20, { inOtherNetworks: 0, graph: { ...graph, ties: 0 } }).tieDensity).toBeUndefined();
  });
});
