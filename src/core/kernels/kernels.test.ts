import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binConvBytes, binConvModule } from './binconv';

const root = path.resolve(import.meta.dirname, '../../..');

describe('committed WASM kernels', () => {
  it('match their AssemblyScript source (rebuilt with npm’s assemblyscript)', () => {
    // Exits non-zero, naming the stale file, when the committed module differs from a fresh build.
    const run = () =>
      execFileSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], {
        cwd: root,
        stdio: 'pipe',
      });
    expect(run).not.toThrow();
  });

  for (const variant of ['relaxed', 'simd'] as const)
    it(`import only the backend memory and hold no data segment or global (they write nothing but their buffers): ${variant} build`, () => {
      const bytes = binConvBytes(variant);
      const m = new WebAssembly.Module(bytes as BufferSource);
      expect(WebAssembly.Module.imports(m)).toEqual([
        { module: 'env', name: 'memory', kind: 'memory' },
      ]);
      expect(
        WebAssembly.Module.exports(m)
          .map((e) => e.name)
          .sort(),
      ).toEqual(['binConv', 'concatChannels', 'pixelShuffleAdd']);
      expect(sectionIds(bytes)).not.toContain(11); // data
      expect(sectionIds(bytes)).not.toContain(6); // globals (AssemblyScript's heap base)
    });

  it('the plain build validates without relaxed SIMD, the relaxed one differs from it', () => {
    expect(binConvBytes('relaxed')).not.toEqual(binConvBytes('simd'));
    expect(binConvModule()).toBeInstanceOf(WebAssembly.Module);
  });
});

/** Ids of the sections of a .wasm binary (after the 8-byte header: id, LEB128 size, body). */
function sectionIds(b: Uint8Array): number[] {
  const ids: number[] = [];
  for (let i = 8; i < b.length;) {
    ids.push(b[i++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = b[i++];
      size |= (byte & 127) << shift;
      if (!(byte & 128)) break;
    }
    i += size;
  }
  return ids;
}
