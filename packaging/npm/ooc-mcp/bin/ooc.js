#!/usr/bin/env node
// Launcher for the ooc binary shipped in a per-platform npm package (the esbuild/biome pattern):
// finds the package for this platform, runs its binary with the same arguments, stdin/stdout/stderr
// inherited (the MCP stream passes straight through), forwards termination signals and exits
// with the binary's status. OOC_BINARY overrides the binary (for testing a local build).
'use strict';
const { spawn } = require('child_process');

const PLATFORM_PACKAGES = { 'linux x64': 'ooc-mcp-linux-x64' };

function fail(message) {
  process.stderr.write(`ooc-mcp: ${message}\n`);
  process.exit(1);
}

function binaryPath() {
  if (process.env.OOC_BINARY) return process.env.OOC_BINARY;
  const platform = `${process.platform} ${process.arch}`;
  const pkg = PLATFORM_PACKAGES[platform];
  if (!pkg) {
    fail(`no ooc binary is published for ${platform} (only ${Object.keys(PLATFORM_PACKAGES).join(', ')}); ` +
      'build it from source: see the ooc README');
  }
  try {
    return require.resolve(`${pkg}/bin/ooc`);
  } catch (e) {
    fail(`the package ${pkg} holding the binary is not installed: ` +
      'npm skipped optional dependencies (--omit=optional?); reinstall without that');
  }
}

const child = spawn(binaryPath(), process.argv.slice(2), { stdio: 'inherit' });
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const signal of forwarded) process.on(signal, () => child.kill(signal));
child.on('error', (e) => fail(`cannot run ${child.spawnfile}: ${e.message}`));
child.on('exit', (code, signal) => {
  if (signal) {
    for (const s of forwarded) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? 1 : code);
});
