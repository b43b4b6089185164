// Document identity: every client's spelling of a file URI is one key, and core's names read as the CLI prints paths.
import { describe, expect, it } from 'vitest';
import { canonicalUri, documentKey, FileNames, isManifestPath, isSkippedBelow, uriPath } from './file-names.js';

describe('uriPath', () => {
  it.each([
    // VS Code (vscode-uri) encodes @ + ( ) , = & $ ; ! ' and the drive colon; Neovim writes lower-case escapes.
    ['file:///tmp/team%40corp/policy.yaml', '/tmp/team@corp/policy.yaml'],
    ['file:///tmp/team@corp/policy.yaml', '/tmp/team@corp/policy.yaml'],
    ["file:///tmp/a%2Bb%28c%29%2C%3D%26%24%3B%21%27/x.yaml", "/tmp/a+b(c),=&$;!'/x.yaml"],
    ['file:///tmp/%5bx%5d/p.yaml', '/tmp/[x]/p.yaml'],
    ['file:///tmp/%5Bx%5D/p.yaml', '/tmp/[x]/p.yaml'],
    ['file:///tmp/a%20b.yaml', '/tmp/a b.yaml'],
  ])('%s is %s', (uri, path) => {
    expect(uriPath(uri, false)).toBe(path);
  });

  it('reads Windows URIs as VS Code and Node write them as one path, the drive letter lower-cased', () => {
    expect(uriPath('file:///c%3A/Users/me/p.yaml', true)).toBe('c:\\Users\\me\\p.yaml');
    expect(uriPath('file:///C:/Users/me/p.yaml', true)).toBe('c:\\Users\\me\\p.yaml');
    expect(canonicalUri('file:///c%3A/Users/me/p.yaml', true)).toBe(canonicalUri('file:///C:/Users/me/p.yaml', true));
  });

  it('has no path for other schemes, and keys those by their URI', () => {
    expect(uriPath('untitled:Untitled-1', false)).toBeUndefined();
    expect(documentKey('untitled:Untitled-1', false)).toBe('untitled:Untitled-1');
    expect(canonicalUri('untitled:Untitled-1', false)).toBe('untitled:Untitled-1');
  });

  it('gives one canonical URI for every spelling', () => {
    const spellings = ['file:///tmp/team%40corp/%5bx%5d.yaml', 'file:///tmp/team@corp/%5Bx%5D.yaml', 'file:///tmp/team%40corp/%5Bx%5D.yaml'];
    expect(new Set(spellings.map((uri) => canonicalUri(uri, false))).size).toBe(1);
  });
});

describe('FileNames', () => {
  const names = FileNames.paths('/ws', false);

  it('names files below the folder relative to it, as `kubereach lint` run there prints them, and others by path', () => {
    expect(names.nameOf('file:///ws/shop/api.yaml')).toBe('shop/api.yaml');
    expect(names.nameOf('file:///ws%40x/api.yaml')).toBe('/ws@x/api.yaml');
    expect(names.nameOf('file:///elsewhere/api.yaml')).toBe('/elsewhere/api.yaml');
    expect(names.nameOf('untitled:Untitled-1')).toBe('untitled:Untitled-1');
    // A relative name that would read as a URI.
    expect(names.nameOf('file:///ws/untitled:x.yaml')).toBe('./untitled:x.yaml');
  });

  it('turns names back into URIs', () => {
    for (const uri of ['file:///ws/shop/api.yaml', 'file:///elsewhere/a@b.yaml', 'untitled:Untitled-1', 'file:///ws/untitled:x.yaml']) {
      expect(names.uriOf(names.nameOf(uri))).toBe(canonicalUri(uri, false));
    }
    expect(names.uriOf(names.nameOf('file:///ws/team%40corp.yaml'))).toBe('file:///ws/team@corp.yaml');
  });

  it('without a folder names files by path; in URI mode by canonical URI', () => {
    expect(FileNames.paths(undefined, false).nameOf('file:///ws/a%40b.yaml')).toBe('/ws/a@b.yaml');
    expect(FileNames.uris(false).nameOf('file:///ws/a%40b.yaml')).toBe('file:///ws/a@b.yaml');
  });
});

describe('skipped folders and manifest names', () => {
  it('skips node_modules and .git below the folder, not above it', () => {
    expect(isSkippedBelow('/ws', '/ws/node_modules/pkg/np.yaml', { windows: false })).toBe(true);
    expect(isSkippedBelow('/ws', '/ws/a/.git/x.yaml', { windows: false })).toBe(true);
    expect(isSkippedBelow('/ws', '/ws/node_modules', { windows: false })).toBe(false);
    expect(isSkippedBelow('/ws', '/ws/node_modules', { directory: true, windows: false })).toBe(true);
    expect(isSkippedBelow('/home/node_modules/ws', '/home/node_modules/ws/a.yaml', { windows: false })).toBe(false);
    expect(isSkippedBelow('/ws', '/ws/shop/a.yaml', { windows: false })).toBe(false);
  });

  it('reads .yaml, .yml and .json files, the config file aside', () => {
    expect(['/ws/a.yaml', '/ws/a.YML', '/ws/a.json'].map(isManifestPath)).toEqual([true, true, true]);
    expect(['/ws/.kubereach.yaml', '/ws/.kubereach.yml', '/ws/a.txt'].map(isManifestPath)).toEqual([false, false, false]);
  });
});
