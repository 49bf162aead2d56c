import { describe, expect, it } from 'vitest';
import { formatDuration, Progress } from './progress';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
}

describe('Progress', () => {
  it('line mode prints a line every N percent, with ETA and suffix, and one final line', () => {
    let t = 0;
    const { out, stream } = sink(false);
    const p = new Progress(100, { label: 'job', stream, everyPercent: 25, now: () => t });
    for (let i = 0; i < 100; i++) {
      t += 1000;
      p.tick(1, `i=${i}`);
    }
    p.done();
    // 1% (first), 25, 50, 75, 100 -> 5 lines; done() does not repeat the 100% line.
    expect(out.length).toBe(5);
    expect(out[0]).toBe('job   1% 1/100 ETA 1m39s i=0\n');
    expect(out[1]).toContain(' 25% 25/100 ETA 1m15s i=24');
    expect(out[4]).toBe('job 100% 100/100 in 1m40s i=99\n');
    p.done('again');
    expect(out.length).toBe(5);
  });

  it('tty mode redraws in place, throttled, and ends the line on done', () => {
    let t = 0;
    const { out, stream } = sink(true);
    const p = new Progress(10, { stream, now: () => t, width: 10 });
    p.tick(); // drawn
    p.tick(); // within 100 ms: skipped
    t = 500;
    p.tick(1, 'x');
    p.done('fin');
    expect(out.length).toBe(3);
    expect(out[0].startsWith('\r\x1b[2K')).toBe(true);
    expect(out[1]).toContain('[###-------]  30% 3/10');
    expect(out[2]).toBe('\r\x1b[2K[##########] 100% 10/10 in 1s fin\n');
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('?');
  });
});
