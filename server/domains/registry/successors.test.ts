import { describe, expect, it } from 'vitest';
import { isSuccessorLink, type SchoolLink, successorOf } from './successors.ts';

const link = (urn: number, link_urn: number, link_type = 'Successor', established_on: string | null = null): SchoolLink => ({ urn, link_urn, link_type, established_on });

describe('successorOf', () => {
  it('follows successor links of every kind transitively, nearest first', () => {
    const links = [link(100118, 132837), link(132837, 143599, 'Successor - merged'), link(143599, 100118, 'Predecessor'), link(132837, 100118, 'Predecessor')];
    expect(successorOf(links, 100118)).toEqual([132837, 143599]);
    expect(successorOf(links, 143599)).toEqual([]);
  });

  it('stops at a cycle (the register links 101144 and 101146 as each other’s successor)', () => {
    const links = [link(101144, 101146, 'Successor - merged', '2022-08-31'), link(101146, 101144, 'Successor - merged', '2022-08-31')];
    expect(successorOf(links, 101146)).toEqual([101144]);
    expect(successorOf(links, 101144)).toEqual([101146]);
  });

  it('picks one branch of a split steadily: preferred, then latest link, then lowest URN', () => {
    const links = [link(100001, 200002, 'Successor - Split School', '2019-09-01'), link(100001, 200001, 'Successor - Split School', '2020-09-01'), link(100001, 200003, 'Successor - Split School', '2020-09-01')];
    expect(successorOf(links, 100001)).toEqual([200001]);
    expect(successorOf(links, 100001, (u) => u === 200002)).toEqual([200002]);
  });

  it('ignores predecessor, amalgamation and sixth-form links', () => {
    expect(['Successor', 'Successor - amalgamated', 'successor - merged'].every(isSuccessorLink)).toBe(true);
    expect(['Predecessor', 'Result of Amalgamation', 'Sixth Form Centre Link', 'Merged - change in age range'].some(isSuccessorLink)).toBe(false);
  });
});
