import { readFileSync } from 'node:fs';
import { buildGraph, type Graph } from '../analytics/graph/csr.ts';

/** Node attributes stored with each case (school-like: for assortativity and geography). */
export type CaseAttributes = {
  phase: string[];
  type: string[];
  fsmBand: number[];
  la: string[];
  grade: number[];
  lat: number[];
  lon: number[];
};

/** One test graph of `test/fixtures/graph/cases.json` (written by test/reference/graph_cases.py). */
export type GraphCase = {
  name: string;
  nodes: number;
  directed: boolean;
  /** As stored: may hold self-loops and duplicates, which `graph` has merged by the csr.ts policy. */
  edges: [number, number, number][];
  attributes: CaseAttributes;
  graph: Graph;
};

const fixtures = new URL('./fixtures/graph/', import.meta.url);

/** Every test graph, built with `buildGraph`. */
export function graphCases(): GraphCase[] {
  const raw = JSON.parse(readFileSync(new URL('cases.json', fixtures), 'utf8')) as Omit<GraphCase, 'graph'>[];
  return raw.map((c) => ({
    ...c,
    graph: buildGraph({ nodes: c.nodes, directed: c.directed, source: c.edges.map((e) => e[0]), target: c.edges.map((e) => e[1]), weight: c.edges.map((e) => e[2]) }),
  }));
}

/** A reference fixture written by one of the test/reference/graph_*.py scripts. */
export function referenceFixture<T>(area: string): T {
  return JSON.parse(readFileSync(new URL(`${area}.json`, fixtures), 'utf8')) as T;
}
