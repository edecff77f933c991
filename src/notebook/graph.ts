/**
 * The dependency graph of a notebook: which cell defines which table name and which cells read it.
 * Pure data in, pure data out (Observable's runtime keeps errors as values the same way): a cycle,
 * an unknown name or a name defined twice becomes an error on the cells involved, never a throw.
 */

/** What the graph needs to know about one cell. Table names are compared case-insensitively. */
export interface CellDeps<Id extends string = string> {
  id: Id;
  /** Names this cell makes available to later cells (its `name=`, tables its SQL creates). */
  defines: string[];
  /** Table names this cell's code reads. */
  reads: string[];
}

export type GraphError =
  | { kind: 'cycle'; cells: string[]; message: string }
  | { kind: 'unknown-name'; name: string; message: string }
  | { kind: 'duplicate-name'; name: string; message: string };

export interface DependencyGraph<Id extends string = string> {
  /** Cells in an order where every cell comes after the cells it reads from (stable: page order otherwise). */
  order: Id[];
  /** cell → the cells it reads from. */
  upstream: Map<Id, Set<Id>>;
  /** cell → the cells that read from it. */
  downstream: Map<Id, Set<Id>>;
  /** name (lower case) → the cell defining it. */
  definedBy: Map<string, Id>;
  /** Errors by cell; a cell with errors must not run. */
  errors: Map<Id, GraphError[]>;
}

export function buildGraph<Id extends string>(cells: CellDeps<Id>[], externalTables: Iterable<string> = []): DependencyGraph<Id> {
  const external = new Set([...externalTables].map((n) => n.toLowerCase()));
  const errors = new Map<Id, GraphError[]>();
  const addError = (id: Id, error: GraphError) => errors.set(id, [...(errors.get(id) ?? []), error]);

  const definedBy = new Map<string, Id>();
  for (const cell of cells) {
    for (const raw of new Set(cell.defines.map((n) => n.toLowerCase()))) {
      const owner = definedBy.get(raw);
      if (owner !== undefined && owner !== cell.id) {
        const message = `"${raw}" is defined by two cells; rename one of them.`;
        addError(cell.id, { kind: 'duplicate-name', name: raw, message });
        addError(owner, { kind: 'duplicate-name', name: raw, message });
      } else {
        definedBy.set(raw, cell.id);
      }
    }
  }

  const upstream = new Map<Id, Set<Id>>(cells.map((c) => [c.id, new Set<Id>()]));
  const downstream = new Map<Id, Set<Id>>(cells.map((c) => [c.id, new Set<Id>()]));
  for (const cell of cells) {
    const own = new Set(cell.defines.map((n) => n.toLowerCase()));
    for (const raw of new Set(cell.reads.map((n) => n.toLowerCase()))) {
      if (own.has(raw)) continue;
      const owner = definedBy.get(raw);
      if (owner !== undefined) {
        upstream.get(cell.id)!.add(owner);
        downstream.get(owner)!.add(cell.id);
      } else if (!external.has(raw)) {
        addError(cell.id, {
          kind: 'unknown-name',
          name: raw,
          message: `Unknown table "${raw}": no loaded file or cell defines it. Add the file or a cell with name=${raw}.`,
        });
      }
    }
  }

  const { order, cyclic } = topologicalOrder(cells.map((c) => c.id), upstream);
  for (const component of cyclic) {
    const names = component.map((id) => cells.find((c) => c.id === id)?.defines[0] ?? id);
    const message = `These cells depend on each other in a cycle: ${names.join(' → ')} → ${names[0]}. Break the cycle.`;
    for (const id of component) addError(id, { kind: 'cycle', cells: component, message });
  }
  return { order, upstream, downstream, definedBy, errors };
}

/**
 * Kahn's algorithm, taking ready cells in page order so independent cells keep their place. Cells left
 * over sit on or behind a cycle; the cycles themselves are found as strongly connected components.
 */
function topologicalOrder<Id extends string>(ids: Id[], upstream: Map<Id, Set<Id>>): { order: Id[]; cyclic: Id[][] } {
  const position = new Map(ids.map((id, i) => [id, i]));
  const remaining = new Map(ids.map((id) => [id, upstream.get(id)!.size]));
  const dependents = new Map<Id, Id[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const up of upstream.get(id)!) dependents.get(up)!.push(id);
  const ready = ids.filter((id) => remaining.get(id) === 0);
  const order: Id[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const next = ready.shift()!;
    order.push(next);
    for (const dependent of dependents.get(next)!) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  const stuck = ids.filter((id) => !order.includes(id));
  return { order: [...order, ...stuck], cyclic: stronglyConnected(stuck, upstream) };
}

/** Tarjan's algorithm, restricted to `ids`; only components that are real cycles are returned. */
function stronglyConnected<Id extends string>(ids: Id[], upstream: Map<Id, Set<Id>>): Id[][] {
  const inScope = new Set(ids);
  const index = new Map<Id, number>();
  const low = new Map<Id, number>();
  const stack: Id[] = [];
  const onStack = new Set<Id>();
  const components: Id[][] = [];
  let counter = 0;
  const visit = (id: Id) => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    for (const next of upstream.get(id)!) {
      if (!inScope.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id)!, index.get(next)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: Id[] = [];
      let member: Id;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      const selfLoop = component.length === 1 && upstream.get(id)!.has(id);
      if (component.length > 1 || selfLoop) components.push(component.reverse());
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return components;
}

/** The cells that must re-run after `changed` ran or was edited: its transitive readers, in graph order. */
export function downstreamOf<Id extends string>(graph: DependencyGraph<Id>, changed: Iterable<Id>): Id[] {
  const seen = new Set<Id>();
  const pending = [...changed];
  while (pending.length > 0) {
    const id = pending.pop()!;
    for (const reader of graph.downstream.get(id) ?? []) {
      if (!seen.has(reader)) {
        seen.add(reader);
        pending.push(reader);
      }
    }
  }
  return graph.order.filter((id) => seen.has(id));
}

/** The cells `target` needs, transitively, in graph order (for "run above" and for a stale input). */
export function upstreamOf<Id extends string>(graph: DependencyGraph<Id>, target: Id): Id[] {
  const seen = new Set<Id>();
  const pending = [target];
  while (pending.length > 0) {
    const id = pending.pop()!;
    for (const source of graph.upstream.get(id) ?? []) {
      if (!seen.has(source)) {
        seen.add(source);
        pending.push(source);
      }
    }
  }
  return graph.order.filter((id) => seen.has(id));
}
