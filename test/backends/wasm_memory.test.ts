import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearMemory, sizeClass } from '../../src/backends/wasm/memory.js';

test('linear memory: freed blocks of a size class are reused, so a repeated step does not grow memory', () => {
  const mem = new LinearMemory(new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }), 1024);
  const step = () => [100, 4000, 64, 100].map((b) => [mem.alloc(b), b] as const);
  const first = step();
  for (const [p, b] of first) mem.free(p, b);
  const high = mem.highWater;
  const second = step();
  assert.equal(mem.highWater, high);
  assert.deepEqual(new Set(second.map(([p]) => p)), new Set(first.map(([p]) => p)));
  assert.ok(second.every(([p]) => p % 16 === 0), '16-byte aligned');
  assert.equal(sizeClass(1025), 1280);
});

test('linear memory: a request beyond the maximum fails cleanly and the heap stays usable', () => {
  const mem = new LinearMemory(new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true }), 1024);
  const before = mem.highWater;
  assert.throws(() => mem.alloc(10 * 65536), /out of WebAssembly memory/);
  assert.equal(mem.highWater, before);
  const p = mem.alloc(1000);
  assert.ok(p >= before && p + 1000 <= 4 * 65536);
});
