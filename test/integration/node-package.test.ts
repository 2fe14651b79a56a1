// sagemaker-rx/node as a user gets it: the built package, resolved through package.json `exports`
// by a separate Node process (ESM `import` and CommonJS `require`).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const probe = `
  const names = ['enrichRecords', 'enrichJsonLines', 'pullFrom', 'CircuitOpenError', 'spliceAnswer'];
  const line = '{"id":12345678901234567891,"p":1.10}';
  const out = m.spliceAnswer(line, JSON.parse(line), ['x'], '1');
  console.log(JSON.stringify({ kinds: names.map((n) => typeof m[n]), out }));
`;

function run(args: string[]): { kinds: string[]; out: string } {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }));
}

describe('sagemaker-rx/node from the built package', () => {
  it.each([
    ['ESM', ['--input-type=module', '-e', `const m = await import('sagemaker-rx/node');${probe}`]],
    ['CommonJS', ['-e', `const m = require('sagemaker-rx/node');${probe}`]],
  ])('loads with %s and splices losslessly', (_name, args) => {
    const result = run(args);
    expect(result.kinds).toEqual(['function', 'function', 'function', 'function', 'function']);
    expect(result.out).toBe('{"id":12345678901234567891,"p":1.10,"x":1}');
  });
});
