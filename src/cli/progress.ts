/**
 * A progress bar on stderr, only when stderr is a terminal and the work has run for over a
 * second: pipes and CI logs stay clean.
 */
export function progressBar(label: string): { update: (done: number, total: number) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let shown = false;
  return {
    update(done, total) {
      if (!tty || Date.now() - started < 1000) return;
      shown = true;
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
