#!/usr/bin/env node
// The Python package, built offline and from the npm tarball, as the release workflow builds it: jsii-pacmak writes the
// Python sources (--code-only: its own build would create a virtualenv and fill it from PyPI), Debian's python3-build
// makes the wheel without build isolation, and Debian's twine checks it. Then the wheel is opened: the module is
// there, its long description (the README, translated by jsii-rosetta from the tablet the tarball ships) shows the
// quick start in Python, and every construct's docstring has its example in Python. Needs dist/js/*.tgz
// (package:js) and the Debian packages python3-build python3-setuptools python3-wheel twine (the README's test
// command installs them). Writes dist/python/*.whl.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const PYTHON = '/usr/bin/python3'; // Debian's, where python3-build lives (not a pyenv or venv one on the PATH)
const QUICK_START_IN_PYTHON = 'PizzaDns(self, "Dns", domain_name="example.com", hosted_zone_id="Z0123456789ABC")';
// every construct's docstring carries its @example, translated
const CONSTRUCTS = [
  'PizzaBudget',
  'PizzaCostReport',
  'PizzaDatabase',
  'PizzaDns',
  'PizzaFrontend',
  'PizzaGitHubDeployRole',
  'PizzaLoadBalancer',
  'PizzaMonitoring',
  'PizzaService',
];

const run = (command, args, cwd = root) => execFileSync(command, args, { cwd, stdio: 'inherit' });

// the tarball, unpacked beside this checkout's node_modules (the release job unpacks it over an `npm ci`)
const tarball = existsSync(join(root, 'dist', 'js')) && readdirSync(join(root, 'dist', 'js')).find((f) => f.endsWith('.tgz'));
if (!tarball) throw new Error('no tarball in dist/js: run `npx projen package:js` first');
const unpacked = mkdtempSync(join(tmpdir(), 'pizza-tarball-'));
run('tar', ['-xzf', join(root, 'dist', 'js', tarball), '-C', unpacked]);
const pkg = join(unpacked, 'package');
for (const file of ['.jsii', '.jsii.tabl.json']) {
  if (!existsSync(join(pkg, file))) throw new Error(`${tarball} does not ship ${file}`);
}
symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));

const code = mkdtempSync(join(tmpdir(), 'pizza-python-'));
run('npx', ['jsii-pacmak', '--code-only', '--targets', 'python', '--outdir', code], pkg);
const out = join(root, 'dist', 'python');
rmSync(out, { recursive: true, force: true });
run(PYTHON, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--wheel', '--outdir', out, '.'], join(code, 'python'));
const wheels = readdirSync(out).filter((f) => f.endsWith('.whl'));
if (wheels.length !== 1) {
  throw new Error(`expected one wheel in ${out}, found: ${wheels.join(', ') || 'none'}`);
}
const wheel = join(out, wheels[0]);
run('twine', ['check', '--strict', wheel]);

// the wheel's contents, read with Python's zipfile
const inspect = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
meta = z.read(next(n for n in names if n.endswith('.dist-info/METADATA'))).decode()
assert 'pizza_constructs/__init__.py' in names, 'no pizza_constructs module in the wheel'
assert 'Name: pizza-constructs' in meta, 'the distribution is not named pizza-constructs'
assert sys.argv[2] in meta, 'the long description has no Python quick start (is .jsii.tabl.json current?)'
assert 'new PizzaDns(' not in meta, 'the long description still has TypeScript in it'
init = z.read('pizza_constructs/__init__.py').decode()
for name in sys.argv[3:]:
    start = init.index('class ' + name + '(')
    doc = init[start:init.index('def __init__', start)]
    assert 'Example::' in doc, name + ': no example in its docstring'
    assert 'new ' not in doc.split('Example::')[1], name + ': its example is still TypeScript'
`;
run(PYTHON, ['-c', inspect, wheel, QUICK_START_IN_PYTHON, ...CONSTRUCTS]);
console.log(`python wheel: ${wheels[0]}, ${(statSync(wheel).size / 1024).toFixed(0)} KB, twine check passed, quick start and ${CONSTRUCTS.length} construct examples in Python`);
