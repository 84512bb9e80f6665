// Copies of plain records with some fields changed, without object literals that start with a
// spread. Node 20's V8 keeps such a literal (`{ ...ticket, status: 'called' }`, `{ ...a, ...b }`)
// alive through young-generation collections, with what it points to: on the hub, every issued
// ticket left ~5 KB that survived, so each scavenge copied ~1.3 MB and paused the hub ~2.5 ms
// instead of ~0.5 ms (measured with `node --trace-gc-nvp`, docs/benchmarks.md "Sixth run").
// Object.assign into a fresh object gives the same copy without it. A lint rule
// (no-restricted-syntax in eslint.config.js) keeps such literals out of the hub's request path.

/** `{ ...base, ...changes }` where `changes` only sets fields `base` has. */
export function withChanges<T extends object>(base: T, changes: Partial<NoInfer<T>>): T {
  return Object.assign({}, base, changes);
}

/** `{ ...a, ...b }`: b's fields win. */
export function merged<A extends object, B extends object>(a: A, b: B): Omit<A, keyof B> & B {
  return Object.assign({}, a, b);
}
