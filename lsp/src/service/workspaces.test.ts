// The editor's workspace over a file system in memory: URIs however spelled, folders, configs, watcher events, saves.
import { describe, expect, it } from 'vitest';
import { isManifestPath, isSkippedBelow, pathBelow } from './file-names.js';
import { Workspaces, type FileChange, type WorkspaceFileSystem } from './workspaces.js';
import { lonelyPolicy, POLICY, RULES_OFF, WORKLOADS } from '../testing/fixtures.js';

/** Files by absolute POSIX path; a folder is any path holding one. */
class MemoryFileSystem implements WorkspaceFileSystem {
  readonly files: Map<string, string>;

  constructor(files: Readonly<Record<string, string>>) {
    this.files = new Map(Object.entries(files));
  }

  listManifestFiles(folder: string): string[] {
    return [...this.files.keys()].filter((path) => pathBelow(folder, path, false) && isManifestPath(path) && !isSkippedBelow(folder, path, { windows: false })).sort();
  }

  readTextFile(path: string): string | undefined {
    return this.files.get(path);
  }

  isFile(path: string): boolean {
    return this.files.has(path);
  }

  isDirectory(path: string): boolean {
    return [...this.files.keys()].some((file) => file.startsWith(`${path}/`));
  }

  removeBelow(folder: string): void {
    for (const path of [...this.files.keys()]) if (path.startsWith(`${folder}/`)) this.files.delete(path);
  }
}


function workspaces(files: Readonly<Record<string, string>>, folders: readonly string[]): { ws: Workspaces; fs: MemoryFileSystem } {
  const fs = new MemoryFileSystem(files);
  const ws = new Workspaces(fs, false);
  ws.changeFolders(folders, []);
  return { ws, fs };
}

const codes = (ws: Workspaces, uri: string): string[] => (ws.diagnostics().get(uri) ?? []).map((d) => String(d.code));
const event = (uri: string, type: FileChange['type']): FileChange => ({ uri, type });

describe('URIs however spelled', () => {
  it('knows an open file by its path: analyzed once, under one URI, closed and deleted whatever the spelling', () => {
    const { ws, fs } = workspaces({ '/ws/team@corp/policy.yaml': POLICY, '/ws/team@corp/workloads.yaml': WORKLOADS }, ['file:///ws/team%40corp']);
    // As VS Code spells it: `@` is %40.
    ws.openDocument('file:///ws/team%40corp/policy.yaml', POLICY);
    const diagnostics = ws.diagnostics();
    expect([...diagnostics.keys()].sort()).toEqual(['file:///ws/team@corp/policy.yaml', 'file:///ws/team@corp/workloads.yaml']);
    expect(codes(ws, 'file:///ws/team@corp/policy.yaml')).not.toContain('duplicate-policy-name');
    expect(codes(ws, 'file:///ws/team@corp/policy.yaml')).toContain('port-not-served');

    ws.closeDocument('file:///ws/team@corp/policy.yaml');
    fs.files.delete('/ws/team@corp/workloads.yaml');
    ws.changeFiles([event('file:///ws/team%40corp/workloads.yaml', 'deleted')]);
    expect(ws.uris()).toEqual(['file:///ws/team@corp/policy.yaml']);
    expect(ws.takeTouched()).toContain('file:///ws/team@corp/workloads.yaml');
  });

  it("names other files in messages by their path in the folder, as the CLI prints it, not by URI", () => {
    const { ws } = workspaces({ '/ws/a.yaml': lonelyPolicy('twice'), '/ws/b.yaml': lonelyPolicy('twice') }, ['file:///ws']);
    const messages = [...ws.diagnostics().values()].flat().map((d) => d.message);
    expect(messages).toContainEqual(expect.stringContaining('is already defined (in a.yaml)'));
    expect(messages.filter((m) => m.includes('file:'))).toEqual([]);
  });
});

describe('workspace folders', () => {
  const files = {
    '/mr/a/.kubereach.yaml': RULES_OFF,
    '/mr/a/policy.yaml': lonelyPolicy('p'),
    '/mr/b/.kubereach.yaml': 'cni: calico\nignore:\n  - ignored.yaml\n',
    '/mr/b/policy.yaml': lonelyPolicy('q'),
    '/mr/b/ignored.yaml': lonelyPolicy('i'),
    '/mr/c/policy.yaml': lonelyPolicy('p'),
  };

  it('analyzes each folder under its own nearest config, as `kubereach lint <folder>` does', () => {
    const { ws } = workspaces(files, ['file:///mr/a', 'file:///mr/b', 'file:///mr/c']);
    expect(codes(ws, 'file:///mr/a/policy.yaml')).toEqual(['cni-profile']);
    expect(codes(ws, 'file:///mr/b/policy.yaml')).toEqual(['policy-selects-nothing']);
    expect(ws.uris()).not.toContain('file:///mr/b/ignored.yaml');
    expect(codes(ws, 'file:///mr/c/policy.yaml').sort()).toEqual(['cni-profile', 'policy-selects-nothing']);
    // Separate analyses: the same policy name in a and c is no duplicate.
    expect(codes(ws, 'file:///mr/c/policy.yaml')).not.toContain('duplicate-policy-name');
    expect(ws.mainSnapshot('file:///mr/b/policy.yaml').analysis.cni.profile.id).toBe('calico');
    expect(ws.mainSnapshot().analysis.cni.profile.id).toBe('generic');
  });

  it('adds and removes folders: the added scanned, the removed dropped, an open document moving out with its config', () => {
    const { ws } = workspaces(files, ['file:///mr/a']);
    ws.openDocument('file:///mr/a/policy.yaml', lonelyPolicy('p'));
    ws.takeTouched();
    ws.changeFolders(['file:///mr/b'], []);
    expect(codes(ws, 'file:///mr/b/policy.yaml')).toEqual(['policy-selects-nothing']);
    ws.changeFolders([], ['file:///mr/a']);
    expect(ws.uris()).toEqual(['file:///mr/a/policy.yaml', 'file:///mr/b/policy.yaml']);
    // Still open, outside every folder now: under the config nearest to it, which is still a's.
    expect(codes(ws, 'file:///mr/a/policy.yaml')).toEqual(['cni-profile']);
    ws.closeDocument('file:///mr/a/policy.yaml');
    expect(ws.uris()).toEqual(['file:///mr/b/policy.yaml']);
    expect(ws.takeTouched()).toContain('file:///mr/a/policy.yaml');
    expect(ws.diagnostics().has('file:///mr/a/policy.yaml')).toBe(false);
  });

  it('takes the configFile setting for every folder, relative to the first', () => {
    const { ws } = workspaces({ ...files, '/mr/a/shared.yaml': 'cni: calico\n' }, ['file:///mr/a', 'file:///mr/c']);
    expect(ws.setSettings({ configFile: 'shared.yaml' })).toEqual([]);
    expect(ws.mainSnapshot('file:///mr/a/policy.yaml').analysis.cni.profile.id).toBe('calico');
    expect(ws.mainSnapshot('file:///mr/c/policy.yaml').analysis.cni.profile.id).toBe('calico');
    // Named by the setting, the config is no manifest of the folder holding it.
    expect(ws.uris()).not.toContain('file:///mr/a/shared.yaml');
    ws.setSettings({});
    expect(ws.mainSnapshot('file:///mr/c/policy.yaml').analysis.cni.profile.id).toBe('generic');
  });

  it('puts a file of nested folders in the innermost', () => {
    const { ws } = workspaces(files, ['file:///mr', 'file:///mr/b']);
    expect(ws.mainSnapshot('file:///mr/b/policy.yaml').analysis.cni.profile.id).toBe('calico');
    expect(ws.mainSnapshot('file:///mr/a/policy.yaml').analysis.cni.profile.id).toBe('generic');
    expect(ws.uris().filter((uri) => uri === 'file:///mr/b/policy.yaml')).toHaveLength(1);
  });
});

describe('watcher events', () => {
  it('drops every file below a deleted folder, and scans a folder created or renamed', () => {
    const { ws, fs } = workspaces({ '/ws/policy.yaml': POLICY, '/ws/sub/deep/workloads.yaml': WORKLOADS }, ['file:///ws']);
    expect(ws.uris()).toContain('file:///ws/sub/deep/workloads.yaml');
    fs.removeBelow('/ws/sub');
    ws.changeFiles([event('file:///ws/sub', 'deleted')]);
    expect(ws.uris()).toEqual(['file:///ws/policy.yaml']);
    expect(ws.takeTouched()).toContain('file:///ws/sub/deep/workloads.yaml');
    // A rename: the old folder deleted, the new one created.
    fs.files.set('/ws/moved/deep/workloads.yaml', WORKLOADS);
    ws.changeFiles([event('file:///ws/moved', 'created')]);
    expect(ws.uris()).toEqual(['file:///ws/moved/deep/workloads.yaml', 'file:///ws/policy.yaml']);
  });

  it('skips files under node_modules and .git as the scan does, whether created, opened or in a folder created', () => {
    const { ws, fs } = workspaces({ '/ws/policy.yaml': POLICY }, ['file:///ws']);
    fs.files.set('/ws/node_modules/pkg/np.yaml', lonelyPolicy('from-node-modules'));
    fs.files.set('/ws/.git/x/np.yaml', lonelyPolicy('from-git'));
    ws.changeFiles([
      event('file:///ws/node_modules/pkg/np.yaml', 'created'),
      event('file:///ws/.git/x/np.yaml', 'changed'),
      event('file:///ws/node_modules', 'created'),
      event('file:///ws/node_modules/pkg', 'created'),
    ]);
    ws.openDocument('file:///ws/node_modules/pkg/np.yaml', lonelyPolicy('from-node-modules'));
    expect(ws.uris()).toEqual(['file:///ws/policy.yaml']);
    expect(ws.snapshotFor('file:///ws/node_modules/pkg/np.yaml')).toBeUndefined();
  });

  it('takes a config file created, changed and deleted on disk', () => {
    const { ws, fs } = workspaces({ '/ws/policy.yaml': lonelyPolicy('p') }, ['file:///ws']);
    fs.files.set('/ws/.kubereach.yaml', RULES_OFF);
    ws.changeFiles([event('file:///ws/.kubereach.yaml', 'created')]);
    expect(codes(ws, 'file:///ws/policy.yaml')).toEqual(['cni-profile']);
    fs.files.delete('/ws/.kubereach.yaml');
    ws.changeFiles([event('file:///ws/.kubereach.yaml', 'deleted')]);
    expect(codes(ws, 'file:///ws/policy.yaml')).toContain('policy-selects-nothing');
  });
});

describe('clients watching no file (Neovim 0.7)', () => {
  it("takes an open config's unsaved text as the config, even before it is saved, and the file again once closed", () => {
    const { ws } = workspaces({ '/ws/policy.yaml': lonelyPolicy('p') }, ['file:///ws']);
    expect(codes(ws, 'file:///ws/policy.yaml')).toContain('policy-selects-nothing');
    ws.openDocument('file:///ws/.kubereach.yaml', RULES_OFF);
    expect(codes(ws, 'file:///ws/policy.yaml')).toEqual(['cni-profile']);
    ws.openDocument('file:///ws/.kubereach.yaml', 'rules:\n  policy-selects-nothing: error\n');
    expect(ws.diagnostics().get('file:///ws/policy.yaml')!.find((d) => d.code === 'policy-selects-nothing')!.severity).toBe(1);
    // Closed unsaved: no config on disk, so none.
    ws.closeDocument('file:///ws/.kubereach.yaml');
    expect(ws.diagnostics().get('file:///ws/policy.yaml')!.find((d) => d.code === 'policy-selects-nothing')!.severity).toBe(2);
  });

  it('reads a saved file and a saved config again', () => {
    const { ws, fs } = workspaces({ '/ws/policy.yaml': POLICY, '/ws/workloads.yaml': WORKLOADS }, ['file:///ws']);
    const edited = WORKLOADS.replace('containerPort: 8080', 'containerPort: 80');
    ws.openDocument('file:///ws/workloads.yaml', edited);
    fs.files.set('/ws/workloads.yaml', edited);
    ws.saveDocument('file:///ws/workloads.yaml');
    ws.closeDocument('file:///ws/workloads.yaml');
    // The saved text, not the one read at the start.
    expect(codes(ws, 'file:///ws/policy.yaml')).not.toContain('port-not-served');
    fs.files.set('/ws/.kubereach.yaml', 'rules:\n  missing-default-deny: off\n');
    ws.saveDocument('file:///ws/.kubereach.yaml');
    expect(codes(ws, 'file:///ws/workloads.yaml')).not.toContain('missing-default-deny');
  });

  it('reads a file again when its document closes: it may have changed on disk meanwhile', () => {
    const { ws, fs } = workspaces({ '/ws/policy.yaml': POLICY, '/ws/workloads.yaml': WORKLOADS }, ['file:///ws']);
    const changed = WORKLOADS.replace('containerPort: 8080', 'containerPort: 80');
    fs.files.set('/ws/workloads.yaml', changed);
    ws.openDocument('file:///ws/workloads.yaml', changed);
    ws.closeDocument('file:///ws/workloads.yaml');
    expect(codes(ws, 'file:///ws/policy.yaml')).not.toContain('port-not-served');
  });
});

describe('documents outside every folder', () => {
  it('are analyzed together under the config nearest to them; an untitled one joins the first folder', () => {
    const { ws } = workspaces({ '/ws/workloads.yaml': WORKLOADS, '/other/.kubereach.yaml': RULES_OFF }, ['file:///ws']);
    ws.openDocument('file:///other/p.yaml', lonelyPolicy('p'));
    ws.openDocument('file:///elsewhere/p.yaml', lonelyPolicy('p'));
    expect(codes(ws, 'file:///other/p.yaml')).toEqual(['cni-profile']);
    expect(codes(ws, 'file:///elsewhere/p.yaml')).toContain('policy-selects-nothing');
    ws.openDocument('untitled:Untitled-1', POLICY);
    expect(ws.snapshotFor('untitled:Untitled-1')).toBe(ws.snapshotFor('file:///ws/workloads.yaml'));
    expect(codes(ws, 'untitled:Untitled-1')).toContain('port-not-served');
  });
});
