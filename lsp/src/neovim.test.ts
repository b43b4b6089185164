// A real editor: headless Neovim (0.7+) runs the built server: the examples' findings at their places, and what it saves or edits with no file watching.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, EMPTY_CONFIG, LineIndex, lint, resolveRules, RULES } from '@kubereach/core';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { workloadLabelled } from './testing/fixtures.js';

const serverBin = fileURLToPath(new URL('../bin/kubereach-lsp.js', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/shop/', import.meta.url));
const target = join(examples, 'policies.yaml');

/** Waits are bounded twice: inside Neovim (vim.wait) and around the process (spawnSync timeout). */
const LUA = `
local result = nil
local client_id = vim.lsp.start_client({
  cmd = { %NODE%, %BIN%, '--stdio' },
  root_dir = %ROOT%,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, params)
      if params.uri == vim.uri_from_fname(%FILE%) and #params.diagnostics > 0 then result = params end
    end,
  },
})
vim.cmd('edit ' .. vim.fn.fnameescape(%FILE%))
vim.lsp.buf_attach_client(0, client_id)
local ok = vim.wait(20000, function() return result ~= nil end, 50)
local out = io.open(%OUT%, 'w')
out:write(ok and vim.fn.json_encode(result) or '{"timeout":true}')
out:close()
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
`;

const lua = (text: string) => JSON.stringify(text);

/** Runs a Lua script in headless Neovim with `%NAME%` placeholders filled, and returns what it wrote to `%OUT%`. */
function runNeovim(template: string, values: Readonly<Record<string, string>>): unknown {
  const folder = mkdtempSync(join(tmpdir(), 'kubereach-nvim-'));
  const out = join(folder, 'out.json');
  const script = join(folder, 'test.lua');
  const filled = Object.entries({ ...values, NODE: process.execPath, BIN: serverBin, OUT: out }).reduce((text, [name, value]) => text.replaceAll(`%${name}%`, lua(value)), template);
  writeFileSync(script, filled);
  // No skip when Neovim is missing: the editor test is part of the suite (.ci/run installs it).
  // The last command quits even when the script fails before its own `qa!`.
  const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${script}`, '-c', 'qa!'], { timeout: 90_000, encoding: 'utf8' });
  expect(run.error, `nvim could not run (install it: apt-get install neovim): ${String(run.error)}`).toBeUndefined();
  return JSON.parse(readFileSync(out, 'utf8'));
}

/**
 * Neovim 0.7 as docs/editors.md sets it up watches no file: the server learns of files written through saves, and of
 * the config through its open buffer. Each step waits for what it expects (bounded), then records the policy's codes.
 */
const SAVES_LUA = `
local latest = {}
local client_id = vim.lsp.start_client({
  cmd = { %NODE%, %BIN%, '--stdio' },
  root_dir = %ROOT%,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(_, params) latest[vim.uri_to_fname(params.uri)] = params.diagnostics end,
  },
})
local function codes(name)
  local found = {}
  for _, d in ipairs(latest[name] or {}) do table.insert(found, d.code) end
  table.sort(found)
  return found
end
local function has(name, code) return vim.tbl_contains(codes(name), code) end
local steps = {}
local function step(name, done)
  local ok = vim.wait(15000, done, 50)
  table.insert(steps, { name = name, ok = ok, codes = codes(%POLICY%) })
end
local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  vim.lsp.buf_attach_client(0, client_id)
end

local ran, problem = pcall(function()
open(%POLICY%)
step('opened', function() return has(%POLICY%, 'policy-selects-nothing') end)

-- The workload edited to match the policy, written and its buffer wiped: the server has only the file now.
open(%WORKLOADS%)
vim.api.nvim_buf_set_lines(0, 0, -1, false, vim.split(%MATCHING%, '\\n'))
step('edited', function() return not has(%POLICY%, 'policy-selects-nothing') end)
vim.cmd('write')
vim.cmd('bwipeout')
vim.wait(1000)
step('saved and closed', function() return true end)

-- A config never written: its unsaved text is the config.
open(%CONFIG%)
vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'cni: calico' })
step('unsaved config', function() return latest[%POLICY%] ~= nil and not has(%POLICY%, 'cni-profile') end)
end)
if not ran then table.insert(steps, { error = tostring(problem) }) end

local out = io.open(%OUT%, 'w')
out:write(vim.fn.json_encode(steps))
out:close()
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
`;

/** What the CLI reports for the same folder, 1-based line/column turned into LSP's 0-based positions here, independently. */
function expectedFindings(): string[] {
  const sources = readdirSync(examples).filter((f) => f.endsWith('.yaml')).map((f) => ({ path: join(examples, f), text: readFileSync(join(examples, f), 'utf8') }));
  const findings = lint(analyze(sources), resolveRules(RULES, EMPTY_CONFIG)).findings.filter((f) => f.location.file === target);
  const index = new LineIndex(readFileSync(target, 'utf8'));
  return findings.map((f) => {
    const start = index.lineColumn(f.location.range.start);
    const end = index.lineColumn(f.location.range.end);
    return `${f.ruleId} ${start.line - 1}:${start.column - 1}-${end.line - 1}:${end.column - 1}`;
  });
}

describe('Neovim with kubereach-lsp', () => {
  it('shows the examples findings at the right places', () => {
    const received = runNeovim(LUA, { ROOT: examples, FILE: target }) as PublishDiagnosticsParams | { timeout: true };
    expect(received).not.toHaveProperty('timeout');
    const params = received as PublishDiagnosticsParams;
    expect(params.uri).toBe(pathToFileURL(target).href);
    const shown = params.diagnostics.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
    expect(shown.sort()).toEqual(expectedFindings().sort());

    // One finding pinned by hand: the api policy admits the Service port 80, not the container's 8080.
    const lines = readFileSync(target, 'utf8').split('\n');
    const line = lines.findIndex((text, k) => /^\s*- port: 80$/.test(text) && lines.slice(0, k).some((l) => l.includes('name: api-ingress')));
    const character = lines[line]!.indexOf('port: 80');
    expect(params.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'port-not-served', range: { start: { line, character }, end: { line, character: character + 'port: 80'.length } } }),
    );
  });
  it('follows a file saved and an unsaved .kubereach.yaml, with no file watching (Neovim 0.7)', () => {
    const root = mkdtempSync(join(tmpdir(), 'kubereach-nvim-ws-'));
    const policy = join(root, 'policy.yaml');
    writeFileSync(policy, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: other}\nspec:\n  podSelector: {matchLabels: {app: nothing}}\n  policyTypes: [Ingress]\n');
    writeFileSync(join(root, 'workloads.yaml'), workloadLabelled('something'));
    const steps = runNeovim(SAVES_LUA, {
      ROOT: root,
      POLICY: policy,
      WORKLOADS: join(root, 'workloads.yaml'),
      MATCHING: workloadLabelled('nothing').trimEnd(),
      CONFIG: join(root, '.kubereach.yaml'),
    });
    expect(steps).toEqual([
      { name: 'opened', ok: true, codes: ['cni-profile', 'policy-selects-nothing'] },
      { name: 'edited', ok: true, codes: ['cni-profile'] },
      // The saved text, not the one read at the start.
      { name: 'saved and closed', ok: true, codes: ['cni-profile'] },
      { name: 'unsaved config', ok: true, codes: [] },
    ]);
  });
});
