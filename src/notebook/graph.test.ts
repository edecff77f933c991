import { describe, expect, it } from 'vitest';
import { buildGraph, downstreamOf, upstreamOf, type CellDeps } from './graph';

const cell = (id: string, defines: string[], reads: string[]): CellDeps => ({ id, defines, reads });

describe('buildGraph', () => {
  const cells = [
    cell('c4', ['report'], ['clean', 'enriched']),
    cell('c1', ['clean'], ['orders']),
    cell('c2', ['enriched'], ['clean', 'customers']),
    cell('c3', [], ['Customers']),
  ];
  const graph = buildGraph(cells, ['orders', 'customers']);

  it('orders cells after what they read, keeping page order otherwise', () => {
    expect(graph.order).toEqual(['c1', 'c2', 'c4', 'c3']);
    expect(graph.errors.size).toBe(0);
  });

  it('records edges both ways, case-insensitively', () => {
    expect([...graph.upstream.get('c4')!]).toEqual(['c1', 'c2']);
    expect([...graph.downstream.get('c1')!].sort()).toEqual(['c2', 'c4']);
    expect(graph.definedBy.get('clean')).toBe('c1');
  });

  it('finds exactly the downstream cells of an edit', () => {
    expect(downstreamOf(graph, ['c1'])).toEqual(['c2', 'c4']);
    expect(downstreamOf(graph, ['c2'])).toEqual(['c4']);
    expect(downstreamOf(graph, ['c3'])).toEqual([]);
  });

  it('finds the upstream cells of a cell', () => {
    expect(upstreamOf(graph, 'c4')).toEqual(['c1', 'c2']);
  });

  it('lets a cell read what it defines itself (CREATE then SELECT in one cell)', () => {
    const g = buildGraph([cell('a', ['t'], ['t', 'orders'])], ['orders']);
    expect(g.errors.size).toBe(0);
    expect(g.upstream.get('a')!.size).toBe(0);
  });
});

describe('graph errors are values on the cells involved', () => {
  it('reports a cycle on every cell in it, and only there', () => {
    const g = buildGraph([cell('a', ['x'], ['z']), cell('b', ['y'], ['x']), cell('c', ['z'], ['y']), cell('d', ['w'], ['x'])]);
    for (const id of ['a', 'b', 'c']) {
      const error = g.errors.get(id)?.[0];
      expect(error?.kind).toBe('cycle');
      expect(error && error.kind === 'cycle' ? [...error.cells].sort() : []).toEqual(['a', 'b', 'c']);
      expect(g.errors.get(id)?.[0]?.message).toMatch(/cycle: .* → .* → .* → /);
    }
    expect(g.errors.has('d')).toBe(false);
    expect(g.order).toHaveLength(4);
  });

  it('reports a self-reference only when the cell does not define the name', () => {
    const g = buildGraph([cell('a', ['x'], ['y']), cell('b', ['y'], ['y', 'x'])]);
    expect([...g.errors.keys()].sort()).toEqual(['a', 'b']);
  });

  it('reports unknown names on the reading cell', () => {
    const g = buildGraph([cell('a', ['x'], ['ordrs'])], ['orders']);
    expect(g.errors.get('a')).toEqual([expect.objectContaining({ kind: 'unknown-name', name: 'ordrs' })]);
    expect(g.errors.get('a')?.[0]?.message).toMatch(/Unknown table "ordrs"/);
  });

  it('reports a name defined twice on both cells', () => {
    const g = buildGraph([cell('a', ['x'], []), cell('b', ['X'], [])]);
    expect(g.errors.get('a')?.[0]?.kind).toBe('duplicate-name');
    expect(g.errors.get('b')?.[0]?.kind).toBe('duplicate-name');
  });
});
